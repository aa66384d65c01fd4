"""Admin for orders: lists, filters, search, and status actions that go through the services."""

import re

import pytest
from django.core import mail

from orders import services
from orders.models import OrderEvent, Status
from storefront.lib.money import vnd
from tests.factories import ProductFactory, UserFactory, placed_order

pytestmark = pytest.mark.django_db

ORDERS = "/admin/orders/order/"
PARTS = "/admin/orders/cooperativeorder/"


@pytest.fixture
def staff_client(client):
    admin = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.admin = admin
    return client


@pytest.fixture
def order():
    return placed_order({ProductFactory(stock=5, name="Chè Shan"): 2, ProductFactory(name="Mật ong"): 1})


def test_order_list_filters_and_search(staff_client, order):
    """The order list opens with every filter, and finds orders by code, name or a loosely typed phone."""
    for query in (
        "",
        "?part_status=new",
        "?paid=no",
        "?paid=yes",
        "?payment_method__exact=cod",
        "?province__exact=01",
        f"?q={order.code}",
        "?q=Lan",
        "?q=%2B84+912+345+678",
    ):
        response = staff_client.get(ORDERS + query)
        assert response.status_code == 200, query
    assert order.code in staff_client.get(ORDERS + "?q=0912.345.678").content.decode()
    assert order.code not in staff_client.get(ORDERS + "?part_status=shipped").content.decode()


def test_order_page_shows_parts_items_and_events(staff_client, order):
    """The change page shows each part with its items, and the history."""
    page = staff_client.get(f"{ORDERS}{order.pk}/change/").content.decode()
    assert "Chè Shan × 2" in page
    assert "Đặt hàng" in page


def test_status_actions_call_the_services(staff_client, order, django_capture_on_commit_callbacks):
    """Confirm, ship and cancel from admin write events with the admin as actor and mail the buyer."""
    part = order.cooperative_orders.first()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(PARTS, {"action": "confirm", "_selected_action": [part.pk], "index": 0})
        staff_client.post(
            PARTS,
            {
                "action": "ship",
                "_selected_action": [part.pk],
                "carrier": "viettel_post",
                "tracking_number": "vtp 123 456",
            },
        )
    part.refresh_from_db()
    assert part.status == Status.SHIPPED
    assert (part.carrier, part.tracking_number) == ("viettel_post", "VTP123456")
    assert OrderEvent.objects.filter(cooperative_order=part, actor=staff_client.admin).count() == 2
    assert len(mail.outbox) == 2


def test_invalid_action_is_reported_not_applied(staff_client, order):
    """Delivering a part that was never shipped is refused with the service's message."""
    part = order.cooperative_orders.first()
    response = staff_client.post(PARTS, {"action": "deliver", "_selected_action": [part.pk]}, follow=True)
    assert "Không thể báo đã giao xong" in response.content.decode()
    part.refresh_from_db()
    assert part.status == Status.NEW


def test_cancel_needs_a_reason_and_restocks(staff_client, order):
    """Cancelling without a reason is refused; with one, the stock comes back once."""
    part = order.cooperative_orders.get(items__product_name="Chè Shan")
    product = part.items.get().product
    staff_client.post(PARTS, {"action": "cancel", "_selected_action": [part.pk], "reason": ""})
    part.refresh_from_db()
    assert part.status == Status.NEW
    for _ in range(2):
        staff_client.post(PARTS, {"action": "cancel", "_selected_action": [part.pk], "reason": "Hết hàng"})
    part.refresh_from_db()
    product.refresh_from_db()
    assert part.status == Status.CANCELLED
    assert product.stock == 5


def test_a_transfer_is_recorded_on_its_own_stalls_part_only(staff_client):
    """Each stall receives its own transfer: the admin records one on that part's page and the
    other stall's part stays unpaid; the order list offers no "mark paid" for a whole order."""
    order = placed_order({ProductFactory(): 1, ProductFactory(): 1}, payment_method="bank_transfer")
    first, second = order.cooperative_orders.order_by("pk")
    orders_page = staff_client.get(ORDERS).content.decode()
    assert 'value="export_csv"' in orders_page
    assert 'value="mark_paid"' not in orders_page
    order_page = staff_client.get(f"{ORDERS}{order.pk}/change/").content.decode()
    assert f'href="{PARTS}{first.pk}/change/">Xác nhận, Ghi nhận đã thanh toán, Huỷ</a>' in order_page
    part_page = staff_client.get(f"{PARTS}{first.pk}/change/").content.decode()
    assert f'action="{PARTS}{first.pk}/act/paid/"' in part_page
    response = staff_client.post(f"{PARTS}{first.pk}/act/paid/", follow=True)
    assert "Đã ghi nhận thanh toán 1 phần đơn." in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_paid
    assert not second.is_paid
    assert list(OrderEvent.objects.filter(kind="paid").values_list("cooperative_order", flat=True)) == [
        first.pk
    ]
    part_page = staff_client.get(f"{PARTS}{first.pk}/change/").content.decode()
    assert "/act/paid/" not in part_page


def test_part_page_buttons_follow_the_state_table(staff_client, order):
    """A part's page offers what the state table allows from its status, and a forged POST of
    anything else is refused with the service's message."""
    part = order.cooperative_orders.first()
    page = staff_client.get(f"{PARTS}{part.pk}/change/").content.decode()
    assert f'action="{PARTS}{part.pk}/act/confirm/"' in page
    assert "/act/ship/" not in page
    assert "/act/deliver/" not in page
    response = staff_client.post(f"{PARTS}{part.pk}/act/deliver/", follow=True)
    assert "Không thể báo đã giao xong" in response.content.decode()
    staff_client.post(f"{PARTS}{part.pk}/act/confirm/")
    staff_client.post(
        f"{PARTS}{part.pk}/act/ship/", {"carrier": "vnpost", "tracking_number": "eb123456789vn"}
    )
    part.refresh_from_db()
    assert (part.status, part.carrier, part.tracking_number) == (Status.SHIPPED, "vnpost", "EB123456789VN")
    assert staff_client.get(f"{PARTS}{part.pk}/act/confirm/").status_code == 404
    assert staff_client.post(f"{PARTS}{part.pk}/act/explode/").status_code == 404


def test_export_csv(staff_client, order):
    """The CSV export has a header and a row per part, readable as UTF-8 by spreadsheets."""
    response = staff_client.post(ORDERS, {"action": "export_csv", "_selected_action": [order.pk]})
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    lines = body.strip().splitlines()
    assert len(lines) == 3
    assert order.code in lines[1]
    assert "Chè Shan × 2" in body


def test_orders_cannot_be_added_or_deleted(staff_client, order):
    """No add or delete in admin: orders come from checkout and stay for the books."""
    assert staff_client.get(f"{ORDERS}add/").status_code == 403
    assert staff_client.get(f"{ORDERS}{order.pk}/delete/").status_code == 403


def _change_form_data(page: str) -> dict:
    """The part's change form as a browser sends it back (hidden inputs, inline management forms)."""
    form = page[page.index('id="cooperativeorder_form"') :]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def test_admin_corrects_a_shipment_with_the_same_rules(staff_client, order):
    """Carrier and number are editable on the part's page: normalised like the producer's form,
    recorded as an event; a bad number is refused with the message and nothing changes; the
    status and money stay read-only."""
    part = order.cooperative_orders.first()
    services.cooperative_order_confirm(cooperative_order=part, actor=None)
    services.cooperative_order_ship(
        cooperative_order=part, actor=None, carrier="ghn", tracking_number="GY1234"
    )
    url = f"{PARTS}{part.pk}/change/"
    page = staff_client.get(url).content.decode()
    for field in ("carrier", "tracking_number", "bus_route", "driver_phone", "carrier_name", "tracking_note"):
        assert f'name="{field}"' in page, field
    assert 'name="status"' not in page and 'name="subtotal"' not in page
    assert "https://donhang.ghn.vn/?order_code=GY1234" in page
    data = _change_form_data(page)
    fields = {"carrier": "ghtk", "carrier_name": "", "bus_route": "", "driver_phone": "", "tracking_note": ""}
    response = staff_client.post(url, {**data, **fields, "tracking_number": "S1 😀", "_save": "1"})
    assert response.status_code == 200
    assert "Ký tự “😀” không có trong mã" in response.content.decode()
    part.refresh_from_db()
    assert (part.carrier, part.tracking_number) == ("ghn", "GY1234")
    response = staff_client.post(url, {**data, **fields, "tracking_number": " s22.mb1. a2 ", "_save": "1"})
    assert response.status_code == 302
    part.refresh_from_db()
    assert (part.carrier, part.tracking_number, part.status) == ("ghtk", "S22.MB1.A2", Status.SHIPPED)
    event = part.events.get(kind="shipment")
    assert (event.actor, event.message) == (staff_client.admin, "GHTK · S22.MB1.A2")


def _shipped_by_ghn(order):
    part = order.cooperative_orders.first()
    services.cooperative_order_confirm(cooperative_order=part, actor=None)
    services.cooperative_order_ship(
        cooperative_order=part, actor=None, carrier="ghn", tracking_number="GY1234"
    )
    return part


def test_admin_saves_a_bus_shipment_with_the_phone_typed_as_people_write_it(staff_client, order):
    """The driver's phone with spaces or +84 is saved as the producer's form saves it, and 200
    characters get the shipment rules' messages, not Django's count of the column; no box is cut
    short in the browser."""
    part = _shipped_by_ghn(order)
    url = f"{PARTS}{part.pk}/change/"
    page = staff_client.get(url).content.decode()
    for field in ("tracking_number", "carrier_name", "bus_route", "driver_phone"):
        box = re.search(rf'<input[^>]* name="{field}"[^>]*>', page).group(0)
        assert "maxlength" not in box, box
    data = _change_form_data(page)
    bus = {"carrier": "bus", "tracking_number": "", "carrier_name": "", "tracking_note": "", "_save": "1"}
    for typed, kept in (("0912 345 678", "0912345678"), ("+84 987 654 321", "0987654321")):
        response = staff_client.post(
            url, {**data, **bus, "bus_route": "Hà Giang – Hà Nội", "driver_phone": typed}
        )
        assert response.status_code == 302, response.content.decode()[-2000:]
        part.refresh_from_db()
        assert (part.carrier, part.bus_route, part.driver_phone) == ("bus", "Hà Giang – Hà Nội", kept)
    long = {**bus, "tracking_number": "A" * 200, "bus_route": "x" * 200, "driver_phone": "0" * 200}
    page = staff_client.post(url, {**data, **long}).content.decode()
    assert "Mã vận đơn dài quá: tối đa 40 ký tự, ô này có 200." in page
    assert "Tuyến xe dài quá: tối đa 100 ký tự, ô này có 200." in page
    assert "Số di động chưa đúng." in page
    assert "kí tự (hiện có" not in page
    part.refresh_from_db()
    assert part.driver_phone == "0987654321"


def test_the_action_menu_says_what_is_wrong_with_a_long_tracking_number(staff_client, order):
    """201 characters beside "mark shipped" get the shipment rules' message, not the admin's
    "no action selected"; nothing ships."""
    part = order.cooperative_orders.first()
    services.cooperative_order_confirm(cooperative_order=part, actor=None)
    action = {
        "action": "ship",
        "_selected_action": [part.pk],
        "carrier": "ghtk",
        "tracking_number": "S" * 201,
    }
    page = staff_client.post(PARTS, action, follow=True).content.decode()
    assert "Mã vận đơn dài quá: tối đa 40 ký tự, ô này có 201." in page
    assert "Không có hoạt động nào được lựa chọn." not in page
    part.refresh_from_db()
    assert (part.status, part.tracking_number) == (Status.CONFIRMED, "")


def test_cash_on_delivery_is_not_recorded_before_the_delivery(staff_client, order):
    """Neither the list's "mark paid" nor a part's page records cash the courier has not collected
    yet; delivering records it."""
    part = _shipped_by_ghn(order)
    page = staff_client.get(f"{PARTS}{part.pk}/change/").content.decode()
    assert "/act/paid/" not in page and f'action="{PARTS}{part.pk}/act/deliver/"' in page
    page = staff_client.post(
        PARTS, {"action": "mark_paid", "_selected_action": [part.pk]}, follow=True
    ).content.decode()
    assert "chỉ làm được khi phần đơn ở trạng thái “Đã giao”; bây giờ là “Đang giao”." in page
    response = staff_client.post(f"{PARTS}{part.pk}/act/paid/", follow=True)
    assert "chỉ làm được khi phần đơn ở trạng thái “Đã giao”" in response.content.decode()
    part.refresh_from_db()
    assert not part.is_paid and not part.events.filter(kind="paid").exists()
    staff_client.post(f"{PARTS}{part.pk}/act/deliver/")
    part.refresh_from_db()
    assert (part.status, part.is_paid) == (Status.DELIVERED, True)


def test_amounts_are_shown_as_money_in_lists_and_pages(staff_client, order):
    """Admin lists and change pages show "360.000 ₫", not a bare 360000."""
    part = order.cooperative_orders.get(items__product_name="Chè Shan")
    pages = [
        staff_client.get(ORDERS).content.decode(),
        staff_client.get(f"{ORDERS}{order.pk}/change/").content.decode(),
        staff_client.get(PARTS).content.decode(),
        staff_client.get(f"{PARTS}{part.pk}/change/").content.decode(),
    ]
    assert "360.000\u00a0₫" in pages[0] and "360000" not in pages[0]
    assert "360.000\u00a0₫" in pages[1] and "200.000\u00a0₫" in pages[1]
    assert vnd(part.total) in pages[2]
    assert "100.000\u00a0₫" in pages[3] and "200.000\u00a0₫" in pages[3]


def test_history_rows_say_what_happened_and_when(order):
    """An order event reads "Đặt hàng · HH:MM dd/mm/yyyy", not an internal id."""
    event = OrderEvent.objects.filter(order=order).first()
    assert str(event).startswith("Đặt hàng · ")
    assert str(order.pk) + " ·" not in str(event)


def test_order_list_names_a_mixed_order(staff_client, order):
    """An order with one part shipped and one new reads "Một phần đã gửi" in the list, not "Mới đặt"."""
    part = order.cooperative_orders.first()
    services.cooperative_order_confirm(cooperative_order=part, actor=None)
    services.cooperative_order_ship(
        cooperative_order=part, actor=None, carrier="ghn", tracking_number="GY1234"
    )
    page = staff_client.get(ORDERS).content.decode()
    assert "Một phần đã gửi" in page
    assert "Mới đặt</td>" not in page


def test_order_search_works_without_diacritics(staff_client, order):
    """Typing a name, commune or province without accents finds the order; other words do not."""
    for query in ("nguyen thi lan", "NGUYEN lan", "ba dinh", "ha noi", order.code.lower()):
        assert order.code in staff_client.get(ORDERS, {"q": query}).content.decode(), query
    assert order.code not in staff_client.get(ORDERS, {"q": "tran van binh"}).content.decode()


def test_order_search_follows_an_edited_address(staff_client, order):
    """An address corrected in admin is found by its new words, folded."""
    order.commune = "xã Lũng Phìn"
    order.save(update_fields=["commune"])
    assert order.code in staff_client.get(ORDERS, {"q": "lung phin"}).content.decode()


def test_migration_fills_search_text_of_existing_orders(order):
    """The data migration gives orders made before the column a folded search text."""
    import importlib

    from django.apps import apps

    from orders.models import Order

    Order.objects.filter(pk=order.pk).update(search_text="")
    importlib.import_module("orders.migrations.0003_order_search_text").fill(apps, None)
    text = Order.objects.get(pk=order.pk).search_text
    assert " nguyen thi lan " in text
    assert " ha noi " in text


def test_order_and_part_lists_keep_to_the_columns_admins_scan(staff_client, order):
    """Orders: code, buyer (name over phone), total, status, paid, short date; parts: code, stall,
    status, total, paid, short date. Province, payment method and shipping are left to the filters."""
    from django.utils import timezone

    def columns(url):
        html = staff_client.get(url).content.decode()
        thead = html.split('id="result_list"', 1)[1].split("</thead>", 1)[0]
        return html, re.findall(r'class="[^"]*\bcolumn-(\w+)', thead)

    day = f"{timezone.localtime(order.created_at):%d/%m/%Y}"
    html, found = columns(ORDERS)
    assert found == [
        "code",
        "buyer",
        "grand_total_vnd",
        "status_label",
        "paid_label",
        "created_short",
    ]
    assert f'<td class="field-created_short">{day}</td>' in html
    assert "Nguyễn Thị Lan<br>0912 345 678" in html
    html, found = columns(PARTS)
    assert found == ["order_code", "stall", "status", "total_vnd", "paid", "created_short"]
    assert f'<td class="field-created_short">{day}</td>' in html


def test_a_parts_page_shows_the_market_fee_rate_it_was_placed_under(staff_client):
    from decimal import Decimal

    product = ProductFactory(cooperative__market_fee_rate=Decimal("2.5"))
    part = placed_order({product: 1}).cooperative_orders.get()
    product.cooperative.market_fee_rate = Decimal("4")
    product.cooperative.save()
    page = staff_client.get(f"{PARTS}{part.pk}/change/").content.decode()
    field = re.search(r'field-market_fee_rate.*?<div class="readonly">([^<]*)</div>', page, re.S)
    assert field and field.group(1).strip() in {"2,50", "2,5"}
