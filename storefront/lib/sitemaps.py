"""The sitemap base class of every section: absolute URLs from settings.SITE_URL, one address per
language with its hreflang alternates, and pages counted without loading the rows.

Never the request's Host header: a crawler that sent any Host would otherwise get a sitemap
pointing there.
"""

from math import ceil

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max


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


class RowSitemap(SiteSitemap):
    """Rows whose query annotates `lastmod`, read in one query however many there are."""

    def lastmod(self, item):
        return item.lastmod

    def get_latest_lastmod(self):
        # For the index: one aggregate instead of the framework's walk over every item.
        return self.items().aggregate(latest=Max("lastmod"))["latest"]
