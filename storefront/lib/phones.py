"""Vietnamese mobile numbers: accept what people type, store "0912345678", show "0912 345 678".

The shipper calls and texts this number, so only mobile numbers pass: libphonenumber decides
validity and type; the prefix rule of the 2018 renumbering (03, 05, 07, 08, 09) is checked too,
because libphonenumber still lists a few other ranges (0121 0…, 0140…) that buyers never have.
"""

import re
import unicodedata

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

COUNTRY_CODE = "84"
# Longer than any honest way of writing a number; junk is refused before any work is done.
MAX_INPUT_LENGTH = 40

MSG_INVALID = _(
    "Số di động chưa đúng. Số di động Việt Nam có 10 số, bắt đầu bằng 03, 05, 07, 08 hoặc 09, "
    "ví dụ 0912 345 678."
)
MSG_EMPTY = _("Vui lòng nhập số di động, ví dụ 0912 345 678.")
MSG_LANDLINE = _(
    "Đây là số máy bàn. Vui lòng nhập số di động để người giao hàng gọi và nhắn tin được, ví dụ 0912 345 678."
)
MSG_OLD_11_DIGITS = _(
    "Số 11 số (bắt đầu bằng 01) đã được đổi sang 10 số từ năm 2018. Vui lòng nhập số mới, ví dụ 0912 345 678."
)

# Separators people put between digit groups; anything else (letters, #, *) is refused.
_SEPARATORS = re.compile(r"[\s.\-()/]+")
_NORMAL = re.compile(r"0[35789]\d{8}")
_MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def _national_digits(raw: str) -> str:
    """The digits of the national number, country prefixes removed; "" when it is not a number."""
    # NFKC turns full-width digits and "＋" from Asian keyboards into ASCII.
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))
    international = text.startswith("+")
    if international:
        text = text[1:]
    if not text.isascii() or not text.isdigit():
        return ""
    if text.startswith("00"):
        if not text.startswith("0084"):
            return ""
        text, international = text[4:], True
    elif international:
        if not text.startswith(COUNTRY_CODE):
            return ""
        text = text[2:]
    elif text.startswith(COUNTRY_CODE) and len(text) in (11, 12):
        # "84912345678" (or "840912345678"): a national number never starts with 84 and is 10 long.
        text, international = text[2:], True
    if international and not text.startswith("0"):
        # After the country code the leading 0 is dropped; people often keep it: "+84 0912…".
        text = "0" + text
    return text


def normalize_phone(raw: str) -> str:
    """Return the normal form "0912345678" of a Vietnamese mobile number typed in any usual way.

    Raises ValidationError with a Vietnamese message (and a code: empty, invalid, landline,
    old_11_digits) for anything that is not a mobile number in use today.
    """
    raw = (raw or "").strip()
    if not raw:
        raise ValidationError(MSG_EMPTY, code="empty")
    if len(raw) > MAX_INPUT_LENGTH:
        raise ValidationError(MSG_INVALID, code="invalid")
    digits = _national_digits(raw)
    if not digits.startswith("0"):
        raise ValidationError(MSG_INVALID, code="invalid")
    if len(digits) == 11 and digits.startswith("01"):
        raise ValidationError(MSG_OLD_11_DIGITS, code="old_11_digits")
    try:
        number = phonenumbers.parse("+" + COUNTRY_CODE + digits[1:])
    except phonenumbers.NumberParseException:
        raise ValidationError(MSG_INVALID, code="invalid") from None
    valid = phonenumbers.is_valid_number_for_region(number, "VN")
    if valid and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE:
        raise ValidationError(MSG_LANDLINE, code="landline")
    if not (valid and phonenumbers.number_type(number) in _MOBILE_TYPES and _NORMAL.fullmatch(digits)):
        raise ValidationError(MSG_INVALID, code="invalid")
    return digits


def _normal(value: str) -> str:
    return value if _NORMAL.fullmatch(value or "") else normalize_phone(value)


def format_phone(normal: str) -> str:
    """Show "0912345678" as "0912 345 678", the grouping Vietnamese people read numbers in."""
    digits = _normal(normal)
    return f"{digits[:4]} {digits[4:7]} {digits[7:]}"


def phone_e164(normal: str) -> str:
    """The international form "+84912345678", for tel: and sms: links that work from abroad too."""
    return "+" + COUNTRY_CODE + _normal(normal)[1:]


def zalo_url(normal: str) -> str:
    """Link that opens a Zalo chat with this number (Zalo accounts are keyed by phone)."""
    return f"https://zalo.me/{_normal(normal)}"


class PhoneInput(forms.TextInput):
    input_type = "tel"


class PhoneFormField(forms.CharField):
    """A mobile number field: forgiving input, cleans to the normal form "0912345678"."""

    widget = PhoneInput

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Số di động 10 số, ví dụ 0912 345 678."))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return self.empty_value
        return normalize_phone(value)


def phone_display(value) -> str:
    """A stored mobile number as people read it: "0912 345 678". Anything else (a number edited by
    hand in the admin, an old row) is shown unchanged, so a page never breaks on it."""
    if not value:
        return ""
    try:
        return format_phone(str(value))
    except ValidationError:
        return str(value)
