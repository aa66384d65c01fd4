"""The product side of the producer dashboard, through the test client."""

import io
import re

import pillow_heif
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from PIL import Image

from products.models import Membership, Product, ProductImage
from tests.dashboard import make_stall, photo_formset_data, product_data
from tests.factories import (
    CategoryFactory,
    CooperativeFactory,
    MembershipFactory,
    OrderItemFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
    jpeg_upload,
)
from tests.products.test_images import phone_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def stall():
    return make_stall()


@pytest.fixture
def owner_client(client, stall):
    client.force_login(stall.owner)
    return client


def pending_tokens(response) -> list[str]:
    return re.findall(r'name="pending" value="([^"]+)"', response.content.decode())


def png_bytes(size=(10, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (1, 2, 3)).save(buffer, "PNG")
    return buffer.getvalue()


def test_add_product_with_photo_then_it_is_in_the_catalogue(owner_client, stall):
    """A product added with a photo is saved for the cooperative and shows in the catalogue."""
    data = product_data(name="Mật ong bạc hà", photos=[jpeg_upload("mat-ong.jpg")])
    response = owner_client.post("/dashboard/products/new/", data)
    assert response.status_code == 302
    product = Product.objects.get(name="Mật ong bạc hà")
    assert product.cooperative == stall.cooperative
    assert product.price == 250000
    assert product.images.count() == 1
    assert "Mật ong bạc hà" in owner_client.get("/products/").content.decode()


def pending_files() -> set[str]:
    """The pending uploads in storage now (other tests may have left some)."""
    return set(default_storage.listdir("pending")[1]) if default_storage.exists("pending") else set()


def test_form_error_keeps_what_was_typed_and_the_uploaded_photos(
    owner_client, stall, django_capture_on_commit_callbacks
):
    """A missing name shows the form again with the typed price and both photos kept."""
    already = pending_files()
    data = product_data(
        name="", price="180.000", photos=[jpeg_upload("a.jpg"), jpeg_upload("b.jpg", colour=(200, 40, 40))]
    )
    response = owner_client.post("/dashboard/products/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="180.000"' in page
    assert "không cần chọn lại" in page
    tokens = pending_tokens(response)
    assert len(tokens) == 2
    assert not Product.objects.filter(price=180000).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            "/dashboard/products/new/", product_data(name="Chè búp", price="180.000", pending=tokens)
        )
    assert response.status_code == 302
    product = Product.objects.get(name="Chè búp")
    assert [image.position for image in product.images.all()] == [0, 1]
    assert pending_files() <= already  # the same photo may share a name with one an earlier test left


def test_a_kept_photo_can_be_dropped_before_saving(owner_client, django_capture_on_commit_callbacks):
    """Ticking "Bỏ ảnh này" on a kept photo leaves it out and deletes its file."""
    already = pending_files()
    response = owner_client.post("/dashboard/products/new/", product_data(name="", photos=[jpeg_upload()]))
    [token] = pending_tokens(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            "/dashboard/products/new/", product_data(name="Gạo nếp", pending=[token], pending_remove=[token])
        )
    assert response.status_code == 302
    assert Product.objects.get(name="Gạo nếp").images.count() == 0
    assert pending_files() <= already  # the same photo may share a name with one an earlier test left


def test_someone_elses_pending_photo_token_is_ignored(client, stall):
    """A pending-photo token only works for the user it was made for."""
    client.force_login(stall.owner)
    [token] = pending_tokens(
        client.post("/dashboard/products/new/", product_data(name="", photos=[jpeg_upload()]))
    )
    client.force_login(stall.member)
    client.post("/dashboard/products/new/", product_data(name="Hạt dẻ", pending=[token]))
    assert Product.objects.get(name="Hạt dẻ").images.count() == 0


@override_settings(MAX_UPLOAD_MB=1)
def test_each_rejected_photo_gets_its_own_message_and_good_ones_are_kept(owner_client):
    """Not an image, corrupt, too large, a decompression bomb and a GIF are each refused plainly."""
    big = io.BytesIO()
    Image.effect_noise((1200, 1200), 120).convert("RGB").save(big, "PNG")
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    bad = [
        SimpleUploadedFile("notes.jpg", b"this is not a photo", content_type="image/jpeg"),
        SimpleUploadedFile("broken.jpg", jpeg_upload().read()[:400], content_type="image/jpeg"),
        SimpleUploadedFile("huge.png", big.getvalue(), content_type="image/png"),
        SimpleUploadedFile("bomb.png", png_bytes((10000, 10000)), content_type="image/png"),
        SimpleUploadedFile("anim.gif", gif.getvalue(), content_type="image/gif"),
    ]
    assert len(big.getvalue()) > 1024 * 1024
    response = owner_client.post(
        "/dashboard/products/new/", product_data(name="Quế", photos=[*bad, jpeg_upload("good.jpg")])
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "notes.jpg: Tệp này không phải ảnh hoặc ảnh bị hỏng" in page
    assert "broken.jpg: Tệp này không phải ảnh hoặc ảnh bị hỏng" in page
    assert "huge.png: Ảnh quá lớn" in page
    assert "bomb.png: Ảnh có quá nhiều điểm ảnh" in page
    assert "anim.gif: Chỉ nhận ảnh JPEG, PNG, WebP hoặc HEIC" in page
    assert len(pending_tokens(response)) == 1
    assert not Product.objects.filter(name="Quế").exists()


def test_phone_photo_uploaded_in_the_dashboard_is_upright_without_exif(owner_client):
    """A sideways JPEG with GPS tags comes out upright and with no metadata in any stored file."""
    owner_client.post("/dashboard/products/new/", product_data(name="Chè xanh", photos=[phone_photo()]))
    image = ProductImage.objects.get(product__name="Chè xanh")
    assert (image.image_meta["width"], image.image_meta["height"]) == (300, 400)
    for name in [image.image.name, *image.image_meta["renditions"].values()]:
        with default_storage.open(name) as f:
            stored = Image.open(f)
            stored.load()
        assert not stored.getexif()
        assert "exif" not in stored.info


def test_iphone_heic_photo_is_accepted(owner_client):
    """A HEIC photo from an iPhone is accepted and stored as WebP renditions."""
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 60)).save(buffer, "HEIF", quality=80)
    assert pillow_heif.is_supported(buffer.getvalue())
    upload = SimpleUploadedFile("IMG_0420.HEIC", buffer.getvalue(), content_type="image/heic")
    response = owner_client.post("/dashboard/products/new/", product_data(name="Thổ cẩm", photos=[upload]))
    assert response.status_code == 302
    image = ProductImage.objects.get(product__name="Thổ cẩm")
    assert image.image.name.endswith(".webp")
    assert image.image_meta["width"] == 640


def test_edit_reorders_describes_and_deletes_photos(owner_client, stall, django_capture_on_commit_callbacks):
    """The photo rows set order and alt text, and a ticked photo is removed with its files."""
    first, second, third = (ProductImageFactory(product=stall.product, position=i) for i in range(3))
    data = product_data(category=stall.product.category, name=stall.product.name)
    data.update(
        photo_formset_data(
            stall.product,
            {
                first.pk: {"order": "3"},
                second.pk: {"DELETE": "on"},
                third.pk: {"order": "1", "alt_text": "Búp chè non"},
            },
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(f"/dashboard/products/{stall.product.pk}/", data)
    assert response.status_code == 302
    images = list(stall.product.images.all())
    assert [image.pk for image in images] == [third.pk, first.pk]
    assert [image.position for image in images] == [0, 1]
    assert images[0].alt_text == "Búp chè non"
    assert not default_storage.exists(second.image.name)


def test_photo_limit_keeps_the_first_photos_and_says_so(owner_client, stall):
    """Over twelve photos, the extra ones are refused with a message and the rest are kept."""
    for i in range(11):
        ProductImageFactory(product=stall.product, position=i)
    data = product_data(category=stall.product.category, name=stall.product.name)
    data.update(photo_formset_data(stall.product))
    data["photos"] = [
        jpeg_upload("x.jpg", size=(50, 40)),
        jpeg_upload("y.jpg", size=(50, 40), colour=(9, 9, 9)),
    ]
    response = owner_client.post(f"/dashboard/products/{stall.product.pk}/", data)
    assert response.status_code == 400
    assert "tối đa 12 ảnh" in response.content.decode()
    assert len(pending_tokens(response)) == 1


def test_quick_row_form_updates_price_stock_and_published(owner_client, stall):
    """The listing row saves price, stock and published state in one POST."""
    pk = stall.product.pk
    response = owner_client.post(
        f"/dashboard/products/{pk}/quick/", {f"p{pk}-price": "95.000", f"p{pk}-stock": "7", "next": "/x"}
    )
    assert response.status_code == 302
    stall.product.refresh_from_db()
    assert (stall.product.price, stall.product.stock, stall.product.is_published) == (95000, 7, False)


def test_quick_row_form_error_shows_the_list_with_what_was_typed(owner_client, stall):
    """A negative stock shows the list again with the typed values and a message, nothing saved."""
    pk = stall.product.pk
    response = owner_client.post(
        f"/dashboard/products/{pk}/quick/", {f"p{pk}-price": "95.000", f"p{pk}-stock": "-3"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="95.000"' in page and 'value="-3"' in page
    stall.product.refresh_from_db()
    assert stall.product.price == 100000


def test_duplicate_makes_a_hidden_copy_with_its_own_photo_files(owner_client, stall):
    """ "Nhân bản" copies the product unpublished with no stock, photos copied not shared."""
    photo = ProductImageFactory(product=stall.product)
    response = owner_client.post(f"/dashboard/products/{stall.product.pk}/duplicate/")
    copy = Product.objects.exclude(pk=stall.product.pk).get(cooperative=stall.cooperative)
    assert response.url == f"/dashboard/products/{copy.pk}/"
    assert (copy.is_published, copy.stock, copy.price) == (False, 0, stall.product.price)
    assert copy.name.endswith("(bản sao)") and copy.slug != stall.product.slug
    [copied] = copy.images.all()
    assert copied.image.name != photo.image.name
    photo.delete()
    assert default_storage.exists(copied.image.name)
    assert all(default_storage.exists(n) for n in copied.image_meta["renditions"].values())


def test_delete_removes_a_product_nobody_ordered(owner_client, stall):
    """A product without orders is deleted after the confirmation page."""
    assert owner_client.get(f"/dashboard/products/{stall.product.pk}/delete/").status_code == 200
    owner_client.post(f"/dashboard/products/{stall.product.pk}/delete/")
    assert not Product.objects.filter(pk=stall.product.pk).exists()


def test_delete_archives_a_product_with_orders_and_it_can_come_back(owner_client, stall):
    """A product somebody ordered is archived (off the market) instead, and can be restored."""
    OrderItemFactory(product=stall.product, cooperative_order__cooperative=stall.cooperative)
    page = owner_client.get(f"/dashboard/products/{stall.product.pk}/delete/").content.decode()
    assert "lưu trữ thay vì xoá" in page
    response = owner_client.post(f"/dashboard/products/{stall.product.pk}/delete/", follow=True)
    assert "lưu trữ thay vì xoá" in response.content.decode()
    stall.product.refresh_from_db()
    assert stall.product.is_archived and not stall.product.is_published
    assert stall.product.name not in owner_client.get("/products/").content.decode()
    assert stall.product.name in owner_client.get("/dashboard/products/?show=archived").content.decode()
    owner_client.post(f"/dashboard/products/{stall.product.pk}/restore/")
    stall.product.refresh_from_db()
    assert not stall.product.is_archived


def test_listing_queries_do_not_grow_with_rows(owner_client, stall):
    """The product list costs the same number of queries for 1 and for 10 products with photos."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert owner_client.get("/dashboard/products/").status_code == 200
        return len(captured)

    ProductImageFactory(product=stall.product)
    one = queries()
    for _ in range(9):
        ProductImageFactory(product=ProductFactory(cooperative=stall.cooperative))
    assert queries() == one
    # 11 since each row shows the posts made with the post kit beside its poster scans.
    assert one <= 11


def test_profile_saves_bank_details_in_their_normal_form(owner_client, stall):
    """The owner's bank account number and name are stored as digits and upper-case ASCII."""
    data = {
        "name": stall.cooperative.name,
        "province": "08",
        "phone": "0912.345.678",
        "bank_bin": "970418",
        "bank_account_number": "0011 0012 34567",
        "bank_account_name": "Htx Chè Lũng Phìn",
        "shipping_fee": "25.000",
        "free_shipping_threshold": "",
    }
    response = owner_client.post("/dashboard/cooperative/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    stall.cooperative.refresh_from_db()
    assert stall.cooperative.bank_account_number == "0011001234567"
    assert stall.cooperative.bank_account_name == "HTX CHE LUNG PHIN"
    assert stall.cooperative.phone == "0912345678"
    assert (stall.cooperative.shipping_fee, stall.cooperative.free_shipping_threshold) == (25000, None)


def test_profile_refuses_a_bad_account_number_and_keeps_the_input(owner_client, stall):
    """Letters in the account number give a message and the form keeps what was typed."""
    data = {
        "name": "HTX Mới",
        "province": "08",
        "bank_bin": "970418",
        "bank_account_number": "12AB",
        "bank_account_name": "HTX MOI",
        "shipping_fee": "30000",
    }
    response = owner_client.post("/dashboard/cooperative/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Số tài khoản chỉ gồm chữ số" in page and 'value="12AB"' in page
    stall.cooperative.refresh_from_db()
    assert stall.cooperative.name == "HTX Chè Lũng Phìn"


def test_owner_adds_an_existing_user_as_helper_and_removes_them(owner_client, stall):
    """The owner adds an account by user name as helper, then removes it."""
    volunteer = UserFactory(username="doan.thanh.nien")
    response = owner_client.post("/dashboard/members/", {"identifier": "Doan.Thanh.Nien", "role": "helper"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=volunteer, cooperative=stall.cooperative)
    assert membership.role == Membership.Role.HELPER
    owner_client.post(f"/dashboard/members/{membership.pk}/remove/")
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_unknown_account_gets_a_plain_message(owner_client):
    """Adding someone without an account explains that the market admin creates accounts."""
    response = owner_client.post("/dashboard/members/", {"identifier": "nobody@example.vn", "role": "member"})
    assert response.status_code == 400
    assert "Không tìm thấy tài khoản này" in response.content.decode()


def test_the_last_owner_cannot_be_removed(owner_client, stall):
    """Removing the only owner is refused with a message."""
    membership = Membership.objects.get(user=stall.owner)
    response = owner_client.post(f"/dashboard/members/{membership.pk}/remove/", follow=True)
    assert "chủ gian hàng cuối cùng" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_person_in_two_cooperatives_picks_one_and_sees_only_its_products(client):
    """A helper of two stalls is asked which one, then sees only that stall's products."""
    helper = UserFactory()
    first, second = CooperativeFactory(name="HTX Một"), CooperativeFactory(name="HTX Hai")
    for cooperative in (first, second):
        MembershipFactory(user=helper, cooperative=cooperative, role="helper")
    ProductFactory(cooperative=first, name="Chè của HTX Một")
    ProductFactory(cooperative=second, name="Quế của HTX Hai")
    client.force_login(helper)
    response = client.get("/dashboard/products/")
    assert response.status_code == 302 and response.url.startswith("/dashboard/choose/")
    client.post("/dashboard/choose/", {"cooperative": second.pk, "next": "/dashboard/products/"})
    page = client.get("/dashboard/products/").content.decode()
    assert "Quế của HTX Hai" in page and "Chè của HTX Một" not in page


def test_link_to_a_product_of_my_other_cooperative_switches_to_it(client):
    """Opening my other stall's product switches the dashboard to that stall instead of 404."""
    helper = UserFactory()
    first, second = CooperativeFactory(), CooperativeFactory()
    MembershipFactory(user=helper, cooperative=first, role="helper")
    MembershipFactory(user=helper, cooperative=second, role="helper")
    product = ProductFactory(cooperative=second)
    client.force_login(helper)
    client.post("/dashboard/choose/", {"cooperative": first.pk})
    assert client.get(f"/dashboard/products/{product.pk}/").status_code == 200
    assert client.session["dashboard_cooperative_id"] == second.pk


def test_new_product_form_starts_from_the_cooperative_origin(owner_client, stall):
    """The add form suggests the cooperative's province, commune and people."""
    CategoryFactory()
    form = owner_client.get("/dashboard/products/new/").context["form"]
    assert form.initial["origin_province"] == stall.cooperative.province
    assert form.initial["ethnic_group"] == stall.cooperative.ethnic_groups


def test_product_form_refuses_a_price_above_the_maximum(owner_client, stall):
    """A price over 100,000,000 ₫ is a form error with a message, never a database error."""
    response = owner_client.post(
        "/dashboard/products/new/", product_data(name="Chè quá đắt", price="5.000.000.000")
    )
    assert response.status_code == 400
    assert "Giá tối đa là 100.000.000 đ" in response.content.decode()
    assert not Product.objects.filter(name="Chè quá đắt").exists()


def test_quick_row_form_refuses_a_price_above_the_maximum(owner_client, stall):
    """The listing row refuses a price over 100,000,000 ₫ with the same message."""
    pk = stall.product.pk
    response = owner_client.post(
        f"/dashboard/products/{pk}/quick/", {f"p{pk}-price": "3.000.000.000", f"p{pk}-stock": "7"}
    )
    assert response.status_code == 400
    assert "Giá tối đa là 100.000.000 đ" in response.content.decode()
    stall.product.refresh_from_db()
    assert stall.product.price == 100000


def shown_stock(page: str, name: str = "stock_shown") -> str:
    return re.search(rf'name="{name}" value="(\d+)"', page).group(1)


def edit_data(product, page: str, **overrides) -> dict:
    """The edit form as the producer's browser sends it back, hidden stock_shown included."""
    data = product_data(
        category=product.category,
        name=product.name,
        price=str(product.price),
        stock=str(product.stock),
        stock_shown=shown_stock(page),
    )
    data.update(overrides)
    return data


@pytest.fixture
def ten_in_stock(stall):
    stall.product.stock = 10
    stall.product.save()
    return stall.product


def test_saving_the_form_unchanged_keeps_stock_sold_meanwhile(owner_client, ten_in_stock):
    """Form drawn with 10, an order takes 3, the producer saves only the story: stock stays 7."""
    from tests.factories import placed_order

    product = ten_in_stock
    page = owner_client.get(f"/dashboard/products/{product.pk}/").content.decode()
    data = edit_data(product, page, story="Câu chuyện mới.")
    placed_order({product: 3})
    response = owner_client.post(f"/dashboard/products/{product.pk}/", data)
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.stock, product.story) == (7, "Câu chuyện mới.")


def test_a_stock_change_is_added_to_what_is_left_and_said(owner_client, ten_in_stock):
    """Form drawn with 10, an order takes 3, the producer types 15: stock is 12, with a note why."""
    from tests.factories import placed_order

    product = ten_in_stock
    page = owner_client.get(f"/dashboard/products/{product.pk}/").content.decode()
    data = edit_data(product, page, stock="15")
    placed_order({product: 3})
    response = owner_client.post(f"/dashboard/products/{product.pk}/", data, follow=True)
    product.refresh_from_db()
    assert product.stock == 12
    assert "kho bây giờ là 12" in response.content.decode()


def test_typing_zero_stock_means_sold_out_even_after_orders(owner_client, ten_in_stock):
    """Form drawn with 10, an order takes 3, the producer types 0: stock is 0, never negative."""
    from tests.factories import placed_order

    product = ten_in_stock
    page = owner_client.get(f"/dashboard/products/{product.pk}/").content.decode()
    data = edit_data(product, page, stock="0")
    placed_order({product: 3})
    owner_client.post(f"/dashboard/products/{product.pk}/", data)
    product.refresh_from_db()
    assert product.stock == 0


def test_quick_row_keeps_stock_sold_meanwhile_and_applies_changes(owner_client, ten_in_stock):
    """The listing row: unchanged stock leaves sales alone; 10 → 15 after 3 sold gives 12."""
    from tests.factories import placed_order

    product, pk = ten_in_stock, ten_in_stock.pk
    page = owner_client.get("/dashboard/products/").content.decode()
    shown = shown_stock(page, f"p{pk}-stock_shown")
    assert shown == "10"
    placed_order({product: 3})
    row = {f"p{pk}-price": "95.000", f"p{pk}-stock_shown": shown, f"p{pk}-is_published": "on"}
    owner_client.post(f"/dashboard/products/{pk}/quick/", {**row, f"p{pk}-stock": "10"})
    product.refresh_from_db()
    assert (product.price, product.stock) == (95000, 7)

    page = owner_client.get("/dashboard/products/").content.decode()
    row[f"p{pk}-stock_shown"] = shown_stock(page, f"p{pk}-stock_shown")
    placed_order({product: 2})
    owner_client.post(f"/dashboard/products/{pk}/quick/", {**row, f"p{pk}-stock": "12"})
    product.refresh_from_db()
    assert product.stock == 10


@pytest.mark.parametrize("typed", ["1000001", "99999999999"])
def test_product_form_refuses_stock_above_the_maximum(owner_client, stall, typed):
    """Stock over 1,000,000 gets one clear message on every database, and nothing is saved."""
    response = owner_client.post("/dashboard/products/new/", product_data(name="Chè nhiều", stock=typed))
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("Kho tối đa là 1.000.000") == 1
    assert not Product.objects.filter(name="Chè nhiều").exists()


@pytest.mark.parametrize("row", [{"alt_text": "Ảnh giả"}, {"alt_text": "Ảnh giả", "order": "1"}])
def test_a_crafted_extra_photo_row_creates_nothing(owner_client, stall, row):
    """A POST claiming one new photo row (TOTAL_FORMS=1, INITIAL_FORMS=0) never makes a photo or a 500."""
    product = stall.product
    data = product_data(
        category=product.category, name=product.name, price="100.000", stock=str(product.stock)
    )
    data.update({"photo-TOTAL_FORMS": "1", "photo-INITIAL_FORMS": "0"})
    data.update({f"photo-0-{key}": value for key, value in row.items()})
    response = owner_client.post(f"/dashboard/products/{product.pk}/", data)
    assert response.status_code == 302
    assert not ProductImage.objects.exists()


def test_quick_row_mistake_then_fix_goes_back_to_the_filtered_list(owner_client, stall):
    """A mistake in a filtered list, then the fix: saved, back to the list with the filter kept."""
    pk = stall.product.pk
    listing = "/dashboard/products/?show=published"
    page = owner_client.get(listing).content.decode()
    back = re.search(r'name="next" value="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert back == listing
    row = {f"p{pk}-price": "95.000", f"p{pk}-is_published": "on", "next": back}

    response = owner_client.post(f"/dashboard/products/{pk}/quick/", {**row, f"p{pk}-stock": "-3"})
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r'name="next" value="([^"]+)"', page).group(1) == listing
    assert 'href="/dashboard/products/?show=hidden"' in page
    assert 'href="/dashboard/products/?show=published" aria-current="page"' in page
    assert "/quick/?" not in page

    response = owner_client.post(f"/dashboard/products/{pk}/quick/", {**row, f"p{pk}-stock": "7"})
    assert response.status_code == 302
    assert response["Location"] == f"{listing}#product-{pk}"
    stall.product.refresh_from_db()
    assert (stall.product.price, stall.product.stock) == (95000, 7)


def test_quick_row_mistake_keeps_the_page_of_the_list(owner_client, stall):
    """The list drawn after a mistake is the page the producer was on, with page links to the list."""
    for _ in range(25):
        ProductFactory(cooperative=stall.cooperative)
    product = Product.objects.filter(cooperative=stall.cooperative).order_by("updated_at", "id").first()
    pk = product.pk
    assert f"product-{pk}" in owner_client.get("/dashboard/products/?page=2").content.decode()
    response = owner_client.post(
        f"/dashboard/products/{pk}/quick/",
        {f"p{pk}-price": "95.000", f"p{pk}-stock": "-3", "next": "/dashboard/products/?page=2"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="product-{pk}"' in page
    assert 'href="/dashboard/products/?page=1"' in page


def test_product_form_names_empty_price_and_stock(owner_client, stall):
    """Empty price and stock each get a message with an example, not "Trường này là bắt buộc."."""
    response = owner_client.post(
        "/dashboard/products/new/", product_data(name="Chè trống", price="", stock="")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Hãy nhập giá bán, ví dụ 250000." in page
    assert "Hãy nhập số lượng trong kho, ví dụ 20." in page
    assert "Trường này là bắt buộc" not in page


def test_negative_stock_is_refused_in_plain_words(owner_client, stall):
    """A negative stock, in the full form or the listing row, says stock cannot be negative."""
    response = owner_client.post("/dashboard/products/new/", product_data(name="Chè âm", stock="-3"))
    assert "Số lượng trong kho không thể âm." in response.content.decode()
    assert "Đảm bảo giá trị" not in response.content.decode()
    pk = stall.product.pk
    response = owner_client.post(
        f"/dashboard/products/{pk}/quick/", {f"p{pk}-price": "100000", f"p{pk}-stock": "-1"}
    )
    assert response.status_code == 400
    assert "Số lượng trong kho không thể âm." in response.content.decode()
    assert not Product.objects.filter(name="Chè âm").exists()


def form_token(response) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


def test_the_same_add_form_sent_twice_makes_one_product(owner_client, stall):
    """The reply to "Thêm sản phẩm" is lost on a weak link and the producer taps again: the second
    submit opens the product the first one made, says so, and makes no copy (nor a second photo)."""
    token = form_token(owner_client.get("/dashboard/products/new/"))
    data = product_data(name="Mật ong bạc hà", form_token=token, photos=[jpeg_upload("mat-ong.jpg")])
    first = owner_client.post("/dashboard/products/new/", data)
    assert first.status_code == 302
    again = product_data(name="Mật ong bạc hà", form_token=token, photos=[jpeg_upload("mat-ong.jpg")])
    response = owner_client.post("/dashboard/products/new/", again, follow=True)
    product = Product.objects.get(name="Mật ong bạc hà")
    assert Product.objects.filter(cooperative=stall.cooperative, name="Mật ong bạc hà").count() == 1
    assert product.images.count() == 1
    assert response.redirect_chain[-1][0] == f"/dashboard/products/{product.pk}/"
    assert "đã được thêm ở lần bấm trước" in response.content.decode()
    other = owner_client.get("/dashboard/products/new/")
    assert form_token(other) != token


def test_the_same_edit_sent_twice_changes_the_stock_once(owner_client, stall):
    """A double tap on Save of a stock edit (20 → 25) adds 5 once; a second edit adds again."""
    product = stall.product
    product.stock = 20
    product.save()
    page = owner_client.get(f"/dashboard/products/{product.pk}/")
    data = product_data(
        category=product.category,
        name=product.name,
        stock="25",
        stock_shown="20",
        form_token=form_token(page),
    )
    for _ in range(2):
        assert owner_client.post(f"/dashboard/products/{product.pk}/", data).status_code == 302
    product.refresh_from_db()
    assert product.stock == 25
    page = owner_client.get(f"/dashboard/products/{product.pk}/")
    data = product_data(
        category=product.category,
        name=product.name,
        stock="30",
        stock_shown="25",
        form_token=form_token(page),
    )
    owner_client.post(f"/dashboard/products/{product.pk}/", data)
    product.refresh_from_db()
    assert product.stock == 30


def test_a_new_photo_s_renditions_are_a_job_and_the_page_shows_the_master_meanwhile(
    owner_client, stall, django_capture_on_commit_callbacks
):
    """Saving the form stores the cleaned photo and answers; the renditions and the share picture
    come from a background job after the commit. Until then the product page shows the master;
    the job run twice makes them once."""
    from products import tasks

    data = product_data(category=stall.product.category, name=stall.product.name)
    data["photos"] = [jpeg_upload("nuong-che.jpg", size=(1600, 1200))]
    response = owner_client.post(f"/dashboard/products/{stall.product.pk}/", data)
    assert response.status_code == 302
    image = stall.product.images.get()
    assert image.photo.by_width == {} and image.photo.share is None
    assert (image.photo.width, image.photo.height) == (1600, 1200)
    page = owner_client.get(stall.product.get_absolute_url()).content.decode()
    assert f'src="/media/{image.image.name}"' in page
    tasks.photo_renditions.call_local(image.pk)
    image.refresh_from_db()
    made = image.photo
    assert sorted(made.by_width) == [160, 280, 360, 540, 720, 1200] and made.share.width == 1200
    tasks.photo_renditions.call_local(image.pk)
    image.refresh_from_db()
    assert image.photo == made
    assert all(default_storage.exists(name) for name in made.names(image.image.name))


def test_a_photo_placed_past_99_elsewhere_still_lets_the_form_save(owner_client, stall):
    """The admin may put a photo at position 150; the producer's form, sent back as drawn, still
    saves (it once refused the order field the form itself had filled in, past its 99)."""
    product = stall.product
    photo = ProductImageFactory(product=product, position=150)
    page = owner_client.get(f"/dashboard/products/{product.pk}/").content.decode()
    drawn = dict(re.findall(r'<input[^>]*name="(photo-[^"]+)"[^>]*value="([^"]*)"', page))
    assert drawn["photo-0-id"] == str(photo.pk)
    data = {**edit_data(product, page, story="Câu chuyện mới."), **drawn}
    response = owner_client.post(f"/dashboard/products/{product.pk}/", data)
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.story == "Câu chuyện mới." and product.images.get().position == 0
