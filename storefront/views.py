import logging
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve
from huey.contrib.djhuey import HUEY

from products import selectors

from .lib import data_saver
from .lib.jsonld import SCHEMA, absolute, jsonld
from .lib.links import absolute_url, safe_next
from .lib.page_cache import kept_for_visitors

logger = logging.getLogger(__name__)

# Pages crawlers should leave alone, named by one of their addresses: the whole section each one
# lives in (/accounts/, /orders/…) is kept out, in every language.
ROBOTS_PRIVATE = (
    "dashboard:home",
    "orders:cart",
    "orders:checkout",
    "orders:order-track",
    "login",
    "admin:index",
)
# Printable posters repeat a product or stall page; the page itself is what should be found.
ROBOTS_POSTER_LISTS = ("products:product-list", "products:cooperative-list")


def _home_structured_data() -> list[dict]:
    """The market as a WebSite (with its search) and as an Organization."""
    url = absolute_url(reverse("home"))
    search = absolute_url(reverse("products:product-list"))
    organization = {
        "@context": SCHEMA,
        "@type": "Organization",
        # One market in both languages: the same identifier on the Vietnamese and English pages.
        "@id": f"{settings.SITE_URL}/#organization",
        "name": _("Chợ Phiên"),
        "url": url,
        "logo": absolute(static("img/favicon.svg")),
        "description": _(
            "Mua chè, mật ong, thổ cẩm, gạo, gia vị trực tiếp từ các hợp tác xã đồng bào dân tộc vùng cao."
        ),
    }
    website = {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": _("Chợ Phiên"),
        "url": url,
        "inLanguage": get_language(),
        "publisher": {"@id": organization["@id"]},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
    return [website, organization]


@kept_for_visitors
def home(request):
    return render(
        request,
        "storefront/home.html",
        {
            "featured": selectors.product_featured(limit=8),
            "cooperatives": list(selectors.cooperative_list_public()[:6]),
            "structured_data": jsonld(*_home_structured_data()),
        },
    )


@never_cache
@require_safe
def healthz(request):
    """For load balancers: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


def _database_ready() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache_ready() -> None:
    key = "readyz-probe"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not keep a value")


def _media_ready() -> None:
    # A read: HEAD of a missing object on S3, a stat on a disk. Readiness probes must not write.
    default_storage.exists("readyz-probe")


def _jobs_ready() -> None:
    HUEY.pending_count()


READY_CHECKS = {
    "database": _database_ready,
    "cache": _cache_ready,
    "media": _media_ready,
    "jobs": _jobs_ready,
}


@never_cache
@require_safe
def readyz(request):
    """For load balancers and deploys: 200 when the database, the cache, the media storage and the
    job queue all answer, else 503 naming what is down (a JSON object, one key per check)."""
    results = {}
    for name, check in READY_CHECKS.items():
        try:
            check()
        except Exception as error:
            results[name] = f"down: {type(error).__name__}"
            logger.warning("Readiness check %s failed", name, exc_info=True)
        else:
            results[name] = "ok"
    ready = all(result == "ok" for result in results.values())
    return JsonResponse(results, status=200 if ready else 503)


def _robots_disallowed() -> list[str]:
    paths = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            root = reverse("home")
            for name in ROBOTS_PRIVATE:
                section = f"{root}{reverse(name).removeprefix(root).split('/')[0]}/"
                if section not in paths:
                    paths.append(section)
            paths += [f"{reverse(name)}*/poster/" for name in ROBOTS_POSTER_LISTS]
    # The language switch sits outside the language prefixes: one address for all.
    paths.append(f"/{reverse('set_language').lstrip('/').split('/')[0]}/")
    paths.append(f"/{reverse('language-switch', args=['x']).lstrip('/').split('/')[0]}/")
    paths.append(f"/{reverse('data-saver', args=['on']).lstrip('/').split('/')[0]}/")
    return paths


@require_safe
def language_switch(request, code: str):
    """The footer's switch: a plain link (no form, so public pages carry no CSRF token and can be
    kept for everyone) that remembers the choice and opens the same page in that language."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = safe_next(request, "/")
    # Only a path of this site: anything else (a bare word, a URL) opens the home page.
    response = HttpResponseRedirect(translate_url(target if target.startswith("/") else "/", code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


@require_safe
def data_saver_switch(request, state: str):
    """The footer's data-saver switch: a plain link, like the language switch, remembered for a
    year; the same page comes back with photos or without."""
    if state not in (data_saver.ON, data_saver.OFF):
        raise Http404
    target = safe_next(request, "/")
    response = HttpResponseRedirect(target if target.startswith("/") else "/")
    response.set_cookie(
        data_saver.COOKIE,
        state,
        max_age=data_saver.COOKIE_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in _robots_disallowed())]
    lines += ["", f"Sitemap: {absolute_url(reverse('sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with the link in the mail built from SITE_URL: the request's Host header is
    whatever the sender of the request wrote, and a reset link must never point elsewhere."""

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


# What the app stores under MEDIA_ROOT: cleaned photos and their renditions, share pictures.
MEDIA_TYPES = {
    ".avif": "image/avif",
    ".webp": "image/webp",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


@require_safe
def media(request, path: str):
    """Uploads, for one-machine installs that serve them from the app (SERVE_MEDIA).

    Only as the images they are (never a type the browser might run), a 404 for anything else,
    however odd the path (too long, NUL bytes, ../), and cached for a year: a new photo gets a new
    file name, so a stored one never changes.
    """
    content_type = MEDIA_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type is None:
        raise Http404
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except (OSError, ValueError):
        raise Http404 from None
    response["Content-Type"] = content_type
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No request context: the database may be what failed, and context processors query it.
    return HttpResponseServerError(loader.get_template("500.html").render())
