"""Placing an order: the only way an order comes to exist.

In one transaction `order_place` re-reads the products, takes stock with conditional UPDATEs in
primary-key order, and writes the order, its parts, items and "placed" events; the buyer and the
stalls are told after the commit (orders.notifications). Refusals are orders.exceptions.OrderError
subclasses with a translated message to show as is.
"""

import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from products.models import Product
from storefront.lib.catalogue_cache import stock_changed_now_and_at_commit

from .. import notifications
from ..exceptions import (
    CartEmpty,
    OrderTooLarge,
    OutOfStock,
    PaymentMethodUnavailable,
    PriceChange,
    PriceChanged,
    ShortLine,
)
from ..models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    CooperativeOrder,
    Order,
    OrderEvent,
    OrderItem,
    PaymentMethod,
)

CODE_ATTEMPTS = 8


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


def order_code_normalize(*, raw: str) -> str:
    """What a buyer types ("k7xm-4pqa ") as the stored code ("K7XM4PQA")."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:16]


def order_place(
    *,
    cart: Mapping[int, int],
    buyer: Buyer,
    payment_method: str,
    checkout_token: str,
    seen_prices: Mapping[int, int] | None = None,
    poster_cooperatives: Collection[int] = (),
) -> Order:
    """Turn a cart ({product_id: quantity}) into an order: the only way an order comes to exist.

    In one transaction it re-reads the products (only publicly sold ones count), takes stock with
    one conditional UPDATE per line in primary-key order (so two buyers never deadlock and stock
    never goes below zero, on SQLite and PostgreSQL), and writes the Order, one CooperativeOrder
    per cooperative (subtotal, shipping fee and a snapshot of its name, English name, bank
    details and market fee rate, which its monthly statements charge), the OrderItems (snapshots
    of name, unit and price, with the English name and unit for the buyer's English pages and
    mail) and a "placed" event per part.

    Prices and totals come from the database only. ``seen_prices`` ({product_id: price} the buyer
    was last shown, kept server-side) lets a price change stop the order instead of slipping in.
    ``poster_cooperatives``: the stalls whose QR posters the buyer scanned lately; their parts are
    marked ``from_poster``.

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
                poster_cooperatives=frozenset(poster_cooperatives),
            )
    except _TokenUsed:
        return Order.objects.get(checkout_token=checkout_token)
    return order


def _order_place(*, lines, buyer, payment_method, checkout_token, seen_prices, poster_cooperatives) -> Order:
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
    limit = settings.ORDER_MAX_TOTAL
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
    stock_changed_now_and_at_commit()
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
            market_fee_rate=coop.market_fee_rate,
            subtotal=subtotals[cid],
            shipping_fee=fees[cid],
            from_poster=cid in poster_cooperatives,
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
    notifications.order_placed(order=order)
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
