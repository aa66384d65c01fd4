"""Whole journeys of a buyer, a producer and an admin, each on a 360 px phone and a 1280 px laptop.
Every page on the way is checked by `Journey.check` (conftest): no console or script error, no
failed request or error answer, no sideways scroll, no serious or critical axe-core violation;
each step leaves a screenshot in E2E_SCREENSHOTS."""

import io

import pytest
from PIL import Image, ImageFilter

from orders.models import CooperativeOrder
from products.models import Cooperative, Product
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


def search(page, words: str):
    page.fill("#site-q", words)
    page.press("#site-q", "Enter")
    page.wait_for_url("**/products/?q=*")


# --- buyer ---------------------------------------------------------------------------------------


@pytest.fixture
def honey_stalls(transactional_db):
    """Honey from two stalls (one with three photos), both taking bank transfers, and a tea."""
    honey = CategoryFactory(name="Mật ong và đặc sản rừng", name_en="Honey")
    meo_vac = CooperativeFactory(
        name="HTX Mật ong bạc hà Mèo Vạc", bank_bin="970436", bank_account_number="1023456789"
    )
    tay_giang = CooperativeFactory(
        name="HTX Ong rừng Tây Giang", province="48", bank_bin="970405", bank_account_number="8800123456"
    )
    mint = ProductFactory(cooperative=meo_vac, category=honey, name="Mật ong bạc hà Mèo Vạc", price=450000)
    for position in range(3):
        ProductImageFactory(product=mint, position=position)
    forest = ProductFactory(
        cooperative=tay_giang, category=honey, name="Mật ong rừng Tây Giang", price=320000
    )
    ProductImageFactory(product=forest)
    ProductFactory(cooperative=meo_vac, name="Chè Shan tuyết cổ thụ", price=250000)
    return mint, forest


def add_to_cart_from_search(journey, page, product: Product, step: str):
    search(page, "mat ong")
    journey.check(page, f"{step}-search")
    page.get_by_role("link", name=product.name).click()
    page.wait_for_url(f"**{product.get_absolute_url()}")
    journey.check(page, f"{step}-product")
    # The product's own button (the cards below name their product too); the page stays, and
    # its status line says when the cart has it.
    page.get_by_role("button", name="Thêm vào giỏ", exact=True).click()
    page.locator(".add-to-cart [role=status]").filter(has_text="Đã thêm").wait_for()
    journey.check(page, f"{step}-added")


def test_buyer_journey(live_server, honey_stalls, journey):
    """Home → "mat ong" typed without diacritics → two stalls' honey in one cart → checkout with
    a phone typed with spaces → the order with a VietQR per stall → tracked from another phone."""
    mint, forest = honey_stalls
    page = journey.open()
    page.goto(live_server.url + "/")
    journey.check(page, "home")

    add_to_cart_from_search(journey, page, mint, "first")
    add_to_cart_from_search(journey, page, forest, "second")

    page.locator(".header-cart").click()
    page.wait_for_url("**/cart/")
    assert page.locator(".cart-group").count() == 2, "one group per stall"
    journey.check(page, "cart")

    page.get_by_role("link", name="Đặt hàng").click()
    page.wait_for_url("**/checkout/")
    journey.check(page, "checkout")
    page.fill("#id_phone", "0912 345 678")
    page.fill("#id_full_name", "Nguyễn Thị Phương Thảo")
    page.select_option("#id_province", "01")
    page.fill("#id_commune", "phường Ba Đình")
    page.fill("#id_street_address", "12 Phố Hàng Bông")
    page.check("input[name=payment_method][value=bank_transfer]")
    journey.check(page, "checkout-filled")
    page.locator(".checkout-form [type=submit]").click()
    page.wait_for_url("**/orders/*/")

    code = page.locator(".order-code").inner_text()
    assert page.locator("h1").inner_text().endswith(code)
    assert page.locator("svg.vietqr").count() == 2, "a VietQR code for each stall"
    journey.check(page, "order")

    # Another phone: the link alone opens a page saying how to see the order (a deliberate 404).
    other = journey.open()
    order_url = f"{live_server.url}/orders/{code}/"
    other.goto(order_url)
    journey.check(other, "order-elsewhere", expected=(order_url,))
    other.goto(live_server.url + "/orders/track/")
    journey.check(other, "track")
    other.fill("input[name=code]", code.lower())
    other.fill("input[name=phone]", "0912 345 678")
    other.locator("form:has(input[name=code]) [type=submit]").click()
    other.wait_for_url(f"**/orders/{code}/")
    assert other.locator(".order-code").inner_text() == code
    assert other.locator("svg.vietqr").count() == 2
    journey.check(other, "tracked")


# --- producer ------------------------------------------------------------------------------------


def camera_jpeg() -> bytes:
    """A 4000×3000 JPEG as a phone held upright writes it: the sensor's landscape pixels and an
    EXIF Orientation of 6 (turn 90° clockwise to view). Upright it is a portrait, sky above a
    field, with grain and soft light so it compresses like a photograph, not a flat drawing."""
    width, height = 3000, 4000
    scene = Image.new("RGB", (width, height), (60, 140, 50))
    scene.paste((90, 150, 230), (0, 0, width, height // 2))
    light = Image.linear_gradient("L").rotate(90).resize((width, height))
    shade = Image.new("RGB", (width, height), (20, 40, 20))
    scene = Image.composite(scene, shade, light.point(lambda v: 160 + v // 3))
    grain = Image.merge("RGB", [Image.effect_noise((width, height), 48) for _ in range(3)])
    scene = Image.blend(scene, grain.filter(ImageFilter.GaussianBlur(1.2)), 0.18)
    sensor = scene.transpose(Image.Transpose.ROTATE_90)  # what the camera stores: 4000×3000
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x010F] = "Samsung"  # Make
    exif[0x0110] = "Galaxy A10"  # Model
    buffer = io.BytesIO()
    sensor.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def test_camera_jpeg_is_a_landscape_file_meant_upright():
    """The test photo itself: stored 4000×3000 with Orientation 6, a portrait once turned."""
    image = Image.open(io.BytesIO(camera_jpeg()))
    assert image.size == (4000, 3000)
    assert image.getexif()[0x0112] == 6
    left, right = image.getpixel((10, 1500)), image.getpixel((3990, 1500))
    assert left[2] > left[1] and right[1] > right[2], "sky on the left, field on the right"


@pytest.fixture
def producer(transactional_db):
    CategoryFactory(name="Mật ong và đặc sản rừng")
    stall = CooperativeFactory(name="HTX Mật ong bạc hà Mèo Vạc")
    MembershipFactory(user=UserFactory(username="sx1"), cooperative=stall)
    return stall


UPRIGHT = """img => new Promise(resolve => {
  const done = () => {
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    const context = canvas.getContext("2d");
    context.drawImage(img, 0, 0);
    const row = y => context.getImageData(0, y, canvas.width, 1).data;
    const mean = (data, channel) => {
      let sum = 0;
      for (let i = channel; i < data.length; i += 4) sum += data[i];
      return sum / (data.length / 4);
    };
    const top = row(Math.round(canvas.height * 0.1)), bottom = row(Math.round(canvas.height * 0.9));
    resolve({width: img.naturalWidth, height: img.naturalHeight,
             top: [mean(top, 1), mean(top, 2)], bottom: [mean(bottom, 1), mean(bottom, 2)]});
  };
  if (img.complete && img.naturalWidth) done(); else img.addEventListener("load", done, {once: true});
})"""


def assert_upright(image_locator, where: str):
    image_locator.scroll_into_view_if_needed()
    seen = image_locator.evaluate(UPRIGHT)
    assert seen["width"] < seen["height"], f"{where}: {seen['width']}×{seen['height']} is lying down"
    (top_green, top_blue), (bottom_green, bottom_blue) = seen["top"], seen["bottom"]
    assert top_blue > top_green and bottom_green > bottom_blue, f"{where}: sky not on top ({seen})"


def test_producer_journey(live_server, producer, journey, tmp_path):
    """Sign in → add a product with a camera photo taken upright → it shows upright in the
    catalogue → confirm and ship an order for the stall."""
    photo = tmp_path / "20260301_081500.jpg"
    photo.write_bytes(camera_jpeg())
    page = journey.open()
    page.goto(live_server.url + "/accounts/login/")
    journey.check(page, "login")
    page.fill("#id_username", "sx1")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/dashboard/")
    journey.check(page, "dashboard")

    page.get_by_role("link", name="+ Thêm sản phẩm", exact=True).click()
    page.wait_for_url("**/dashboard/products/new/")
    journey.check(page, "add-product")
    page.fill("#id_name", "Mật ong bạc hà vụ xuân")
    page.select_option("#id_category", label="Mật ong và đặc sản rừng")
    page.fill("#id_price", "450.000")
    page.fill("#id_stock", "12")
    page.fill("#id_unit", "chai 500 ml")
    page.set_input_files("#id_photos", str(photo))
    # Shrunk in the phone and sent by itself: the form then carries only its token.
    page.locator(".form-status").filter(has_text="Đã nhận 1 ảnh").wait_for()
    journey.check(page, "add-product-photo")
    page.locator(".form-actions [type=submit]").click()
    page.wait_for_url("**/dashboard/products/")
    page.locator(".dash-row", has_text="Mật ong bạc hà vụ xuân").wait_for()
    journey.check(page, "product-list")
    product = Product.objects.get(name="Mật ong bạc hà vụ xuân")
    assert product.images.count() == 1

    page.goto(live_server.url + "/products/")
    card = page.locator(".product-card", has_text="Mật ong bạc hà vụ xuân")
    assert_upright(card.locator("img"), "catalogue card")
    journey.check(page, "catalogue")
    card.locator("a").first.click()
    page.wait_for_url(f"**{product.get_absolute_url()}")
    assert_upright(page.locator(".gallery img").first, "product page")
    journey.check(page, "product")

    order = placed_order({product: 2}, full_name="Lò Thị Mai")
    page.goto(live_server.url + "/dashboard/")
    journey.check(page, "dashboard-new-order")
    page.get_by_role("link", name="Đơn hàng").first.click()
    page.wait_for_url("**/dashboard/orders/")
    journey.check(page, "orders")
    page.get_by_role("link", name=order.code).click()
    page.wait_for_url("**/dashboard/orders/*/")
    journey.check(page, "order")
    page.get_by_role("button", name="Xác nhận đơn").click()
    page.get_by_role("button", name="Đã gửi hàng").wait_for()
    journey.check(page, "order-confirmed")
    page.get_by_label("Viettel Post").check()
    page.get_by_label("Mã vận đơn").fill("vtp 1234 5678")
    page.get_by_role("button", name="Đã gửi hàng").click()
    page.get_by_role("button", name="Người mua đã nhận hàng").wait_for()
    journey.check(page, "order-shipped")
    part = CooperativeOrder.objects.get(order=order)
    assert (part.status, part.carrier, part.tracking_number) == ("shipped", "viettel_post", "VTP12345678")

    page.get_by_role("link", name="In phiếu gửi hàng").click()
    page.wait_for_url("**/slip/")
    journey.check(page, "packing-slip")


# --- admin ---------------------------------------------------------------------------------------


@pytest.fixture
def waiting_stall(transactional_db):
    UserFactory(username="quantri", is_staff=True, is_superuser=True)
    stall = CooperativeFactory(name="HTX Thổ cẩm Lùng Tám", is_verified=False)
    ProductFactory(cooperative=stall, name="Khăn thổ cẩm lanh")
    CooperativeFactory(name="HTX Chè Shan tuyết Lũng Phìn")
    return stall


def test_admin_journey(live_server, waiting_stall, journey):
    """Sign in to the admin → verify the waiting cooperative with the list action → its stall
    opens in the market, which it did not before."""
    stall_url = live_server.url + waiting_stall.get_absolute_url()
    page = journey.open()
    page.goto(stall_url)
    journey.check(page, "stall-unverified", expected=(stall_url,))

    page.goto(live_server.url + "/admin/")
    page.wait_for_url("**/admin/login/**")
    journey.check(page, "login")
    page.fill("#id_username", "quantri")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    journey.check(page, "index")

    page.goto(live_server.url + "/admin/products/cooperative/?is_verified__exact=0")
    journey.check(page, "cooperatives-waiting")
    page.check(f"input[name=_selected_action][value='{waiting_stall.pk}']")
    page.select_option("select[name=action]", "verify")
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
    assert "Đã xác minh 1 hợp tác xã." in page.locator(".messagelist").inner_text()
    journey.check(page, "verified")
    assert Cooperative.objects.get(pk=waiting_stall.pk).is_verified

    page.goto(stall_url)
    assert page.locator("h1").inner_text() == "HTX Thổ cẩm Lùng Tám"
    assert "Khăn thổ cẩm lanh" in page.locator("main").inner_text()
    journey.check(page, "stall-verified")
    page.goto(live_server.url + "/cooperatives/")
    assert page.get_by_role("link", name="HTX Thổ cẩm Lùng Tám").is_visible()
    journey.check(page, "stalls")
