"""Forms of the producer's order pages."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_EXPORT_DAYS = 366


class ShipForm(forms.Form):
    carrier = forms.CharField(
        label=_("Đơn vị vận chuyển"),
        required=False,
        max_length=80,
        help_text=_("Không bắt buộc. Ví dụ: Viettel Post, xe khách Hà Giang – Hà Nội"),
    )
    tracking_note = forms.CharField(
        label=_("Mã vận đơn hoặc ghi chú"),
        required=False,
        max_length=200,
        help_text=_("Không bắt buộc. Ví dụ: VTP123456789"),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do huỷ"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Người mua sẽ đọc lý do này. Ví dụ: Hết hàng, vụ chè mới có vào tháng sau."),
        error_messages={"required": _("Hãy ghi lý do huỷ để người mua biết.")},
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ExportForm(forms.Form):
    """A date range for the CSV export; both days are included."""

    start = forms.DateField(label=_("Từ ngày"), widget=DateInput, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    end = forms.DateField(label=_("Đến ngày"), widget=DateInput, input_formats=["%Y-%m-%d", "%d/%m/%Y"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                raise ValidationError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."), code="order")
            if (end - start).days >= MAX_EXPORT_DAYS:
                raise ValidationError(_("Mỗi lần chỉ xuất tối đa một năm."), code="too_long")
            if start.year < 2000 or end > timezone.localdate() + timedelta(days=MAX_EXPORT_DAYS):
                raise ValidationError(_("Hãy chọn ngày từ năm 2000 đến trước năm sau."), code="range")
        return cleaned
