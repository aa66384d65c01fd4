"""Everything that tells a buyer or a stall something about an order, one function per event.

Each event function is called by the service that made the change, inside its transaction; the
message goes out only after the transaction commits (a rolled-back change tells nobody), picks the
channels the recipient has (today: email, when they gave one), and never raises: a failing mail
server is logged and never undoes or loses an order. `buyer_reach` says which channels a buyer has,
so the dashboard can say who was actually told.

Buyers read in the language they ordered in; cooperatives always in Vietnamese.
"""

import logging
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from storefront.lib.links import absolute_url

from .choices import EventKind
from .models import CooperativeOrder, Order

logger = logging.getLogger(__name__)

EMAIL = "email"
# Cooperatives work in Vietnamese whatever language the buyer used.
PRODUCER_LANGUAGE = "vi"


@dataclass(frozen=True)
class Reach:
    """How a person can be told: the channels they have, and the phone to call when none."""

    channels: tuple[str, ...]
    phone: str

    def __bool__(self) -> bool:
        return bool(self.channels)


def buyer_reach(*, order: Order) -> Reach:
    return Reach(channels=(EMAIL,) if order.email else (), phone=order.phone)


def _stall_reach(part: CooperativeOrder) -> Reach:
    return Reach(channels=(EMAIL,) if part.cooperative.email else (), phone=part.cooperative.phone)


# --- the events ---------------------------------------------------------------------------------


def order_placed(*, order: Order) -> Reach:
    """A new order: the buyer gets its summary, each stall its own part."""
    order_id = order.pk
    transaction.on_commit(lambda: _deliver(_order_placed, order_id=order_id))
    return buyer_reach(order=order)


def part_confirmed(*, part: CooperativeOrder) -> Reach:
    return _part_changed(part, EventKind.CONFIRMED)


def part_shipped(*, part: CooperativeOrder) -> Reach:
    return _part_changed(part, EventKind.SHIPPED)


def part_delivered(*, part: CooperativeOrder) -> Reach:
    return _part_changed(part, EventKind.DELIVERED)


def part_paid(*, part: CooperativeOrder) -> Reach:
    return _part_changed(part, EventKind.PAID)


def part_cancelled(*, part: CooperativeOrder) -> Reach:
    return _part_changed(part, EventKind.CANCELLED)


def order_cancelled_by_buyer(*, order: Order, part_ids: list[int]) -> Reach:
    """The buyer cancelled: they get a confirmation, each stall whose part it was a note."""
    order_id = order.pk
    transaction.on_commit(lambda: _deliver(_order_cancelled_by_buyer, order_id=order_id, part_ids=part_ids))
    return buyer_reach(order=order)


# --- delivery (after commit) --------------------------------------------------------------------


def _part_changed(part: CooperativeOrder, kind: str) -> Reach:
    part_id = part.pk
    transaction.on_commit(lambda: _deliver(_part_changed_mail, part_id=part_id, kind=kind))
    return buyer_reach(order=part.order)


def _deliver(send, **kwargs) -> None:
    try:
        send(**kwargs)
    except Exception:
        # The order is already safe in the database; telling people must never surface as an error.
        logger.exception("Could not send %s %s", send.__name__, kwargs)


def _track_url(order: Order) -> str:
    """The buyer's link opens the order page in the language they ordered in (/en/… for English)."""
    with translation.override(order.language):
        return absolute_url(f"{reverse('orders:order-track')}?code={order.code}")


def _mail(*, to: str, subject: str, template: str, context: dict) -> None:
    if to:
        send_mail(subject, render_to_string(template, context), None, [to], fail_silently=False)


def _tell_buyer(order: Order, *, subject: str, template: str, context: dict) -> None:
    """Mail the buyer in their language; `subject` (marked with gettext_noop) gets the order's code."""
    with translation.override(order.language):
        context = {"order": order, "track_url": _track_url(order), **context}
        _mail(
            to=order.email,
            subject=gettext(subject) % {"code": order.code},
            template=template,
            context=context,
        )


def _tell_stalls(order: Order, parts, *, subject: str, template: str, context: dict) -> None:
    """Mail each part's cooperative in Vietnamese, one mail per part."""
    with translation.override(PRODUCER_LANGUAGE):
        for part in parts:
            if _stall_reach(part):
                _mail(
                    to=part.cooperative.email,
                    subject=gettext(subject) % {"code": order.code},
                    template=template,
                    context={
                        "order": order,
                        "part": part,
                        "dashboard_url": absolute_url(reverse("dashboard:home")),
                        **context,
                    },
                )


def _order_with_parts(order_id: int) -> Order:
    return Order.objects.prefetch_related("cooperative_orders__items", "cooperative_orders__cooperative").get(
        pk=order_id
    )


# Translated into the recipient's language when the mail is written.
SUBJECT_PLACED_BUYER = gettext_noop("Chợ Phiên: đã nhận đơn %(code)s")
SUBJECT_PLACED_STALL = gettext_noop("Chợ Phiên: đơn mới %(code)s")
SUBJECT_CANCELLED_BUYER = gettext_noop("Chợ Phiên: đã huỷ đơn %(code)s")
SUBJECT_CANCELLED_STALL = gettext_noop("Chợ Phiên: người mua đã huỷ đơn %(code)s")


def _order_placed(*, order_id: int) -> None:
    order = _order_with_parts(order_id)
    parts = list(order.cooperative_orders.all())
    _tell_buyer(
        order,
        subject=SUBJECT_PLACED_BUYER,
        template="orders/email/order_placed_buyer.txt",
        context={"parts": parts},
    )
    _tell_stalls(
        order,
        parts,
        subject=SUBJECT_PLACED_STALL,
        template="orders/email/order_placed_cooperative.txt",
        context={},
    )


def _order_cancelled_by_buyer(*, order_id: int, part_ids: list[int]) -> None:
    order = _order_with_parts(order_id)
    _tell_buyer(
        order, subject=SUBJECT_CANCELLED_BUYER, template="orders/email/order_cancelled_buyer.txt", context={}
    )
    _tell_stalls(
        order,
        [part for part in order.cooperative_orders.all() if part.pk in part_ids],
        subject=SUBJECT_CANCELLED_STALL,
        template="orders/email/order_cancelled_cooperative.txt",
        context={},
    )


def _part_changed_mail(*, part_id: int, kind: str) -> None:
    part = CooperativeOrder.objects.select_related("order").prefetch_related("items").get(pk=part_id)
    order = part.order
    with translation.override(order.language):
        subjects = {
            EventKind.CONFIRMED: gettext("Chợ Phiên: %(coop)s đã xác nhận đơn %(code)s"),
            EventKind.SHIPPED: gettext("Chợ Phiên: %(coop)s đã gửi hàng đơn %(code)s"),
            EventKind.DELIVERED: gettext("Chợ Phiên: đơn %(code)s đã giao xong"),
            EventKind.PAID: gettext("Chợ Phiên: %(coop)s đã nhận tiền đơn %(code)s"),
            EventKind.CANCELLED: gettext("Chợ Phiên: %(coop)s đã huỷ phần đơn %(code)s"),
        }
        subject = subjects[kind] % {"coop": part.display_cooperative_name, "code": order.code}
        _mail(
            to=order.email,
            subject=subject,
            template="orders/email/part_changed_buyer.txt",
            context={"order": order, "part": part, "kind": kind, "track_url": _track_url(order)},
        )
