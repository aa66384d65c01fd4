"""Cards add to the cart with and without script, and the data saver shows a photo only when it is
tapped; every page passes the journey checks (no console error or failed request, no sideways
scroll, no serious axe violation)."""

import pytest

from tests.factories import CooperativeFactory, ProductFactory, ProductImageFactory


@pytest.fixture
def market(transactional_db):
    stall = CooperativeFactory(name="HTX Chè Shan tuyết Lũng Phìn", province="08")
    tea = ProductFactory(cooperative=stall, name="Chè Shan tuyết cổ thụ", price=250_000, stock=8)
    honey = ProductFactory(cooperative=stall, name="Mật ong bạc hà", price=180_000, stock=8)
    for product in (tea, honey):
        ProductImageFactory(product=product)
    return {"tea": tea, "honey": honey}


def card_button(page, product):
    return page.locator(f"#p-{product.pk} .card-add button")


def test_cards_add_to_the_cart_with_script(live_server, market, journey):
    page = journey.open()
    page.goto(f"{live_server.url}/products/")
    journey.check(page, "catalogue")
    card_button(page, market["tea"]).click()
    status = page.locator(f"#p-{market['tea'].pk} [role=status]")
    status.filter(has_text="Đã thêm").wait_for()
    assert page.locator(".header-cart .cart-count").inner_text() == "1"
    card_button(page, market["honey"]).click()
    page.locator(f"#p-{market['honey'].pk} [role=status]").filter(has_text="Đã thêm").wait_for()
    assert page.locator(".header-cart .cart-count").inner_text() == "2"
    assert page.url == f"{live_server.url}/products/"
    journey.check(page, "added-in-place")
    page.goto(f"{live_server.url}/cart/")
    assert page.locator(".cart-line").count() == 2
    journey.check(page, "cart")


def test_cards_add_to_the_cart_without_script(live_server, market, journey):
    page = journey.open(java_script_enabled=False)
    page.goto(f"{live_server.url}/products/?q=che")
    card_button(page, market["tea"]).click()
    page.wait_for_url(f"**/products/?q=che#p-{market['tea'].pk}")
    assert "Đã thêm Chè Shan tuyết cổ thụ vào giỏ hàng (1)." in page.inner_text("body")
    assert page.locator(".header-cart .cart-count").inner_text() == "1"
    journey.check(page, "added-back-at-the-card")


def test_data_saver_fetches_a_photo_only_when_tapped(live_server, market, journey):
    page = journey.open(extra_http_headers={"Save-Data": "on"})
    photos = []
    page.on("request", lambda request: photos.append(request.url) if "/media/" in request.url else None)
    page.goto(f"{live_server.url}/products/")
    journey.check(page, "catalogue-saving-data")
    page.goto(f"{live_server.url}{market['tea'].get_absolute_url()}")
    journey.check(page, "product-saving-data")
    assert photos == []
    with page.expect_response(lambda response: "/media/" in response.url):
        page.locator(".photo-reveal summary").first.click()
    photo = page.locator(".photo-reveal[open] img:not(.photo-saved)").first
    photo.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    assert len(photos) == 1
    journey.check(page, "photo-tapped")
