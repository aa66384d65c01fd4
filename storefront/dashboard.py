"""The producer dashboard's home page and URL map.

The home page shows what needs doing first across listings and orders, so it lives in the
project package, which may read both apps: `products` must never import `orders`, and the
order side should not own the product side's landing page either.
"""

from django.db.models import Count
from django.shortcuts import render
from django.urls import path

from products.dashboard_urls import urlpatterns as product_urlpatterns
from products.models import Product
from products.permissions import dashboard_view

TASK_ROWS = 5


def _product_tasks(cooperative) -> dict:
    active = Product.objects.filter(cooperative=cooperative, is_archived=False)
    low = active.filter(stock__lte=Product.LOW_STOCK).order_by("stock", "name")
    no_photo = active.annotate(photo_count=Count("images")).filter(photo_count=0).order_by("name")
    return {
        "low_stock": list(low[:TASK_ROWS]),
        "low_stock_count": low.count(),
        "no_photo": list(no_photo[:TASK_ROWS]),
        "no_photo_count": no_photo.count(),
        "product_count": active.count(),
    }


@dashboard_view()
def home(request):
    cooperative = request.membership.cooperative
    context = {"cooperative": cooperative, **_product_tasks(cooperative)}
    return render(request, "dashboard/home.html", context)


urlpatterns = [path("", home, name="home"), *product_urlpatterns]
