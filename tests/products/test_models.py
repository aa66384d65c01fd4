import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from products.models import Product
from tests.factories import CategoryFactory, CooperativeFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "changes",
    [{"price": -1}, {"stock": -1}, {"ocop_stars": 2}, {"ocop_stars": 6}],
    ids=["negative-price", "negative-stock", "ocop-2", "ocop-6"],
)
def test_database_rejects_invalid_product_values(changes):
    """Negative price or stock and OCOP stars outside 3/4/5 are refused by the database itself."""
    product = ProductFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(**changes)


def test_stock_cannot_be_decremented_below_zero():
    """An F() decrement that would go negative fails at the database, not silently."""
    product = ProductFactory(stock=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(stock=F("stock") - 2)


@pytest.mark.parametrize("stars", [None, 3, 4, 5])
def test_valid_ocop_stars_are_accepted(stars):
    """OCOP stars may be empty, 3, 4 or 5."""
    product = ProductFactory(ocop_stars=stars)
    product.refresh_from_db()
    assert product.ocop_stars == stars


def test_duplicate_slug_is_rejected_by_the_database():
    """Slugs are unique in the database, not only in Python."""
    ProductFactory(slug="che-shan-tuyet")
    other = ProductFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=other.pk).update(slug="che-shan-tuyet")


def test_slugs_from_vietnamese_names_get_a_suffix_when_taken():
    """Two products with the same name get che-shan-tuyet and che-shan-tuyet-2."""
    first = ProductFactory(name="Chè Shan tuyết")
    second = ProductFactory(name="Chè Shan tuyết")
    third = ProductFactory(name="Chè Shan Tuyết")
    assert [first.slug, second.slug, third.slug] == ["che-shan-tuyet", "che-shan-tuyet-2", "che-shan-tuyet-3"]


def test_slug_of_a_longer_name_sharing_the_prefix_is_not_suffixed():
    """A slug that merely starts like another one is not treated as taken."""
    ProductFactory(name="Chè Shan tuyết cổ thụ")
    assert ProductFactory(name="Chè Shan tuyết").slug == "che-shan-tuyet"


def test_slug_stays_when_the_product_is_renamed():
    """Renaming keeps the slug, so shared links keep working."""
    product = ProductFactory(name="Mật ong bạc hà")
    product.name = "Mật ong hoa bạc hà Đồng Văn"
    product.save()
    product.refresh_from_db()
    assert product.slug == "mat-ong-bac-ha"


def test_cooperative_and_category_slugs_fold_d():
    """Cooperative and category slugs are folded too (Đ → d)."""
    assert CooperativeFactory(name="HTX Đặc sản Đắk Lắk").slug == "htx-dac-san-dak-lak"
    assert CategoryFactory(name="Đồ khô").slug == "do-kho"


def test_name_without_letters_gets_a_fallback_slug():
    """A name with nothing sluggable still gets a usable slug."""
    assert ProductFactory(name="★★★").slug == "san-pham"


def test_search_text_follows_product_edits():
    """Saving a product refreshes its folded search text."""
    product = ProductFactory(name="Gạo nếp", story="Trồng trên ruộng bậc thang.")
    product.story = "Hạt tròn, thơm mùi cốm."
    product.save()
    product.refresh_from_db()
    assert " thom mui com " in product.search_text
    assert "ruong" not in product.search_text
    assert product.search_name.strip() == "gao nep"


def test_search_text_has_cooperative_province_and_people():
    """The folded search text covers cooperative, origin province and ethnic group."""
    product = ProductFactory(
        cooperative=CooperativeFactory(name="HTX Cà phê Buôn Ma Thuột"),
        origin_province="66",
        ethnic_group="Ê Đê",
    )
    for fragment in (" buon ma thuot ", " dak lak ", " e de "):
        assert fragment in product.search_text


def test_renaming_the_cooperative_refreshes_its_products_search_text(django_capture_on_commit_callbacks):
    """Products are found under their cooperative's new name right after it is renamed."""
    cooperative = CooperativeFactory(name="HTX Cũ")
    product = ProductFactory(cooperative=cooperative)
    cooperative.name = "HTX Mật ong Đồng Văn"
    with django_capture_on_commit_callbacks(execute=True):
        cooperative.save()
    product.refresh_from_db()
    assert " mat ong dong van " in product.search_text


def test_renaming_the_category_refreshes_its_products_search_text(django_capture_on_commit_callbacks):
    """Products are found under their category's new name."""
    category = CategoryFactory(name="Gia vị")
    product = ProductFactory(category=category)
    category.name = "Hạt tiêu"
    with django_capture_on_commit_callbacks(execute=True):
        category.save()
    product.refresh_from_db()
    assert " hat tieu " in product.search_text


@pytest.mark.parametrize(
    ("changes", "public"),
    [
        ({}, True),
        ({"is_published": False}, False),
        ({"is_archived": True}, False),
        ({"cooperative__is_verified": False}, False),
    ],
)
def test_public_queryset_rule(changes, public):
    """Only published, not archived products of verified cooperatives are public."""
    verified = changes.pop("cooperative__is_verified", True)
    product = ProductFactory(cooperative=CooperativeFactory(is_verified=verified), **changes)
    assert (product in Product.objects.public()) is public


@pytest.mark.parametrize(("stock", "state"), [(0, "sold_out"), (1, "low"), (5, "low"), (6, "in_stock")])
def test_stock_state(stock, state):
    """Stock state is sold out at 0, low up to 5, in stock above."""
    assert ProductFactory(stock=stock).stock_state == state


def test_strings_and_urls():
    """Models print their names and link to their pages."""
    product = ProductFactory(name="Chè Bình Liêu")
    assert str(product) == "Chè Bình Liêu"
    assert product.get_absolute_url() == f"/products/{product.slug}/"
    assert product.cooperative.get_absolute_url() == f"/cooperatives/{product.cooperative.slug}/"
    assert product.category.get_absolute_url() == f"/products/?category={product.category.slug}"


def test_editing_a_fee_does_not_rewrite_every_product_of_the_stall(django_capture_on_commit_callbacks):
    """Only a change to what products copy (name, peoples) rewrites their search text."""
    cooperative = CooperativeFactory()
    ProductFactory.create_batch(3, cooperative=cooperative)
    # A marker no save would write: it survives only if the products were left alone.
    Product.objects.filter(cooperative=cooperative).update(search_text=" untouched ")
    cooperative.shipping_fee += 5000
    with django_capture_on_commit_callbacks(execute=True):
        cooperative.save()
    assert set(Product.objects.values_list("search_text", flat=True)) == {" untouched "}
    cooperative.ethnic_groups = "Dao đỏ"
    with django_capture_on_commit_callbacks(execute=True):
        cooperative.save()
    assert all(" dao do " in text for text in Product.objects.values_list("search_text", flat=True))
