"""Read queries for the producer's order pages and the dashboard home.

Every query takes the cooperative being worked on, so no page can list another stall's rows,
and lists fetch their orders and items in a fixed number of queries whatever the row count.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from products.models import Cooperative

from .carriers import BUS, CARRIERS, OTHER
from .choices import TRANSFER_SETTLED, PaymentMethod, Status
from .models import BankTransaction, CooperativeOrder, OrderEvent, OrderItem, SepayWebhook

# Bank transfers the producer still has to look for on the bank statement.
TO_CHECK = Q(order__payment_method=PaymentMethod.BANK_TRANSFER, is_paid=False) & ~Q(status=Status.CANCELLED)


# Money in that SePay reported, that marked nothing paid and that the owner has not looked at yet.
TO_LOOK_AT = ~Q(outcome__in=TRANSFER_SETTLED) & Q(checked_at__isnull=True)


def _items():
    return Prefetch("items", queryset=OrderItem.objects.order_by("id"))


def cooperative_order_list(
    *, cooperative: Cooperative, status: str = "", to_check: bool = False
) -> QuerySet[CooperativeOrder]:
    """This cooperative's parts of orders, newest first, with their order and items."""
    parts = CooperativeOrder.objects.filter(cooperative=cooperative)
    if status:
        parts = parts.filter(status=status)
    if to_check:
        parts = parts.filter(TO_CHECK)
    return parts.select_related("order").prefetch_related(_items()).order_by("-created_at", "-id")


def cooperative_order_detail() -> QuerySet[CooperativeOrder]:
    """Parts with their order, items and this part's own history (who did what, when).

    Only the part's events: another stall's part of the same order is none of this stall's business.
    """
    return CooperativeOrder.objects.select_related("order", "cooperative").prefetch_related(
        _items(),
        Prefetch("events", queryset=OrderEvent.objects.select_related("actor").order_by("created_at", "id")),
    )


def cooperative_order_counts(*, cooperative: Cooperative) -> dict:
    """How many parts wait for confirmation, and how many bank transfers wait to be checked."""
    return CooperativeOrder.objects.filter(cooperative=cooperative).aggregate(
        new=Count("pk", filter=Q(status=Status.NEW)),
        to_check=Count("pk", filter=TO_CHECK),
    )


def new_order_count(*, cooperative_id: int) -> int:
    return CooperativeOrder.objects.filter(cooperative_id=cooperative_id, status=Status.NEW).count()


def week_start(*, now: datetime | None = None) -> datetime:
    """Monday 00:00 of the current week, in the site's time zone."""
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    return timezone.make_aware(datetime.combine(monday, time.min))


def cooperative_order_week(*, cooperative: Cooperative) -> dict:
    """This week's parts (not cancelled) and the money for the goods in them."""
    figures = (
        CooperativeOrder.objects.filter(cooperative=cooperative, created_at__gte=week_start())
        .exclude(status=Status.CANCELLED)
        .aggregate(count=Count("pk"), revenue=Sum("subtotal"))
    )
    return {"count": figures["count"], "revenue": figures["revenue"] or 0}


def cooperative_order_export(
    *, cooperative: Cooperative, start: date, end: date
) -> QuerySet[CooperativeOrder]:
    """Parts placed between two dates (both included, local time) for the CSV export."""
    first = timezone.make_aware(datetime.combine(start, time.min))
    after_last = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    return (
        CooperativeOrder.objects.filter(
            cooperative=cooperative, created_at__gte=first, created_at__lt=after_last
        )
        .select_related("order")
        .prefetch_related(_items())
        .order_by("created_at", "id")
    )


def ship_form_initial(*, cooperative: Cooperative) -> dict:
    """The carrier this stall shipped with last (and the bus route and driver, when it was a bus):
    most stalls use one carrier, so the ship form needs one tap and the number."""
    last = (
        CooperativeOrder.objects.filter(cooperative=cooperative, shipped_at__isnull=False)
        .exclude(carrier="")
        .order_by("-shipped_at", "-id")
        .values("carrier", "bus_route", "driver_phone", "carrier_name")
        .first()
    )
    if last is None or last["carrier"] not in CARRIERS:
        return {}
    if last["carrier"] == BUS:
        return {"carrier": BUS, "bus_route": last["bus_route"], "driver_phone": last["driver_phone"]}
    if last["carrier"] == OTHER:
        return {"carrier": OTHER, "carrier_name": last["carrier_name"]}
    return {"carrier": last["carrier"]}


def sepay_connection(*, cooperative_id: int) -> SepayWebhook | None:
    """The stall's SePay connection, turned on or off; None when it was never turned on."""
    return SepayWebhook.objects.filter(cooperative_id=cooperative_id).first()


def bank_transaction_list(*, cooperative: Cooperative, to_look_at: bool = False) -> QuerySet[BankTransaction]:
    """What SePay reported for this stall, newest first, with the part and order each names."""
    rows = BankTransaction.objects.filter(cooperative=cooperative)
    if to_look_at:
        rows = rows.filter(TO_LOOK_AT)
    return rows.select_related("cooperative_order__order", "checked_by").order_by("-received_at", "-id")


def bank_transaction_counts(*, cooperative: Cooperative) -> dict:
    """How many transactions SePay reported for this stall, and how many wait for a look."""
    return BankTransaction.objects.filter(cooperative=cooperative).aggregate(
        total=Count("pk"), to_look_at=Count("pk", filter=TO_LOOK_AT)
    )
