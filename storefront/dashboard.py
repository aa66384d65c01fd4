"""The producer dashboard's home page and URL map.

The home page shows what needs doing first across listings and orders, so it lives in the
project package, which may read both apps: `products` must never import `orders`, and the
order side should not own the product side's landing page either.
"""

from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import path

from orders import dashboard_selectors as order_selectors
from products.dashboard_urls import urlpatterns as product_urlpatterns
from products.models import Product
from products.permissions import ORDER_ROLES, dashboard_view
from products.selectors import post_made_totals, qr_visit_totals

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
    return render(request, "dashboard/home.html", context)


urlpatterns = [path("", home, name="home"), *product_urlpatterns]
