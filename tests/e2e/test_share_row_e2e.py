"""The share row on a 360 px phone: every target a finger's size, nothing wider than the screen,
and what script adds (copy, the phone's share sheet) only where the browser can do it."""

import pytest

from tests.e2e.conftest import no_horizontal_scroll
from tests.factories import CooperativeFactory, ProductFactory


@pytest.fixture
def product(transactional_db):
    cooperative = CooperativeFactory(
        name="Hợp tác xã Chè Shan tuyết cổ thụ Lũng Phìn Đồng Văn", phone="0912345678"
    )
    return ProductFactory(cooperative=cooperative, name="Chè Shan tuyết cổ thụ hái tay vụ xuân", slug="che")


def test_share_row_fits_a_phone_with_finger_sized_targets(live_server, product, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + product.get_absolute_url())
    assert no_horizontal_scroll(page)
    row = page.locator(".share-row")
    targets = row.locator("a, button:visible, input")
    assert targets.count() == 5  # Zalo, Facebook, address, copy, chat on Zalo
    for i in range(targets.count()):
        box = targets.nth(i).bounding_box()
        assert box["height"] >= 44, targets.nth(i).inner_text()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    # localhost is a secure context, so the copy button appears and copies the address.
    page.click(".share-copy-btn")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#share-url").input_value()
    assert copied.endswith("/products/che/")
    assert page.locator(".share-copy-btn").inner_text() == "Đã chép"
    # Desktop Chromium on Linux has no navigator.share: its button stays hidden.
    has_share = page.evaluate("typeof navigator.share === 'function'")
    assert page.locator(".share-native").is_visible() == has_share


def test_share_row_without_javascript(live_server, product, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + product.get_absolute_url())
    assert no_horizontal_scroll(page)
    row = page.locator(".share-row")
    assert row.locator("a[href^='https://sp.zalo.me/']").is_visible()
    assert row.locator("a[href^='https://www.facebook.com/sharer/']").is_visible()
    assert row.locator("input#share-url").input_value().endswith("/products/che/")
    assert not row.locator(".share-copy-btn").is_visible()
    assert not row.locator(".share-native").is_visible()
    context.close()


BRAND = "rgb(47, 93, 58)"


def test_share_buttons_wear_the_brand_and_the_zalo_chat_stands_out(live_server, product, page):
    """Grey outlines read as disabled: the share buttons are outlined in the brand's green, and
    chatting with the stall is a full button in Zalo's blue."""
    page.goto(live_server.url + product.get_absolute_url())
    row = page.locator(".share-row")
    style = "el => { const s = getComputedStyle(el); return [s.color, s.borderTopColor, s.backgroundColor]; }"
    for name in ("Chia sẻ qua Zalo", "Chia sẻ lên Facebook", "Chép"):
        color, border, _background = row.get_by_role(
            "link" if name != "Chép" else "button", name=name
        ).evaluate(style)
        assert (color, border) == (BRAND, BRAND), name
    color, _border, background = row.get_by_role("link", name="Nhắn Zalo cho gian hàng").evaluate(style)
    assert (color, background) == ("rgb(255, 255, 255)", "rgb(0, 104, 255)")
