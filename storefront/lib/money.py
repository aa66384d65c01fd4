"""Money in whole đồng: shown as the page's language writes it ("120.000 ₫" / "120,000 ₫") and read
back however people type it ("250.000", "250k", "1,2tr")."""

import re

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NBSP = "\u00a0"


def vnd(value) -> str:
    """Whole đồng as the active language writes it: "120.000 ₫" (vi) or "120,000 ₫" (en); "" for
    anything that is not a number."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    return f"{intcomma(amount, use_l10n=True)}{NBSP}₫"


# How people write money here: "250.000", "250 000", "250,000 đ", "250k", "1,5k", "1,2 triệu".
MONEY_CURRENCY = re.compile(r"\s*(?:vnđ|vnd|đồng|dong|đ|₫|d)\.?$")
MONEY_SUFFIXES = {
    "k": 1_000,
    "nghìn": 1_000,
    "nghin": 1_000,
    "ngàn": 1_000,
    "ngan": 1_000,
    "tr": 1_000_000,
    "triệu": 1_000_000,
    "trieu": 1_000_000,
}
MONEY_SUFFIX = re.compile(r"\s*(" + "|".join(sorted(MONEY_SUFFIXES, key=len, reverse=True)) + r")$")
MONEY_GROUPED = re.compile(r"\d{1,3}(?:[.,\s_]\d{3})+")
MONEY_DECIMAL = re.compile(r"(\d+)[.,](\d{1,3})")
MONEY_INVALID = _("Hãy nhập số tiền bằng chữ số, ví dụ 250000, 250.000 hoặc 250k.")
MONEY_AMBIGUOUS = _(
    "“%(value)s” có phần lẻ nên chưa rõ là bao nhiêu đồng. Hãy nhập số đồng tròn, "
    "ví dụ 12500 hoặc 12.500 (hoặc 12,5k)."
)


def parse_money(typed: str) -> int | None:
    """Whole đồng from what a person typed; None for an empty box.

    Dots, commas and spaces between groups of three digits are thousands separators. A
    decimal comma or point is only understood before "k" or "tr" ("1,5k" = 1.500,
    "1,2tr" = 1.200.000): on its own, "12.5" could be 12,5 or 12.500, so it is refused
    with a message instead of being guessed.
    """
    text = " ".join(typed.split()).lower()
    text = MONEY_CURRENCY.sub("", text).strip()
    if not text:
        return None
    multiplier = 1
    suffix = MONEY_SUFFIX.search(text)
    if suffix and suffix.start() > 0:
        multiplier = MONEY_SUFFIXES[suffix.group(1)]
        text = text[: suffix.start()].strip()
    if text.isascii() and text.isdigit():
        return int(text) * multiplier
    if MONEY_GROUPED.fullmatch(text):
        return int(re.sub(r"\D", "", text)) * multiplier
    decimal = MONEY_DECIMAL.fullmatch(text)
    if decimal and multiplier > 1:
        whole, fraction = decimal.groups()
        amount = int(whole) * multiplier + int(fraction) * multiplier // 10 ** len(fraction)
        if int(fraction) * multiplier % 10 ** len(fraction) == 0:
            return amount
    if decimal:
        raise ValidationError(MONEY_AMBIGUOUS, code="ambiguous", params={"value": typed.strip()})
    raise ValidationError(MONEY_INVALID, code="invalid")


class MoneyField(forms.IntegerField):
    """Whole đồng, typed however people write money (see ``parse_money``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2_000_000_000)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # A text box with the number pad: "type=number" refuses the dots people type.
        attrs.pop("min", None)
        attrs.pop("max", None)
        attrs.pop("step", None)
        attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        return attrs

    def to_python(self, value):
        if isinstance(value, str):
            amount = parse_money(value)
            value = "" if amount is None else str(amount)
        return super().to_python(value)


class MoneyInput(forms.TextInput):
    """Shows a stored amount grouped as the page's language writes money ("180.000"), not "180000"."""

    def format_value(self, value):
        if isinstance(value, int):
            return intcomma(value, use_l10n=True)
        return super().format_value(value)
