"""The fixed vocabularies of orders: how a buyer pays, where a stall's part stands, and the kinds of
events in an order's history. Plain choices, so the state table (orders.workflow) and the models
can both use them without importing each other."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PaymentMethod(models.TextChoices):
    COD = "cod", _("Trả tiền khi nhận hàng")
    BANK_TRANSFER = "bank_transfer", _("Chuyển khoản ngân hàng (VietQR)")


class Status(models.TextChoices):
    NEW = "new", _("Mới đặt")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    SHIPPED = "shipped", _("Đang giao")
    DELIVERED = "delivered", _("Đã giao")
    CANCELLED = "cancelled", _("Đã huỷ")


class EventKind(models.TextChoices):
    """What one line of an order's history records.

    A context of their own: "Đặt hàng" and "Xác nhận" are also button labels, and English says
    "Place order" on the button but "Order placed" in the history.
    """

    PLACED = "placed", pgettext_lazy("lịch sử đơn hàng", "Đặt hàng")
    CONFIRMED = "confirmed", pgettext_lazy("lịch sử đơn hàng", "Xác nhận")
    SHIPPED = "shipped", pgettext_lazy("lịch sử đơn hàng", "Gửi hàng")
    # The carrier or tracking number corrected after shipping (in the admin).
    SHIPMENT_CHANGED = "shipment", pgettext_lazy("lịch sử đơn hàng", "Sửa thông tin gửi hàng")
    DELIVERED = "delivered", pgettext_lazy("lịch sử đơn hàng", "Giao xong")
    PAID = "paid", pgettext_lazy("lịch sử đơn hàng", "Nhận thanh toán")
    CANCELLED = "cancelled", pgettext_lazy("lịch sử đơn hàng", "Huỷ")


class TransferOutcome(models.TextChoices):
    """What a bank transaction SePay reported meant for the stall: only PAID marked a part paid;
    every other outcome but money going out is a transfer for the owner to look at
    (TRANSFER_SETTLED)."""

    PAID = "paid", _("Đã ghi nhận thanh toán")
    UNDERPAID = "underpaid", _("Chuyển thiếu")
    OVERPAID = "overpaid", _("Chuyển thừa")
    NO_CODE = "no_code", _("Không có mã đơn")
    UNKNOWN_CODE = "unknown_code", _("Mã đơn không có ở gian hàng")
    ALREADY_PAID = "already_paid", _("Phần đơn đã trả rồi")
    CANCELLED = "cancelled", _("Phần đơn đã huỷ")
    OTHER_ACCOUNT = "other_account", _("Tài khoản khác")
    OUTGOING = "outgoing", _("Tiền ra")
    CASH_ON_DELIVERY = "cash_on_delivery", _("Đơn trả tiền khi nhận hàng")


# Outcomes that wait for nobody: a part marked paid, and money out (the stall's own payment, which
# SePay sends too when set to send every event).
TRANSFER_SETTLED = (TransferOutcome.PAID, TransferOutcome.OUTGOING)
