"""The post kit in Chromium: on a phone "Chia sẻ" hands the picture (a File) and the caption to the
share sheet; where the browser cannot share files, the download buttons and caption boxes do it;
without JavaScript the same. Headless Chromium has no share sheet, so the phone's
navigator.share/canShare are stood in by a script that records what it was given."""

import pytest

from products.models import PostMade
from tests.e2e.conftest import SCREENSHOTS, Journey
from tests.factories import (
    CategoryFactory,
    CooperativeFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
)

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}

# What a phone's Chrome offers: canShare says yes to files, share resolves once the sheet closes.
SHARE_SHEET = """
window.__shared = [];
navigator.canShare = (data) => !!(data && data.files && data.files.every((f) => f instanceof File));
navigator.share = (data) => {
  window.__shared.push({
    files: (data.files || []).map((f) => (
      {name: f.name, type: f.type, size: f.size, isFile: f instanceof File}
    )),
    text: data.text,
    title: data.title,
  });
  return Promise.resolve();
};
"""


@pytest.fixture
def producer(transactional_db):
    cooperative = CooperativeFactory(name="HTX Mật ong Bạc hà Mèo Vạc", province="08")
    user = UserFactory(username="sxpost")
    MembershipFactory(user=user, cooperative=cooperative, role="helper")
    product = ProductFactory(
        cooperative=cooperative,
        category=CategoryFactory(name="Mật ong"),
        name="Mật ong bạc hà Mèo Vạc",
        slug="mat-ong-bac-ha",
        price=450000,
        unit="chai 500 ml",
        origin_province="08",
        story="Ong lấy mật hoa bạc hà trên cao nguyên đá Đồng Văn.",
    )
    return product


def sign_in(journey: Journey, live_server, *, script: str | None = None, **options):
    page = journey.open(**options)
    if script:
        page.add_init_script(script)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "sxpost")
    page.fill("#id_password", "secret-pass-123")
    page.click("main button[type=submit]")
    page.wait_for_url("**/dashboard/")
    return page


def test_on_a_phone_share_hands_a_jpeg_file_and_the_zalo_caption_to_the_share_sheet(
    browser, live_server, producer, csp_violations
):
    journey = Journey(browser, "postkit-share", PHONE)
    try:
        page = sign_in(journey, live_server, script=SHARE_SHEET)
        page.goto(f"{live_server.url}/dashboard/products/{producer.pk}/post/")
        share = page.locator("[data-post-share]")
        assert share.is_visible()
        journey.check(page, "post-kit")
        page.get_by_role("button", name="Chia sẻ lên Zalo").click()
        page.wait_for_function("() => window.__shared.length === 1")
        shared = page.evaluate("window.__shared[0]")
        (file,) = shared["files"]
        assert file["isFile"] and file["type"] == "image/jpeg"
        assert file["name"] == "mat-ong-bac-ha-1080x1350.jpg" and 20_000 < file["size"] <= 250_000
        assert shared["text"].startswith("Mật ong bạc hà Mèo Vạc")
        assert "/products/mat-ong-bac-ha/?utm_source=zalo&utm_medium=post" in shared["text"]
        page.wait_for_function(
            "document.querySelector('[data-post-status]').textContent.includes('Đã chia sẻ')"
        )

        page.get_by_label("Ảnh vuông").check()
        page.get_by_role("button", name="Chia sẻ lên Facebook").click()
        page.wait_for_function("() => window.__shared.length === 2")
        second = page.evaluate("window.__shared[1]")
        assert second["files"][0]["name"] == "mat-ong-bac-ha-1080x1080.jpg"
        assert "utm_source=facebook" in second["text"]
        page.wait_for_timeout(300)
        assert sorted(PostMade.objects.values_list("channel", "shape")) == [
            ("facebook", "square"),
            ("zalo", "portrait"),
        ]
        journey.check(page, "post-kit-shared")
    finally:
        journey.close()


def test_elsewhere_the_kit_offers_downloads_and_a_copy_button(browser, live_server, producer, csp_violations):
    journey = Journey(browser, "postkit-download", LAPTOP)
    try:
        page = sign_in(journey, live_server)
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.goto(f"{live_server.url}/dashboard/products/{producer.pk}/post/")
        assert not page.locator("[data-post-share]").is_visible()
        downloads = page.get_by_role("button", name="Tải ảnh")
        assert downloads.count() == 2 and downloads.first.is_visible()
        with page.expect_download() as info:
            downloads.first.click()
        assert info.value.suggested_filename == "mat-ong-bac-ha-1080x1350.jpg"
        page.locator(".copy-btn[data-copy-from='caption-facebook']").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert "utm_source=facebook" in copied
        assert PostMade.objects.get().channel == "download"
        journey.check(page, "post-kit-laptop", expected=("/download/",))
    finally:
        journey.close()


def test_without_javascript_downloads_and_captions_still_work(browser, live_server, producer):
    """Without script Playwright cannot run axe or measure the page (both are scripts): what is
    checked is what a producer sees and can do."""
    context = browser.new_context(
        viewport=PHONE, java_script_enabled=False, accept_downloads=True, locale="vi-VN"
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", "sxpost")
        page.fill("#id_password", "secret-pass-123")
        page.click("main button[type=submit]")
        page.wait_for_url("**/dashboard/")
        page.goto(f"{live_server.url}/dashboard/post/")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "postkit-stall-nojs-360x740.png", full_page=True)
        assert not page.locator("[data-post-share]").is_visible()
        assert not page.locator(".copy-btn").first.is_visible()
        assert page.locator("#caption-zalo").input_value().startswith("HTX Mật ong Bạc hà Mèo Vạc")
        for box in (page.locator(".post-image").nth(i).bounding_box() for i in range(2)):
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        with page.expect_download() as info:
            page.get_by_role("button", name="Tải ảnh").last.click()
        assert info.value.suggested_filename.endswith("-1080x1080.jpg")
        assert PostMade.objects.get().product_id is None
    finally:
        context.close()
