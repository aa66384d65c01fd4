"""The order state table: where a cooperative's part of an order can be, what can be done to it from
there, and who may do it.

Everything that decides what may happen to a part reads this table: the services (which refuse
anything else with a conditional UPDATE on the current status), the dashboard's buttons, the
admin's actions, the buyer's cancel and the "what next" sentences of the order pages.

    action        from                                  to          who               also needs
    confirm       new                                   confirmed   stall, staff
    ship          confirmed                             shipped     stall, staff
    deliver       shipped                               delivered   stall, staff
    paid          new, confirmed, shipped, delivered    (same)      stall, staff      not paid yet
                  (cash on delivery: delivered)
    cancel        new, confirmed                        cancelled   stall, staff
    buyer_cancel  new                                   cancelled   buyer             not paid yet

"stall" is an owner or a member of the part's cooperative (helpers do not handle orders), "staff"
an admin, "buyer" whoever holds the order in their session. The buyer cancels the whole order, so
every part still live must allow `buyer_cancel`.

Cash on delivery is collected at the door, so before the delivery there is no money to record:
a part marked paid early and then cancelled would put cash that never came on the monthly
statement. "deliver" records it (orders.services), so `paid` is left for a delivered part whose
cash was not recorded. What the table refuses, the service refuses in `refusal`'s words, for the
dashboard, the admin and SePay alike.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import EventKind, PaymentMethod, Status


class Actor(StrEnum):
    STALL = "stall"
    STAFF = "staff"
    BUYER = "buyer"


@dataclass(frozen=True)
class Action:
    name: str
    sources: frozenset[str]
    # None: the status stays as it is (recording a payment changes only the paid flag).
    target: str | None
    actors: frozenset[Actor]
    event: str
    # The button: "Xác nhận". The refusal: "Không thể <verb>: …".
    label: Promise
    verb: Promise
    unpaid_only: bool = False
    # The payment methods for which the dashboard offers the action as a next step (for cash on
    # delivery the payment is recorded by "deliver", so no "money received" button is shown).
    offered_for: frozenset[str] = frozenset(PaymentMethod.values)
    # (payment method, statuses) for the methods with which the action starts from fewer of
    # `sources`; pairs rather than a dict, so an Action stays hashable.
    sources_by_method: tuple[tuple[str, frozenset[str]], ...] = ()

    def sources_for(self, payment_method: str) -> frozenset[str]:
        return dict(self.sources_by_method).get(payment_method, self.sources)

    def allows(self, *, status: str, is_paid: bool, payment_method: str, by: Actor) -> bool:
        return (
            by in self.actors
            and status in self.sources_for(payment_method)
            and not (self.unpaid_only and is_paid)
        )


_STALL_OR_STAFF = frozenset({Actor.STALL, Actor.STAFF})

ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        Action(
            "confirm",
            frozenset({Status.NEW}),
            Status.CONFIRMED,
            _STALL_OR_STAFF,
            EventKind.CONFIRMED,
            _("Xác nhận"),
            _("xác nhận"),
        ),
        Action(
            "ship",
            frozenset({Status.CONFIRMED}),
            Status.SHIPPED,
            _STALL_OR_STAFF,
            EventKind.SHIPPED,
            _("Báo đã gửi hàng"),
            _("báo đã gửi hàng"),
        ),
        Action(
            "deliver",
            frozenset({Status.SHIPPED}),
            Status.DELIVERED,
            _STALL_OR_STAFF,
            EventKind.DELIVERED,
            _("Báo đã giao xong"),
            _("báo đã giao xong"),
        ),
        Action(
            "paid",
            frozenset({Status.NEW, Status.CONFIRMED, Status.SHIPPED, Status.DELIVERED}),
            None,
            _STALL_OR_STAFF,
            EventKind.PAID,
            _("Ghi nhận đã thanh toán"),
            _("ghi nhận thanh toán"),
            unpaid_only=True,
            offered_for=frozenset({PaymentMethod.BANK_TRANSFER}),
            sources_by_method=((PaymentMethod.COD, frozenset({Status.DELIVERED})),),
        ),
        Action(
            "cancel",
            frozenset({Status.NEW, Status.CONFIRMED}),
            Status.CANCELLED,
            _STALL_OR_STAFF,
            EventKind.CANCELLED,
            _("Huỷ"),
            _("huỷ"),
        ),
        Action(
            "buyer_cancel",
            frozenset({Status.NEW}),
            Status.CANCELLED,
            frozenset({Actor.BUYER}),
            EventKind.CANCELLED,
            _("Huỷ đơn hàng"),
            _("huỷ"),
            unpaid_only=True,
        ),
    )
}

# How far along a part is; an order is as far along as its slowest live part.
STATUS_RANK = {Status.NEW: 0, Status.CONFIRMED: 1, Status.SHIPPED: 2, Status.DELIVERED: 3}
# The parcel has left the stall: where "ship" and what follows it lead.
SENT = frozenset({ACTIONS["ship"].target, ACTIONS["deliver"].target})


def names_for(by: Actor) -> list[str]:
    """The actions `by` may ever take, in the table's order."""
    return [name for name, action in ACTIONS.items() if by in action.actors]


def _allows(action: Action, part, by: Actor) -> bool:
    return action.allows(
        status=part.status, is_paid=part.is_paid, payment_method=part.order.payment_method, by=by
    )


def allowed(part, name: str, *, by: Actor) -> bool:
    """Whether `by` may take action `name` on this part as it stands now."""
    return _allows(ACTIONS[name], part, by)


def allowed_actions(part, *, by: Actor) -> list[Action]:
    """Every action `by` may take on this part now, in the table's order."""
    return [action for action in ACTIONS.values() if _allows(action, part, by)]


def next_actions(part, *, by: Actor) -> list[Action]:
    """The actions the dashboard offers as next steps on this part (see `Action.offered_for`)."""
    method = part.order.payment_method
    return [action for action in allowed_actions(part, by=by) if method in action.offered_for]


def refusal(part, name: str) -> str:
    """Why the table's statuses and payment do not allow action `name` on this part as it stands
    ("" when they do): what the service's conditional UPDATE says when it changes nothing."""
    action = ACTIONS[name]
    order = part.order
    said = {"action": action.verb, "code": order.code, "status": part.get_status_display()}
    if part.status not in action.sources:
        return status_refusal(part, name)
    if action.unpaid_only and part.is_paid:
        return gettext("Phần đơn %(code)s đã được ghi nhận thanh toán rồi.") % said
    sources = action.sources_for(order.payment_method)
    if part.status not in sources:
        return gettext(
            "Không thể %(action)s: đơn %(code)s chọn “%(method)s”, nên chỉ làm được khi phần đơn "
            "ở trạng thái “%(allowed)s”; bây giờ là “%(status)s”."
        ) % {
            **said,
            "method": order.get_payment_method_display(),
            "allowed": ", ".join(str(label) for value, label in Status.choices if value in sources),
        }
    return ""


def status_refusal(part, name: str) -> str:
    """The plain "not from this status" sentence, also for a part that moved on meanwhile."""
    said = {"action": ACTIONS[name].verb, "code": part.order.code, "status": part.get_status_display()}
    return gettext("Không thể %(action)s: phần đơn %(code)s đang ở trạng thái “%(status)s”.") % said


def _live(parts: Iterable) -> list:
    return [part for part in parts if part.is_live]


def buyer_may_cancel(parts: Iterable) -> bool:
    """The buyer may cancel the order while every live part allows it (and one is left)."""
    live = _live(parts)
    return bool(live) and all(allowed(part, "buyer_cancel", by=Actor.BUYER) for part in live)


def paid_parts_blocking_buyer_cancel(parts: Iterable) -> list:
    """The paid parts that alone stop the buyer cancelling: money sent is returned by the stall,
    so these are the stalls to call."""
    live = _live(parts)
    action = ACTIONS["buyer_cancel"]
    if not live or not all(part.status in action.sources for part in live):
        return []
    return [part for part in live if part.is_paid]
