"""Everything that tells a buyer or a stall something about an order, one function per event.

Each event function is called by the service that made the change, inside its transaction. It picks
who is told and through which channels they have (email, when they gave one; Web Push, on each phone
that asked for it) and queues one background job per message and phone (orders.tasks) once the
transaction commits: a rolled-back change tells nobody, a slow or failing mail server or push
service never slows or undoes an order, and a message that cannot be sent yet is retried.
`buyer_reach` says which channels a buyer has, so the dashboard can say who was actually told.

A stall is told by push on the phones of its owners and members (helpers never handle orders);
`stall_push` is the one way to do it, for any event about a stall's part.
"""

from dataclasses import dataclass

from django.db import transaction

from products.permissions import ORDER_ROLES
from storefront.lib.webpush import push_enabled

from .choices import EventKind, TransferOutcome
from .models import BankTransaction, CooperativeOrder, Order, PushSubscription
from .sepay import TRANSFER_IN
from .tasks import EMAIL, PUSH, STALL_PUSHES, mail_notice, mail_transfer_notice, push_notice


@dataclass(frozen=True)
class Reach:
    """How a person can be told: the channels they have, and the phone to call when none."""

    channels: tuple[str, ...]
    phone: str

    def __bool__(self) -> bool:
        return bool(self.channels)

    @property
    def by_email(self) -> bool:
        return EMAIL in self.channels

    @property
    def by_push(self) -> bool:
        return PUSH in self.channels


def buyer_reach(*, order: Order) -> Reach:
    followed = push_enabled() and order.push_subscriptions.exists()
    channels = ((EMAIL,) if order.email else ()) + ((PUSH,) if followed else ())
    return Reach(channels=channels, phone=order.phone)


def _queue(**notice) -> None:
    # robust: a queue that cannot be reached is logged and never turns a saved order into an error.
    transaction.on_commit(lambda: mail_notice(**notice), robust=True)


def _queue_push(**notice) -> None:
    transaction.on_commit(lambda: push_notice(**notice), robust=True)


def stall_push(*, part: CooperativeOrder, notice: str) -> None:
    """Tell the stall's owners and members about its part by push, one job per phone: `notice` is
    "placed_stall" (a new order), "cancelled_stall" (the buyer cancelled) or "paid_stall" (its
    money arrived, e.g. a bank transfer matched by itself)."""
    if notice not in STALL_PUSHES:
        raise ValueError(f"not a stall push notice: {notice}")
    if not push_enabled():
        return
    phones = PushSubscription.objects.filter(
        user__memberships__cooperative_id=part.cooperative_id, user__memberships__role__in=ORDER_ROLES
    )
    for subscription_id in phones.values_list("pk", flat=True).distinct():
        _queue_push(notice=notice, order_id=part.order_id, part_id=part.pk, subscription_id=subscription_id)


def _buyer_push(part: CooperativeOrder, kind: str) -> None:
    if not push_enabled():
        return
    for subscription_id in part.order.push_subscriptions.values_list("pk", flat=True):
        _queue_push(
            notice="changed_buyer",
            order_id=part.order_id,
            part_id=part.pk,
            kind=kind,
            subscription_id=subscription_id,
        )


def order_placed(*, order: Order) -> None:
    """A new order: the buyer gets its summary, each stall its own part."""
    if order.email:
        _queue(notice="placed_buyer", order_id=order.pk)
    for part in order.cooperative_orders.select_related("cooperative"):
        if part.cooperative.email:
            _queue(notice="placed_stall", order_id=order.pk, part_id=part.pk)
        stall_push(part=part, notice="placed_stall")


def _part_changed(part: CooperativeOrder, kind: str) -> None:
    if part.order.email:
        _queue(notice="changed_buyer", order_id=part.order_id, part_id=part.pk, kind=kind)
    _buyer_push(part, kind)


def part_confirmed(*, part: CooperativeOrder) -> None:
    _part_changed(part, EventKind.CONFIRMED)


def part_shipped(*, part: CooperativeOrder) -> None:
    _part_changed(part, EventKind.SHIPPED)


def part_delivered(*, part: CooperativeOrder) -> None:
    _part_changed(part, EventKind.DELIVERED)


def part_paid(*, part: CooperativeOrder) -> None:
    _part_changed(part, EventKind.PAID)


def part_cancelled(*, part: CooperativeOrder) -> None:
    _part_changed(part, EventKind.CANCELLED)


def order_cancelled_by_buyer(*, order: Order, part_ids: list[int]) -> None:
    """The buyer cancelled: they get a confirmation, each stall whose part it was a note."""
    if order.email:
        _queue(notice="cancelled_buyer", order_id=order.pk)
    for part in order.cooperative_orders.select_related("cooperative").filter(pk__in=part_ids):
        if part.cooperative.email:
            _queue(notice="cancelled_stall", order_id=order.pk, part_id=part.pk)
        stall_push(part=part, notice="cancelled_stall")


def transfer_received(*, record: BankTransaction) -> None:
    """SePay reported money in for one of the stall's parts: the stall hears whether it was
    marked paid or waits for a look (the buyer of a paid part is told by the `paid` action
    itself); a part marked paid also rings the stall's phones. Money out, or a transaction naming
    no part of the stall, is only listed."""
    if record.transfer_type != TRANSFER_IN or record.cooperative_order_id is None:
        return
    paid = record.outcome == TransferOutcome.PAID
    if paid:
        stall_push(part=record.cooperative_order, notice="paid_stall")
    if record.cooperative.email:
        # The mail says how the buyer heard of the payment: the `paid` action just told them
        # through these channels.
        told = buyer_reach(order=record.cooperative_order.order).channels if paid else ()
        transaction.on_commit(
            lambda: mail_transfer_notice(transaction_id=record.pk, buyer_channels=told), robust=True
        )
