"""A submitted checkout form, from the cleaned buyer details to an order or a clear refusal.

The cart was priced and corrected just before (``cart_refresh``); anything the buyer has not seen
yet (a line gone, a lower quantity, a new price) stops the order so they can look first. Every
refusal comes back as a ``CheckoutResult`` with a sentence to show, never as an error.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from django.contrib import messages
from django.utils.translation import gettext as _

from ..cart import Cart
from ..exceptions import CartEmpty, OrderTooLarge, OutOfStock, PaymentMethodUnavailable, PriceChanged
from ..models import Order
from ..selectors import CartSummary
from .cart import cart_refresh
from .placing import Buyer, order_place


@dataclass
class CheckoutResult:
    """What became of the form: an order, or a sentence and where to show it."""

    order: Order | None = None
    level: int = messages.INFO
    message: str = ""
    # The cart had to change: show it corrected (the form's details are kept for later).
    back_to_cart: bool = False
    field_errors: dict[str, str] = field(default_factory=dict)
    # The cart to draw the form again with, when the buyer stays on the checkout page.
    summary: CartSummary | None = None


def checkout_submit(
    *, cart: Cart, summary: CartSummary, data: Mapping, poster_cooperatives: Collection[int] = ()
) -> CheckoutResult:
    """Place the order from the cart and the form's cleaned `data`, unless something changed;
    `poster_cooperatives` are the stalls whose QR posters the buyer scanned lately."""
    if summary.short:
        # Same answer as a shortage found inside order_place: back to the corrected cart.
        return CheckoutResult(
            level=messages.ERROR, message=OutOfStock(summary.short).message, back_to_cart=True
        )
    if summary.has_changes:
        return CheckoutResult(
            level=messages.WARNING,
            message=_("Giỏ hàng vừa thay đổi (xem ghi chú bên dưới). Mời bạn xem lại rồi đặt hàng."),
            summary=summary,
        )
    try:
        order = order_place(
            cart=cart.lines,
            buyer=Buyer(
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
            poster_cooperatives=poster_cooperatives,
        )
    except OutOfStock as error:
        for line in error.lines:
            cart.set(line.product_id, line.available)
        return CheckoutResult(level=messages.ERROR, message=error.message, back_to_cart=True)
    except PriceChanged as error:
        return CheckoutResult(level=messages.WARNING, message=error.message, summary=cart_refresh(cart=cart))
    except PaymentMethodUnavailable as error:
        return CheckoutResult(field_errors={"payment_method": error.message}, summary=summary)
    except CartEmpty as error:
        return CheckoutResult(level=messages.INFO, message=error.message, back_to_cart=True)
    except OrderTooLarge as error:
        return CheckoutResult(level=messages.ERROR, message=error.message, back_to_cart=True)
    return CheckoutResult(
        order=order,
        level=messages.SUCCESS,
        message=_("Đặt hàng thành công! Mã đơn của bạn là %(code)s.") % {"code": order.code},
    )
