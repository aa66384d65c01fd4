import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from PIL import ExifTags, Image, ImageOps

from products import images
from products.models import ProductImage
from tests.factories import CooperativeFactory, ProductFactory, ProductImageFactory, jpeg_upload

pytestmark = pytest.mark.django_db

RED, BLUE = (220, 20, 20), (20, 20, 220)


def phone_photo() -> SimpleUploadedFile:
    """A 400×300 JPEG stored sideways (EXIF orientation 6) with the GPS position of a home."""
    image = Image.new("RGB", (400, 300), RED)
    image.paste(BLUE, (200, 0, 400, 300))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (23.0, 15.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (105.0, 20.0, 10.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif)
    return SimpleUploadedFile("IMG_0001.jpg", buffer.getvalue(), content_type="image/jpeg")


def stored(name: str) -> tuple[Image.Image, bytes]:
    with default_storage.open(name) as f:
        data = f.read()
    image = Image.open(io.BytesIO(data))
    image.load()
    return image, data


def all_files(meta: dict, master: str) -> list[str]:
    return [master, *meta["renditions"].values(), *meta["avif"].values()]


def close(colour, expected, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour[:3], expected, strict=True))


def test_phone_photo_is_stored_upright_without_metadata():
    """A sideways photo with GPS comes out upright, and no stored file keeps EXIF or GPS."""
    photo = ProductImageFactory(image=phone_photo())
    meta = photo.image_meta
    assert (meta["width"], meta["height"]) == (300, 400)
    for name in all_files(meta, photo.image.name):
        image, data = stored(name)
        assert image.format == ("AVIF" if name.endswith(".avif") else "WEBP")
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile"} & set(image.info)
        assert b"Exif" not in data and b"PhoneMaker" not in data
        assert image.height > image.width, name
        # Orientation 6 turns the left (red) half of the sensor image into the top half.
        rgb = image.convert("RGB")
        assert close(rgb.getpixel((image.width // 2, image.height // 5)), RED), name
        assert close(rgb.getpixel((image.width // 2, image.height * 4 // 5)), BLUE), name


def test_renditions_are_made_at_widths_below_the_image_width():
    """A 1000 px photo gets 160, 280, 360, 540, 720 px WebP renditions and one at its own width."""
    photo = ProductImageFactory(image=jpeg_upload(size=(1000, 750)))
    renditions = photo.image_meta["renditions"]
    assert sorted(renditions, key=int) == ["160", "280", "360", "540", "720", "1000"]
    for width, name in renditions.items():
        image, _ = stored(name)
        assert image.format == "WEBP"
        assert image.size == (int(width), round(int(width) * 0.75))


def test_each_rendition_is_also_made_in_avif_and_smaller():
    """The same widths in AVIF, for browsers that take it: the same size, fewer bytes (on a
    photograph from 360 px up: at 160 px its larger header can outweigh what it saves)."""
    # Detail at every scale, as in a photograph (a blurred gradient would flatter WebP).
    fractal = Image.effect_mandelbrot((1600, 1200), (-0.7436, 0.1318, -0.7426, 0.1326), 200)
    buffer = io.BytesIO()
    ImageOps.colorize(fractal, (20, 60, 10), (240, 200, 90), (90, 140, 200)).save(buffer, "JPEG", quality=90)
    photo = ProductImageFactory(image=SimpleUploadedFile("IMG_0002.jpg", buffer.getvalue()))
    webp, avif = photo.image_meta["renditions"], photo.image_meta["avif"]
    assert list(avif) == list(webp)
    sizes = {}
    for width in webp:
        (small, small_bytes), (other, other_bytes) = stored(avif[width]), stored(webp[width])
        assert small.format == "AVIF" and small.size == other.size
        assert not small.getexif() and "exif" not in small.info
        sizes[int(width)] = (len(small_bytes), len(other_bytes))
    assert all(avif_bytes < webp_bytes for width, (avif_bytes, webp_bytes) in sizes.items() if width >= 360)


def test_pages_offer_avif_first_and_webp_to_the_rest():
    from storefront.lib.renditions import img_html

    photo = ProductImageFactory(image=jpeg_upload(size=(1000, 750)))
    html = img_html(photo.image_meta, alt="Chè", sizes="50vw", lazy=False)
    assert html.startswith('<picture><source type="image/avif" srcset="')
    assert "-360w.avif 360w" in html and "-360w.webp 360w" in html
    assert html.count('sizes="50vw"') == 2 and html.endswith("</picture>")
    assert 'fetchpriority="high"' in html and 'loading="eager"' in html
    without = {key: value for key, value in photo.image_meta.items() if key != "avif"}
    older = img_html(without, alt="Chè", sizes="50vw")
    assert older.startswith("<img ") and "avif" not in older and "fetchpriority" not in older


def test_tiny_photo_gets_one_rendition_at_its_own_width():
    """A photo narrower than the smallest rendition is not enlarged."""
    photo = ProductImageFactory(image=jpeg_upload(size=(120, 90)))
    assert list(photo.image_meta["renditions"]) == ["120"]


def test_long_side_is_capped_at_2000():
    """A large camera photo is stored with its long side at 2000 px."""
    photo = ProductImageFactory(image=jpeg_upload(size=(2400, 1200)))
    assert (photo.image_meta["width"], photo.image_meta["height"]) == (2000, 1000)
    image, _ = stored(photo.image.name)
    assert image.size == (2000, 1000)


def test_png_with_transparency_keeps_it():
    """A transparent PNG logo is accepted and stays transparent."""
    image = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    image.paste((47, 93, 58, 255), (100, 75, 300, 225))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    cooperative = CooperativeFactory(logo=SimpleUploadedFile("logo.png", buffer.getvalue()))
    logo, _ = stored(cooperative.logo.name)
    assert logo.mode == "RGBA"
    assert logo.getpixel((5, 5))[3] == 0
    assert logo.getpixel((200, 150))[3] == 255
    assert cooperative.logo_meta["renditions"]


def test_palette_png_with_transparency_is_accepted():
    """A palette PNG with a transparent colour is converted, not refused."""
    image = Image.new("P", (200, 100), 0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=0)
    photo = ProductImageFactory(image=SimpleUploadedFile("p.png", buffer.getvalue()))
    assert stored(photo.image.name)[0].mode == "RGBA"


def bomb() -> bytes:
    """A small PNG that would decode to 144 million pixels."""
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, "PNG")
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    data = jpeg_upload(size=(400, 300)).read()
    return data[: len(data) // 2]


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30)).save(buffer, "GIF")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (b"%PDF-1.4 not a photo at all", "invalid", "không phải ảnh"),
        (b"", "invalid", "không phải ảnh"),
        (truncated_jpeg(), "invalid", "ảnh bị hỏng"),
        (bomb(), "bomb", "quá nhiều điểm ảnh"),
        (gif(), "format", "Chỉ nhận ảnh JPEG, PNG"),
    ],
    ids=["not-an-image", "empty", "corrupt", "decompression-bomb", "gif"],
)
def test_bad_files_are_refused_with_a_clear_message(content, code, message):
    """Files that are not usable photos raise a ValidationError saying why, and nothing is stored."""
    upload = SimpleUploadedFile("anh.jpg", content)
    with pytest.raises(ValidationError) as caught:
        images.validate_upload(upload)
    assert caught.value.code == code
    assert message in str(caught.value.messages[0])
    with pytest.raises(ValidationError):
        ProductImageFactory(image=SimpleUploadedFile("anh.jpg", content))


@override_settings(MAX_UPLOAD_MB=1)
def test_oversized_upload_is_refused_before_decoding():
    """A file above the upload limit is refused with its size and the limit."""
    upload = SimpleUploadedFile("big.jpg", b"\xff" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as caught:
        images.validate_upload(upload)
    assert caught.value.code == "too_large"
    assert "Giới hạn là 1 MB" in caught.value.messages[0]


def test_deleting_a_photo_removes_its_files(django_capture_on_commit_callbacks):
    """Deleting a photo deletes the master and every rendition from storage once it commits."""
    photo = ProductImageFactory()
    names = all_files(photo.image_meta, photo.image.name)
    assert all(default_storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
        assert all(default_storage.exists(n) for n in names)
    assert not any(default_storage.exists(n) for n in names)


def test_a_deletion_that_rolls_back_keeps_the_files():
    """A photo deleted in a transaction that fails keeps its row and its files."""
    photo = ProductImageFactory()
    pk, names = photo.pk, all_files(photo.image_meta, photo.image.name)
    with pytest.raises(RuntimeError), transaction.atomic():
        photo.delete()
        raise RuntimeError("the request failed after the delete")
    assert ProductImage.objects.filter(pk=pk).exists()
    assert all(default_storage.exists(n) for n in names)


def test_resaving_a_product_does_not_reprocess_its_photos():
    """Saving an existing photo row again keeps its files: processing happens once."""
    photo = ProductImageFactory()
    name, meta = photo.image.name, photo.image_meta
    photo.alt_text = "Gói chè"
    photo.save()
    photo.refresh_from_db()
    assert (photo.image.name, photo.image_meta) == (name, meta)


@pytest.mark.parametrize("path", ["/", "/products/", "product", "stall", "/cooperatives/"])
def test_rendering_pages_never_opens_an_image(client, monkeypatch, path):
    """Pages build <img> tags from stored metadata only: Pillow is never called while rendering."""
    cooperative = CooperativeFactory(logo=jpeg_upload(size=(200, 200)), cover=jpeg_upload(size=(600, 200)))
    product = ProductFactory(cooperative=cooperative)
    for position in range(2):
        ProductImageFactory(product=product, position=position)
    url = {"product": product.get_absolute_url(), "stall": cooperative.get_absolute_url()}.get(path, path)

    def refuse(*args, **kwargs):
        raise AssertionError("a page opened an image")

    monkeypatch.setattr(Image, "open", refuse)
    monkeypatch.setattr(Image.Image, "resize", refuse)
    monkeypatch.setattr(Image.Image, "save", refuse)
    response = client.get(url)
    assert response.status_code == 200
    assert "srcset=" in response.content.decode()


@override_settings(MAX_UPLOAD_MB=1)
def test_oversized_upload_message_writes_the_size_as_the_language_does():
    """The size reads "1,5 MB" in Vietnamese and "1.5 MB" in English, never "1.5" on a Vietnamese page."""
    upload = SimpleUploadedFile("big.jpg", b"\xff" * (1024 * 1024 * 3 // 2))
    for language, size in (("vi", "1,5 MB"), ("en", "1.5 MB")):
        with translation.override(language), pytest.raises(ValidationError) as caught:
            images.validate_upload(upload)
        assert f"({size})" in caught.value.messages[0]
