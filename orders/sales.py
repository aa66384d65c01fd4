"""What sells: the figures of the dashboard's "Bán hàng" page for one cooperative and a period.

A sale is a part of an order placed in the period and not cancelled (new, confirmed, shipped or
delivered): what buyers asked for, whether or not it has reached them yet. Money is the goods
only (item lines), never shipping. Three grouped queries, whatever the number of orders.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from products.models import Cooperative
from products.selectors import post_made_totals, qr_visit_totals
from products.services import QR_FROM_DAYS
from storefront.lib.vietnam import PROVINCE_NAMES

from .choices import Status
from .models import CooperativeOrder, OrderItem

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30


@dataclass(frozen=True)
class ProductSales:
    product_id: int | None
    name: str
    units: int
    revenue: int


@dataclass(frozen=True)
class ProvinceSales:
    province: str
    name: str
    orders: int
    revenue: int
    from_poster: int


@dataclass(frozen=True)
class Sales:
    days: int
    since: date
    orders: int
    units: int
    revenue: int
    from_poster: int
    poster_visits: int
    # Posts made with the post kit (products.postkit): shared or downloaded, per tap.
    posts_made: int
    products: list[ProductSales]
    provinces: list[ProvinceSales]

    @property
    def poster_days(self) -> int:
        """How long after a scan an order still counts as coming from the poster."""
        return QR_FROM_DAYS

    @property
    def poster_percent(self) -> int:
        """The share of orders from QR posters in whole per cent, halves up (0 without orders)."""
        return (200 * self.from_poster + self.orders) // (2 * self.orders) if self.orders else 0


def sales_since(*, days: int) -> date:
    """The first day of the last `days` days, today included, in the site's time zone."""
    return timezone.localdate() - timedelta(days=days - 1)


def cooperative_sales(*, cooperative: Cooperative, days: int) -> Sales:
    """This cooperative's sales in the last `days` days: per product (best sellers first, by units
    then money), per buyer's province (most orders first) and the share of orders from posters."""
    since = sales_since(days=days)
    start = timezone.make_aware(datetime.combine(since, time.min))
    sold = Q(cooperative=cooperative, created_at__gte=start) & ~Q(status=Status.CANCELLED)
    provinces = [
        ProvinceSales(
            province=row["order__province"],
            name=PROVINCE_NAMES.get(row["order__province"], row["order__province"]),
            orders=row["orders"],
            revenue=row["revenue"] or 0,
            from_poster=row["from_poster"],
        )
        for row in CooperativeOrder.objects.filter(sold)
        .values("order__province")
        .annotate(
            orders=Count("pk"), revenue=Sum("subtotal"), from_poster=Count("pk", filter=Q(from_poster=True))
        )
        .order_by()
    ]
    provinces.sort(key=lambda row: (-row.orders, -row.revenue, row.name))
    products = _product_rows(cooperative=cooperative, start=start)
    return Sales(
        days=days,
        since=since,
        orders=sum(row.orders for row in provinces),
        units=sum(row.units for row in products),
        revenue=sum(row.revenue for row in products),
        from_poster=sum(row.from_poster for row in provinces),
        poster_visits=qr_visit_totals(cooperative=cooperative, days=days)["total"],
        posts_made=post_made_totals(cooperative=cooperative, days=days)["total"],
        products=products,
        provinces=provinces,
    )


def _product_rows(*, cooperative: Cooperative, start: datetime) -> list[ProductSales]:
    """One row per product. A renamed product stays one row under its latest name; the lines of
    a deleted product (no longer linked) are grouped by the name they were sold under."""
    rows = (
        OrderItem.objects.filter(
            cooperative_order__cooperative=cooperative, cooperative_order__created_at__gte=start
        )
        .exclude(cooperative_order__status=Status.CANCELLED)
        .values("product_id", "product_name")
        .annotate(units=Sum("quantity"), revenue=Sum("line_total"), last=Max("cooperative_order__created_at"))
        .order_by("last")
    )
    merged: dict[object, ProductSales] = {}
    for row in rows:
        key = row["product_id"] or ("name", row["product_name"])
        before = merged.get(key)
        merged[key] = ProductSales(
            product_id=row["product_id"],
            # Oldest first, so the name kept is the one of the latest sale.
            name=row["product_name"],
            units=row["units"] + (before.units if before else 0),
            revenue=row["revenue"] + (before.revenue if before else 0),
        )
    return sorted(merged.values(), key=lambda row: (-row.units, -row.revenue, row.name))
