"""Forms of the producer's order pages."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from storefront.lib.phones import PhoneInput

from .carriers import CARRIER_CHOICES, shipment_clean

MAX_EXPORT_DAYS = 366


class ShipForm(forms.Form):
    """The carrier (one tap on the list), its tracking number, and for a bus its route and driver.

    The rules are orders.carriers': the form only shows its messages next to the right box, and
    keeps everything typed when something is wrong."""

    carrier = forms.ChoiceField(
        label=_("Gửi qua"),
        choices=CARRIER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Hãy chọn đơn vị vận chuyển."),
            "invalid_choice": _("Hãy chọn đơn vị vận chuyển trong danh sách."),
        },
    )
    # No max_length: a browser would cut a pasted code silently; orders.carriers says what is wrong.
    tracking_number = forms.CharField(
        label=_("Mã vận đơn"),
        required=False,
        strip=False,
        help_text=_("In trên biên nhận, ví dụ EB123456789VN. Khoảng trắng, chữ thường được tự sửa."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    bus_route = forms.CharField(
        label=_("Tuyến xe và nhà xe"),
        required=False,
        help_text=_("Chỉ khi gửi xe khách. Ví dụ: Hà Giang – Hà Nội, xe Hải Vân"),
    )
    driver_phone = forms.CharField(
        label=_("Số di động tài xế hoặc nhà xe"),
        required=False,
        help_text=_("Chỉ khi gửi xe khách: người mua gọi số này để hỏi xe và ra lấy hàng."),
        widget=PhoneInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    carrier_name = forms.CharField(
        label=_("Tên đơn vị vận chuyển"),
        required=False,
        help_text=_("Chỉ khi chọn “Khác”. Ví dụ: Best Express"),
    )

    def clean(self):
        cleaned = super().clean()
        if "carrier" not in cleaned:
            return cleaned
        try:
            shipment = shipment_clean(
                carrier=cleaned["carrier"],
                tracking_number=cleaned.get("tracking_number", ""),
                carrier_name=cleaned.get("carrier_name", ""),
                bus_route=cleaned.get("bus_route", ""),
                driver_phone=cleaned.get("driver_phone", ""),
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                for message in errors:
                    self.add_error(field, message)
            return cleaned
        return {
            "carrier": shipment.carrier,
            "tracking_number": shipment.tracking_number,
            "carrier_name": shipment.carrier_name,
            "bus_route": shipment.bus_route,
            "driver_phone": shipment.driver_phone,
        }


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
