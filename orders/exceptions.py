"""Domain errors raised by orders.services. Each carries a translated message fit to show a buyer
or a producer as is (``str(error)`` or ``error.message``)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from storefront.lib.money import vnd


class OrderError(Exception):
    """Base class: something the person can understand and act on, never a programming error."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidTransition(OrderError):
    """A status change that the current status does not allow (e.g. shipping a cancelled part)."""


class InvalidShipment(OrderError):
    """A carrier, tracking number, bus route or driver's phone that orders.carriers refuses."""


class CartEmpty(OrderError):
    def __init__(self):
        super().__init__(_("Giỏ hàng đang trống."))


@dataclass(frozen=True)
class ShortLine:
    """A cart line that cannot be filled: ``available`` is what is left (0 when not for sale)."""

    product_id: int
    name: str
    requested: int
    available: int


class OutOfStock(OrderError):
    """Some lines are short; nothing was taken. ``lines`` names each one and what is left."""

    def __init__(self, lines: list[ShortLine]):
        self.lines = lines
        parts = []
        for line in lines:
            if line.available <= 0:
                parts.append(_("%(name)s đã hết hàng") % {"name": line.name})
            else:
                parts.append(
                    ngettext(
                        "%(name)s chỉ còn %(left)d",
                        "%(name)s chỉ còn %(left)d",
                        line.available,
                    )
                    % {"name": line.name, "left": line.available}
                )
        super().__init__(
            _("Chưa đặt được hàng: %(lines)s. Giỏ hàng đã được sửa lại, mời bạn xem lại rồi đặt tiếp.")
            % {"lines": "; ".join(parts)}
        )


@dataclass(frozen=True)
class PriceChange:
    product_id: int
    name: str
    old_price: int
    new_price: int


class PriceChanged(OrderError):
    """Prices moved since the buyer last saw them; nothing was taken."""

    def __init__(self, changes: list[PriceChange]):
        self.changes = changes
        names = ", ".join(change.name for change in changes)
        super().__init__(
            _("Giá của %(names)s vừa thay đổi. Mời bạn xem lại tổng tiền rồi bấm đặt hàng lần nữa.")
            % {"names": names}
        )


class PaymentMethodUnavailable(OrderError):
    def __init__(self):
        super().__init__(
            _("Có gian hàng trong giỏ chưa nhận chuyển khoản. Mời bạn chọn thanh toán khi nhận hàng.")
        )


class OrderTooLarge(OrderError):
    """The order's total is beyond what one online order may be; nothing was written."""

    def __init__(self, *, total: int, limit: int):
        self.total = total
        self.limit = limit
        super().__init__(
            _(
                "Đơn hàng %(total)s vượt mức tối đa %(limit)s cho một đơn đặt trên mạng. "
                "Hãy bớt số lượng, chia thành nhiều đơn, hoặc gọi cho gian hàng để đặt số lượng lớn."
            )
            % {"total": vnd(total), "limit": vnd(limit)}
        )
