from .cart import Cart
from .services.cart import CART_MAX_QUANTITY


def cart(request):
    """The header's item count, read from the session only (no database query on any page), and
    the most of one product a cart line takes, for the quantity boxes."""
    session = getattr(request, "session", None)
    return {
        "cart_count": Cart(session).count if session is not None else 0,
        "cart_max_quantity": CART_MAX_QUANTITY,
    }
