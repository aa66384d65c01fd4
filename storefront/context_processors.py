from django.conf import settings

from .lib.data_saver import data_saver_on
from .lib.links import (
    absolute_url,
    canonical_path,
    default_language_version,
    language_names,
    language_offer,
    language_versions,
    switch_language_next,
)


def site(request):
    """Values every page needs: the site URL for share links, the page's canonical address and
    language versions (hreflang), and the header's categories."""
    from products.selectors import category_list_for_nav

    versions = language_versions(request)
    return {
        "SITE_URL": settings.SITE_URL,
        "canonical_url": absolute_url(canonical_path(request)),
        "language_versions": versions,
        "language_default_url": default_language_version(versions),
        "language_offer": language_offer(request),
        "language_names": language_names(),
        "switch_language_next": switch_language_next(request),
        "nav_categories": category_list_for_nav(),
        "data_saver": data_saver_on(request),
    }
