"""The session cart keeps only product ids and quantities, and survives odd session contents."""

from orders.cart import MAX_QUANTITY, Cart


def test_cart_stores_only_ids_and_quantities():
    """Adding lines writes {"id": quantity} to the session and nothing else about prices."""
    session = {}
    cart = Cart(session)
    cart.set(5, 2)
    cart.set(7, 1)
    assert session["cart"] == {"5": 2, "7": 1}
    assert cart.count == 3
    assert len(cart) == 2


def test_zero_removes_and_quantity_is_capped():
    """Quantity 0 removes a line; quantities above the maximum are capped."""
    cart = Cart({})
    cart.set(5, 1000)
    assert cart.lines == {5: MAX_QUANTITY}
    cart.set(5, 0)
    assert not cart


def test_garbage_in_the_session_is_ignored():
    """A tampered or outdated session value never breaks the cart."""
    cart = Cart({"cart": {"x": 1, "3": "two", "-4": 2, "8": 3, "9": -1}, "cart_seen_prices": "junk"})
    assert cart.lines == {8: 3}
    assert cart.seen_prices == {}
    assert Cart({"cart": ["not", "a", "dict"]}).lines == {}


def test_clear_forgets_seen_prices_too():
    """Emptying the cart also forgets the prices the buyer was shown."""
    session = {}
    cart = Cart(session)
    cart.set(1, 1)
    cart.remember_prices({1: 1000, 2: 5})
    assert cart.seen_prices == {1: 1000}
    cart.clear()
    assert session == {}
