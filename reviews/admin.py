"""Reviews in the admin: the market reads them, hides one with a reason (an action, or the review's
own page) or shows it again; every change goes through reviews.services, so the averages follow."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from storefront.lib.admin_tools import thumbnail

from . import services
from .models import Review, ReviewPhoto


class HideActionForm(ActionForm):
    """The reason beside the action menu: "Ẩn đánh giá" needs one."""

    reason = forms.CharField(label=_("Lý do ẩn"), required=False, max_length=300)


class ReviewAdminForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["is_hidden", "hidden_reason"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_hidden") and not " ".join(cleaned.get("hidden_reason", "").split()):
            self.add_error("hidden_reason", _("Hãy ghi lý do ẩn, ví dụ: quảng cáo, lời lẽ xúc phạm."))
        return cleaned


class ReviewPhotoInline(admin.TabularInline):
    model = ReviewPhoto
    extra = 0
    fields = ["thumb", "position"]
    readonly_fields = ["thumb", "position"]
    can_delete = False

    @admin.display(description=_("ảnh"))
    def thumb(self, obj):
        return thumbnail(obj.photo, 96)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    form = ReviewAdminForm
    action_form = HideActionForm
    actions = ["hide", "show"]
    list_display = [
        "product",
        "stars",
        "author_name",
        "cooperative",
        "created_at",
        "is_hidden",
        "hidden_reason",
    ]
    list_filter = ["is_hidden", "stars", "cooperative"]
    search_fields = [
        "author_name",
        "text",
        "reply",
        "product__name",
        "order_item__cooperative_order__order__code",
    ]
    list_select_related = ["product", "cooperative"]
    date_hierarchy = "created_at"
    inlines = [ReviewPhotoInline]
    readonly_fields = [
        "product",
        "cooperative",
        "order_code",
        "stars",
        "author_name",
        "text",
        "reply",
        "replied_at",
        "created_at",
        "edited_at",
    ]
    fieldsets = [
        (None, {"fields": ["product", "cooperative", "order_code", "stars", "author_name", "text"]}),
        (_("Trả lời của gian hàng"), {"fields": ["reply", "replied_at"]}),
        (_("Kiểm duyệt"), {"fields": ["is_hidden", "hidden_reason"]}),
        (_("Thời gian"), {"fields": ["created_at", "edited_at"]}),
    ]

    @admin.display(description=_("mã đơn"))
    def order_code(self, obj):
        return obj.order_item.cooperative_order.order.code

    def has_add_permission(self, request):
        # Only a buyer with a delivered line writes a review, from their order page.
        return False

    def save_model(self, request, obj, form, change):
        if obj.is_hidden:
            services.review_hide(review=obj, reason=obj.hidden_reason)
        else:
            services.review_show(review=obj)

    def delete_model(self, request, obj):
        services.review_delete(review=obj)

    def delete_queryset(self, request, queryset):
        for review in queryset:
            services.review_delete(review=review)

    @admin.action(description=_("Ẩn đánh giá (điền lý do bên cạnh)"))
    def hide(self, request, queryset):
        reason = " ".join(request.POST.get("reason", "").split())
        if not reason:
            self.message_user(request, _("Hãy điền lý do ẩn bên cạnh danh sách thao tác."), messages.ERROR)
            return
        for review in queryset:
            services.review_hide(review=review, reason=reason)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("Đã ẩn %(n)d đánh giá.", "Đã ẩn %(n)d đánh giá.", count) % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Hiện lại đánh giá"))
    def show(self, request, queryset):
        for review in queryset.filter(is_hidden=True):
            services.review_show(review=review)
        self.message_user(request, _("Đã hiện lại các đánh giá đã chọn."), messages.SUCCESS)
