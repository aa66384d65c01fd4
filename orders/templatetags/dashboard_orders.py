"""Order facts the dashboard's navigation shows on every page, product pages included.

A template tag, so that product-side views (which must not import orders) still get the badge.
"""

from django import template

from products.permissions import ORDER_ROLES

from ..dashboard_selectors import new_order_count

register = template.Library()


@register.simple_tag
def dashboard_new_orders(membership) -> int | None:
    """New parts waiting for confirmation, or None when this role does not see orders."""
    if membership is None or membership.role not in ORDER_ROLES:
        return None
    return new_order_count(cooperative_id=membership.cooperative_id)
