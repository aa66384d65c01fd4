from django.urls import path

from . import views

app_name = "products"

urlpatterns = [
    path("products/", views.product_list, name="product-list"),
    path("products/<slug:slug>/", views.product_detail, name="product-detail"),
    path("cooperatives/", views.cooperative_list, name="cooperative-list"),
    path("cooperatives/<slug:slug>/", views.cooperative_detail, name="cooperative-detail"),
]
