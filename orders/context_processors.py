from django.conf import settings

from .cart import Cart
from .services.cart import CART_MAX_QUANTITY


def cart(request):
    """The header's item count, read from the session only (no database query on any page) and
    only when the visitor has one (a page read without a session is the same for everyone and
    can be kept, storefront.lib.page_cache), and the most of one product a cart line takes."""
    session = getattr(request, "session", None)
    has_session = session is not None and settings.SESSION_COOKIE_NAME in request.COOKIES
    return {
        "cart_count": Cart(session).count if has_session else 0,
        "cart_max_quantity": CART_MAX_QUANTITY,
    }
