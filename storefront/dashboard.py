"""The producer dashboard's home page and URL map.

The home page shows what needs doing first across listings and orders, so it lives in the
project package, which may read both apps: `products` must never import `orders`, and the
order side should not own the product side's landing page either.
"""

import json

from django.conf import settings
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from orders import dashboard_selectors as order_selectors
from orders import push_views
from products.dashboard_urls import urlpatterns as product_urlpatterns
from products.models import Product
from products.permissions import ORDER_ROLES, OWNER_ROLES, dashboard_view
from products.selectors import post_made_totals, qr_visit_totals
from storefront.lib.webpush import push_enabled

TASK_ROWS = 5


def _product_tasks(cooperative) -> dict:
    active = Product.objects.filter(cooperative=cooperative, is_archived=False)
    low = active.filter(stock__lte=Product.LOW_STOCK).order_by("stock", "name")
    no_photo = active.filter(images__isnull=True).order_by("name")
    counts = active.aggregate(
        total=Count("pk", distinct=True),
        low=Count("pk", filter=Q(stock__lte=Product.LOW_STOCK), distinct=True),
        no_photo=Count("pk", filter=Q(images__isnull=True), distinct=True),
    )
    return {
        "low_stock": list(low[:TASK_ROWS]),
        "low_stock_count": counts["low"],
        "no_photo": list(no_photo[:TASK_ROWS]),
        "no_photo_count": counts["no_photo"],
        "product_count": counts["total"],
    }


def _order_tasks(cooperative) -> dict:
    counts = order_selectors.cooperative_order_counts(cooperative=cooperative)

    def parts(**filters):
        # The home page shows code, buyer and total only: no need for the items.
        return order_selectors.cooperative_order_list(cooperative=cooperative, **filters).prefetch_related(
            None
        )

    return {
        "sees_orders": True,
        "new_count": counts["new"],
        "to_check_count": counts["to_check"],
        "new_orders": list(parts(status="new")[:TASK_ROWS]),
        "to_check": list(parts(to_check=True)[:TASK_ROWS]),
        "week": order_selectors.cooperative_order_week(cooperative=cooperative),
    }


def _transfer_tasks(cooperative) -> dict:
    """Transfers SePay reported that paid nothing and wait for the owner's look."""
    counts = order_selectors.bank_transaction_counts(cooperative=cooperative)
    rows = order_selectors.bank_transaction_list(cooperative=cooperative, to_look_at=True)
    return {
        "transfer_count": counts["to_look_at"],
        "transfers": list(rows[:TASK_ROWS]) if counts["to_look_at"] else [],
    }


@dashboard_view()
def home(request):
    """What needs doing first; helpers, who do not see orders, get the product tasks only."""
    cooperative = request.membership.cooperative
    context = {
        "cooperative": cooperative,
        **_product_tasks(cooperative),
        "qr_visits": qr_visit_totals(cooperative=cooperative),
        "posts_made": post_made_totals(cooperative=cooperative),
    }
    if request.membership.role in ORDER_ROLES:
        context.update(_order_tasks(cooperative))
        context["push_key"] = settings.VAPID_PUBLIC_KEY if push_enabled() else ""
        context["push_for"] = f"member:{request.user.pk}"
    if request.membership.role in OWNER_ROLES:
        context.update(_transfer_tasks(cooperative))
    return render(request, "dashboard/home.html", context)


# The dashboard as an app on the phone's home screen. Both answer without a session: a browser
# fetches the manifest without cookies, and neither says anything about anyone.
SCOPE = "/dashboard/"
THEME_COLOUR = "#2f5d3a"  # --brand in static/css/site.css
BACKGROUND_COLOUR = "#faf8f3"  # --paper


@require_safe
def manifest(request):
    icons = [
        {"src": static("img/app-icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": static("img/app-icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {
            "src": static("img/app-icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    data = {
        "name": _("Chợ Phiên: gian hàng của tôi"),
        "short_name": _("Chợ Phiên"),
        "description": _("Đơn hàng, sản phẩm và thông báo đơn mới của gian hàng."),
        "lang": request.LANGUAGE_CODE,
        "id": SCOPE,
        "start_url": SCOPE,
        "scope": SCOPE,
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_safe
@cache_control(no_cache=True)
def service_worker(request):
    """Shows push messages and opens what they point to; it caches nothing and sees no request."""
    return render(
        request,
        "dashboard/sw.js",
        # As JSON: string literals the script can take as they are.
        {"icon": json.dumps(static("img/app-icon-192.png")), "home": json.dumps(reverse("dashboard:home"))},
        content_type="text/javascript",
    )


# Outside the language prefixes: one address whatever the language, inside the scope it serves.
app_urlpatterns = [
    path("dashboard/manifest.webmanifest", manifest, name="dashboard-manifest"),
    path("dashboard/sw.js", service_worker, name="dashboard-sw"),
]

urlpatterns = [
    path("", home, name="home"),
    path("push/subscribe/", push_views.member_subscribe, name="push-subscribe"),
    path("push/unsubscribe/", push_views.member_unsubscribe, name="push-unsubscribe"),
    *product_urlpatterns,
]
