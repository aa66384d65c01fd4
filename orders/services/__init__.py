"""Everything that writes orders and carts. Views, the admin and the producer dashboard call these.

Every function here takes keyword-only arguments. Those that write orders run in one database
transaction and do all of their work or none of it, and people are told after the commit
(orders.notifications); the cart services change only the session. Refusals are
orders.exceptions.OrderError subclasses with a translated message to show as is.
"""

from .cart import (
    CART_MAX_LINES,
    CART_MAX_QUANTITY,
    CartChange,
    cart_add,
    cart_buy_again,
    cart_clear,
    cart_refresh,
    cart_remove,
    cart_update,
)
from .checkout import CheckoutResult, checkout_submit
from .placing import Buyer, order_code_new, order_code_normalize, order_place
from .status import (
    cooperative_order_apply,
    cooperative_order_cancel,
    cooperative_order_confirm,
    cooperative_order_deliver,
    cooperative_order_mark_paid,
    cooperative_order_ship,
    cooperative_order_shipment_change,
    order_cancel,
)
from .transfers import (
    KeyIssued,
    bank_transaction_mark_checked,
    bank_transaction_receive,
    sepay_key_issue,
    sepay_turn_off,
    sepay_webhook_for_call,
)

__all__ = [
    "CART_MAX_LINES",
    "CART_MAX_QUANTITY",
    "Buyer",
    "KeyIssued",
    "CartChange",
    "CheckoutResult",
    "bank_transaction_mark_checked",
    "bank_transaction_receive",
    "cart_add",
    "cart_buy_again",
    "cart_clear",
    "cart_refresh",
    "cart_remove",
    "cart_update",
    "checkout_submit",
    "cooperative_order_apply",
    "cooperative_order_cancel",
    "cooperative_order_confirm",
    "cooperative_order_deliver",
    "cooperative_order_mark_paid",
    "cooperative_order_ship",
    "cooperative_order_shipment_change",
    "order_cancel",
    "order_code_new",
    "order_code_normalize",
    "order_place",
    "sepay_key_issue",
    "sepay_turn_off",
    "sepay_webhook_for_call",
]
