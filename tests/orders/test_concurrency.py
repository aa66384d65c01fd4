"""Real threads on separate database connections: no unit is ever sold twice, nothing deadlocks.

Runs on SQLite (a file database, IMMEDIATE transactions) and on PostgreSQL (DATABASE_URL).
"""

import secrets
import threading

import pytest
from django.db import connection

from orders import services
from orders.exceptions import InvalidTransition, OutOfStock
from orders.models import CooperativeOrder, Order, OrderItem, Status
from products.models import Product
from tests.factories import CooperativeFactory, ProductFactory, buyer, placed_order

pytestmark = pytest.mark.django_db(transaction=True)

JOIN_TIMEOUT = 60


def run_at_once(jobs):
    """Start every job at the same moment on its own thread and connection; return their outcomes."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait()
            outcomes[index] = job()
        except Exception as error:  # the outcome under test, whatever it is
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a buyer is stuck: deadlock?"
    return outcomes


def place(cart: dict, token: str | None = None):
    def job():
        return services.order_place(
            cart=cart,
            buyer=buyer(),
            payment_method="cod",
            checkout_token=token or secrets.token_urlsafe(16),
        )

    return job


def test_twenty_buyers_for_the_last_five_units():
    """20 buyers at once for the last 5 units: exactly 5 orders, stock 0, 15 told it is sold out."""
    product = ProductFactory(stock=5, name="Mật ong bạc hà")
    outcomes = run_at_once([place({product.pk: 1}) for _ in range(20)])
    orders = [o for o in outcomes if isinstance(o, Order)]
    refused = [o for o in outcomes if isinstance(o, OutOfStock)]
    assert len(orders) == 5, outcomes
    assert len(refused) == 15, outcomes
    assert all("Mật ong bạc hà đã hết hàng" in r.message for r in refused)
    product.refresh_from_db()
    assert product.stock == 0
    assert Order.objects.count() == 5
    assert sum(OrderItem.objects.values_list("quantity", flat=True)) == 5


def test_opposite_orders_of_shared_products_do_not_deadlock():
    """Carts sharing two products, listed in opposite orders: no deadlock, no oversell."""
    coop = CooperativeFactory()
    tea = ProductFactory(cooperative=coop, stock=5)
    honey = ProductFactory(cooperative=coop, stock=5)
    jobs = [place({tea.pk: 1, honey.pk: 1} if i % 2 else {honey.pk: 1, tea.pk: 1}) for i in range(12)]
    outcomes = run_at_once(jobs)
    orders = [o for o in outcomes if isinstance(o, Order)]
    assert len(orders) == 5, outcomes
    assert all(isinstance(o, (Order, OutOfStock)) for o in outcomes), outcomes
    assert list(Product.objects.filter(pk__in=[tea.pk, honey.pk]).values_list("stock", flat=True)) == [0, 0]


def test_same_form_submitted_at_once_makes_one_order():
    """Four simultaneous submits of one checkout form give one order, stock taken once."""
    product = ProductFactory(stock=10)
    outcomes = run_at_once([place({product.pk: 3}, token="one-token-for-all-tabs") for _ in range(4)])
    assert all(isinstance(o, Order) for o in outcomes), outcomes
    assert len({o.pk for o in outcomes}) == 1
    product.refresh_from_db()
    assert product.stock == 7


def test_two_cancels_at_once_restock_once():
    """A stall's cancel and a second cancel at the same moment: the stock comes back once."""
    product = ProductFactory(stock=10)
    part = placed_order({product: 4}).cooperative_orders.get()

    def cancel():
        return services.cooperative_order_cancel(
            cooperative_order=CooperativeOrder.objects.get(pk=part.pk), actor=None, reason="Hết hàng"
        )

    outcomes = run_at_once([cancel, cancel, cancel])
    assert sum(isinstance(o, CooperativeOrder) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, InvalidTransition) for o in outcomes) == 2, outcomes
    product.refresh_from_db()
    assert product.stock == 10


def test_buyer_cancel_racing_a_confirm():
    """The buyer cancels while the stall confirms: exactly one wins, stock stays consistent."""
    product = ProductFactory(stock=10)
    order = placed_order({product: 4})
    part = order.cooperative_orders.get()

    outcomes = run_at_once(
        [
            lambda: services.order_cancel(order=Order.objects.get(pk=order.pk)),
            lambda: services.cooperative_order_confirm(
                cooperative_order=CooperativeOrder.objects.get(pk=part.pk), actor=None
            ),
        ]
    )
    assert sum(isinstance(o, InvalidTransition) for o in outcomes) == 1, outcomes
    part.refresh_from_db()
    product.refresh_from_db()
    assert product.stock == (10 if part.status == Status.CANCELLED else 6)
