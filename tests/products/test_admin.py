import re

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from products.models import Cooperative, Product
from tests.factories import (
    CategoryFactory,
    CooperativeFactory,
    MembershipFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
    jpeg_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def market():
    cooperative = CooperativeFactory(name="HTX Cà phê Đắk Lắk", province="66", is_verified=False)
    product = ProductFactory(
        cooperative=CooperativeFactory(name="HTX Lũng Phìn"), name="Chè Shan tuyết cổ thụ"
    )
    ProductImageFactory(product=product)
    MembershipFactory(cooperative=cooperative)
    return {"cooperative": cooperative, "product": product}


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}"
)
def test_every_registered_changelist_opens(admin_client, market, model):
    """Every model registered in the admin lists its rows without error."""
    assert admin_client.get(changelist(model)).status_code == 200


def test_catalogue_models_are_registered():
    """Cooperatives, memberships, categories, products and photos all have admin pages."""
    names = {m._meta.model_name for m in admin.site._registry}
    assert {"cooperative", "membership", "category", "product", "productimage"} <= names


def test_product_list_shows_photo_thumbnails(admin_client, market):
    """The product list shows a small thumbnail of the first photo."""
    html = admin_client.get(changelist(Product)).content.decode()
    assert "-160w.webp" in html


@pytest.mark.parametrize(
    ("model", "term", "found"),
    [
        (Cooperative, "dak lak", "HTX Cà phê Đắk Lắk"),
        (Cooperative, "ĐẮK LẮK", "HTX Cà phê Đắk Lắk"),
        (Product, "shan tuyet", "Chè Shan tuyết cổ thụ"),
        (Product, "che co thu", "Chè Shan tuyết cổ thụ"),
    ],
)
def test_admin_search_works_without_diacritics(admin_client, market, model, term, found):
    """Admin search finds rows whether or not the admin types the marks."""
    response = admin_client.get(changelist(model), {"q": term})
    assert response.status_code == 200
    assert [str(o) for o in response.context["cl"].result_list] == [found]


def test_verify_action_puts_the_cooperative_on_the_market(admin_client, market, client):
    """The verify action makes a cooperative's stall public."""
    cooperative = market["cooperative"]
    response = admin_client.post(
        changelist(Cooperative),
        {"action": "verify", admin.helpers.ACTION_CHECKBOX_NAME: [cooperative.pk]},
        follow=True,
    )
    assert "Đã xác minh 1 hợp tác xã." in response.content.decode()
    cooperative.refresh_from_db()
    assert cooperative.is_verified
    assert admin_client.get(cooperative.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [
        ("publish", "is_published", True),
        ("unpublish", "is_published", False),
        ("feature", "is_featured", True),
    ]
    + [("unfeature", "is_featured", False)],
)
def test_product_actions(admin_client, action, field, value):
    """Publish, unpublish, feature and unfeature change the selected products only."""
    chosen = [ProductFactory(is_published=not value, is_featured=not value) for _ in range(2)]
    other = ProductFactory(is_published=not value, is_featured=not value)
    response = admin_client.post(
        changelist(Product),
        {"action": action, admin.helpers.ACTION_CHECKBOX_NAME: [p.pk for p in chosen]},
        follow=True,
    )
    assert response.status_code == 200
    assert "2 sản phẩm" in response.content.decode()
    for product in chosen:
        product.refresh_from_db()
        assert getattr(product, field) is value
    other.refresh_from_db()
    assert getattr(other, field) is not value


def test_published_product_appears_in_the_catalogue(admin_client, client):
    """After the publish action, the product shows in the public catalogue."""
    product = ProductFactory(name="Mật ong bạc hà", is_published=False)
    assert "Mật ong bạc hà" not in client.get("/products/").content.decode()
    admin_client.post(
        changelist(Product), {"action": "publish", admin.helpers.ACTION_CHECKBOX_NAME: [product.pk]}
    )
    assert "Mật ong bạc hà" in client.get("/products/").content.decode()


def test_product_change_page_has_photo_inline(admin_client, market):
    """A product's admin page edits its photos inline, with a preview."""
    product = market["product"]
    url = reverse("admin:products_product_change", args=[product.pk])
    response = admin_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="images-0-alt_text"' in html
    assert "-160w.webp" in html


def test_cooperative_change_page_has_membership_inline(admin_client, market):
    """A cooperative's admin page edits its members inline."""
    url = reverse("admin:products_cooperative_change", args=[market["cooperative"].pk])
    response = admin_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="memberships-0-role"' in html


def test_add_pages_prepopulate_slugs(admin_client):
    """The product and cooperative add forms fill the slug from the name."""
    for name in ("product", "cooperative", "category"):
        html = admin_client.get(reverse(f"admin:products_{name}_add")).content.decode()
        assert "prepopulated_fields" in html or "data-prepopulated-field" in html, name


def test_admin_can_create_a_product_with_a_photo(admin_client, market):
    """Adding a product with a photo through the admin form stores a processed photo."""
    category = CategoryFactory()
    response = admin_client.post(
        reverse("admin:products_product_add"),
        {
            "cooperative": market["cooperative"].pk,
            "category": category.pk,
            "name": "Gạo nếp Tú Lệ",
            "slug": "",
            "summary": "",
            "story": "",
            "price": "90000",
            "unit": "túi 2 kg",
            "stock": "10",
            "origin_province": "15",
            "origin_commune": "",
            "ethnic_group": "Thái",
            "ocop_stars": "",
            "is_published": "on",
            "name_en": "",
            "summary_en": "",
            "story_en": "",
            "images-TOTAL_FORMS": "1",
            "images-INITIAL_FORMS": "0",
            "images-MIN_NUM_FORMS": "0",
            "images-MAX_NUM_FORMS": "1000",
            "images-0-image": jpeg_upload(size=(400, 300)),
            "images-0-alt_text": "Túi gạo",
            "images-0-position": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].errors if response.context else ""
    product = Product.objects.get(name="Gạo nếp Tú Lệ")
    assert product.slug == "gao-nep-tu-le"
    assert product.images.get().image.name.endswith(".webp")


def test_admin_refuses_a_corrupt_photo_with_a_message(admin_client, market):
    """A truncated JPEG in the photo inline gives a form error, not a server error."""
    product = market["product"]
    data = jpeg_upload(size=(400, 300)).read()
    url = reverse("admin:products_product_change", args=[product.pk])
    form = admin_client.get(url).context["adminform"].form
    payload = {k: v for k, v in form.initial.items() if v is not None}
    payload.update({"is_published": "on", "ocop_stars": ""})
    existing = product.images.get()
    payload.update(
        {
            "images-TOTAL_FORMS": "2",
            "images-INITIAL_FORMS": "1",
            "images-MIN_NUM_FORMS": "0",
            "images-MAX_NUM_FORMS": "1000",
            "images-0-id": existing.pk,
            "images-0-product": product.pk,
            "images-0-alt_text": existing.alt_text,
            "images-0-position": existing.position,
            "images-1-image": SimpleUploadedFile("hong.jpg", data[: len(data) // 2], "image/jpeg"),
            "images-1-alt_text": "Ảnh hỏng",
            "images-1-position": "1",
        }
    )
    response = admin_client.post(url, payload)
    assert response.status_code == 200
    assert "ảnh bị hỏng" in response.content.decode()
    assert product.images.count() == 1


def test_admin_refuses_a_corrupt_logo_with_a_message(admin_client, market):
    """A file that is not an image as a cooperative logo gives a form error."""
    cooperative = market["cooperative"]
    url = reverse("admin:products_cooperative_change", args=[cooperative.pk])
    form = admin_client.get(url).context["adminform"].form
    payload = {k: v for k, v in form.initial.items() if v is not None and k not in ("logo", "cover")}
    payload.update(
        {
            "logo": SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "image/png"),
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        }
    )
    response = admin_client.post(url, payload)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()


def test_admin_titles_and_the_login_guard_read_in_vietnamese(admin_client):
    """The admin is "Quản trị Chợ Phiên" and django-axes is listed as "Chống dò mật khẩu"."""
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "<title>Bảng quản trị | Quản trị Chợ Phiên</title>" in html
    assert "Chống dò mật khẩu" in html
    assert "Django" not in html.split("<body", 1)[1].split("</header>", 1)[0]


def test_product_and_cooperative_lists_keep_to_the_useful_columns(admin_client, market):
    """Products: photo, name, stall, price in đồng, stock, on sale; stalls lose the long date column."""
    html = admin_client.get(changelist(Product)).content.decode()
    thead = html.split('id="result_list"', 1)[1].split("</thead>", 1)[0]
    columns = re.findall(r'class="[^"]*\bcolumn-(\w+)', thead)
    assert columns == ["thumb", "name", "cooperative", "price_vnd", "stock_left", "is_published"]
    assert "100.000\u00a0₫" in html
    html = admin_client.get(changelist(Cooperative)).content.decode()
    assert "column-created_at" not in html


def test_admin_changing_the_unit_drops_the_old_english_unit_and_says_so(admin_client, market):
    """The same rule as the dashboard: another size typed in Vietnamese only must not keep
    telling English buyers the old size."""
    product = ProductFactory(cooperative=market["cooperative"], unit="chai 500 ml", unit_en="bottle 500 ml")
    data = {
        "cooperative": product.cooperative_id,
        "category": product.category_id,
        "name": product.name,
        "slug": product.slug,
        "summary": "",
        "story": "",
        "price": "120000",
        "unit": "chai 1 l",
        "stock": "5",
        "origin_province": product.origin_province,
        "origin_commune": "",
        "ethnic_group": "",
        "ocop_stars": "",
        "is_published": "on",
        "name_en": "",
        "summary_en": "",
        "story_en": "",
        "unit_en": "bottle 500 ml",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    }
    url = reverse("admin:products_product_change", args=[product.pk])
    response = admin_client.post(url, data, follow=True)
    product.refresh_from_db()
    assert (product.unit, product.unit_en) == ("chai 1 l", "")
    assert "đơn vị tiếng Anh cũ đã được xoá" in response.content.decode()


def _change_data(product, **overrides) -> dict:
    data = {
        "cooperative": product.cooperative_id,
        "category": product.category_id,
        "name": product.name,
        "slug": product.slug,
        "summary": "",
        "story": "",
        "price": str(product.price),
        "unit": product.unit,
        "stock": str(product.stock),
        "origin_province": product.origin_province,
        "origin_commune": "",
        "ethnic_group": "",
        "ocop_stars": "",
        "is_published": "on",
        "name_en": "",
        "summary_en": "",
        "story_en": "",
        "unit_en": "",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    }
    return {**data, **overrides}


def test_saving_the_admin_page_never_undoes_a_sale(admin_client, market):
    """Stock 10 on the admin's page; a buyer orders 3 meanwhile; saving the page as it was keeps
    the 7 left, and typing 12 adds 2 to them, as on the dashboard."""
    from tests.factories import placed_order

    product = ProductFactory(cooperative=market["cooperative"], stock=10)
    product.cooperative.is_verified = True
    product.cooperative.save()
    url = reverse("admin:products_product_change", args=[product.pk])
    page = admin_client.get(url).content.decode()
    shown = re.search(r'name="stock_shown" value="(\d+)"', page).group(1)
    assert shown == "10"
    placed_order({product: 3})
    product.refresh_from_db()
    assert product.stock == 7
    response = admin_client.post(url, _change_data(product, stock="10", stock_shown=shown), follow=True)
    assert response.status_code == 200
    product.refresh_from_db()
    assert product.stock == 7
    admin_client.post(url, _change_data(product, stock="12", stock_shown=shown))
    product.refresh_from_db()
    assert product.stock == 9
