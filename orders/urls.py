from django.urls import path

from . import push_views, views

app_name = "orders"

urlpatterns = [
    path("cart/", views.cart_detail, name="cart"),
    path("cart/add/", views.cart_add, name="cart-add"),
    path("cart/update/", views.cart_update, name="cart-update"),
    path("cart/remove/", views.cart_remove, name="cart-remove"),
    path("cart/clear/", views.cart_clear, name="cart-clear"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/forget/", views.checkout_forget, name="checkout-forget"),
    path("orders/track/", views.order_track, name="order-track"),
    path("orders/<str:code>/", views.order_detail, name="order-detail"),
    path("orders/<str:code>/cancel/", views.order_cancel, name="order-cancel"),
    path("orders/<str:code>/again/", views.order_buy_again, name="order-buy-again"),
    path("orders/<str:code>/push/subscribe/", push_views.buyer_subscribe, name="push-subscribe"),
    path("orders/<str:code>/push/unsubscribe/", push_views.buyer_unsubscribe, name="push-unsubscribe"),
]
