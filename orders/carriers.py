"""Who carries a parcel, and where the buyer follows it: the one list of carriers, their public
tracking pages, and the rule for what a producer types when shipping.

Tracking numbers are written without spaces (people copy them from a receipt in groups of three or
four) and, for the courier companies, in upper case: their codes are printed in capitals
("EB123456789VN", GHTK's "S1234.MB1.A2.123456"), and a lower-case code is never a different parcel.
A bus ticket or another carrier's code is kept in the case it was typed, since nobody knows its
rules. Only ASCII letters, digits and ``- . _ /`` are accepted, so an emoji or a Vietnamese word
typed into the box gets a message instead of a link that finds nothing.

Tracking pages: GHN, GHTK, J&T Express and Ninja Van open on the parcel itself (the code in the
address); Viettel Post and VNPost change their tracking addresses too often to trust a deep link, so
the buyer gets the carrier's tracking page and the code to paste into it.
"""

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from storefront.lib.phones import normalize_phone, phone_e164

NUMBER_MAX = 40
NUMBER_MIN = 4
ROUTE_MAX = 100
NAME_MAX = 80
_NUMBER = re.compile(r"[A-Za-z0-9._/\-]+")
# What people put between groups when they copy a code by hand; a NBSP or a tab counts too.
_SPACES = re.compile(r"\s+")

BUS = "bus"
OTHER = "other"


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str | Promise
    # The carrier's public tracking page; "{number}" in it is replaced by the tracking number.
    tracking_url: str = ""
    # Courier companies always print a number; a bus or a relative may give none.
    needs_number: bool = True
    upper_case: bool = True

    @property
    def url_has_number(self) -> bool:
        return "{number}" in self.tracking_url


CARRIERS: dict[str, Carrier] = {
    carrier.code: carrier
    for carrier in (
        Carrier("vnpost", "VNPost", "https://vnpost.vn/"),
        Carrier("viettel_post", "Viettel Post", "https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/"),
        Carrier("ghn", "GHN", "https://donhang.ghn.vn/?order_code={number}"),
        Carrier("ghtk", "GHTK", "https://i.ghtk.vn/{number}"),
        Carrier("jt", "J&T Express", "https://jtexpress.vn/vi/tracking?type=track&billcode={number}"),
        Carrier("ninja_van", "Ninja Van", "https://www.ninjavan.co/vi-vn/tracking?id={number}"),
        Carrier(BUS, _("Xe khách"), needs_number=False, upper_case=False),
        Carrier(OTHER, _("Khác"), needs_number=False, upper_case=False),
    )
}
CARRIER_CHOICES = [(carrier.code, carrier.name) for carrier in CARRIERS.values()]


@dataclass(frozen=True)
class Shipment:
    """What the buyer is told about a parcel on its way (all fields already clean)."""

    carrier: str = ""
    tracking_number: str = ""
    carrier_name: str = ""
    bus_route: str = ""
    driver_phone: str = ""

    @property
    def known(self) -> Carrier | None:
        return CARRIERS.get(self.carrier)

    @property
    def name(self) -> str:
        """The carrier as the buyer reads it: "GHN", "Xe khách", the name typed for "other"."""
        known = self.known
        if known is None or known.code == OTHER:
            # An unknown value is free text from before the list (or from an older app server).
            return self.carrier_name or ("" if known else self.carrier)
        return str(known.name)

    @property
    def is_bus(self) -> bool:
        return self.carrier == BUS

    @property
    def tracking_url(self) -> str:
        """The carrier's public tracking page, on this parcel when the page takes its number."""
        known = self.known
        if known is None or not known.tracking_url:
            return ""
        if not known.url_has_number:
            return known.tracking_url
        if not self.tracking_number:
            return ""
        return known.tracking_url.replace("{number}", quote(self.tracking_number, safe=""))

    @property
    def url_has_number(self) -> bool:
        return bool(self.tracking_url) and self.known.url_has_number

    @property
    def driver_tel(self) -> str:
        """A tel: link for the driver's number ("" if an edited row holds something odd)."""
        try:
            return f"tel:{phone_e164(self.driver_phone)}" if self.driver_phone else ""
        except ValidationError:
            return ""

    def __bool__(self) -> bool:
        return bool(self.carrier or self.tracking_number)

    def summary(self) -> str:
        """One line for the history and the CSV: "GHN · GY7XK4", "Xe khách · Hà Giang – Hà Nội · 0912…"."""
        parts = (self.name, self.tracking_number, self.bus_route, self.driver_phone)
        return " · ".join(part for part in parts if part)


def _visible(value: str) -> str:
    """What was typed without Unicode's invisible format characters (category Cf: zero-width
    spaces, byte-order marks, direction marks, word joiners), which text pasted from chat apps
    carries: a message naming one would show nothing, and a box holding only those looks empty.
    NFKC turns full-width letters and digits from Asian keyboards into ASCII."""
    kept = "".join(ch for ch in value or "" if unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFKC", kept)


def _text(value: str) -> str:
    return " ".join(_visible(value).split())


def tracking_number_normalize(*, raw: str, carrier: str) -> str:
    """The number as the carrier prints it: no spaces; upper case for the courier companies.

    Raises ValidationError with a message that names the problem (too long, a character that
    cannot be in a code)."""
    number = _SPACES.sub("", _visible(raw))
    if len(number) > NUMBER_MAX:
        raise ValidationError(
            _(
                "Mã vận đơn dài quá: tối đa %(max)d ký tự, ô này có %(length)d. "
                "Hãy chép đúng mã in trên biên nhận."
            ),
            code="too_long",
            params={"max": NUMBER_MAX, "length": len(number)},
        )
    if number and not _NUMBER.fullmatch(number):
        wrong = next(ch for ch in number if not _NUMBER.fullmatch(ch))
        raise ValidationError(
            _(
                "Mã vận đơn chỉ gồm chữ cái không dấu, chữ số và các dấu - . _ / "
                "Ký tự “%(char)s” không có trong mã: hãy xoá nó."
            ),
            code="invalid_char",
            params={"char": wrong},
        )
    known = CARRIERS.get(carrier)
    if known and known.upper_case:
        number = number.upper()
    if number and known and known.needs_number and len(number) < NUMBER_MIN:
        raise ValidationError(
            _("Mã vận đơn ngắn quá: mã của %(carrier)s có ít nhất %(min)d ký tự. Hãy xem lại biên nhận."),
            code="too_short",
            params={"carrier": known.name, "min": NUMBER_MIN},
        )
    return number


def _limited(value: str, *, limit: int, message: Promise) -> str:
    if len(value) > limit:
        raise ValidationError(message, code="too_long", params={"max": limit, "length": len(value)})
    return value


def shipment_clean(
    *,
    carrier: str,
    tracking_number: str = "",
    carrier_name: str = "",
    bus_route: str = "",
    driver_phone: str = "",
) -> Shipment:
    """A shipment from what was typed, normalised; fields the chosen carrier does not use are
    dropped. Raises ValidationError with a dict of field → message for everything wrong at once."""
    errors: dict[str, ValidationError] = {}
    known = CARRIERS.get(carrier)
    if known is None:
        raise ValidationError({"carrier": ValidationError(_("Hãy chọn đơn vị vận chuyển trong danh sách."))})
    number = ""
    try:
        number = tracking_number_normalize(raw=tracking_number, carrier=carrier)
    except ValidationError as error:
        errors["tracking_number"] = error
    else:
        if known.needs_number and not number:
            errors["tracking_number"] = ValidationError(
                _("Hãy nhập mã vận đơn %(carrier)s in trên biên nhận, để người mua theo dõi được kiện hàng."),
                code="required",
                params={"carrier": known.name},
            )
    name = route = phone = ""
    if known.code == OTHER:
        try:
            name = _limited(
                _text(carrier_name),
                limit=NAME_MAX,
                message=_("Tên đơn vị vận chuyển dài quá: tối đa %(max)d ký tự, ô này có %(length)d."),
            )
        except ValidationError as error:
            errors["carrier_name"] = error
        else:
            if not name:
                errors["carrier_name"] = ValidationError(
                    _("Hãy ghi tên đơn vị vận chuyển, ví dụ: Best Express, người nhà mang xuống."),
                    code="required",
                )
    if known.code == BUS:
        try:
            route = _limited(
                _text(bus_route),
                limit=ROUTE_MAX,
                message=_("Tuyến xe dài quá: tối đa %(max)d ký tự, ô này có %(length)d."),
            )
        except ValidationError as error:
            errors["bus_route"] = error
        else:
            if not route:
                errors["bus_route"] = ValidationError(
                    _("Hãy ghi tuyến xe và nhà xe, ví dụ: Hà Giang – Hà Nội, xe Hải Vân."), code="required"
                )
        typed_phone = _visible(driver_phone).strip()
        if not typed_phone:
            errors["driver_phone"] = ValidationError(
                _("Hãy nhập số di động của tài xế hoặc nhà xe, để người mua gọi hỏi xe đến đâu."),
                code="required",
            )
        else:
            try:
                phone = normalize_phone(typed_phone)
            except ValidationError as error:
                errors["driver_phone"] = error
    if errors:
        raise ValidationError(errors)
    return Shipment(
        carrier=known.code,
        tracking_number=number,
        carrier_name=name,
        bus_route=route,
        driver_phone=phone,
    )
