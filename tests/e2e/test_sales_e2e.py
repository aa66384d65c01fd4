"""An owner on a phone and on a laptop reads what sells and the month's statement, then opens the
printable statement (print styles applied). Headless Chromium; screenshots in E2E_SCREENSHOTS."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import CooperativeOrder, PaymentMethod, Status
from tests.factories import (
    CooperativeFactory,
    CooperativeOrderFactory,
    MembershipFactory,
    OrderFactory,
    OrderItemFactory,
    ProductFactory,
    UserFactory,
)

SHOP = [
    ("Chè Shan tuyết cổ thụ Lũng Phìn", 250000),
    ("Mật ong bạc hà Mèo Vạc", 450000),
    ("Vải lanh thổ cẩm nhuộm chàm thủ công", 350000),
]


@pytest.fixture
def shop(transactional_db):
    cooperative = CooperativeFactory(name="HTX Chè Shan tuyết Lũng Phìn", market_fee_rate=Decimal("2.5"))
    MembershipFactory(user=UserFactory(username="sx1"), cooperative=cooperative)
    products = [ProductFactory(cooperative=cooperative, name=name, price=price) for name, price in SHOP]
    now = timezone.now() - timedelta(minutes=5)
    provinces = ["01", "79", "01", "48", "66", "01", "08", "79"]
    for n, province in enumerate(provinces):
        method = PaymentMethod.BANK_TRANSFER if n % 3 == 0 else PaymentMethod.COD
        delivered = n % 2 == 0
        lines = [(products[n % 3], 1 + n % 2), (products[(n + 1) % 3], 1)]
        part = CooperativeOrderFactory(
            order=OrderFactory(
                code=f"K7XM{n:04d}".replace("0", "Q"), province=province, payment_method=method
            ),
            cooperative=cooperative,
            status=Status.DELIVERED if delivered else Status.CONFIRMED,
            subtotal=sum(product.price * quantity for product, quantity in lines),
            delivered_at=now if delivered else None,
            paid_at=now if delivered or method == PaymentMethod.BANK_TRANSFER else None,
            is_paid=delivered or method == PaymentMethod.BANK_TRANSFER,
            from_poster=n % 4 == 0,
        )
        for product, quantity in lines:
            OrderItemFactory(cooperative_order=part, product=product, quantity=quantity)
    CooperativeOrder.objects.update(created_at=now)
    return now


def test_owner_reads_sales_and_the_monthly_statement(live_server, shop, journey):
    page = journey.open()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "sx1")
    page.fill("#id_password", "secret-pass-123")
    page.click("main button[type=submit]")
    page.wait_for_url("**/dashboard/")
    page.click(".dash-nav >> text=Bán hàng")
    page.wait_for_url("**/dashboard/sales/")
    assert "Bán chạy" in page.locator("main").inner_text()
    journey.check(page, "sales")
    page.click(".chip >> text=7 ngày")
    journey.check(page, "sales-7-days")

    page.click("text=Bảng kê tháng")
    month = timezone.localtime(shop).strftime("%Y-%m")
    page.goto(f"{live_server.url}/dashboard/sales/statement/?month={month}")
    text = page.locator("main").inner_text()
    assert "Hợp tác xã trả Chợ Phiên" in text
    journey.check(page, "statement")

    page.click("text=Bản in")
    page.wait_for_url("**/statement/print/**")
    assert page.locator("[data-print]").is_visible()
    journey.check(page, "statement-print")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("[data-print]").is_visible()
    page.screenshot(path=journey.folder / "99-statement-print-media.png", full_page=True)


def test_admin_reads_a_cooperatives_statement_and_the_months_overview(live_server, shop, journey):
    UserFactory(username="quantri", is_staff=True, is_superuser=True)
    cooperative = CooperativeOrder.objects.first().cooperative
    page = journey.open()
    page.goto(f"{live_server.url}/admin/login/?next=/admin/products/cooperative/{cooperative.pk}/change/")
    page.fill("#id_username", "quantri")
    page.fill("#id_password", "secret-pass-123")
    page.click("input[type=submit]")
    page.wait_for_url(f"**/admin/products/cooperative/{cooperative.pk}/change/")
    page.click(".object-tools >> text=Bảng kê tháng")
    page.wait_for_url(f"**/statements/{cooperative.pk}/")
    assert "70.000" in page.locator("#content-main").inner_text()
    journey.check(page, "admin-statement")
    page.click(".breadcrumbs >> text=Bảng kê tháng")
    page.wait_for_url("**/statements/?month=*")
    assert "Cả chợ" in page.locator("#content-main").inner_text()
    journey.check(page, "admin-overview")
