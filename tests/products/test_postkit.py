"""The post kit: its pictures (diacritics, size, shape, QR code), captions, who may use it, the
pictures drawn once, and the posts it counts."""

import io
import random

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageStat

from products import postkit, selectors, services, tasks
from products.models import PostMade
from storefront.lib.text import ascii_fold
from tests.dashboard import make_stall
from tests.factories import (
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
)
from tests.products.test_posters import needs_zbar, scan

pytestmark = pytest.mark.django_db

SITE = "https://chophien.example"
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ₫"


def photo_upload(size=(1600, 1200)):
    """A photo-like JPEG (gradients and grain), far harder to compress than a flat colour."""
    rng = random.Random(7)
    image = Image.radial_gradient("L").resize(size).convert("RGB")
    noise = Image.effect_noise(size, 40).convert("RGB")
    image = ImageChops.blend(image, noise, 0.35)
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        draw.ellipse(
            (x, y, x + 120, y + 90), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256))
        )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    """Each test its own media folder: product ids repeat between tests, and so would post files."""
    settings.MEDIA_ROOT = str(tmp_path)


def stall_with(stall_name: str, **product_fields):
    stall = make_stall(stall_name)
    for field, value in product_fields.items():
        setattr(stall.product, field, value)
    stall.product.save()
    return stall


@pytest.fixture
def stall():
    return stall_with(
        "HTX Mật ong Đắk Lắk",
        name="Mật ong bạc hà Mèo Vạc",
        slug="mat-ong-bac-ha",
        price=450000,
        unit="chai 500 ml",
        origin_province="08",
        story="Ong lấy mật hoa bạc hà trên cao nguyên đá.\n\nMỗi chai được lọc bằng tay.",
        category=CategoryFactory(name="Mật ong và đồ ngọt"),
        ethnic_group="H'Mông",
    )


def kit_url(product) -> str:
    return f"/dashboard/products/{product.pk}/post/"


def stored(subject, shape: str, *, preview: bool = False) -> bytes:
    with default_storage.open(f"{subject.folder}/{subject.file_name(shape, preview=preview)}") as f:
        return f.read()


def subject_now(product):
    return postkit.subject_of("product", product.pk)


def reference(placed: postkit.Placed, text: str) -> Image.Image:
    """`text` drawn by Pillow straight from the committed font file where the post drew its line,
    framed like `region` (the post's own line's box, so a mark left out is inside the frame)."""
    face = ImageFont.truetype(str(postkit.BOLD if placed.bold else postkit.REGULAR), placed.size)
    left, top, right, bottom = face.getbbox(placed.text)
    image = Image.new("RGB", (right - left + 8, bottom - top + 8), placed.background)
    ImageDraw.Draw(image).text((4 - left, 4 - top), text, font=face, fill=placed.fill)
    return image


def region(post: Image.Image, placed: postkit.Placed) -> Image.Image:
    face = ImageFont.truetype(str(postkit.BOLD if placed.bold else postkit.REGULAR), placed.size)
    left, top, right, bottom = face.getbbox(placed.text)
    return post.crop((placed.x + left - 4, placed.y + top - 4, placed.x + right + 4, placed.y + bottom + 4))


def difference(a: Image.Image, b: Image.Image) -> int:
    """Pixels that differ by more than a third of full contrast: a missing or misplaced mark makes
    dozens, JPEG's softening of the letters' edges almost none."""
    changed = ImageChops.difference(a.convert("L"), b.convert("L")).point(lambda v: 255 if v > 85 else 0)
    return ImageStat.Stat(changed).sum[0] // 255


def test_the_shipped_font_has_every_vietnamese_letter():
    """Every letter with its marks (and ₫) has a glyph of its own, not the font's empty box."""
    for path in (postkit.BOLD, postkit.REGULAR):
        face = ImageFont.truetype(str(path), 40)

        def mask(char, face=face):
            image = Image.new("L", (80, 80))
            ImageDraw.Draw(image).text((10, 10), char, font=face, fill=255)
            return image.tobytes()

        missing = mask("\ue000")
        assert [c for c in VIETNAMESE + VIETNAMESE.upper() if mask(c) == missing] == []
    assert (postkit.FONTS / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE") == 1


@override_settings(SITE_URL=SITE)
def test_post_pictures_show_the_name_with_its_diacritics(client, stall):
    """Each line of Vietnamese in the stored JPEG matches the same words drawn from the font file,
    and differs clearly from them drawn without their marks."""
    client.force_login(stall.owner)
    assert client.get(kit_url(stall.product)).status_code == 200
    subject = subject_now(stall.product)
    for shape in postkit.SHAPES:
        post = Image.open(io.BytesIO(stored(subject, shape))).convert("RGB")
        placed = postkit.draw(subject, shape).texts
        title = " ".join(p.text for p in placed if p.bold and p.fill == postkit.INK)
        assert title == "Mật ong bạc hà Mèo Vạc"
        assert {"HTX Mật ong Đắk Lắk", "450.000\u00a0₫", "Quét để đặt mua"} <= {p.text for p in placed}
        checked = 0
        for line in placed:
            bare = ascii_fold(line.text, keep_case=True)
            if bare == line.text or line.background != postkit.PAPER:
                continue
            same = difference(region(post, line), reference(line, line.text))
            without_marks = difference(region(post, line), reference(line, bare))
            # Measured: 0 pixels for the same words, 80 to 1,229 for the words without their marks.
            assert same <= 10, (shape, line.text, same)
            assert without_marks >= 40, (shape, line.text, without_marks)
            checked += 1
        assert checked >= 3


@override_settings(SITE_URL=SITE)
def test_pictures_are_jpegs_of_the_two_sizes_under_250_kb(client, stall):
    """With a detailed camera photo, each picture is a 1080 px wide JPEG under about 250 KB."""
    ProductImageFactory(product=stall.product, image=photo_upload())
    client.force_login(stall.member)
    client.get(kit_url(stall.product))
    subject = subject_now(stall.product)
    assert subject.photo
    for shape, size in (("square", (1080, 1080)), ("portrait", (1080, 1350))):
        data = stored(subject, shape)
        image = Image.open(io.BytesIO(data))
        assert (image.format, image.size) == ("JPEG", size)
        assert len(data) <= 250_000, (shape, len(data))
        preview = Image.open(io.BytesIO(stored(subject, shape, preview=True)))
        assert preview.format == "WEBP" and preview.width == 360


@needs_zbar
@override_settings(SITE_URL=SITE)
def test_the_qr_code_opens_the_product_page_marked_as_a_post(client, stall):
    client.force_login(stall.owner)
    client.get(kit_url(stall.product))
    subject = subject_now(stall.product)
    for shape in postkit.SHAPES:
        buffer = io.BytesIO()
        Image.open(io.BytesIO(stored(subject, shape))).save(buffer, "PNG")
        assert scan(buffer.getvalue()) == f"{SITE}/products/mat-ong-bac-ha/?utm_source=post&utm_medium=qr"


@needs_zbar
@override_settings(SITE_URL=SITE)
def test_the_stall_post_shows_its_place_and_products_and_opens_the_stall(client, stall):
    ProductFactory(cooperative=stall.cooperative)
    ProductFactory(cooperative=stall.cooperative, is_published=False)
    client.force_login(stall.helper)
    response = client.get("/dashboard/post/")
    assert response.status_code == 200
    subject = postkit.subject_of("stall", stall.cooperative.pk)
    assert subject.highlight == "2 sản phẩm"
    buffer = io.BytesIO()
    Image.open(io.BytesIO(stored(subject, "portrait"))).save(buffer, "PNG")
    assert (
        scan(buffer.getvalue())
        == f"{SITE}{stall.cooperative.get_absolute_url()}?utm_source=post&utm_medium=qr"
    )
    assert "Xem gian hàng: " in response.content.decode()


@override_settings(SITE_URL=SITE)
def test_captions_hold_name_price_story_link_and_hashtags(client, stall):
    stall.product.ocop_stars = 4
    stall.product.save()
    client.force_login(stall.owner)
    page = client.get(kit_url(stall.product)).content.decode()
    subject = subject_now(stall.product)
    zalo, facebook = postkit.caption(subject, "zalo"), postkit.caption(subject, "facebook")
    assert zalo.splitlines()[0] == "Mật ong bạc hà Mèo Vạc"
    assert "Giá: 450.000\u00a0₫ / chai 500 ml" in zalo
    assert "Ong lấy mật hoa bạc hà trên cao nguyên đá." in zalo
    assert "Mỗi chai" not in zalo, "only the story's first lines"
    assert "Của HTX Mật ong Đắk Lắk" in zalo
    assert f"{SITE}/products/mat-ong-bac-ha/?utm_source=zalo&utm_medium=post" in zalo
    assert f"{SITE}/products/mat-ong-bac-ha/?utm_source=facebook&utm_medium=post" in facebook
    assert zalo.splitlines()[-1] == "#ChoPhien #DacSanTuyenQuang #MatOng #DoNgot #HMong"
    assert 'id="caption-zalo"' in page and "utm_source=zalo" in page
    assert "utm_source=facebook" in page


def test_hashtags_are_folded_capitalised_and_few():
    assert postkit.hashtag("TP Hồ Chí Minh") == "#TPHoChiMinh"
    assert postkit.hashtag("Đắk Lắk") == "#DakLak"
    assert postkit.hashtag("H'Mông") == "#HMong"
    tags = postkit.hashtags(
        province="Lạng Sơn", categories="Gạo, miến và các loại hạt", peoples="Tày, Nùng", ocop=True
    )
    assert tags == ("#ChoPhien", "#DacSanLangSon", "#Gao", "#Mien", "#Tay")
    assert postkit.hashtags(province="", categories="Chè") == ("#ChoPhien", "#Che")


@override_settings(SITE_URL=SITE)
def test_a_long_name_is_wrapped_then_ellipsised(client):
    stall = stall_with(
        "HTX Chè " + "Shan tuyết " * 8,
        name="Chè Shan tuyết cổ thụ Lũng Phìn hái tay từ những cây chè trăm năm tuổi trên đỉnh núi đá",
    )
    client.force_login(stall.owner)
    client.get(kit_url(stall.product))
    subject = subject_now(stall.product)
    square = postkit.draw(subject, "square").texts
    title = [p for p in square if p.bold and p.y > 688 and p.fill == postkit.INK]
    assert len(title) == 2 and title[-1].text.endswith("…")
    footer = [p for p in square if p.text.startswith("HTX Chè")]
    assert footer[0].text.endswith("…")
    for placed in square:
        face = postkit.font(placed.bold, placed.size)
        assert placed.x + face.getlength(placed.text) <= 1080, placed.text


@override_settings(SITE_URL=SITE)
def test_a_product_without_a_photo_gets_the_brocade_card_with_its_province(client, stall):
    client.force_login(stall.owner)
    client.get(kit_url(stall.product))
    subject = subject_now(stall.product)
    assert subject.photo == ""
    post = Image.open(io.BytesIO(stored(subject, "portrait"))).convert("RGB")
    band = [p.text for p in postkit.draw(subject, "portrait").texts if p.background == postkit.BRAND_DARK]
    assert band == ["Đặc sản", "Tuyên Quang"]
    r, g, b = post.getpixel((540, 100))
    assert g > r + 20 and g > b + 20, "the photo's place is the brand green"


def test_another_stalls_product_answers_404_everywhere(client, stall):
    other = make_stall(name="HTX Khác")
    client.force_login(stall.owner)
    pk = other.product.pk
    assert client.get(f"/dashboard/products/{pk}/post/").status_code == 404
    assert client.get(f"/dashboard/products/{pk}/post/files/0123456789abcdef-square.jpg").status_code == 404
    assert (
        client.post(f"/dashboard/products/{pk}/post/square/download/", {"token": "a" * 24}).status_code == 404
    )
    made = {"token": "b" * 24, "shape": "square", "channel": "zalo"}
    assert client.post(f"/dashboard/products/{pk}/post/made/", made).status_code == 404
    assert not PostMade.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, stall):
    response = client.get(kit_url(stall.product))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_every_role_may_make_posts(client, stall):
    for user in (stall.owner, stall.member, stall.helper):
        client.force_login(user)
        assert client.get(kit_url(stall.product)).status_code == 200
        assert client.get("/dashboard/post/").status_code == 200


def test_pictures_are_drawn_once_and_again_when_the_price_changes(client, stall, monkeypatch):
    drawn = []
    real = postkit.draw
    monkeypatch.setattr(postkit, "draw", lambda subject, shape: drawn.append(shape) or real(subject, shape))
    client.force_login(stall.owner)
    client.get(kit_url(stall.product))
    assert sorted(drawn) == ["portrait", "square"]
    first = subject_now(stall.product)

    page = client.get(kit_url(stall.product)).content.decode()
    assert len(drawn) == 2, "the second visit draws nothing"
    preview = f"/dashboard/products/{stall.product.pk}/post/files/{first.file_name('portrait', preview=True)}"
    assert preview in page
    assert client.get(preview)["Content-Type"] == "image/webp"

    stall.product.price = 480000
    stall.product.save()
    client.get(kit_url(stall.product))
    assert len(drawn) == 4
    second = subject_now(stall.product)
    assert second.key != first.key
    _dirs, files = default_storage.listdir(first.folder)
    assert sorted(files) == sorted(name.rsplit("/", 1)[1] for name in second.stored_names())


def test_renaming_the_stall_gives_new_pictures(client, stall):
    client.force_login(stall.owner)
    client.get(kit_url(stall.product))
    before = subject_now(stall.product).key
    stall.cooperative.name = "HTX Mật ong Mèo Vạc"
    stall.cooperative.save()
    assert subject_now(stall.product).key != before


def test_the_kit_waits_for_the_job_while_pictures_are_being_drawn(client, stall, monkeypatch):
    """A worker that has not run yet: the page says so and reloads itself, with no broken image."""
    monkeypatch.setattr(tasks, "post_images_queue", lambda subject: None)
    client.force_login(stall.owner)
    page = client.get(kit_url(stall.product)).content.decode()
    assert "Đang làm ảnh cho bài đăng" in page
    assert '<meta http-equiv="refresh" content="5">' in page
    assert "<img src=" not in page.split('class="post-kit"')[1]


def test_an_unpublished_product_has_no_post(client, stall):
    stall.product.is_published = False
    stall.product.save()
    client.force_login(stall.owner)
    page = client.get(kit_url(stall.product)).content.decode()
    assert "Bài đăng có khi sản phẩm đang bán" in page
    assert not default_storage.exists(subject_now(stall.product).stored_names()[-1])


def test_a_download_counts_once_per_tap_and_shows_on_the_dashboard(client, stall):
    client.force_login(stall.owner)
    client.get(kit_url(stall.product))
    url = f"/dashboard/products/{stall.product.pk}/post/portrait/download/"
    for _ in range(2):
        response = client.post(url, {"token": "tap-one-0123456789"})
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="mat-ong-bac-ha-1080x1350.jpg"'
        assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (1080, 1350)
    client.post(url.replace("portrait", "square"), {"token": "tap-two-0123456789"})
    assert PostMade.objects.filter(product=stall.product, channel="download").count() == 2
    row = client.get("/dashboard/products/").content.decode()
    assert "Bài đã đăng 30 ngày qua: 2" in row
    home = client.get("/dashboard/").content.decode()
    assert "Bài đã đăng 30 ngày qua: 2" in home
    assert "Đã đăng 2 lần trong 30 ngày qua." in client.get(kit_url(stall.product)).content.decode()


def test_a_share_counts_once_per_token_and_bad_taps_are_refused(client, stall):
    client.force_login(stall.member)
    url = f"/dashboard/products/{stall.product.pk}/post/made/"
    tap = {"token": "f" * 32, "shape": "square", "channel": "facebook"}
    assert client.post(url, tap).status_code == 204
    assert client.post(url, tap).status_code == 204
    assert PostMade.objects.get().channel == "facebook"
    for bad in (
        {**tap, "token": "short"},
        {**tap, "token": "<script>" * 4},
        {**tap, "channel": "download", "token": "e" * 32},
        {**tap, "shape": "round", "token": "d" * 32},
        {},
    ):
        response = client.post(url, bad)
        assert response.status_code == 400
        assert "Không ghi nhận được lượt đăng này" in response.content.decode()
    assert (
        client.post(
            f"/dashboard/products/{stall.product.pk}/post/round/download/", {"token": "c" * 24}
        ).status_code
        == 404
    )
    assert client.get(url).status_code == 405
    assert PostMade.objects.count() == 1


def test_a_stall_post_counts_as_the_stalls_own(client, stall):
    client.force_login(stall.owner)
    client.get("/dashboard/post/")
    assert client.post("/dashboard/post/square/download/", {"token": "s" * 24}).status_code == 200
    row = PostMade.objects.get()
    assert row.product_id is None and row.cooperative_id == stall.cooperative.pk
    assert "(bài gian hàng: 1)" in client.get("/dashboard/").content.decode()


def test_a_download_of_pictures_being_redrawn_counts_nothing_and_goes_back(client, stall, monkeypatch):
    client.force_login(stall.owner)
    client.get(kit_url(stall.product))
    monkeypatch.setattr(tasks, "post_images_queue", lambda subject: None)
    stall.product.name = "Mật ong bạc hà"
    stall.product.save()
    response = client.post(
        f"/dashboard/products/{stall.product.pk}/post/square/download/", {"token": "r" * 24}
    )
    assert response.status_code == 302 and response["Location"] == kit_url(stall.product)
    assert not PostMade.objects.exists()


def test_file_names_outside_the_posts_are_not_served(client, stall):
    client.force_login(stall.owner)
    client.get(kit_url(stall.product))
    base = f"/dashboard/products/{stall.product.pk}/post/files/"
    for name in ("..%2F..%2Fsecret.jpg", "photo.jpg", "0123456789abcdef-square.jpg"):
        assert client.get(base + name).status_code == 404


def test_posts_counted_are_those_of_the_last_30_days(stall):
    services.post_made_record(
        cooperative_id=stall.cooperative.pk,
        product_id=stall.product.pk,
        shape="square",
        channel="zalo",
        token="o" * 20,
    )
    services.post_made_record(
        cooperative_id=stall.cooperative.pk, product_id=None, shape="square", channel="zalo", token="n" * 20
    )
    PostMade.objects.filter(token="o" * 20).update(created_at=timezone.now() - timezone.timedelta(days=31))
    totals = selectors.post_made_totals(cooperative=stall.cooperative, product_ids=[stall.product.pk])
    assert totals == {"total": 1, "stall": 1}


def test_the_kit_page_reads_a_constant_number_of_queries(client, stall, django_assert_max_num_queries):
    for _ in range(3):
        ProductImageFactory(product=stall.product)
    client.force_login(stall.owner)
    client.get(kit_url(stall.product))
    with django_assert_max_num_queries(10):
        assert client.get(kit_url(stall.product)).status_code == 200


def test_deleting_a_product_deletes_its_post_pictures(client, stall, django_capture_on_commit_callbacks):
    client.force_login(stall.owner)
    client.get(kit_url(stall.product))
    names = postkit.stored_files("product", stall.product.pk)
    assert len(names) == 4
    with django_capture_on_commit_callbacks(execute=True):
        stall.product.delete()
    assert not any(default_storage.exists(name) for name in names)
