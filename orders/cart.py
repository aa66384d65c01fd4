"""The session cart: {product_id: quantity} and nothing else that could set a price.

This is storage only. What may go in (stock, the per-line and per-cart caps) is decided by the
cart services (orders.services.cart); everything a buyer pays is computed from the database
(``orders.selectors.cart_summary`` for the pages, ``orders.services.order_place`` for the order).
The session also remembers, apart from the cart, the price of each line the buyer was last
SHOWN: it is never used to charge, only to say "the price changed since you looked" instead of
letting a new price slip into an order.
"""

from collections.abc import Mapping

CART_KEY = "cart"
SEEN_PRICES_KEY = "cart_seen_prices"


def _clean(raw) -> dict[int, int]:
    """Whatever is in the session, as {positive product id: positive quantity}."""
    lines: dict[int, int] = {}
    if not isinstance(raw, Mapping):
        return lines
    for key, value in raw.items():
        try:
            pid, qty = int(key), int(value)
        except (TypeError, ValueError):
            continue
        if pid > 0 and qty > 0:
            lines[pid] = qty
    return lines


class Cart:
    """A buyer's cart in their session. Reading it never touches the database."""

    def __init__(self, session):
        self.session = session

    @property
    def lines(self) -> dict[int, int]:
        return _clean(self.session.get(CART_KEY))

    @property
    def count(self) -> int:
        """Number of items (sum of quantities), for the header badge."""
        return sum(self.lines.values())

    def __len__(self) -> int:
        return len(self.lines)

    def __bool__(self) -> bool:
        return bool(self.lines)

    def quantity_of(self, product_id: int) -> int:
        return self.lines.get(product_id, 0)

    def set(self, product_id: int, quantity: int) -> None:
        """Store a line's quantity; 0 or less removes the line."""
        lines = self.lines
        if quantity <= 0:
            lines.pop(product_id, None)
        else:
            lines[product_id] = quantity
        self._save(lines)

    def replace(self, lines: Mapping[int, int]) -> None:
        """Store these lines instead, when they differ (a session write only when something changed)."""
        if dict(lines) != self.lines:
            self._save({pid: qty for pid, qty in lines.items() if qty > 0})

    def remove(self, product_id: int) -> None:
        self.set(product_id, 0)

    def clear(self) -> None:
        self.session.pop(CART_KEY, None)
        self.session.pop(SEEN_PRICES_KEY, None)

    @property
    def seen_prices(self) -> dict[int, int]:
        return _clean_prices(self.session.get(SEEN_PRICES_KEY))

    def remember_prices(self, prices: Mapping[int, int]) -> None:
        """Record the prices the buyer is being shown now, for the lines in the cart."""
        wanted = {str(pid): int(price) for pid, price in prices.items() if pid in self.lines}
        if self.session.get(SEEN_PRICES_KEY) != wanted:
            self.session[SEEN_PRICES_KEY] = wanted

    def _save(self, lines: Mapping[int, int]) -> None:
        # JSON session serialisation turns int keys into strings anyway: store them as strings.
        self.session[CART_KEY] = {str(pid): qty for pid, qty in lines.items()}


def _clean_prices(raw) -> dict[int, int]:
    prices: dict[int, int] = {}
    if not isinstance(raw, Mapping):
        return prices
    for key, value in raw.items():
        try:
            prices[int(key)] = int(value)
        except (TypeError, ValueError):
            continue
    return prices
