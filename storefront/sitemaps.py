"""Sitemaps for search engines: public products, verified stalls, categories and the main pages.

Every address is listed once per language with its hreflang alternates (the framework's i18n
support). Absolute URLs start from settings.SITE_URL, like every other absolute link, never from
the request's Host header: a crawler that sent any Host would otherwise get a sitemap pointing
there. Each section reads its rows (and lastmod values) in one query, however many there are.
"""

from math import ceil

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from products.models import Category, Cooperative, Product

from .links import absolute_url

# What `Product.objects.public()` keeps, seen from a category or a cooperative.
_PUBLIC_PRODUCT = Q(products__is_published=True, products__is_archived=False)


class SiteSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return settings.SITE_URL.partition("://")[0]

    def get_domain(self, site=None):
        # Host (and any path prefix) of SITE_URL; the scheme comes from get_protocol.
        return settings.SITE_URL.partition("://")[2]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        # The framework makes x-default by deleting "/vi/" from the Vietnamese URL, which with
        # unprefixed Vietnamese would also eat a slug "vi"; x-default is the Vietnamese URL itself.
        for url in urls:
            by_language = {alternate["lang_code"]: alternate for alternate in url["alternates"]}
            if "x-default" in by_language:
                by_language["x-default"]["location"] = by_language[settings.LANGUAGE_CODE]["location"]
        return urls

    def page_count(self) -> int:
        """Pages of at most `limit` addresses, counted without loading the rows."""
        items = self.items()
        rows = len(items) if isinstance(items, list) else items.count()
        return max(1, ceil(rows * len(self._languages()) / self.limit))


class PageSitemap(SiteSitemap):
    """The pages that are not rows: home, catalogue, the list of stalls.

    No lastmod: they change with every product, and a date would only repeat the products' dates.
    """

    def items(self):
        return ["home", "products:product-list", "products:cooperative-list"]

    def location(self, item):
        return reverse(item)


class RowSitemap(SiteSitemap):
    """Rows whose query annotates `lastmod`."""

    def lastmod(self, item):
        return item.lastmod

    def get_latest_lastmod(self):
        # For the index: one aggregate instead of the framework's walk over every item.
        return self.items().aggregate(latest=Max("lastmod"))["latest"]


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


SITEMAPS = {
    "pages": PageSitemap,
    "products": ProductSitemap,
    "cooperatives": CooperativeSitemap,
    "categories": CategorySitemap,
}


@require_safe
def index(request):
    """/sitemap.xml: the sections, each split into pages of at most 50,000 addresses.

    Django's own index view builds its links from the request's host, hence this one.
    """
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = absolute_url(reverse("sitemap-section", kwargs={"section": section}))
        last_mod = sitemap.get_latest_lastmod()
        pages = sitemap.page_count()
        entries.append({"location": location, "last_mod": last_mod})
        entries += [
            {"location": f"{location}?p={page}", "last_mod": last_mod} for page in range(2, pages + 1)
        ]
    # No request context: the site-wide context processors would only add queries.
    return HttpResponse(
        render_to_string("sitemap_index.xml", {"sitemaps": entries}),
        content_type="application/xml",
        headers={"X-Robots-Tag": "noindex, noodp, noarchive"},
    )
