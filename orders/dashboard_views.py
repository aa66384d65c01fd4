"""The producer dashboard, order side: this cooperative's parts of orders and what to do with them.

Only owners and members come here: helpers are volunteers from outside the cooperative and do
not see buyers' names, phones and addresses. Every status change is a POST that calls one
function of `orders.services`; a refused change shows the service's own message.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from products.permissions import ORDER_ROLES, OWNER_ROLES, dashboard_view, scoped_object_or_404
from storefront.lib.links import absolute_url, safe_next
from storefront.lib.phones import phone_display, phone_e164, zalo_url

from . import dashboard_selectors as selectors
from . import notifications, services, workflow
from .choices import PaymentMethod, Status
from .dashboard_forms import CancelForm, ExportForm, ShipForm
from .exceptions import OrderError
from .exports import DASHBOARD_COLUMNS, parts_csv_response
from .models import BankTransaction, CooperativeOrder

PAGE_SIZE = 20

# The extra fields an action of the state table asks for, and what is said when it is done.
ACTION_FORMS = {"ship": ShipForm, "cancel": CancelForm}
DONE = {
    "confirm": gettext_lazy("Đã xác nhận đơn %(code)s."),
    "ship": gettext_lazy("Đã ghi đơn %(code)s là đang giao."),
    "deliver": gettext_lazy("Đã ghi đơn %(code)s là đã giao xong."),
    "paid": gettext_lazy("Đã ghi nhận tiền của đơn %(code)s."),
    "cancel": gettext_lazy("Đã huỷ đơn %(code)s. Số hàng đã được trả lại kho."),
}


def _status_filter(request) -> tuple[str, bool]:
    value = request.GET.get("status", "")
    if value == "to_check":
        return "", True
    return (value if value in Status.values else ""), False


@dashboard_view(roles=ORDER_ROLES)
@require_safe
def order_list(request):
    cooperative = request.membership.cooperative
    status, to_check = _status_filter(request)
    parts = selectors.cooperative_order_list(cooperative=cooperative, status=status, to_check=to_check)
    page = Paginator(parts, PAGE_SIZE).get_page(request.GET.get("page"))
    current = "to_check" if to_check else status
    return render(
        request,
        "dashboard/orders/list.html",
        {
            "page_obj": page,
            "parts": page.object_list,
            "status": current,
            "statuses": Status.choices,
            "counts": selectors.cooperative_order_counts(cooperative=cooperative),
            "query_string": {"status": current} if current else {},
            "dash_section": "orders",
        },
    )


def _part(request, pk: int) -> CooperativeOrder:
    return scoped_object_or_404(request, selectors.cooperative_order_detail(), pk=pk)


def _contact_links(phone: str) -> dict:
    """tel: and Zalo links for the buyer's number (empty if an old row holds something odd)."""
    try:
        return {"tel": f"tel:{phone_e164(phone)}", "zalo": zalo_url(phone)}
    except ValidationError:
        return {"tel": "", "zalo": ""}


def _ship_form(part: CooperativeOrder) -> ShipForm | None:
    if not workflow.allowed(part, "ship", by=workflow.Actor.STALL):
        return None
    return ShipForm(initial=selectors.ship_form_initial(cooperative=part.cooperative))


def _detail_page(request, part: CooperativeOrder, *, ship_form=None, cancel_form=None, status=200):
    return render(
        request,
        "dashboard/orders/detail.html",
        {
            "part": part,
            "order": part.order,
            "items": list(part.items.all()),
            "events": list(part.events.all()),
            "next_actions": {
                action.name: action for action in workflow.next_actions(part, by=workflow.Actor.STALL)
            },
            "ship_form": ship_form or _ship_form(part),
            "cancel_form": cancel_form or CancelForm(),
            "reach": notifications.buyer_reach(order=part.order),
            "dash_section": "orders",
            **_contact_links(part.order.phone),
        },
        status=status,
    )


@dashboard_view(roles=ORDER_ROLES)
@require_safe
def order_detail(request, pk: int):
    return _detail_page(request, _part(request, pk))


@dashboard_view(roles=ORDER_ROLES)
@require_POST
def order_action(request, pk: int, action: str):
    """Take one action of the state table on a part (confirm, ship, deliver, paid, cancel)."""
    if action not in DONE:
        raise Http404
    part = _part(request, pk)
    extra = {}
    if action in ACTION_FORMS:
        form = ACTION_FORMS[action](request.POST)
        if not form.is_valid():
            messages.error(request, _("Chưa làm được: hãy xem ô có chữ đỏ."))
            return _detail_page(request, part, **{f"{action}_form": form}, status=400)
        extra = form.cleaned_data
    try:
        services.cooperative_order_apply(cooperative_order=part, action=action, actor=request.user, **extra)
    except OrderError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{DONE[action] % {'code': part.order.code}} {_told_sentence(part.order)}")
    return redirect("dashboard-orders:detail", pk=part.pk)


def _told_sentence(order) -> str:
    """Who the change was told to: the buyer's channels, or whom to call when they have none."""
    reach = notifications.buyer_reach(order=order)
    if reach.by_email and reach.by_push:
        return _("Người mua được báo qua email và thông báo trên điện thoại.")
    if reach.by_push:
        return _("Người mua được báo qua thông báo trên điện thoại.")
    if reach:
        return _("Người mua được báo qua email.")
    return _("Người mua không để lại email: hãy gọi %(phone)s để báo.") % {
        "phone": phone_display(reach.phone)
    }


def order_is_cod(part: CooperativeOrder) -> bool:
    return part.order.payment_method == PaymentMethod.COD


@dashboard_view(roles=ORDER_ROLES)
@require_safe
def packing_slip(request, pk: int):
    """A page to print and put in the parcel: who it is from, who it goes to, what is inside."""
    part = _part(request, pk)
    return render(
        request,
        "dashboard/orders/packing_slip.html",
        {
            "part": part,
            "order": part.order,
            "items": list(part.items.all()),
            "cooperative": part.cooperative,
            # Cash on delivery only; a bank transfer is never collected at the door.
            "collect": part.total if order_is_cod(part) and not part.is_paid else 0,
        },
    )


@dashboard_view(roles=ORDER_ROLES)
@require_safe
def order_export(request):
    """CSV of this cooperative's orders for a date range; bad dates get a message, not an error."""
    if "start" not in request.GET and "end" not in request.GET:
        today = timezone.localdate()
        form = ExportForm(initial={"start": today.replace(day=1), "end": today})
        return render(request, "dashboard/orders/export.html", {"form": form, "dash_section": "orders"})
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(
            request, "dashboard/orders/export.html", {"form": form, "dash_section": "orders"}, status=400
        )
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    parts = selectors.cooperative_order_export(
        cooperative=request.membership.cooperative, start=start, end=end
    )
    return parts_csv_response(
        parts, filename=f"don-hang-{start:%Y%m%d}-{end:%Y%m%d}.csv", columns=DASHBOARD_COLUMNS
    )


@dashboard_view(roles=OWNER_ROLES)
@require_POST
def sepay_settings(request):
    """Turn SePay on, give it a new key, or turn it off (the profile page's buttons).

    A new key is shown on the answer to this POST and nowhere else: only its digest is kept."""
    cooperative = request.membership.cooperative
    if request.POST.get("do") == "off":
        services.sepay_turn_off(cooperative=cooperative)
        messages.success(request, _("Đã tắt SePay: từ giờ Chợ Phiên không nhận tin từ SePay nữa."))
        return redirect("dashboard:profile")
    try:
        seen_version = int(request.POST.get("version", ""))
    except ValueError:
        return HttpResponseBadRequest()
    if request.POST.get("do") != "key" or seen_version < 0:
        return HttpResponseBadRequest()
    issued = services.sepay_key_issue(cooperative=cooperative, seen_version=seen_version)
    return render(
        request,
        "dashboard/sepay_key.html",
        {
            "key": issued.key,
            "webhook": issued.webhook,
            "webhook_url": absolute_url(issued.webhook.get_absolute_url()),
            "dash_section": "profile",
        },
    )


@dashboard_view(roles=OWNER_ROLES)
@require_safe
def transfer_list(request):
    """Every transaction SePay reported for the stall, or only those waiting for a look."""
    cooperative = request.membership.cooperative
    to_look_at = request.GET.get("show") == "to_look_at"
    rows = selectors.bank_transaction_list(cooperative=cooperative, to_look_at=to_look_at)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboard/orders/transfers.html",
        {
            "page_obj": page,
            "transfers": page.object_list,
            "to_look_at": to_look_at,
            "counts": selectors.bank_transaction_counts(cooperative=cooperative),
            "sepay": selectors.sepay_connection(cooperative_id=cooperative.pk),
            "query_string": {"show": "to_look_at"} if to_look_at else {},
            "dash_section": "orders",
        },
    )


@dashboard_view(roles=OWNER_ROLES)
@require_POST
def transfer_checked(request, pk: int):
    """The owner has looked at a transfer (and recorded the payment by hand if it was right)."""
    record = scoped_object_or_404(request, BankTransaction.objects.all(), pk=pk)
    services.bank_transaction_mark_checked(record=record, actor=request.user)
    messages.success(request, _("Đã ghi là đã xem giao dịch SePay #%(id)s.") % {"id": record.sepay_id})
    return redirect(safe_next(request, reverse("dashboard-orders:transfers")))
