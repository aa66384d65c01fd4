"""Sitemap sections for what the market shows: public products, verified stalls, and categories
with something in them. Only what `Product.objects.public()` shows is listed."""

from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce, Greatest

from storefront.lib.sitemaps import RowSitemap

from .models import Category, Cooperative, Product

# What `Product.objects.public()` keeps, seen from a category or a cooperative.
_PUBLIC_PRODUCT = Q(products__is_published=True, products__is_archived=False)


class ProductSitemap(RowSitemap):
    def items(self):
        return (
            Product.objects.public()
            .annotate(lastmod=F("updated_at"))
            .only("slug", "updated_at")
            .order_by("pk")
        )


class CooperativeSitemap(RowSitemap):
    def items(self):
        # A stall's page lists its products, so it changed when it or one of them last did.
        newest_product = Max("products__updated_at", filter=_PUBLIC_PRODUCT)
        return (
            Cooperative.objects.verified()
            .annotate(lastmod=Greatest("updated_at", Coalesce(newest_product, "updated_at")))
            .only("slug", "updated_at")
            .order_by("pk")
        )


class CategorySitemap(RowSitemap):
    def items(self):
        newest_product = Max(
            "products__updated_at", filter=_PUBLIC_PRODUCT & Q(products__cooperative__is_verified=True)
        )
        # Only categories with something to show: an empty catalogue page is not worth a crawl.
        return (
            Category.objects.annotate(lastmod=newest_product)
            .filter(lastmod__isnull=False)
            .only("slug")
            .order_by("position", "pk")
        )
