"""Where a phone's browser posts its PushSubscription (JSON, with the CSRF token in X-CSRFToken):
a stall member's on the dashboard home, a buyer's on their order page. Each answers JSON with a
translated sentence to show: 200 when done (again: a repeat changes nothing), 400 for a body that
is not a subscription or one phone too many, 404 when push is off or the order is not this
browser's."""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from products.permissions import ORDER_ROLES, dashboard_view
from storefront.lib.webpush import push_enabled

from . import services
from .access import may_see_order
from .exceptions import OrderError
from .models import Order
from .services.push import (
    push_subscribe_buyer,
    push_subscribe_member,
    push_unsubscribe_buyer,
    push_unsubscribe_member,
)


def _answer(change, message: str, **arguments) -> JsonResponse:
    if not push_enabled():
        raise Http404
    try:
        change(**arguments)
    except OrderError as error:
        return JsonResponse({"ok": False, "message": error.message}, status=400)
    return JsonResponse({"ok": True, "message": message})


def _device(request) -> str:
    return request.headers.get("User-Agent", "")


@dashboard_view(roles=ORDER_ROLES)
@require_POST
def member_subscribe(request):
    return _answer(
        push_subscribe_member,
        _("Điện thoại này sẽ báo cho bạn khi có đơn mới."),
        user=request.user,
        raw=request.body,
        device=_device(request),
    )


@dashboard_view(roles=ORDER_ROLES)
@require_POST
def member_unsubscribe(request):
    return _answer(
        push_unsubscribe_member,
        _("Đã tắt báo đơn mới trên điện thoại này."),
        user=request.user,
        raw=request.body,
    )


def _order(request, code: str) -> Order:
    code = services.order_code_normalize(raw=code)
    order = Order.objects.filter(code=code).first() if may_see_order(request, code) else None
    if order is None:
        raise Http404
    return order


@require_POST
def buyer_subscribe(request, code: str):
    return _answer(
        push_subscribe_buyer,
        _("Điện thoại này sẽ báo cho bạn khi đơn có thay đổi."),
        order=_order(request, code),
        raw=request.body,
        device=_device(request),
    )


@require_POST
def buyer_unsubscribe(request, code: str):
    return _answer(
        push_unsubscribe_buyer,
        _("Đã tắt báo về đơn này trên điện thoại này."),
        order=_order(request, code),
        raw=request.body,
    )
