from django import template
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()

PLACEHOLDER = "img/placeholder.svg"


@register.simple_tag
def photo(meta, alt="", sizes="100vw", lazy=True, css_class="", ratio=None):
    """An <img> with srcset from stored renditions; a light placeholder when there is no photo.

    Only URLs are built here: renditions were made when the photo was saved.
    `ratio` (width/height) lets cards reserve the same box for every photo.
    """
    loading = "lazy" if lazy else "eager"
    renditions = (meta or {}).get("renditions") or {}
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
    ordered = sorted(((int(w), name) for w, name in renditions.items()), key=lambda item: item[0])
    srcset = ", ".join(f"{default_storage.url(name)} {w}w" for w, name in ordered)
    fallback = next((name for w, name in ordered if w >= 320), ordered[-1][1])
    width, height = meta.get("width") or ordered[-1][0], meta.get("height") or ordered[-1][0]
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}" class="{}" '
        'loading="{}" decoding="async">',
        default_storage.url(fallback),
        srcset,
        sizes,
        alt,
        width,
        height,
        css_class,
        loading,
    )


@register.simple_tag
def first_photo_meta(product) -> dict:
    """Meta of a product's first photo, using prefetched images (no query)."""
    images = list(product.images.all())
    return images[0].image_meta if images else {}


@register.simple_tag
def photo_url(meta, width=640) -> str:
    """URL of the rendition closest to `width` (for share previews), or an empty string."""
    renditions = (meta or {}).get("renditions") or {}
    if not renditions:
        return ""
    best = min(renditions, key=lambda w: abs(int(w) - int(width)))
    return default_storage.url(renditions[best])
