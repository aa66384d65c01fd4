"""Who may open an order's pages: the browser that placed it or found it by code and phone.

Buyers have no accounts, so an order is this browser's when its code is remembered in the
session (checkout, /orders/track/) or in the small signed cookie sent with the redirect after
checkout (it needs no database, so it holds when the session could not be saved right after
the order committed). The order page and every page about one order (its reviews) ask here.
"""

from django.http import HttpRequest

ORDERS_SESSION_KEY = "orders"
PLACED_COOKIE = "placed"
PLACED_SALT = "orders.placed"
# Long enough to come back to the page the same day; after that, /orders/track/ opens it.
PLACED_MAX_AGE = 24 * 60 * 60


def placed_here(request: HttpRequest) -> list[str]:
    """The orders this browser placed lately, from the signed cookie set with the order page."""
    raw = request.get_signed_cookie(PLACED_COOKIE, default="", salt=PLACED_SALT, max_age=PLACED_MAX_AGE)
    return [code for code in raw.split(",") if code]


def may_see_order(request: HttpRequest, code: str) -> bool:
    """Whether this browser may open the order with that (normalised) code."""
    return code in request.session.get(ORDERS_SESSION_KEY, []) or code in placed_here(request)
