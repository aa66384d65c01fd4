"""Order rows: the money columns hold any total the shop can produce, on every database."""

import pytest

from orders.models import CooperativeOrder, Order, OrderItem
from tests.factories import CooperativeOrderFactory, OrderItemFactory

pytestmark = pytest.mark.django_db

BEYOND_32_BITS = 3_000_000_000


def test_money_columns_hold_amounts_beyond_32_bit_integers():
    """Totals, part amounts and line amounts above 2,147,483,647 ₫ are stored and read back whole."""
    item = OrderItemFactory(
        cooperative_order=CooperativeOrderFactory(
            order__items_total=BEYOND_32_BITS,
            order__shipping_total=BEYOND_32_BITS,
            order__grand_total=2 * BEYOND_32_BITS,
            subtotal=BEYOND_32_BITS,
            shipping_fee=BEYOND_32_BITS,
        ),
        unit_price=BEYOND_32_BITS,
        quantity=1,
        line_total=BEYOND_32_BITS,
    )
    order = Order.objects.get()
    assert (order.items_total, order.shipping_total, order.grand_total) == (
        BEYOND_32_BITS,
        BEYOND_32_BITS,
        2 * BEYOND_32_BITS,
    )
    part = CooperativeOrder.objects.get()
    assert (part.subtotal, part.shipping_fee) == (BEYOND_32_BITS, BEYOND_32_BITS)
    line = OrderItem.objects.get(pk=item.pk)
    assert (line.unit_price, line.line_total) == (BEYOND_32_BITS, BEYOND_32_BITS)
