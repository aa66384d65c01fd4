"""Cart, checkout and order pages. Thin: parse the request, call a selector or a service, render."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from products.posters import poster_scans
from products.share import ZALO_SHARE
from storefront.lib.client_ip import client_ip
from storefront.lib.links import absolute_url, safe_next
from storefront.lib.same_site import same_site_only
from storefront.lib.tokens import token_new
from storefront.lib.webpush import push_enabled

from . import selectors, services, throttles
from .access import ORDERS_SESSION_KEY, PLACED_COOKIE, PLACED_MAX_AGE, PLACED_SALT, may_see_order
from .access import placed_here as _placed_here
from .cart import Cart
from .choices import Status
from .exceptions import (
    OrderError,
)
from .forms import CartAddForm, CartRemoveForm, CartUpdateForm, CheckoutForm, TrackForm
from .models import Order
from .remembered import COOKIE, forget_buyer, remember_buyer, remembered_buyer
from .vietqr import vietqr_payload, vietqr_svg

logger = logging.getLogger(__name__)

TOKEN_SESSION_KEY = "checkout_token"  # noqa: S105 (a session key name, not a secret)
DRAFT_SESSION_KEY = "checkout_draft"
# The tokens of the last few forms that became orders: a form sent again opens its order.
USED_TOKENS_KEY = "checkout_tokens_used"
# What the buyer typed at checkout, kept when an order is refused; never a price or a total.
DRAFT_FIELDS = (
    "full_name",
    "phone",
    "email",
    "province",
    "commune",
    "street_address",
    "note",
    "payment_method",
    "remember",
)
DRAFT_MAX_LENGTH = 1000
ORDERS_REMEMBERED = 20
PLACED_REMEMBERED = 5


def _see_other(url: str) -> HttpResponseRedirect:
    """Redirect after POST with 303, so a reload never posts again."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _first_error(form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("Yêu cầu không hợp lệ.")


# ---------------------------------------------------------------------------------------------
# Cart
# ---------------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD"])
def cart_detail(request):
    summary = services.cart_refresh(cart=Cart(request.session))
    return render(request, "orders/cart.html", {"summary": summary})


def _say(request, change: services.CartChange) -> None:
    messages.add_message(request, change.level, change.message)


@same_site_only
@require_POST
def cart_add(request):
    form = CartAddForm(request.POST)
    cart = Cart(request.session)
    if form.is_valid():
        change = services.cart_add(cart=cart, **form.cleaned_data)
    else:
        change = services.CartChange(messages.ERROR, _first_error(form))
    if _wants_json(request):
        # A card's button (static/js/cart.js): the page stays, its cart badge and status line change.
        status = 400 if change.level == messages.ERROR else 200
        count = cart.count
        label = ngettext("%(counter)s sản phẩm", "%(counter)s sản phẩm", count) % {"counter": count}
        return JsonResponse({"message": change.message, "count": count, "count_label": label}, status=status)
    _say(request, change)
    return _see_other(safe_next(request, reverse("orders:cart")))


def _wants_json(request) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


@require_POST
def cart_update(request):
    form = CartUpdateForm(request.POST)
    if form.is_valid():
        _say(request, services.cart_update(cart=Cart(request.session), **form.cleaned_data))
    else:
        messages.error(request, _first_error(form))
    return _see_other(reverse("orders:cart"))


@require_POST
def cart_remove(request):
    form = CartRemoveForm(request.POST)
    if form.is_valid():
        _say(request, services.cart_remove(cart=Cart(request.session), **form.cleaned_data))
    else:
        messages.error(request, _first_error(form))
    return _see_other(reverse("orders:cart"))


def _confirmed(request) -> bool:
    """Destructive buttons send confirm=yes from their second step; a bare POST changes nothing."""
    return request.POST.get("confirm") == "yes"


@require_POST
def cart_clear(request):
    if not _confirmed(request):
        messages.warning(
            request, _("Giỏ hàng vẫn giữ nguyên. Để xoá hết, hãy mở “Xoá hết giỏ hàng” rồi bấm “Xác nhận”.")
        )
        return _see_other(reverse("orders:cart"))
    services.cart_clear(cart=Cart(request.session))
    messages.success(request, _("Giỏ hàng đã trống."))
    return _see_other(reverse("orders:cart"))


# ---------------------------------------------------------------------------------------------
# Checkout
# ---------------------------------------------------------------------------------------------


def _remember_order(request, code: str) -> None:
    codes = [c for c in request.session.get(ORDERS_SESSION_KEY, []) if c != code]
    request.session[ORDERS_SESSION_KEY] = [code, *codes][:ORDERS_REMEMBERED]


def _checkout_token(request) -> str:
    """One token per cart until it becomes an order: every tab and every resubmit share it, and it
    belongs to this session only."""
    token = request.session.get(TOKEN_SESSION_KEY)
    if not token:
        token = token_new()
        request.session[TOKEN_SESSION_KEY] = token
    return token


def _ordered_with(request, own_token: str) -> Order | None:
    """The order this session already made with its checkout form: its current token (the reply to
    the submit was lost and the session never saved) or, for a form sent again, a token it used."""
    used = request.session.get(USED_TOKENS_KEY, [])
    posted = request.POST.get("checkout_token", "") if request.method == "POST" else ""
    for token in (own_token, posted if posted in used else ""):
        order = selectors.order_for_checkout_token(token=token)
        if order is not None:
            return order
    return None


def _placed(request, order: Order) -> HttpResponseRedirect:
    """To the order page, with the order also named in a small signed cookie, so the buyer sees it
    even if this session is never saved (a database hiccup right after the order committed)."""
    _remember_order(request, order.code)
    Cart(request.session).clear()
    used = request.session.get(USED_TOKENS_KEY, [])
    request.session[USED_TOKENS_KEY] = [
        order.checkout_token,
        *(t for t in used if t != order.checkout_token),
    ][:5]
    request.session.pop(TOKEN_SESSION_KEY, None)
    request.session.pop(DRAFT_SESSION_KEY, None)
    response = _see_other(order.get_absolute_url())
    codes = [order.code, *(code for code in _placed_here(request) if code != order.code)]
    response.set_signed_cookie(
        PLACED_COOKIE,
        ",".join(codes[:PLACED_REMEMBERED]),
        salt=PLACED_SALT,
        max_age=PLACED_MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def _back_to_cart(request) -> HttpResponseRedirect:
    """Send the buyer to the corrected cart; a refused checkout keeps what they typed for the
    next visit to the form, so a stock change never costs them their name and address again."""
    if request.method == "POST":
        request.session[DRAFT_SESSION_KEY] = {
            name: str(request.POST.get(name, ""))[:DRAFT_MAX_LENGTH] for name in DRAFT_FIELDS
        }
    return _see_other(reverse("orders:cart"))


def _draft(request) -> dict[str, str]:
    """The fields kept by ``_back_to_cart``, as the form's initial values."""
    raw = request.session.get(DRAFT_SESSION_KEY)
    if not isinstance(raw, dict):
        return {}
    return {name: raw[name] for name in DRAFT_FIELDS if isinstance(raw.get(name), str) and raw[name]}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def checkout(request):
    cart = Cart(request.session)
    # The token this session got with its form: an order made with it means this cart is ordered
    # already (the same form sent again, or the reply to the first submit was lost).
    own_token = request.session.get(TOKEN_SESSION_KEY, "")
    existing = _ordered_with(request, own_token)
    if existing is not None:
        return _placed(request, existing)
    summary = services.cart_refresh(cart=cart)
    if not summary:
        return _nothing_to_order(request, summary)
    available = summary.bank_transfer_available
    if request.method != "POST":
        return _checkout_page(request, _fresh_checkout_form(request, available=available), summary)
    form = CheckoutForm(request.POST, bank_transfer_available=available)
    if not form.is_valid():
        return _checkout_page(request, form, summary)
    refused = _checkout_refused(request, token=form.cleaned_data["checkout_token"], own_token=own_token)
    if refused is not None:
        return refused
    result = services.checkout_submit(
        cart=cart, summary=summary, data=form.cleaned_data, poster_cooperatives=poster_scans(request)
    )
    if result.message:
        messages.add_message(request, result.level, result.message)
    for name, error in result.field_errors.items():
        form.add_error(name, error)
    if result.order is not None:
        return _remember_choice(request, _placed(request, result.order), form.cleaned_data)
    if result.back_to_cart:
        return _back_to_cart(request)
    return _checkout_page(request, form, result.summary)


def _nothing_to_order(request, summary) -> HttpResponseRedirect:
    """An empty cart, or one whose every line went (unpublished, sold out): say so, show the cart."""
    empty = _("Giỏ hàng đang trống. Hãy chọn vài sản phẩm trước.")
    for sentence in summary.removed or [empty]:
        messages.add_message(request, messages.WARNING if summary.removed else messages.INFO, sentence)
    return _back_to_cart(request)


def _checkout_refused(request, *, token: str, own_token: str):
    """Why a valid form may still not become an order, as the answer to give; None when it may.

    A form this session was never given (an old tab after the session expired, another browser's
    token) opens nobody's order and makes no second one: the buyer looks at a fresh form. A client
    that placed ORDER_CHECKOUT_LIMIT orders lately waits a while.
    """
    if token != own_token:
        messages.warning(request, _("Trang đặt hàng đã cũ. Mời bạn xem lại rồi bấm “Đặt hàng” lần nữa."))
        return _see_other(reverse("orders:checkout"))
    key = f"orders:checkout:{client_ip(request) or 'unknown'}"
    if throttles.over_limit(
        key=key, limit=settings.ORDER_CHECKOUT_LIMIT, window=settings.ORDER_CHECKOUT_WINDOW
    ):
        return render(request, "orders/checkout_limited.html", status=429)
    return None


def _fresh_checkout_form(request, *, available: bool) -> CheckoutForm:
    """The form as the buyer left it after a refused order, or as this device remembers the buyer,
    with this cart's one-time token."""
    draft = _draft(request)
    if not available:
        draft.pop("payment_method", None)
    remembered = remembered_buyer(request)
    initial = {
        **remembered,
        "remember": bool(remembered),
        **draft,
        "checkout_token": _checkout_token(request),
    }
    return CheckoutForm(bank_transfer_available=available, initial=initial)


def _checkout_page(request, form, summary):
    context = {"form": form, "summary": summary, "remembered": bool(remembered_buyer(request))}
    return render(request, "orders/checkout.html", context)


def _remember_choice(request, response, cleaned: dict):
    """The order is placed: remember the buyer on this device if they ticked the box, else forget."""
    if cleaned.get("remember"):
        remember_buyer(request, response, cleaned)
    elif COOKIE in request.COOKIES:
        forget_buyer(response)
    return response


@require_POST
def checkout_forget(request):
    messages.info(request, _("Máy này không còn nhớ tên, số điện thoại và địa chỉ của bạn."))
    response = _see_other(reverse("orders:checkout"))
    forget_buyer(response)
    return response


# ---------------------------------------------------------------------------------------------
# After checkout
# ---------------------------------------------------------------------------------------------


def _payment_qr(part) -> str:
    """The VietQR SVG for one unpaid part, or "" when its bank details cannot make a valid code."""
    try:
        payload = vietqr_payload(
            bank_bin=part.bank_bin,
            account_number=part.bank_account_number,
            amount=part.total,
            purpose=part.transfer_note,
            bill_number=part.order.code,
        )
    except ValueError:
        return ""
    return vietqr_svg(payload)


@never_cache
@require_http_methods(["GET", "HEAD"])
def order_detail(request, code: str):
    code = services.order_code_normalize(raw=code)
    order = selectors.order_for_page(code=code) if may_see_order(request, code) else None
    if order is None:
        # A link opened on another phone: the same 404 whether or not the code exists (codes
        # are not to be guessed), but one that says how to open the order here.
        return render(request, "orders/order_elsewhere.html", {"code": code}, status=404)
    parts = list(order.cooperative_orders.all())
    bank = order.payment_method == "bank_transfer"
    payments = [
        {"part": part, "qr": _payment_qr(part) if part.has_bank_details else ""}
        for part in parts
        if bank and part.is_live and not part.is_paid
    ]
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "parts": parts,
            "payments": payments,
            "next_step": selectors.order_next_step(order=order),
            "cod_parts": [p for p in parts if p.is_live],
            "some_paid": any(p.is_live and p.is_paid for p in parts),
            "refund_parts": [p for p in parts if not p.is_live and p.is_paid],
            "keep": _keep_links(order),
            **_push_context(order, parts),
        },
    )


def _keep_links(order: Order) -> dict[str, str]:
    """The tracking page with the code filled in, to send to oneself: the order page opens only on
    the phone that ordered, the tracking page on any (with the phone number)."""
    url = absolute_url(f"{reverse('orders:order-track')}?{urlencode({'code': order.code})}")
    return {"url": url, "zalo": f"{ZALO_SHARE}?{urlencode({'url': url})}"}


@require_POST
def order_buy_again(request, code: str):
    code = services.order_code_normalize(raw=code)
    order = selectors.order_for_page(code=code) if may_see_order(request, code) else None
    if order is None:
        raise Http404
    for change in services.cart_buy_again(cart=Cart(request.session), order=order):
        _say(request, change)
    return _see_other(reverse("orders:cart"))


def _push_context(order: Order, parts) -> dict:
    """The buyer's "tell me on this phone" box, while some part still has news to come."""
    waiting = any(part.is_live and part.status != Status.DELIVERED for part in parts)
    return {
        "push_key": settings.VAPID_PUBLIC_KEY if waiting and push_enabled() else "",
        "push_for": f"order:{order.code}",
    }


@require_POST
def order_cancel(request, code: str):
    code = services.order_code_normalize(raw=code)
    order = Order.objects.filter(code=code).first() if may_see_order(request, code) else None
    if order is None:
        raise Http404
    if not _confirmed(request):
        messages.warning(
            request,
            _("Đơn chưa bị huỷ. Nếu muốn huỷ, hãy đánh dấu ô xác nhận rồi bấm “Huỷ đơn hàng”."),
        )
        return _see_other(f"{order.get_absolute_url()}#cancel")
    try:
        services.order_cancel(order=order, actor=request.user)
    except OrderError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã huỷ đơn %(code)s. Bạn không phải trả gì.") % {"code": order.code})
    return _see_other(order.get_absolute_url())


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def order_track(request):
    if request.method != "POST":
        form = TrackForm(initial={"code": services.order_code_normalize(raw=request.GET.get("code", ""))})
        return render(request, "orders/order_track.html", {"form": form})
    key = f"orders:track:{client_ip(request) or 'unknown'}"
    if throttles.over_limit(key=key, limit=settings.ORDER_TRACK_LIMIT, window=settings.ORDER_TRACK_WINDOW):
        return render(request, "orders/track_limited.html", status=429)
    form = TrackForm(request.POST)
    if form.is_valid():
        code = services.order_code_normalize(raw=form.cleaned_data["code"])
        order = Order.objects.filter(code=code, phone=form.cleaned_data["phone"]).only("pk", "code").first()
        if order is not None:
            _remember_order(request, order.code)
            return _see_other(order.get_absolute_url())
        form.add_error(
            None,
            _(
                "Không tìm thấy đơn hàng có mã và số điện thoại này. "
                "Hãy kiểm tra lại mã trong thư hoặc tin nhắn."
            ),
        )
    return render(request, "orders/order_track.html", {"form": form})
