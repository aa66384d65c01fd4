from .cart import Cart


def cart(request):
    """The header's item count, read from the session only: no database query on any page."""
    session = getattr(request, "session", None)
    return {"cart_count": Cart(session).count if session is not None else 0}
