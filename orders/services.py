"""Everything that creates or changes an order. Views, admin and the producer dashboard call these.

Rules that hold for every function here:
- keyword-only arguments; each runs in ONE database transaction and either does all of its work or
  none of it;
- each status change is a conditional UPDATE on the current status, so two people pressing
  buttons at once cannot both succeed (one of them gets ``InvalidTransition``);
- each change writes an ``OrderEvent`` (who, what, when);
- mail goes out only after the transaction commits (``transaction.on_commit``); a failing mail
  server is logged and never undoes or loses an order;
- refusals are ``orders.exceptions.OrderError`` subclasses with a translated message to show as is.

Authorisation is the caller's job: these functions trust that ``actor`` may act on the part
(a member of its cooperative, or staff).
"""

import logging
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from products.models import Product
from storefront.lib.phones import phone_display

from .exceptions import (
    CartEmpty,
    InvalidTransition,
    OrderTooLarge,
    OutOfStock,
    PaymentMethodUnavailable,
    PriceChange,
    PriceChanged,
    ShortLine,
)
from .models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    CooperativeOrder,
    Order,
    OrderEvent,
    OrderItem,
    PaymentMethod,
    Status,
)

logger = logging.getLogger(__name__)

CODE_ATTEMPTS = 8
# One online order above this is almost surely a typo in a price or a quantity; a real bulk
# buyer calls the stall. Settings may lower or raise it (ORDER_MAX_TOTAL).
ORDER_MAX_TOTAL = 1_000_000_000


@dataclass(frozen=True)
class Buyer:
    """Who receives the order and where. ``phone`` is already normalised ("0912345678")."""

    full_name: str
    phone: str
    province: str
    commune: str
    street_address: str
    email: str = ""
    note: str = ""


class _TokenUsed(Exception):
    """The checkout token already has an order: another submit of the same form won the race."""


def order_code_new() -> str:
    """A random code such as "K7XM4PQA": 31^8 ≈ 8.5·10^11 values, none of them 0/O or 1/I/L."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def order_code_normalize(raw: str) -> str:
    """What a buyer types ("k7xm-4pqa ") as the stored code ("K7XM4PQA")."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:16]


# ---------------------------------------------------------------------------------------------
# Placing an order
# ---------------------------------------------------------------------------------------------


def order_place(
    *,
    cart: Mapping[int, int],
    buyer: Buyer,
    payment_method: str,
    checkout_token: str,
    seen_prices: Mapping[int, int] | None = None,
) -> Order:
    """Turn a cart ({product_id: quantity}) into an order: the only way an order comes to exist.

    In one transaction it re-reads the products (only publicly sold ones count), takes stock with
    one conditional UPDATE per line in primary-key order (so two buyers never deadlock and stock
    never goes below zero, on SQLite and PostgreSQL), and writes the Order, one CooperativeOrder
    per cooperative (subtotal, shipping fee and a snapshot of its name, English name and bank
    details), the OrderItems (snapshots of name, unit and price, with the English name and unit
    for the buyer's English pages and mail) and a "placed" event per part.

    Prices and totals come from the database only. ``seen_prices`` ({product_id: price} the buyer
    was last shown, kept server-side) lets a price change stop the order instead of slipping in.

    Idempotent per ``checkout_token``: a second submit of the same checkout form (double tap,
    back-and-resubmit, two tabs) returns the order the first one created.

    Raises CartEmpty, OutOfStock (nothing taken; names each short line and what is left),
    PriceChanged, PaymentMethodUnavailable or OrderTooLarge (the grand total is over
    ``settings.ORDER_MAX_TOTAL``; nothing written).
    """
    lines = {int(pid): int(qty) for pid, qty in cart.items() if int(qty) > 0}
    if not lines:
        raise CartEmpty()
    existing = Order.objects.filter(checkout_token=checkout_token).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            order = _order_place(
                lines=lines,
                buyer=buyer,
                payment_method=payment_method,
                checkout_token=checkout_token,
                seen_prices=seen_prices or {},
            )
    except _TokenUsed:
        return Order.objects.get(checkout_token=checkout_token)
    return order


def _order_place(*, lines, buyer, payment_method, checkout_token, seen_prices) -> Order:
    products = {
        p.pk: p
        for p in Product.objects.public().select_related("cooperative").filter(pk__in=lines).order_by("pk")
    }
    missing = [pid for pid in sorted(lines) if pid not in products]
    if missing:
        names = {p.pk: p.display_name for p in Product.objects.filter(pk__in=missing).only("name", "name_en")}
        raise OutOfStock(
            [
                ShortLine(
                    product_id=pid,
                    name=names.get(pid, _("Sản phẩm đã ngừng bán")),
                    requested=lines[pid],
                    available=0,
                )
                for pid in missing
            ]
        )
    changes = [
        PriceChange(product_id=p.pk, name=p.display_name, old_price=seen_prices[p.pk], new_price=p.price)
        for p in products.values()
        if p.pk in seen_prices and seen_prices[p.pk] != p.price
    ]
    if changes:
        raise PriceChanged(changes)
    cooperatives = {p.cooperative_id: p.cooperative for p in products.values()}
    if payment_method == PaymentMethod.BANK_TRANSFER:
        if not all(c.has_bank_details for c in cooperatives.values()):
            raise PaymentMethodUnavailable()
    elif payment_method != PaymentMethod.COD:
        raise PaymentMethodUnavailable()

    subtotals: dict[int, int] = {}
    for pid, qty in lines.items():
        product = products[pid]
        subtotals[product.cooperative_id] = subtotals.get(product.cooperative_id, 0) + product.price * qty
    fees = {cid: cooperatives[cid].shipping_fee_for(subtotal) for cid, subtotal in subtotals.items()}
    items_total = sum(subtotals.values())
    shipping_total = sum(fees.values())
    limit = getattr(settings, "ORDER_MAX_TOTAL", ORDER_MAX_TOTAL)
    if items_total + shipping_total > limit:
        raise OrderTooLarge(total=items_total + shipping_total, limit=limit)

    # The Order row goes in before any stock is touched: a concurrent submit of the same form
    # waits on the unique token here, then finds the winner's order instead of "out of stock".
    order = _order_insert(
        checkout_token=checkout_token,
        buyer=buyer,
        payment_method=payment_method,
        items_total=items_total,
        shipping_total=shipping_total,
    )

    short = []
    for pid in sorted(lines):
        qty = lines[pid]
        taken = Product.objects.filter(pk=pid, stock__gte=qty).update(stock=F("stock") - qty)
        if not taken:
            short.append(pid)
    if short:
        left = dict(Product.objects.filter(pk__in=short).values_list("pk", "stock"))
        raise OutOfStock(
            [
                ShortLine(
                    product_id=pid,
                    name=products[pid].display_name,
                    requested=lines[pid],
                    available=left.get(pid, 0),
                )
                for pid in short
            ]
        )

    parts = {}
    for cid in sorted(cooperatives, key=lambda c: (cooperatives[c].name, c)):
        coop = cooperatives[cid]
        parts[cid] = CooperativeOrder.objects.create(
            order=order,
            cooperative=coop,
            cooperative_name=coop.name,
            cooperative_name_en=coop.name_en,
            bank_bin=coop.bank_bin,
            bank_account_number=coop.bank_account_number,
            bank_account_name=coop.bank_account_name,
            subtotal=subtotals[cid],
            shipping_fee=fees[cid],
        )
    OrderItem.objects.bulk_create(
        [
            OrderItem(
                cooperative_order=parts[products[pid].cooperative_id],
                product=products[pid],
                product_name=products[pid].name,
                product_name_en=products[pid].name_en,
                unit=products[pid].unit,
                unit_en=products[pid].unit_en,
                unit_price=products[pid].price,
                quantity=lines[pid],
                line_total=products[pid].price * lines[pid],
            )
            for pid in sorted(lines)
        ]
    )
    OrderEvent.objects.bulk_create(
        [
            OrderEvent(order=order, cooperative_order=part, kind=OrderEvent.Kind.PLACED)
            for part in parts.values()
        ]
    )
    transaction.on_commit(lambda: _mail_order_placed(order_id=order.pk))
    return order


def _buyer_language() -> str:
    """The language the buyer checked out in, so later mail to them speaks it too."""
    active = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return active if active in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _order_insert(*, checkout_token, buyer: Buyer, payment_method, items_total, shipping_total) -> Order:
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Order.objects.create(
                    code=order_code_new(),
                    checkout_token=checkout_token,
                    full_name=buyer.full_name,
                    phone=buyer.phone,
                    email=buyer.email,
                    province=buyer.province,
                    commune=buyer.commune,
                    street_address=buyer.street_address,
                    note=buyer.note,
                    payment_method=payment_method,
                    language=_buyer_language(),
                    items_total=items_total,
                    shipping_total=shipping_total,
                    grand_total=items_total + shipping_total,
                )
        except IntegrityError:
            if Order.objects.filter(checkout_token=checkout_token).exists():
                raise _TokenUsed() from None
            # Otherwise the random code collided with an existing one: draw again.
    raise RuntimeError("Could not draw a free order code")


# ---------------------------------------------------------------------------------------------
# Status changes of one cooperative's part
# ---------------------------------------------------------------------------------------------


def _transition(
    *,
    cooperative_order: CooperativeOrder,
    actor,
    allowed_from: Iterable[str],
    kind: str,
    action: str,
    message: str = "",
    changes: dict,
    extra_filter: dict | None = None,
) -> CooperativeOrder:
    """Apply ``changes`` only if the part's status (re-read by the UPDATE itself) allows it."""
    with transaction.atomic():
        updated = CooperativeOrder.objects.filter(
            pk=cooperative_order.pk, status__in=list(allowed_from), **(extra_filter or {})
        ).update(updated_at=timezone.now(), **changes)
        cooperative_order.refresh_from_db()
        if not updated:
            raise InvalidTransition(
                _("Không thể %(action)s: phần đơn %(code)s đang ở trạng thái “%(status)s”.")
                % {
                    "action": action,
                    "code": cooperative_order.order.code,
                    "status": cooperative_order.get_status_display(),
                }
            )
        OrderEvent.objects.create(
            order_id=cooperative_order.order_id,
            cooperative_order=cooperative_order,
            actor=actor if getattr(actor, "pk", None) else None,
            kind=kind,
            message=message[:500],
        )
        part_id = cooperative_order.pk
        transaction.on_commit(lambda: _mail_part_changed(cooperative_order_id=part_id, kind=kind))
    return cooperative_order


def cooperative_order_confirm(*, cooperative_order: CooperativeOrder, actor) -> CooperativeOrder:
    """The cooperative accepts its part: new → confirmed. After this the buyer can no longer cancel."""
    return _transition(
        cooperative_order=cooperative_order,
        actor=actor,
        allowed_from=[Status.NEW],
        kind=OrderEvent.Kind.CONFIRMED,
        action=_("xác nhận"),
        changes={"status": Status.CONFIRMED, "confirmed_at": timezone.now()},
    )


def cooperative_order_ship(
    *, cooperative_order: CooperativeOrder, actor, carrier: str = "", tracking_note: str = ""
) -> CooperativeOrder:
    """The parcel left: confirmed → shipped, with the carrier and tracking note shown to the buyer."""
    carrier = " ".join(carrier.split())[:80]
    tracking_note = " ".join(tracking_note.split())[:200]
    return _transition(
        cooperative_order=cooperative_order,
        actor=actor,
        allowed_from=[Status.CONFIRMED],
        kind=OrderEvent.Kind.SHIPPED,
        action=_("báo đã gửi hàng"),
        message=" · ".join(p for p in (carrier, tracking_note) if p),
        changes={
            "status": Status.SHIPPED,
            "shipped_at": timezone.now(),
            "carrier": carrier,
            "tracking_note": tracking_note,
        },
    )


def cooperative_order_deliver(*, cooperative_order: CooperativeOrder, actor) -> CooperativeOrder:
    """The buyer has the parcel: shipped → delivered.

    For cash on delivery the courier collected the money at the door, so the part is also
    marked paid (keeping an earlier payment time if there was one).
    """
    now = timezone.now()
    changes = {"status": Status.DELIVERED, "delivered_at": now}
    if cooperative_order.order.payment_method == PaymentMethod.COD:
        changes.update(is_paid=True, paid_at=Coalesce(F("paid_at"), Value(now)))
    return _transition(
        cooperative_order=cooperative_order,
        actor=actor,
        allowed_from=[Status.SHIPPED],
        kind=OrderEvent.Kind.DELIVERED,
        action=_("báo đã giao xong"),
        changes=changes,
    )


def cooperative_order_mark_paid(*, cooperative_order: CooperativeOrder, actor) -> CooperativeOrder:
    """The money for this part arrived (bank transfer seen on the account, or cash counted).

    Allowed once, in any status but cancelled.
    """
    if cooperative_order.is_paid:
        raise InvalidTransition(
            _("Phần đơn %(code)s đã được ghi nhận thanh toán rồi.") % {"code": cooperative_order.order.code}
        )
    return _transition(
        cooperative_order=cooperative_order,
        actor=actor,
        allowed_from=[Status.NEW, Status.CONFIRMED, Status.SHIPPED, Status.DELIVERED],
        extra_filter={"is_paid": False},
        kind=OrderEvent.Kind.PAID,
        action=_("ghi nhận thanh toán"),
        changes={"is_paid": True, "paid_at": timezone.now()},
    )


def cooperative_order_cancel(*, cooperative_order: CooperativeOrder, actor, reason: str) -> CooperativeOrder:
    """The cooperative cannot fill its part: new/confirmed → cancelled, and its stock goes back.

    ``reason`` is required and shown to the buyer. The stock returns exactly once: only the
    UPDATE that actually flips the status restocks, so two cancels at once cannot both do it.
    """
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        raise InvalidTransition(_("Hãy ghi lý do huỷ để người mua biết."))
    with transaction.atomic():
        part = _transition(
            cooperative_order=cooperative_order,
            actor=actor,
            allowed_from=[Status.NEW, Status.CONFIRMED],
            kind=OrderEvent.Kind.CANCELLED,
            action=_("huỷ"),
            message=reason,
            changes={"status": Status.CANCELLED, "cancelled_at": timezone.now(), "cancel_reason": reason},
        )
        _restock(cooperative_order_ids=[part.pk])
    return part


def _restock(*, cooperative_order_ids: list[int]) -> None:
    """Give back the stock of these (just cancelled) parts, in primary-key order like placement."""
    quantities: dict[int, int] = {}
    for product_id, quantity in OrderItem.objects.filter(
        cooperative_order_id__in=cooperative_order_ids, product_id__isnull=False
    ).values_list("product_id", "quantity"):
        quantities[product_id] = quantities.get(product_id, 0) + quantity
    for product_id in sorted(quantities):
        Product.objects.filter(pk=product_id).update(stock=F("stock") + quantities[product_id])


# ---------------------------------------------------------------------------------------------
# The buyer's own actions
# ---------------------------------------------------------------------------------------------


def order_cancel(*, order: Order, actor=None) -> Order:
    """The buyer cancels the whole order; allowed only while no part has been confirmed or paid.

    A paid part needs its money sent back, which only the stall can do: the refusal names the
    stalls to call, with their phone numbers.

    Every still-new part is cancelled and restocked in one transaction. A cooperative confirming
    at the same moment either wins (the buyer gets InvalidTransition) or finds the part cancelled.
    """
    now = timezone.now()
    reason = _("Người mua huỷ đơn.")
    with transaction.atomic():
        parts = list(
            CooperativeOrder.objects.select_for_update(of=("self",))
            .select_related("cooperative")
            .filter(order=order)
            .order_by("pk")
        )
        statuses = {part.status for part in parts}
        if Status.NEW not in statuses or not statuses <= {Status.NEW, Status.CANCELLED}:
            raise InvalidTransition(
                _(
                    "Đơn %(code)s không huỷ được nữa: gian hàng đã xác nhận hoặc đơn đã huỷ. "
                    "Hãy gọi cho gian hàng."
                )
                % {"code": order.code}
            )
        paid = [part for part in parts if part.is_live and part.is_paid]
        if paid:
            raise InvalidTransition(
                _(
                    "Đơn %(code)s đã được ghi nhận thanh toán nên không tự huỷ được. "
                    "Để huỷ và nhận lại tiền, hãy gọi cho %(stalls)s."
                )
                % {"code": order.code, "stalls": "; ".join(_stall_contact(part) for part in paid)}
            )
        new_ids = [part.pk for part in parts if part.status == Status.NEW]
        updated = CooperativeOrder.objects.filter(pk__in=new_ids, status=Status.NEW).update(
            status=Status.CANCELLED, cancelled_at=now, cancel_reason=reason, updated_at=now
        )
        if updated != len(new_ids):
            # Only reachable without row locks; undo the partial cancel rather than half-cancel.
            raise InvalidTransition(
                _("Đơn %(code)s vừa được gian hàng xác nhận, không huỷ được nữa.") % {"code": order.code}
            )
        _restock(cooperative_order_ids=new_ids)
        OrderEvent.objects.bulk_create(
            [
                OrderEvent(
                    order=order,
                    cooperative_order_id=pid,
                    actor=actor if getattr(actor, "pk", None) else None,
                    kind=OrderEvent.Kind.CANCELLED,
                    message=reason,
                )
                for pid in new_ids
            ]
        )
        order_id = order.pk
        transaction.on_commit(lambda: _mail_order_cancelled_by_buyer(order_id=order_id, part_ids=new_ids))
    if hasattr(order, "_prefetched_objects_cache"):
        order._prefetched_objects_cache.pop("cooperative_orders", None)
    return order


def _stall_contact(part: CooperativeOrder) -> str:
    """ "HTX Chè (0912 345 678)", or just the name when the stall left no phone; for the buyer."""
    number = phone_display(part.cooperative.phone)
    if not number:
        return part.display_cooperative_name
    return _("%(name)s (%(phone)s)") % {"name": part.display_cooperative_name, "phone": number}


# ---------------------------------------------------------------------------------------------
# Mail (always after commit; never raises)
# ---------------------------------------------------------------------------------------------


def _track_url(order: Order) -> str:
    """The buyer's link opens the order page in the language they ordered in (/en/… for English)."""
    with translation.override(order.language):
        return f"{settings.SITE_URL}{reverse('orders:order-track')}?code={order.code}"


# Cooperatives work in Vietnamese whatever language the buyer used.
PRODUCER_LANGUAGE = "vi"


def _send(*, subject: str, template: str, context: dict, to: str) -> None:
    if not to:
        return
    try:
        body = render_to_string(template, context)
        send_mail(subject, body, None, [to], fail_silently=False)
    except Exception:
        # The order is already safe in the database; a mail problem must not surface as an error.
        logger.exception("Could not send %s to %s", template, to)


def _order_for_mail(order_id: int) -> Order:
    return Order.objects.prefetch_related("cooperative_orders__items", "cooperative_orders__cooperative").get(
        pk=order_id
    )


def _mail_order_placed(*, order_id: int) -> None:
    try:
        order = _order_for_mail(order_id)
    except Exception:
        logger.exception("Could not load order %s for mail", order_id)
        return
    context = {"order": order, "parts": order.cooperative_orders.all(), "track_url": _track_url(order)}
    with translation.override(order.language):
        _send(
            subject=_("Chợ Phiên: đã nhận đơn %(code)s") % {"code": order.code},
            template="orders/email/order_placed_buyer.txt",
            context=context,
            to=order.email,
        )
    with translation.override(PRODUCER_LANGUAGE):
        for part in order.cooperative_orders.all():
            _send(
                subject=_("Chợ Phiên: đơn mới %(code)s") % {"code": order.code},
                template="orders/email/order_placed_cooperative.txt",
                context={
                    **context,
                    "part": part,
                    "dashboard_url": f"{settings.SITE_URL}{reverse('dashboard:home')}",
                },
                to=part.cooperative.email,
            )


def _mail_part_changed(*, cooperative_order_id: int, kind: str) -> None:
    try:
        part = (
            CooperativeOrder.objects.select_related("order")
            .prefetch_related("items")
            .get(pk=cooperative_order_id)
        )
    except Exception:
        logger.exception("Could not load part %s for mail", cooperative_order_id)
        return
    # The producer acts in Vietnamese; the buyer reads in the language they ordered in.
    with translation.override(part.order.language):
        subjects = {
            OrderEvent.Kind.CONFIRMED: _("Chợ Phiên: %(coop)s đã xác nhận đơn %(code)s"),
            OrderEvent.Kind.SHIPPED: _("Chợ Phiên: %(coop)s đã gửi hàng đơn %(code)s"),
            OrderEvent.Kind.DELIVERED: _("Chợ Phiên: đơn %(code)s đã giao xong"),
            OrderEvent.Kind.PAID: _("Chợ Phiên: %(coop)s đã nhận tiền đơn %(code)s"),
            OrderEvent.Kind.CANCELLED: _("Chợ Phiên: %(coop)s đã huỷ phần đơn %(code)s"),
        }
        _send(
            subject=subjects[kind] % {"coop": part.display_cooperative_name, "code": part.order.code},
            template="orders/email/part_changed_buyer.txt",
            context={"order": part.order, "part": part, "kind": kind, "track_url": _track_url(part.order)},
            to=part.order.email,
        )


def _mail_order_cancelled_by_buyer(*, order_id: int, part_ids: list[int]) -> None:
    try:
        order = _order_for_mail(order_id)
    except Exception:
        logger.exception("Could not load order %s for mail", order_id)
        return
    context = {"order": order, "track_url": _track_url(order)}
    with translation.override(order.language):
        _send(
            subject=_("Chợ Phiên: đã huỷ đơn %(code)s") % {"code": order.code},
            template="orders/email/order_cancelled_buyer.txt",
            context=context,
            to=order.email,
        )
    with translation.override(PRODUCER_LANGUAGE):
        for part in order.cooperative_orders.all():
            if part.pk in part_ids:
                _send(
                    subject=_("Chợ Phiên: người mua đã huỷ đơn %(code)s") % {"code": order.code},
                    template="orders/email/order_cancelled_cooperative.txt",
                    context={**context, "part": part},
                    to=part.cooperative.email,
                )
