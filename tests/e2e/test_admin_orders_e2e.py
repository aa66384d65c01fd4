"""The order admin on a 1280 px laptop: its lists fit beside the sidebar and filters. Headless Chromium."""

import pytest

from orders import services
from tests.factories import CooperativeFactory, ProductFactory, UserFactory, placed_order


@pytest.fixture
def laptop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    yield context.new_page()
    context.close()


@pytest.fixture
def orders(transactional_db):
    UserFactory(username="quantri", is_staff=True, is_superuser=True)
    tea = ProductFactory(cooperative=CooperativeFactory(name="HTX Chè Shan tuyết Lũng Phìn"), stock=50)
    honey = ProductFactory(cooperative=CooperativeFactory(name="HTX Mật ong bạc hà Đồng Văn"), stock=50)
    order = placed_order(
        {tea: 2, honey: 1}, full_name="Nguyễn Thị Phương Thảo", payment_method="bank_transfer"
    )
    part = order.cooperative_orders.first()
    services.cooperative_order_confirm(cooperative_order=part, actor=None)
    placed_order({ProductFactory(price=2_500_000, stock=9): 3})
    return order


def test_order_lists_fit_a_laptop_screen(live_server, orders, laptop):
    """At 1280 px the order and part tables are no wider than the space left of the filters."""
    laptop.goto(live_server.url + "/admin/login/?next=/admin/orders/order/")
    laptop.fill("#id_username", "quantri")
    laptop.fill("#id_password", "secret-pass-123")
    laptop.click("input[type=submit]")
    laptop.wait_for_url("**/admin/orders/order/")
    for url in ("/admin/orders/order/", "/admin/orders/cooperativeorder/"):
        laptop.goto(live_server.url + url)
        table = laptop.evaluate("document.querySelector('#result_list').getBoundingClientRect().width")
        room = laptop.evaluate("document.querySelector('#changelist .results').clientWidth")
        assert table <= room, f"{url}: table {table:.0f} px in {room} px"
