"""What a stored photo's `*_meta` column says about its files, read through one small type.

A photo is cleaned and resized once, when it is saved; the row keeps the master's size, the name of
each WebP and AVIF rendition by width and the name and size of its 1200×630 share picture. Pages, the admin,
JSON-LD, share previews, copies and deletions all read that dict through `Renditions`, so its shape
is known in one place and an old or empty row reads as "no photo" instead of failing.
"""

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

PLACEHOLDER = "img/placeholder.svg"
# The src for browsers without srcset: a card's width on a phone.
FALLBACK_WIDTH = 320
# A data-saver placeholder for photos saved before their colour was kept: the cards' paper tone.
PLACEHOLDER_COLOUR = "#f1ede4"
_HEX_COLOUR = re.compile(r"#[0-9a-f]{6}")


def _colour(value) -> str:
    value = str(value or "").lower()
    return value if _HEX_COLOUR.fullmatch(value) else ""


@lru_cache(maxsize=4096)
def colour_gif(colour: str) -> str:
    """A one-pixel GIF of `colour` as a data: URL (70 characters), stretched by the page to the
    photo's box: what a data-saver page sends instead of the photo."""
    red, green, blue = bytes.fromhex(colour[1:])
    gif = (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00"
        + bytes((red, green, blue, 0, 0, 0))
        + b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )
    return "data:image/gif;base64," + base64.b64encode(gif).decode()


def _whole(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _widths(stored) -> dict[int, str]:
    """{width: name} from a meta column's {"360": "name"}, sorted, junk entries left out."""
    widths = {}
    for width, name in (stored if isinstance(stored, dict) else {}).items():
        try:
            widths[int(width)] = str(name)
        except (TypeError, ValueError):
            continue
    return dict(sorted(widths.items()))


@dataclass(frozen=True)
class ShareImage:
    name: str
    width: int
    height: int


@dataclass(frozen=True)
class Renditions:
    width: int = 0
    height: int = 0
    # Width in pixels → file name in storage.
    by_width: dict[int, str] = field(default_factory=dict)
    # The same widths in AVIF; photos stored before AVIF have none and are offered in WebP only.
    avif: dict[int, str] = field(default_factory=dict)
    share: ShareImage | None = None
    # The cleaned master itself: what a page shows while the renditions are still being made.
    master: str = ""
    # The photo's average colour ("#rrggbb"): the placeholder data-saver pages show instead.
    colour: str = ""

    @classmethod
    def of(cls, meta, *, master: str = "") -> "Renditions":
        """The photo a meta dict describes (an existing Renditions passes through; junk reads empty);
        `master` names the stored master, shown while renditions are missing."""
        if isinstance(meta, Renditions):
            return meta
        meta = meta if isinstance(meta, dict) else {}
        by_width, avif = _widths(meta.get("renditions")), _widths(meta.get("avif"))
        share = meta.get("share")
        try:
            shared = ShareImage(str(share["name"]), int(share["width"]), int(share["height"]))
        except (TypeError, KeyError, ValueError):
            shared = None
        return cls(
            width=_whole(meta.get("width")),
            height=_whole(meta.get("height")),
            by_width=by_width,
            avif=avif,
            share=shared if shared and shared.name else None,
            master=master,
            colour=_colour(meta.get("colour")),
        )

    def to_meta(self) -> dict:
        meta = {
            "width": self.width,
            "height": self.height,
            "renditions": {str(width): name for width, name in self.by_width.items()},
        }
        if self.avif:
            meta["avif"] = {str(width): name for width, name in self.avif.items()}
        if self.colour:
            meta["colour"] = self.colour
        if self.share:
            meta["share"] = {"name": self.share.name, "width": self.share.width, "height": self.share.height}
        return meta

    def __bool__(self) -> bool:
        return bool(self.by_width or self.master)

    @property
    def smallest(self) -> str:
        return self.by_width[min(self.by_width)] if self.by_width else self.master

    @property
    def largest(self) -> str:
        return self.by_width[max(self.by_width)] if self.by_width else self.master

    def closest(self, width: int) -> str:
        """The rendition nearest to `width` pixels (the master while there is none), "" without a photo."""
        if not self.by_width:
            return self.master
        return self.by_width[min(self.by_width, key=lambda w: abs(w - width))]

    def at_least(self, width: int) -> str:
        """The narrowest rendition of `width` pixels or more, else the widest (or the master)."""
        return next((name for w, name in self.by_width.items() if w >= width), self.largest)

    def names(self, master: str) -> list[str]:
        """Every file of the photo: the master, its renditions and its share picture."""
        share = self.share.name if self.share else ""
        return [name for name in (master, *self.by_width.values(), *self.avif.values(), share) if name]

    def renamed(self, rename: Callable[[str], str]) -> "Renditions":
        """The same photo with every file passed through `rename` (a copy under new names)."""
        share = self.share
        return Renditions(
            width=self.width,
            height=self.height,
            by_width={width: rename(name) for width, name in self.by_width.items()},
            avif={width: rename(name) for width, name in self.avif.items()},
            share=ShareImage(rename(share.name), share.width, share.height) if share else None,
            colour=self.colour,
        )

    def with_share(self, share: ShareImage) -> "Renditions":
        return Renditions(
            width=self.width,
            height=self.height,
            by_width=self.by_width,
            avif=self.avif,
            share=share,
            master=self.master,
            colour=self.colour,
        )


def img_html(
    stored,
    *,
    alt: str = "",
    sizes: str = "100vw",
    lazy: bool = True,
    css_class: str = "",
    ratio=None,
    saver: bool = False,
    reveal: bool = False,
) -> str:
    """An <img> with srcset from a photo's stored renditions (in a <picture> offering the AVIF ones
    first, when the photo has them); a light placeholder without a photo.

    Only URLs are built here: renditions were made when the photo was saved. `ratio`
    (width/height) lets cards reserve the same box for every photo. With `saver` (data saver),
    the photo's colour in its box instead; with `reveal` too, a tap on it shows the photo.
    """
    renditions = Renditions.of(stored)
    if saver and renditions:
        return _saved(renditions, alt=alt, sizes=sizes, css_class=css_class, ratio=ratio, reveal=reveal)
    return _img(renditions, alt=alt, sizes=sizes, lazy=lazy, css_class=css_class, ratio=ratio)


def _saved(renditions: "Renditions", *, alt, sizes, css_class, ratio, reveal) -> str:
    width = renditions.width or 400
    height = round(width / ratio) if ratio else renditions.height or 300
    placeholder = format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" class="{}">',
        colour_gif(renditions.colour or PLACEHOLDER_COLOUR),
        "" if reveal else alt,
        width,
        height,
        f"photo-saved {css_class}".strip(),
    )
    if not reveal:
        return placeholder
    # Closed, a <details> renders nothing inside it, so the lazy photo is not fetched until the
    # visitor opens it: a tap that works without script.
    return format_html(
        '<details class="photo-reveal"><summary>{}<span class="photo-reveal-label">{}</span></summary>'
        "{}</details>",
        placeholder,
        _("Chạm để xem ảnh"),
        _img(renditions, alt=alt, sizes=sizes, lazy=True, css_class=css_class, ratio=ratio),
    )


def _img(renditions: "Renditions", *, alt, sizes, lazy, css_class, ratio) -> str:
    loading = "lazy" if lazy else "eager"
    if not renditions:
        width, height = (400, round(400 / ratio)) if ratio else (400, 300)
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}" class="{}" loading="{}" decoding="async">',
            static(PLACEHOLDER),
            alt,
            width,
            height,
            f"photo-placeholder {css_class}".strip(),
            loading,
        )
    if not renditions.by_width:
        # Renditions are still being made (a background job): the cleaned master meanwhile.
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}" class="{}" loading="{}" decoding="async">',
            default_storage.url(renditions.master),
            alt,
            renditions.width or 400,
            renditions.height or 300,
            css_class,
            loading,
        )
    widest = max(renditions.by_width)
    img = format_html(
        '<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}" class="{}" '
        'loading="{}"{} decoding="async">',
        default_storage.url(renditions.at_least(FALLBACK_WIDTH)),
        _srcset(renditions.by_width),
        sizes,
        alt,
        renditions.width or widest,
        renditions.height or widest,
        css_class,
        loading,
        # The photo the first screen shows is what the page is waiting for (its LCP).
        "" if lazy else mark_safe(' fetchpriority="high"'),  # noqa: S308 (a constant)
    )
    if not renditions.avif:
        return img
    return format_html(
        '<picture><source type="image/avif" srcset="{}" sizes="{}">{}</picture>',
        _srcset(renditions.avif),
        sizes,
        img,
    )


def _srcset(by_width: dict[int, str]) -> str:
    return ", ".join(f"{default_storage.url(name)} {width}w" for width, name in by_width.items())
