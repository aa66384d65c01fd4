from django import template

from storefront.lib.links import absolute_url

register = template.Library()


@register.filter
def absolute(path) -> str:
    """'/products/che/' -> 'https://chophien.vn/products/che/' (from settings.SITE_URL)."""
    return absolute_url(str(path))
