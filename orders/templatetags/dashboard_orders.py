"""Order facts the dashboard's navigation shows on every page, product pages included.

A template tag, so that product-side views (which must not import orders) still get the badge.
"""

from django import template

from products.permissions import ORDER_ROLES
from storefront.lib.links import absolute_url

from ..dashboard_selectors import new_order_count
from ..dashboard_selectors import sepay_connection as sepay_connection_of

register = template.Library()


@register.simple_tag
def dashboard_new_orders(membership) -> int | None:
    """New parts waiting for confirmation, or None when this role does not see orders."""
    if membership is None or membership.role not in ORDER_ROLES:
        return None
    return new_order_count(cooperative_id=membership.cooperative_id)


@register.simple_tag
def sepay_connection(membership) -> dict:
    """The stall's SePay connection and the address to paste into SePay, for the profile page
    (a product-side page, which must not import orders)."""
    webhook = sepay_connection_of(cooperative_id=membership.cooperative_id)
    return {"webhook": webhook, "url": absolute_url(webhook.get_absolute_url()) if webhook else ""}
