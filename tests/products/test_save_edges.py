"""Edges of saving a product found in review: repeats, photos replaced in the admin, products deleted
or archived while a form is on its way, a stall switched in another tab."""

import re
from unittest import mock

import pytest

from products.admin import ProductAdmin
from products.models import Membership, Product
from tests.dashboard import make_stall, photo_formset_data, product_data
from tests.factories import (
    CooperativeFactory,
    MembershipFactory,
    ProductFactory,
    ProductImageFactory,
    jpeg_upload,
)

pytestmark = pytest.mark.django_db


def form_token(response) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


def test_the_same_edit_with_six_new_photos_sent_twice_is_not_refused(client):
    stall = make_stall()
    product = stall.product
    for i in range(6):
        ProductImageFactory(product=product, image=jpeg_upload(f"o{i}.jpg", colour=(i * 30, 10, 10)))
    client.force_login(stall.owner)
    url = f"/dashboard/products/{product.pk}/"
    token = form_token(client.get(url))

    def post():
        data = {
            **product_data(
                category=product.category, name=product.name, stock="20", stock_shown="20", form_token=token
            ),
            **photo_formset_data_initial,
            "photos": [jpeg_upload(f"n{i}.jpg", colour=(10, i * 30, 200)) for i in range(6)],
        }
        return client.post(url, data)

    photo_formset_data_initial = photo_formset_data(product)
    assert post().status_code == 302
    assert product.images.count() == 12
    again = post()  # the reply to the first submit was lost; the producer taps Save again
    assert again.status_code == 302, "refused: " + " / ".join(
        re.findall(r"tối đa 12 ảnh[^<]*", again.content.decode())
    )
    assert product.images.count() == 12


# --- R3: a photo replaced in the admin keeps the old photo's digest ----------------------------
def test_a_photo_replaced_in_the_admin_can_be_attached_again(client, django_capture_on_commit_callbacks):
    stall = make_stall()
    product = stall.product
    client.force_login(stall.owner)
    url = f"/dashboard/products/{product.pk}/"
    original = lambda: jpeg_upload("ruong.jpg", colour=(30, 140, 60))  # noqa: E731
    data = {
        **product_data(category=product.category, name=product.name, stock="20", stock_shown="20"),
        "photos": [original()],
    }
    assert client.post(url, data).status_code == 302
    image = product.images.get()
    # The admin's inline replaces the file on the same row (a ModelForm assigns it and saves).
    image.image = jpeg_upload("khac.jpg", colour=(200, 20, 20))
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    image.refresh_from_db()
    assert image.upload_digest == "", "the row still claims the replaced file's digest"


def test_after_an_admin_replace_the_original_photo_is_not_silently_dropped(client):
    stall = make_stall()
    product = stall.product
    client.force_login(stall.owner)
    url = f"/dashboard/products/{product.pk}/"
    original = lambda: jpeg_upload("ruong.jpg", colour=(30, 140, 60))  # noqa: E731
    data = {
        **product_data(category=product.category, name=product.name, stock="20", stock_shown="20"),
        "photos": [original()],
    }
    assert client.post(url, data).status_code == 302
    image = product.images.get()
    image.image = jpeg_upload("khac.jpg", colour=(200, 20, 20))
    image.save()
    data = {
        **product_data(category=product.category, name=product.name, stock="20", stock_shown="20"),
        **photo_formset_data(product),
        "photos": [original()],
    }
    assert client.post(url, data).status_code == 302  # "Đã lưu", no word about the photo
    assert product.images.count() == 2


# --- R4: the same edit form sent again with a different stock ----------------------------------
def test_an_edit_form_sent_again_with_another_stock_is_not_silently_ignored(client):
    stall = make_stall()
    product = stall.product
    client.force_login(stall.owner)
    url = f"/dashboard/products/{product.pk}/"
    token = form_token(client.get(url))
    first = product_data(
        category=product.category, name=product.name, stock="25", stock_shown="20", form_token=token
    )
    assert client.post(url, first).status_code == 302
    # Back button: the same form (same token, shown 20) edited again, stock now typed 30, price too.
    again = product_data(
        category=product.category,
        name=product.name,
        stock="30",
        stock_shown="20",
        price="300.000",
        form_token=token,
    )
    response = client.post(url, again, follow=True)
    product.refresh_from_db()
    assert product.price == 300000  # the other fields of the second submit are saved...
    page = response.content.decode()
    # ...but the stock edit is dropped, and the page blames buyers who do not exist.
    assert product.stock != 25 or "có người đặt mua" not in page, (product.stock, "blames orders")


# --- R5: a repeated add, after switching cooperative, makes a copy in the other one -------------
def test_a_repeated_add_after_switching_cooperative_makes_no_copy(client):
    stall = make_stall()
    other = CooperativeFactory(name="HTX Mật ong")
    MembershipFactory(user=stall.owner, cooperative=other, role=Membership.Role.OWNER)
    client.force_login(stall.owner)
    client.post("/dashboard/choose/", {"cooperative": stall.cooperative.pk})
    token = form_token(client.get("/dashboard/products/new/"))
    data = product_data(name="Mật ong bạc hà", form_token=token)
    assert client.post("/dashboard/products/new/", data).status_code == 302
    client.post("/dashboard/choose/", {"cooperative": other.pk})  # another tab
    client.post("/dashboard/products/new/", data)  # the lost reply's retry
    assert Product.objects.filter(name="Mật ong bạc hà").count() == 1


# --- R6: a product deleted while the admin edits it --------------------------------------------
def test_admin_save_of_a_product_deleted_meanwhile_is_not_a_500(client):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser("qt", "qt@example.vn", "x")
    client.force_login(admin_user)
    client.raise_request_exception = False
    product = ProductFactory(stock=10)
    page_product = Product.objects.get(pk=product.pk)

    real_get_object = ProductAdmin.get_object

    def get_then_delete(self, request, object_id, from_field=None):
        obj = real_get_object(self, request, object_id, from_field)
        if request.method == "POST":
            Product.objects.filter(pk=object_id).delete()  # another admin deletes it meanwhile
        return obj

    data = {
        "cooperative": product.cooperative_id,
        "category": product.category_id,
        "name": product.name,
        "slug": product.slug,
        "summary": "",
        "story": "",
        "price": "100000",
        "unit": "gói",
        "stock": "10",
        "stock_shown": "10",
        "origin_province": "08",
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
    with mock.patch.object(ProductAdmin, "get_object", get_then_delete):
        response = client.post(f"/admin/products/product/{page_product.pk}/change/", data)
    assert response.status_code != 500


# --- control: the admin moving a product to another cooperative works -------------------------
def test_admin_moves_a_product_to_another_cooperative(client):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser("qt2", "qt2@example.vn", "x")
    client.force_login(admin_user)
    product = ProductFactory(stock=10)
    target = CooperativeFactory(name="HTX Mới")
    data = {
        "cooperative": target.pk,
        "category": product.category_id,
        "name": product.name,
        "slug": product.slug,
        "summary": "",
        "story": "",
        "price": "100000",
        "unit": "gói",
        "stock": "10",
        "stock_shown": "10",
        "origin_province": "08",
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
    assert client.post(f"/admin/products/product/{product.pk}/change/", data).status_code == 302
    product.refresh_from_db()
    assert product.cooperative_id == target.pk and product.stock == 10


# --- R7: the listing's quick edit of a product deleted meanwhile -------------------------------
def test_quick_edit_of_a_product_deleted_meanwhile_is_not_a_500(client):
    from products import services

    stall = make_stall()
    product = stall.product
    client.force_login(stall.owner)
    client.raise_request_exception = False
    real = services.product_quick_update

    def delete_first(**kwargs):
        Product.objects.filter(pk=kwargs["product"].pk).delete()  # another member deletes it
        return real(**kwargs)

    p = f"p{product.pk}-"
    data = {
        p + "price": "120.000",
        p + "stock": "5",
        p + "stock_shown": str(product.stock),
        p + "is_published": "on",
    }
    with mock.patch.object(services, "product_quick_update", side_effect=delete_first):
        response = client.post(f"/dashboard/products/{product.pk}/quick/", data)
    assert response.status_code != 500


def test_control_dashboard_edit_of_a_product_deleted_meanwhile_is_a_404(client):
    from products import services

    stall = make_stall()
    product = stall.product
    client.force_login(stall.owner)
    real = services.product_save

    def delete_first(**kwargs):
        Product.objects.filter(pk=kwargs["product"].pk).delete()
        return real(**kwargs)

    data = product_data(category=product.category, name=product.name, stock="20", stock_shown="20")
    with mock.patch.object(services, "product_save", side_effect=delete_first):
        response = client.post(f"/dashboard/products/{product.pk}/", data)
    assert response.status_code == 404


# --- R8: an edit writes back fields its form does not have, from the row as the request read it --
def test_an_edit_does_not_undo_an_archive_made_while_it_ran(client):
    from products import services

    stall = make_stall()
    product = stall.product
    client.force_login(stall.owner)
    real = services.product_save

    def archive_first(**kwargs):
        # Another member archives the product (it has orders) while this POST processes photos.
        services.product_archive(product=Product.objects.get(pk=kwargs["product"].pk))
        return real(**kwargs)

    data = product_data(category=product.category, name=product.name, stock="20", stock_shown="20")
    with mock.patch.object(services, "product_save", side_effect=archive_first):
        assert client.post(f"/dashboard/products/{product.pk}/", data).status_code == 302
    product.refresh_from_db()
    assert product.is_archived, "the edit put an archived product back on the market"
