"""Everything that tells a buyer or a stall something about an order, one function per event.

Each event function is called by the service that made the change, inside its transaction. It picks
who is told and through which channels they have (today: email, when they gave one) and queues one
background job per message (orders.tasks) once the transaction commits: a rolled-back change tells
nobody, a slow or failing mail server never slows or undoes an order, and a message that cannot be
sent yet is retried. `buyer_reach` says which channels a buyer has, so the dashboard can say who was
actually told.
"""

from dataclasses import dataclass

from django.db import transaction

from .choices import EventKind
from .models import BankTransaction, CooperativeOrder, Order
from .sepay import TRANSFER_IN
from .tasks import EMAIL, mail_notice, mail_transfer_notice


@dataclass(frozen=True)
class Reach:
    """How a person can be told: the channels they have, and the phone to call when none."""

    channels: tuple[str, ...]
    phone: str

    def __bool__(self) -> bool:
        return bool(self.channels)


def buyer_reach(*, order: Order) -> Reach:
    return Reach(channels=(EMAIL,) if order.email else (), phone=order.phone)


def _queue(**notice) -> None:
    # robust: a queue that cannot be reached is logged and never turns a saved order into an error.
    transaction.on_commit(lambda: mail_notice(**notice), robust=True)


def order_placed(*, order: Order) -> None:
    """A new order: the buyer gets its summary, each stall its own part."""
    if order.email:
        _queue(notice="placed_buyer", order_id=order.pk)
    for part in order.cooperative_orders.select_related("cooperative"):
        if part.cooperative.email:
            _queue(notice="placed_stall", order_id=order.pk, part_id=part.pk)


def _part_changed(part: CooperativeOrder, kind: str) -> None:
    if part.order.email:
        _queue(notice="changed_buyer", order_id=part.order_id, part_id=part.pk, kind=kind)


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


def transfer_received(*, record: BankTransaction) -> None:
    """SePay reported money in for one of the stall's parts: the stall hears whether it was
    marked paid or waits for a look (the buyer of a paid part is told by the `paid` action
    itself). Money out, or a transaction naming no part of the stall, is only listed."""
    if (
        record.transfer_type != TRANSFER_IN
        or record.cooperative_order_id is None
        or not record.cooperative.email
    ):
        return
    transaction.on_commit(lambda: mail_transfer_notice(transaction_id=record.pk), robust=True)
