"""One photo at a time to /dashboard/products/photos/, then the form with the photos' tokens."""

import io
import json

import pytest
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from PIL import Image

from products import uploads
from products.models import Product
from tests.dashboard import make_stall, product_data
from tests.factories import CooperativeFactory, MembershipFactory, UserFactory, jpeg_upload
from tests.products.test_images import phone_photo

pytestmark = pytest.mark.django_db

URL = "/dashboard/products/photos/"


@pytest.fixture
def stall():
    return make_stall()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client, upload, url=URL):
    response = client.post(url, {"photo": upload})
    return response, json.loads(response.content) if response["Content-Type"] == "application/json" else None


def pending_files() -> set[str]:
    return set(default_storage.listdir("pending")[1]) if default_storage.exists("pending") else set()


def test_every_role_sends_a_photo_and_gets_a_token_for_a_clean_upright_copy(stall):
    """Owner, member and helper all manage products: each gets a token whose photo is upright and
    carries no EXIF (no GPS of the home), and a preview to show."""
    for user in (stall.owner, stall.member, stall.helper):
        response, answer = send(signed_in(user), phone_photo())
        assert response.status_code == 200
        assert answer["name"] == "IMG_0001.jpg"
        photo = uploads.pending_load(answer["token"], user_id=user.pk, cooperative_id=stall.cooperative.pk)
        with default_storage.open(photo.name) as stored:
            image = Image.open(stored)
            image.load()
        assert image.size == (300, 400)
        assert not image.getexif()
        assert answer["preview"] == photo.preview_url and default_storage.exists(
            photo.name.removesuffix(".webp") + "-preview.webp"
        )


def test_the_same_photo_sent_again_is_the_same_pending_photo(stall):
    """A phone retrying after a lost answer gets the photo it already sent, not a second file."""
    client = signed_in(stall.owner)
    _, first = send(client, phone_photo())
    after_first = pending_files()
    _, again = send(client, phone_photo())
    assert pending_files() == after_first
    load = {"user_id": stall.owner.pk, "cooperative_id": stall.cooperative.pk}
    assert (
        uploads.pending_load(first["token"], **load).name == uploads.pending_load(again["token"], **load).name
    )


def test_a_form_sent_with_the_tokens_saves_the_product_once_with_each_photo_once(
    stall, django_capture_on_commit_callbacks
):
    """Two photos sent one by one, the second twice (a retry), then the form sent twice (a lost
    reply): one product with exactly the two photos, and no pending file left."""
    client = signed_in(stall.owner)
    tokens = [send(client, phone_photo())[1]["token"]]
    second = jpeg_upload("IMG_0002.jpg", colour=(200, 40, 40))
    tokens += [
        send(client, second)[1]["token"],
        send(client, jpeg_upload("IMG_0002.jpg", colour=(200, 40, 40)))[1]["token"],
    ]
    data = product_data(name="Chè búp hai ảnh", pending=tokens, form_token="a" * 32)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/dashboard/products/new/", data).status_code == 302
        assert client.post("/dashboard/products/new/", data).status_code == 302
    product = Product.objects.get(name="Chè búp hai ảnh")
    assert product.images.count() == 2
    for token in tokens:
        assert (
            uploads.pending_load(token, user_id=stall.owner.pk, cooperative_id=stall.cooperative.pk) is None
        )


@override_settings(MAX_UPLOAD_MB=1)
@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (
            SimpleUploadedFile("notes.jpg", b"this is not a photo", content_type="image/jpeg"),
            "không phải ảnh",
        ),
        (SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg"), "Tệp ảnh trống"),
        (None, "Hãy chọn một ảnh"),
        ("big", "Ảnh quá lớn"),
        ("gif", "Chỉ nhận ảnh JPEG"),
    ],
)
def test_a_bad_file_is_refused_with_a_plain_message_and_nothing_is_kept(stall, upload, words):
    """Not a photo, empty, missing, too large, or a format we do not take: 400 with what is wrong."""
    if upload == "big":
        buffer = io.BytesIO()
        Image.effect_noise((1200, 1200), 120).convert("RGB").save(buffer, "PNG")
        upload = SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")
    elif upload == "gif":
        buffer = io.BytesIO()
        Image.new("RGB", (10, 10)).save(buffer, "GIF")
        upload = SimpleUploadedFile("anim.gif", buffer.getvalue(), content_type="image/gif")
    before = pending_files()
    client = signed_in(stall.owner)
    response = client.post(URL, {"photo": upload} if upload else {})
    assert response.status_code == 400
    assert words in json.loads(response.content)["error"]
    assert pending_files() == before


def test_the_message_for_a_bad_file_is_in_english_on_the_english_dashboard(stall):
    """The script shows the server's words, so they follow the page's language."""
    response, answer = send(
        signed_in(stall.owner),
        SimpleUploadedFile("notes.jpg", b"nope", content_type="image/jpeg"),
        url="/en" + URL,
    )
    assert response.status_code == 400
    assert answer["error"].startswith("This file isn't a photo")


def test_only_a_signed_in_member_may_send_and_only_by_post(stall):
    """Signed out: to the sign-in page; no cooperative: 403; GET: 405. Nothing is kept."""
    before = pending_files()
    response = Client().post(URL, {"photo": phone_photo()})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert signed_in(UserFactory()).post(URL, {"photo": phone_photo()}).status_code == 403
    assert signed_in(stall.owner).get(URL).status_code == 405
    assert pending_files() == before


def test_a_post_without_the_csrf_token_is_refused(stall):
    client = Client(enforce_csrf_checks=True)
    client.force_login(stall.owner)
    assert client.post(URL, {"photo": phone_photo()}).status_code == 403


def test_a_token_is_refused_for_another_person_or_another_cooperative_or_when_forged(stall):
    """The token is bound to who sent the photo and which stall they worked on: another member,
    the same person on their other stall, or a token signed by someone else attaches nothing."""
    _, answer = send(signed_in(stall.owner), phone_photo())
    token = answer["token"]
    other_stall = CooperativeFactory(name="HTX Dệt Lùng Tám")
    MembershipFactory(user=stall.owner, cooperative=other_stall)
    forged = signing.dumps(
        {**signing.loads(token, salt=uploads.SALT), "u": stall.member.pk}, salt="not-the-salt", compress=True
    )

    member = signed_in(stall.member)
    member.post("/dashboard/products/new/", product_data(name="Của người khác", pending=[token]))
    member.post("/dashboard/products/new/", product_data(name="Chữ ký giả", pending=[forged]))
    owner = signed_in(stall.owner)
    owner.post("/dashboard/choose/", {"cooperative": other_stall.pk})
    owner.post("/dashboard/products/new/", product_data(name="Gian khác", pending=[token]))

    assert Product.objects.get(name="Của người khác").images.count() == 0
    assert Product.objects.get(name="Chữ ký giả").images.count() == 0
    moved = Product.objects.get(name="Gian khác")
    assert moved.cooperative == other_stall and moved.images.count() == 0


def test_the_form_page_names_its_upload_address_draft_and_saved_tokens(stall):
    """The add page points its script at the upload address, keys the phone's draft by person,
    stall and product, and lists the forms already saved so their drafts are not offered."""
    client = signed_in(stall.owner)
    client.post("/dashboard/products/new/", product_data(name="Đã thêm", form_token="b" * 32))
    page = client.get("/dashboard/products/new/").content.decode()
    assert f'data-photo-upload="{URL}"' in page
    assert f'data-draft-key="product-form:{stall.owner.pk}:{stall.cooperative.pk}:new"' in page
    assert "b" * 32 in page
    edit = client.get(f"/dashboard/products/{stall.product.pk}/").content.decode()
    assert f':{stall.product.pk}"' in edit


def test_the_photo_picker_is_a_labelled_button_and_the_stock_help_one_sentence(stall):
    """'Chụp ảnh / Chọn ảnh' is the file input's own label; the stock help is one plain sentence."""
    page = signed_in(stall.owner).get("/dashboard/products/new/").content.decode()
    assert '<label class="btn btn-lg photo-pick" for="id_photos">' in page
    assert "Chụp ảnh / Chọn ảnh" in page
    assert 'class="photo-input"' in page
    assert "Số lượng bạn còn để bán, ví dụ 20; hết hàng thì nhập 0." in page


def test_the_add_page_runs_the_same_queries_however_many_products_were_just_added(stall):
    """Listing the saved forms' tokens for the draft is one query, not one per product."""
    client = signed_in(stall.owner)
    client.get("/dashboard/products/new/")
    with CaptureQueriesContext(connection) as few:
        client.get("/dashboard/products/new/")
    for index in range(15):
        client.post("/dashboard/products/new/", product_data(name=f"Mới {index}", form_token=f"{index:032x}"))
    client.get("/dashboard/products/new/")  # shows the "added" messages, which cost queries of their own
    with CaptureQueriesContext(connection) as many:
        page = client.get("/dashboard/products/new/").content.decode()
    assert len(many) == len(few)
    assert f"{14:032x}" in page


def test_photos_past_the_limit_are_told_on_a_new_product_too(stall, django_capture_on_commit_callbacks):
    """Fourteen photos sent for a new product: twelve are attached and the page says two were left
    out, and their pending files go too."""
    client = signed_in(stall.owner)
    tokens = [
        send(client, jpeg_upload(f"IMG_{n:04}.jpg", colour=(n * 15, 80, 120)))[1]["token"] for n in range(14)
    ]
    data = product_data(name="Mười bốn ảnh", pending=tokens, form_token="c" * 32)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/dashboard/products/new/", data, follow=True)
    assert Product.objects.get(name="Mười bốn ảnh").images.count() == 12
    said = [str(m) for m in response.context["messages"]]
    assert "Mỗi sản phẩm có tối đa 12 ảnh: 2 ảnh cuối chưa được thêm." in said
    load = {"user_id": stall.owner.pk, "cooperative_id": stall.cooperative.pk}
    assert all(uploads.pending_load(token, **load) is None for token in tokens)


def test_the_form_names_the_saves_this_browser_made_and_the_products_last_edit(stall):
    """A draft typed before a save that another edit has since overtaken, or of a product since
    deleted, is recognised by this browser's own saves; the edit page names the product's last
    saved edit, so a draft typed before it is told apart."""
    client = signed_in(stall.owner)
    client.post("/dashboard/products/new/", product_data(name="Sẽ xoá", form_token="d" * 32))
    Product.objects.filter(name="Sẽ xoá").delete()
    edit = product_data(name=stall.product.name, form_token="e" * 32)
    edit.update(stock_shown=stall.product.stock, stock=stall.product.stock)
    client.post(f"/dashboard/products/{stall.product.pk}/", edit)
    Product.objects.filter(pk=stall.product.pk).update(last_edit_token="f" * 32)
    add_page = client.get("/dashboard/products/new/").content.decode()
    assert "d" * 32 in add_page
    edit_page = client.get(f"/dashboard/products/{stall.product.pk}/").content.decode()
    assert "e" * 32 in edit_page and f'data-edit-base="{"f" * 32}"' in edit_page
    assert "d" * 32 not in signed_in(stall.member).get("/dashboard/products/new/").content.decode()
