from django import forms
from django.utils.translation import gettext_lazy as _

from storefront.lib.phones import PhoneFormField
from storefront.lib.tokens import token_is_valid
from storefront.lib.vietnam import PROVINCES

from .choices import PaymentMethod
from .services.cart import CART_MAX_QUANTITY

QUANTITY_ERRORS = {
    "required": _("Hãy nhập số lượng."),
    "invalid": _("Số lượng phải là một số, ví dụ 2."),
    "min_value": _("Số lượng ít nhất là %(limit_value)s."),
    "max_value": _("Mỗi lần đặt tối đa %(limit_value)s cho một sản phẩm."),
}
TOO_LONG = _("Dài quá: tối đa %(limit_value)d ký tự, bạn đã nhập %(show_value)d. Hãy viết gọn lại.")
UNKNOWN_PRODUCT = _("Không rõ sản phẩm nào. Hãy thử lại từ trang sản phẩm.")
PRODUCT_ERRORS = dict.fromkeys(("required", "invalid", "min_value", "max_value"), UNKNOWN_PRODUCT)


class CheckoutTokenField(forms.CharField):
    """The hidden per-cart token. Anything but its exact shape (a NUL byte, a wrong length, a
    missing value) gets the same one message, and never reaches a database query."""

    widget = forms.HiddenInput

    def clean(self, value):
        token = self.to_python(value)
        if not token_is_valid(token):
            raise forms.ValidationError(
                _("Phiên đặt hàng không hợp lệ. Hãy tải lại trang rồi đặt lại."), code="invalid"
            )
        return token


def _product_field():
    return forms.IntegerField(min_value=1, max_value=2**62, error_messages=PRODUCT_ERRORS)


class CartAddForm(forms.Form):
    product_id = _product_field()
    quantity = forms.IntegerField(
        min_value=1, max_value=CART_MAX_QUANTITY, required=False, error_messages=QUANTITY_ERRORS
    )

    def clean_quantity(self):
        return self.cleaned_data["quantity"] or 1


class CartUpdateForm(forms.Form):
    product_id = _product_field()
    quantity = forms.IntegerField(min_value=0, max_value=CART_MAX_QUANTITY, error_messages=QUANTITY_ERRORS)


class CartRemoveForm(forms.Form):
    product_id = _product_field()


class CheckoutForm(forms.Form):
    """The buyer's details. Nothing here sets a price: totals come from the database."""

    full_name = forms.CharField(
        label=_("Họ và tên người nhận"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": _("Hãy nhập tên người nhận hàng."),
            "max_length": TOO_LONG,
        },
    )
    phone = PhoneFormField(
        label=_("Số điện thoại di động"),
        max_length=40,
        error_messages={
            "required": _("Hãy nhập số điện thoại để người giao hàng gọi cho bạn."),
            "max_length": _("Số điện thoại quá dài. Hãy nhập 10 số, ví dụ 0912 345 678."),
        },
    )
    email = forms.EmailField(
        label=_("Email (không bắt buộc)"),
        required=False,
        max_length=254,
        help_text=_("Để nhận thư báo khi gian hàng xác nhận và gửi hàng."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Email chưa đúng, ví dụ: ten@gmail.com. Có thể để trống."),
            "max_length": TOO_LONG,
        },
    )
    province = forms.ChoiceField(
        label=_("Tỉnh/thành phố"),
        choices=[("", _("— Chọn tỉnh/thành —"))] + PROVINCES,
        error_messages={
            "required": _("Hãy chọn tỉnh/thành phố."),
            "invalid_choice": _("Hãy chọn tỉnh/thành phố trong danh sách."),
        },
    )
    commune = forms.CharField(
        label=_("Xã/phường"),
        max_length=100,
        help_text=_("Ví dụ: phường Ba Đình"),
        error_messages={"required": _("Hãy nhập xã/phường."), "max_length": TOO_LONG},
    )
    street_address = forms.CharField(
        label=_("Số nhà, đường, thôn/bản"),
        max_length=200,
        # street-address is for a multi-line box; one line of number, street, hamlet is address-line1.
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
        error_messages={
            "required": _("Hãy nhập số nhà, tên đường hoặc thôn/bản."),
            "max_length": TOO_LONG,
        },
    )
    note = forms.CharField(
        label=_("Lời nhắn cho gian hàng (không bắt buộc)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ví dụ: gọi trước khi giao, giao giờ hành chính."),
        error_messages={"max_length": TOO_LONG},
    )
    payment_method = forms.ChoiceField(
        label=_("Cách thanh toán"),
        choices=PaymentMethod.choices,
        initial=PaymentMethod.COD,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Hãy chọn cách thanh toán."),
            "invalid_choice": _("Cách thanh toán này không dùng được cho giỏ hàng của bạn."),
        },
    )
    remember = forms.BooleanField(
        label=_("Nhớ tên, số điện thoại và địa chỉ trên máy này cho lần sau"),
        required=False,
        help_text=_("Chỉ nên chọn trên điện thoại của riêng bạn."),
    )
    checkout_token = CheckoutTokenField()

    def __init__(self, *args, bank_transfer_available: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not bank_transfer_available:
            self.fields["payment_method"].choices = [(PaymentMethod.COD.value, PaymentMethod.COD.label)]

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_commune(self):
        return " ".join(self.cleaned_data["commune"].split())

    def clean_street_address(self):
        return " ".join(self.cleaned_data["street_address"].split())


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Mã đơn hàng"),
        max_length=20,
        help_text=_("8 ký tự, ví dụ K7XM4PQA (có trong thư và trên trang đơn hàng)."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={"required": _("Hãy nhập mã đơn hàng.")},
    )
    phone = PhoneFormField(label=_("Số điện thoại đã dùng khi đặt hàng"), max_length=40)
