"""What may go into a cart: the only place that knows the limits.

A line holds at most CART_MAX_QUANTITY of a product and never more than is in stock; a cart holds
at most CART_MAX_LINES products. Each service returns a ``CartChange`` saying what happened, in a
sentence to show the buyer as is. Adding is idempotent in the sense that matters: whatever is
posted, the cart ends within the limits and says so.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.utils.translation import gettext as _

from products.models import Product

from ..cart import Cart
from ..models import Order
from ..selectors import CartSummary, cart_summary

# More than one household orders of one thing online; a shop buying wholesale calls the stall.
CART_MAX_QUANTITY = 99
# A cart this long is a mistake or a robot; the checkout page stays readable on a phone.
CART_MAX_LINES = 50


@dataclass(frozen=True)
class CartChange:
    level: int  # a django.contrib.messages level
    message: str
    quantity: int = 0


def _public(product_id: int) -> Product | None:
    return Product.objects.public().filter(pk=product_id).only("pk", "name", "name_en", "stock").first()


def cart_add(*, cart: Cart, product_id: int, quantity: int) -> CartChange:
    """Add `quantity` of a public product, up to its stock and the line's cap."""
    product = _public(product_id)
    if product is None:
        return CartChange(messages.ERROR, _("Sản phẩm này không còn bán."))
    in_cart = cart.quantity_of(product.pk)
    if not in_cart and len(cart) >= CART_MAX_LINES:
        return CartChange(
            messages.ERROR,
            _("Giỏ hàng đã có %(n)d sản phẩm, mời bạn đặt hàng trước.") % {"n": CART_MAX_LINES},
        )
    if product.stock <= 0:
        return CartChange(messages.ERROR, _("%(name)s đã hết hàng.") % {"name": product.display_name})
    wanted = in_cart + quantity
    allowed = min(wanted, product.stock, CART_MAX_QUANTITY)
    cart.set(product.pk, allowed)
    if allowed < wanted:
        return CartChange(
            messages.WARNING,
            _("%(name)s chỉ đặt được %(n)d. Giỏ hàng có %(n)d.")
            % {"name": product.display_name, "n": allowed},
            allowed,
        )
    return CartChange(
        messages.SUCCESS,
        _("Đã thêm %(name)s vào giỏ hàng (%(n)d).") % {"name": product.display_name, "n": allowed},
        allowed,
    )


def cart_update(*, cart: Cart, product_id: int, quantity: int) -> CartChange:
    """Set a line's quantity (0 removes it), up to the stock and the line's cap."""
    if product_id not in cart.lines:
        return CartChange(messages.ERROR, _("Sản phẩm này không có trong giỏ hàng."))
    if quantity <= 0:
        return cart_remove(cart=cart, product_id=product_id)
    product = _public(product_id)
    if product is None:
        cart.remove(product_id)
        return CartChange(messages.ERROR, _("Sản phẩm này không còn bán nên đã được bỏ khỏi giỏ."))
    allowed = min(quantity, CART_MAX_QUANTITY)
    if allowed > product.stock:
        cart.set(product_id, product.stock)
        return CartChange(
            messages.WARNING,
            _("%(name)s chỉ còn %(n)d.") % {"name": product.display_name, "n": product.stock},
            product.stock,
        )
    cart.set(product_id, allowed)
    return CartChange(messages.SUCCESS, _("Đã cập nhật số lượng."), allowed)


def cart_remove(*, cart: Cart, product_id: int) -> CartChange:
    cart.remove(product_id)
    return CartChange(messages.SUCCESS, _("Đã bỏ sản phẩm khỏi giỏ hàng."))


def cart_clear(*, cart: Cart) -> None:
    cart.clear()


def cart_refresh(*, cart: Cart) -> CartSummary:
    """Price the cart from the database, store its corrections (lines no longer sold or above
    the stock) and remember the prices shown, so a later change is noticed at checkout."""
    lines = cart.lines
    capped = {pid: min(qty, CART_MAX_QUANTITY) for pid, qty in lines.items()}
    summary = cart_summary(lines=capped, seen_prices=cart.seen_prices)
    cart.replace(summary.corrected)
    cart.remember_prices(summary.prices)
    return summary


def cart_buy_again(*, cart: Cart, order: Order) -> list[CartChange]:
    """'Mua lại': the order's products back in the cart at today's prices, each up to what was
    ordered and what is in stock now. A line already holding that much is left as it is, so the
    same button pressed twice changes nothing."""
    wanted: dict[int, int] = {}
    names: dict[int, str] = {}
    gone = []
    for part in order.cooperative_orders.all():
        for item in part.items.all():
            if item.product_id is None:
                gone.append(item.display_product_name)
                continue
            wanted[item.product_id] = wanted.get(item.product_id, 0) + item.quantity
            names[item.product_id] = item.display_product_name
    products = Product.objects.public().in_bulk(list(wanted))
    changes = [CartChange(messages.WARNING, _("%(name)s không còn bán.") % {"name": name}) for name in gone]
    added = 0
    for product_id, quantity in wanted.items():
        product = products.get(product_id)
        if product is None or product.stock <= 0:
            changes.append(
                CartChange(messages.WARNING, _("%(name)s không còn hàng.") % {"name": names[product_id]})
            )
            continue
        if not cart.quantity_of(product_id) and len(cart) >= CART_MAX_LINES:
            changes.append(
                CartChange(
                    messages.WARNING,
                    _("Giỏ hàng đã đầy, %(name)s chưa được thêm.") % {"name": product.display_name},
                )
            )
            continue
        target = min(quantity, product.stock, CART_MAX_QUANTITY)
        if target < quantity:
            changes.append(
                CartChange(
                    messages.WARNING,
                    _("%(name)s chỉ còn %(n)d, giỏ hàng có %(n)d.")
                    % {"name": product.display_name, "n": target},
                )
            )
        if cart.quantity_of(product_id) < target:
            cart.set(product_id, target)
        added += 1
    if added:
        changes.insert(
            0,
            CartChange(
                messages.SUCCESS,
                _("Các sản phẩm của đơn %(code)s đã ở trong giỏ, theo giá hôm nay.") % {"code": order.code},
            ),
        )
    return changes
