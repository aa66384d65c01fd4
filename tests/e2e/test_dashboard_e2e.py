"""A producer on a 360 px phone: login, the dashboard home, a product's photos. Headless Chromium."""

import pytest

from tests.e2e.conftest import no_horizontal_scroll
from tests.factories import (
    CategoryFactory,
    CooperativeFactory,
    MembershipFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
)


def heights(tab, selector: str) -> list[float]:
    return tab.eval_on_selector_all(selector, "els => els.map(e => e.getBoundingClientRect().height)")


@pytest.fixture
def stall(transactional_db):
    for name in (
        "Chè và cà phê",
        "Thổ cẩm và đồ thủ công",
        "Gạo, miến và các loại hạt",
        "Đồ khô và dược liệu",
    ):
        CategoryFactory(name=name)
    cooperative = CooperativeFactory(name="HTX Chè Shan tuyết Lũng Phìn", is_verified=False)
    owner = UserFactory(username="sx8")
    MembershipFactory(user=owner, cooperative=cooperative)
    return cooperative


def test_unverified_owner_dashboard_fits_a_phone_with_finger_sized_targets(live_server, stall, page):
    """Log in, read the waiting notice; the big buttons stack, nothing scrolls sideways, taps are ≥ 44 px."""
    page.goto(live_server.url + "/accounts/login/")
    assert min(heights(page, "a[href$='/password_reset/']")) >= 44
    page.fill("#id_username", "sx8")
    page.fill("#id_password", "secret-pass-123")
    page.click("main button[type=submit]")
    page.wait_for_url("**/dashboard/")

    assert "Gian hàng đang chờ Chợ Phiên xác minh" in page.locator("main").inner_text()
    assert no_horizontal_scroll(page)
    add, orders = (page.locator(".dash-actions .btn").nth(i).bounding_box() for i in range(2))
    assert orders["y"] >= add["y"] + add["height"], "Vietnamese labels do not fit side by side at 360 px"
    for selector in (".dash-foot a", ".dash-foot button", ".lang-switch a"):
        assert min(heights(page, selector)) >= 44, selector


def test_product_photos_hint_at_the_next_one(live_server, stall, page):
    """On a product with three photos the second one peeks in from the right and the first says 1/3."""
    stall.is_verified = True
    stall.save()
    product = ProductFactory(cooperative=stall)
    for position in range(3):
        ProductImageFactory(product=product, position=position)
    page.goto(live_server.url + product.get_absolute_url())
    assert no_horizontal_scroll(page)
    second = page.locator(".gallery-item").nth(1).bounding_box()
    assert second["x"] < 360 - 20, "the second photo should show at the edge"
    assert page.locator(".gallery-count [aria-hidden]").first.inner_text() == "1/3"
    assert min(heights(page, ".category-nav a")) >= 44


def test_product_list_links_are_the_dashboards_green_and_finger_sized(live_server, stall, page):
    """ "Xem" and "Áp phích QR" were Bootstrap's blue beside green links everywhere else."""
    stall.is_verified = True
    stall.save()
    ProductFactory(cooperative=stall)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "sx8")
    page.fill("#id_password", "secret-pass-123")
    page.click("main button[type=submit]")
    page.wait_for_url("**/dashboard/")
    page.goto(live_server.url + "/dashboard/products/")
    assert no_horizontal_scroll(page)
    actions = page.locator(".row-actions").first
    for name in ("Xem", "Áp phích QR"):
        link = actions.get_by_role("link", name=name, exact=True)
        assert link.evaluate("el => getComputedStyle(el).color") == "rgb(47, 93, 58)", name
        assert link.bounding_box()["height"] >= 44, name
