"""Read-side queries for the cart, checkout and order pages. Query counts stay flat with lines."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from products.models import Cooperative, Product
from storefront.lib.money import vnd
from storefront.lib.tokens import token_is_valid

from .choices import PaymentMethod, Status
from .exceptions import ShortLine
from .models import CooperativeOrder, Order, OrderItem
from .workflow import SENT


@dataclass
class CartLine:
    product: Product
    quantity: int
    notes: list[str] = field(default_factory=list)

    @property
    def line_total(self) -> int:
        return self.product.price * self.quantity


@dataclass
class CartGroup:
    """One cooperative's lines: they ship together, with the stall's own shipping fee."""

    cooperative: Cooperative
    lines: list[CartLine]

    @property
    def subtotal(self) -> int:
        return sum(line.line_total for line in self.lines)

    @property
    def shipping_fee(self) -> int:
        return self.cooperative.shipping_fee_for(self.subtotal)

    @property
    def total(self) -> int:
        return self.subtotal + self.shipping_fee

    @property
    def free_shipping_gap(self) -> int:
        """How much more to buy from this stall for free shipping (0 when free or never free)."""
        threshold = self.cooperative.free_shipping_threshold
        if threshold is None or self.shipping_fee == 0:
            return 0
        return threshold - self.subtotal


@dataclass
class CartSummary:
    groups: list[CartGroup]
    # Lines taken out since the last look (unpublished, deleted, sold out), as sentences.
    removed: list[str]
    # Lines that were removed or lowered because of stock or availability, for checkout's refusal.
    short: list[ShortLine] = field(default_factory=list)
    # What the cart should hold now ({product_id: quantity}), and the prices the buyer is shown.
    corrected: dict[int, int] = field(default_factory=dict)
    prices: dict[int, int] = field(default_factory=dict)

    @property
    def lines(self) -> list[CartLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def items_total(self) -> int:
        return sum(group.subtotal for group in self.groups)

    @property
    def shipping_total(self) -> int:
        return sum(group.shipping_fee for group in self.groups)

    @property
    def grand_total(self) -> int:
        return self.items_total + self.shipping_total

    @property
    def bank_transfer_available(self) -> bool:
        return bool(self.groups) and all(g.cooperative.has_bank_details for g in self.groups)

    @property
    def has_changes(self) -> bool:
        """Something moved since the buyer last looked: they must see it before ordering."""
        return bool(self.removed) or any(line.notes for line in self.lines)

    def __bool__(self) -> bool:
        return bool(self.groups)


def cart_summary(*, lines: Mapping[int, int], seen_prices: Mapping[int, int]) -> CartSummary:
    """Price cart lines from the database and say where they went stale; writes nothing.

    Lines whose product is no longer public are dropped, quantities above stock are lowered to
    what is left (``corrected`` holds the result), and price changes since the buyer last saw
    the line are noted; each case gets a sentence to show. One query for the products (two if
    some vanished), whatever the lines. ``orders.services.cart_refresh`` stores the corrections.
    """
    if not lines:
        return CartSummary(groups=[], removed=[])
    products = {
        p.pk: p for p in Product.objects.public().select_related("cooperative").filter(pk__in=list(lines))
    }
    seen = seen_prices
    corrected = dict(lines)
    removed: list[str] = []
    short: list[ShortLine] = []
    missing = [pid for pid in lines if pid not in products]
    if missing:
        names = {p.pk: p.display_name for p in Product.objects.filter(pk__in=missing).only("name", "name_en")}
        for pid in missing:
            del corrected[pid]
            name = names.get(pid, _("Sản phẩm đã ngừng bán"))
            short.append(ShortLine(product_id=pid, name=name, requested=lines[pid], available=0))
            if pid in names:
                removed.append(_("%(name)s không còn bán nên đã được bỏ khỏi giỏ.") % {"name": names[pid]})
            else:
                removed.append(_("Một sản phẩm không còn bán nên đã được bỏ khỏi giỏ."))

    groups: dict[int, CartGroup] = {}
    for pid, quantity in lines.items():
        product = products.get(pid)
        if product is None:
            continue
        if quantity > product.stock:
            short.append(
                ShortLine(
                    product_id=pid, name=product.display_name, requested=quantity, available=product.stock
                )
            )
        if product.stock <= 0:
            del corrected[pid]
            removed.append(
                _("%(name)s vừa hết hàng nên đã được bỏ khỏi giỏ.") % {"name": product.display_name}
            )
            continue
        line = CartLine(product=product, quantity=quantity)
        if quantity > product.stock:
            line.quantity = product.stock
            corrected[pid] = product.stock
            line.notes.append(
                _("Chỉ còn %(left)d nên số lượng đã giảm từ %(old)d xuống %(left)d.")
                % {"left": product.stock, "old": quantity}
            )
        if pid in seen and seen[pid] != product.price:
            line.notes.append(
                _("Giá vừa đổi từ %(old)s thành %(new)s.")
                % {"old": vnd(seen[pid]), "new": vnd(product.price)}
            )
        groups.setdefault(product.cooperative_id, CartGroup(cooperative=product.cooperative, lines=[]))
        groups[product.cooperative_id].lines.append(line)
    ordered = sorted(groups.values(), key=lambda g: (g.cooperative.name, g.cooperative.pk))
    return CartSummary(
        groups=ordered,
        removed=removed,
        short=short,
        corrected=corrected,
        prices={pid: p.price for pid, p in products.items()},
    )


def order_for_checkout_token(*, token: str) -> Order | None:
    """The order a checkout form already made, for a repeated submit; None for any other token.

    Only a well-formed token reaches the database: PostgreSQL refuses a NUL byte outright.
    """
    if not token_is_valid(token):
        return None
    return Order.objects.filter(checkout_token=token).first()


def order_for_page(*, code: str) -> Order | None:
    """An order with its parts and their items, in three queries; None when there is none."""
    return (
        Order.objects.filter(code=code)
        .prefetch_related(
            Prefetch(
                "cooperative_orders",
                queryset=CooperativeOrder.objects.select_related("cooperative")
                .order_by("cooperative_name", "id")
                .prefetch_related(Prefetch("items", queryset=OrderItem.objects.order_by("id"))),
            )
        )
        .first()
    )


def order_next_step(*, order: Order) -> str:
    """What the buyer's order page says to do or expect next, from the parts as they stand.

    Money still owed comes first ("pay_cod", "pay_transfer"); once every live part is paid (a
    cash-on-delivery part is paid when delivered), the sentence follows how far the parcels got:
    "paid_preparing", "paid_partly_sent", "paid_on_the_way", "paid_partly_delivered",
    "paid_delivered"; "cancelled" when no part is left. Uses the prefetched parts, no query.
    """
    live = [part for part in order.cooperative_orders.all() if part.is_live]
    if not live:
        return "cancelled"
    if any(not part.is_paid for part in live):
        return "pay_cod" if order.payment_method == PaymentMethod.COD else "pay_transfer"
    sent = [part for part in live if part.status in SENT]
    delivered = [part for part in live if part.status == Status.DELIVERED]
    if not sent:
        return "paid_preparing"
    if len(sent) < len(live):
        return "paid_partly_sent"
    if not delivered:
        return "paid_on_the_way"
    if len(delivered) < len(live):
        return "paid_partly_delivered"
    return "paid_delivered"
