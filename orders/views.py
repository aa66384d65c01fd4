"""Cart, checkout and order pages. Thin: parse the request, call a selector or a service, render."""

import logging
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from products.models import Product
from storefront.lib.client_ip import client_ip
from storefront.lib.links import safe_next

from . import selectors, services
from .cart import MAX_LINES, MAX_QUANTITY, Cart
from .exceptions import (
    CartEmpty,
    OrderError,
    OrderTooLarge,
    OutOfStock,
    PaymentMethodUnavailable,
    PriceChanged,
)
from .forms import TOKEN_PATTERN, CartAddForm, CartRemoveForm, CartUpdateForm, CheckoutForm, TrackForm
from .models import Order
from .vietqr import vietqr_payload, vietqr_svg

logger = logging.getLogger(__name__)

ORDERS_SESSION_KEY = "orders"
TOKEN_SESSION_KEY = "checkout_token"  # noqa: S105 (a session key name, not a secret)
DRAFT_SESSION_KEY = "checkout_draft"
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
)
DRAFT_MAX_LENGTH = 1000
ORDERS_REMEMBERED = 20


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
    cart = Cart(request.session)
    summary = selectors.cart_summary(cart)
    return render(request, "orders/cart.html", {"summary": summary, "max_quantity": MAX_QUANTITY})


@require_POST
def cart_add(request):
    form = CartAddForm(request.POST)
    back = safe_next(request, reverse("orders:cart"))
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _see_other(back)
    product = Product.objects.public().filter(pk=form.cleaned_data["product_id"]).first()
    if product is None:
        messages.error(request, _("Sản phẩm này không còn bán."))
        return _see_other(back)
    cart = Cart(request.session)
    if cart.is_full_for(product.pk):
        messages.error(
            request, _("Giỏ hàng đã có %(n)d sản phẩm, mời bạn đặt hàng trước.") % {"n": MAX_LINES}
        )
        return _see_other(back)
    if product.stock <= 0:
        messages.error(request, _("%(name)s đã hết hàng.") % {"name": product.display_name})
        return _see_other(back)
    wanted = cart.quantity_of(product.pk) + form.cleaned_data["quantity"]
    allowed = min(wanted, product.stock, MAX_QUANTITY)
    cart.set(product.pk, allowed)
    if allowed < wanted:
        messages.warning(
            request,
            _("%(name)s chỉ đặt được %(n)d. Giỏ hàng có %(n)d.")
            % {"name": product.display_name, "n": allowed},
        )
    else:
        messages.success(
            request,
            _("Đã thêm %(name)s vào giỏ hàng (%(n)d).") % {"name": product.display_name, "n": allowed},
        )
    return _see_other(back)


@require_POST
def cart_update(request):
    form = CartUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _see_other(reverse("orders:cart"))
    cart = Cart(request.session)
    pid, quantity = form.cleaned_data["product_id"], form.cleaned_data["quantity"]
    if pid not in cart.lines:
        messages.error(request, _("Sản phẩm này không có trong giỏ hàng."))
        return _see_other(reverse("orders:cart"))
    if quantity == 0:
        cart.remove(pid)
        messages.success(request, _("Đã bỏ sản phẩm khỏi giỏ hàng."))
        return _see_other(reverse("orders:cart"))
    product = Product.objects.public().filter(pk=pid).only("pk", "name", "name_en", "stock").first()
    if product is None:
        cart.remove(pid)
        messages.error(request, _("Sản phẩm này không còn bán nên đã được bỏ khỏi giỏ."))
    elif quantity > product.stock:
        cart.set(pid, product.stock)
        messages.warning(
            request, _("%(name)s chỉ còn %(n)d.") % {"name": product.display_name, "n": product.stock}
        )
    else:
        cart.set(pid, quantity)
        messages.success(request, _("Đã cập nhật số lượng."))
    return _see_other(reverse("orders:cart"))


@require_POST
def cart_remove(request):
    form = CartRemoveForm(request.POST)
    if form.is_valid():
        Cart(request.session).remove(form.cleaned_data["product_id"])
        messages.success(request, _("Đã bỏ sản phẩm khỏi giỏ hàng."))
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
    Cart(request.session).clear()
    messages.success(request, _("Giỏ hàng đã trống."))
    return _see_other(reverse("orders:cart"))


# ---------------------------------------------------------------------------------------------
# Checkout
# ---------------------------------------------------------------------------------------------


def _remember_order(request, code: str) -> None:
    codes = [c for c in request.session.get(ORDERS_SESSION_KEY, []) if c != code]
    request.session[ORDERS_SESSION_KEY] = [code, *codes][:ORDERS_REMEMBERED]


def _may_see(request, code: str) -> bool:
    return code in request.session.get(ORDERS_SESSION_KEY, [])


def _checkout_token(request) -> str:
    """One token per cart until it becomes an order: every tab and every resubmit share it."""
    token = request.session.get(TOKEN_SESSION_KEY)
    if not token or Order.objects.filter(checkout_token=token).exists():
        token = secrets.token_urlsafe(24)
        request.session[TOKEN_SESSION_KEY] = token
    return token


def _placed(request, order: Order) -> HttpResponseRedirect:
    _remember_order(request, order.code)
    Cart(request.session).clear()
    request.session.pop(TOKEN_SESSION_KEY, None)
    request.session.pop(DRAFT_SESSION_KEY, None)
    return _see_other(order.get_absolute_url())


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
    if request.method == "POST":
        token = request.POST.get("checkout_token", "")
        # Only a well-formed token reaches the database: PostgreSQL refuses a NUL byte outright.
        existing = (
            Order.objects.filter(checkout_token=token).first() if TOKEN_PATTERN.fullmatch(token) else None
        )
        if existing is not None:
            # The same form sent again (double tap, back and resubmit, a second tab).
            return _placed(request, existing)
    if not cart:
        messages.info(request, _("Giỏ hàng đang trống. Hãy chọn vài sản phẩm trước."))
        return _back_to_cart(request)
    summary = selectors.cart_summary(cart)
    if not summary:
        for sentence in summary.removed:
            messages.warning(request, sentence)
        return _back_to_cart(request)
    available = summary.bank_transfer_available
    if request.method != "POST":
        draft = _draft(request)
        if not available:
            draft.pop("payment_method", None)
        form = CheckoutForm(
            bank_transfer_available=available,
            initial={**draft, "checkout_token": _checkout_token(request)},
        )
        return _checkout_page(request, form, summary)

    form = CheckoutForm(request.POST, bank_transfer_available=available)
    if not form.is_valid():
        return _checkout_page(request, form, summary)
    if summary.short:
        # Same answer as a shortage found inside order_place: back to the corrected cart.
        messages.error(request, OutOfStock(summary.short).message)
        return _back_to_cart(request)
    if summary.has_changes:
        messages.warning(
            request, _("Giỏ hàng vừa thay đổi (xem ghi chú bên dưới). Mời bạn xem lại rồi đặt hàng.")
        )
        return _checkout_page(request, form, summary)
    data = form.cleaned_data
    try:
        order = services.order_place(
            cart=cart.lines,
            buyer=services.Buyer(
                full_name=data["full_name"],
                phone=data["phone"],
                email=data["email"],
                province=data["province"],
                commune=data["commune"],
                street_address=data["street_address"],
                note=data["note"].strip(),
            ),
            payment_method=data["payment_method"],
            checkout_token=data["checkout_token"],
            seen_prices=cart.seen_prices,
        )
    except OutOfStock as error:
        for line in error.lines:
            cart.set(line.product_id, line.available)
        messages.error(request, error.message)
        return _back_to_cart(request)
    except PriceChanged as error:
        messages.warning(request, error.message)
        return _checkout_page(request, form, selectors.cart_summary(cart))
    except PaymentMethodUnavailable as error:
        form.add_error("payment_method", error.message)
        return _checkout_page(request, form, summary)
    except CartEmpty as error:
        messages.info(request, error.message)
        return _back_to_cart(request)
    except OrderTooLarge as error:
        messages.error(request, error.message)
        return _back_to_cart(request)
    messages.success(request, _("Đặt hàng thành công! Mã đơn của bạn là %(code)s.") % {"code": order.code})
    return _placed(request, order)


def _checkout_page(request, form, summary):
    return render(request, "orders/checkout.html", {"form": form, "summary": summary})


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
    code = services.order_code_normalize(code)
    order = selectors.order_for_page(code) if _may_see(request, code) else None
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
            "next_step": selectors.order_next_step(order),
            "cod_parts": [p for p in parts if p.is_live],
            "some_paid": any(p.is_live and p.is_paid for p in parts),
            "refund_parts": [p for p in parts if not p.is_live and p.is_paid],
        },
    )


@require_POST
def order_cancel(request, code: str):
    code = services.order_code_normalize(code)
    order = Order.objects.filter(code=code).first() if _may_see(request, code) else None
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


def _track_attempts_exceeded(request) -> bool:
    """Count this attempt for the client; True when it is over the limit for the window.

    The limit holds whenever the cache works. When it does not (Redis down: django-redis then
    answers None, or raises), the lookup is allowed: it still needs the right code AND phone,
    and turning every buyer away during an outage would be worse than an unthrottled minute.
    """
    limit, window = settings.ORDER_TRACK_LIMIT, settings.ORDER_TRACK_WINDOW
    key = f"orders:track:{client_ip(request) or 'unknown'}"
    try:
        cache.add(key, 0, timeout=window)
        try:
            attempts = cache.incr(key)
        except ValueError:
            # The counter expired between add() and incr(): the first attempt of a new window.
            cache.set(key, 1, timeout=window)
            attempts = 1
    except Exception:
        logger.warning("Order tracking throttle skipped: the cache is not answering", exc_info=True)
        return False
    if not isinstance(attempts, int):
        logger.warning("Order tracking throttle skipped: the cache returned %r", attempts)
        return False
    return attempts > limit


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def order_track(request):
    if request.method != "POST":
        form = TrackForm(initial={"code": services.order_code_normalize(request.GET.get("code", ""))})
        return render(request, "orders/order_track.html", {"form": form})
    if _track_attempts_exceeded(request):
        return render(request, "orders/track_limited.html", status=429)
    form = TrackForm(request.POST)
    if form.is_valid():
        code = services.order_code_normalize(form.cleaned_data["code"])
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
