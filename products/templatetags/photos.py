from django import template
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.utils.html import format_html

from storefront.lib.renditions import Renditions

register = template.Library()

PLACEHOLDER = "img/placeholder.svg"
# The src for browsers without srcset: a card's width on a phone.
FALLBACK_WIDTH = 320


@register.simple_tag
def photo(stored, alt="", sizes="100vw", lazy=True, css_class="", ratio=None):
    """An <img> with srcset from a photo's stored renditions; a light placeholder without a photo.

    Only URLs are built here: renditions were made when the photo was saved.
    `ratio` (width/height) lets cards reserve the same box for every photo.
    """
    loading = "lazy" if lazy else "eager"
    renditions = Renditions.of(stored)
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
    srcset = ", ".join(f"{default_storage.url(name)} {w}w" for w, name in renditions.by_width.items())
    widest = max(renditions.by_width)
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}" class="{}" '
        'loading="{}" decoding="async">',
        default_storage.url(renditions.at_least(FALLBACK_WIDTH)),
        srcset,
        sizes,
        alt,
        renditions.width or widest,
        renditions.height or widest,
        css_class,
        loading,
    )


@register.simple_tag
def first_photo(product) -> Renditions:
    """A product's first photo, from its prefetched images (no query)."""
    images = list(product.images.all())
    return images[0].photo if images else Renditions()


@register.simple_tag
def photo_url(stored, width=640) -> str:
    """URL of the rendition closest to `width`, or an empty string without a photo."""
    name = Renditions.of(stored).closest(int(width))
    return default_storage.url(name) if name else ""
