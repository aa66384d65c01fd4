"""Cart, checkout, order page, tracking and cancelling, as a buyer's browser sees them."""

import re
import socket

import pytest
from django.core import mail
from django.urls import reverse

from orders import services
from orders.models import Order, Status
from orders.vietqr import vietqr_payload, vietqr_svg
from tests.factories import CooperativeFactory, ProductFactory, placed_order

pytestmark = pytest.mark.django_db

CART = "/cart/"
CHECKOUT = "/checkout/"


@pytest.fixture
def tea():
    coop = CooperativeFactory(name="HTX Chè", shipping_fee=30000, free_shipping_threshold=500000)
    return ProductFactory(cooperative=coop, name="Chè Shan tuyết", price=250000, stock=10)


@pytest.fixture
def honey():
    coop = CooperativeFactory(name="HTX Mật ong", shipping_fee=25000, free_shipping_threshold=None)
    return ProductFactory(cooperative=coop, name="Mật ong bạc hà", price=450000, stock=3)


def add(client, product, quantity=None, prefix="", **extra):
    data = {"product_id": product.pk, **extra}
    if quantity is not None:
        data["quantity"] = quantity
    return client.post(f"{prefix}/cart/add/", data)


def cart_of(client) -> dict:
    return client.session.get("cart", {})


def token_of(client) -> str:
    response = client.get(CHECKOUT)
    return re.search(r'name="checkout_token" value="([^"]+)"', response.content.decode()).group(1)


def checkout_data(client, **overrides) -> dict:
    data = {
        "full_name": "Nguyễn Thị Lan",
        "phone": "+84 912.345.678",
        "email": "lan@example.vn",
        "province": "01",
        "commune": "phường Ba Đình",
        "street_address": "12 Hàng Bông",
        "note": "Gọi trước khi giao",
        "payment_method": "cod",
        "checkout_token": token_of(client),
    }
    data.update(overrides)
    return data


# --- cart -----------------------------------------------------------------------------------------


def test_add_defaults_to_one_and_goes_back_to_next(client, tea):
    """Adding without a quantity adds one and redirects (303) to the safe local `next`."""
    response = add(client, tea, next=tea.get_absolute_url())
    assert response.status_code == 303
    assert response["Location"] == tea.get_absolute_url()
    assert cart_of(client) == {str(tea.pk): 1}


def test_add_refuses_foreign_next(client, tea):
    """An off-site `next` is ignored: the buyer lands on the cart."""
    response = add(client, tea, 2, next="https://evil.example/steal")
    assert response["Location"] == CART


def test_header_shows_item_count_on_every_page(client, tea, honey):
    """The header's cart badge counts items on any page."""
    add(client, tea, 2)
    add(client, honey, 1)
    for url in ("/", "/products/", tea.get_absolute_url(), CART):
        page = client.get(url).content.decode()
        # The badge shows the number; screen readers hear it with its word ("3 sản phẩm").
        assert '<span class="cart-count" aria-hidden="true">3</span>' in page
        assert '<span class="visually-hidden cart-count-label">3 sản phẩm</span></a>' in page


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "Số lượng ít nhất là 1"),
        ("-3", "Số lượng ít nhất là 1"),
        ("abc", "Số lượng phải là một số"),
        ("100000", "tối đa 99"),
        ("1e9", "Số lượng phải là một số"),
    ],
)
def test_odd_quantities_get_a_message(client, tea, quantity, message):
    """Zero, negative, huge or non-numeric quantities change nothing and say why."""
    response = add(client, tea, quantity)
    assert response.status_code == 303
    assert cart_of(client) == {}
    assert message in client.get(CART).content.decode()


@pytest.mark.parametrize(
    ("product_id", "message"),
    [
        ("999999", "Sản phẩm này không còn bán."),
        ("abc", "Không rõ sản phẩm nào."),
        ("", "Không rõ sản phẩm nào."),
        ("-1", "Không rõ sản phẩm nào."),
        ("9" * 40, "Không rõ sản phẩm nào."),
    ],
    ids=["unknown", "letters", "empty", "negative", "huge"],
)
def test_unknown_products_get_a_message(client, product_id, message):
    """Unknown or malformed product ids give a message, never a 500."""
    response = client.post("/cart/add/", {"product_id": product_id})
    assert response.status_code == 303
    assert cart_of(client) == {}
    page = client.get(response["Location"]).content.decode()
    assert page.count('<div class="alert alert-danger" role="alert">') == 1
    assert message in page


def test_unpublished_product_cannot_be_added(client, tea):
    """An unpublished product is refused with a message."""
    tea.is_published = False
    tea.save()
    add(client, tea)
    assert cart_of(client) == {}
    assert "không còn bán" in client.get(CART).content.decode()


def test_get_is_not_allowed_on_cart_actions(client):
    """Cart changes are POST only."""
    for url in ("/cart/add/", "/cart/update/", "/cart/remove/", "/cart/clear/", "/orders/ABCDEFGH/cancel/"):
        assert client.get(url).status_code == 405


def test_adding_more_than_stock_is_capped(client, honey):
    """Asking for more than is left puts what is left in the cart and says so."""
    add(client, honey, 2)
    response = add(client, honey, 5)
    assert cart_of(client) == {str(honey.pk): 3}
    assert "chỉ đặt được 3" in client.get(response["Location"]).content.decode()


def test_sold_out_cannot_be_added(client, tea):
    """A sold-out product is refused; the product page shows a disabled button."""
    tea.stock = 0
    tea.save()
    add(client, tea)
    assert cart_of(client) == {}
    page = client.get(tea.get_absolute_url()).content.decode()
    assert "disabled>Hết hàng</button>" in page


def test_product_page_has_add_form(client, tea):
    """The product page has a POST form with a quantity field to add to the cart."""
    page = client.get(tea.get_absolute_url()).content.decode()
    assert 'action="/cart/add/"' in page
    assert 'name="quantity"' in page


def test_cart_groups_by_cooperative_with_shipping(client, tea, honey):
    """Lines are grouped per stall with subtotal, shipping (free above threshold) and totals."""
    add(client, tea, 2)
    add(client, honey, 1)
    page = client.get(CART).content.decode()
    assert page.index("HTX Chè") < page.index("HTX Mật ong")
    assert "500.000\xa0₫" in page  # tea subtotal
    assert "Miễn phí" in page  # tea reached its threshold
    assert "25.000\xa0₫" in page  # honey's flat fee
    assert "975.000\xa0₫" in page  # grand total


def test_cart_query_budget_is_flat(client, django_assert_max_num_queries):
    """The cart page costs the same number of queries for 1 line or 12 lines from 4 stalls."""
    coops = [CooperativeFactory() for _ in range(4)]
    products = [ProductFactory(cooperative=coops[i % 4]) for i in range(12)]
    add(client, products[0])
    client.get(CART)
    with django_assert_max_num_queries(4):
        client.get(CART)
    for product in products[1:]:
        add(client, product)
    client.get(CART)
    with django_assert_max_num_queries(4):
        response = client.get(CART)
    assert response.content.decode().count('class="cart-line"') == 12


def test_stale_lines_are_corrected_with_a_note(client, tea, honey):
    """Unpublished lines go, quantities above stock shrink, changed prices are pointed out."""
    other = ProductFactory(name="Túi thổ cẩm", stock=5)
    add(client, tea, 4)
    add(client, honey, 3)
    add(client, other, 1)
    client.get(CART)
    tea.price = 260000
    tea.save()
    honey.stock = 1
    honey.save()
    other.is_published = False
    other.save()
    page = client.get(CART).content.decode()
    assert "Túi thổ cẩm không còn bán" in page
    assert "Chỉ còn 1 nên số lượng đã giảm từ 3 xuống 1" in page
    assert "Giá vừa đổi từ 250.000\xa0₫ thành 260.000\xa0₫" in page
    assert cart_of(client) == {str(tea.pk): 4, str(honey.pk): 1}
    assert "Giá vừa đổi" not in client.get(CART).content.decode()  # said once


def test_update_remove_and_clear(client, tea, honey):
    """Quantity changes, removal and emptying work as plain forms."""
    add(client, tea, 1)
    add(client, honey, 1)
    client.post("/cart/update/", {"product_id": tea.pk, "quantity": 3})
    assert cart_of(client)[str(tea.pk)] == 3
    client.post("/cart/update/", {"product_id": honey.pk, "quantity": 50})
    assert cart_of(client)[str(honey.pk)] == 3
    assert "Mật ong bạc hà chỉ còn 3" in client.get(CART).content.decode()
    client.post("/cart/update/", {"product_id": tea.pk, "quantity": 0})
    assert str(tea.pk) not in cart_of(client)
    client.post("/cart/remove/", {"product_id": honey.pk})
    assert cart_of(client) == {}
    add(client, tea, 1)
    client.post("/cart/clear/", {"confirm": "yes"})
    assert cart_of(client) == {}


def test_update_with_odd_input_gets_a_message(client, tea):
    """Updating with junk or a product not in the cart says so."""
    add(client, tea, 1)
    client.post("/cart/update/", {"product_id": tea.pk, "quantity": "lots"})
    assert "Số lượng phải là một số" in client.get(CART).content.decode()
    client.post("/cart/update/", {"product_id": 424242, "quantity": 1})
    assert "không có trong giỏ" in client.get(CART).content.decode()
    assert cart_of(client) == {str(tea.pk): 1}


# --- checkout -------------------------------------------------------------------------------------


def test_checkout_with_empty_cart_goes_to_cart(client):
    """Nothing to order: back to the cart with a message."""
    response = client.get(CHECKOUT, follow=True)
    assert response.redirect_chain[-1][0] == CART
    assert "Giỏ hàng đang trống" in response.content.decode()


def test_checkout_places_the_order(client, tea, honey):
    """A good form creates one order from database prices, empties the cart and shows the order."""
    add(client, tea, 2)
    add(client, honey, 1)
    data = checkout_data(client, items_total="1", grand_total="1", price="1")
    response = client.post(CHECKOUT, data)
    order = Order.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/orders/{order.code}/"
    assert order.phone == "0912345678"
    assert order.grand_total == 975000
    assert order.note == "Gọi trước khi giao"
    assert cart_of(client) == {}
    page = client.get(response["Location"]).content.decode()
    assert order.code in page
    assert '<span class="cart-count" aria-hidden="true">0</span>' in page  # header badge


def test_bad_phone_keeps_everything_else(client, tea):
    """A wrong phone number shows what a valid one looks like and keeps the other fields."""
    add(client, tea)
    response = client.post(CHECKOUT, checkout_data(client, phone="0169 123 4567"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "0912 345 678" in page
    assert 'value="Nguyễn Thị Lan"' in page
    assert 'value="12 Hàng Bông"' in page
    assert "Gọi trước khi giao" in page
    assert Order.objects.count() == 0


def test_missing_fields_are_named(client, tea):
    """Required fields left empty each get their own message."""
    add(client, tea)
    page = client.post(
        CHECKOUT, checkout_data(client, full_name="", province="", commune="", street_address="")
    ).content.decode()
    for message in (
        "Hãy nhập tên người nhận",
        "Hãy chọn tỉnh/thành",
        "Hãy nhập xã/phường",
        "Hãy nhập số nhà",
    ):
        assert message in page


def test_unknown_province_is_refused(client, tea):
    """A province code that is not one of the 34 is refused."""
    add(client, tea)
    page = client.post(CHECKOUT, checkout_data(client, province="99")).content.decode()
    assert "trong danh sách" in page


def test_double_submit_gives_one_order(client, tea):
    """Submitting the same form twice (or from two tabs) creates one order and shows it."""
    add(client, tea, 2)
    data = checkout_data(client)
    first = client.post(CHECKOUT, data)
    second = client.post(CHECKOUT, data)
    assert first["Location"] == second["Location"]
    assert Order.objects.count() == 1
    tea.refresh_from_db()
    assert tea.stock == 8


def test_two_tabs_share_one_token(client, tea):
    """Two checkout pages opened from one cart carry the same token."""
    add(client, tea)
    assert token_of(client) == token_of(client)


def test_new_cart_after_an_order_gets_a_new_token(client, tea):
    """After an order, the next checkout uses a fresh token and makes a second order."""
    add(client, tea)
    client.post(CHECKOUT, checkout_data(client))
    add(client, tea)
    client.post(CHECKOUT, checkout_data(client))
    assert Order.objects.count() == 2


def test_out_of_stock_at_placement_goes_back_to_cart(client, tea, honey):
    """Stock that ran out since the page loaded: nothing taken, cart corrected, products named."""
    add(client, tea, 2)
    add(client, honey, 3)
    data = checkout_data(client)
    honey.stock = 1
    honey.save()
    response = client.post(CHECKOUT, data, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == CART
    assert "Mật ong bạc hà chỉ còn 1" in page
    assert Order.objects.count() == 0
    assert cart_of(client) == {str(tea.pk): 2, str(honey.pk): 1}
    tea.refresh_from_db()
    assert tea.stock == 10


def test_price_change_before_submit_is_shown_not_ordered(client, tea):
    """A price change between showing and submitting stops the order and shows the new total."""
    add(client, tea, 1)
    data = checkout_data(client)
    tea.price = 300000
    tea.save()
    response = client.post(CHECKOUT, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Giá vừa đổi từ 250.000\xa0₫ thành 300.000\xa0₫" in page
    assert Order.objects.count() == 0
    response = client.post(CHECKOUT, data)
    assert response.status_code == 303
    assert Order.objects.get().grand_total == 330000


def test_bank_transfer_only_when_every_stall_has_bank_details(client, tea, honey):
    """Bank transfer is offered only if all stalls can receive it; a forged choice is refused."""
    add(client, tea)
    assert 'value="bank_transfer"' in client.get(CHECKOUT).content.decode()
    honey.cooperative.bank_account_number = ""
    honey.cooperative.save()
    add(client, honey)
    assert 'value="bank_transfer"' not in client.get(CHECKOUT).content.decode()
    page = client.post(CHECKOUT, checkout_data(client, payment_method="bank_transfer")).content.decode()
    assert "không dùng được" in page
    assert Order.objects.count() == 0


def test_bad_token_is_refused(client, tea):
    """A forged checkout token is refused with a message, no order."""
    add(client, tea)
    page = client.post(CHECKOUT, checkout_data(client, checkout_token="x")).content.decode()
    assert "Phiên đặt hàng không hợp lệ" in page
    assert Order.objects.count() == 0


def test_checkout_query_budget_is_flat(client, django_assert_max_num_queries):
    """The checkout page costs the same number of queries for 1 line or 12 lines."""
    coops = [CooperativeFactory() for _ in range(4)]
    products = [ProductFactory(cooperative=coops[i % 4]) for i in range(12)]
    add(client, products[0])
    client.get(CHECKOUT)
    with django_assert_max_num_queries(5):
        response = client.get(CHECKOUT)
    assert response.status_code == 200
    assert response.content.decode().count('class="cart-line"') == 1
    for product in products[1:]:
        add(client, product)
    client.get(CHECKOUT)
    with django_assert_max_num_queries(5):
        response = client.get(CHECKOUT)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="cart-line"') == 12 and 'name="checkout_token"' in page


def test_mail_goes_to_buyer_and_stalls(client, tea, honey, django_capture_on_commit_callbacks):
    """After placing, the buyer and each stall get a mail in Vietnamese."""
    add(client, tea)
    add(client, honey)
    data = checkout_data(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHECKOUT, data)
    order = Order.objects.get()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["lan@example.vn", tea.cooperative.email, honey.cooperative.email]
    )
    buyer_mail = next(m for m in mail.outbox if m.to == ["lan@example.vn"])
    assert order.code in buyer_mail.subject
    assert "0912 345 678" in buyer_mail.body
    assert f"/orders/track/?code={order.code}" in buyer_mail.body


# --- order page, tracking, cancelling -------------------------------------------------------------


def test_cod_order_page_says_what_to_pay(client, tea):
    """Cash on delivery: the page says how much to give the courier."""
    add(client, tea)
    response = client.post(CHECKOUT, checkout_data(client))
    page = client.get(response["Location"]).content.decode()
    assert "trả người giao hàng <strong>280.000\xa0₫</strong>" in page
    assert "<svg" not in page


def test_bank_transfer_page_shows_a_vietqr_per_stall(client, tea, honey):
    """Bank transfer: one VietQR per stall for its exact amount, with the code in the note."""
    add(client, tea)
    add(client, honey)
    response = client.post(CHECKOUT, checkout_data(client, payment_method="bank_transfer"))
    order = Order.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert page.count('class="vietqr"') == 2
    for part in order.cooperative_orders.all():
        payload = vietqr_payload(
            bank_bin=part.bank_bin,
            account_number=part.bank_account_number,
            amount=part.total,
            purpose=f"CHOPHIEN {order.code}",
            bill_number=order.code,
        )
        assert vietqr_svg(payload) in page
        assert f"54{len(str(part.total)):02d}{part.total}" in payload
    assert f"CHOPHIEN {order.code}" in page
    assert "Vietcombank" in page
    assert "0011001234567" in page


def test_paid_part_no_longer_shows_a_qr(client, tea):
    """Once a part is marked paid, its QR code disappears."""
    add(client, tea)
    response = client.post(CHECKOUT, checkout_data(client, payment_method="bank_transfer"))
    part = Order.objects.get().cooperative_orders.get()
    services.cooperative_order_mark_paid(cooperative_order=part, actor=None)
    page = client.get(response["Location"]).content.decode()
    assert "<svg" not in page
    assert "đã thanh toán" in page


def test_other_browsers_get_404(client, tea):
    """Another session gets the same 404 for a real code as for a made-up one."""
    order = placed_order({tea: 1})
    assert client.get(f"/orders/{order.code}/").status_code == 404
    assert client.get("/orders/ZZZZZZZZ/").status_code == 404
    assert client.post(f"/orders/{order.code}/cancel/").status_code == 404


def test_tracking_with_code_and_phone_opens_the_order(client, tea):
    """Code (any case, with spaces) + phone (any format) unlocks the order page in this browser."""
    order = placed_order({tea: 1})
    code = f" {order.code[:4].lower()} {order.code[4:]} "
    response = client.post("/orders/track/", {"code": code, "phone": "84 912 345 678"})
    assert response.status_code == 303
    assert response["Location"] == f"/orders/{order.code}/"
    assert client.get(response["Location"]).status_code == 200


def test_tracking_with_wrong_phone_says_not_found(client, tea):
    """A wrong phone number for a real code gives the same message as an unknown code."""
    order = placed_order({tea: 1})
    wrong = client.post("/orders/track/", {"code": order.code, "phone": "0987654321"}).content.decode()
    unknown = client.post("/orders/track/", {"code": "ZZZZZZZZ", "phone": "0912345678"}).content.decode()
    assert "Không tìm thấy đơn hàng" in wrong
    assert "Không tìm thấy đơn hàng" in unknown
    assert client.get(f"/orders/{order.code}/").status_code == 404


def test_tracking_form_prefills_the_code(client):
    """The link in the mail pre-fills the code."""
    assert 'value="ABCD2345"' in client.get("/orders/track/?code=abcd2345").content.decode()


def test_tracking_is_limited_per_client(client, tea, settings):
    """After too many attempts the client gets a 429 page, even with the right answer."""
    settings.ORDER_TRACK_LIMIT = 3
    order = placed_order({tea: 1})
    for _ in range(3):
        assert client.post("/orders/track/", {"code": "ZZZZZZZZ", "phone": "0912345678"}).status_code == 200
    response = client.post("/orders/track/", {"code": order.code, "phone": "0912345678"})
    assert response.status_code == 429
    assert "quá nhiều lần" in response.content.decode()


def test_buyer_cancels_from_the_order_page(client, tea):
    """The buyer's session can cancel a new order; stock returns; the button then disappears."""
    add(client, tea, 3)
    location = client.post(CHECKOUT, checkout_data(client))["Location"]
    assert "Huỷ đơn hàng" in client.get(location).content.decode()
    response = client.post(f"{location}cancel/", {"confirm": "yes"}, follow=True)
    page = response.content.decode()
    assert "Đã huỷ đơn" in page
    assert "Huỷ đơn hàng</button>" not in page
    tea.refresh_from_db()
    assert tea.stock == 10


def test_buyer_cannot_cancel_after_confirmation(client, tea):
    """Once the stall confirmed, cancelling says to call the stall and changes nothing."""
    add(client, tea)
    location = client.post(CHECKOUT, checkout_data(client))["Location"]
    part = Order.objects.get().cooperative_orders.get()
    services.cooperative_order_confirm(cooperative_order=part, actor=None)
    page = client.post(f"{location}cancel/", {"confirm": "yes"}, follow=True).content.decode()
    assert "không huỷ được nữa" in page
    part.refresh_from_db()
    assert part.status == Status.CONFIRMED


def test_order_page_query_budget(client, tea, honey, django_assert_max_num_queries):
    """The order page needs a handful of queries however many parts and items."""
    add(client, tea)
    add(client, honey)
    location = client.post(CHECKOUT, checkout_data(client, payment_method="bank_transfer"))["Location"]
    # session, order, parts, items, and a savepoint-wrapped session write for the consumed message
    with django_assert_max_num_queries(7):
        assert client.get(location).status_code == 200


def test_full_buyer_journey(client, tea, honey):
    """Two stalls into one cart, check out with a phone typed loosely, track from another browser."""
    from django.test import Client

    add(client, tea, 2, next=tea.get_absolute_url())
    add(client, honey, 1, next=honey.get_absolute_url())
    assert "HTX Mật ong" in client.get(CART).content.decode()
    data = checkout_data(client, phone="0912-345-678", payment_method="bank_transfer")
    order_url = client.post(CHECKOUT, data)["Location"]
    page = client.get(order_url).content.decode()
    code = Order.objects.get().code
    assert code in page and page.count('class="vietqr"') == 2

    other = Client(HTTP_ACCEPT_LANGUAGE="vi")
    assert other.get(order_url).status_code == 404
    response = other.post(reverse("orders:order-track"), {"code": code, "phone": "0912 345 678"}, follow=True)
    assert response.status_code == 200
    assert "HTX Chè" in response.content.decode()


def test_a_phone_edited_by_hand_in_admin_does_not_break_the_order_page(client, tea):
    """A number that is no longer a valid mobile is shown as stored, not turned into a 500."""
    add(client, tea, 1)
    response = client.post(CHECKOUT, checkout_data(client))
    order = Order.objects.get()
    Order.objects.filter(pk=order.pk).update(phone="0243825123")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "0243825123" in page.content.decode()


def test_an_order_beyond_the_maximum_goes_back_to_the_cart_with_a_message(client):
    """A cart worth billions (an old price typed with extra zeros) is refused, never a 500."""
    pricey = ProductFactory(name="Chè đắt", price=2_000_000_000, stock=5)
    add(client, pricey, 2)
    response = client.post(CHECKOUT, checkout_data(client), follow=True)
    assert response.redirect_chain[-1][0] == CART
    assert "vượt mức tối đa" in response.content.decode()
    assert Order.objects.count() == 0
    pricey.refresh_from_db()
    assert pricey.stock == 5


@pytest.mark.parametrize("token", ["abc\x00def" * 4, "\x00", "ok-token-but-way-too-long-" * 4])
def test_malformed_token_is_refused_without_a_server_error(client, tea, token):
    """A token with a NUL byte or the wrong shape is refused with the form's message, never a 500."""
    add(client, tea)
    response = client.post(CHECKOUT, checkout_data(client, checkout_token=token))
    assert response.status_code == 200
    assert "Phiên đặt hàng không hợp lệ" in response.content.decode()
    assert Order.objects.count() == 0


def test_paid_transfer_has_no_cancel_button_but_the_stall_phone(client, tea):
    """A paid bank transfer: no cancel button, the stall's phone to call instead; a forced POST
    is refused with the same advice and the order stays."""
    add(client, tea, 2)
    location = client.post(CHECKOUT, checkout_data(client, payment_method="bank_transfer"))["Location"]
    part = Order.objects.get().cooperative_orders.get()
    services.cooperative_order_mark_paid(cooperative_order=part, actor=None)
    page = client.get(location).content.decode()
    assert "Huỷ đơn hàng</button>" not in page
    assert 'href="tel:0912345678"' in page
    page = client.post(f"{location}cancel/", {"confirm": "yes"}, follow=True).content.decode()
    assert "hãy gọi cho HTX Chè (0912 345 678)" in page
    part.refresh_from_db()
    assert part.status == Status.NEW


def test_tracking_limit_is_per_visitor_behind_a_proxy(client, settings):
    """Behind one proxy, each visitor has their own tracking limit; a forged header changes nothing."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ORDER_TRACK_LIMIT = 2
    data = {"code": "ZZZZZZZZ", "phone": "0912345678"}
    proxy = {"REMOTE_ADDR": "10.0.0.9"}
    for _ in range(2):
        client.post("/orders/track/", data, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    limited = client.post("/orders/track/", data, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1", **proxy)
    assert limited.status_code == 429
    other = client.post("/orders/track/", data, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    assert other.status_code == 200


@pytest.mark.parametrize("ignore_exceptions", [True, False], ids=["answers-none", "raises"])
def test_tracking_works_while_redis_is_down(client, tea, settings, ignore_exceptions):
    """With REDIS_URL set and Redis not answering (django-redis then answers None, or raises),
    tracking still finds the order: no 500, no buyer turned away."""
    order = placed_order({tea: 1})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    settings.REDIS_URL = closed
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": closed,
            "OPTIONS": {"IGNORE_EXCEPTIONS": ignore_exceptions, "SOCKET_CONNECT_TIMEOUT": 1},
        }
    }
    response = client.post("/orders/track/", {"code": order.code, "phone": "0912345678"})
    assert response.status_code == 303
    assert response["Location"] == order.get_absolute_url()


def test_order_page_lists_each_item_as_bought(client, tea):
    """Each line shows the snapshot name, price per unit, quantity and line total."""
    add(client, tea, 2)
    location = client.post(CHECKOUT, checkout_data(client))["Location"]
    tea.name, tea.price = "Tên mới", 1
    tea.save()
    page = client.get(location).content.decode()
    assert (
        '<span class="line-name">Chè Shan tuyết</span><span class="line-total">500.000\u00a0₫</span>' in page
    )
    assert '<div class="line-meta">250.000\u00a0₫ / <span>gói 200 g</span> × 2</div>' in page


def test_order_link_on_another_phone_explains_how_to_open_it(client, tea):
    """Another session gets a 404 that links to tracking with the code filled in, the same page
    for a real code as for a made-up one."""
    order = placed_order({tea: 1})
    real = client.get(f"/orders/{order.code}/")
    made_up = client.get("/orders/ZZZZZZZZ/")
    assert real.status_code == made_up.status_code == 404
    page = real.content.decode()
    assert f'href="/orders/track/?code={order.code}"' in page
    assert "số điện thoại" in page and "sản phẩm đã ngừng bán" not in page
    other = made_up.content.decode()
    assert 'href="/orders/track/?code=ZZZZZZZZ"' in other
    assert "Mở đơn hàng trên máy này" in page and "Mở đơn hàng trên máy này" in other


def test_a_refused_checkout_keeps_what_the_buyer_typed(client, tea, honey):
    """After a stock bounce to the cart, the checkout form comes back filled in; after the order
    is placed, the next checkout starts empty."""
    add(client, tea, 2)
    add(client, honey, 3)
    data = checkout_data(client, payment_method="bank_transfer", items_total="1")
    honey.stock = 1
    honey.save()
    assert client.post(CHECKOUT, data)["Location"] == CART
    page = client.get(CHECKOUT).content.decode()
    for typed in (
        'value="Nguyễn Thị Lan"',
        'value="+84 912.345.678"',
        'value="lan@example.vn"',
        'value="phường Ba Đình"',
        'value="12 Hàng Bông"',
        "Gọi trước khi giao</textarea>",
        '<option value="01" selected>',
    ):
        assert typed in page, typed
    assert re.search(r'value="bank_transfer"[^>]* checked', page)
    client.post(CHECKOUT, checkout_data(client, full_name="Nguyễn Thị Lan"))
    assert Order.objects.count() == 1
    add(client, tea)
    assert "Nguyễn Thị Lan" not in client.get(CHECKOUT).content.decode()


def test_order_page_tells_the_truth_when_parts_are_at_different_stages(client, tea, honey):
    """One part shipped and paid, the other new and paid: "partly sent", each part's status shown,
    and no claim that every stall is still preparing."""
    add(client, tea)
    add(client, honey)
    location = client.post(CHECKOUT, checkout_data(client, payment_method="bank_transfer"))["Location"]
    tea_part, honey_part = Order.objects.get().cooperative_orders.order_by("cooperative_name")
    for part in (tea_part, honey_part):
        services.cooperative_order_mark_paid(cooperative_order=part, actor=None)
    services.cooperative_order_confirm(cooperative_order=tea_part, actor=None)
    services.cooperative_order_ship(
        cooperative_order=tea_part, actor=None, carrier="ghn", tracking_number="GY1234"
    )
    page = client.get(location).content.decode()
    assert 'class="status status-partly_shipped">Một phần đã gửi</strong>' in page
    assert '<span>HTX Chè</span>: <span class="status status-shipped">Đang giao</span>' in page
    assert '<span>HTX Mật ong</span>: <span class="status status-new">Mới đặt</span>' in page
    assert "Các gian hàng đang chuẩn bị gửi hàng" not in page
    assert "Một phần hàng đã được gửi đi" in page


def test_an_empty_phone_says_what_it_is_for(client, tea):
    """Leaving the phone empty asks for it by name, not with Django's generic "required" line."""
    add(client, tea)
    page = client.post(CHECKOUT, checkout_data(client, phone="")).content.decode()
    assert "Hãy nhập số điện thoại để người giao hàng gọi cho bạn." in page
    assert "Trường này là bắt buộc" not in page


def test_a_too_long_note_says_how_long_it_may_be(client, tea):
    """A note past 1000 characters gets the limit and its length in plain words."""
    add(client, tea)
    page = client.post(CHECKOUT, checkout_data(client, note="a" * 1001)).content.decode()
    assert "tối đa 1000 ký tự, bạn đã nhập 1001" in page


def test_english_cart_and_messages_use_the_english_product_name(client, tea, honey):
    """In English, "Added …", stock warnings and cart lines name the product in English."""
    tea.name_en = "Shan tuyet tea"
    tea.save()
    honey.name_en = "Mint honey"
    honey.save()
    add(client, tea, 2, prefix="/en")
    page = client.get(f"/en{CART}").content.decode()
    assert "Added Shan tuyet tea to your cart (2)." in page
    add(client, honey, 9, prefix="/en")
    page = client.get(f"/en{CART}").content.decode()
    assert "Mint honey" in page
    assert "Chè Shan tuyết" not in page
    assert "Mật ong bạc hà" not in page


def test_order_page_writes_the_date_as_each_language_does(client, tea):
    """The order page says when it was placed as "28/11/2026, 07:13" in Vietnamese and
    "28 Nov 2026, 07:13" in English."""
    from django.utils import timezone

    add(client, tea)
    location = client.post(CHECKOUT, checkout_data(client))["Location"]
    placed = timezone.localtime(Order.objects.get().created_at)
    page = client.get(location).content.decode()
    assert f"Đặt lúc {placed:%d/%m/%Y, %H:%M}." in page
    page = client.get(f"/en{location}").content.decode()
    assert f"Placed on {placed.day} {placed:%b %Y, %H:%M}." in page


def test_cancelling_needs_the_confirmation_box(client, tea, honey):
    """The cancel button alone cancels nothing: the order stays and the page says to tick the box;
    with the box ticked every part is cancelled."""
    add(client, tea, 2)
    add(client, honey, 1)
    location = client.post(CHECKOUT, checkout_data(client))["Location"]
    page = client.get(location).content.decode()
    assert 'name="confirm" value="yes" id="cancel-confirm" required' in page
    assert "Tôi muốn huỷ cả đơn, mọi gian hàng trong đơn" in page
    response = client.post(f"{location}cancel/", follow=True)
    assert response.redirect_chain[-1][0] == f"{location}#cancel"
    assert "Đơn chưa bị huỷ" in response.content.decode()
    assert not Order.objects.get().cooperative_orders.filter(status=Status.CANCELLED).exists()
    client.post(f"{location}cancel/", {"confirm": "yes"})
    assert set(Order.objects.get().cooperative_orders.values_list("status", flat=True)) == {Status.CANCELLED}


def test_emptying_the_cart_is_a_second_step_away_from_shopping_on(client, tea):
    """ "Xoá hết" sits apart from "Mua thêm", behind a disclosure; a bare POST keeps the cart."""
    add(client, tea, 2)
    page = client.get(CART).content.decode()
    actions = page[page.index('<div class="cart-actions">') :]
    actions = actions[: actions.index("</div>")]
    assert "Mua thêm" in actions and "cart/clear" not in actions
    assert '<details class="cart-clear">' in page
    response = client.post("/cart/clear/", follow=True)
    assert cart_of(client) == {str(tea.pk): 2}
    assert "Giỏ hàng vẫn giữ nguyên" in response.content.decode()
    client.post("/cart/clear/", {"confirm": "yes"})
    assert cart_of(client) == {}


# --- what the order page says next, state by state -----------------------------------------------

PAY_COD_ONE = "Khi nhận hàng, trả người giao hàng"
PAY_COD_EACH = "Khi nhận từng kiện, trả người giao hàng:"
PAY_QR = "quét mã của từng gian hàng"
PAID_PREPARING = "Đã thanh toán xong. Các gian hàng đang chuẩn bị gửi hàng."
PAID_PARTLY_SENT = "Một phần hàng đã được gửi đi, các gian hàng còn lại đang chuẩn bị gửi hàng."
PAID_ON_THE_WAY = "Đã thanh toán xong. Hàng đã được gửi đi, người giao hàng sẽ gọi cho bạn."
PAID_PARTLY_DELIVERED = "Một phần hàng đã giao, phần còn lại đang trên đường"
PAID_DELIVERED = "Đã thanh toán xong và đã giao đủ hàng. Cảm ơn bạn!"
REFUND = "Hãy gọi cho gian hàng để nhận lại tiền"
NEXT_STEP_SENTENCES = [
    PAY_COD_ONE,
    PAY_COD_EACH,
    PAY_QR,
    PAID_PREPARING,
    PAID_PARTLY_SENT,
    PAID_ON_THE_WAY,
    PAID_PARTLY_DELIVERED,
    PAID_DELIVERED,
    REFUND,
]
STEPS = {
    "confirmed": ["confirm"],
    "shipped": ["confirm", "ship"],
    "delivered": ["confirm", "ship", "deliver"],
}


def bring_part_to(part, spec: str) -> None:
    """Move a freshly placed part to `spec`: a status, "+paid" when the stall recorded the money
    first (a cash-on-delivery part becomes paid by itself when delivered)."""
    status, _plus, paid = spec.partition("+")
    if paid:
        services.cooperative_order_mark_paid(cooperative_order=part, actor=None)
    if status == "cancelled":
        services.cooperative_order_cancel(cooperative_order=part, actor=None, reason="Hết hàng")
    for step in STEPS.get(status, []):
        getattr(services, f"cooperative_order_{step}")(cooperative_order=part, actor=None)


# (payment method, each stall's part as HTX Chè then HTX Mật ong, what the page must say)
ORDER_PAGE_STATES = [
    ("cod", ["new"], [PAY_COD_ONE, "<strong>280.000\xa0₫</strong>"]),
    ("cod", ["confirmed"], [PAY_COD_ONE, "<strong>280.000\xa0₫</strong>"]),
    ("cod", ["shipped"], [PAY_COD_ONE, "<strong>280.000\xa0₫</strong>"]),
    ("cod", ["delivered"], [PAID_DELIVERED]),
    ("cod", ["cancelled"], []),
    ("cod", ["new", "new"], [PAY_COD_EACH, "Tổng cộng <strong>755.000\xa0₫</strong>"]),
    ("cod", ["delivered", "shipped"], [PAY_COD_EACH, "<span>HTX Chè</span>: <strong>đã trả</strong>"]),
    ("cod", ["shipped", "delivered"], [PAY_COD_EACH, "Còn phải trả <strong>280.000\xa0₫</strong>"]),
    ("cod", ["delivered", "delivered"], [PAID_DELIVERED]),
    ("cod", ["delivered", "cancelled"], [PAID_DELIVERED]),
    ("cod", ["shipped", "cancelled"], [PAY_COD_ONE, "<strong>280.000\xa0₫</strong>"]),
    ("cod", ["cancelled", "cancelled"], []),
    ("bank_transfer", ["new"], [PAY_QR]),
    ("bank_transfer", ["delivered"], [PAY_QR]),
    ("bank_transfer", ["new+paid"], [PAID_PREPARING]),
    ("bank_transfer", ["confirmed+paid"], [PAID_PREPARING]),
    ("bank_transfer", ["shipped+paid"], [PAID_ON_THE_WAY]),
    ("bank_transfer", ["delivered+paid"], [PAID_DELIVERED]),
    ("bank_transfer", ["cancelled+paid"], [REFUND]),
    ("bank_transfer", ["shipped+paid", "new"], [PAY_QR]),
    ("bank_transfer", ["shipped+paid", "new+paid"], [PAID_PARTLY_SENT]),
    ("bank_transfer", ["delivered+paid", "confirmed+paid"], [PAID_PARTLY_SENT]),
    ("bank_transfer", ["delivered+paid", "shipped+paid"], [PAID_PARTLY_DELIVERED]),
    ("bank_transfer", ["delivered+paid", "cancelled"], [PAID_DELIVERED]),
    ("bank_transfer", ["confirmed+paid", "cancelled+paid"], [PAID_PREPARING, REFUND]),
]


@pytest.mark.parametrize(
    ("method", "specs", "expected"),
    ORDER_PAGE_STATES,
    ids=[f"{method}:{'/'.join(specs)}" for method, specs, _expected in ORDER_PAGE_STATES],
)
def test_order_page_says_what_is_true_in_every_state(client, tea, honey, method, specs, expected):
    """Payment and next-step lines match the parts' status, payment method and paid flags, and no
    other state's sentence shows (nothing to pay after a cash-on-delivery order is delivered)."""
    order = placed_order(dict(zip([tea, honey], [1] * len(specs), strict=False)), payment_method=method)
    for part, spec in zip(order.cooperative_orders.order_by("cooperative_name"), specs, strict=True):
        bring_part_to(part, spec)
    session = client.session
    session["orders"] = [order.code]
    session.save()
    response = client.get(order.get_absolute_url())
    # The order page itself, every part shown: an all-cancelled order expects no sentence at all,
    # which the "open it on this phone" 404 would satisfy too.
    assert response.status_code == 200
    page = response.content.decode()
    assert all(f'id="part-{part.pk}"' in page for part in order.cooperative_orders.all())
    for sentence in expected:
        assert sentence in page
    for sentence in NEXT_STEP_SENTENCES:
        if sentence not in expected:
            assert sentence not in page
    assert ("Việc cần làm tiếp" in page) == any(not spec.startswith("cancelled") for spec in specs)
    assert ("<svg" in page) == (PAY_QR in expected)
    assert "<strong>0\xa0₫</strong>" not in page


def test_a_checkout_token_from_another_browser_opens_nothing(client, tea):
    """Another browser posting someone's used checkout token is neither shown that order nor given
    a second one: it is asked to look at its own form again."""
    from django.test import Client

    add(client, tea)
    data = checkout_data(client)
    first = client.post(CHECKOUT, data)
    order = Order.objects.get()
    assert first["Location"] == order.get_absolute_url()
    other = Client(HTTP_ACCEPT_LANGUAGE="vi")
    add(other, tea)
    response = other.post(CHECKOUT, {**data, "checkout_token": data["checkout_token"]}, follow=True)
    assert response.redirect_chain[-1][0] == CHECKOUT
    page = response.content.decode()
    assert "Trang đặt hàng đã cũ" in page
    assert order.code not in page
    assert Order.objects.count() == 1
    assert other.get(order.get_absolute_url()).status_code == 404


def test_checkouts_per_client_are_limited_and_the_cart_is_kept(client, tea, settings):
    """Past ORDER_CHECKOUT_LIMIT orders from one client in the window, the next is refused with a
    429 that says why; nothing is placed and the cart stays."""
    settings.ORDER_CHECKOUT_LIMIT = 2
    for _ in range(2):
        add(client, tea)
        assert client.post(CHECKOUT, checkout_data(client)).status_code == 303
    add(client, tea)
    response = client.post(CHECKOUT, checkout_data(client))
    assert response.status_code == 429
    assert "rất nhiều đơn được đặt" in response.content.decode()
    assert Order.objects.count() == 2
    assert cart_of(client) == {str(tea.pk): 1}
