from django import template
from django.core.files.storage import default_storage

from storefront.lib.renditions import Renditions, img_html

register = template.Library()


@register.simple_tag
def photo(stored, alt="", sizes="100vw", lazy=True, css_class="", ratio=None):
    """{% photo product_image.photo alt=… sizes=… %}: see storefront.lib.renditions.img_html."""
    return img_html(stored, alt=alt, sizes=sizes, lazy=lazy, css_class=css_class, ratio=ratio)


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
