from django import template

from storefront.links import absolute_url

register = template.Library()


@register.filter
def absolute(path: str) -> str:
    """'/products/che/' -> 'https://chophien.vn/products/che/' (from settings.SITE_URL)."""
    return absolute_url(str(path))
