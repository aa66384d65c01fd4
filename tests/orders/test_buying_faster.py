"""Buying faster: the checkout remembers the buyer on this device when asked (and forgets on
request), 'Mua lại' puts an order's products back in the cart at today's prices and stock, and
the order page hands its tracking link to Zalo or the phone's share sheet."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from orders.cart import Cart
from orders.models import Order
from tests.factories import ProductFactory, placed_order
from tests.orders.test_views import add, checkout_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def tea():
    return ProductFactory(name="Chè Shan tuyết", price=250_000, stock=10)


def value_of(page: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    return found.group(1) if found else ""


def order_with(client, product, **fields) -> Order:
    add(client, product, 1)
    response = client.post("/checkout/", checkout_data(client, **fields))
    assert response.status_code == 303, response.content.decode()[:2000]
    return Order.objects.get(code=response["Location"].rstrip("/").split("/")[-1])


def test_the_next_checkout_is_filled_in_only_when_the_buyer_asked(client, tea):
    order_with(client, tea)
    add(client, tea, 1)
    assert value_of(client.get("/checkout/").content.decode(), "full_name") == ""

    order_with(client, tea, remember="on", full_name="Lò Thị Mai", street_address="Bản Lướt")
    cookie = client.cookies["buyer"]
    assert cookie["httponly"] and "Mai" not in cookie.value  # signed and encoded, not plain text
    add(client, tea, 1)
    page = client.get("/checkout/").content.decode()
    assert value_of(page, "full_name") == "Lò Thị Mai"
    assert value_of(page, "phone") == "0912345678"
    assert value_of(page, "street_address") == "Bản Lướt"
    assert re.search(r'name="remember"[^>]*checked', page)
    assert "Quên thông tin này" in page
    # Ordering again with the box unticked forgets.
    order_with(client, tea)
    assert client.cookies["buyer"].value == ""


def test_forget_and_a_forged_cookie(client, tea):
    order_with(client, tea, remember="on")
    response = client.post("/checkout/forget/", follow=True)
    assert "Máy này không còn nhớ" in response.content.decode()
    assert client.cookies["buyer"].value == ""
    forged = Client()
    forged.cookies["buyer"] = "eyJmdWxsX25hbWUiOiJYIn0:forged:sig"
    add(forged, tea, 1)
    page = forged.get("/checkout/")
    assert page.status_code == 200 and value_of(page.content.decode(), "full_name") == ""
    assert forged.get("/checkout/forget/").status_code == 405


def test_buy_again_puts_the_products_back_at_today_s_price_and_stock(client, tea):
    honey = ProductFactory(name="Mật ong", price=300_000, stock=5)
    gone = ProductFactory(name="Gạo nếp", stock=5)
    add(client, tea, 3)
    add(client, honey, 2)
    add(client, gone, 1)
    order = order_with(client, tea)  # order_with adds one more tea: 4 teas in the order
    tea.refresh_from_db()
    tea.price = 280_000
    tea.save()
    ProductFactory._meta.model.objects.filter(pk=honey.pk).update(stock=1)
    gone.is_published = False
    gone.save()
    first = client.post(f"/orders/{order.code}/again/", follow=True)
    assert first.redirect_chain[-1] == ("/cart/", 303)
    page = first.content.decode()
    assert f"Các sản phẩm của đơn {order.code} đã ở trong giỏ, theo giá hôm nay." in page
    assert "Mật ong chỉ còn 1, giỏ hàng có 1." in page
    assert "Gạo nếp không còn hàng." in page
    assert "280.000" in page
    assert Cart(client.session).lines == {tea.pk: 4, honey.pk: 1}
    # Pressed twice: nothing more.
    client.post(f"/orders/{order.code}/again/")
    assert Cart(client.session).lines == {tea.pk: 4, honey.pk: 1}


def test_buy_again_only_for_the_browser_that_may_see_the_order(client, tea):
    order = placed_order({tea: 1})
    assert client.post(f"/orders/{order.code}/again/").status_code == 404
    assert client.get(f"/orders/{order.code}/again/").status_code == 405
    assert Cart(client.session).lines == {}


def test_the_order_page_sends_its_tracking_link_to_zalo(client, tea):
    order = order_with(client, tea)
    page = client.get(order.get_absolute_url()).content.decode()
    zalo = re.search(r'href="(https://sp\.zalo\.me/share_inline\?[^"]+)"', page).group(1)
    shared = parse_qs(urlparse(zalo.replace("&amp;", "&")).query)["url"][0]
    link = urlparse(shared)
    assert link.path == "/orders/track/" and parse_qs(link.query)["code"] == [order.code]
    assert f'data-url="{shared.replace("&", "&amp;")}"' in page
    # The link opens the tracking form with the code filled in, on any phone.
    track = Client().get(f"{link.path}?{link.query}").content.decode()
    assert value_of(track, "code") == order.code
