"""Shipping on a phone and a laptop: the ship form (one tap on a carrier, the bus boxes only for a
bus), a refused number keeps what was typed, the buyer's page with the tracking link, and the
packing slip with its Print button and headings that never break inside a word."""

import pytest

from orders import services
from orders.models import CooperativeOrder
from tests.factories import CooperativeFactory, MembershipFactory, ProductFactory, UserFactory, placed_order

PASSWORD = "secret-pass-123"  # tests.factories.UserFactory's


@pytest.fixture
def confirmed(transactional_db):
    stall = CooperativeFactory(name="HTX Chè Shan tuyết Lũng Phìn")
    MembershipFactory(user=UserFactory(username="sx1"), cooperative=stall)
    product = ProductFactory(cooperative=stall, name="Chè Shan tuyết cổ thụ Lũng Phìn hộp quà", stock=9)
    order = placed_order({product: 2}, full_name="Nguyễn Thị Lan")
    part = order.cooperative_orders.get()
    services.cooperative_order_confirm(cooperative_order=part, actor=None)
    return part


def sign_in(page, base: str):
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "sx1")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/dashboard/")


def test_ship_with_a_tracking_number(live_server, confirmed, journey):
    """Choose GHN, type a number with a stray emoji (refused, kept), fix it; the buyer's page links
    to GHN's tracking page; the packing slip prints."""
    page = journey.open()
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/dashboard/orders/{confirmed.pk}/")
    journey.check(page, "ship-form")
    route = page.get_by_label("Tuyến xe và nhà xe")
    assert route.is_hidden()
    page.get_by_label("Xe khách").check()
    assert route.is_visible()
    journey.check(page, "ship-form-bus")
    page.get_by_label("GHN").check()
    assert route.is_hidden()
    page.get_by_label("Mã vận đơn").fill("gy7x k4 🎁")
    page.get_by_role("button", name="Đã gửi hàng").click()
    page.get_by_text("Ký tự “🎁” không có trong mã").wait_for()
    assert page.get_by_label("Mã vận đơn").input_value() == "gy7x k4 🎁"
    journey.check(page, "ship-form-refused", expected=("/ship/",))
    page.get_by_label("Mã vận đơn").fill("gy7x k4")
    page.get_by_role("button", name="Đã gửi hàng").click()
    page.get_by_role("button", name="Người mua đã nhận hàng").wait_for()
    journey.check(page, "shipped")
    part = CooperativeOrder.objects.get(pk=confirmed.pk)
    assert (part.carrier, part.tracking_number) == ("ghn", "GY7XK4")

    page.get_by_role("link", name="In phiếu gửi hàng").click()
    page.wait_for_url("**/slip/")
    assert page.get_by_role("button", name="In phiếu").is_visible()
    assert page.get_by_text("Dùng lệnh In của trình duyệt").is_hidden()
    # Each heading on one line: a word broken over two lines would give its text two boxes.
    broken = page.evaluate(
        """[...document.querySelectorAll('.slip-items th')].filter(th => {
             const range = document.createRange();
             range.selectNodeContents(th);
             return range.getClientRects().length > 1 || th.scrollWidth > th.clientWidth + 1;
           }).map(th => th.textContent)"""
    )
    assert broken == []
    journey.check(page, "packing-slip")

    buyer = journey.open()
    buyer.goto(live_server.url + "/orders/track/")
    buyer.fill("#id_code", part.order.code)
    buyer.fill("#id_phone", "0912 345 678")
    buyer.get_by_role("button", name="Xem đơn hàng").click()
    buyer.wait_for_url(f"**{part.order.get_absolute_url()}")
    link = buyer.get_by_role("link", name="Xem hành trình trên trang GHN")
    assert link.get_attribute("href") == "https://donhang.ghn.vn/?order_code=GY7XK4"
    journey.check(buyer, "order-page")

    # The product page says what its offer's JSON-LD says about delivery and returns.
    stall = part.cooperative
    stall.return_days, stall.return_policy = 7, "Đổi hoặc hoàn tiền trong 7 ngày nếu hàng hỏng khi giao."
    stall.save()
    buyer.goto(live_server.url + part.items.first().product.get_absolute_url())
    buyer.get_by_text("Đổi hoặc hoàn tiền trong 7 ngày").wait_for()
    journey.check(buyer, "product-terms")
