"""A buyer on a phone: home, search without diacritics, the product, English. Headless Chromium."""

import pytest

from tests.e2e.conftest import no_horizontal_scroll
from tests.factories import CategoryFactory, CooperativeFactory, ProductFactory, ProductImageFactory


@pytest.fixture
def market(transactional_db):
    tea = CategoryFactory(name="Chè và cà phê", name_en="Tea & coffee")
    stall = CooperativeFactory(name="HTX Chè Shan tuyết Lũng Phìn", province="08")
    shan = ProductFactory(
        cooperative=stall, category=tea, name="Chè Shan tuyết cổ thụ Lũng Phìn", price=250000, ocop_stars=4
    )
    for position in range(2):
        ProductImageFactory(product=shan, position=position)
    ProductFactory(cooperative=stall, category=tea, name="Mật ong bạc hà Mèo Vạc", price=180000)
    return {"shan": shan}


def test_buyer_finds_shan_tuyet_tea_and_switches_to_english(live_server, market, page):
    """At 360 px: search 'tra shan tuyet', open the tea, switch to English; nothing scrolls sideways."""
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert no_horizontal_scroll(page)

    page.fill("#site-q", "tra shan tuyet")
    page.press("#site-q", "Enter")
    page.wait_for_url("**/products/?q=tra+shan+tuyet")
    result = page.get_by_role("link", name="Chè Shan tuyết cổ thụ Lũng Phìn")
    assert result.is_visible()
    # The honey matches through its stall's name; the tea, named so, comes first.
    assert page.locator(".card-name").first.inner_text() == "Chè Shan tuyết cổ thụ Lũng Phìn"
    assert no_horizontal_scroll(page)

    result.click()
    page.wait_for_url(f"**{market['shan'].get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Chè Shan tuyết cổ thụ Lũng Phìn"
    assert "250.000" in page.locator(".price").inner_text()
    first_photo = page.locator(".gallery img").first
    assert first_photo.evaluate("img => img.complete && img.naturalWidth > 0")
    assert no_horizontal_scroll(page)

    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith(market["shan"].get_absolute_url())
    assert "250,000" in page.locator(".price").inner_text()
    assert no_horizontal_scroll(page)


def test_catalogue_and_stall_pages_fit_a_phone(live_server, market, page):
    """Catalogue, stalls, a stall and the 404 page have no horizontal scroll at 360 px."""
    stall_url = market["shan"].cooperative.get_absolute_url()
    for path, status, shown in (
        ("/products/", 200, "Chè Shan tuyết cổ thụ Lũng Phìn"),
        ("/products/?sort=price_asc", 200, "Chè Shan tuyết cổ thụ Lũng Phìn"),
        ("/cooperatives/", 200, "HTX Chè Shan tuyết Lũng Phìn"),
        (stall_url, 200, "HTX Chè Shan tuyết Lũng Phìn"),
        ("/khong-co/", 404, "Không tìm thấy trang này"),
    ):
        response = page.goto(live_server.url + path)
        # The page meant, with its content: any error page would fit a phone as well.
        assert response.status == status, path
        assert shown in page.locator("main").inner_text(), path
        assert no_horizontal_scroll(page), path
