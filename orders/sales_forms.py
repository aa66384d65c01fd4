"""The query strings of the sales pages: which period, which month. A bad value gets a sentence to
show, and the page falls back to the default rather than failing."""

import re
from datetime import date

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .sales import DEFAULT_PERIOD, PERIODS
from .statements import month_current

MONTH = re.compile(r"(\d{4})-(\d{1,2})")
FIRST_YEAR = 2000


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        choices=[(str(days), str(days)) for days in PERIODS],
        coerce=int,
        required=False,
        empty_value=DEFAULT_PERIOD,
        error_messages={
            "invalid_choice": _("Chỉ xem được 7, 30 hoặc 90 ngày. Đang hiện 30 ngày qua."),
        },
    )


class MonthForm(forms.Form):
    # A plain field: whatever was typed (NUL bytes, 300 characters) gets the same one sentence.
    month = forms.Field(required=False)

    def clean_month(self) -> date:
        value = str(self.cleaned_data["month"] or "").strip()
        if not value:
            return month_current()
        match = MONTH.fullmatch(value)
        if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < FIRST_YEAR:
            raise forms.ValidationError(
                _("Không hiểu tháng “%(value)s”. Hãy chọn tháng trong danh sách, ví dụ 2026-11."),
                params={"value": "".join(ch for ch in value[:20] if ch.isprintable())},
            )
        month = date(int(match[1]), int(match[2]), 1)
        if month > month_current():
            raise forms.ValidationError(_("Tháng này chưa tới. Đang hiện tháng hiện tại."))
        return month


def chosen_period(query: QueryDict) -> tuple[int, str]:
    """The period asked for (7, 30 or 90 days), or the default and why it was not taken."""
    form = PeriodForm(query)
    if form.is_valid():
        return form.cleaned_data["days"], ""
    return DEFAULT_PERIOD, str(form.errors["days"][0])


def chosen_month(query: QueryDict) -> tuple[date, str]:
    """The month asked for ("2026-11"; none means this month), or this month and why not."""
    form = MonthForm(query)
    if form.is_valid():
        return form.cleaned_data["month"], ""
    return month_current(), str(form.errors["month"][0])
