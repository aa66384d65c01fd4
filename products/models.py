from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from storefront.lib.english import EnglishTextMixin, EnglishTwinMixin, english_page
from storefront.lib.renditions import Renditions
from storefront.lib.text import search_marks, search_text
from storefront.lib.vietnam import BANK_NAMES, BANKS, PROVINCE_NAMES, PROVINCES

from . import derived

# A return window longer than a year is a typo (70 for 7).
RETURN_DAYS_MAX = 365


class CooperativeQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(is_verified=True)


class Cooperative(EnglishTextMixin, models.Model):
    name = models.CharField(_("tên"), max_length=150, help_text=_("Ví dụ: HTX Chè Shan tuyết Lũng Phìn"))
    slug = models.SlugField(_("đường dẫn"), max_length=160, unique=True, blank=True)
    summary = models.CharField(
        _("giới thiệu ngắn"), max_length=240, blank=True, help_text=_("Một câu: bạn làm gì, ở đâu.")
    )
    story = models.TextField(_("câu chuyện"), blank=True)
    # Columns added to a live table carry a database default too, so app servers still running
    # the previous release can insert rows between `migrate` and their restart.
    name_en = models.CharField(_("tên tiếng Anh"), max_length=150, blank=True, default="", db_default="")
    summary_en = models.CharField(
        _("giới thiệu ngắn tiếng Anh"), max_length=240, blank=True, default="", db_default=""
    )
    story_en = models.TextField(_("câu chuyện tiếng Anh"), blank=True, default="", db_default="")
    province = models.CharField(_("tỉnh/thành"), max_length=2, choices=PROVINCES)
    commune = models.CharField(_("xã/phường"), max_length=100, blank=True, help_text=_("Ví dụ: xã Lũng Phìn"))
    ethnic_groups = models.CharField(
        _("dân tộc"), max_length=150, blank=True, help_text=_("Ví dụ: H'Mông, Dao")
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="cooperatives/logos/%Y/", blank=True)
    logo_meta = models.JSONField(default=dict, blank=True, editable=False)
    cover = models.ImageField(_("ảnh bìa"), upload_to="cooperatives/covers/%Y/", blank=True)
    cover_meta = models.JSONField(default=dict, blank=True, editable=False)
    bank_bin = models.CharField(_("ngân hàng"), max_length=6, choices=BANKS, blank=True)
    bank_account_number = models.CharField(_("số tài khoản"), max_length=19, blank=True)
    bank_account_name = models.CharField(
        _("tên chủ tài khoản"), max_length=80, blank=True, help_text=_("Viết hoa không dấu, như trên thẻ.")
    )
    shipping_fee = models.PositiveIntegerField(
        _("phí giao hàng"), default=30000, help_text=_("Một mức phí cho mỗi đơn, tính bằng đồng.")
    )
    free_shipping_threshold = models.PositiveIntegerField(
        _("miễn phí giao hàng từ"),
        null=True,
        blank=True,
        help_text=_("Đơn từ số tiền này được miễn phí giao hàng. Để trống nếu không miễn phí."),
    )
    # What a buyer may send back, in the stall's words; shown on its product pages and described
    # in their JSON-LD. The days are what search engines read (0: no returns; empty: not said).
    return_policy = models.CharField(
        _("chính sách đổi trả"),
        max_length=300,
        blank=True,
        default="",
        db_default="",
        help_text=_("Một hai câu. Ví dụ: Đổi hoặc hoàn tiền trong 7 ngày nếu hàng hỏng khi giao."),
    )
    return_policy_en = models.CharField(
        _("chính sách đổi trả tiếng Anh"), max_length=300, blank=True, default="", db_default=""
    )
    return_days = models.PositiveSmallIntegerField(
        _("số ngày được đổi trả"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(RETURN_DAYS_MAX)],
        help_text=_("Ví dụ: 7. Ghi 0 nếu không nhận đổi trả; để trống nếu chưa định."),
    )
    search_text = models.TextField(editable=False, default="")
    is_verified = models.BooleanField(
        _("đã xác minh"), default=False, help_text=_("Chỉ gian hàng đã xác minh mới hiện trên chợ.")
    )
    # Set by the market's admins only; each order part keeps the rate it was placed under
    # (orders.models.CooperativeOrder.market_fee_rate), which the monthly statement charges.
    market_fee_rate = models.DecimalField(
        _("phí chợ (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        db_default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_(
            "Phần trăm trên tiền hàng của các đơn đã giao trong tháng (không tính phí giao hàng), "
            "ví dụ 3 hoặc 2,5. Để 0 nếu chợ không thu phí. Mức mới áp dụng cho các đơn đặt từ lúc "
            "đổi; các đơn đã đặt giữ mức cũ, nên bảng kê các tháng trước không đổi."
        ),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="cooperatives", blank=True
    )

    objects = CooperativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("hợp tác xã")
        verbose_name_plural = pgettext_lazy("số nhiều", "hợp tác xã")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(free_shipping_threshold__isnull=True) | Q(free_shipping_threshold__gte=0),
                name="cooperative_threshold_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(market_fee_rate__gte=0, market_fee_rate__lte=100),
                name="cooperative_market_fee_rate_percent",
            ),
        ]
        indexes = [models.Index(fields=["is_verified", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("products:cooperative-detail", args=[self.slug])

    @property
    def province_name(self) -> str:
        return PROVINCE_NAMES.get(self.province, "")

    @property
    def logo_photo(self) -> Renditions:
        return Renditions.of(self.logo_meta)

    @property
    def cover_photo(self) -> Renditions:
        return Renditions.of(self.cover_meta)

    @property
    def bank_name(self) -> str:
        return BANK_NAMES.get(self.bank_bin, "")

    @property
    def has_bank_details(self) -> bool:
        return bool(self.bank_bin and self.bank_account_number and self.bank_account_name)

    @property
    def display_return_policy(self) -> str:
        return self._localized("return_policy")

    def shipping_fee_for(self, subtotal: int) -> int:
        """Flat fee, waived when the subtotal reaches the free-shipping threshold."""
        if self.free_shipping_threshold is not None and subtotal >= self.free_shipping_threshold:
            return 0
        return self.shipping_fee

    def save(self, *args, **kwargs):
        self.products_search_stale = derived.cooperative_prepare(cooperative=self)
        super().save(*args, **kwargs)


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("chủ gian hàng")
        MEMBER = "member", _("thành viên")
        HELPER = "helper", _("người hỗ trợ")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    cooperative = models.ForeignKey(
        Cooperative, verbose_name=_("hợp tác xã"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = pgettext_lazy("số nhiều", "thành viên")
        ordering = ["cooperative__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cooperative"], name="membership_unique_user_cooperative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.cooperative} ({self.get_role_display()})"


class Category(EnglishTwinMixin, models.Model):
    name = models.CharField(_("tên"), max_length=80)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=80, blank=True)
    slug = models.SlugField(_("đường dẫn"), max_length=90, unique=True, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("danh mục")
        verbose_name_plural = pgettext_lazy("số nhiều", "danh mục")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self._localized("name")

    def get_absolute_url(self) -> str:
        return f"{reverse('products:product-list')}?category={self.slug}"

    def save(self, *args, **kwargs):
        derived.category_prepare(category=self)
        super().save(*args, **kwargs)
        derived.category_after_save(category=self)


STARS = (5, 4, 3, 2, 1)


@dataclass(frozen=True)
class Ratings:
    """Star counts of visible buyer reviews ({5: 12, 4: 3, …}), and what pages say about them."""

    counts: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, counts: Mapping[int, int]) -> "Ratings":
        return cls(tuple((n, int(counts.get(n) or 0)) for n in STARS))

    @property
    def count(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def average(self) -> float | None:
        """The mean to one decimal (4.6); None without reviews."""
        if not self.count:
            return None
        return round(sum(stars * n for stars, n in self.counts) / self.count, 1)

    @property
    def spread(self) -> list[dict]:
        """One row per star from 5 down to 1: how many reviews gave it, and their share in %."""
        total = self.count
        return [
            {"stars": stars, "count": n, "percent": round(100 * n / total) if total else 0}
            for stars, n in self.counts
        ]

    def __bool__(self) -> bool:
        return bool(self.count)


# What the catalogue's indexes hold (the part of ProductQuerySet.public() on the product's own row).
PUBLIC = Q(is_published=True, is_archived=False)


class ProductQuerySet(models.QuerySet):
    def public(self):
        """The one rule for what buyers may see: published, not archived, from a verified stall."""
        return self.filter(is_published=True, is_archived=False, cooperative__is_verified=True)


class Product(EnglishTextMixin, models.Model):
    class Ocop(models.IntegerChoices):
        THREE = 3, _("3 sao")
        FOUR = 4, _("4 sao")
        FIVE = 5, _("5 sao")

    cooperative = models.ForeignKey(
        Cooperative, verbose_name=_("hợp tác xã"), on_delete=models.CASCADE, related_name="products"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("danh mục"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("tên sản phẩm"), max_length=150, help_text=_("Ví dụ: Chè Shan tuyết cổ thụ"))
    slug = models.SlugField(_("đường dẫn"), max_length=170, unique=True, blank=True)
    summary = models.CharField(
        _("mô tả ngắn"), max_length=240, blank=True, help_text=_("Một câu hiện dưới tên sản phẩm.")
    )
    story = models.TextField(
        _("câu chuyện"), blank=True, help_text=_("Ai làm, làm thế nào, ở đâu. Vài câu là đủ.")
    )
    name_en = models.CharField(_("tên tiếng Anh"), max_length=150, blank=True)
    summary_en = models.CharField(_("mô tả ngắn tiếng Anh"), max_length=240, blank=True)
    story_en = models.TextField(_("câu chuyện tiếng Anh"), blank=True)
    price = models.PositiveIntegerField(_("giá (đồng)"), help_text=_("Ví dụ: 250000"))
    unit = models.CharField(
        _("đơn vị bán"), max_length=40, help_text=_("Ví dụ: hộp 200 g, chai 500 ml, chiếc")
    )
    unit_en = models.CharField(
        _("đơn vị bán tiếng Anh"),
        max_length=40,
        blank=True,
        default="",
        db_default="",  # see Cooperative.name_en
        help_text=_("Ví dụ: pack 200 g, bottle 500 ml, piece"),
    )
    stock = models.PositiveIntegerField(_("còn trong kho"), default=0)
    ethnic_group = models.CharField(_("dân tộc"), max_length=100, blank=True, help_text=_("Ví dụ: H'Mông"))
    origin_province = models.CharField(_("tỉnh/thành xuất xứ"), max_length=2, choices=PROVINCES)
    origin_commune = models.CharField(_("xã/phường xuất xứ"), max_length=100, blank=True)
    ocop_stars = models.PositiveSmallIntegerField(_("sao OCOP"), choices=Ocop.choices, null=True, blank=True)
    is_published = models.BooleanField(_("đang bán"), default=True)
    is_featured = models.BooleanField(_("nổi bật"), default=False)
    is_archived = models.BooleanField(
        _("đã lưu trữ"), default=False, help_text=_("Sản phẩm ngừng bán nhưng còn trong lịch sử đơn hàng.")
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    # The one-time token of the add form that created the product: a repeated submit of the same
    # form (a lost reply on 3G, a double tap) finds this product instead of making a copy.
    add_form_token = models.CharField(max_length=64, blank=True, default="", db_default="", editable=False)
    # The token of the last edit form saved and the stock it said: the same edit sent twice
    # changes the stock by what the second says beyond the first (nothing, for a double tap).
    last_edit_token = models.CharField(max_length=64, blank=True, default="", db_default="", editable=False)
    last_edit_stock = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # How many visible buyer reviews gave 1…5 stars, kept by the reviews app through
    # services.product_ratings_set, so cards, stall pages and JSON-LD show the average without
    # reading a review (and products never imports reviews).
    stars_1 = models.PositiveIntegerField(_("đánh giá 1 sao"), default=0, db_default=0, editable=False)
    stars_2 = models.PositiveIntegerField(_("đánh giá 2 sao"), default=0, db_default=0, editable=False)
    stars_3 = models.PositiveIntegerField(_("đánh giá 3 sao"), default=0, db_default=0, editable=False)
    stars_4 = models.PositiveIntegerField(_("đánh giá 4 sao"), default=0, db_default=0, editable=False)
    stars_5 = models.PositiveIntegerField(_("đánh giá 5 sao"), default=0, db_default=0, editable=False)
    # Folded copies kept in sync on save (derived.product_prepare) for diacritic-free search.
    search_name = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    search_exact = models.TextField(editable=False, default="")
    # The words of search_text with their marks, in the same order (products/search.py).
    search_marks = models.TextField(editable=False, default="", db_default="")

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("sản phẩm")
        verbose_name_plural = pgettext_lazy("số nhiều", "sản phẩm")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="product_stock_not_negative"),
            models.CheckConstraint(
                condition=Q(ocop_stars__isnull=True) | Q(ocop_stars__in=[3, 4, 5]),
                name="product_ocop_stars_3_4_5",
            ),
            models.UniqueConstraint(
                fields=["add_form_token"],
                condition=~Q(add_form_token=""),
                name="product_unique_add_form_token",
            ),
        ]
        # One index per order a public page reads products in, holding only public rows (partial),
        # so a page reads its 12 rows in order and stops, however large the catalogue.
        indexes = [
            models.Index(fields=["-created_at", "-id"], condition=PUBLIC, name="product_public_newest"),
            models.Index(fields=["price", "id"], condition=PUBLIC, name="product_public_price"),
            models.Index(
                fields=["category", "-created_at", "-id"], condition=PUBLIC, name="product_category_newest"
            ),
            models.Index(
                fields=["cooperative", "-created_at", "-id"], condition=PUBLIC, name="product_stall_newest"
            ),
            models.Index(
                fields=["-is_featured", "-created_at", "-id"], condition=PUBLIC, name="product_featured"
            ),
            models.Index(fields=["origin_province", "is_published"], name="product_province"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_unit(self) -> str:
        return self._localized("unit")

    def get_absolute_url(self) -> str:
        return reverse("products:product-detail", args=[self.slug])

    @property
    def origin_province_name(self) -> str:
        return PROVINCE_NAMES.get(self.origin_province, "")

    LOW_STOCK = 5

    @property
    def stock_state(self) -> str:
        if self.stock <= 0:
            return "sold_out"
        if self.stock <= self.LOW_STOCK:
            return "low"
        return "in_stock"

    @property
    def ratings(self) -> "Ratings":
        return Ratings.of({n: getattr(self, f"stars_{n}") for n in STARS})

    @property
    def rating_count(self) -> int:
        return self.ratings.count

    @property
    def rating_average(self) -> float | None:
        return self.ratings.average

    def build_search_fields(self) -> None:
        parts = derived.product_search_parts(product=self)
        self.search_name = search_text(self.name, self.name_en)
        self.search_text = search_text(*parts)
        self.search_marks = search_marks(*parts)
        self.search_exact = " " + " ".join(self.name.lower().split()) + " "

    def save(self, *args, **kwargs):
        derived.product_prepare(product=self)
        super().save(*args, **kwargs)


class ProductImage(models.Model):
    product = models.ForeignKey(
        Product, verbose_name=_("sản phẩm"), on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(_("ảnh"), upload_to="products/%Y/%m/")
    image_meta = models.JSONField(default=dict, blank=True, editable=False)
    alt_text = models.CharField(
        _("mô tả ảnh"), max_length=200, blank=True, help_text=_("Ảnh chụp gì, cho người không xem được ảnh.")
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    # SHA-256 of the file as the phone sent it: the same photo sent twice to one product (a form
    # submitted again after a lost reply) is attached once.
    upload_digest = models.CharField(max_length=64, blank=True, default="", db_default="", editable=False)

    class Meta:
        verbose_name = _("ảnh sản phẩm")
        verbose_name_plural = pgettext_lazy("số nhiều", "ảnh sản phẩm")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["product", "position"])]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "upload_digest"],
                condition=~Q(upload_digest=""),
                name="productimage_unique_upload",
            ),
        ]

    def __str__(self) -> str:
        return self.alt_text or self.product.name

    @property
    def photo(self) -> Renditions:
        return Renditions.of(self.image_meta, master=self.image.name)

    @property
    def alt(self) -> str:
        return self.alt_for(1)

    def alt_for(self, number: int) -> str:
        """The `alt` of the gallery's `number`-th photo.

        The producer's alt_text is Vietnamese, so English pages name the product in English when
        it has an English name; without alt_text the product's name, with the photo's number
        after the first ("Mint honey, photo 2") so a screen reader tells the photos apart.
        """
        product = self.product
        if self.alt_text and not (english_page() and product.name_en):
            return self.alt_text
        name = product.display_name
        if number > 1:
            return _("%(name)s, ảnh %(number)s") % {"name": name, "number": number}
        return name

    def save(self, *args, **kwargs):
        derived.photo_prepare(instance=self, field="image", meta_field="image_meta")
        super().save(*args, **kwargs)


class QrVisit(models.Model):
    """Visits that came from a printed poster's QR code, one row per stall or product per day.

    A row without a product counts the stall page itself.
    """

    cooperative = models.ForeignKey(
        Cooperative, verbose_name=_("hợp tác xã"), on_delete=models.CASCADE, related_name="qr_visits"
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("sản phẩm"),
        on_delete=models.CASCADE,
        related_name="qr_visits",
        null=True,
        blank=True,
    )
    day = models.DateField(_("ngày"))
    count = models.PositiveIntegerField(_("lượt quét"), default=0)

    class Meta:
        verbose_name = _("lượt quét mã QR")
        verbose_name_plural = pgettext_lazy("số nhiều", "lượt quét mã QR")
        ordering = ["-day", "cooperative", "product"]
        # Two partial constraints: NULL products are distinct in a plain unique constraint, so the
        # stall's own row needs its own, or two first visits of a day could make two rows.
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "product", "day"],
                condition=Q(product__isnull=False),
                name="qrvisit_unique_product_day",
            ),
            models.UniqueConstraint(
                fields=["cooperative", "day"],
                condition=Q(product__isnull=True),
                name="qrvisit_unique_stall_day",
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "day"], name="qrvisit_cooperative_day")]

    def __str__(self) -> str:
        return f"{self.product or self.cooperative} · {self.day:%d/%m/%Y} · {self.count}"


class PostMade(models.Model):
    """A post made with the post kit: a picture downloaded, or handed to the phone's share sheet for
    Zalo or Facebook. One row per tap, named by the tap's token, so a repeated submit counts once.

    A row without a product is the stall's own post.
    """

    class Channel(models.TextChoices):
        DOWNLOAD = "download", _("tải ảnh về")
        ZALO = "zalo", "Zalo"
        FACEBOOK = "facebook", "Facebook"

    class Shape(models.TextChoices):
        PORTRAIT = "portrait", _("ảnh dọc 1080×1350")
        SQUARE = "square", _("ảnh vuông 1080×1080")

    cooperative = models.ForeignKey(
        Cooperative, verbose_name=_("hợp tác xã"), on_delete=models.CASCADE, related_name="posts_made"
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("sản phẩm"),
        on_delete=models.CASCADE,
        related_name="posts_made",
        null=True,
        blank=True,
    )
    shape = models.CharField(_("ảnh"), max_length=10, choices=Shape.choices)
    channel = models.CharField(_("cách đăng"), max_length=10, choices=Channel.choices)
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("bài đăng đã tạo")
        verbose_name_plural = pgettext_lazy("số nhiều", "bài đăng đã tạo")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["cooperative", "created_at"], name="postmade_cooperative_day")]

    def __str__(self) -> str:
        return (
            f"{self.product or self.cooperative} · {self.get_channel_display()} · {self.created_at:%d/%m/%Y}"
        )
