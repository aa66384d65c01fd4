from django import template
from django.core.exceptions import ValidationError

from storefront.phones import format_phone

register = template.Library()


@register.filter
def phone(value) -> str:
    """A stored mobile number as people read it: "0912 345 678"; anything else shown unchanged."""
    if not value:
        return ""
    try:
        return format_phone(str(value))
    except ValidationError:
        return value
