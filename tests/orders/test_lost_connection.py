"""The database connection dies right after an order commits (PostgreSQL terminates it), so the
session cannot be saved: the buyer still gets the order page, and a retry never makes a second
order."""

import psycopg
import pytest
from django.db import connection
from django.db.models.signals import post_save
from huey.contrib.djhuey import HUEY

from orders.models import Order
from tests.factories import ProductFactory
from tests.orders.test_views import CHECKOUT, add, checkout_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def connection_dies_after_the_order_commits():
    """Once the first order's transaction commits, its connection is killed from outside."""
    if connection.vendor != "postgresql":
        pytest.skip("terminating a live connection needs PostgreSQL (CI runs the suite on both)")
    settings = connection.settings_dict
    dsn = psycopg.conninfo.make_conninfo(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname="postgres",
    )
    fired = []

    def kill_after_commit(sender, instance, created, **kwargs):
        if fired or not created:
            return
        fired.append(True)
        pid = connection.connection.info.backend_pid

        def kill():
            with psycopg.connect(dsn, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])

        connection.on_commit(kill)

    # Jobs are queued, not run in this process: the worker has its own connection.
    HUEY.immediate = False
    post_save.connect(kill_after_commit, sender=Order)
    yield fired
    post_save.disconnect(kill_after_commit, sender=Order)
    HUEY.flush()
    HUEY.immediate = True


def test_a_saved_order_reaches_its_buyer_when_the_session_cannot_be_saved(
    client, connection_dies_after_the_order_commits
):
    """The order commits, the connection dies, the session is not saved: the answer is still the
    redirect to the order page, which opens; sending the form again, or checking out again from
    the cart that is still in the session, opens the same order and takes no more stock."""
    tea = ProductFactory(stock=5)
    add(client, tea, 2)
    data = checkout_data(client)
    response = client.post(CHECKOUT, data)
    assert connection_dies_after_the_order_commits == [True]
    connection.close()  # what the next request does with a broken connection
    order = Order.objects.get()  # committed before the kill
    assert response.status_code == 303
    assert response["Location"] == order.get_absolute_url()
    page = client.get(order.get_absolute_url())
    assert page.status_code == 200
    assert order.code in page.content.decode()

    assert client.session["cart"] == {str(tea.pk): 2}  # the session as it was before the order
    from_the_cart = client.get(CHECKOUT)
    assert from_the_cart["Location"] == order.get_absolute_url()
    assert not client.session.get("cart")
    again = client.post(CHECKOUT, data)
    assert again["Location"] == order.get_absolute_url()
    assert Order.objects.count() == 1
    tea.refresh_from_db()
    assert tea.stock == 3
