"""The buyer's review form and the stall's reply form. What is typed is kept as plain text (pages
escape it); markup and links are refused with a message, since a review is read by strangers."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from products import images
from products.forms import MultiplePhotoField, photo_error

from .models import MAX_PHOTOS, NAME_MAX_LENGTH, TEXT_MAX_LENGTH

STAR_CHOICES = [
    (5, _("5 sao: rất hài lòng")),
    (4, _("4 sao: hài lòng")),
    (3, _("3 sao: tạm được")),
    (2, _("2 sao: chưa hài lòng")),
    (1, _("1 sao: rất không hài lòng")),
]
# A tag (<b>, </script>, <img …>) but not "<3" or "a < b".
TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
LINK = re.compile(r"(https?://|www\.|\b[\w-]+\.(?:com|vn|net|org|info|xyz|top|io|me|ly|shop)\b)", re.I)
# Characters nobody types (control characters, NUL): PostgreSQL refuses NUL in text.
CONTROL = dict.fromkeys([c for c in range(32) if c not in (9, 10, 13)] + [127], None)


def _plain(value: str, *, what: str) -> str:
    value = value.translate(CONTROL).replace("\r\n", "\n").strip()
    if TAG.search(value):
        raise ValidationError(
            _("%(what)s không được chứa thẻ HTML (như <b> hay <a>). Hãy viết chữ thường.") % {"what": what},
            code="html",
        )
    if LINK.search(value):
        raise ValidationError(
            _("%(what)s không được chứa đường link hay tên trang web.") % {"what": what}, code="link"
        )
    return value


class ReviewForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Bạn chấm mấy sao?"),
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Hãy chọn số sao, từ 1 đến 5."),
            "invalid_choice": _("Hãy chọn số sao, từ 1 đến 5."),
        },
    )
    text = forms.CharField(
        label=_("Nhận xét (không bắt buộc)"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Tối đa 1.000 chữ. Ví dụ: chè thơm, đóng gói cẩn thận, giao nhanh."),
        error_messages={
            "max_length": _("Nhận xét dài tối đa %(limit_value)d ký tự (bạn đã viết %(show_value)d).")
        },
    )
    author_name = forms.CharField(
        label=_("Tên hiện cùng đánh giá"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Mặc định là tên và tỉnh của bạn. Bạn có thể đổi, ví dụ chỉ ghi tên."),
        error_messages={
            "required": _("Hãy ghi một tên để hiện cùng đánh giá, ví dụ: Lan, Hà Nội."),
            "max_length": _("Tên hiển thị dài tối đa %(limit_value)d ký tự (bạn đã viết %(show_value)d)."),
        },
    )
    photos = MultiplePhotoField(
        label=_("Thêm ảnh (không bắt buộc)"),
        help_text=_("Tối đa 3 ảnh. Vị trí chụp và mọi thông tin ẩn trong ảnh được xoá trước khi đăng."),
    )
    remove_photos = forms.TypedMultipleChoiceField(
        label=_("Bỏ ảnh đã đăng"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, existing_photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_photos = list(existing_photos)
        self.fields["remove_photos"].choices = [(photo.pk, photo.pk) for photo in self.existing_photos]
        self.valid_uploads = []

    def clean_text(self):
        return _plain(self.cleaned_data["text"], what=_("Nhận xét"))

    def clean_author_name(self):
        name = " ".join(_plain(self.cleaned_data["author_name"], what=_("Tên hiển thị")).split())
        if not name:
            raise ValidationError(self.fields["author_name"].error_messages["required"], code="required")
        return name

    def clean_photos(self):
        problems = []
        for upload in self.cleaned_data["photos"]:
            try:
                images.validate_upload(upload)
            except ValidationError as error:
                problems.append(photo_error(upload, error))
            else:
                self.valid_uploads.append(upload)
        if problems:
            raise ValidationError(problems)
        return self.cleaned_data["photos"]

    def clean(self):
        cleaned = super().clean()
        kept = len(self.existing_photos) - len(cleaned.get("remove_photos") or [])
        if kept + len(self.valid_uploads) > MAX_PHOTOS:
            self.add_error(
                "photos",
                _("Mỗi đánh giá có tối đa %(max)s ảnh. Hãy chọn bớt, hoặc bỏ một ảnh đã đăng.")
                % {"max": MAX_PHOTOS},
            )
        return cleaned


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Trả lời công khai"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ai xem sản phẩm cũng đọc được. Để trống rồi lưu để bỏ câu trả lời."),
        error_messages={
            "max_length": _("Câu trả lời dài tối đa %(limit_value)d ký tự (bạn đã viết %(show_value)d).")
        },
    )

    def clean_reply(self):
        return _plain(self.cleaned_data["reply"], what=_("Câu trả lời"))
