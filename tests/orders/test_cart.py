"""The session cart keeps only product ids and quantities; the cart services hold its limits."""

import pytest
from django.contrib import messages

from orders import services
from orders.cart import Cart
from orders.services import CART_MAX_LINES, CART_MAX_QUANTITY
from tests.factories import ProductFactory


def test_cart_stores_only_ids_and_quantities():
    """Adding lines writes {"id": quantity} to the session and nothing else about prices."""
    session = {}
    cart = Cart(session)
    cart.set(5, 2)
    cart.set(7, 1)
    assert session["cart"] == {"5": 2, "7": 1}
    assert cart.count == 3
    assert len(cart) == 2
    cart.set(5, 0)
    assert cart.lines == {7: 1}


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


@pytest.mark.django_db
def test_a_line_never_exceeds_the_stock_or_the_cap():
    """Adding beyond the stock or the per-line cap stops at the lower of the two, and says so."""
    plenty = ProductFactory(stock=500)
    few = ProductFactory(stock=3)
    cart = Cart({})
    change = services.cart_add(cart=cart, product_id=plenty.pk, quantity=CART_MAX_QUANTITY + 20)
    assert (change.level, change.quantity) == (messages.WARNING, CART_MAX_QUANTITY)
    assert cart.quantity_of(plenty.pk) == CART_MAX_QUANTITY
    services.cart_add(cart=cart, product_id=few.pk, quantity=2)
    change = services.cart_add(cart=cart, product_id=few.pk, quantity=2)
    assert cart.quantity_of(few.pk) == 3
    assert "chỉ đặt được 3" in change.message
    change = services.cart_update(cart=cart, product_id=few.pk, quantity=10)
    assert cart.quantity_of(few.pk) == 3
    assert change.level == messages.WARNING


@pytest.mark.django_db
def test_a_cart_holds_at_most_the_line_cap():
    """The line after the last allowed one is refused; more of a product already in it is not."""
    cart = Cart({})
    for product_id in range(1, CART_MAX_LINES + 1):
        cart.set(10**9 + product_id, 1)
    extra = ProductFactory(stock=5)
    change = services.cart_add(cart=cart, product_id=extra.pk, quantity=1)
    assert change.level == messages.ERROR
    assert extra.pk not in cart.lines
    assert len(cart) == CART_MAX_LINES
    cart.set(extra.pk, 1)
    cart.remove(10**9 + 1)
    change = services.cart_add(cart=cart, product_id=extra.pk, quantity=1)
    assert (change.level, cart.quantity_of(extra.pk)) == (messages.SUCCESS, 2)


@pytest.mark.django_db
def test_refresh_corrects_the_session_and_the_selector_only_reads():
    """cart_summary reports lowered and dropped lines without touching the session; cart_refresh
    stores them and remembers the prices shown."""
    from orders.selectors import cart_summary

    low = ProductFactory(stock=2, price=1000)
    gone = ProductFactory(stock=0)
    session = {"cart": {str(low.pk): 5, str(gone.pk): 1}}
    summary = cart_summary(lines=Cart(session).lines, seen_prices={})
    assert summary.corrected == {low.pk: 2}
    assert session["cart"] == {str(low.pk): 5, str(gone.pk): 1}
    services.cart_refresh(cart=Cart(session))
    assert session["cart"] == {str(low.pk): 2}
    assert session["cart_seen_prices"] == {str(low.pk): 1000}
