"""The post kit ("Đăng bài"): a ready post for Facebook and Zalo, for a product or for a stall.

Two JPEGs (1080×1080 and 1080×1350, each under MAX_BYTES) show the photo, the name, the price and
unit (a stall: its province and product count), the stall's name and a QR code to the page. Text is
drawn with the Noto Sans the project ships (products/fonts, OFL), so Vietnamese marks come out
right whatever the server has installed. The images are drawn once, by a background job
(`tasks.post_images_make`), and stored under a key made from everything they show: a new photo,
name, price, unit or stall name gives a new key, the next visit of the kit queues new images, and
the job deletes the old ones. Nothing is drawn while a page renders.

Posts are in Vietnamese whatever language the dashboard is read in: they are for the market's
buyers. Their links carry `utm_source=post` (the QR code) or the channel (`zalo`, `facebook`: the
caption), so the visits they bring can be told apart from posters' (`utm_source=qr`).
"""

import hashlib
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from storefront.lib.links import absolute_url
from storefront.lib.money import vnd
from storefront.lib.qr import qr_image
from storefront.lib.text import ascii_fold
from storefront.lib.vietnam import PROVINCE_NAMES

from . import selectors
from .models import Cooperative

FONTS = Path(__file__).resolve().parent / "fonts"
BOLD = FONTS / "NotoSans-Bold.ttf"
REGULAR = FONTS / "NotoSans-Regular.ttf"
# Raised whenever the drawing below changes, so every stored post is drawn again.
LAYOUT_VERSION = 1
POST_LANGUAGE = "vi"
WIDTH = 1080
# (height, height of the text panel under the photo): Facebook's and Zalo's square post, and the
# 4:5 portrait that fills most of a phone's feed.
SHAPES = {"portrait": (1350, 470), "square": (1080, 392)}
# "Under about 250 KB": a post sent over 3G, and what Zalo sends without recompressing it.
MAX_BYTES = 240_000
JPEG_QUALITIES = (86, 80, 74, 68, 62, 56, 50)
PREVIEW_WIDTH = 360
PREVIEW_QUALITY = 70
QR_QUERY = {"utm_source": "post", "utm_medium": "qr"}
CHANNELS = ("zalo", "facebook")
STORY_CHARS = 240
MAX_HASHTAGS = 5
FILE_NAME = re.compile(r"[0-9a-f]{16}-(portrait|square)(-preview\.webp|\.jpg)")

PAPER = (250, 248, 243)
BRAND = (47, 93, 58)
BRAND_DARK = (35, 74, 44)
BRAND_LIGHT = (62, 114, 74)
ACCENT = (244, 197, 66)
INK = (34, 34, 34)
GREY = (84, 84, 84)
WHITE = (255, 255, 255)
MARGIN = 56


@dataclass(frozen=True)
class Subject:
    """What one post shows, read once from the database; `key` fingerprints the drawn part."""

    kind: str  # "product" or "stall"
    pk: int
    cooperative_id: int
    slug: str
    title: str
    highlight: str  # the price, or the stall's product count
    highlight_after: str  # "/ gói 200 g" after the price
    footer: str  # the stall's name, or the stall's place
    origin: str  # the province, on the art of a post without a photo
    photo: str  # the stored photo to draw, "" for none
    page_url: str
    story: str = field(default="", compare=False)
    hashtags: tuple[str, ...] = field(default=(), compare=False)

    @property
    def qr_url(self) -> str:
        return f"{self.page_url}?{urlencode(QR_QUERY)}"

    @property
    def qr_label(self) -> str:
        with translation.override(POST_LANGUAGE):
            return _("Quét để đặt mua") if self.kind == "product" else _("Quét để xem gian hàng")

    @property
    def key(self) -> str:
        drawn = [
            LAYOUT_VERSION,
            BOLD.name,
            REGULAR.name,
            self.title,
            self.highlight,
            self.highlight_after,
            self.footer,
            self.origin,
            self.photo,
            self.qr_url,
        ]
        return hashlib.sha256(json.dumps(drawn, ensure_ascii=False).encode()).hexdigest()[:16]

    @property
    def folder(self) -> str:
        return folder(self.kind, self.pk)

    def file_name(self, shape: str, *, preview: bool = False) -> str:
        return f"{self.key}-{shape}{'-preview.webp' if preview else '.jpg'}"

    def stored_names(self) -> list[str]:
        """The files of this post in the order the job writes them: the last one says it is done."""
        names = [self.file_name(shape) for shape in SHAPES]
        names += [self.file_name(shape, preview=True) for shape in SHAPES]
        return [f"{self.folder}/{name}" for name in names]

    def download_name(self, shape: str) -> str:
        height, _panel = SHAPES[shape]
        return f"{self.slug}-{WIDTH}x{height}.jpg"


def folder(kind: str, pk: int) -> str:
    return f"posts/{kind}-{pk}"


def _clean(text: str) -> str:
    # Old phones' keyboards may send decomposed marks: composed, each letter is one glyph.
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def _photo_name(photo) -> str:
    """The stored file to draw from: the largest WebP rendition when it is big enough, else the
    cleaned master (renditions may still be on their way)."""
    if not photo:
        return ""
    widths = [width for width in photo.by_width if width >= WIDTH]
    return photo.by_width[min(widths)] if widths else photo.master


def _story(*texts: str) -> str:
    """The story's first lines: its first paragraph, cut at a word near STORY_CHARS."""
    for text in texts:
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text or "")]
        first = next((p for p in paragraphs if p), "")
        if first:
            return Truncator(unicodedata.normalize("NFC", first)).chars(STORY_CHARS)
    return ""


def hashtag(text: str) -> str:
    """A Vietnamese phrase as a hashtag every app links: folded to ASCII, each word capitalised
    ("Tuyên Quang" → "#TuyenQuang", "H'Mông" → "#HMong"); "" when nothing is left."""
    folded = ascii_fold(text.replace("'", "").replace("’", ""), keep_case=True)
    words = [word for word in re.split(r"[^A-Za-z0-9]+", folded) if word]
    return "#" + "".join(word[:1].upper() + word[1:] for word in words) if words else ""


def _parts(text: str) -> list[str]:
    """A category or a list of peoples split where it names several ("Chè và cà phê", "Tày, Nùng")."""
    return [part for part in re.split(r",|&|/|\bvà\b", text or "") if part.strip()]


def hashtags(
    *, province: str, categories: str = "", peoples: str = "", ocop: bool = False
) -> tuple[str, ...]:
    """A few hashtags, most searched first: the market, the province's specialties, the category's
    words and the peoples; at most MAX_HASHTAGS, none twice."""
    tags = ["#ChoPhien", hashtag(f"Đặc sản {province}") if province else ""]
    tags += [hashtag(part) for part in _parts(categories)[:2]]
    tags += [hashtag(part) for part in _parts(peoples)[:2]]
    tags.append("#OCOP" if ocop else "")
    kept, seen = [], set()
    for tag in tags:
        if tag and len(tag) > 2 and tag.lower() not in seen:
            seen.add(tag.lower())
            kept.append(tag)
    return tuple(kept[:MAX_HASHTAGS])


def product_subject(product, *, first_photo) -> Subject:
    """A product's post; `first_photo` is its first photo's Renditions (or None)."""
    coop = product.cooperative
    province = PROVINCE_NAMES.get(product.origin_province, "")
    with translation.override(POST_LANGUAGE):
        return Subject(
            kind="product",
            pk=product.pk,
            cooperative_id=coop.pk,
            slug=product.slug,
            title=_clean(product.name),
            highlight=vnd(product.price),
            highlight_after=f"/ {_clean(product.unit)}" if product.unit.strip() else "",
            footer=_clean(coop.name),
            origin=province,
            photo=_photo_name(first_photo),
            page_url=absolute_url(product.get_absolute_url()),
            story=_story(product.story, product.summary),
            hashtags=hashtags(
                province=province,
                categories=product.category.name if product.category_id else "",
                peoples=product.ethnic_group,
                ocop=bool(product.ocop_stars),
            ),
        )


def stall_subject(cooperative, *, product_count: int, photo) -> Subject:
    """A stall's post; `photo` is the Renditions to show (its cover, logo or a product's photo)."""
    province = cooperative.province_name
    with translation.override(POST_LANGUAGE):
        place = " · ".join(part for part in (province, _clean(cooperative.commune)) if part)
        return Subject(
            kind="stall",
            pk=cooperative.pk,
            cooperative_id=cooperative.pk,
            slug=cooperative.slug,
            title=_clean(cooperative.name),
            highlight=ngettext("%(n)s sản phẩm", "%(n)s sản phẩm", product_count) % {"n": product_count},
            highlight_after="",
            footer=place,
            origin=province,
            photo=_photo_name(photo),
            page_url=absolute_url(cooperative.get_absolute_url()),
            story=_story(cooperative.summary, cooperative.story),
            hashtags=hashtags(province=province, peoples=cooperative.ethnic_groups),
        )


def caption(subject: Subject, channel: str) -> str:
    """The text to paste beside the image, with the page's link tagged for `channel`."""
    link = f"{subject.page_url}?{urlencode({'utm_source': channel, 'utm_medium': 'post'})}"
    with translation.override(POST_LANGUAGE):
        if subject.kind == "product":
            blocks = [
                subject.title,
                _("Giá: %(price)s %(unit)s") % {"price": subject.highlight, "unit": subject.highlight_after},
                subject.story,
                _("Của %(stall)s") % {"stall": subject.footer},
                _("Đặt mua: %(url)s") % {"url": link},
            ]
        else:
            blocks = [
                subject.title,
                " · ".join(part for part in (subject.footer, subject.highlight) if part),
                subject.story,
                _("Xem gian hàng: %(url)s") % {"url": link},
            ]
    blocks.append(" ".join(subject.hashtags))
    # Spaces tidied, but not the no-break space that keeps "450.000 ₫" on one line.
    return "\n\n".join(
        re.sub(r"[ \t\r\n]+", " ", block).strip() for block in blocks if block and block.strip()
    )


# --- Drawing ---------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD if bold else REGULAR), size)


@dataclass(frozen=True)
class Placed:
    """One line of text as drawn: what the diacritics test renders again and compares."""

    text: str
    bold: bool
    size: int
    x: int
    y: int
    fill: tuple[int, int, int]
    background: tuple[int, int, int]


@dataclass
class Drawn:
    image: Image.Image
    texts: list[Placed]


def _wrap(text: str, face, width: int) -> list[str]:
    """Greedy word wrap; a word wider than the line (a long compound) is broken between letters."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if face.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while face.getlength(word) > width:
            cut = max(1, next(i for i in range(len(word), 0, -1) if face.getlength(word[:i]) <= width))
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def _ellipsised(text: str, face, width: int) -> str:
    if face.getlength(text) <= width:
        return text
    while text and face.getlength(text + "…") > width:
        text = text[:-1]
    # Cut at a word when that loses little: "từ những cây…" reads better than "cây c…".
    space = text.rfind(" ")
    if space > len(text) * 2 // 3:
        text = text[:space]
    return text.rstrip(" ,.;:-–") + "…"


def fit(text: str, *, bold: bool, sizes: tuple[int, ...], width: int, max_lines: int):
    """(font, lines): the largest size at which `text` fits in `max_lines`; at the smallest, the
    last line ends with an ellipsis."""
    for size in sizes:
        face = font(bold, size)
        lines = _wrap(text, face, width)
        if len(lines) <= max_lines:
            return face, lines
    kept = lines[: max_lines - 1]
    rest = " ".join(lines[max_lines - 1 :])
    return face, [*kept, _ellipsised(rest, face, width)]


class _Canvas:
    def __init__(self, image: Image.Image):
        self.image = image
        self.draw = ImageDraw.Draw(image)
        self.texts: list[Placed] = []

    def text(self, xy, line: str, *, bold: bool, size: int, fill, background) -> None:
        self.draw.text(xy, line, font=font(bold, size), fill=fill)
        self.texts.append(Placed(line, bold, size, int(xy[0]), int(xy[1]), fill, background))


def _open_photo(name: str) -> Image.Image | None:
    if not name:
        return None
    try:
        with default_storage.open(name) as source:
            photo = Image.open(source)
            photo.load()
    except (FileNotFoundError, UnidentifiedImageError, OSError):
        return None
    if photo.mode != "RGB":
        rgba = photo.convert("RGBA")
        photo = Image.new("RGB", rgba.size, WHITE)
        photo.paste(rgba, mask=rgba.getchannel("A"))
    return photo


def _art(box: tuple[int, int], origin: str) -> _Canvas:
    """A post without a photo: a brocade-like band of diamonds on the brand green, and the place."""
    width, height = box
    canvas = _Canvas(Image.new("RGB", box, BRAND))
    draw = canvas.draw
    step = 72
    for row, y in enumerate(range(-step, height + step, step)):
        for x in range((row % 2) * step // 2 - step, width + step, step):
            draw.polygon([(x, y - 22), (x + 22, y), (x, y + 22), (x - 22, y)], outline=BRAND_LIGHT, width=4)
    band_top, band_bottom = height // 2 - 130, height // 2 + 130
    draw.rectangle((0, band_top, width, band_bottom), fill=BRAND_DARK)
    draw.rectangle((0, band_top, width, band_top + 8), fill=ACCENT)
    draw.rectangle((0, band_bottom - 8, width, band_bottom), fill=ACCENT)
    with translation.override(POST_LANGUAGE):
        lead, place = _("Đặc sản"), origin or _("Chợ Phiên")
    face = font(False, 52)
    canvas.text(
        ((width - face.getlength(lead)) // 2, band_top + 42),
        lead,
        bold=False,
        size=52,
        fill=ACCENT,
        background=BRAND_DARK,
    )
    face, lines = fit(place, bold=True, sizes=(96, 84, 72), width=width - 2 * MARGIN, max_lines=1)
    canvas.text(
        ((width - face.getlength(lines[0])) // 2, band_top + 118),
        lines[0],
        bold=True,
        size=face.size,
        fill=WHITE,
        background=BRAND_DARK,
    )
    return canvas


def _badge(canvas: _Canvas) -> None:
    with translation.override(POST_LANGUAGE):
        label = _("Chợ Phiên")
    face = font(True, 34)
    left, top = 40, 40
    right = left + 2 * 22 + int(face.getlength(label))
    # Outlined in white so it also stands out on the green of a post without a photo.
    canvas.draw.rounded_rectangle((left, top, right, top + 66), radius=33, fill=BRAND, outline=WHITE, width=3)
    canvas.text((left + 22, top + 9), label, bold=True, size=34, fill=WHITE, background=BRAND)


def draw(subject: Subject, shape: str) -> Drawn:
    """The post picture of `subject` in `shape`, before compression."""
    height, panel = SHAPES[shape]
    image = Image.new("RGB", (WIDTH, height), PAPER)
    canvas = _Canvas(image)
    photo_box = (WIDTH, height - panel)
    photo = _open_photo(subject.photo)
    if photo is not None:
        image.paste(ImageOps.fit(photo, photo_box, Image.Resampling.LANCZOS, centering=(0.5, 0.5)))
    else:
        art = _art(photo_box, subject.origin)
        image.paste(art.image)
        canvas.texts += art.texts
    _badge(canvas)
    top = photo_box[1]
    canvas.draw.rectangle((0, top, WIDTH, top + 10), fill=ACCENT)
    top += 10
    inner = panel - 10

    qr = qr_image(subject.qr_url, max_pixels=300 if shape == "square" else 330)
    qr_x = WIDTH - MARGIN + 16 - qr.width
    qr_y = top + (inner - qr.height - 44) // 2
    image.paste(qr, (qr_x, qr_y))
    label_face, (label,) = fit(
        subject.qr_label, bold=False, sizes=(28, 25, 22), width=qr.width + 24, max_lines=1
    )
    canvas.text(
        (qr_x + (qr.width - label_face.getlength(label)) // 2, qr_y + qr.height + 4),
        label,
        bold=False,
        size=label_face.size,
        fill=INK,
        background=PAPER,
    )

    column = qr_x - 32 - MARGIN
    y = top + 30
    title_face, lines = fit(
        subject.title,
        bold=True,
        sizes=(64, 58, 52, 46),
        width=column,
        max_lines=2 if shape == "square" else 3,
    )
    for line in lines:
        canvas.text((MARGIN, y), line, bold=True, size=title_face.size, fill=INK, background=PAPER)
        y += round(title_face.size * 1.25)
    y += 10
    highlight_face = font(True, 66 if subject.kind == "product" else 50)
    canvas.text(
        (MARGIN, y), subject.highlight, bold=True, size=highlight_face.size, fill=BRAND, background=PAPER
    )
    after = subject.highlight_after
    if after:
        after_face = font(False, 38)
        room = column - highlight_face.getlength(subject.highlight) - 16
        if after_face.getlength(after) <= room:
            # Sits on the price's baseline.
            baseline = y + highlight_face.getmetrics()[0] - after_face.getmetrics()[0]
            x = MARGIN + highlight_face.getlength(subject.highlight) + 16
            canvas.text((x, baseline), after, bold=False, size=38, fill=GREY, background=PAPER)
        else:
            y += round(highlight_face.size * 1.2)
            after = _ellipsised(after, after_face, column)
            canvas.text((MARGIN, y), after, bold=False, size=38, fill=GREY, background=PAPER)
    footer_face = font(False, 34)
    footer = _ellipsised(subject.footer, footer_face, column)
    canvas.text((MARGIN, top + inner - 34 - 50), footer, bold=False, size=34, fill=GREY, background=PAPER)
    return Drawn(image, canvas.texts)


def jpeg_bytes(image: Image.Image, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The picture as a progressive JPEG, at the best quality that stays under `max_bytes`."""
    for quality in JPEG_QUALITIES:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, progressive=True, optimize=True)
        if buffer.tell() <= max_bytes:
            break
    return buffer.getvalue()


def _preview_bytes(image: Image.Image) -> bytes:
    small = image.resize(
        (PREVIEW_WIDTH, round(image.height * PREVIEW_WIDTH / image.width)), Image.Resampling.LANCZOS
    )
    buffer = io.BytesIO()
    small.save(buffer, "WEBP", quality=PREVIEW_QUALITY, method=4)
    return buffer.getvalue()


def images_ready(subject: Subject) -> bool:
    return default_storage.exists(subject.stored_names()[-1])


def _store(name: str, data: bytes) -> None:
    if default_storage.exists(name):
        return
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:
        # Another job stored the same picture a moment ago: it is the same, keep that one.
        default_storage.delete(saved)


def images_make(subject: Subject) -> bool:
    """Draw and store both pictures and their previews unless they are stored already, then delete
    what earlier versions of this post left. Returns whether anything was drawn."""
    if images_ready(subject):
        return False
    previews = {}
    for shape in SHAPES:
        picture = draw(subject, shape).image
        _store(f"{subject.folder}/{subject.file_name(shape)}", jpeg_bytes(picture))
        previews[shape] = _preview_bytes(picture)
    # The previews last, in stored_names' order: the last one is what images_ready looks for.
    for shape, preview in previews.items():
        _store(f"{subject.folder}/{subject.file_name(shape, preview=True)}", preview)
    _forget_older(subject)
    return True


def _forget_older(subject: Subject) -> None:
    for name in stored_files(subject.kind, subject.pk):
        if not name.rsplit("/", 1)[1].startswith(subject.key):
            default_storage.delete(name)


def product_post(product) -> Subject:
    """The post of a product read with selectors.post_products() (its photos prefetched)."""
    photos = list(product.images.all())
    return product_subject(product, first_photo=photos[0].photo if photos else None)


def stall_post(cooperative) -> Subject:
    count, photo = selectors.stall_post_facts(cooperative=cooperative)
    return stall_subject(cooperative, product_count=count, photo=photo)


def subject_of(kind: str, pk: int) -> Subject | None:
    """The post a background job draws, read again from the database; None when it is gone."""
    if kind == "product":
        product = selectors.post_products().filter(pk=pk).first()
        return product_post(product) if product else None
    cooperative = Cooperative.objects.filter(pk=pk).first()
    return stall_post(cooperative) if cooperative else None


def stored_files(kind: str, pk: int) -> list[str]:
    """Every stored file of a product's or a stall's post, whatever its key (for a deletion)."""
    try:
        _dirs, files = default_storage.listdir(folder(kind, pk))
    except (FileNotFoundError, NotImplementedError):
        return []
    return [f"{folder(kind, pk)}/{name}" for name in files]
