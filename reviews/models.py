"""Reviews by buyers who received what they reviewed: one per order line, with up to three photos
and the stall's one public reply.

Rows are written by reviews.services only; the star counts pages show live on the product
(products.models.Product.stars_1…5) and are recounted by the services on every change.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orders.models import OrderItem
from products.models import Cooperative, Product
from storefront.lib.renditions import Renditions

# A buyer may change what they wrote for this long after first posting it.
EDIT_DAYS = 30
TEXT_MAX_LENGTH = 1000
NAME_MAX_LENGTH = 60
MAX_PHOTOS = 3


class ReviewQuerySet(models.QuerySet):
    def visible(self):
        """The one rule for what the public sees: not hidden by the admin."""
        return self.filter(is_hidden=False)


class Review(models.Model):
    order_item = models.OneToOneField(
        OrderItem, verbose_name=_("sản phẩm trong đơn"), on_delete=models.CASCADE, related_name="review"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("sản phẩm"), on_delete=models.CASCADE, related_name="reviews"
    )
    cooperative = models.ForeignKey(
        Cooperative, verbose_name=_("hợp tác xã"), on_delete=models.CASCADE, related_name="reviews"
    )
    stars = models.PositiveSmallIntegerField(
        _("số sao"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("lời nhận xét"), max_length=TEXT_MAX_LENGTH, blank=True)
    author_name = models.CharField(
        _("tên hiển thị"), max_length=NAME_MAX_LENGTH, help_text=_("Ví dụ: Lan, Hà Nội")
    )
    is_hidden = models.BooleanField(
        _("đã ẩn"), default=False, help_text=_("Đánh giá bị ẩn không hiện trên chợ và không tính vào điểm.")
    )
    hidden_reason = models.CharField(
        _("lý do ẩn"), max_length=300, blank=True, help_text=_("Ví dụ: quảng cáo, lời lẽ xúc phạm")
    )
    reply = models.TextField(_("trả lời của gian hàng"), max_length=TEXT_MAX_LENGTH, blank=True)
    replied_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True, editable=False)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("viết lúc"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    edited_at = models.DateTimeField(_("người mua sửa lúc"), null=True, blank=True, editable=False)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = pgettext_lazy("số nhiều", "đánh giá")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="review_stars_1_to_5"),
            models.CheckConstraint(
                condition=Q(is_hidden=False) | ~Q(hidden_reason=""), name="review_hidden_has_reason"
            ),
        ]
        indexes = [
            # The product page: its visible reviews, newest first.
            models.Index(fields=["product", "is_hidden", "-created_at", "-id"], name="review_product_newest"),
            models.Index(fields=["cooperative", "-created_at", "-id"], name="review_stall_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.stars}★ · {self.author_name}"

    def get_absolute_url(self) -> str:
        return f"{self.product.get_absolute_url()}#review-{self.pk}"

    @property
    def editable_until(self):
        return self.created_at + timedelta(days=EDIT_DAYS)

    def is_editable(self, now=None) -> bool:
        return (now or timezone.now()) < self.editable_until

    @property
    def was_edited(self) -> bool:
        """Changed by its buyer after posting (a reply or the admin's hiding does not count)."""
        return self.edited_at is not None


class ReviewPhoto(models.Model):
    review = models.ForeignKey(
        Review, verbose_name=_("đánh giá"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("ảnh"), upload_to="reviews/%Y/%m/")
    image_meta = models.JSONField(default=dict, blank=True, editable=False)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    # SHA-256 of the file as the phone sent it: the same form sent twice attaches a photo once.
    upload_digest = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("ảnh đánh giá")
        verbose_name_plural = pgettext_lazy("số nhiều", "ảnh đánh giá")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "upload_digest"],
                condition=~Q(upload_digest=""),
                name="reviewphoto_unique_upload",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.position + 1}"

    @property
    def photo(self) -> Renditions:
        return Renditions.of(self.image_meta, master=self.image.name)
