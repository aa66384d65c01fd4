"""seed_demo fills the market once; drawing and encoding ~50 photos is slow, so it runs once here."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.test import override_settings
from django.utils import translation

from products.models import Category, Cooperative, Membership, Product, ProductImage


def seed(debug: bool) -> str:
    out = io.StringIO()
    with override_settings(DEBUG=debug):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Category, Cooperative, Product, ProductImage, Membership, get_user_model())
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo market, seeded with DEBUG off, then again twice with DEBUG on."""
    with django_db_blocker.unblock():
        first = seed(debug=False)
        after_first = counts()
        second = seed(debug=True)
        after_second = counts()
        third = seed(debug=True)
        after_third = counts()
        yield {
            "outputs": (first, second, third),
            "counts": (after_first, after_second, after_third),
        }
        ProductImage.objects.all().delete()
        Product.objects.all().delete()
        Cooperative.objects.all().delete()
        Category.objects.all().delete()
        get_user_model().objects.all().delete()


pytestmark = pytest.mark.django_db


def test_with_debug_off_no_accounts_are_created(seeded):
    """Seeding a production-like site creates products but no logins."""
    first = seeded["counts"][0]
    assert first["Product"] >= 20 and first["ProductImage"] >= first["Product"]
    assert first["User"] == 0
    assert first["Membership"] == 0
    assert "no demo accounts" in seeded["outputs"][0]


def test_with_debug_on_admin_and_one_producer_per_cooperative(seeded):
    """With DEBUG on there is an admin and one owner account per cooperative, printed with logins."""
    User = get_user_model()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    cooperatives = Cooperative.objects.count()
    assert Membership.objects.filter(role=Membership.Role.OWNER).count() == cooperatives
    assert set(Cooperative.objects.annotate(n=Count("memberships")).values_list("n", flat=True)) == {1}
    assert "admin" in seeded["outputs"][1]
    assert "sx1" in seeded["outputs"][1]


def test_running_again_changes_nothing(seeded):
    """A second run with the same settings adds no rows and no photos."""
    _, second, third = seeded["counts"]
    assert second == third
    assert seeded["counts"][0]["Product"] == second["Product"]
    assert seeded["counts"][0]["ProductImage"] == second["ProductImage"]


def test_demo_market_has_enough_to_browse(seeded):
    """At least 20 products with 1–3 photos, 6 verified stalls and one awaiting verification."""
    assert Product.objects.count() >= 20
    photos = Product.objects.annotate(n=Count("images")).values_list("n", flat=True)
    assert set(photos) <= {1, 2, 3} and min(photos) >= 1
    assert Cooperative.objects.filter(is_verified=True).count() >= 6
    assert Cooperative.objects.filter(is_verified=False).count() == 1
    provinces = set(Cooperative.objects.filter(is_verified=True).values_list("province", flat=True))
    assert len(provinces) >= 5
    assert Category.objects.count() >= 5


def test_every_demo_product_has_a_story_and_processed_photos(seeded):
    """Each product tells a story of a few sentences and its photos have renditions."""
    products = list(Product.objects.prefetch_related("images"))
    assert len(products) >= 20
    for product in products:
        assert product.story.count(".") >= 2, product.name
        images = list(product.images.all())
        assert images, product.name
        for image in images:
            assert image.image_meta["renditions"], product.name


def test_demo_search_finds_the_shan_tuyet_teas(client, seeded):
    """On the demo market, 'tra shan tuyet' lists the Chè Shan tuyết teas."""
    html = client.get("/products/", {"q": "tra shan tuyet"}).content.decode()
    assert "Chè Shan tuyết cổ thụ Lũng Phìn" in html
    assert "Chè Shan tuyết Tà Xùa" in html


@pytest.mark.parametrize("url", ["/", "/products/", "/cooperatives/", "/products/?page=2"])
def test_demo_pages_open(client, seeded, url):
    """The main pages of the demo market open."""
    assert client.get(url).status_code == 200


def test_unverified_demo_stall_is_hidden(client, seeded):
    """The demo cooperative awaiting verification has no public page."""
    hidden = Cooperative.objects.get(is_verified=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    response = client.get("/cooperatives/")
    assert response.status_code == 200
    page = response.content.decode()
    assert all(c.name in page for c in Cooperative.objects.filter(is_verified=True))
    assert hidden.name not in page


def test_demo_market_reads_in_english_with_a_fallback_on_purpose(client, seeded):
    """Every demo stall has an English name and tagline; one or two products stay Vietnamese-only
    so the English site shows the fallback."""
    assert not Cooperative.objects.filter(name_en="").exists()
    assert not Cooperative.objects.filter(summary_en="").exists()
    assert 1 <= Product.objects.filter(summary_en="").count() <= 2
    assert Product.objects.filter(name_en="").count() == 1
    page = client.get("/en/products/", {"q": "honey"}).content.decode()
    assert "Meo Vac mint-flower honey" in page
    assert "Ta Xua wild-flower honey" in page


def test_running_again_fills_english_missing_from_older_rows(seeded):
    """A demo seeded before English texts gets them, searchable; a text someone typed stays."""
    rice = Product.objects.get(name="Gạo nếp Tú Lệ")
    Product.objects.filter(pk=rice.pk).update(summary_en="", story_en="", search_text=" gao nep tu le ")
    Product.objects.filter(name="Tiêu Chư Sê").update(name_en="Our own pepper")
    seed(debug=False)
    rice.refresh_from_db()
    assert rice.summary_en.startswith("Round-grain sticky rice")
    assert " terraced " in rice.search_text
    assert Product.objects.get(name="Tiêu Chư Sê").name_en == "Our own pepper"


def test_demo_units_are_in_english_but_for_the_deliberate_fallbacks(seeded):
    """Every product with English texts is sold by an English unit; Khăn piêu and Hạt dẻ keep theirs."""
    assert Product.objects.get(name="Mật ong bạc hà Mèo Vạc").unit_en == "bottle 500 ml"
    assert Product.objects.get(name="Vải lanh thổ cẩm").unit_en == "metre"
    assert set(Product.objects.filter(unit_en="").values_list("name", flat=True)) == {
        "Khăn piêu",
        "Hạt dẻ Trùng Khánh",
    }


def test_demo_photos_are_named_in_the_page_language(seeded, client):
    """Demo photos store no description, so each page names them in its own language; older seeds'
    Vietnamese-only descriptions ("Name (1)", "Name, ảnh 2") are cleared by a new run."""
    honey = Product.objects.get(name="Mật ong bạc hà Mèo Vạc")
    assert list(honey.images.values_list("alt_text", flat=True)) == ["", ""]
    vietnamese = client.get(honey.get_absolute_url()).content.decode()
    assert 'alt="Mật ong bạc hà Mèo Vạc, ảnh 2"' in vietnamese
    with translation.override("en"):
        english_url = honey.get_absolute_url()
    english = client.get(english_url).content.decode()
    assert f'alt="{honey.name_en}, photo 2"' in english
    honey.images.filter(position=0).update(alt_text="Mật ong bạc hà Mèo Vạc (1)")
    honey.images.filter(position=1).update(alt_text="Mật ong bạc hà Mèo Vạc, ảnh 2")
    seed(debug=False)
    assert list(honey.images.values_list("alt_text", flat=True)) == ["", ""]


def test_reseeding_gives_no_english_unit_to_a_product_whose_size_changed(seeded):
    """A producer sold the honey in another size (the dashboard dropped the English unit); the
    demo's English unit names the old size, so a new run leaves it out."""
    honey = Product.objects.get(name="Mật ong bạc hà Mèo Vạc")
    Product.objects.filter(pk=honey.pk).update(unit="hũ 1 l", unit_en="")
    seed(debug=False)
    honey.refresh_from_db()
    assert (honey.unit, honey.unit_en) == ("hũ 1 l", "")
