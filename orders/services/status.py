"""Status changes of one cooperative's part of an order, and the buyer's cancel of a whole order.

Which change is allowed from which status, and for whom, is the state table in orders.workflow;
each change here is a conditional UPDATE on the statuses the table allows, so two people pressing
buttons at once cannot both succeed (one gets ``InvalidTransition``), writes an ``OrderEvent`` and
tells the buyer through orders.notifications after the commit.

Authorisation is the caller's job: these functions trust that ``actor`` may act on the part (a
member of its cooperative, or staff); callers check the table's "who" column
(``workflow.allowed``) before offering or taking an action.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from products.models import Product
from storefront.lib.catalogue_cache import stock_changed_now_and_at_commit
from storefront.lib.phones import phone_display

from .. import carriers, notifications, workflow
from ..carriers import Shipment
from ..choices import EventKind, PaymentMethod
from ..exceptions import InvalidShipment, InvalidTransition
from ..models import CooperativeOrder, Order, OrderEvent, OrderItem

# Who acted: a signed-in person (a member of the stall, or staff), or nobody known (the buyer).
ActingUser = AbstractBaseUser | AnonymousUser | None

# What each action tells the buyer once it commits.
_TELL = {
    "confirm": notifications.part_confirmed,
    "ship": notifications.part_shipped,
    "deliver": notifications.part_delivered,
    "paid": notifications.part_paid,
    "cancel": notifications.part_cancelled,
}


def _actor_or_none(actor: ActingUser) -> AbstractBaseUser | None:
    return actor if getattr(actor, "pk", None) else None


def _transition(
    *, cooperative_order: CooperativeOrder, actor: ActingUser, action: str, changes: dict, message: str = ""
) -> CooperativeOrder:
    """Apply ``changes`` (and the action's target status) only if the part, as the UPDATE itself
    reads it, is in a status the state table allows for ``action``."""
    step = workflow.ACTIONS[action]
    sources = step.sources_for(cooperative_order.order.payment_method)
    rows = CooperativeOrder.objects.filter(pk=cooperative_order.pk, status__in=list(sources))
    if step.unpaid_only:
        rows = rows.filter(is_paid=False)
    if step.target is not None:
        changes = {**changes, "status": step.target}
    with transaction.atomic():
        updated = rows.update(updated_at=timezone.now(), **changes)
        cooperative_order.refresh_from_db()
        if not updated:
            # The part as it is now; one that moved on since the UPDATE gets the plain sentence.
            raise InvalidTransition(
                workflow.refusal(cooperative_order, action)
                or workflow.status_refusal(cooperative_order, action)
            )
        OrderEvent.objects.create(
            order_id=cooperative_order.order_id,
            cooperative_order=cooperative_order,
            actor=_actor_or_none(actor),
            kind=step.event,
            message=message[:500],
        )
        _TELL[action](part=cooperative_order)
    return cooperative_order


def cooperative_order_confirm(*, cooperative_order: CooperativeOrder, actor: ActingUser) -> CooperativeOrder:
    """The cooperative accepts its part. After this the buyer can no longer cancel."""
    return _transition(
        cooperative_order=cooperative_order,
        actor=actor,
        action="confirm",
        changes={"confirmed_at": timezone.now()},
    )


def _shipment(fields: dict) -> Shipment:
    """The shipment from what was typed, or InvalidShipment naming every problem in one message."""
    try:
        return carriers.shipment_clean(**fields)
    except ValidationError as error:
        raise InvalidShipment(" ".join(error.messages)) from None


def _shipment_changes(shipment: Shipment) -> dict:
    return {
        "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number,
        "carrier_name": shipment.carrier_name,
        "bus_route": shipment.bus_route,
        "driver_phone": shipment.driver_phone,
    }


def cooperative_order_ship(
    *,
    cooperative_order: CooperativeOrder,
    actor: ActingUser,
    carrier: str = "",
    tracking_number: str = "",
    carrier_name: str = "",
    bus_route: str = "",
    driver_phone: str = "",
) -> CooperativeOrder:
    """The parcel left with a carrier from orders.carriers and its tracking number, both shown to
    the buyer. What was typed is normalised by ``carriers.shipment_clean``; anything it refuses
    raises InvalidShipment and changes nothing. The producer's and admin's forms always ask for a
    carrier; a caller that knows none (nothing typed at all) ships without one, as before the list."""
    fields = (carrier, tracking_number, carrier_name, bus_route, driver_phone)
    shipment = (
        Shipment()
        if not any(fields)
        else _shipment(
            {
                "carrier": carrier,
                "tracking_number": tracking_number,
                "carrier_name": carrier_name,
                "bus_route": bus_route,
                "driver_phone": driver_phone,
            }
        )
    )
    return _transition(
        cooperative_order=cooperative_order,
        actor=actor,
        action="ship",
        message=shipment.summary(),
        changes={"shipped_at": timezone.now(), **_shipment_changes(shipment)},
    )


def cooperative_order_shipment_change(
    *, cooperative_order: CooperativeOrder, actor: ActingUser, shipment: Shipment, note: str
) -> CooperativeOrder:
    """Correct the carrier, number or note of a part (the admin's edit): one event records it.

    The buyer is not told again; the order page shows the corrected number at once."""
    note = " ".join((note or "").split())[:200]
    changes = {**_shipment_changes(shipment), "tracking_note": note}
    with transaction.atomic():
        updated = CooperativeOrder.objects.filter(pk=cooperative_order.pk).update(
            updated_at=timezone.now(), **changes
        )
        if updated:
            OrderEvent.objects.create(
                order_id=cooperative_order.order_id,
                cooperative_order=cooperative_order,
                actor=_actor_or_none(actor),
                kind=EventKind.SHIPMENT_CHANGED,
                message=" · ".join(p for p in (shipment.summary(), note) if p)[:500],
            )
    cooperative_order.refresh_from_db()
    return cooperative_order


def cooperative_order_deliver(*, cooperative_order: CooperativeOrder, actor: ActingUser) -> CooperativeOrder:
    """The buyer has the parcel.

    For cash on delivery the courier collected the money at the door, so the part is also
    marked paid (keeping an earlier payment time if there was one).
    """
    now = timezone.now()
    changes = {"delivered_at": now}
    if cooperative_order.order.payment_method == PaymentMethod.COD:
        changes.update(is_paid=True, paid_at=Coalesce(F("paid_at"), Value(now)))
    return _transition(cooperative_order=cooperative_order, actor=actor, action="deliver", changes=changes)


def cooperative_order_mark_paid(
    *, cooperative_order: CooperativeOrder, actor: ActingUser, message: str = ""
) -> CooperativeOrder:
    """The money for this one part arrived (a transfer seen on the stall's account, or cash counted).

    Each stall receives its own transfer, so this never touches another stall's part of the order.
    `message` says how it was seen when nobody pressed the button (a bank feed such as SePay).
    """
    return _transition(
        cooperative_order=cooperative_order,
        actor=actor,
        action="paid",
        message=message,
        changes={"is_paid": True, "paid_at": timezone.now()},
    )


def cooperative_order_cancel(
    *, cooperative_order: CooperativeOrder, actor: ActingUser, reason: str
) -> CooperativeOrder:
    """The cooperative cannot fill its part: it is cancelled and its stock goes back.

    ``reason`` is required and shown to the buyer. The stock returns exactly once: only the
    UPDATE that actually flips the status restocks, so two cancels at once cannot both do it.
    """
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        raise InvalidTransition(_("Hãy ghi lý do huỷ để người mua biết."))
    with transaction.atomic():
        part = _transition(
            cooperative_order=cooperative_order,
            actor=actor,
            action="cancel",
            message=reason,
            changes={"cancelled_at": timezone.now(), "cancel_reason": reason},
        )
        _restock(cooperative_order_ids=[part.pk])
    return part


_SERVICES = {
    "confirm": cooperative_order_confirm,
    "ship": cooperative_order_ship,
    "deliver": cooperative_order_deliver,
    "paid": cooperative_order_mark_paid,
    "cancel": cooperative_order_cancel,
}


def cooperative_order_apply(
    *, cooperative_order: CooperativeOrder, action: str, actor: ActingUser, **fields: str
) -> CooperativeOrder:
    """Take the state table's action `action` on a part (the dashboard's and the admin's buttons);
    `fields` are what the action asks for (the carrier and tracking number, a reason to cancel)."""
    return _SERVICES[action](cooperative_order=cooperative_order, actor=actor, **fields)


def _restock(*, cooperative_order_ids: list[int]) -> None:
    """Give back the stock of these (just cancelled) parts, in primary-key order like placement."""
    quantities: dict[int, int] = {}
    for product_id, quantity in OrderItem.objects.filter(
        cooperative_order_id__in=cooperative_order_ids, product_id__isnull=False
    ).values_list("product_id", "quantity"):
        quantities[product_id] = quantities.get(product_id, 0) + quantity
    for product_id in sorted(quantities):
        Product.objects.filter(pk=product_id).update(stock=F("stock") + quantities[product_id])
    stock_changed_now_and_at_commit()


def order_cancel(*, order: Order, actor: ActingUser = None) -> Order:
    """The buyer cancels the whole order, while the state table allows it for every live part
    (nothing confirmed, nothing paid).

    A paid part needs its money sent back, which only the stall can do: the refusal names the
    stalls to call, with their phone numbers.

    Every still-new part is cancelled and restocked in one transaction. A cooperative confirming
    at the same moment either wins (the buyer gets InvalidTransition) or finds the part cancelled.
    """
    now = timezone.now()
    reason = _("Người mua huỷ đơn.")
    step = workflow.ACTIONS["buyer_cancel"]
    with transaction.atomic():
        parts = list(
            CooperativeOrder.objects.select_for_update(of=("self",))
            .select_related("cooperative")
            .filter(order=order)
            .order_by("pk")
        )
        paid = workflow.paid_parts_blocking_buyer_cancel(parts)
        if paid:
            raise InvalidTransition(
                _(
                    "Đơn %(code)s đã được ghi nhận thanh toán nên không tự huỷ được. "
                    "Để huỷ và nhận lại tiền, hãy gọi cho %(stalls)s."
                )
                % {"code": order.code, "stalls": "; ".join(_stall_contact(part) for part in paid)}
            )
        if not workflow.buyer_may_cancel(parts):
            raise InvalidTransition(
                _(
                    "Đơn %(code)s không huỷ được nữa: gian hàng đã xác nhận hoặc đơn đã huỷ. "
                    "Hãy gọi cho gian hàng."
                )
                % {"code": order.code}
            )
        live_ids = [part.pk for part in parts if part.status in step.sources]
        updated = CooperativeOrder.objects.filter(
            pk__in=live_ids, status__in=list(step.sources), is_paid=False
        ).update(status=step.target, cancelled_at=now, cancel_reason=reason, updated_at=now)
        if updated != len(live_ids):
            # Only reachable without row locks; undo the partial cancel rather than half-cancel.
            raise InvalidTransition(
                _("Đơn %(code)s vừa được gian hàng xác nhận, không huỷ được nữa.") % {"code": order.code}
            )
        _restock(cooperative_order_ids=live_ids)
        OrderEvent.objects.bulk_create(
            [
                OrderEvent(
                    order=order,
                    cooperative_order_id=pid,
                    actor=_actor_or_none(actor),
                    kind=step.event,
                    message=reason,
                )
                for pid in live_ids
            ]
        )
        notifications.order_cancelled_by_buyer(order=order, part_ids=live_ids)
    if hasattr(order, "_prefetched_objects_cache"):
        order._prefetched_objects_cache.pop("cooperative_orders", None)
    return order


def _stall_contact(part: CooperativeOrder) -> str:
    """ "HTX Chè (0912 345 678)", or just the name when the stall left no phone; for the buyer."""
    number = phone_display(part.cooperative.phone)
    if not number:
        return part.display_cooperative_name
    return _("%(name)s (%(phone)s)") % {"name": part.display_cooperative_name, "phone": number}
