"""The producer's journey end to end through the test client, with a buyer in between."""

import pytest
from django.test import Client

from orders.models import Order
from tests.dashboard import make_stall, product_data
from tests.factories import CategoryFactory, jpeg_upload

pytestmark = pytest.mark.django_db


def test_sign_in_add_product_buyer_orders_producer_confirms_and_ships(client):
    """Sign in → add a product with a photo → buyer orders it → confirm, ship → buyer sees it."""
    stall = make_stall("HTX Mật ong Mèo Vạc")
    category = CategoryFactory(name="Mật ong")

    response = client.post(
        "/accounts/login/", {"username": stall.member.username, "password": "secret-pass-123"}
    )
    assert response.url == "/dashboard/"
    response = client.post(
        "/dashboard/products/new/",
        product_data(
            category=category,
            name="Mật ong bạc hà Mèo Vạc",
            price="450.000",
            unit="chai 500 ml",
            stock="8",
            photos=[jpeg_upload("mat-ong.jpg")],
        ),
    )
    assert response.status_code == 302
    buyer = Client(HTTP_ACCEPT_LANGUAGE="vi")
    catalogue = buyer.get("/products/?q=mat ong bac ha").content.decode()
    assert "Mật ong bạc hà Mèo Vạc" in catalogue
    product = stall.cooperative.products.get(name="Mật ong bạc hà Mèo Vạc")
    assert product.images.count() == 1

    buyer.post("/cart/add/", {"product_id": product.pk, "quantity": 2})
    token = buyer.get("/checkout/").context["form"].initial["checkout_token"]
    response = buyer.post(
        "/checkout/",
        {
            "full_name": "Phạm Minh Châu",
            "phone": "0903 123 456",
            "email": "chau@example.vn",
            "province": "79",
            "commune": "phường Bến Thành",
            "street_address": "45 Lê Lợi",
            "note": "",
            "payment_method": "cod",
            "checkout_token": token,
        },
    )
    assert response.status_code == 303  # see-other: a reload never posts the order again
    order = Order.objects.get(full_name="Phạm Minh Châu")
    order_page = response.url

    dashboard = client.get("/dashboard/orders/").content.decode()
    assert order.code in dashboard
    part = order.cooperative_orders.get()
    client.post(f"/dashboard/orders/{part.pk}/confirm/")
    client.post(
        f"/dashboard/orders/{part.pk}/ship/", {"carrier": "viettel_post", "tracking_number": "VTP987"}
    )

    page = buyer.get(order_page).content.decode()
    assert "Đang giao" in page and "VTP987" in page
    product.refresh_from_db()
    assert product.stock == 6
