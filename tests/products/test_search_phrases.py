"""Phrases first, marks for words apart, typos: the rules behind the relevance table, one by one."""

import pytest
from django.core.paginator import Paginator

from products import selectors
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def found(q: str) -> list[str]:
    results, _ranked = selectors.product_list_public(q=q)
    return [p.name for p in results]


def page_names(q: str, number: int, per_page: int = 12) -> list[str]:
    results, _ranked = selectors.product_list_public(q=q)
    return [p.name for p in Paginator(results, per_page).page(number).object_list]


def test_words_far_apart_come_after_every_phrase_and_off_a_full_first_page():
    """Products holding the words only apart rank below all phrase matches: with a page of them,
    page 1 is all phrases and the far-apart product opens page 2."""
    apart = ProductFactory(name="Nến thơm", summary="", story="Sáp được nấu chậm. " * 30 + "Nuôi ong ở bản.")
    phrases = [
        ProductFactory(name=f"Nến số {i}", summary="", story="Nến sáp ong nguyên chất.") for i in range(12)
    ]
    first = page_names("sap ong", 1)
    assert set(first) == {p.name for p in phrases}
    assert page_names("sap ong", 2) == [apart.name]


def test_words_apart_must_have_the_marks_the_phrase_has():
    """A match that is not a phrase must hold each word as the catalogue writes it in the phrase:
    "sáp … ong" counts, "sắp (soon) … ong" does not; a product written without any marks counts."""
    ProductFactory(name="Nến sáp ong", summary="", story="")
    ProductFactory(name="Nến thơm", summary="", story="Sáp nấu chậm, mật của đàn ong rừng.")
    ProductFactory(name="Mật ong rừng", summary="", story="Sắp hết mùa, đàn ong bay xa.")
    ProductFactory(name="Nen tho", summary="", story="Sap nau cham, nuoi ong o ban.")
    assert found("sap ong") == ["Nến sáp ong", "Nen tho", "Nến thơm"]
    # Typed with marks, the marks typed decide.
    assert found("sắp ong") == ["Nến sáp ong", "Nen tho", "Mật ong rừng"]


def test_mat_ong_never_lists_mat_and_ong_apart_even_without_honey():
    """ "mật ong" is one word to a buyer: typed without marks it never finds "mất … sáp ong", even
    in a market selling no honey."""
    ProductFactory(name="Vải lanh", summary="", story="Mất ba tháng dệt, vẽ bằng sáp ong.")
    assert found("mat ong") == []
    assert found("mat o") == []


def test_a_known_or_short_word_is_never_corrected():
    """Only a word of 4+ letters the catalogue does not hold is corrected, to words of 5+ letters
    one edit away; a word the catalogue holds is taken as typed."""
    ProductFactory(name="Trâm cài tóc", summary="", story="")
    ProductFactory(name="Robusta rang mộc", summary="", story="")
    ProductFactory(name="Robustb xay", summary="", story="")
    assert found("trm cai") == []  # three letters
    assert found("tramm cai") == []  # "trâm" has four
    assert found("robustb") == ["Robustb xay"]  # held by the catalogue: not "robusta"
    assert found("robusat rang") == ["Robusta rang mộc"]  # two letters swapped
    assert found("robustaa") == ["Robusta rang mộc"]  # one letter too many
    assert found("robxsta") == ["Robusta rang mộc"]  # one letter wrong
    assert found("rbxsta") == []  # two letters wrong


def test_a_word_no_product_holds_any_more_is_no_correction():
    """After the only product with a word goes, a typo of it corrects to nothing (both databases)."""
    gone = ProductFactory(name="Arabica Cầu Đất", summary="", story="")
    assert found("arabca") == ["Arabica Cầu Đất"]
    gone.delete()
    assert found("arabca") == []
    # A word one edit from the one gone: "arabica" is now a typo of it, so the word is forgotten.
    ProductFactory(name="Arabicx", summary="", story="")
    assert found("arabica") == ["Arabicx"]
    renamed = ProductFactory(name="Arabica Cầu Đất", summary="", story="")
    assert found("arabica") == ["Arabica Cầu Đất"]
    renamed.name = "Robusta Cầu Đất"
    renamed.save()
    assert found("arabica") == ["Arabicx"]


def test_the_page_says_which_word_it_searched_for_a_typo(client):
    """A corrected typo is named on the page, in Vietnamese and in English."""
    ProductFactory(name="Cà phê Robusta", summary="", story="")
    html = client.get("/products/", {"q": "ca phe robsta"}).content.decode()
    assert "Cà phê Robusta" in html
    assert "Kết quả cho “ca phe robusta”: không có sản phẩm nào ghi đúng như “ca phe robsta”." in html
    english = client.get("/en/products/", {"q": "robsta"}).content.decode()
    assert "Showing “robusta”: no product is written exactly as “robsta”." in english
    assert "không có sản phẩm nào ghi đúng" not in client.get("/products/", {"q": "robusta"}).content.decode()


def test_migration_fills_the_marks_of_existing_products():
    """Products saved before search_marks get it from the migration, so words apart are judged."""
    import importlib

    from django.apps import apps

    from products.models import Product

    product = ProductFactory(name="Nến sáp ong", summary="", story="Sắp hết mùa.")
    Product.objects.filter(pk=product.pk).update(search_marks="")
    importlib.import_module("products.migrations.0013_search_words").fill_marks(apps, None)
    marks = Product.objects.get(pk=product.pk).search_marks
    assert marks.startswith(" nến sáp ong sắp hết mùa ")
    assert marks == product.search_marks
