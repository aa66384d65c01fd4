from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()

NBSP = "\u00a0"


@register.filter
def vnd(value) -> str:
    """Whole đồng as the active language writes it: "120.000 ₫" (vi) or "120,000 ₫" (en)."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    return f"{intcomma(amount, use_l10n=True)}{NBSP}₫"
