"""CSV of order parts: one writer for the admin (every stall) and the producer dashboard (one stall).

Buyers type names, addresses and notes; a spreadsheet would run a cell that starts with
= + - @ (or a tab or carriage return) as a formula, so such text cells get a leading apostrophe,
which spreadsheets show as plain text.
"""

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from storefront.lib.phones import phone_display
from storefront.lib.vietnam import PROVINCE_NAMES

from .choices import PaymentMethod
from .models import CooperativeOrder
from .statements import rate_display

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value):
    """The value as a spreadsheet should show it: text that could start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    header: Promise
    value: Callable[[CooperativeOrder], object]


def _items(part: CooperativeOrder) -> str:
    return "; ".join(f"{item.product_name} × {item.quantity}" for item in part.items.all())


COLUMNS: dict[str, Column] = {
    "code": Column(gettext_lazy("mã đơn"), lambda p: p.order.code),
    "placed": Column(
        gettext_lazy("đặt lúc"), lambda p: timezone.localtime(p.order.created_at).strftime("%Y-%m-%d %H:%M")
    ),
    "cooperative": Column(gettext_lazy("hợp tác xã"), lambda p: p.cooperative_name),
    "status": Column(gettext_lazy("trạng thái"), lambda p: p.get_status_display()),
    "items": Column(gettext_lazy("sản phẩm"), _items),
    "subtotal": Column(gettext_lazy("tiền hàng"), lambda p: p.subtotal),
    "shipping": Column(gettext_lazy("phí giao hàng"), lambda p: p.shipping_fee),
    "total": Column(gettext_lazy("cộng"), lambda p: p.total),
    "payment": Column(gettext_lazy("cách thanh toán"), lambda p: p.order.get_payment_method_display()),
    "paid": Column(gettext_lazy("đã thanh toán"), lambda p: _("có") if p.is_paid else _("chưa")),
    "name": Column(gettext_lazy("người nhận"), lambda p: p.order.full_name),
    # "0912 345 678": spreadsheets keep it as text, where 0912345678 would lose its leading 0.
    "phone": Column(gettext_lazy("điện thoại"), lambda p: phone_display(p.order.phone)),
    "email": Column(gettext_lazy("email"), lambda p: p.order.email),
    "province": Column(
        gettext_lazy("tỉnh/thành"), lambda p: PROVINCE_NAMES.get(p.order.province, p.order.province)
    ),
    "commune": Column(gettext_lazy("xã/phường"), lambda p: p.order.commune),
    "street": Column(gettext_lazy("số nhà, đường, thôn/bản"), lambda p: p.order.street_address),
    "address": Column(gettext_lazy("địa chỉ"), lambda p: f"{p.order.street_address}, {p.order.commune}"),
    "carrier": Column(gettext_lazy("đơn vị vận chuyển"), lambda p: p.shipment.name),
    "tracking": Column(gettext_lazy("mã vận đơn"), lambda p: p.tracking_number or p.tracking_note),
}

# The market's books: every stall, every contact detail.
ADMIN_COLUMNS = (
    "code",
    "placed",
    "cooperative",
    "status",
    "subtotal",
    "shipping",
    "total",
    "payment",
    "paid",
    "name",
    "phone",
    "email",
    "province",
    "commune",
    "street",
    "items",
    "carrier",
    "tracking",
)
# One stall packing its parcels: what to send, to whom, and how it went.
DASHBOARD_COLUMNS = (
    "code",
    "placed",
    "status",
    "items",
    "subtotal",
    "shipping",
    "total",
    "payment",
    "paid",
    "name",
    "phone",
    "address",
    "province",
    "carrier",
    "tracking",
)


def parts_csv_response(
    parts: Iterable[CooperativeOrder], *, filename: str, columns: Sequence[str] = ADMIN_COLUMNS
) -> HttpResponse:
    """A CSV download with one row per part (give parts with "order" and "items" loaded)."""
    chosen = [COLUMNS[key] for key in columns]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # lets spreadsheet programs read the Vietnamese text as UTF-8
    writer = csv.writer(response)
    writer.writerow([str(column.header) for column in chosen])
    for part in parts:
        writer.writerow([cell_safe(column.value(part)) for column in chosen])
    return response


def statement_csv_response(statement) -> HttpResponse:
    """A month's statement (orders.statements.Statement) as a spreadsheet: one row per part
    delivered or paid in the month, whose columns add up to the total row, then the fee and
    what is owed. Amounts are plain whole đồng, so the spreadsheet can add them again, and each
    delivered part names the fee rate it was placed under, so a month of two rates can be checked."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    slug = statement.cooperative.slug or statement.cooperative.pk
    response["Content-Disposition"] = f'attachment; filename="bang-ke-{slug}-{statement.month:%Y-%m}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)

    def day(at) -> str:
        return timezone.localtime(at).strftime("%Y-%m-%d") if at else ""

    def row(*cells) -> None:
        writer.writerow([cell_safe(cell) for cell in cells])

    row(
        _("mã đơn"),
        _("giao xong ngày"),
        _("nhận tiền ngày"),
        _("cách thanh toán"),
        _("tiền hàng"),
        _("phí giao hàng"),
        _("tiền mặt thu khi giao"),
        _("chuyển khoản nhận được"),
        _("phí chợ (%)"),
        _("ghi chú"),
    )
    methods = dict(PaymentMethod.choices)
    for line in statement.lines:
        delivered = line.delivered_in_month
        row(
            line.code,
            day(line.delivered_at) if delivered else "",
            day(line.paid_at) if line.paid_in_month else "",
            str(methods.get(line.payment_method, line.payment_method)),
            line.subtotal if delivered else "",
            line.shipping_fee if delivered else "",
            line.cash or "",
            line.transfer or "",
            rate_display(rate=line.fee_rate) if delivered else "",
            _("đã huỷ: trả lại tiền cho người mua") if line.is_cancelled else "",
        )
    row()
    row(_("Cộng"), "", "", "", statement.goods, statement.shipping, statement.cash, statement.transfers, "")
    row(
        _("Phí chợ (%(rate)s tiền hàng)") % {"rate": statement.fee_rate_display},
        "",
        "",
        "",
        statement.fee,
    )
    row(_("Hợp tác xã trả Chợ Phiên"), "", "", "", statement.owed_to_market)
    return response
