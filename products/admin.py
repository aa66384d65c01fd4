from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from storefront.lib.admin_tools import FoldedSearchMixin, thumbnail
from storefront.lib.catalogue_cache import catalogue_changed_now_and_at_commit
from storefront.lib.money import vnd
from storefront.lib.renditions import Renditions

from . import images, services
from .forms import STOCK_HELP, EnglishUnitFollowsUnitMixin, StockShownField
from .models import Category, Cooperative, Membership, PostMade, Product, ProductImage, QrVisit


class ThumbnailMedia:
    css = {"all": ["css/admin.css"]}


class PhotoCheckForm(forms.ModelForm):
    """Checks new photos the way saving will, so a corrupt file or a bomb gets a message, not a 500.

    Django's ImageField only verifies the header; a truncated JPEG passes it and fails on decode.
    """

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, UploadedFile):
                try:
                    images.validate_upload(value)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Cooperative)
class CooperativeAdmin(FoldedSearchMixin, admin.ModelAdmin):
    Media = ThumbnailMedia
    form = PhotoCheckForm
    # No creation date: written out in full it took 245 px and pushed the list past a laptop
    # screen; the "đã xác minh" filter finds the new stalls.
    list_display = [
        "logo_thumb",
        "name",
        "province",
        "ethnic_groups",
        "is_verified",
        "product_count",
    ]
    list_display_links = ["logo_thumb", "name"]
    list_filter = ["is_verified", "province", "bank_bin"]
    search_fields = ["name", "name_en", "slug", "commune", "ethnic_groups", "phone", "email"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
    actions = ["verify", "unverify"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "story", "is_verified"]}),
        (_("Nơi làm"), {"fields": ["province", "commune", "ethnic_groups"]}),
        (_("Liên hệ"), {"fields": ["phone", "email"]}),
        (_("Ảnh"), {"fields": ["logo", "cover"]}),
        (_("Chuyển khoản (VietQR)"), {"fields": ["bank_bin", "bank_account_number", "bank_account_name"]}),
        (
            _("Giao hàng"),
            {"fields": ["shipping_fee", "free_shipping_threshold", "return_days", "return_policy"]},
        ),
        (_("Phí chợ"), {"fields": ["market_fee_rate"]}),
        (
            _("Tiếng Anh"),
            {"fields": ["name_en", "summary_en", "story_en", "return_policy_en"], "classes": ["collapse"]},
        ),
    ]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(num_products=Count("products"))

    @admin.display(description=_("logo"))
    def logo_thumb(self, obj):
        return thumbnail(obj.logo_photo, 40)

    @admin.display(description=_("số sản phẩm"), ordering="num_products")
    def product_count(self, obj):
        return obj.num_products

    @admin.action(description=_("Xác minh các hợp tác xã đã chọn"))
    def verify(self, request, queryset):
        updated = queryset.update(is_verified=True)
        catalogue_changed_now_and_at_commit()
        self.message_user(
            request,
            ngettext("Đã xác minh %d hợp tác xã.", "Đã xác minh %d hợp tác xã.", updated) % updated,
            messages.SUCCESS,
        )

    @admin.action(description=_("Bỏ xác minh (ẩn khỏi chợ)"))
    def unverify(self, request, queryset):
        updated = queryset.update(is_verified=False)
        catalogue_changed_now_and_at_commit()
        self.message_user(
            request,
            ngettext("Đã ẩn %d hợp tác xã khỏi chợ.", "Đã ẩn %d hợp tác xã khỏi chợ.", updated) % updated,
            messages.WARNING,
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "cooperative", "role", "created_at"]
    list_filter = ["role", "cooperative"]
    search_fields = ["user__username", "user__email", "cooperative__name"]
    autocomplete_fields = ["user", "cooperative"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    form = PhotoCheckForm
    extra = 1
    fields = ["thumb", "image", "alt_text", "position"]
    readonly_fields = ["thumb"]

    @admin.display(description=_("xem trước"))
    def thumb(self, obj):
        return thumbnail(obj.photo, 64)


class ProductAdminForm(EnglishUnitFollowsUnitMixin, forms.ModelForm):
    # The stock the page was drawn with: a save changes the stock by what the admin changed, so
    # units sold while the page was open are not put back on sale.
    stock_shown = StockShownField()

    class Meta:
        model = Product
        # The admin builds the form with its fieldsets' fields; these are the ones read here.
        fields = ["unit", "unit_en", "stock"]
        help_texts = {"stock": STOCK_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["stock_shown"] = self.instance.stock


@admin.register(Product)
class ProductAdmin(FoldedSearchMixin, admin.ModelAdmin):
    Media = ThumbnailMedia
    form = ProductAdminForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.ProductGone:
            self.message_user(request, _("Sản phẩm này vừa bị xoá nên chưa lưu được gì."), messages.WARNING)
            return HttpResponseRedirect(reverse("admin:products_product_changelist"))

    def save_model(self, request, obj, form, change):
        model_fields = {field.name for field in Product._meta.concrete_fields}
        saved = services.product_save(
            product=obj,
            cooperative=obj.cooperative,
            fields=[name for name in form.fields if name in model_fields],
            stock_shown=form.cleaned_data.get("stock_shown") if change else None,
            stock_typed=form.cleaned_data["stock"],
        )
        if saved.stock_moved:
            self.message_user(request, saved.stock_moved_message, messages.INFO)
        if form.unit_en_cleared:
            self.message_user(
                request,
                _(
                    "Bạn đã đổi đơn vị bán nên đơn vị tiếng Anh cũ đã được xoá. "
                    "Hãy nhập đơn vị mới bằng tiếng Anh trong phần Tiếng Anh nếu muốn."
                ),
                messages.WARNING,
            )

    # What curating needs at a glance; category, featured, OCOP, archive and date are in the filters:
    # more columns made the list wider than a laptop screen.
    list_display = ["thumb", "name", "cooperative", "price_vnd", "stock_left", "is_published"]
    list_display_links = ["thumb", "name"]
    list_filter = [
        "is_published",
        "is_featured",
        "is_archived",
        "category",
        "cooperative__is_verified",
        "origin_province",
        "ocop_stars",
        "cooperative",
    ]
    list_select_related = ["cooperative", "category"]
    search_fields = ["name", "name_en", "slug", "cooperative__name", "ethnic_group"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["cooperative"]
    inlines = [ProductImageInline]
    date_hierarchy = "created_at"
    actions = ["publish", "unpublish", "feature", "unfeature"]
    fieldsets = [
        (None, {"fields": ["cooperative", "category", "name", "slug", "summary", "story"]}),
        (_("Giá và kho"), {"fields": ["price", "unit", "stock", "stock_shown"]}),
        (_("Xuất xứ"), {"fields": ["origin_province", "origin_commune", "ethnic_group", "ocop_stars"]}),
        (_("Hiển thị"), {"fields": ["is_published", "is_featured", "is_archived"]}),
        (
            _("Tiếng Anh"),
            {"fields": ["name_en", "summary_en", "story_en", "unit_en"], "classes": ["collapse"]},
        ),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The photo rows were saved by the inline: number them 0, 1, 2… as the dashboard does.
        services.product_photos_renumber(product=form.instance)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("images")

    @admin.display(description=_("ảnh"))
    def thumb(self, obj):
        images = list(obj.images.all())
        return thumbnail(images[0].photo if images else Renditions(), 40)

    @admin.display(description=_("Giá"), ordering="price")
    def price_vnd(self, obj):
        return vnd(obj.price)

    # The field's own label, "còn trong kho", was the widest header of the list.
    @admin.display(description=_("Kho"), ordering="stock")
    def stock_left(self, obj):
        return obj.stock

    def _bulk(self, request, queryset, message, **changes):
        updated = queryset.update(**changes)
        catalogue_changed_now_and_at_commit()
        self.message_user(request, message % {"count": updated}, messages.SUCCESS)

    @admin.action(description=_("Đăng bán các sản phẩm đã chọn"))
    def publish(self, request, queryset):
        self._bulk(request, queryset, _("Đã đăng bán %(count)d sản phẩm."), is_published=True)

    @admin.action(description=_("Ngừng bán các sản phẩm đã chọn"))
    def unpublish(self, request, queryset):
        self._bulk(request, queryset, _("Đã ngừng bán %(count)d sản phẩm."), is_published=False)

    @admin.action(description=_("Đưa lên trang chủ (nổi bật)"))
    def feature(self, request, queryset):
        self._bulk(request, queryset, _("Đã đưa %(count)d sản phẩm lên mục nổi bật."), is_featured=True)

    @admin.action(description=_("Bỏ khỏi mục nổi bật"))
    def unfeature(self, request, queryset):
        self._bulk(request, queryset, _("Đã bỏ %(count)d sản phẩm khỏi mục nổi bật."), is_featured=False)


@admin.register(ProductImage)
class ProductImageAdmin(admin.ModelAdmin):
    Media = ThumbnailMedia
    form = PhotoCheckForm
    list_display = ["thumb", "product", "alt_text", "position"]
    list_select_related = ["product"]
    search_fields = ["product__name", "alt_text"]
    autocomplete_fields = ["product"]

    @admin.display(description=_("ảnh"))
    def thumb(self, obj):
        return thumbnail(obj.photo, 48)


@admin.register(QrVisit)
class QrVisitAdmin(admin.ModelAdmin):
    """Read-only: the rows are written only by visits from posters."""

    list_display = ["day", "cooperative", "product", "count"]
    list_filter = ["day", "cooperative"]
    list_select_related = ["cooperative", "product"]
    date_hierarchy = "day"
    search_fields = ["cooperative__name", "product__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PostMade)
class PostMadeAdmin(admin.ModelAdmin):
    """Read-only: the rows are written only by the post kit's download and share buttons."""

    list_display = ["created_at", "cooperative", "product", "channel", "shape"]
    list_filter = ["channel", "shape", "created_at", "cooperative"]
    list_select_related = ["cooperative", "product"]
    date_hierarchy = "created_at"
    search_fields = ["cooperative__name", "product__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
