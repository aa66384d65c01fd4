"""Photo processing, done once when a photo is saved, never while a page renders.

Every stored file is upright (EXIF orientation applied), carries no metadata (a photo taken at
home must not publish the home's GPS position), has its long side capped, and has small WebP
renditions beside it, each also in AVIF (a third smaller again, for the browsers that take it), so
a phone downloads only the width it shows. Product photos and stall
covers also get a share rendition: the 1200×630 JPEG that Zalo and Facebook show as a link's preview
(cropped to 1.91:1, or for a very wide banner shown whole on a blurred copy of itself).
"""

import io
import logging
import mimetypes
import os
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageEnhance, ImageFilter, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from storefront.lib.renditions import Renditions, ShareImage

MAX_LONG_SIDE = 2000
# 280 is a two-column card on a 360 px phone at a pixel ratio capped near 1.6 (the cards' sizes
# ask for it: sharper is not worth half as many bytes again on a page of 12), 540 the product
# page's photo there (its largest element, on slow 3G), 720 a full-width photo at pixel ratio 2.
RENDITION_WIDTHS = (160, 280, 360, 540, 720, 1200)
MASTER_QUALITY = 85
RENDITION_QUALITY = 70
# Measured on camera photos: AVIF at 50 looks like WebP at 70 and is 35–45 % smaller.
AVIF_QUALITY = 50
AVIF_SPEED = 6
# The link-preview size Facebook recommends (1.91:1). JPEG, because not every preview crawler of
# the chat apps reads WebP; progressive so a slow phone draws it whole early and sharpens it.
SHARE_SIZE = (1200, 630)
SHARE_QUALITY = 82
# Up to this width:height a photo is cropped to 1.91:1; a crop of anything wider (a 3:1 stall
# banner) would cut off what its sides show, so it is letterboxed on a blurred copy of itself.
SHARE_WIDEST = 2.2
SHARE_BACKDROP_BRIGHTNESS = 0.6
# The photos a shared page previews with: a product's photos and a stall's cover. A logo is
# left out: cropped to 1.91:1 it loses its top and bottom, and a stall without a cover previews
# with its first product photo instead.
SHARE_FIELDS = {"products.productimage.image", "products.cooperative.cover"}
# A 50-megapixel limit admits any phone camera but refuses decompression bombs, which are
# small files that would expand to gigabytes of pixels.
MAX_PIXELS = 50_000_000
# HEIF is what iPhones take by default; pillow-heif decodes it (its wheels bundle libheif).
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO", "HEIF"}

Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Python before 3.13 does not know .avif; object storage would label the files as bytes.
mimetypes.add_type("image/avif", ".avif")
logger = logging.getLogger(__name__)
register_heif_opener()


def _open(fileobj) -> Image.Image:
    """Open and fully decode an upload, turning every way it can be bad into a ValidationError."""
    max_bytes = settings.MAX_UPLOAD_MB * 1024 * 1024
    size = getattr(fileobj, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("Ảnh quá lớn (%(size)s MB). Giới hạn là %(limit)s MB."),
            code="too_large",
            # "16,0" in Vietnamese, "16.0" in English.
            params={
                "size": number_format(size / 1024 / 1024, decimal_pos=1),
                "limit": number_format(settings.MAX_UPLOAD_MB),
            },
        )
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(fileobj)
            if image.format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    _("Chỉ nhận ảnh JPEG, PNG, WebP hoặc HEIC (ảnh iPhone)."), code="format"
                )
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("Ảnh có quá nhiều điểm ảnh để xử lý. Hãy chụp lại hoặc thu nhỏ ảnh."), code="bomb"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("Tệp này không phải ảnh hoặc ảnh bị hỏng. Hãy chọn ảnh JPEG, PNG hoặc WebP khác."),
            code="invalid",
        ) from None
    finally:
        if hasattr(fileobj, "seek"):
            fileobj.seek(0)
    return image


def validate_upload(fileobj) -> None:
    """Raise a translated ValidationError unless the file is a usable photo."""
    _open(fileobj)


def normalise(fileobj) -> Image.Image:
    """Upright, metadata-free, long side capped, in a mode WebP can hold."""
    image = _open(fileobj)
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA"):
        has_alpha = image.mode in ("LA", "PA") or (image.mode == "P" and "transparency" in image.info)
        image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((MAX_LONG_SIDE, MAX_LONG_SIDE), Image.Resampling.LANCZOS)
    # A fresh image carries no info dict, so nothing (EXIF, XMP, ICC, GPS) can leak on save.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def webp_bytes(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=quality, method=4)
    return buffer.getvalue()


def avif_bytes(image: Image.Image, quality: int = AVIF_QUALITY) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "AVIF", quality=quality, speed=AVIF_SPEED)
    return buffer.getvalue()


def share_frame(image: Image.Image) -> Image.Image:
    """The photo as an exactly SHARE_SIZE picture, the size the preview's og: tags announce.

    A photo of ordinary shape is centre-cropped to 1.91:1 and scaled, up if it is small: a
    slightly soft preview beats one the chat apps show as a small thumbnail. A very wide one (a
    stall's 3:1 banner) would lose its sides to a crop, so it is shown whole across the width, on
    a blurred, darkened enlargement of itself.
    """
    if image.mode != "RGB":
        # JPEG has no transparency: see-through parts (a logo-like PNG) turn white, not black.
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, (255, 255, 255))
        image.paste(rgba, mask=rgba.getchannel("A"))
    if image.width / image.height <= SHARE_WIDEST:
        return ImageOps.fit(image, SHARE_SIZE, Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    width, height = SHARE_SIZE
    # Blurred small then enlarged: the same soft result for a fraction of the work.
    small = ImageOps.fit(image, (width // 8, height // 8), Image.Resampling.BILINEAR)
    small = ImageEnhance.Brightness(small.filter(ImageFilter.GaussianBlur(3))).enhance(
        SHARE_BACKDROP_BRIGHTNESS
    )
    frame = small.resize(SHARE_SIZE, Image.Resampling.BICUBIC)
    front_height = max(1, round(image.height * width / image.width))
    front = image.resize((width, front_height), Image.Resampling.LANCZOS)
    frame.paste(front, (0, (height - front_height) // 2))
    return frame


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=SHARE_QUALITY, progressive=True, optimize=True)
    return buffer.getvalue()


def store_share(storage, master_name: str, image: Image.Image) -> ShareImage:
    """Save the share rendition beside a stored master."""
    share = share_frame(image)
    name = storage.save(f"{os.path.splitext(master_name)[0]}-share.jpg", ContentFile(_jpeg(share)))
    return ShareImage(name=name, width=share.width, height=share.height)


def store(field_file, upload, *, widths=RENDITION_WIDTHS, share: bool = False) -> Renditions:
    """Save the cleaned master and its renditions; return what pages render from."""
    image = normalise(upload)
    stem = os.path.splitext(os.path.basename(upload.name or "photo"))[0][:60] or "photo"
    field_file.save(f"{stem}.webp", ContentFile(webp_bytes(image, MASTER_QUALITY)), save=False)
    return renditions_make(field_file.storage, field_file.name, image, widths=widths, share=share)


def renditions_make(
    storage, master_name: str, image: Image.Image, *, widths=RENDITION_WIDTHS, share: bool
) -> Renditions:
    """The WebP and AVIF renditions (and the share picture) of a stored master, saved beside it."""
    master_stem = os.path.splitext(master_name)[0]
    renditions, avif = {}, {}
    targets = [w for w in widths if w < image.width]
    # The photo's own width (up to the largest) is a rendition too, so srcset never stops short.
    targets.append(min(image.width, max(widths)))
    for target in sorted(set(targets)):
        height = max(1, round(image.height * target / image.width))
        resized = image.resize((target, height), Image.Resampling.LANCZOS)
        name = storage.save(
            f"{master_stem}-{target}w.webp", ContentFile(webp_bytes(resized, RENDITION_QUALITY))
        )
        renditions[target] = name
        avif[target] = storage.save(f"{master_stem}-{target}w.avif", ContentFile(avif_bytes(resized)))
    return Renditions(
        width=image.width,
        height=image.height,
        by_width=renditions,
        avif=avif,
        share=store_share(storage, master_name, image) if share else None,
        colour=average_colour(image),
    )


def average_colour(image: Image.Image) -> str:
    """The photo's average colour as "#rrggbb": the box a data-saver page shows instead of it."""
    red, green, blue = image.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    return f"#{red:02x}{green:02x}{blue:02x}"


def master_store(storage, name: str, cleaned) -> Renditions:
    """Store an already cleaned photo (a pending upload) as a master under `name`, as it is: its
    renditions are a background job (products.tasks.photo_renditions). Returns its size only."""
    with Image.open(cleaned) as image:
        width, height = image.size
    cleaned.seek(0)
    stored = storage.save(name, cleaned)
    return Renditions(width=width, height=height, master=stored)


def renditions_for_stored(storage, master_name: str, *, share: bool) -> Renditions | None:
    """Renditions of a master already in storage; None when it is gone or unreadable."""
    try:
        with storage.open(master_name) as source:
            image = Image.open(source)
            image.load()
    except (FileNotFoundError, UnidentifiedImageError, OSError):
        return None
    return renditions_make(storage, master_name, image, share=share)


def makes_share(instance, field_name: str) -> bool:
    return f"{instance._meta.label_lower}.{field_name}" in SHARE_FIELDS


def prepare_field(instance, field_name: str, meta_name: str) -> None:
    """Process a newly assigned upload on `instance` before the model row is written."""
    field_file = getattr(instance, field_name)
    upload = field_file.file
    stored = store(field_file, upload, share=makes_share(instance, field_name))
    setattr(instance, meta_name, stored.to_meta())


def add_share(field_file, photo: Renditions) -> Renditions | None:
    """An already stored photo with a share rendition made from its stored master.

    For photos saved before share renditions existed. Returns None when the master is gone or
    cannot be read, so one broken file does not stop a backfill.
    """
    try:
        with field_file.storage.open(field_file.name) as source:
            image = Image.open(source)
            image.load()
    except (FileNotFoundError, UnidentifiedImageError, OSError):
        return None
    return photo.with_share(store_share(field_file.storage, field_file.name, image))


def delete_files_on_commit(storage, names: list[str]) -> None:
    """Remove stored files once the transaction that stopped using them commits.

    A row deleted or changed in a transaction that then rolls back still names its files, so
    they may only go after the commit; outside a transaction this runs at once.
    """
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: _delete_each(storage, names))


def _delete_each(storage, names: list[str]) -> None:
    # A file that cannot be deleted (storage down, permissions) is logged and left behind: the rows
    # are saved already, and the request that saved them must not fail now.
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not delete %s", name)
