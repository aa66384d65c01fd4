"""Whole public pages kept for visitors without a session (no cart, not signed in).

Most visitors arrive from a shared link and only read: their pages are the same for everyone in
the same language, so the first visit renders and the next ones are answered from the cache. A
page is kept under the catalogue's version (storefront.lib.catalogue_cache), so any change to
what such pages show (a product, its stock, a photo, a stall, a category) makes every kept page
stale at once on every app server sharing the cache; PAGE_CACHE_SECONDS bounds the rest.

Only a view that says so (@kept_for_visitors) is kept, and only an answer that is the same for
everyone: a 200 that sets no cookie and used no CSRF token (a token in a shared page would hand
one visitor's secret to the next). What else tells visitors apart is in the key: the address
with its query string, the page's language, the language it offers the visitor, whether the
answer is compressed, and whether the visitor saves data (storefront.lib.data_saver).
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe
from django.utils.safestring import SafeString, mark_safe

from .catalogue_cache import pages_version
from .data_saver import data_saver_on
from .links import visitor_language

# Headers the outer middleware add to every answer themselves.
_NOT_KEPT = {"x-request-id", "set-cookie", "date"}
# Query parameters that make a page (or that shared links carry); an address with any other is
# rendered but not kept, so made-up query strings cannot fill the cache.
KEPT_PARAMETERS = {
    "q",
    "category",
    "province",
    "people",
    "sort",
    "page",
    "utm_source",
    "utm_medium",
    "utm_campaign",
}


def kept_for_visitors(view):
    """Mark a public page as one that can be kept for visitors without a session."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.page_keep = True
        return view(request, *args, **kwargs)

    return wrapper


def not_kept(request) -> None:
    """This answer is for this visitor only (a poster scan that was counted, say)."""
    request.page_keep = False


def _release() -> str:
    # Pages name their stylesheets by content hash; a new release must not serve old pages
    # whose stylesheet files are gone.
    return getattr(staticfiles_storage, "manifest_hash", "") or ""


def _kept_address(request) -> bool:
    """Only addresses made of the parameters pages use are kept: made-up query strings would
    otherwise fill the cache."""
    return KEPT_PARAMETERS.issuperset(request.GET)


def page_key(request) -> str | None:
    """The cache key of this request's page, or None when it must be rendered for this visitor."""
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    if not _kept_address(request):
        return None
    try:
        request.get_host()
    except DisallowedHost:
        # ALLOWED_HOSTS holds for kept pages too: rendered, it is answered 400 further in.
        return None
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    offered = visitor_language(request) or ""
    # The test GZipMiddleware makes: a page compressed or not is kept under its own key.
    compressed = bool(re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")))
    saver = "saver" if data_saver_on(request) else ""
    seen = "|".join(
        [language, offered if offered != language else "", str(compressed), saver, request.get_full_path()]
    )
    digest = hashlib.sha256(seen.encode("utf-8", "surrogateescape")).hexdigest()[:40]
    return f"page:{pages_version()}:{_release()}:{digest}"


def kept_fragment(request, name: str, seen: list[str], draw) -> SafeString:
    """A part of a page that is the same for everyone who sees it with what `seen` names (in this
    language, at this address): `draw()` once, then kept like whole pages are."""
    if settings.PAGE_CACHE_SECONDS <= 0 or request is None or not _kept_address(request):
        return mark_safe(draw())
    parts = [translation.get_language() or "", request.get_full_path(), *seen]
    digest = hashlib.sha256("|".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:40]
    key = f"fragment:{name}:{pages_version()}:{_release()}:{digest}"
    html = cache.get(key)
    if html is None:
        html = str(draw())
        cache.set(key, html, settings.PAGE_CACHE_SECONDS)
    return mark_safe(html)


def page_keepable(request, response) -> bool:
    return (
        getattr(request, "page_keep", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
    )


def page_keep(key: str, response) -> None:
    """Keep the answer, and tell browsers to ask again each time (they get a 304 when unchanged)."""
    response.setdefault("Last-Modified", http_date(time.time()))
    response["Cache-Control"] = "no-cache"
    headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_KEPT]
    cache.set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)


def page_kept(request, key: str) -> HttpResponse | None:
    """The kept answer (or a 304 when the browser has it already), None when nothing is kept."""
    kept = cache.get(key)
    if kept is None:
        return None
    content, headers = kept
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=last_modified, response=response
    )
