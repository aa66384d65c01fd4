"""English units and photo descriptions: what an English-speaking visitor sees and hears."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.dashboard import make_stall, product_data
from tests.factories import ProductFactory, ProductImageFactory, UserFactory
from tests.products.test_english import english, vietnamese_marked

pytestmark = pytest.mark.django_db


@pytest.fixture
def honey():
    return ProductFactory(
        name="Mật ong bạc hà", name_en="Mint honey", unit="chai 500 ml", unit_en="bottle 500 ml"
    )


@pytest.fixture
def scarf():
    return ProductFactory(name="Khăn piêu", unit="chiếc")


def photo_2(name: str) -> str:
    with translation.override("en"):
        return gettext("%(name)s, ảnh %(number)s") % {"name": name, "number": 2}


def test_english_pages_show_the_english_unit_and_mark_the_vietnamese_one(client, honey, scarf):
    for path in (english(honey), english(lambda: reverse("products:product-list"))):
        page = client.get(path).content.decode()
        assert "/ <span>bottle 500 ml</span>" in page
        assert "chai 500 ml" not in page
    page = client.get(english(scarf)).content.decode()
    assert "chiếc" in vietnamese_marked(page)
    poster = client.get(
        english(lambda: reverse("products:product-poster", args=[honey.slug]))
    ).content.decode()
    assert "/ <span>bottle 500 ml</span>" in poster


def test_vietnamese_pages_keep_the_vietnamese_unit(client, honey):
    page = client.get(honey.get_absolute_url()).content.decode()
    assert "/ <span>chai 500 ml</span>" in page and "bottle" not in page


def test_english_cart_and_checkout_show_the_english_unit(client, honey, scarf):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    for product in (honey, scarf):
        client.post(english(lambda: reverse("orders:cart-add")), {"product_id": product.pk, "quantity": 1})
    for name in ("orders:cart", "orders:checkout"):
        page = client.get(english(lambda name=name: reverse(name))).content.decode()
        assert re.search(r"/ <span>bottle 500 ml</span>", page), name
        assert "chiếc" in vietnamese_marked(page), name
        assert "chai 500 ml" not in page


def test_owner_gives_the_unit_in_english_in_the_optional_section(client):
    stall = make_stall()
    client.force_login(stall.owner)
    url = f"/dashboard/products/{stall.product.pk}/"
    form = client.get(url).content.decode()
    # Collapsed: the unit in English sits with the other optional English fields.
    english_section = form[form.index('<details class="form-section">') :]
    assert 'name="unit_en"' in english_section[: english_section.index("</details>")]
    data = product_data(category=stall.product.category, name=stall.product.name, unit="gói 200 g")
    assert client.post(url, {**data, "unit_en": "pack 200 g"}).status_code == 302
    stall.product.refresh_from_db()
    assert stall.product.unit_en == "pack 200 g"


def test_a_new_vietnamese_unit_drops_the_old_english_one(client):
    """Another size typed in Vietnamese only: English pages fall back rather than show the old size."""
    stall = make_stall(unit="gói 200 g", unit_en="pack 200 g")
    client.force_login(stall.owner)
    data = product_data(category=stall.product.category, name=stall.product.name, unit="gói 500 g")
    response = client.post(
        f"/dashboard/products/{stall.product.pk}/", {**data, "unit_en": "pack 200 g"}, follow=True
    )
    assert response.redirect_chain[-1][1] == 302
    stall.product.refresh_from_db()
    assert (stall.product.unit, stall.product.unit_en) == ("gói 500 g", "")
    # The producer is told, not left to find the English unit gone.
    assert "đơn vị tiếng Anh cũ đã được xoá" in response.content.decode()


def test_a_new_unit_with_no_english_one_says_nothing_about_english(client):
    """Another size with no English unit to drop: saved, and no word about an English unit."""
    stall = make_stall(unit="gói 200 g", unit_en="")
    client.force_login(stall.owner)
    data = product_data(category=stall.product.category, name=stall.product.name, unit="gói 500 g")
    response = client.post(f"/dashboard/products/{stall.product.pk}/", {**data, "unit_en": ""}, follow=True)
    assert response.redirect_chain[-1][1] == 302
    stall.product.refresh_from_db()
    assert (stall.product.unit, stall.product.unit_en) == ("gói 500 g", "")
    said = [str(m) for m in response.context["messages"]]
    assert f"Đã lưu {stall.product.name}." in said
    assert not [m for m in said if "tiếng Anh" in m]


def test_admin_edits_the_english_unit(client, honey):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:products_product_change", args=[honey.pk])).content.decode()
    assert 'name="unit_en" value="bottle 500 ml"' in page


def test_english_search_finds_the_english_unit(client, honey):
    page = client.get(english(lambda: reverse("products:product-list")), {"q": "bottle"}).content.decode()
    assert "Mint honey" in page


def test_english_photos_are_described_by_the_english_name(client, honey, scarf):
    ProductImageFactory(product=honey, position=0, alt_text="Hũ mật ong trên bàn gỗ")
    ProductImageFactory(product=honey, position=1, alt_text="")
    ProductImageFactory(product=scarf, position=0, alt_text="Khăn thêu tay")
    page = client.get(english(honey)).content.decode()
    assert 'alt="Mint honey"' in page
    assert f'alt="{photo_2("Mint honey")}"' in page
    assert '<meta property="og:image:alt" content="Mint honey">' in page
    assert "Hũ mật ong" not in page
    # Without an English name, the producer's description is all there is.
    assert 'alt="Khăn thêu tay"' in client.get(english(scarf)).content.decode()


def test_vietnamese_photos_keep_the_producers_description(client, honey):
    ProductImageFactory(product=honey, position=0, alt_text="Hũ mật ong trên bàn gỗ")
    ProductImageFactory(product=honey, position=1, alt_text="")
    page = client.get(honey.get_absolute_url()).content.decode()
    assert 'alt="Hũ mật ong trên bàn gỗ"' in page
    assert 'alt="Mật ong bạc hà, ảnh 2"' in page
    assert '<meta property="og:image:alt" content="Hũ mật ong trên bàn gỗ">' in page
