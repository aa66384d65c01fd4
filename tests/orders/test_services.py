"""order_place and the status changes: stock, totals, snapshots, idempotency, events and mail."""

import socket

import pytest
from django.core import mail

from orders import services
from orders.exceptions import (
    CartEmpty,
    InvalidTransition,
    OutOfStock,
    PaymentMethodUnavailable,
    PriceChanged,
)
from orders.models import CODE_ALPHABET, CooperativeOrder, Order, OrderEvent, Status
from storefront.models import FailedJob
from tests.factories import (
    CooperativeFactory,
    ProductFactory,
    UserFactory,
    buyer,
    placed_order,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_stalls():
    tea = CooperativeFactory(name="HTX Chè", shipping_fee=30000, free_shipping_threshold=500000)
    honey = CooperativeFactory(name="HTX Mật ong", shipping_fee=25000, free_shipping_threshold=None)
    return {
        "tea": ProductFactory(cooperative=tea, name="Chè Shan tuyết", price=250000, stock=10),
        "honey": ProductFactory(cooperative=honey, name="Mật ong bạc hà", price=450000, stock=3),
    }


def test_place_splits_per_cooperative_with_totals_and_snapshots(
    two_stalls, django_capture_on_commit_callbacks
):
    """One order, one part per cooperative, shipping per stall, prices snapshotted, stock taken."""
    tea, honey = two_stalls["tea"], two_stalls["honey"]
    with django_capture_on_commit_callbacks(execute=True):
        order = placed_order({tea: 2, honey: 1})
    parts = {p.cooperative_name: p for p in order.cooperative_orders.all()}
    assert parts["HTX Chè"].subtotal == 500000
    assert parts["HTX Chè"].shipping_fee == 0  # threshold reached
    assert parts["HTX Mật ong"].subtotal == 450000
    assert parts["HTX Mật ong"].shipping_fee == 25000
    assert order.items_total == 950000
    assert order.shipping_total == 25000
    assert order.grand_total == 975000
    item = parts["HTX Chè"].items.get()
    assert (item.product_name, item.unit, item.unit_price, item.quantity, item.line_total) == (
        "Chè Shan tuyết",
        "gói 200 g",
        250000,
        2,
        500000,
    )
    tea.refresh_from_db()
    honey.refresh_from_db()
    assert (tea.stock, honey.stock) == (8, 2)
    assert order.status == Status.NEW
    assert OrderEvent.objects.filter(order=order, kind="placed").count() == 2
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(["lan@example.vn", tea.cooperative.email, honey.cooperative.email])


def test_shipping_fee_charged_below_threshold(two_stalls):
    """Below the free-shipping threshold the stall's flat fee applies."""
    order = placed_order({two_stalls["tea"]: 1})
    assert order.shipping_total == 30000
    assert order.grand_total == 280000


def test_order_code_is_short_and_unambiguous(two_stalls):
    """Codes are 8 characters without 0, O, 1, I or L."""
    order = placed_order({two_stalls["tea"]: 1})
    assert len(order.code) == 8
    assert set(order.code) <= set(CODE_ALPHABET)
    assert not set(order.code) & set("0O1IL")


def test_same_checkout_token_gives_one_order(two_stalls):
    """Submitting the same checkout form twice creates one order and takes stock once."""
    first = placed_order({two_stalls["tea"]: 2}, token="same-token")
    second = placed_order({two_stalls["tea"]: 2}, token="same-token")
    assert first.pk == second.pk
    assert Order.objects.count() == 1
    two_stalls["tea"].refresh_from_db()
    assert two_stalls["tea"].stock == 8


def test_short_line_takes_nothing_and_names_what_is_left(two_stalls):
    """One short line: no order, no stock taken from any line, the message names the product."""
    with pytest.raises(OutOfStock) as error:
        placed_order({two_stalls["tea"]: 2, two_stalls["honey"]: 5})
    assert Order.objects.count() == 0
    two_stalls["tea"].refresh_from_db()
    assert two_stalls["tea"].stock == 10
    [line] = error.value.lines
    assert (line.name, line.requested, line.available) == ("Mật ong bạc hà", 5, 3)
    assert "Mật ong bạc hà chỉ còn 3" in error.value.message


def test_unpublished_product_cannot_be_ordered(two_stalls):
    """A product unpublished since it was put in the cart is reported as gone, nothing taken."""
    honey = two_stalls["honey"]
    honey.is_published = False
    honey.save()
    with pytest.raises(OutOfStock) as error:
        placed_order({two_stalls["tea"]: 1, honey: 1})
    assert error.value.lines[0].available == 0
    assert Order.objects.count() == 0


def test_empty_cart_is_refused():
    """An empty cart cannot become an order."""
    with pytest.raises(CartEmpty):
        services.order_place(cart={}, buyer=buyer(), payment_method="cod", checkout_token="t")


def test_price_change_since_seen_stops_the_order(two_stalls):
    """If the price moved since the buyer saw it, nothing is ordered and the change is named."""
    tea = two_stalls["tea"]
    with pytest.raises(PriceChanged) as error:
        services.order_place(
            cart={tea.pk: 1},
            buyer=buyer(),
            payment_method="cod",
            checkout_token="t",
            seen_prices={tea.pk: 200000},
        )
    assert error.value.changes[0].new_price == 250000
    assert Order.objects.count() == 0


def test_bank_transfer_needs_bank_details_everywhere(two_stalls):
    """Bank transfer is refused when one stall in the cart has no bank account."""
    coop = two_stalls["honey"].cooperative
    coop.bank_account_number = ""
    coop.save()
    with pytest.raises(PaymentMethodUnavailable):
        placed_order({two_stalls["tea"]: 1, two_stalls["honey"]: 1}, payment_method="bank_transfer")


def test_bank_details_are_snapshotted(two_stalls):
    """Changing the stall's bank account later does not change where the buyer pays."""
    order = placed_order({two_stalls["tea"]: 1}, payment_method="bank_transfer")
    coop = two_stalls["tea"].cooperative
    coop.bank_account_number = "999999999"
    coop.save()
    part = order.cooperative_orders.get()
    assert part.bank_account_number == "0011001234567"


def test_confirm_ship_deliver_for_cash_on_delivery(two_stalls, django_capture_on_commit_callbacks):
    """The happy path writes events, tells the buyer, and delivery of COD counts as paid."""
    order = placed_order({two_stalls["tea"]: 1})
    part = order.cooperative_orders.get()
    producer = UserFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cooperative_order_confirm(cooperative_order=part, actor=producer)
        services.cooperative_order_ship(
            cooperative_order=part, actor=producer, carrier="viettel_post", tracking_number=" vtp 123 "
        )
        services.cooperative_order_deliver(cooperative_order=part, actor=producer)
    part.refresh_from_db()
    assert part.status == Status.DELIVERED
    assert (part.carrier, part.tracking_number) == ("viettel_post", "VTP123")
    assert part.is_paid and part.paid_at is not None
    kinds = list(OrderEvent.objects.filter(cooperative_order=part).values_list("kind", "actor"))
    assert kinds == [
        ("placed", None),
        ("confirmed", producer.pk),
        ("shipped", producer.pk),
        ("delivered", producer.pk),
    ]
    assert len(mail.outbox) == 3
    assert all(m.to == ["lan@example.vn"] for m in mail.outbox)
    assert "VTP123" in mail.outbox[1].body


def test_invalid_transitions_are_refused(two_stalls):
    """Shipping a new part, or delivering twice, raises InvalidTransition and writes nothing."""
    order = placed_order({two_stalls["tea"]: 1})
    part = order.cooperative_orders.get()
    with pytest.raises(InvalidTransition) as error:
        services.cooperative_order_ship(
            cooperative_order=part, actor=None, carrier="ghn", tracking_number="GY1234"
        )
    assert "Mới đặt" in error.value.message
    assert OrderEvent.objects.filter(kind="shipped").count() == 0


def test_mark_paid_once(two_stalls):
    """A bank transfer is recorded once; a second time is refused."""
    order = placed_order({two_stalls["tea"]: 1}, payment_method="bank_transfer")
    part = order.cooperative_orders.get()
    services.cooperative_order_mark_paid(cooperative_order=part, actor=None)
    assert part.is_paid
    with pytest.raises(InvalidTransition):
        services.cooperative_order_mark_paid(cooperative_order=part, actor=None)
    stale = CooperativeOrder.objects.get(pk=part.pk)
    stale.is_paid = False  # an old copy in someone's form
    with pytest.raises(InvalidTransition):
        services.cooperative_order_mark_paid(cooperative_order=stale, actor=None)
    assert OrderEvent.objects.filter(kind="paid").count() == 1


def test_cooperative_cancel_restocks_exactly_once(two_stalls):
    """Cancelling returns the stock; cancelling again (even from a stale copy) is refused."""
    tea = two_stalls["tea"]
    order = placed_order({tea: 4})
    part = order.cooperative_orders.get()
    stale = CooperativeOrder.objects.get(pk=part.pk)
    services.cooperative_order_cancel(cooperative_order=part, actor=None, reason="Hết hàng trong kho")
    with pytest.raises(InvalidTransition):
        services.cooperative_order_cancel(cooperative_order=stale, actor=None, reason="lần hai")
    tea.refresh_from_db()
    assert tea.stock == 10
    assert part.cancel_reason == "Hết hàng trong kho"
    assert order.status == Status.CANCELLED


def test_cancel_needs_a_reason(two_stalls):
    """A cooperative must say why it cancels."""
    part = placed_order({two_stalls["tea"]: 1}).cooperative_orders.get()
    with pytest.raises(InvalidTransition):
        services.cooperative_order_cancel(cooperative_order=part, actor=None, reason="   ")


def test_buyer_cancels_before_confirmation(two_stalls, django_capture_on_commit_callbacks):
    """The buyer cancels a new order: every part cancelled, all stock back, stalls told."""
    tea, honey = two_stalls["tea"], two_stalls["honey"]
    order = placed_order({tea: 2, honey: 1})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=order)
    tea.refresh_from_db()
    honey.refresh_from_db()
    assert (tea.stock, honey.stock) == (10, 3)
    assert order.status == Status.CANCELLED
    assert len(mail.outbox) == 3
    with pytest.raises(InvalidTransition):
        services.order_cancel(order=order)
    tea.refresh_from_db()
    assert tea.stock == 10


def test_buyer_cannot_cancel_once_a_part_is_confirmed(two_stalls):
    """One confirmed part blocks the buyer's cancel and nothing changes."""
    order = placed_order({two_stalls["tea"]: 2, two_stalls["honey"]: 1})
    first = order.cooperative_orders.first()
    services.cooperative_order_confirm(cooperative_order=first, actor=None)
    with pytest.raises(InvalidTransition):
        services.order_cancel(order=order)
    assert not CooperativeOrder.objects.filter(status=Status.CANCELLED).exists()


def test_order_status_is_the_slowest_live_part(two_stalls):
    """An order with one shipped and one new part reads as new; cancelled parts are ignored."""
    order = placed_order({two_stalls["tea"]: 2, two_stalls["honey"]: 1})
    first, second = order.cooperative_orders.all()
    services.cooperative_order_confirm(cooperative_order=first, actor=None)
    services.cooperative_order_ship(
        cooperative_order=first, actor=None, carrier="ghn", tracking_number="GY1234"
    )
    assert Order.objects.get(pk=order.pk).status == Status.NEW
    services.cooperative_order_cancel(cooperative_order=second, actor=None, reason="Hết mùa")
    assert Order.objects.get(pk=order.pk).status == Status.SHIPPED


def test_order_progress_names_mixed_stages(two_stalls):
    """Parts at different stages read "partly …" after the furthest stage; one stage reads as itself."""
    order = placed_order({two_stalls["tea"]: 2, two_stalls["honey"]: 1})
    first, second = order.cooperative_orders.all()

    def label():
        return Order.objects.get(pk=order.pk).get_status_display()

    assert label() == "Mới đặt"
    services.cooperative_order_confirm(cooperative_order=first, actor=None)
    assert label() == "Một phần đã xác nhận"
    services.cooperative_order_ship(
        cooperative_order=first, actor=None, carrier="ghn", tracking_number="GY1234"
    )
    assert label() == "Một phần đã gửi"
    services.cooperative_order_deliver(cooperative_order=first, actor=None)
    assert label() == "Một phần đã giao"
    services.cooperative_order_cancel(cooperative_order=second, actor=None, reason="Hết mùa")
    assert label() == "Đã giao"


def test_failing_mail_server_never_loses_the_order(two_stalls, django_capture_on_commit_callbacks, settings):
    """A mail server that refuses the connection: the order and the stock change stay, the mail
    job is tried JOB_RETRIES + 1 times and then listed as a failed job for the admin."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    with django_capture_on_commit_callbacks(execute=True):
        order = placed_order({two_stalls["tea"]: 1}, email="lan@example.vn")
    assert Order.objects.filter(pk=order.pk).exists()
    two_stalls["tea"].refresh_from_db()
    assert two_stalls["tea"].stock == 9
    (failed,) = FailedJob.objects.filter(arguments__kwargs__notice="placed_buyer")
    assert failed.tries == settings.JOB_RETRIES + 1
    assert "Connection refused" in failed.error


def test_order_over_the_maximum_total_is_refused_before_anything_is_written():
    """An order above 1,000,000,000 ₫ is refused with a clear message; no order, stock untouched."""
    from orders.exceptions import OrderTooLarge

    pricey = ProductFactory(price=100_000_000, stock=20)
    with pytest.raises(OrderTooLarge) as refused:
        placed_order({pricey: 11})
    assert "1.000.000.000" in refused.value.message
    assert "gọi cho gian hàng" in refused.value.message
    assert Order.objects.count() == 0
    assert CooperativeOrder.objects.count() == 0
    pricey.refresh_from_db()
    assert pricey.stock == 20


def test_order_at_the_maximum_total_is_placed():
    """Exactly the maximum is still an order."""
    coop = CooperativeFactory(shipping_fee=0, free_shipping_threshold=None)
    product = ProductFactory(cooperative=coop, price=100_000_000, stock=20)
    order = placed_order({product: 10})
    assert order.grand_total == 1_000_000_000


def test_buyer_cannot_cancel_a_paid_transfer_and_is_told_whom_to_call(two_stalls):
    """A bank transfer marked paid (still new) cannot be cancelled by the buyer: the message
    names the stall and its phone; nothing changes and no stock returns."""
    tea = two_stalls["tea"]
    order = placed_order({tea: 2}, payment_method="bank_transfer")
    part = order.cooperative_orders.get()
    services.cooperative_order_mark_paid(cooperative_order=part, actor=None)
    order = Order.objects.get(pk=order.pk)
    assert not order.can_cancel
    with pytest.raises(InvalidTransition) as refused:
        services.order_cancel(order=order)
    assert "đã được ghi nhận thanh toán" in refused.value.message
    assert "HTX Chè (0912 345 678)" in refused.value.message
    part.refresh_from_db()
    assert part.status == Status.NEW
    tea.refresh_from_db()
    assert tea.stock == 8
