"""Admin for orders. Orders are never added, deleted or re-priced here: statuses change only
through the actions below, which call the same services as the producer dashboard (events,
stock and mail included)."""

from dataclasses import asdict
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminTextInputWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from products.models import Cooperative
from storefront.lib.admin_tools import FoldedSearchMixin
from storefront.lib.money import vnd
from storefront.lib.phones import normalize_phone

from . import services, statements, workflow
from .carriers import CARRIER_CHOICES, Shipment, shipment_clean
from .choices import TRANSFER_SETTLED
from .exceptions import OrderError
from .exports import ADMIN_COLUMNS, parts_csv_response, statement_csv_response
from .models import (
    BankTransaction,
    CooperativeOrder,
    Notice,
    Order,
    OrderEvent,
    OrderItem,
    PushSubscription,
    SepayWebhook,
    Status,
)
from .sales_forms import chosen_month

# What an action says when it is done, by its name in orders.workflow.
DONE = {
    "confirm": _("Đã xác nhận %(n)d phần đơn."),
    "ship": _("Đã báo gửi hàng %(n)d phần đơn."),
    "deliver": _("Đã báo giao xong %(n)d phần đơn."),
    "paid": _("Đã ghi nhận thanh toán %(n)d phần đơn."),
    "cancel": _("Đã huỷ %(n)d phần đơn."),
}


# What the inputs beside the action menu are for, said in the action's name in the menu.
ACTION_HINTS = {
    "ship": _("chọn đơn vị vận chuyển, điền mã vận đơn"),
    "cancel": _("điền lý do; hàng được trả lại kho"),
}


# The part's fields the admin may correct, and what the "ship" action reads beside its button.
SHIPMENT_FIELDS = ["carrier", "tracking_number", "carrier_name", "bus_route", "driver_phone", "tracking_note"]
SHIP_INPUTS = ["carrier", "tracking_number", "carrier_name", "bus_route", "driver_phone"]


def _typed_box(name: str) -> forms.CharField:
    """The model's field without its length: the column holds the normalised value ("0912345678"),
    while people type "+84 912 345 678" or paste a long code, and orders.carriers says what is
    wrong where Django would only count characters (or the browser cut them)."""
    return CooperativeOrder._meta.get_field(name).formfield(max_length=None, widget=AdminTextInputWidget)


class CooperativeOrderForm(forms.ModelForm):
    """The shipment of a part, checked by the same rules as the producer's ship form."""

    tracking_number = _typed_box("tracking_number")
    carrier_name = _typed_box("carrier_name")
    bus_route = _typed_box("bus_route")
    driver_phone = _typed_box("driver_phone")

    class Meta:
        model = CooperativeOrder
        fields = SHIPMENT_FIELDS

    def clean(self):
        cleaned = super().clean()
        # What was typed reaches the row only as shipment_clean returns it, so the model's own
        # checks never judge the raw text and add a second, misleading message.
        typed = {name: cleaned.pop(name, None) or "" for name in SHIP_INPUTS}
        if self.errors:
            return cleaned
        if not typed["carrier"]:
            if any(typed.values()):
                self.add_error("carrier", _("Hãy chọn đơn vị vận chuyển, hoặc xoá cả mã vận đơn."))
                return cleaned
            self.cleaned_shipment = Shipment()
        else:
            try:
                self.cleaned_shipment = shipment_clean(**typed)
            except ValidationError as error:
                for field, errors in error.error_dict.items():
                    for message in errors:
                        self.add_error(field, message)
                return cleaned
        cleaned.update(asdict(self.cleaned_shipment))
        return cleaned


def _table_action(name: str):
    """The admin list action for one action of the state table (`paid` keeps its old name
    "mark_paid" in the menu's form value)."""
    step = workflow.ACTIONS[name]

    def act(modeladmin, request, queryset):
        modeladmin._act(request, queryset, name)

    act.__name__ = "mark_paid" if name == "paid" else name
    hint = ACTION_HINTS.get(name)
    description = format_lazy("{} ({})", step.label, hint) if hint else step.label
    return admin.action(description=description)(act)


class PartActionForm(ActionForm):
    """Extra inputs next to the action menu: what "mark shipped" and "cancel" need."""

    carrier = forms.ChoiceField(
        label=_("Đơn vị vận chuyển"), required=False, choices=[("", "—"), *CARRIER_CHOICES]
    )
    # No max_length: Django's admin answers an invalid action form with "no action selected";
    # orders.carriers says what is wrong with what was typed.
    tracking_number = forms.CharField(label=_("Mã vận đơn"), required=False)
    carrier_name = forms.CharField(label=_("Tên đơn vị khác"), required=False)
    bus_route = forms.CharField(label=_("Tuyến xe khách"), required=False)
    driver_phone = forms.CharField(label=_("Số tài xế"), required=False)
    reason = forms.CharField(label=_("Lý do huỷ"), required=False, max_length=300)


def _vnd_column(field: str, label):
    """A read-only column or field showing an amount as people read it ("925.000 ₫")."""

    @admin.display(description=label, ordering=field)
    def show(self, obj):
        return vnd(getattr(obj, field))

    show.__name__ = f"{field}_vnd"
    return show


def _short_date(label):
    """The creation date as "28/11/2026": the full date and time took a fifth of a laptop screen."""

    @admin.display(description=label, ordering="created_at")
    def show(self, obj):
        return date_format(timezone.localtime(obj.created_at), "SHORT_DATE_FORMAT")

    show.__name__ = "created_short"
    return show


def _run(modeladmin, request, parts, action: str, done_message, **fields):
    """Take an action of the state table on each part; report how many worked and why the others
    did not (the service refuses, in `workflow.refusal`'s words, what the table does not allow)."""
    done = 0
    for part in parts:
        try:
            services.cooperative_order_apply(
                cooperative_order=part, action=action, actor=request.user, **fields
            )
        except OrderError as error:
            modeladmin.message_user(request, error.message, messages.WARNING)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"n": done}, messages.SUCCESS)


def _export_csv(parts) -> HttpResponse:
    """One row per cooperative part, with its order's buyer details, for accounting."""
    return parts_csv_response(
        parts, filename=f"don-hang-{timezone.localtime():%Y%m%d-%H%M}.csv", columns=ADMIN_COLUMNS
    )


class PhoneSearchMixin:
    """Search by phone typed any way ("0912 345 678", "+84912345678") as well as by text."""

    phone_field = "phone"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            phone = normalize_phone(search_term)
        except ValidationError:
            return results, may_have_duplicates
        return results | queryset.filter(**{self.phone_field: phone}), may_have_duplicates


class OrderStatusFilter(admin.SimpleListFilter):
    title = _("trạng thái phần đơn")
    parameter_name = "part_status"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        if self.value() in Status.values:
            parts = CooperativeOrder.objects.filter(order=OuterRef("pk"), status=self.value())
            return queryset.filter(Exists(parts))
        return queryset


class OrderPaidFilter(admin.SimpleListFilter):
    title = _("thanh toán")
    parameter_name = "paid"

    def lookups(self, request, model_admin):
        return [("yes", _("đã trả hết")), ("no", _("còn phần chưa trả"))]

    def queryset(self, request, queryset):
        unpaid = CooperativeOrder.objects.filter(order=OuterRef("pk"), is_paid=False).exclude(
            status=Status.CANCELLED
        )
        if self.value() == "yes":
            return queryset.exclude(Exists(unpaid))
        if self.value() == "no":
            return queryset.filter(Exists(unpaid))
        return queryset


class CooperativeOrderInline(admin.TabularInline):
    model = CooperativeOrder
    extra = 0
    can_delete = False
    show_change_link = True
    fields = [
        "cooperative_name",
        "status",
        "items_list",
        "subtotal_vnd",
        "shipping_fee_vnd",
        "is_paid",
        "tracking",
        "next_steps",
    ]
    readonly_fields = fields
    subtotal_vnd = _vnd_column("subtotal", _("tiền hàng"))
    shipping_fee_vnd = _vnd_column("shipping_fee", _("phí giao hàng"))

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("sản phẩm"))
    def items_list(self, part):
        return format_html_join(
            "",
            "<div>{} × {} ({})</div>",
            ((i.product_name, i.quantity, i.unit) for i in part.items.all()),
        )

    @admin.display(description=_("giao hàng"))
    def tracking(self, part):
        shipped = part.shipment.summary()
        return " · ".join(p for p in (shipped, part.tracking_note, part.cancel_reason) if p) or "—"

    @admin.display(description=_("việc tiếp theo"))
    def next_steps(self, part):
        """Each stall is paid and ships on its own: its part's own page has the buttons."""
        steps = workflow.allowed_actions(part, by=workflow.Actor.STAFF)
        if not steps:
            return "—"
        url = reverse("admin:orders_cooperativeorder_change", args=[part.pk])
        return format_html('<a href="{}">{}</a>', url, ", ".join(str(step.label) for step in steps))


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "cooperative_order", "kind", "actor", "message"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "cooperative_order")


@admin.register(Order)
class OrderAdmin(FoldedSearchMixin, PhoneSearchMixin, admin.ModelAdmin):
    # What an admin scans at 1280 px; province and payment method are filters on the right.
    list_display = [
        "code",
        "buyer",
        "grand_total_vnd",
        "status_label",
        "paid_label",
        "created_short",
    ]
    list_filter = [
        OrderStatusFilter,
        "payment_method",
        OrderPaidFilter,
        "province",
        "created_at",
    ]
    date_hierarchy = "created_at"
    search_fields = ["code", "phone", "full_name", "email"]
    inlines = [CooperativeOrderInline, OrderEventInline]
    # No "mark paid" for a whole order: each stall receives its own transfer, so payment is
    # recorded per part, on the part's page or in the list of parts.
    actions = ["export_csv"]
    list_per_page = 50
    readonly_fields = [
        "code",
        "created_at",
        "payment_method",
        "items_total_vnd",
        "shipping_total_vnd",
        "grand_total_vnd",
        "status_label",
        "paid_label",
        "buyer_page",
    ]
    fieldsets = [
        (None, {"fields": ["code", "created_at", "status_label", "paid_label", "buyer_page"]}),
        (_("Người nhận"), {"fields": ["full_name", "phone", "email"]}),
        (_("Địa chỉ"), {"fields": ["province", "commune", "street_address", "note"]}),
        (
            _("Tiền"),
            {"fields": ["payment_method", "items_total_vnd", "shipping_total_vnd", "grand_total_vnd"]},
        ),
    ]
    items_total_vnd = _vnd_column("items_total", _("tiền hàng"))
    shipping_total_vnd = _vnd_column("shipping_total", _("phí giao hàng"))
    grand_total_vnd = _vnd_column("grand_total", _("tổng cộng"))
    created_short = _short_date(_("ngày đặt"))

    def get_queryset(self, request):
        parts = CooperativeOrder.objects.prefetch_related("items").order_by("cooperative_name", "id")
        return super().get_queryset(request).prefetch_related(Prefetch("cooperative_orders", queryset=parts))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("trạng thái"))
    def status_label(self, order):
        return order.get_status_display()

    @admin.display(description=_("người nhận"), ordering="full_name")
    def buyer(self, order):
        # Name over phone in one cell: two columns of their own pushed the list off the screen.
        return format_html("{}<br>{}", order.full_name, order.phone_display)

    @admin.display(description=_("đã trả"), boolean=True)
    def paid_label(self, order):
        live = [p for p in order.cooperative_orders.all() if p.is_live]
        return bool(live) and all(p.is_paid for p in live)

    @admin.display(description=_("trang người mua"))
    def buyer_page(self, order):
        url = f"{reverse('orders:order-track')}?code={order.code}"
        return format_html('<a href="{}">{}</a>', url, _("Tra cứu (cần số điện thoại)"))

    @admin.action(description=_("Xuất CSV"))
    def export_csv(self, request, queryset):
        parts = (
            CooperativeOrder.objects.filter(order__in=queryset)
            .select_related("order")
            .prefetch_related("items")
            .order_by("-order__created_at", "cooperative_name")
        )
        return _export_csv(parts)


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    can_delete = False
    fields = ["product_name", "unit", "unit_price_vnd", "quantity", "line_total_vnd", "product"]
    readonly_fields = fields
    unit_price_vnd = _vnd_column("unit_price", _("đơn giá"))
    line_total_vnd = _vnd_column("line_total", _("thành tiền"))

    def has_add_permission(self, request, obj=None):
        return False


class PartEventInline(OrderEventInline):
    fk_name = "cooperative_order"
    fields = ["created_at", "kind", "actor", "message"]
    readonly_fields = fields


@admin.register(CooperativeOrder)
class CooperativeOrderAdmin(PhoneSearchMixin, admin.ModelAdmin):
    phone_field = "order__phone"
    # Payment method, province and shipping are filters; one total instead of goods + shipping.
    list_display = [
        "order_code",
        "stall",
        "status",
        "total_vnd",
        "paid",
        "created_short",
    ]
    list_select_related = ["order"]
    list_filter = [
        "status",
        "is_paid",
        "order__payment_method",
        "order__province",
        "from_poster",
        "created_at",
        "cooperative",
    ]
    date_hierarchy = "created_at"
    search_fields = ["order__code", "order__phone", "order__full_name", "cooperative_name"]
    inlines = [OrderItemInline, PartEventInline]
    action_form = PartActionForm
    # One action per row of the state table that staff may take (orders.workflow), then the export.
    actions = [
        *(
            _table_action(name)
            for name, step in workflow.ACTIONS.items()
            if workflow.Actor.STAFF in step.actors
        ),
        "export_csv",
    ]
    list_per_page = 50
    fields = [
        "order_link",
        "cooperative",
        "cooperative_name",
        "status",
        "subtotal_vnd",
        "shipping_fee_vnd",
        "market_fee_rate",
        "is_paid",
        "paid_at",
        "from_poster",
        "bank",
        "cancel_reason",
        "confirmed_at",
        "shipped_at",
        "delivered_at",
        "cancelled_at",
        *SHIPMENT_FIELDS,
        "tracking_page",
    ]
    # Only the shipment can be corrected here (a mistyped number, the wrong carrier), through
    # CooperativeOrderForm and a service that records it; statuses change through the actions.
    readonly_fields = [field for field in fields if field not in SHIPMENT_FIELDS]
    form = CooperativeOrderForm
    change_form_template = "admin/orders/cooperativeorder/change_form.html"
    subtotal_vnd = _vnd_column("subtotal", _("tiền hàng"))
    shipping_fee_vnd = _vnd_column("shipping_fee", _("phí giao hàng"))
    created_short = _short_date(_("ngày đặt"))

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("gian hàng"), ordering="cooperative_name")
    def stall(self, part):
        # Admin headers do not wrap: "tên hợp tác xã" alone was wider than most stall names.
        return part.cooperative_name

    @admin.display(description=_("cộng"))
    def total_vnd(self, part):
        return vnd(part.total)

    @admin.display(description=_("đã trả"), boolean=True, ordering="is_paid")
    def paid(self, part):
        return part.is_paid

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("mã đơn"), ordering="order__code")
    def order_code(self, part):
        return part.order.code

    @admin.display(description=_("đơn hàng"))
    def order_link(self, part):
        url = reverse("admin:orders_order_change", args=[part.order_id])
        return format_html('<a href="{}">{}</a>', url, part.order.code)

    @admin.display(description=_("trang tra cứu của hãng"))
    def tracking_page(self, part):
        url = part.shipment.tracking_url
        if not url:
            return "—"
        return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', url, url)

    def save_model(self, request, obj, form, change):
        """The only editable fields are the shipment's: saved by the service, with an event."""
        if form.has_changed():
            services.cooperative_order_shipment_change(
                cooperative_order=obj,
                actor=request.user,
                shipment=form.cleaned_shipment,
                note=form.cleaned_data.get("tracking_note", ""),
            )

    @admin.display(description=_("tài khoản nhận tiền"))
    def bank(self, part):
        if not part.has_bank_details:
            return "—"
        return f"{part.bank_name or part.bank_bin} · {part.bank_account_number} · {part.bank_account_name}"

    def _form_value(self, request, name: str) -> str:
        return request.POST.get(name, "").strip()

    def _fields(self, request, action: str) -> dict | None:
        """What the action needs from the inputs beside the action menu or the part's buttons;
        None (with a message) when something required is missing."""
        value = partial(self._form_value, request)
        if action == "ship":
            if not value("carrier"):
                self.message_user(request, _("Hãy chọn đơn vị vận chuyển."), messages.ERROR)
                return None
            return {name: value(name) for name in SHIP_INPUTS}
        if action == "cancel":
            if not value("reason"):
                self.message_user(request, _("Hãy điền lý do huỷ để người mua biết."), messages.ERROR)
                return None
            return {"reason": value("reason")}
        return {}

    def _act(self, request, parts, action: str):
        fields = self._fields(request, action)
        if fields is not None:
            _run(self, request, parts, action, DONE[action], **fields)

    def get_urls(self):
        act = path(
            "<path:object_id>/act/<slug:action>/",
            self.admin_site.admin_view(self.act_view),
            name="orders_cooperativeorder_act",
        )
        view = self.admin_site.admin_view
        statement_urls = [
            path("statements/", view(self.statements_view), name="orders_statements"),
            path("statements/<int:cooperative_id>/", view(self.statement_view), name="orders_statement"),
            path(
                "statements/<int:cooperative_id>/csv/",
                view(partial(self.statement_view, as_file="csv")),
                name="orders_statement_csv",
            ),
            path(
                "statements/<int:cooperative_id>/print/",
                view(partial(self.statement_view, as_file="print")),
                name="orders_statement_print",
            ),
        ]
        return [*statement_urls, act, *super().get_urls()]

    def _month(self, request) -> tuple:
        """The month asked for; a bad one is said in a message and this month is shown instead."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        month, error = chosen_month(request.GET)
        if error:
            self.message_user(request, error, messages.WARNING)
        return month, error

    def _statement_context(self, request, title, month, **context) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "month": month,
            "months": statements.months_recent(),
            **context,
        }

    def statements_view(self, request):
        """A month's statements of every cooperative, with the market's totals."""
        month, _error = self._month(request)
        overview = statements.month_overview(month=month)
        title = _("Bảng kê tháng %(month)s") % {"month": f"{month:%m/%Y}"}
        context = self._statement_context(request, title, month, overview=overview)
        return TemplateResponse(request, "admin/orders/statements.html", context)

    def statement_view(self, request, cooperative_id: int, as_file: str = ""):
        """One cooperative's statement, as the dashboard shows it (or its CSV, or its printed page)."""
        month, error = self._month(request)
        cooperative = get_object_or_404(Cooperative, pk=cooperative_id)
        if error and as_file:
            # Not a file of another month than the one asked for: the page, with the message.
            return HttpResponseRedirect(reverse("admin:orders_statement", args=[cooperative.pk]))
        statement = statements.cooperative_statement(cooperative=cooperative, month=month)
        if as_file == "csv":
            return statement_csv_response(statement)
        if as_file == "print":
            back = f"{reverse('admin:orders_statement', args=[cooperative.pk])}?month={month:%Y-%m}"
            return render(request, "orders/statement_print.html", {"statement": statement, "back_url": back})
        names = {"month": f"{month:%m/%Y}", "name": cooperative.name}
        title = _("Bảng kê tháng %(month)s · %(name)s") % names
        context = self._statement_context(request, title, month, statement=statement)
        return TemplateResponse(request, "admin/orders/statement.html", context)

    def act_view(self, request, object_id, action: str):
        """The buttons on a part's page: one action of the state table on this part alone."""
        part = self.get_object(request, object_id)
        if request.method != "POST" or part is None or action not in DONE:
            raise Http404
        if not self.has_change_permission(request, part):
            raise PermissionDenied
        self._act(request, [part], action)
        return HttpResponseRedirect(reverse("admin:orders_cooperativeorder_change", args=[part.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        part = self.get_object(request, unquote(object_id))
        may_act = part is not None and self.has_change_permission(request, part)
        steps = workflow.allowed_actions(part, by=workflow.Actor.STAFF) if may_act else []
        extra_context = {**(extra_context or {}), "part_actions": steps, "carrier_choices": CARRIER_CHOICES}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Xuất CSV"))
    def export_csv(self, request, queryset):
        return _export_csv(queryset.select_related("order").prefetch_related("items"))


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """Read-only: what was sent to whom about each order, written by the mail and push jobs."""

    list_display = ["sent_at", "channel", "recipient", "subject"]
    list_filter = ["channel", "sent_at"]
    search_fields = ["recipient", "subject", "order__code"]
    list_select_related = ["order"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    """Phones that receive push messages. Only the phone itself subscribes (its keys come from its
    browser), so nothing is added or edited here; removing one stops its messages."""

    list_display = ["updated_at", "user", "device", "created_at"]
    list_filter = ["updated_at"]
    search_fields = ["user__username", "device", "orders__code"]
    list_select_related = ["user"]
    fields = ["user", "device", "endpoint", "orders", "created_at", "updated_at"]
    readonly_fields = fields


class ToLookAtFilter(admin.SimpleListFilter):
    title = _("cần xem")
    parameter_name = "to_look_at"

    def lookups(self, request, model_admin):
        return [("yes", _("cần xem")), ("no", _("đã ghi nhận hoặc đã xem"))]

    def queryset(self, request, queryset):
        waiting = ~Q(outcome__in=TRANSFER_SETTLED) & Q(checked_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(waiting)
        if self.value() == "no":
            return queryset.exclude(waiting)
        return queryset


@admin.register(BankTransaction)
class BankTransactionAdmin(admin.ModelAdmin):
    """Read-only: every transaction SePay reported, what it paid or why it waits for a look, with
    what the part asked for. Payments are recorded on the part, through the state table."""

    list_display = [
        "received_at",
        "cooperative",
        "amount_vnd",
        "outcome",
        "order_code",
        "expected_vnd",
        "to_look_at",
    ]
    list_filter = [ToLookAtFilter, "outcome", "transfer_type", "received_at", "cooperative"]
    search_fields = ["content", "order_code", "sepay_id", "reference_code", "account_number"]
    list_select_related = ["cooperative"]
    date_hierarchy = "received_at"
    list_per_page = 50
    fields = [
        "cooperative",
        "sepay_id",
        "received_at",
        "outcome",
        "part_link",
        "order_code",
        "amount_vnd",
        "expected_vnd",
        "transfer_type",
        "account_number",
        "gateway",
        "transaction_date",
        "content",
        "code",
        "reference_code",
        "checked_at",
        "checked_by",
        "raw_body",
    ]
    readonly_fields = fields
    amount_vnd = _vnd_column("amount", _("số tiền"))

    @admin.display(description=_("số tiền cần trả"), ordering="expected_amount")
    def expected_vnd(self, record):
        return "—" if record.expected_amount is None else vnd(record.expected_amount)

    @admin.display(description=_("cần xem"), boolean=True)
    def to_look_at(self, record):
        return record.to_look_at

    @admin.display(description=_("phần đơn"))
    def part_link(self, record):
        if record.cooperative_order_id is None:
            return "—"
        url = reverse("admin:orders_cooperativeorder_change", args=[record.cooperative_order_id])
        return format_html('<a href="{}">{}</a>', url, record.cooperative_order)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SepayWebhook)
class SepayWebhookAdmin(admin.ModelAdmin):
    """Which stalls have SePay on. Owners turn it on and make keys in their dashboard; an admin
    may only turn one off (a key that leaked)."""

    list_display = ["cooperative", "is_enabled", "key_changed_at", "created_at"]
    list_filter = ["is_enabled"]
    search_fields = ["cooperative__name"]
    list_select_related = ["cooperative"]
    fields = ["cooperative", "is_enabled", "key_version", "key_changed_at", "created_at"]
    readonly_fields = fields
    actions = ["turn_off"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Tắt SePay (khoá thôi dùng được)"))
    def turn_off(self, request, queryset):
        for webhook in queryset.select_related("cooperative"):
            services.sepay_turn_off(cooperative=webhook.cooperative)
        self.message_user(request, _("Đã tắt SePay cho %(n)d gian hàng.") % {"n": queryset.count()})
