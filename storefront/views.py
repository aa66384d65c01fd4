from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from products import selectors


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


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No request context: the database may be what failed, and context processors query it.
    return HttpResponseServerError(loader.get_template("500.html").render())
