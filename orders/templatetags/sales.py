"""Template filters of the sales pages (the code they wrap lives in orders.statements)."""

from decimal import Decimal

from django import template

from ..statements import rate_display

register = template.Library()


@register.filter
def rate(value: Decimal) -> str:
    """The market fee rate as people write it: "2,5%"."""
    return rate_display(rate=value)
