import logging

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.signals import request_finished
from django.db import DatabaseError
from django.dispatch import receiver
from django.utils.cache import patch_vary_headers

from .lib import page_cache
from .lib.logs import HEADER, REQUEST_ID, request_id_new

logger = logging.getLogger(__name__)
# Sections that only ever show someone's own data, in both languages.
PRIVATE_PREFIXES = tuple(
    f"{language}/{section}/"
    for language in ("", "/en")
    for section in ("dashboard", "cart", "checkout", "orders", "accounts", "admin")
)


class PublicPageVaryMiddleware:
    """Pages offer a link in the visitor's own language (storefront.lib.links.language_offer), read from
    Accept-Language. Django's LocaleMiddleware declares that only for unprefixed addresses; the
    English pages under /en/ vary on it too, so a shared cache must not hand one visitor's offer to
    another. Pages also differ with the data saver (storefront.lib.data_saver): by Save-Data, and by
    the footer switch's cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("Accept-Language", "Save-Data", "Cookie"))
        return response


class PublicPageCacheMiddleware:
    """Answers a visitor without a session from the pages kept for everyone
    (storefront.lib.page_cache), and keeps the pages that views mark as the same for everyone.
    It sits outside the session, locale and CSRF middleware, so a kept page costs none of them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            key = page_cache.page_key(request)
            kept = page_cache.page_kept(request, key) if key else None
        except Exception:
            # The cache being down costs speed, never the page.
            logger.warning("Page cache unreachable", exc_info=True)
            key = kept = None
        if kept is not None:
            return kept
        response = self.get_response(request)
        if key and page_cache.page_keepable(request, response):
            try:
                page_cache.page_keep(key, response)
            except Exception:
                logger.warning("Page cache unreachable", exc_info=True)
        return response


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, except that a session that cannot be saved (the database
    went away right after an order committed) costs the visitor this session update only: the
    answer still goes out, so a saved order is always shown (its page also trusts the signed
    cookie set with it, see orders.views)."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except (DatabaseError, SessionInterrupted):
            # Django turns a failed session UPDATE into SessionInterrupted (a 400) and lets any other
            # database error become a 500; both would hide a committed order from its buyer.
            logger.exception("Could not save the session for %s", request.path)
            return response


class PrivatePagesMiddleware:
    """The Permissions-Policy every answer gets, and no caching of the sections that show someone's
    own data (a buyer's address, a stall's account number, the orders): neither a shared cache nor
    the back button on a shared phone may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.path.startswith(PRIVATE_PREFIXES):
            response["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        return response


class RequestIdMiddleware:
    """Gives each request an id for its log lines and its X-Request-ID answer header; the id a
    proxy of ours sent (TRUSTED_PROXY_COUNT) is kept, so its lines and ours match."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forwarded = request.headers.get(HEADER, "") if settings.TRUSTED_PROXY_COUNT else ""
        request.request_id = request_id_new(forwarded=forwarded)
        # Set, not reset on the way out: Django logs a 404 or a 500 after the middleware has
        # returned; `request_finished` puts the "-" back.
        REQUEST_ID.set(request.request_id)
        response = self.get_response(request)
        response[HEADER] = request.request_id
        return response


@receiver(request_finished)
def _request_id_forget(sender, **kwargs):
    REQUEST_ID.set("-")
