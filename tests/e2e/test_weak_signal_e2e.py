"""A producer on a weak signal, on a 360 px phone: photos go up one by one and a cut costs only
the photo that was on its way; what was typed survives a reload and an expired session."""

import io
from urllib.parse import urlparse

import pytest
from PIL import Image

from products.models import Product
from tests.e2e.conftest import Journey
from tests.e2e.test_journeys_e2e import PASSWORD, camera_jpeg
from tests.factories import (
    CategoryFactory,
    CooperativeFactory,
    MembershipFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
)

PHONE = {"width": 360, "height": 740}
UPLOAD = "/dashboard/products/photos/"


@pytest.fixture
def producer(transactional_db):
    CategoryFactory(name="Mật ong và đặc sản rừng")
    stall = CooperativeFactory(name="HTX Mật ong bạc hà Mèo Vạc")
    MembershipFactory(user=UserFactory(username="sx5"), cooperative=stall)
    return stall


@pytest.fixture
def journey(request, browser, csp_violations):
    journey = Journey(browser, request.node.originalname.removeprefix("test_"), PHONE)
    yield journey
    journey.close()


def sign_in(page, live_server):
    page.fill("#id_username", "sx5")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def open_add_form(page, live_server):
    page.goto(live_server.url + "/accounts/login/?next=/dashboard/products/new/")
    sign_in(page, live_server)
    page.wait_for_url("**/dashboard/products/new/")


def fill_product(page, name: str):
    page.fill("#id_name", name)
    page.select_option("#id_category", label="Mật ong và đặc sản rừng")
    page.fill("#id_price", "450.000")
    page.fill("#id_stock", "12")
    page.fill("#id_unit", "chai 500 ml")


def received(page):
    return page.locator('.photo-pending input[name="pending"]:not([disabled])')


def status(page):
    return page.locator(".submit-row .form-status")


def assert_clean_and_upright(image_field, where: str):
    with image_field.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    assert not image.getexif(), f"{where}: EXIF left in the stored photo"
    assert max(image.size) <= 2000, f"{where}: {image.size}"
    assert image.width < image.height, f"{where}: {image.size} is lying down"
    top, bottom = (
        image.getpixel((image.width // 2, image.height // 10)),
        image.getpixel((image.width // 2, image.height * 9 // 10)),
    )
    assert top[2] > top[1] and bottom[1] > bottom[2], f"{where}: sky not on top ({top}, {bottom})"


def test_a_cut_during_the_second_photo_costs_only_that_photo(live_server, producer, journey, tmp_path):
    """Two camera photos; the connection drops while the second is on its way and Save is tapped
    meanwhile; when it comes back the second photo alone is sent again and the product is saved
    once, with both photos, upright and without EXIF. Each photo left the phone under ~400 KB."""
    photos = []
    for index in (1, 2):
        path = tmp_path / f"IMG_2026030{index}_0815.jpg"
        path.write_bytes(camera_jpeg())
        photos.append(str(path))
    page = journey.open()
    context = page.context
    open_add_form(page, live_server)
    journey.check(page, "form")

    sent = []

    def cut_the_second(route):
        sent.append(len(route.request.post_data_buffer or b""))
        if len(sent) == 2:
            context.set_offline(True)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(f"**{UPLOAD}", cut_the_second)
    fill_product(page, "Mật ong bạc hà vụ xuân")
    page.set_input_files("#id_photos", photos)
    status(page).filter(has_text="Mất mạng").wait_for(timeout=60_000)
    assert received(page).count() == 1
    page.locator(".submit-row [type=submit]").click()
    status(page).filter(has_text="Sẽ «Thêm sản phẩm» ngay khi gửi xong ảnh").wait_for()
    page.screenshot(path=journey.folder / "02-offline-waiting.png", full_page=True)
    assert page.url.endswith("/dashboard/products/new/"), "the form must wait for its photos"

    context.set_offline(False)
    page.wait_for_url("**/dashboard/products/", timeout=60_000)
    page.locator(".dash-row", has_text="Mật ong bạc hà vụ xuân").wait_for()
    journey.check(page, "saved", expected=(UPLOAD,))

    products = Product.objects.filter(name="Mật ong bạc hà vụ xuân")
    assert products.count() == 1
    images = list(products.get().images.order_by("position"))
    assert len(images) == 2
    for number, image in enumerate(images, 1):
        assert_clean_and_upright(image.image, f"photo {number}")
    assert len(sent) >= 3, f"the second photo should have been sent again: {sent}"
    assert all(size < 420 * 1024 for size in sent), f"photos should leave the phone shrunk: {sent}"


def test_what_was_typed_comes_back_after_a_reload_and_an_expired_session(
    live_server, producer, journey, tmp_path
):
    """Typed text and a received photo are kept on the phone: a reload offers them back, so does
    the form opened again after signing in anew; once saved, the draft is gone. A file that is
    no photo is refused beside the button in the button's words, and the rest is kept."""
    photo = tmp_path / "IMG_20260301_0815.jpg"
    photo.write_bytes(camera_jpeg())
    notes = tmp_path / "ghi-chu.jpg"
    notes.write_bytes(b"not a photo at all")
    page = journey.open()
    open_add_form(page, live_server)
    fill_product(page, "Mật ong rừng Mèo Vạc")
    page.set_input_files("#id_photos", [str(photo), str(notes)])
    status(page).locator(".form-status-error").filter(has_text="ghi-chu.jpg").wait_for(timeout=60_000)
    assert "bấm «Thêm sản phẩm»" in status(page).inner_text()
    assert received(page).count() == 1
    journey.check(page, "photo-refused", expected=(UPLOAD,))

    page.reload()
    offer = page.locator(".draft-offer")
    offer.get_by_role("button", name="Khôi phục bản nháp").wait_for()
    assert page.input_value("#id_name") == ""
    journey.check(page, "draft-offered")
    offer.get_by_role("button", name="Khôi phục bản nháp").click()
    assert page.input_value("#id_name") == "Mật ong rừng Mèo Vạc"
    assert page.input_value("#id_price") == "450.000"
    assert received(page).count() == 1
    journey.check(page, "draft-restored")

    # The session ends while the form is open: Save leads to the sign-in page, and back.
    page.context.clear_cookies(name="sessionid")
    page.set_input_files("#id_photos", str(photo))
    status(page).locator(".form-status-error").filter(has_text="Phiên đăng nhập đã hết").wait_for()
    page.fill("#id_summary", "Mật ong hoa bạc hà, vụ xuân.")
    page.wait_for_timeout(600)  # the draft is written a moment after typing stops
    page.locator(".submit-row [type=submit]").click()
    page.wait_for_url("**/accounts/login/**")
    sign_in(page, live_server)
    page.wait_for_url("**/dashboard/products/new/")
    page.locator(".draft-offer").get_by_role("button", name="Khôi phục bản nháp").click()
    assert page.input_value("#id_summary") == "Mật ong hoa bạc hà, vụ xuân."
    page.locator(".submit-row [type=submit]").click()
    page.wait_for_url("**/dashboard/products/")
    product = Product.objects.get(name="Mật ong rừng Mèo Vạc")
    assert product.images.count() == 1
    assert product.summary == "Mật ong hoa bạc hà, vụ xuân."

    page.goto(live_server.url + "/dashboard/products/new/")
    page.wait_for_load_state("load")
    assert page.locator(".draft-offer").is_hidden(), "a saved draft must not be offered again"

    # A draft the producer does not want goes for good.
    page.fill("#id_name", "Thử")
    page.wait_for_timeout(600)
    page.reload()
    page.locator(".draft-offer").get_by_role("button", name="Bỏ bản nháp").click()
    assert page.locator(".draft-offer").is_hidden() and page.input_value("#id_name") == ""
    page.reload()
    page.wait_for_load_state("load")
    assert page.locator(".draft-offer").is_hidden()
    journey.check(page, "draft-discarded")


def test_an_edit_draft_is_kept_per_product_and_restores_its_photo_rows(live_server, producer, journey):
    """Edits typed on one product come back on that product only, photo descriptions included, and
    the save applies them once."""
    honey = ProductFactory(cooperative=producer, name="Mật ong bạc hà", price=450_000, stock=5)
    ProductImageFactory(product=honey, alt_text="Chai mật ong")
    other = ProductFactory(cooperative=producer, name="Mật ong rừng")
    page = journey.open()
    page.goto(live_server.url + f"/accounts/login/?next=/dashboard/products/{honey.pk}/")
    sign_in(page, live_server)
    page.wait_for_url(f"**/dashboard/products/{honey.pk}/")
    page.fill("#id_price", "480.000")
    page.fill("#id_photo-0-alt_text", "Chai mật ong bên tổ ong")
    page.wait_for_timeout(600)

    page.goto(live_server.url + f"/dashboard/products/{other.pk}/")
    page.wait_for_load_state("load")
    assert page.locator(".draft-offer").is_hidden(), "another product's draft is not this one's"
    page.goto(live_server.url + f"/dashboard/products/{honey.pk}/")
    page.locator(".draft-offer").get_by_role("button", name="Khôi phục bản nháp").click()
    assert page.input_value("#id_price") == "480.000"
    assert page.input_value("#id_photo-0-alt_text") == "Chai mật ong bên tổ ong"
    journey.check(page, "edit-draft-restored")
    with page.expect_navigation():
        page.locator(".submit-row [type=submit]").click()
    # A refused save (400) fails with the form's own messages, which say why.
    refused = page.locator(".invalid-feedback, .alert, .form-status-error").all_inner_texts()
    assert urlparse(page.url).path == "/dashboard/products/", refused
    honey.refresh_from_db()
    assert honey.price == 480_000 and honey.stock == 5
    assert honey.images.get().alt_text == "Chai mật ong bên tổ ong"
    page.goto(live_server.url + f"/dashboard/products/{honey.pk}/")
    page.wait_for_load_state("load")
    assert page.locator(".draft-offer").is_hidden(), "a saved edit is not offered again"


def test_without_javascript_the_photos_go_with_the_form_as_before(live_server, producer, journey, tmp_path):
    """Scripting off: the picker still opens the file input, the browser names the chosen photo,
    and the form posts it with everything else."""
    photo = tmp_path / "IMG_20260301_0815.jpg"
    photo.write_bytes(camera_jpeg())
    page = journey.open(java_script_enabled=False)
    open_add_form(page, live_server)
    fill_product(page, "Mật ong không cần script")
    page.set_input_files("#id_photos", str(photo))
    assert page.locator("#id_photos").is_visible(), "the browser's input names the chosen photo"
    # Not journey.check: axe needs scripts, and this page has none.
    page.screenshot(path=journey.folder / "01-photo-chosen.png", full_page=True)
    page.locator(".submit-row [type=submit]").click()
    page.wait_for_url("**/dashboard/products/")
    images = Product.objects.get(name="Mật ong không cần script").images.all()
    assert len(images) == 1
    assert_clean_and_upright(images[0].image, "photo")


def open_edit_form(page, live_server, product):
    page.goto(live_server.url + f"/accounts/login/?next=/dashboard/products/{product.pk}/")
    sign_in(page, live_server)
    page.wait_for_url(f"**/dashboard/products/{product.pk}/")


def test_a_draft_already_saved_is_not_offered_and_never_counts_its_stock_twice(
    live_server, producer, journey
):
    """The stock goes from 50 to 55 and is saved; another phone then changes the price. Opening the
    product again on this phone offers nothing. When the session ends right after a save (the
    browser no longer knows it), the draft is offered with a word that the product was saved
    since, and restoring it leaves the stock as saved: the draft's stock is not a change on top
    of today's."""
    honey = ProductFactory(cooperative=producer, name="Mật ong bạc hà", price=450_000, stock=50)
    page = journey.open()
    open_edit_form(page, live_server, honey)
    page.fill("#id_stock", "55")
    page.wait_for_timeout(600)
    with page.expect_navigation():
        page.locator(".submit-row [type=submit]").click()
    honey.refresh_from_db()
    assert honey.stock == 55
    Product.objects.filter(pk=honey.pk).update(price=470_000, last_edit_token="x" * 32)

    page.goto(live_server.url + f"/dashboard/products/{honey.pk}/")
    page.wait_for_load_state("load")
    assert page.locator(".draft-offer").is_hidden(), "this phone's own save is not a draft"

    # Again, but the session ends right after the save, so the browser's saves are forgotten.
    page.fill("#id_stock", "58")
    page.wait_for_timeout(600)
    with page.expect_navigation():
        page.locator(".submit-row [type=submit]").click()
    page.context.clear_cookies(name="sessionid")
    Product.objects.filter(pk=honey.pk).update(price=490_000, last_edit_token="y" * 32)
    open_edit_form(page, live_server, honey)
    offer = page.locator(".draft-offer")
    offer.get_by_role("button", name="Khôi phục bản nháp").wait_for()
    assert "Sản phẩm đã được lưu sau lúc đó" in offer.inner_text()
    journey.check(page, "saved-since")
    offer.get_by_role("button", name="Khôi phục bản nháp").click()
    with page.expect_navigation():
        page.locator(".submit-row [type=submit]").click()
    honey.refresh_from_db()
    assert honey.stock == 58


def test_typing_while_an_old_draft_is_offered_makes_the_new_draft(live_server, producer, journey):
    page = journey.open()
    open_add_form(page, live_server)
    page.fill("#id_name", "Bản cũ")
    page.wait_for_timeout(600)
    page.reload()
    page.locator(".draft-offer").get_by_role("button", name="Khôi phục bản nháp").wait_for()
    page.fill("#id_name", "Mật ong mới gõ")
    assert page.locator(".draft-offer").is_hidden()
    page.wait_for_timeout(600)
    page.reload()
    page.locator(".draft-offer").get_by_role("button", name="Khôi phục bản nháp").click()
    assert page.input_value("#id_name") == "Mật ong mới gõ"


def test_a_server_that_keeps_failing_stops_the_photo_and_save_waits_for_the_producer(
    live_server, producer, journey, tmp_path
):
    """Every try of one photo answers 500: after a few tries it is refused with a word about the
    server, not the network, and Save tapped meanwhile does not go without it. A photo left
    waiting for the network can be dropped, and the form then goes with what arrived."""
    photo = tmp_path / "IMG_20260301_0815.jpg"
    photo.write_bytes(camera_jpeg())
    page = journey.open()
    open_add_form(page, live_server)
    tries = []

    def failing(route):
        tries.append(route.request.url)
        route.fulfill(status=500, body="lỗi")

    page.route(f"**{UPLOAD}", failing)
    fill_product(page, "Mật ong chờ máy chủ")
    page.set_input_files("#id_photos", str(photo))
    status(page).filter(has_text="Máy chủ chưa nhận ảnh").wait_for(timeout=20_000)
    page.locator(".submit-row [type=submit]").click()
    error = status(page).locator(".form-status-error")
    error.filter(has_text="Máy chủ đang gặp lỗi").wait_for(timeout=60_000)
    assert len(tries) == 5
    page.wait_for_timeout(1500)
    assert urlparse(page.url).path == "/dashboard/products/new/", "Save must wait for the producer"
    assert not Product.objects.filter(name="Mật ong chờ máy chủ").exists()
    journey.check(page, "server-refused", expected=(UPLOAD,))
    page.locator(".photo-failed").get_by_label("Bỏ ảnh này").click()
    assert page.locator(".photo-failed").count() == 0

    page.unroute(f"**{UPLOAD}")
    page.route(f"**{UPLOAD}", lambda route: route.abort("connectionreset"))
    page.set_input_files("#id_photos", str(photo))
    waiting = page.locator(".photo-pending:not(.photo-failed)").filter(has_text="Chờ mạng để gửi lại")
    waiting.wait_for(timeout=20_000)
    waiting.get_by_label("Bỏ ảnh này").click()
    assert page.locator(".photo-pending:not(.photo-failed)").count() == 0
    with page.expect_navigation():
        page.locator(".submit-row [type=submit]").click()
    assert Product.objects.get(name="Mật ong chờ máy chủ").images.count() == 0


def test_photos_with_no_room_are_not_sent(live_server, producer, journey, tmp_path):
    """Eleven photos already: of three chosen, one is sent and the page says why the other two
    were not, before they cost the producer's data."""
    honey = ProductFactory(cooperative=producer, name="Mật ong bạc hà")
    for _ in range(11):
        ProductImageFactory(product=honey)
    files = []
    for index in range(3):
        path = tmp_path / f"IMG_000{index}.jpg"
        path.write_bytes(camera_jpeg())
        files.append(str(path))
    page = journey.open()
    open_edit_form(page, live_server, honey)
    sent = []
    page.on("request", lambda request: sent.append(request) if request.url.endswith(UPLOAD) else None)
    page.set_input_files("#id_photos", files)
    status(page).locator(".form-status-error").filter(
        has_text="Mỗi sản phẩm có tối đa 12 ảnh: 2 ảnh cuối chưa được gửi."
    ).wait_for()
    received(page).first.wait_for(state="attached", timeout=60_000)
    assert len(sent) == 1
    assert page.locator(".photo-pending").count() == 1
