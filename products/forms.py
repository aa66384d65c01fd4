"""Forms of the producer dashboard: forgiving input, plain Vietnamese help with examples."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from storefront.lib.money import MoneyField, MoneyInput
from storefront.lib.phones import PhoneFormField
from storefront.lib.text import ascii_fold
from storefront.lib.tokens import token_is_valid, token_new

from . import images, services, uploads
from .models import Category, Cooperative, Membership, PostMade, Product, ProductImage
from .services import MAX_PHOTOS_PER_PRODUCT

# Above this a price is a typo (an extra zero or two), and it keeps every order total far from
# what an integer column holds.
PRODUCT_MAX_PRICE = 100_000_000
PRICE_TOO_HIGH = _("Giá tối đa là 100.000.000 đ cho một đơn vị bán. Hãy kiểm tra lại số chữ số 0.")

# More than anyone sells through one listing; PostgreSQL refuses anything past 2,147,483,647.
STOCK_MAX = 1_000_000
STOCK_TOO_HIGH = _("Kho tối đa là 1.000.000. Hãy kiểm tra lại số bạn nhập.")

# One plain sentence: what happens when an order arrives while the form is open is the
# service's business (services.product_stock_change), and it says so after the save.
STOCK_HELP = _("Số lượng bạn còn để bán, ví dụ 20; hết hàng thì nhập 0.")

# Django's own words ("Trường này là bắt buộc.", "Đảm bảo giá trị này lớn hơn hoặc bằng với 0")
# do not say which box or what to type: these do.
PRICE_ERRORS = {
    "required": _("Hãy nhập giá bán, ví dụ 250000."),
    "min_value": _("Giá bán không thể âm."),
    "max_value": PRICE_TOO_HIGH,
}
STOCK_ERRORS = {
    "required": _("Hãy nhập số lượng trong kho, ví dụ 20. Hết hàng thì nhập 0."),
    "invalid": _("Số lượng trong kho là một số nguyên, ví dụ 20."),
    "min_value": _("Số lượng trong kho không thể âm."),
    "max_value": STOCK_TOO_HIGH,
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos from one file input; each checked on its own so good ones are kept.

    Returns the list of files as sent; the form splits them into valid uploads and messages.
    """

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"
        # Hidden under its label, which shows as a button in the page's words, not the browser's.
        attrs["class"] = "photo-input"
        return attrs

    def to_python(self, data):
        return data

    def clean(self, data, initial=None):
        if not data:
            return []
        return list(data) if isinstance(data, list | tuple) else [data]


def photo_error(upload, error: ValidationError) -> str:
    return _("%(name)s: %(message)s") % {"name": upload.name or _("ảnh"), "message": " ".join(error.messages)}


class StockShownField(forms.IntegerField):
    """The stock the form was drawn with, sent back hidden so a save can apply only the change."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=0, **kwargs)


class EnglishUnitFollowsUnitMixin:
    """For every product form (dashboard and admin): a new Vietnamese unit (another size) under
    the old English one would tell English buyers the wrong quantity for the price, so unless the
    English unit is edited too it goes and English pages show the Vietnamese one."""

    unit_en_cleared = False

    def clean_unit_en(self):
        if "unit" in self.changed_data and "unit_en" not in self.changed_data:
            self.unit_en_cleared = bool(self.initial.get("unit_en"))
            return ""
        return self.cleaned_data["unit_en"]


class ProductForm(EnglishUnitFollowsUnitMixin, forms.ModelForm):
    """The dashboard's add/edit form. It validates; services.product_save saves."""

    stock_shown = StockShownField()
    # One per form as it is drawn: the same form sent twice is saved once (services.product_save).
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    price = MoneyField(
        label=_("Giá (đồng)"),
        widget=MoneyInput,
        max_value=PRODUCT_MAX_PRICE,
        error_messages=PRICE_ERRORS,
        help_text=_("Giá cho một đơn vị bán. Ví dụ: 250000 hoặc 250.000"),
    )

    class Meta:
        model = Product
        fields = [
            "name",
            "category",
            "price",
            "unit",
            "stock",
            "is_published",
            "summary",
            "story",
            "origin_province",
            "origin_commune",
            "ethnic_group",
            "ocop_stars",
            "name_en",
            "summary_en",
            "story_en",
            "unit_en",
        ]
        labels = {"is_published": _("Đang bán trên chợ")}
        error_messages = {
            "name": {"required": _("Hãy nhập tên sản phẩm, ví dụ Chè Shan tuyết cổ thụ.")},
            "category": {
                "required": _("Hãy chọn danh mục."),
                "invalid_choice": _("Hãy chọn danh mục trong danh sách."),
            },
            "unit": {"required": _("Hãy nhập đơn vị bán, ví dụ hộp 200 g.")},
            "stock": STOCK_ERRORS,
            "origin_province": {
                "required": _("Hãy chọn tỉnh/thành xuất xứ."),
                "invalid_choice": _("Hãy chọn tỉnh/thành xuất xứ trong danh sách."),
            },
        }
        help_texts = {
            "stock": STOCK_HELP,
            "is_published": _("Bỏ chọn để tạm ẩn sản phẩm khỏi chợ."),
            "summary": _("Một câu hiện dưới tên. Ví dụ: Chè búp hái tay từ cây cổ thụ trên 100 năm."),
            "origin_commune": _("Ví dụ: xã Lũng Phìn"),
            "ocop_stars": _("Để trống nếu sản phẩm chưa có chứng nhận OCOP."),
            "name_en": _("Không bắt buộc. Ví dụ: Ancient Shan tuyet tea"),
            "unit_en": _(
                "Ví dụ: pack 200 g, bottle 500 ml, piece. Tự xoá khi bạn đổi đơn vị bán mà không sửa ô này."
            ),
        }
        widgets = {
            "story": forms.Textarea(attrs={"rows": 5}),
            "story_en": forms.Textarea(attrs={"rows": 4}),
            "stock": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, cooperative: Cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.cooperative = cooperative
        self.fields["category"].queryset = Category.objects.order_by("position", "name")
        self.fields["category"].empty_label = _("— Chọn danh mục —")
        self.fields["ocop_stars"].choices = [("", _("Không có")), *Product.Ocop.choices]
        self.fields["origin_province"].choices = [
            ("", _("— Chọn tỉnh/thành —")),
            *self.fields["origin_province"].choices[1:],
        ]
        stock = self.fields["stock"]
        stock.max_value = STOCK_MAX
        # One clear limit instead of the database's own (2,147,483,647 on PostgreSQL, none on SQLite).
        stock.validators = [v for v in stock.validators if not isinstance(v, MaxValueValidator)]
        stock.validators.append(MaxValueValidator(STOCK_MAX, message=STOCK_TOO_HIGH))
        self.initial.setdefault("form_token", token_new())
        if self.instance.pk:
            self.initial["stock_shown"] = self.instance.stock
        else:
            self.initial.setdefault("origin_province", cooperative.province)
            self.initial.setdefault("origin_commune", cooperative.commune)
            self.initial.setdefault("ethnic_group", cooperative.ethnic_groups)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_return_policy(self):
        return " ".join(self.cleaned_data.get("return_policy", "").split())

    def clean_return_policy_en(self):
        return " ".join(self.cleaned_data.get("return_policy_en", "").split())

    def clean_form_token(self):
        # A missing or malformed token only makes the submit count as new.
        token = self.cleaned_data.get("form_token", "")
        return token if token_is_valid(token) else ""


class PhotoUploadForm(forms.Form):
    """New photos for a product, plus the ones kept from an earlier submit that had an error."""

    photos = MultiplePhotoField(
        label=_("Chụp ảnh / Chọn ảnh"),
        help_text=_("Chọn một hoặc nhiều ảnh (JPEG, PNG, WebP, HEIC). Ảnh đầu tiên là ảnh chính."),
    )

    def __init__(self, *args, existing: int = 0, attached: frozenset[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = existing
        # Fingerprints of the photos the product has: the same file sent again (a form submitted
        # twice after a lost reply) is already there and takes no room.
        self.attached = set(attached)
        self.valid_uploads = []

    def clean_photos(self):
        files = self.cleaned_data["photos"]
        problems = []
        for upload in files:
            try:
                images.validate_upload(upload)
            except ValidationError as error:
                problems.append(photo_error(upload, error))
                continue
            digest = uploads.upload_digest(upload)
            if digest not in self.attached:
                self.attached.add(digest)
                self.valid_uploads.append(upload)
        room = max(0, MAX_PHOTOS_PER_PRODUCT - self.existing)
        if len(self.valid_uploads) > room:
            problems.append(
                _("Mỗi sản phẩm có tối đa %(max)s ảnh: %(extra)s ảnh cuối chưa được thêm.")
                % {"max": MAX_PHOTOS_PER_PRODUCT, "extra": len(self.valid_uploads) - room}
            )
            self.valid_uploads = self.valid_uploads[:room]
        if problems:
            raise ValidationError(problems)
        return files


class OnePhotoForm(forms.Form):
    """One photo sent by itself as soon as it is chosen (the form page's script), checked by the
    same rules as the photos of the whole form."""

    photo = forms.FileField(
        error_messages={
            "required": _("Hãy chọn một ảnh."),
            "missing": _("Hãy chọn một ảnh."),
            "invalid": _("Hãy chọn một ảnh."),
            "empty": _("Tệp ảnh trống. Hãy chọn ảnh khác."),
        }
    )

    def clean_photo(self):
        upload = self.cleaned_data["photo"]
        # The page shows the message beside the photo's own name, so it does not repeat it.
        images.validate_upload(upload)
        return upload

    def error_text(self) -> str:
        return " ".join(self.errors.get("photo") or self.non_field_errors())


class PhotoEditForm(forms.ModelForm):
    """One existing photo: its description, its place in the order, or its removal."""

    order = forms.IntegerField(
        label=_("Thứ tự"), min_value=1, max_value=99, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )

    class Meta:
        model = ProductImage
        fields = ["alt_text"]
        labels = {"alt_text": _("Mô tả ảnh")}
        help_texts = {"alt_text": _("Ví dụ: Búp chè phơi trên nong tre")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Positions set elsewhere (the admin) may pass 99: the form must still be savable.
            self.initial.setdefault("order", min(self.instance.position + 1, 99))


class ExistingPhotosFormSet(forms.BaseModelFormSet):
    """Rows for the product's existing photos only: new photos come through PhotoUploadForm.

    A hand-made POST claiming more rows than the photos it was drawn with gets those rows
    ignored, not validated (edit_only alone would still complain about a row nobody sees). A row
    whose photo is gone (removed by another submit of the same form a moment earlier) is ignored
    too: there is nothing left to describe or remove.
    """

    def total_form_count(self):
        if self.is_bound:
            return min(super().total_form_count(), self.initial_form_count())
        return super().total_form_count()

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.is_bound and i < self.initial_form_count() and form.instance.pk is None:
            form.empty_permitted = True
            form.has_changed = lambda: False
        return form

    def photo_edits(self) -> list[services.PhotoEdit]:
        """What the rows say, for services.product_save (call after is_valid)."""
        deleted = set(map(id, self.deleted_forms))
        edits = []
        for form in self.initial_forms:
            if form.instance.pk is None:
                continue
            if id(form) in deleted:
                edits.append(services.PhotoEdit(form.instance.pk, alt_text="", position=0, delete=True))
            else:
                edits.append(
                    services.PhotoEdit(
                        image_id=form.instance.pk,
                        alt_text=form.cleaned_data["alt_text"],
                        position=form.cleaned_data["order"] - 1,
                    )
                )
        return edits


# edit_only: a hand-made extra row must never become a ProductImage without a file or a product.
PhotoFormSet = forms.modelformset_factory(
    ProductImage,
    form=PhotoEditForm,
    formset=ExistingPhotosFormSet,
    extra=0,
    can_delete=True,
    max_num=50,
    validate_max=False,
    edit_only=True,
)


class ProductPageForms:
    """The add/edit page's forms bound together: the product, its photo rows and new photos.

    Valid new photos become pending uploads at once (products.uploads), so an error anywhere in
    the form never makes the producer pick and send them again; the pending ones come back with
    the next submit as signed tokens.
    """

    def __init__(
        self, *, product: Product | None, cooperative: Cooperative, user_id: int, data=None, files=None
    ):
        photos = product.images.order_by("position", "id") if product else ProductImage.objects.none()
        self.form = ProductForm(data, instance=product, cooperative=cooperative)
        self.formset = PhotoFormSet(data, queryset=photos, prefix="photo")
        self.photo_form = PhotoUploadForm()
        self.pending: list[uploads.PendingPhoto] = []
        # Kept photos the producer chose to drop: services.product_save deletes them.
        self.dropped: list[uploads.PendingPhoto] = []
        self.valid = False
        if data is None:
            return
        self.pending, self.dropped = _pending_from(data, user_id=user_id, cooperative_id=cooperative.pk)
        formset_valid = self.formset.is_valid()
        kept = len(photos) - (len(self.formset.deleted_forms) if formset_valid else 0)
        attached = frozenset(photo.upload_digest for photo in photos if photo.upload_digest)
        new = [photo for photo in self.pending if photo.digest not in attached]
        self.photo_form = PhotoUploadForm(
            data, files, existing=kept + len(new), attached=attached | {p.digest for p in self.pending}
        )
        photos_valid = self.photo_form.is_valid()
        self.pending += [
            uploads.pending_save(upload, user_id=user_id, cooperative_id=cooperative.pk)
            for upload in self.photo_form.valid_uploads
        ]
        self.valid = self.form.is_valid() and formset_valid and photos_valid

    def saved_as(self) -> dict:
        """What services.product_save needs from these forms (after `valid`), but the cooperative."""
        cleaned = self.form.cleaned_data
        return {
            "product": self.form.instance,
            "fields": self.form._meta.fields,
            "stock_shown": cleaned["stock_shown"],
            "stock_typed": cleaned["stock"],
            "photo_edits": self.formset.photo_edits(),
            "new_photos": self.pending,
            "dropped_photos": self.dropped,
            "form_token": cleaned["form_token"],
        }

    def context(self) -> dict:
        return {
            "form": self.form,
            "formset": self.formset,
            "photo_form": self.photo_form,
            "pending": self.pending,
        }


def _pending_from(data, *, user_id: int, cooperative_id: int) -> tuple[list, list]:
    """The photos kept from the previous submit: those to attach, and those the producer dropped."""
    dropped = set(data.getlist("pending_remove"))
    kept, removed = [], []
    # Twice the room: what does not fit is told as left out (and its file removed) by the save,
    # while a made-up list of thousands of tokens costs no more than this.
    for token in data.getlist("pending")[: 2 * MAX_PHOTOS_PER_PRODUCT]:
        photo = uploads.pending_load(token, user_id=user_id, cooperative_id=cooperative_id)
        if photo is not None:
            (removed if token in dropped else kept).append(photo)
    return kept, removed


class QuickUpdateForm(forms.Form):
    """The small form on each row of the listing: price, stock, on sale or not."""

    price = MoneyField(
        label=_("Giá"),
        widget=MoneyInput,
        max_value=PRODUCT_MAX_PRICE,
        error_messages=PRICE_ERRORS,
    )
    stock = forms.IntegerField(
        label=_("Kho"),
        min_value=0,
        max_value=STOCK_MAX,
        error_messages=STOCK_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )
    is_published = forms.BooleanField(label=_("Đang bán"), required=False)
    stock_shown = StockShownField()

    @classmethod
    def for_product(cls, product: Product) -> "QuickUpdateForm":
        """The row's form as the product stands now."""
        initial = {
            "price": product.price,
            "stock": product.stock,
            "stock_shown": product.stock,
            "is_published": product.is_published,
        }
        return cls(initial=initial, prefix=f"p{product.pk}")


BANK_NUMBER_NOISE = re.compile(r"[\s.\-]")
ACCOUNT_NAME = re.compile(r"[A-Z ]+")


class CooperativeProfileForm(forms.ModelForm):
    """What the owner tells buyers about the cooperative, and how buyers pay and are charged."""

    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=_("Ảnh vuông, ví dụ biểu tượng hoặc ảnh nhóm làm."),
    )
    cover = forms.FileField(
        label=_("Ảnh bìa"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=_("Ảnh ngang, ví dụ đồi chè hay xưởng làm. Nên rộng gấp 3 lần cao."),
    )
    phone = PhoneFormField(
        label=_("Điện thoại"),
        required=False,
        help_text=_("Số di động để người mua gọi hoặc nhắn Zalo, ví dụ 0912 345 678."),
    )
    shipping_fee = MoneyField(
        label=_("Phí giao hàng (đồng)"),
        widget=MoneyInput,
        max_value=5_000_000,
        error_messages={
            "required": _("Hãy nhập phí giao hàng, ví dụ 30000. Giao miễn phí thì nhập 0."),
            "max_value": _("Phí giao hàng tối đa là 5.000.000 đ. Hãy kiểm tra lại số chữ số 0."),
        },
        help_text=_("Một mức phí cho mỗi đơn. Ví dụ: 30000"),
    )
    free_shipping_threshold = MoneyField(
        label=_("Miễn phí giao hàng cho đơn từ (đồng)"),
        widget=MoneyInput,
        required=False,
        help_text=_("Ví dụ: 500000. Để trống nếu không miễn phí giao hàng."),
    )

    class Meta:
        model = Cooperative
        fields = [
            "name",
            "summary",
            "story",
            "logo",
            "cover",
            "phone",
            "email",
            "province",
            "commune",
            "ethnic_groups",
            "bank_bin",
            "bank_account_number",
            "bank_account_name",
            "shipping_fee",
            "free_shipping_threshold",
            "return_days",
            "return_policy",
            "name_en",
            "summary_en",
            "story_en",
            "return_policy_en",
        ]
        help_texts = {
            "story": _("Hợp tác xã ra đời thế nào, ai làm, làm ở đâu. Vài đoạn ngắn là đủ."),
            "name_en": _("Không bắt buộc. Ví dụ: Lung Phin Shan tuyet tea cooperative"),
            "bank_account_number": _("Chỉ gồm chữ số, 6 đến 19 số. Ví dụ: 0011001234567"),
            "bank_account_name": _("Như in trên thẻ, viết hoa không dấu. Ví dụ: HTX CHE SHAN TUYET"),
            "email": _("Ví dụ: htx.lungphin@gmail.com"),
        }
        error_messages = {
            "return_days": {
                "invalid": _("Số ngày đổi trả là một số, ví dụ 7. Không nhận đổi trả thì ghi 0."),
                "min_value": _("Số ngày đổi trả là một số, ví dụ 7. Không nhận đổi trả thì ghi 0."),
                "max_value": _("Tối đa %(limit_value)s ngày. Hãy kiểm tra lại số đã nhập."),
            },
        }
        widgets = {
            "return_policy": forms.Textarea(attrs={"rows": 2}),
            "return_policy_en": forms.Textarea(attrs={"rows": 2}),
            "return_days": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "story": forms.Textarea(attrs={"rows": 6}),
            "story_en": forms.Textarea(attrs={"rows": 4}),
            "bank_account_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_bin"].choices = [
            ("", _("— Chọn ngân hàng —")),
            *self.fields["bank_bin"].choices[1:],
        ]

    def _clean_photo(self, name: str):
        upload = self.cleaned_data.get(name)
        if upload and hasattr(upload, "content_type"):
            images.validate_upload(upload)
        return upload

    def clean_logo(self):
        return self._clean_photo("logo")

    def clean_cover(self):
        return self._clean_photo("cover")

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_return_policy(self):
        return " ".join(self.cleaned_data.get("return_policy", "").split())

    def clean_return_policy_en(self):
        return " ".join(self.cleaned_data.get("return_policy_en", "").split())

    def clean_bank_account_number(self):
        number = BANK_NUMBER_NOISE.sub("", self.cleaned_data.get("bank_account_number", ""))
        if number and not (number.isascii() and number.isdigit() and 6 <= len(number) <= 19):
            raise ValidationError(_("Số tài khoản chỉ gồm chữ số, từ 6 đến 19 số."), code="invalid")
        return number

    def clean_bank_account_name(self):
        name = " ".join(ascii_fold(self.cleaned_data.get("bank_account_name", "")).upper().split())
        if name and not ACCOUNT_NAME.fullmatch(name):
            raise ValidationError(
                _("Tên chủ tài khoản chỉ gồm chữ cái và dấu cách, ví dụ HTX CHE SHAN TUYET."), code="invalid"
            )
        return name

    def clean(self):
        cleaned = super().clean()
        bank = [cleaned.get(f) for f in ("bank_bin", "bank_account_number", "bank_account_name")]
        if any(bank) and not all(bank):
            raise ValidationError(
                _("Để nhận chuyển khoản, hãy điền đủ ngân hàng, số tài khoản và tên chủ tài khoản."),
                code="bank_incomplete",
            )
        return cleaned


class MembershipAddForm(forms.Form):
    """Add someone who already has an account, found by user name or email."""

    identifier = forms.CharField(
        label=_("Tên đăng nhập hoặc email"),
        max_length=150,
        help_text=_("Người đó cần có tài khoản trước. Ví dụ: hoa.lungphin hoặc hoa@gmail.com"),
    )
    role = forms.ChoiceField(
        label=_("Vai trò"),
        choices=[
            (Membership.Role.MEMBER, _("Thành viên: sản phẩm và đơn hàng")),
            (Membership.Role.HELPER, _("Người hỗ trợ: chỉ sản phẩm")),
        ],
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
    )

    def clean_identifier(self):
        identifier = self.cleaned_data["identifier"].strip()
        User = get_user_model()
        users = list(User.objects.filter(username__iexact=identifier, is_active=True)[:2])
        if not users and "@" in identifier:
            users = list(User.objects.filter(email__iexact=identifier, is_active=True)[:2])
        if not users:
            raise ValidationError(
                _("Không tìm thấy tài khoản này. Nhờ quản trị chợ tạo tài khoản trước."), code="not_found"
            )
        if len(users) > 1:
            raise ValidationError(
                _("Có nhiều tài khoản dùng email này. Hãy nhập tên đăng nhập."), code="ambiguous"
            )
        self.user = users[0]
        return identifier


class PostMadeForm(forms.Form):
    """A tap on the post kit's download or share button, named by its one-time token."""

    token = forms.CharField(max_length=64)
    shape = forms.ChoiceField(choices=PostMade.Shape.choices)
    channel = forms.ChoiceField(choices=PostMade.Channel.choices)

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not token_is_valid(token):
            raise ValidationError(_("Mã lượt bấm không đúng."), code="invalid")
        return token
