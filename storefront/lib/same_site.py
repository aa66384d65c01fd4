"""Forms that may sit on pages kept for everyone (storefront.lib.page_cache) cannot carry a CSRF
token: a token baked into a shared page would be one visitor's secret handed to the next. The
cart's "add" form is such a form, and adding to a cart is harmless and idempotent, so instead of
a token it asks the browser where the form was sent from (Sec-Fetch-Site, then Origin, then
Referer), which every browser in use adds to a POST and a page on another site cannot forge.
A request that names no origin at all (an old browser, a script) is let through: the worst it
can do is add a product to its own cart.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt


def _origin(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[evil": names no site, so not this one
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def _site_origins(request) -> set[str]:
    scheme = "https" if request.is_secure() else "http"
    return {
        f"{scheme}://{request.get_host()}".lower(),
        _origin(settings.SITE_URL),
        *(origin.lower() for origin in settings.CSRF_TRUSTED_ORIGINS),
    }


def sent_from_this_site(request) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        # "none": typed or bookmarked by the visitor themselves.
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin.lower() in _site_origins(request)
    referer = request.headers.get("Referer")
    if referer:
        return _origin(referer) in _site_origins(request)
    return True


def refused(request, reason: str = ""):
    """The page for a form sent from another site or with a stale token: nothing was changed."""
    return render(request, "403_csrf.html", status=403)


def same_site_only(view):
    """Refuse a POST sent from another site (403, the same page as a CSRF failure); no token needed."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not sent_from_this_site(request):
            return refused(request)
        return view(request, *args, **kwargs)

    return wrapper
