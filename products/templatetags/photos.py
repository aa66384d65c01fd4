from django import template
from django.core.files.storage import default_storage

from storefront.lib.renditions import Renditions, img_html

register = template.Library()


@register.simple_tag(takes_context=True)
def photo(context, stored, alt="", sizes="100vw", lazy=True, css_class="", ratio=None, reveal=False):
    """{% photo product_image.photo alt=… sizes=… %}: see storefront.lib.renditions.img_html.
    On a data-saver page (`data_saver` in the context) the photo's colour instead; `reveal=True`
    shows the photo when that box is tapped."""
    return img_html(
        stored,
        alt=alt,
        sizes=sizes,
        lazy=lazy,
        css_class=css_class,
        ratio=ratio,
        saver=bool(context.get("data_saver")),
        reveal=reveal,
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
