from django.urls import path, re_path

from . import posters, views

app_name = "products"

SLUG = r"(?P<slug>[-a-zA-Z0-9_]+)"
QR_FILE = r"poster/qr\.(?P<kind>svg|png)$"

urlpatterns = [
    path("products/", views.product_list, name="product-list"),
    path("products/<slug:slug>/", views.product_detail, name="product-detail"),
    path("products/<slug:slug>/poster/", posters.product_poster, name="product-poster"),
    re_path(rf"^products/{SLUG}/{QR_FILE}", posters.product_poster_qr, name="product-poster-qr"),
    path("cooperatives/", views.cooperative_list, name="cooperative-list"),
    path("cooperatives/<slug:slug>/", views.cooperative_detail, name="cooperative-detail"),
    path("cooperatives/<slug:slug>/poster/", posters.cooperative_poster, name="cooperative-poster"),
    re_path(rf"^cooperatives/{SLUG}/{QR_FILE}", posters.cooperative_poster_qr, name="cooperative-poster-qr"),
]
