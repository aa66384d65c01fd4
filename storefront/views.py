from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from products import selectors

from .links import absolute_url

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


def home(request):
    return render(
        request,
        "storefront/home.html",
        {
            "featured": selectors.product_featured(limit=8),
            "cooperatives": list(selectors.cooperative_list_public()[:6]),
        },
    )


@never_cache
@require_safe
def healthz(request):
    """For load balancers: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


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
    return paths


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in _robots_disallowed())]
    lines += ["", f"Sitemap: {absolute_url(reverse('sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No request context: the database may be what failed, and context processors query it.
    return HttpResponseServerError(loader.get_template("500.html").render())
