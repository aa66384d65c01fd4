"""A buyer's review from order to product page, on a phone and a laptop: order → the stall
delivers → a review with a photo → seen on the product page and in its JSON-LD; a forged order
line is refused; the stall answers from its dashboard. Every page passes `Journey.check`."""

import io
import json

import pytest
from PIL import ExifTags, Image

from orders import services as order_services
from orders.models import CooperativeOrder, OrderItem
from reviews.models import Review
from tests.factories import (
    CategoryFactory,
    CooperativeFactory,
    MembershipFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
    placed_order,
)

PASSWORD = "secret-pass-123"  # tests.factories.UserFactory's


def phone_jpeg() -> bytes:
    """A 1200×900 photo stored sideways (EXIF Orientation 6) with a GPS position, as phones write."""
    image = Image.new("RGB", (1200, 900), (60, 140, 50))
    image.paste((90, 150, 230), (0, 0, 600, 900))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (21.0, 2.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, exif=exif)
    return buffer.getvalue()


@pytest.fixture
def tea_stall(transactional_db):
    stall = CooperativeFactory(name="HTX Chè Shan tuyết Lũng Phìn", logo="", cover="")
    MembershipFactory(user=UserFactory(username="sx1"), cooperative=stall)
    tea = ProductFactory(
        cooperative=stall, category=CategoryFactory(name="Chè"), name="Chè Shan tuyết cổ thụ", price=250000
    )
    ProductImageFactory(product=tea)
    # Someone else's order: its line id is what a forger would try.
    other = placed_order({tea: 1}, full_name="Người Khác", phone="0987654321")
    return tea, OrderItem.objects.get(cooperative_order__order=other)


def product_jsonld(page) -> dict:
    blocks = page.locator('script[type="application/ld+json"]').all_text_contents()
    return next(d for d in map(json.loads, blocks) if d["@type"] == "Product")


def test_review_journey(live_server, tea_stall, journey, tmp_path):
    tea, foreign_line = tea_stall
    photo = tmp_path / "IMG_20260301.jpg"
    photo.write_bytes(phone_jpeg())
    page = journey.open()
    page.goto(live_server.url + tea.get_absolute_url())
    assert "Chưa có đánh giá" in page.locator("#reviews").inner_text()
    page.get_by_role("button", name="Thêm vào giỏ").click()
    page.locator(".header-cart .cart-count", has_text="1").wait_for()
    page.goto(live_server.url + "/checkout/")
    page.fill("#id_phone", "0912 345 678")
    page.fill("#id_full_name", "Nguyễn Thị Lan")
    page.select_option("#id_province", "01")
    page.fill("#id_commune", "phường Ba Đình")
    page.fill("#id_street_address", "12 Phố Hàng Bông")
    page.locator(".checkout-form [type=submit]").click()
    page.wait_for_url("**/orders/*/")
    code = page.locator(".order-code").inner_text()
    assert page.get_by_role("link", name="Viết đánh giá").count() == 0, "nothing to review before delivery"
    journey.check(page, "order")

    # The stall delivers its part.
    part = CooperativeOrder.objects.get(order__code=code)
    for step in ("confirm", "ship", "deliver"):
        part = CooperativeOrder.objects.get(pk=part.pk)
        order_services.cooperative_order_apply(cooperative_order=part, action=step, actor=None)

    page.reload()
    invite = page.get_by_role("link", name="Viết đánh giá")
    assert invite.count() == 1
    journey.check(page, "order-delivered")
    invite.click()
    page.wait_for_url("**/reviews/*/")
    assert page.locator("#id_author_name").input_value() == "Lan, Hà Nội"
    journey.check(page, "review-form")
    page.locator("label.star-option", has_text="5 sao").click()
    page.fill("#id_text", "Chè thơm, nước xanh, vị ngọt hậu. Đóng gói cẩn thận <3")
    page.set_input_files("#id_photos", str(photo))
    page.locator(".upload-status").filter(has_text="Ảnh đã thu nhỏ").wait_for()  # shrunk in the phone
    journey.check(page, "review-form-filled")
    page.get_by_role("button", name="Đăng đánh giá").click()
    page.get_by_text("Cảm ơn bạn! Đánh giá đã hiện").wait_for()
    assert page.url.split("#")[0].endswith(f"/orders/{code}/")
    assert page.get_by_role("link", name="Sửa đánh giá").count() == 1
    journey.check(page, "order-reviewed")
    review = Review.objects.get()
    assert (review.stars, review.photos.count()) == (5, 1)

    # A forged order line: someone else's line under this order's code.
    own_form = page.get_by_role("link", name="Sửa đánh giá").get_attribute("href")
    forged_url = f"{live_server.url}/orders/{code}/reviews/{foreign_line.pk}/"
    page.goto(live_server.url + own_form)
    page.evaluate("url => { document.querySelector('form.review-form').action = url; }", forged_url)
    page.locator("label.star-option", has_text="1 sao").click()
    page.get_by_role("button", name="Lưu đánh giá").click()
    page.get_by_text("Không tìm thấy sản phẩm này trong đơn").wait_for()
    journey.check(page, "forged-refused", expected=(forged_url,))
    assert Review.objects.count() == 1 and Review.objects.get().stars == 5

    # The product page, for a visitor on another phone: the review, its photo and JSON-LD.
    visitor = journey.open()
    visitor.goto(live_server.url + tea.get_absolute_url())
    reviews = visitor.locator("#reviews")
    text = reviews.inner_text()
    assert "Chè thơm, nước xanh" in text and "Đã mua hàng" in text and "Lan, Hà Nội" in text
    shot = reviews.locator(".review-photos img")
    shot.scroll_into_view_if_needed()
    assert shot.evaluate("img => img.complete && img.naturalHeight > img.naturalWidth"), "upright photo"
    data = product_jsonld(visitor)
    assert data["aggregateRating"]["reviewCount"] == 1 and data["aggregateRating"]["ratingValue"] == "5.0"
    assert data["review"][0]["reviewBody"].endswith("cẩn thận <3")
    journey.check(visitor, "product-reviews")

    # The stall answers from its dashboard; the answer is public at once.
    producer = journey.open()
    producer.goto(live_server.url + "/accounts/login/")
    producer.fill("#id_username", "sx1")
    producer.fill("#id_password", PASSWORD)
    producer.click("main button[type=submit]")
    producer.wait_for_url("**/dashboard/")
    producer.get_by_role("link", name="Đánh giá", exact=True).click()
    producer.wait_for_url("**/dashboard/reviews/")
    journey.check(producer, "dashboard-reviews")
    producer.locator(".review-row").get_by_role("link", name="Trả lời").click()
    producer.wait_for_url("**/reply/")
    producer.fill("#id_reply", "Cảm ơn chị Lan! Chè vụ xuân năm nay rất đẹp.")
    journey.check(producer, "dashboard-reply")
    producer.get_by_role("button", name="Lưu câu trả lời").click()
    producer.wait_for_url("**/dashboard/reviews/#review-*")
    journey.check(producer, "dashboard-replied")
    visitor.reload()
    assert "Cảm ơn chị Lan!" in visitor.locator("#reviews").inner_text()
    journey.check(visitor, "product-reply")
