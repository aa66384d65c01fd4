"""/sitemap.xml: the index of the market's sitemap sections (pages here, rows in products)."""

from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from products.sitemaps import CategorySitemap, CooperativeSitemap, ProductSitemap

from .lib.links import absolute_url
from .lib.sitemaps import SiteSitemap


class PageSitemap(SiteSitemap):
    """The pages that are not rows: home, catalogue, the list of stalls.

    No lastmod: they change with every product, and a date would only repeat the products' dates.
    """

    def items(self):
        return ["home", "products:product-list", "products:cooperative-list"]

    def location(self, item):
        return reverse(item)


SITEMAPS: dict[str, type[Sitemap]] = {
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
