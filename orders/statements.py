"""The monthly statement between a cooperative and the market: the one home for its arithmetic.

A month runs from the 1st at 00:00 to the next 1st at 00:00 in the site's time zone
(Asia/Ho_Chi_Minh), compared on the stored instants, so SQLite and PostgreSQL agree and a
parcel delivered at 00:30 on 1 December (17:30 UTC the day before) belongs to December.

- Delivered: the parts whose parcel reached the buyer in the month (``delivered_at``), with
  their goods and shipping.
- Payments received: the parts whose payment was recorded in the month (``paid_at``, one payment
  per part): cash collected on delivery for cash-on-delivery orders, bank transfers otherwise.
- The market fee: each delivered part's goods × the rate its cooperative charged when the order
  was placed (``CooperativeOrder.market_fee_rate``; shipping is never charged), added up exactly
  and rounded once on the month's total to the nearest đồng, halves up. With one rate in the
  month that is the month's goods × that rate, as it always was. An admin's change of a
  cooperative's rate reaches only orders placed after it, so a month already stated keeps its
  figures. A month whose parts carry different rates names the lowest and highest ("2% – 3%")
  and each delivered line its own; a month with nothing delivered names the cooperative's rate
  today, the one an order placed now would carry.
- What is owed: buyers pay the stall directly (cash to its courier, transfers into its own
  account), so the market holds none of the stall's money and the fee is the only amount owed,
  from the cooperative to the market. Nothing is owed the other way.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cached_property

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format

from products.models import Cooperative

from .choices import PaymentMethod, Status
from .models import CooperativeOrder


def month_current() -> date:
    """The first day of this month, in the site's time zone."""
    return timezone.localdate().replace(day=1)


def month_after(*, month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_before(*, month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def month_bounds(*, month: date) -> tuple[datetime, datetime]:
    """The month's first instant and the next month's first instant, local time."""
    start = timezone.make_aware(datetime.combine(month, time.min))
    return start, timezone.make_aware(datetime.combine(month_after(month=month), time.min))


def months_recent(*, count: int = 24) -> list[date]:
    """This month and the ones before it, newest first, for the month chooser."""
    months = [month_current()]
    while len(months) < count:
        months.append(month_before(month=months[-1]))
    return months


def rate_display(*, rate: Decimal) -> str:
    """A rate as the active language writes it, without trailing zeros: "2,5%" (vi), "2.5%" (en)."""
    places = max(0, -rate.normalize().as_tuple().exponent)
    return f"{number_format(rate, decimal_pos=places, use_l10n=True)}%"


def market_fee(*, parts: Iterable[tuple[int, Decimal]]) -> int:
    """The fee on (goods, rate per cent) pairs ("2.50" is 2,5 %) in whole đồng: each exact (rates
    have two decimals, so in ten-thousandths of a đồng), added up, then rounded once, halves up."""
    exact = sum(goods * int(rate * 100) for goods, rate in parts)
    return (exact + 5_000) // 10_000


@dataclass(frozen=True)
class Line:
    """One part in a statement: delivered in the month, paid in the month, or both."""

    part_id: int
    cooperative_id: int
    code: str
    payment_method: str
    status: str
    subtotal: int
    shipping_fee: int
    fee_rate: Decimal
    delivered_at: datetime | None
    paid_at: datetime | None
    delivered_in_month: bool
    paid_in_month: bool

    @property
    def total(self) -> int:
        return self.subtotal + self.shipping_fee

    @property
    def is_cod(self) -> bool:
        return self.payment_method == PaymentMethod.COD

    @property
    def is_cancelled(self) -> bool:
        return self.status == Status.CANCELLED

    @property
    def cash(self) -> int:
        """Cash collected on delivery that this line brings into the month."""
        return self.total if self.paid_in_month and self.is_cod else 0

    @property
    def transfer(self) -> int:
        """A bank transfer received in the month."""
        return self.total if self.paid_in_month and not self.is_cod else 0

    @property
    def first_at(self) -> datetime:
        return min(at for at in (self.delivered_at, self.paid_at) if at is not None)


@dataclass(frozen=True)
class Statement:
    cooperative: Cooperative
    month: date
    # Every part delivered or paid in the month, oldest first.
    lines: list[Line]

    @cached_property
    def delivered(self) -> list[Line]:
        return sorted((line for line in self.lines if line.delivered_in_month), key=lambda x: x.delivered_at)

    @cached_property
    def payments(self) -> list[Line]:
        return sorted((line for line in self.lines if line.paid_in_month), key=lambda x: x.paid_at)

    @property
    def delivered_count(self) -> int:
        return len(self.delivered)

    @property
    def goods(self) -> int:
        return sum(line.subtotal for line in self.delivered)

    @property
    def shipping(self) -> int:
        return sum(line.shipping_fee for line in self.delivered)

    @property
    def delivered_total(self) -> int:
        return self.goods + self.shipping

    @property
    def cash_count(self) -> int:
        return sum(1 for line in self.payments if line.is_cod)

    @property
    def cash(self) -> int:
        return sum(line.cash for line in self.lines)

    @property
    def transfer_count(self) -> int:
        return sum(1 for line in self.payments if not line.is_cod)

    @property
    def transfers(self) -> int:
        return sum(line.transfer for line in self.lines)

    @property
    def received(self) -> int:
        return self.cash + self.transfers

    @cached_property
    def fee_rates(self) -> list[Decimal]:
        """The rates the month's delivered parts were placed under, lowest first (see the module's
        note for a month with none)."""
        return sorted({line.fee_rate for line in self.delivered}) or [self.cooperative.market_fee_rate]

    @property
    def fee_rates_differ(self) -> bool:
        return len(self.fee_rates) > 1

    @property
    def fee_rate_display(self) -> str:
        """The rate as the active language writes it ("2,5%"), or the lowest and highest ("2% – 3%")."""
        low, high = self.fee_rates[0], self.fee_rates[-1]
        if low == high:
            return rate_display(rate=low)
        return f"{rate_display(rate=low)} – {rate_display(rate=high)}"

    @property
    def fee(self) -> int:
        return market_fee(parts=[(line.subtotal, line.fee_rate) for line in self.delivered])

    @property
    def owed_to_market(self) -> int:
        """What the cooperative pays the market for the month (see the module's note)."""
        return self.fee

    @property
    def is_empty(self) -> bool:
        return not self.lines


@dataclass(frozen=True)
class MonthOverview:
    """Every cooperative's statement for one month, for the admin."""

    month: date
    statements: list[Statement]

    def _sum(self, name: str) -> int:
        return sum(getattr(statement, name) for statement in self.statements)

    @property
    def delivered_count(self) -> int:
        return self._sum("delivered_count")

    @property
    def goods(self) -> int:
        return self._sum("goods")

    @property
    def shipping(self) -> int:
        return self._sum("shipping")

    @property
    def cash(self) -> int:
        return self._sum("cash")

    @property
    def transfers(self) -> int:
        return self._sum("transfers")

    @property
    def fee(self) -> int:
        return self._sum("fee")

    @property
    def owed_to_market(self) -> int:
        return self._sum("owed_to_market")


LINE_FIELDS = (
    "pk",
    "cooperative_id",
    "order__code",
    "order__payment_method",
    "status",
    "subtotal",
    "shipping_fee",
    "market_fee_rate",
    "delivered_at",
    "paid_at",
    "is_paid",
)


def _lines(*, month: date, cooperative_ids: list[int] | None = None) -> list[Line]:
    """The month's parts as light rows, in one query (with their order's code and payment method)."""
    start, end = month_bounds(month=month)
    delivered = Q(status=Status.DELIVERED, delivered_at__gte=start, delivered_at__lt=end)
    paid = Q(is_paid=True, paid_at__gte=start, paid_at__lt=end)
    rows = CooperativeOrder.objects.filter(delivered | paid)
    if cooperative_ids is not None:
        rows = rows.filter(cooperative_id__in=cooperative_ids)
    lines = []
    for row in rows.values_list(*LINE_FIELDS, named=True):
        lines.append(
            Line(
                part_id=row.pk,
                cooperative_id=row.cooperative_id,
                code=row.order__code,
                payment_method=row.order__payment_method,
                status=row.status,
                subtotal=row.subtotal,
                shipping_fee=row.shipping_fee,
                fee_rate=row.market_fee_rate,
                delivered_at=row.delivered_at,
                paid_at=row.paid_at,
                delivered_in_month=row.status == Status.DELIVERED
                and row.delivered_at is not None
                and start <= row.delivered_at < end,
                paid_in_month=row.is_paid and row.paid_at is not None and start <= row.paid_at < end,
            )
        )
    return sorted(lines, key=lambda line: (line.first_at, line.part_id))


def cooperative_statement(*, cooperative: Cooperative, month: date) -> Statement:
    """One cooperative's statement for the month (`month` is its first day), in one query."""
    return Statement(
        cooperative=cooperative, month=month, lines=_lines(month=month, cooperative_ids=[cooperative.pk])
    )


def month_overview(*, month: date) -> MonthOverview:
    """Every cooperative's statement for the month, by name (zeros for a quiet one), in two queries."""
    lines = _lines(month=month)
    by_cooperative: dict[int, list[Line]] = {}
    for line in lines:
        by_cooperative.setdefault(line.cooperative_id, []).append(line)
    return MonthOverview(
        month=month,
        statements=[
            Statement(cooperative=cooperative, month=month, lines=by_cooperative.get(cooperative.pk, []))
            for cooperative in Cooperative.objects.only("name", "slug", "market_fee_rate").order_by(
                "name", "pk"
            )
        ],
    )
