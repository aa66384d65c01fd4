"""Orders: one buyer's order, split into one part per cooperative, with item snapshots and history.

Rows are created only by ``orders.services.order_place`` and change status only through the
transition functions in ``orders.services``; models hold fields, constraints and derived values.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from products.models import Cooperative, Product
from storefront.lib.english import EnglishTwinMixin
from storefront.lib.phones import phone_display
from storefront.lib.text import search_text
from storefront.lib.vietnam import BANK_NAMES, PROVINCE_NAMES, PROVINCES

from .carriers import CARRIER_CHOICES, NAME_MAX, NUMBER_MAX, ROUTE_MAX, Shipment
from .choices import TRANSFER_SETTLED, EventKind, PaymentMethod, Status, TransferOutcome
from .workflow import STATUS_RANK, buyer_may_cancel, paid_parts_blocking_buyer_cancel

# Read aloud over the phone without confusion: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


# An order whose live parts are at different stages: named by what has happened to some of
# them, since "Mới đặt" or "Đang giao" alone would be wrong for the other parts.
PARTLY_CONFIRMED = "partly_confirmed"
PARTLY_SHIPPED = "partly_shipped"
PARTLY_DELIVERED = "partly_delivered"
PROGRESS_LABELS = {
    **dict(Status.choices),
    PARTLY_CONFIRMED: _("Một phần đã xác nhận"),
    PARTLY_SHIPPED: _("Một phần đã gửi"),
    PARTLY_DELIVERED: _("Một phần đã giao"),
}


# The fields folded into Order.search_text.
SEARCHED_FIELDS = ("code", "full_name", "phone", "email", "street_address", "commune", "province")


class Order(models.Model):
    code = models.CharField(_("mã đơn"), max_length=16, editable=False)
    checkout_token = models.CharField(_("mã phiên đặt hàng"), max_length=64, editable=False)
    full_name = models.CharField(_("họ tên người nhận"), max_length=100)
    phone = models.CharField(_("điện thoại"), max_length=10, help_text=_("Dạng chuẩn: 0912345678"))
    email = models.EmailField(_("email"), blank=True)
    province = models.CharField(_("tỉnh/thành"), max_length=2, choices=PROVINCES)
    commune = models.CharField(_("xã/phường"), max_length=100)
    street_address = models.CharField(_("số nhà, đường, thôn/bản"), max_length=200)
    note = models.TextField(_("lời nhắn cho gian hàng"), blank=True, max_length=1000)
    payment_method = models.CharField(
        _("cách thanh toán"), max_length=20, choices=PaymentMethod.choices, default=PaymentMethod.COD
    )
    language = models.CharField(
        _("ngôn ngữ của người mua"), max_length=8, choices=settings.LANGUAGES, default="vi", editable=False
    )
    items_total = models.PositiveBigIntegerField(_("tiền hàng"), default=0)
    shipping_total = models.PositiveBigIntegerField(_("phí giao hàng"), default=0)
    grand_total = models.PositiveBigIntegerField(_("tổng cộng"), default=0)
    created_at = models.DateTimeField(_("đặt lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    # Folded buyer details and code, so the admin finds "Nguyễn Thị Lan" from "nguyen thi lan".
    search_text = models.TextField(_("nội dung tìm kiếm"), default="", editable=False)

    class Meta:
        verbose_name = _("đơn hàng")
        verbose_name_plural = pgettext_lazy("số nhiều", "đơn hàng")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="order_code_unique"),
            models.UniqueConstraint(fields=["checkout_token"], name="order_checkout_token_unique"),
            models.CheckConstraint(condition=Q(items_total__gte=0), name="order_items_total_not_negative"),
            models.CheckConstraint(
                condition=Q(shipping_total__gte=0), name="order_shipping_total_not_negative"
            ),
            models.CheckConstraint(condition=Q(grand_total__gte=0), name="order_grand_total_not_negative"),
        ]
        indexes = [
            models.Index(fields=["-created_at"], name="order_newest"),
            models.Index(fields=["phone"], name="order_phone"),
            models.Index(fields=["payment_method", "-created_at"], name="order_payment_newest"),
            models.Index(fields=["province", "-created_at"], name="order_province_newest"),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(SEARCHED_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        """What the admin search matches without diacritics (see ``SEARCHED_FIELDS``)."""
        return search_text(
            self.code,
            self.full_name,
            self.phone,
            self.email,
            self.street_address,
            self.commune,
            self.province_name,
        )

    def get_absolute_url(self) -> str:
        return reverse("orders:order-detail", args=[self.code])

    @property
    def province_name(self) -> str:
        return PROVINCE_NAMES.get(self.province, "")

    @property
    def phone_display(self) -> str:
        return phone_display(self.phone)

    @property
    def address_display(self) -> str:
        return ", ".join(p for p in (self.street_address, self.commune, self.province_name) if p)

    def _parts(self) -> list["CooperativeOrder"]:
        # Works with or without prefetch_related("cooperative_orders").
        return list(self.cooperative_orders.all())

    @property
    def status(self) -> str:
        """The slowest live part's status; cancelled only when every part is cancelled.

        What the order still waits for, for rules; people read ``progress`` instead."""
        live = [part.status for part in self._parts() if part.status != Status.CANCELLED]
        if not live:
            return Status.CANCELLED
        return min(live, key=lambda status: STATUS_RANK[status])

    @property
    def progress(self) -> str:
        """Where the order stands as a buyer would say it: the live parts' common status, or
        "partly …" named after the furthest stage some parts reached while others lag."""
        live = {part.status for part in self._parts() if part.status != Status.CANCELLED}
        if not live:
            return Status.CANCELLED
        if len(live) == 1:
            return next(iter(live))
        if Status.DELIVERED in live:
            return PARTLY_DELIVERED
        if Status.SHIPPED in live:
            return PARTLY_SHIPPED
        return PARTLY_CONFIRMED

    def get_status_display(self) -> str:
        return str(PROGRESS_LABELS[self.progress])

    @property
    def can_cancel(self) -> bool:
        """Whether the buyer may cancel the order now (orders.workflow)."""
        return buyer_may_cancel(self._parts())

    @property
    def paid_parts_blocking_cancel(self) -> list["CooperativeOrder"]:
        """The paid parts that alone stop the buyer cancelling: whom to call to cancel instead."""
        return paid_parts_blocking_buyer_cancel(self._parts())

    @property
    def amount_due(self) -> int:
        """What the buyer still owes: live, unpaid parts only."""
        return sum(part.total for part in self._parts() if part.is_live and not part.is_paid)


class CooperativeOrder(EnglishTwinMixin, models.Model):
    """The part of an order that one cooperative packs, ships and gets paid for."""

    order = models.ForeignKey(
        Order, verbose_name=_("đơn hàng"), on_delete=models.CASCADE, related_name="cooperative_orders"
    )
    # PROTECT: a stall with orders is unverified, never deleted, so its history stays whole.
    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("hợp tác xã"),
        on_delete=models.PROTECT,
        related_name="cooperative_orders",
    )
    # Snapshots at order time: a later change of name or bank account never changes what the
    # buyer was asked to pay, or where to.
    cooperative_name = models.CharField(_("tên hợp tác xã"), max_length=150)
    # The buyer's pages and mail in English show this; the stall's pages keep the Vietnamese.
    # A database default too: app servers still on the previous release insert parts without it.
    cooperative_name_en = models.CharField(
        _("tên hợp tác xã tiếng Anh"), max_length=150, blank=True, default="", db_default=""
    )
    bank_bin = models.CharField(_("ngân hàng"), max_length=6, blank=True)
    bank_account_number = models.CharField(_("số tài khoản"), max_length=19, blank=True)
    bank_account_name = models.CharField(_("tên chủ tài khoản"), max_length=80, blank=True)
    # The cooperative's market fee rate when the order was placed, which the monthly statement
    # charges: an admin's later change of the rate leaves months already stated as they were.
    # A database default as on cooperative_name_en; 0 is the cooperative's own default.
    market_fee_rate = models.DecimalField(
        _("phí chợ (%)"), max_digits=5, decimal_places=2, default=0, db_default=0, editable=False
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.NEW, editable=False
    )
    subtotal = models.PositiveBigIntegerField(_("tiền hàng"), default=0)
    shipping_fee = models.PositiveBigIntegerField(_("phí giao hàng"), default=0)
    is_paid = models.BooleanField(_("đã thanh toán"), default=False, editable=False)
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True, editable=False)
    # The carrier from orders.carriers (its code); a value not in the list is free text written
    # before the list existed, shown as the carrier's name. Long enough for such text.
    carrier = models.CharField(
        _("đơn vị vận chuyển"), max_length=80, blank=True, choices=CARRIER_CHOICES, default=""
    )
    # Database defaults, as on cooperative_name_en: servers on the previous release insert without them.
    carrier_name = models.CharField(
        _("tên đơn vị vận chuyển khác"),
        max_length=NAME_MAX,
        blank=True,
        default="",
        db_default="",
        help_text=_("Khi đơn vị vận chuyển là “Khác”."),
    )
    tracking_number = models.CharField(
        _("mã vận đơn"),
        max_length=NUMBER_MAX,
        blank=True,
        default="",
        db_default="",
        help_text=_("Không khoảng trắng; mã của các hãng viết hoa. Ví dụ: EB123456789VN"),
    )
    bus_route = models.CharField(
        _("tuyến xe khách"),
        max_length=ROUTE_MAX,
        blank=True,
        default="",
        db_default="",
        help_text=_("Ví dụ: Hà Giang – Hà Nội, xe Hải Vân"),
    )
    driver_phone = models.CharField(
        _("số tài xế / nhà xe"), max_length=10, blank=True, default="", db_default=""
    )
    # Free text from before carriers were chosen from a list; kept readable, no longer asked for.
    tracking_note = models.CharField(_("ghi chú giao hàng"), max_length=200, blank=True)
    cancel_reason = models.CharField(_("lý do huỷ"), max_length=300, blank=True, editable=False)
    # The buyer had scanned this stall's QR poster in the days before ordering (see
    # products.services.qr_from_add): the sales page's share of orders from posters.
    from_poster = models.BooleanField(_("từ áp phích QR"), default=False, db_default=False, editable=False)
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True, editable=False)
    shipped_at = models.DateTimeField(_("gửi hàng lúc"), null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(_("giao xong lúc"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("huỷ lúc"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    class Meta:
        verbose_name = _("phần đơn của hợp tác xã")
        verbose_name_plural = pgettext_lazy("số nhiều", "phần đơn của hợp tác xã")
        ordering = ["order", "cooperative_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "cooperative"], name="cooperative_order_unique_per_order"
            ),
            models.CheckConstraint(
                condition=Q(subtotal__gte=0), name="cooperative_order_subtotal_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(shipping_fee__gte=0), name="cooperative_order_shipping_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="cooperative_order_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(market_fee_rate__gte=0, market_fee_rate__lte=100),
                name="cooperative_order_fee_rate_percent",
            ),
        ]
        indexes = [
            # The producer's list: my cooperative, maybe one status, newest first.
            models.Index(fields=["cooperative", "status", "-created_at"], name="coop_order_producer_list"),
            models.Index(fields=["cooperative", "-created_at"], name="coop_order_producer_all"),
            models.Index(fields=["status", "-created_at"], name="coop_order_status_newest"),
            models.Index(fields=["is_paid", "-created_at"], name="coop_order_paid_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.order.code} · {self.cooperative_name}"

    @property
    def display_cooperative_name(self) -> str:
        return self._localized("cooperative_name")

    @property
    def total(self) -> int:
        return self.subtotal + self.shipping_fee

    @property
    def is_live(self) -> bool:
        return self.status != Status.CANCELLED

    @property
    def bank_name(self) -> str:
        return BANK_NAMES.get(self.bank_bin, "")

    @property
    def has_bank_details(self) -> bool:
        return bool(self.bank_bin and self.bank_account_number and self.bank_account_name)

    @property
    def shipment(self) -> Shipment:
        """The carrier and tracking number as the buyer reads them (orders.carriers)."""
        return Shipment(
            carrier=self.carrier,
            tracking_number=self.tracking_number,
            carrier_name=self.carrier_name,
            bus_route=self.bus_route,
            driver_phone=self.driver_phone,
        )

    @property
    def transfer_note(self) -> str:
        """What the buyer writes in the bank transfer: enough to match the money to this part."""
        return f"CHOPHIEN {self.order.code}"


class OrderItem(EnglishTwinMixin, models.Model):
    cooperative_order = models.ForeignKey(
        CooperativeOrder, verbose_name=_("phần đơn"), on_delete=models.CASCADE, related_name="items"
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("sản phẩm"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order_items",
    )
    product_name = models.CharField(_("tên sản phẩm"), max_length=150)
    unit = models.CharField(_("đơn vị bán"), max_length=40)
    # Database defaults too, as on CooperativeOrder.cooperative_name_en.
    product_name_en = models.CharField(
        _("tên sản phẩm tiếng Anh"), max_length=150, blank=True, default="", db_default=""
    )
    unit_en = models.CharField(
        _("đơn vị bán tiếng Anh"), max_length=40, blank=True, default="", db_default=""
    )
    unit_price = models.PositiveBigIntegerField(_("đơn giá"))
    quantity = models.PositiveIntegerField(_("số lượng"))
    line_total = models.PositiveBigIntegerField(_("thành tiền"))

    class Meta:
        verbose_name = _("sản phẩm trong đơn")
        verbose_name_plural = pgettext_lazy("số nhiều", "sản phẩm trong đơn")
        ordering = ["cooperative_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_item_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="order_item_price_not_negative"),
            models.CheckConstraint(condition=Q(line_total__gte=0), name="order_item_total_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product_name} × {self.quantity}"

    @property
    def display_product_name(self) -> str:
        return self._localized("product_name")

    @property
    def display_unit(self) -> str:
        return self._localized("unit")


class OrderEvent(models.Model):
    """One line of an order's history: who did what, when. Written by the services only."""

    Kind = EventKind

    order = models.ForeignKey(
        Order, verbose_name=_("đơn hàng"), on_delete=models.CASCADE, related_name="events"
    )
    cooperative_order = models.ForeignKey(
        CooperativeOrder,
        verbose_name=_("phần đơn"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Để trống khi người mua tự làm."),
    )
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    message = models.CharField(_("ghi chú"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lịch sử đơn hàng")
        verbose_name_plural = pgettext_lazy("số nhiều", "lịch sử đơn hàng")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["order", "created_at"], name="order_event_order_time")]

    def __str__(self) -> str:
        """ "Đặt hàng · 07:13 28/11/2026": what happened and when, as the admin history lists it."""
        if self.created_at is None:
            return str(self.get_kind_display())
        return f"{self.get_kind_display()} · {timezone.localtime(self.created_at):%H:%M %d/%m/%Y}"


class Notice(models.Model):
    """One message that went out about an order (a mail today), keyed so a job run twice (a retry
    after the reply was lost) sends it once. Written by orders.tasks only."""

    key = models.CharField(_("mã"), max_length=120, unique=True)
    order = models.ForeignKey(
        Order, verbose_name=_("đơn hàng"), on_delete=models.CASCADE, related_name="notices"
    )
    channel = models.CharField(_("kênh"), max_length=20)
    recipient = models.CharField(_("người nhận"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thông báo đã gửi")
        verbose_name_plural = pgettext_lazy("số nhiều", "thông báo đã gửi")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient} · {self.subject}"


class PushSubscription(models.Model):
    """One browser on one phone that asked to be told by Web Push: a stall member's (new orders of
    their cooperatives) and/or a buyer's (the orders they opted in on, no account needed).

    The endpoint is the browser's own address at its push service, so it is unique: subscribing
    again from the same phone updates the row, and a phone handed to another member follows
    whoever subscribed last. Written by orders.services.push; removed when the push service
    answers that it is gone (404/410)."""

    endpoint = models.CharField(_("địa chỉ nhận thông báo"), max_length=1000, unique=True)
    p256dh = models.CharField(_("khoá mã hoá"), max_length=200)
    auth = models.CharField(_("khoá xác thực"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("thành viên"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="push_subscriptions",
        help_text=_("Thành viên gian hàng nhận báo đơn mới; để trống khi chỉ người mua theo dõi đơn."),
    )
    orders = models.ManyToManyField(
        Order, verbose_name=_("đơn người mua theo dõi"), blank=True, related_name="push_subscriptions"
    )
    device = models.CharField(_("thiết bị"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    class Meta:
        verbose_name = _("điện thoại nhận thông báo")
        verbose_name_plural = pgettext_lazy("số nhiều", "điện thoại nhận thông báo")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user or _('người mua')} · {self.device or self.endpoint[:40]}"


class RateCounter(models.Model):
    """A counter of attempts in a time window (order look-ups, checkouts per client), kept in the
    database so every worker and every app server counts together. Used by orders.throttles when
    there is no Redis."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("bộ đếm giới hạn")
        verbose_name_plural = pgettext_lazy("số nhiều", "bộ đếm giới hạn")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class SepayWebhook(models.Model):
    """A stall's connection to SePay: the address SePay posts its transactions to and the digest
    of the key it sends with them. The key itself is shown to the owner once and never stored."""

    cooperative = models.OneToOneField(
        Cooperative, verbose_name=_("hợp tác xã"), on_delete=models.CASCADE, related_name="sepay_webhook"
    )
    # In the address, so that an address alone names the stall (and reveals nothing about it).
    token = models.CharField(_("mã trong địa chỉ"), max_length=40, unique=True, editable=False)
    key_digest = models.CharField(_("mã băm của khoá"), max_length=64, blank=True, editable=False)
    # Grows with every new key: a second press of "replace" sent with the same version (a lost
    # reply, a double tap) does not replace the key the first press made.
    key_version = models.PositiveIntegerField(_("lần đổi khoá"), default=0, editable=False)
    is_enabled = models.BooleanField(_("đang bật"), default=False, editable=False)
    key_changed_at = models.DateTimeField(_("đổi khoá lúc"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("kết nối SePay")
        verbose_name_plural = pgettext_lazy("số nhiều", "kết nối SePay")
        ordering = ["cooperative__name"]

    def __str__(self) -> str:
        return str(self.cooperative)

    def get_absolute_url(self) -> str:
        return reverse("webhooks:sepay", args=[self.token])


class BankTransaction(models.Model):
    """One transaction SePay reported for a stall's account, as it came (the raw body) and what
    it meant: the part it paid, or why it is a transfer for the owner to look at. Written by
    orders.services.transfers only; SePay's transaction id is unique per stall, so a replay
    finds the row and changes nothing."""

    Outcome = TransferOutcome

    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("hợp tác xã"),
        on_delete=models.PROTECT,
        related_name="bank_transactions",
    )
    sepay_id = models.PositiveBigIntegerField(_("mã giao dịch SePay"))
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)
    raw_body = models.TextField(_("nội dung SePay gửi"))
    gateway = models.CharField(_("ngân hàng"), max_length=100, blank=True)
    transaction_date = models.DateTimeField(_("thời gian giao dịch"), null=True, blank=True)
    account_number = models.CharField(_("số tài khoản"), max_length=40, blank=True)
    transfer_type = models.CharField(_("loại"), max_length=3)
    amount = models.PositiveBigIntegerField(_("số tiền"))
    content = models.TextField(_("nội dung chuyển khoản"), blank=True)
    code = models.CharField(_("mã thanh toán SePay"), max_length=100, blank=True)
    reference_code = models.CharField(_("mã tham chiếu ngân hàng"), max_length=100, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=16, choices=TransferOutcome.choices)
    order_code = models.CharField(_("mã đơn trong nội dung"), max_length=16, blank=True)
    cooperative_order = models.ForeignKey(
        CooperativeOrder,
        verbose_name=_("phần đơn"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bank_transactions",
    )
    # What the part asked for when the money came, kept beside what came.
    expected_amount = models.PositiveBigIntegerField(_("số tiền cần trả"), null=True, blank=True)
    checked_at = models.DateTimeField(_("đã xem lúc"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("giao dịch ngân hàng")
        verbose_name_plural = pgettext_lazy("số nhiều", "giao dịch ngân hàng")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "sepay_id"], name="bank_transaction_sepay_id_unique_per_stall"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=[o.value for o in TransferOutcome]),
                name="bank_transaction_outcome_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["cooperative", "-received_at"], name="bank_tx_stall_newest"),
            models.Index(fields=["outcome", "-received_at"], name="bank_tx_outcome_newest"),
        ]

    def __str__(self) -> str:
        return f"SePay #{self.sepay_id} · {self.get_outcome_display()}"

    @property
    def to_look_at(self) -> bool:
        return self.outcome not in TRANSFER_SETTLED and self.checked_at is None

    @property
    def difference(self) -> int | None:
        """What came minus what was asked: negative when short, positive when over."""
        if self.expected_amount is None:
            return None
        return self.amount - self.expected_amount

    @property
    def gap(self) -> int:
        """How far off the amount is, either way (0 when nothing was expected)."""
        return abs(self.difference or 0)
