"""The share (link preview) rendition: made once when a photo is saved, deleted and copied with
the photo, and made for older photos by `manage.py share_images`."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from products import services
from products.models import Cooperative, ProductImage
from tests.factories import CooperativeFactory, ProductImageFactory, jpeg_upload

pytestmark = pytest.mark.django_db


def stored_image(name: str) -> Image.Image:
    with default_storage.open(name) as f:
        image = Image.open(io.BytesIO(f.read()))
        image.load()
    return image


def png_with_transparency() -> SimpleUploadedFile:
    image = Image.new("RGBA", (1400, 900), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (600, 300, 800, 600))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


# --- the share rendition, made once when a photo is saved ----------------------------------------


def test_a_large_photo_gets_a_1200_by_630_progressive_jpeg_at_save():
    photo = ProductImageFactory(image=jpeg_upload(size=(2000, 1500)))
    share = photo.image_meta["share"]
    assert (share["width"], share["height"]) == (1200, 630)
    image = stored_image(share["name"])
    assert image.format == "JPEG"
    assert image.size == (1200, 630)
    assert image.info.get("progressive") or image.info.get("progression")
    assert share["name"].endswith("-share.jpg")


@pytest.mark.parametrize(
    "size", [(1000, 750), (400, 300), (300, 900), (2000, 1000), (1200, 400), (2000, 500), (40, 30)]
)
def test_every_photo_gets_exactly_1200_by_630(size):
    """What the og:image tags announce, whatever the photo: small ones are enlarged."""
    share = ProductImageFactory(image=jpeg_upload(size=size)).image_meta["share"]
    assert (share["width"], share["height"]) == (1200, 630)
    assert stored_image(share["name"]).size == (1200, 630)


def banner(size=(1200, 400)) -> SimpleUploadedFile:
    """A stall's cover banner: green left end, red right end, a white band across the middle."""
    image = Image.new("RGB", size, (20, 20, 220))
    image.paste((20, 200, 20), (0, 0, 60, size[1]))
    image.paste((220, 20, 20), (size[0] - 60, 0, size[0], size[1]))
    image.paste((255, 255, 255), (60, size[1] // 2 - 20, size[0] - 60, size[1] // 2 + 20))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return SimpleUploadedFile("banner.jpg", buffer.getvalue())


def test_a_wide_banner_is_shown_whole_on_a_blurred_darkened_copy_of_itself():
    cooperative = CooperativeFactory(cover=banner(), logo="")
    share = stored_image(cooperative.cover_meta["share"]["name"]).convert("RGB")
    assert share.size == (1200, 630)
    # Both ends of the banner are there: nothing cut at the sides.
    green, red = share.getpixel((15, 315)), share.getpixel((1185, 315))
    assert green[1] > 160 and green[0] < 80, green
    assert red[0] > 160 and red[1] < 80, red
    assert min(share.getpixel((600, 315))) > 220  # the white band, across the middle
    # Above and below: the banner's own blue, darkened, not a white or black border.
    for y in (10, 620):
        red, green, blue = share.getpixel((600, y))
        assert 60 < blue < 180 and red < 40 and green < 40, (y, red, green, blue)


def test_the_crop_keeps_the_middle_of_the_photo():
    """A tall photo with a red middle band: the share image is the band, not the top or bottom."""
    image = Image.new("RGB", (1200, 1800), (20, 20, 220))
    image.paste((220, 20, 20), (0, 500, 1200, 1300))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    photo = ProductImageFactory(image=SimpleUploadedFile("tall.jpg", buffer.getvalue()))
    share = stored_image(photo.image_meta["share"]["name"]).convert("RGB")
    for y in (5, share.height // 2, share.height - 5):
        red, _green, blue = share.getpixel((share.width // 2, y))
        assert red > 180 and blue < 80, y


def test_a_stall_cover_gets_a_share_image_and_a_logo_does_not():
    cooperative = CooperativeFactory(cover=jpeg_upload(size=(1600, 900)), logo=jpeg_upload(size=(400, 400)))
    assert (cooperative.cover_meta["share"]["width"], cooperative.cover_meta["share"]["height"]) == (
        1200,
        630,
    )
    assert "share" not in cooperative.logo_meta


def test_transparent_parts_turn_white_not_black():
    cooperative = CooperativeFactory(cover=png_with_transparency(), logo="")
    share = stored_image(cooperative.cover_meta["share"]["name"]).convert("RGB")
    assert min(share.getpixel((10, 10))) > 240


def test_deleting_a_photo_deletes_its_share_image(django_capture_on_commit_callbacks):
    photo = ProductImageFactory(image=jpeg_upload(size=(800, 600)))
    name = photo.image_meta["share"]["name"]
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert not default_storage.exists(name)


def test_a_duplicated_product_gets_its_own_share_image():
    """Deleting the copy's photo must not take the original's preview with it."""
    photo = ProductImageFactory(image=jpeg_upload(size=(800, 600)))
    copy = services.product_duplicate(product=photo.product)
    copied = copy.images.get()
    assert copied.image_meta["share"]["name"] != photo.image_meta["share"]["name"]
    copied.delete()
    assert default_storage.exists(photo.image_meta["share"]["name"])


def test_replacing_a_stall_cover_deletes_the_old_share_image(django_capture_on_commit_callbacks):
    """However the cover is replaced (dashboard, admin, a script), the old files go after commit."""
    cooperative = CooperativeFactory(cover=jpeg_upload(size=(1600, 900)), logo="")
    old = [cooperative.cover.name, cooperative.cover_meta["share"]["name"]]
    cooperative = Cooperative.objects.get(pk=cooperative.pk)
    cooperative.cover = jpeg_upload("new.jpg", size=(1600, 900))
    with django_capture_on_commit_callbacks(execute=True):
        cooperative.save()
    assert not any(default_storage.exists(name) for name in old)
    assert default_storage.exists(cooperative.cover_meta["share"]["name"])


# --- backfill for photos saved before share images existed --------------------------------------


def strip_share(model, pk, field="image_meta"):
    """Make a row look like one saved before share renditions existed."""
    row = model.objects.get(pk=pk)
    meta = dict(getattr(row, field))
    default_storage.delete(meta.pop("share")["name"])
    model.objects.filter(pk=pk).update(**{field: meta})
    return meta


def test_share_images_command_fills_missing_share_images_only():
    photo = ProductImageFactory(image=jpeg_upload(size=(1600, 1200)))
    cooperative = CooperativeFactory(cover=jpeg_upload(size=(900, 600)), logo=jpeg_upload(size=(300, 300)))
    untouched = ProductImageFactory(image=jpeg_upload(size=(800, 600)))
    untouched_meta = untouched.image_meta
    before_photo = strip_share(ProductImage, photo.pk)
    strip_share(Cooperative, cooperative.pk, "cover_meta")
    updated_at = Cooperative.objects.get(pk=cooperative.pk).updated_at
    out = io.StringIO()

    call_command("share_images", stdout=out)

    photo.refresh_from_db()
    cooperative.refresh_from_db()
    assert (photo.image_meta["share"]["width"], photo.image_meta["share"]["height"]) == (1200, 630)
    assert stored_image(photo.image_meta["share"]["name"]).format == "JPEG"
    # Nothing else in the meta changed: same renditions, same master size.
    assert {k: v for k, v in photo.image_meta.items() if k != "share"} == before_photo
    assert (cooperative.cover_meta["share"]["width"], cooperative.cover_meta["share"]["height"]) == (
        1200,
        630,
    )
    assert "share" not in cooperative.logo_meta
    assert cooperative.updated_at == updated_at
    untouched.refresh_from_db()
    assert untouched.image_meta == untouched_meta
    assert "Made 2 share image(s); 1 already had one" in out.getvalue()


def test_share_images_command_is_idempotent_and_remakes_a_lost_file():
    photo = ProductImageFactory(image=jpeg_upload(size=(800, 600)))
    call_command("share_images", stdout=io.StringIO())
    photo.refresh_from_db()
    assert photo.image_meta["share"]["name"]
    out = io.StringIO()
    call_command("share_images", stdout=out)
    assert "Made 0 share image(s)" in out.getvalue()

    default_storage.delete(photo.image_meta["share"]["name"])
    call_command("share_images", stdout=io.StringIO())
    photo.refresh_from_db()
    assert default_storage.exists(photo.image_meta["share"]["name"])


def test_share_images_command_remakes_share_images_of_another_size():
    """Older versions cropped a banner to 761×400: the command replaces that file."""
    cooperative = CooperativeFactory(cover=banner(), logo="")
    old_name = default_storage.save("covers/old-share.jpg", io.BytesIO(b"old"))
    old_meta = {**cooperative.cover_meta, "share": {"name": old_name, "width": 761, "height": 400}}
    Cooperative.objects.filter(pk=cooperative.pk).update(cover_meta=old_meta)
    out = io.StringIO()

    call_command("share_images", stdout=out)

    cooperative.refresh_from_db()
    share = cooperative.cover_meta["share"]
    assert (share["width"], share["height"]) == (1200, 630)
    assert stored_image(share["name"]).size == (1200, 630)
    assert not default_storage.exists(old_name)
    assert "Made 1 share image(s)" in out.getvalue()


def test_share_images_command_skips_a_missing_master_and_goes_on():
    broken = ProductImageFactory(image=jpeg_upload(size=(800, 600)))
    strip_share(ProductImage, broken.pk)
    default_storage.delete(broken.image.name)
    fine = ProductImageFactory(image=jpeg_upload(size=(800, 600)))
    strip_share(ProductImage, fine.pk)
    out, err = io.StringIO(), io.StringIO()

    call_command("share_images", stdout=out, stderr=err)

    fine.refresh_from_db()
    broken.refresh_from_db()
    assert "share" in fine.image_meta
    assert "share" not in broken.image_meta
    assert f"productimage {broken.pk}" in err.getvalue()
    assert "1 unreadable" in out.getvalue()
