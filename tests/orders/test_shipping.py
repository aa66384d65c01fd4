"""Shipping with a carrier from the list and a tracking number: the rules of orders.carriers, the
producer's ship form, what the buyer sees (order and tracking pages, mail), the packing slip, and
the migration that reads the old free text."""

import importlib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from orders import services
from orders.carriers import CARRIERS, shipment_clean, tracking_number_normalize
from orders.models import CooperativeOrder, Status
from tests.dashboard import make_stall
from tests.factories import placed_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def stall():
    return make_stall(stock=10, price=120000)


@pytest.fixture
def member_client(client, stall):
    client.force_login(stall.member)
    return client


def confirmed_part(stall) -> CooperativeOrder:
    order = placed_order({stall.product: 1}, email="lan@example.com")
    part = order.cooperative_orders.get()
    services.cooperative_order_confirm(cooperative_order=part, actor=None)
    return part


def errors_of(**fields) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        shipment_clean(**fields)
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("carrier", "typed", "kept"),
    [
        ("ghn", " gy 7x k4 ", "GY7XK4"),
        ("vnpost", "eb123\u00a0456\u00a0789vn", "EB123456789VN"),
        ("ghtk", "s22713.mb16.d1.c13.12345", "S22713.MB16.D1.C13.12345"),
        ("jt", "8412 3456 7890", "841234567890"),
        ("ninja_van", "ＮＶＶＮ１２３４", "NVVN1234"),  # full-width, from an Asian keyboard
        ("bus", "Ve 12a", "Ve12a"),
        ("other", "abc-12/x", "abc-12/x"),
    ],
)
def test_numbers_lose_their_spaces_and_courier_codes_are_upper_case(carrier, typed, kept):
    """Spaces (NBSP too) go; the courier companies' codes are upper case; a bus ticket keeps its case."""
    assert tracking_number_normalize(raw=typed, carrier=carrier) == kept


def test_odd_numbers_get_a_message_that_names_the_problem():
    """An emoji, a Vietnamese word, 200 characters, a code too short or missing: each one says why."""
    assert (
        "Ký tự “📦” không có trong mã"
        in errors_of(carrier="ghn", tracking_number="GY7X📦")["tracking_number"][0]
    )
    assert (
        "Ký tự “ã” không có trong mã"
        in errors_of(carrier="ghn", tracking_number="mã GY7X")["tracking_number"][0]
    )
    long = errors_of(carrier="ghtk", tracking_number="A" * 200)["tracking_number"][0]
    assert "tối đa 40 ký tự, ô này có 200" in long
    assert "ngắn quá" in errors_of(carrier="ghn", tracking_number="G1")["tracking_number"][0]
    missing = errors_of(carrier="viettel_post", tracking_number="   ")["tracking_number"][0]
    assert missing.startswith("Hãy nhập mã vận đơn Viettel Post")
    assert errors_of(carrier="fedex")["carrier"] == ["Hãy chọn đơn vị vận chuyển trong danh sách."]


def test_a_bus_needs_its_route_and_the_drivers_mobile():
    """A bus parcel is found by route and driver: both asked for, the phone checked like any mobile."""
    errors = errors_of(carrier="bus", bus_route="  ")
    assert set(errors) == {"bus_route", "driver_phone"}
    assert "số di động của tài xế" in errors["driver_phone"][0]
    assert (
        "10 số"
        in errors_of(carrier="bus", bus_route="Hà Giang – Hà Nội", driver_phone="0169 123 4567")[
            "driver_phone"
        ][0]
    )
    shipment = shipment_clean(
        carrier="bus",
        bus_route=" Hà Giang  –  Hà Nội ",
        driver_phone="+84 912.345.678",
        carrier_name="ignored",
    )
    assert (shipment.bus_route, shipment.driver_phone, shipment.carrier_name) == (
        "Hà Giang – Hà Nội",
        "0912345678",
        "",
    )
    assert shipment.name == "Xe khách" and shipment.driver_tel == "tel:+84912345678"
    assert shipment.tracking_url == ""


def test_other_needs_a_name_of_reasonable_length():
    """ "Other" is named by the producer, briefly."""
    assert "Hãy ghi tên" in errors_of(carrier="other")["carrier_name"][0]
    assert "tối đa 80 ký tự" in errors_of(carrier="other", carrier_name="x" * 200)["carrier_name"][0]
    assert shipment_clean(carrier="other", carrier_name="Best 🚚 Express").name == "Best 🚚 Express"


def test_invisible_characters_pasted_from_chat_apps_are_dropped():
    """Text copied from a chat app brings zero-width spaces, byte-order marks, direction marks and
    word joiners: they go, instead of being named in a message nobody can see, and a name made
    of them alone is no name."""
    invisible = "\u200b\ufeff\u200e\u200f\u2060"
    shipped = shipment_clean(carrier="ghn", tracking_number=f"{invisible}gy7x\u200bk4{invisible}")
    assert shipped.tracking_number == "GY7XK4"
    bus = shipment_clean(
        carrier="bus",
        bus_route="\u200eHà Giang – Hà Nội\u200f",
        driver_phone="\ufeff0912\u200b345\u2060678\u200e",
    )
    assert (bus.bus_route, bus.driver_phone) == ("Hà Giang – Hà Nội", "0912345678")
    assert shipment_clean(carrier="other", carrier_name="\u200bBest Express\u2060").name == "Best Express"
    assert "Hãy ghi tên" in errors_of(carrier="other", carrier_name="\u200b" * 3)["carrier_name"][0]
    no_phone = errors_of(carrier="bus", bus_route="Sơn La – Hà Nội", driver_phone="\u200b\ufeff")
    assert "Hãy nhập số di động của tài xế" in no_phone["driver_phone"][0]


def test_tracking_pages_open_on_the_parcel_where_the_carrier_allows_it():
    """GHN, GHTK, J&T and Ninja Van take the number in the address; Viettel Post and VNPost get
    their tracking page, the code shown to copy."""
    assert shipment_clean(carrier="ghn", tracking_number="gy7xk4").tracking_url == (
        "https://donhang.ghn.vn/?order_code=GY7XK4"
    )
    assert (
        shipment_clean(carrier="ghtk", tracking_number="S1.A/2").tracking_url == "https://i.ghtk.vn/S1.A%2F2"
    )
    viettel = shipment_clean(carrier="viettel_post", tracking_number="1867532314")
    assert viettel.tracking_url == "https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/"
    assert not viettel.url_has_number
    for carrier in CARRIERS.values():
        assert carrier.tracking_url == "" or carrier.tracking_url.startswith("https://")


def test_odd_input_on_the_ship_form_is_a_400_that_keeps_what_was_typed(member_client, stall):
    """Each odd box gets its message next to it; what was typed stays in the form; nothing ships."""
    part = confirmed_part(stall)
    url = f"/dashboard/orders/{part.pk}/ship/"
    response = member_client.post(url, {"carrier": "ghn", "tracking_number": "GY 7X 🎁"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ký tự “🎁” không có trong mã" in page
    assert 'value="GY 7X 🎁"' in page
    assert 'value="ghn" id="id_carrier_2" checked' in page
    response = member_client.post(
        url, {"carrier": "bus", "bus_route": "Hà Giang – Hà Nội", "driver_phone": ""}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Hãy nhập số di động của tài xế" in page and 'value="Hà Giang – Hà Nội"' in page
    response = member_client.post(url, {"tracking_number": "GY7XK4"})
    assert response.status_code == 400 and "Hãy chọn đơn vị vận chuyển." in response.content.decode()
    part.refresh_from_db()
    assert (part.status, part.tracking_number) == (Status.CONFIRMED, "")
    assert not part.events.filter(kind="shipped").exists()


def test_the_buyer_sees_carrier_number_and_link_on_the_tracking_page_and_in_the_mail(
    member_client, client, stall, django_capture_on_commit_callbacks
):
    """Shipped with GHN: the mail and the order page (found by code and phone) name the carrier,
    the normalised number and the link to GHN's page for this parcel."""
    part = confirmed_part(stall)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            f"/dashboard/orders/{part.pk}/ship/", {"carrier": "ghn", "tracking_number": " gy7x k4pq "}
        )
    assert response.status_code == 302
    body = mail.outbox[0].body
    assert "Gửi qua: GHN" in body and "Mã vận đơn: GY7XK4PQ" in body
    assert "Xem hành trình: https://donhang.ghn.vn/?order_code=GY7XK4PQ" in body
    client.logout()
    found = client.post("/orders/track/", {"code": part.order.code, "phone": "0912 345 678"}, follow=True)
    page = found.content.decode()
    assert "Gửi qua <strong>GHN</strong>" in page
    assert '<span class="mono">GY7XK4PQ</span>' in page and 'data-copy="GY7XK4PQ"' in page
    assert (
        'href="https://donhang.ghn.vn/?order_code=GY7XK4PQ" rel="noopener noreferrer" target="_blank"' in page
    )
    assert "Xem hành trình trên trang GHN" in page


def test_a_bus_parcel_shows_route_and_a_call_link_and_viettel_shows_its_page_to_paste_into(
    member_client, stall
):
    """A bus: route and the driver's number to call; Viettel Post: its tracking page and the code."""
    part = confirmed_part(stall)
    member_client.post(
        f"/dashboard/orders/{part.pk}/ship/",
        {"carrier": "bus", "bus_route": "Hà Giang – Hà Nội", "driver_phone": "0912.345.678"},
    )
    page = member_client.get(f"/dashboard/orders/{part.pk}/").content.decode()
    assert "Gửi qua <strong>Xe khách</strong> · Hà Giang – Hà Nội" in page
    assert '<a href="tel:+84912345678">0912 345 678</a>' in page
    other = confirmed_part(stall)
    member_client.post(
        f"/dashboard/orders/{other.pk}/ship/", {"carrier": "viettel_post", "tracking_number": "1867 532 314"}
    )
    slip = member_client.get(f"/dashboard/orders/{other.pk}/slip/").content.decode()
    assert "Mở trang tra cứu của Viettel Post" in slip and "rồi dán mã vận đơn" in slip
    assert '<span class="mono">1867532314</span>' in slip


def test_the_ship_form_starts_on_the_carrier_the_stall_used_last(member_client, stall):
    """Most stalls use one carrier: the next ship form has it (and the bus route, driver) chosen."""
    page = member_client.get(f"/dashboard/orders/{confirmed_part(stall).pk}/").content.decode()
    assert " checked" not in page.split('class="ship-form"', 1)[1].split("</fieldset>", 1)[0]
    first = confirmed_part(stall)
    member_client.post(
        f"/dashboard/orders/{first.pk}/ship/",
        {"carrier": "bus", "bus_route": "Sơn La – Hà Nội", "driver_phone": "0987654321"},
    )
    page = member_client.get(f"/dashboard/orders/{confirmed_part(stall).pk}/").content.decode()
    assert 'value="bus" id="id_carrier_6" checked' in page
    assert 'value="Sơn La – Hà Nội"' in page and 'value="0987654321"' in page
    assert "js/ship-form" in page


def test_packing_slip_has_a_print_button_run_by_a_static_script(member_client, stall):
    """The Print button is hidden until print.js shows it; the hint is there for pages without script."""
    part = confirmed_part(stall)
    page = member_client.get(f"/dashboard/orders/{part.pk}/slip/").content.decode()
    assert '<button type="button" class="btn btn-brand" data-print hidden>In phiếu</button>' in page
    assert "data-print-hint" in page and "/static/js/print" in page
    assert "<script>" not in page


MIGRATION = importlib.import_module("orders.migrations.0009_shipment_carrier_list")


class OldRow:
    def __init__(self, carrier, tracking_note=""):
        self.carrier, self.tracking_note = carrier, tracking_note


@pytest.mark.parametrize(
    ("carrier", "note", "changes"),
    [
        (
            "Viettel Post",
            "vtp 123 456",
            {"carrier": "viettel_post", "tracking_number": "VTP123456", "tracking_note": ""},
        ),
        ("viettelpost", "", {"carrier": "viettel_post"}),
        ("Giao hàng nhanh", "GY7XK4", {"carrier": "ghn", "tracking_number": "GY7XK4", "tracking_note": ""}),
        ("J&T", "", {"carrier": "jt"}),
        (
            "Bưu điện",
            "EB123456789VN",
            {"carrier": "vnpost", "tracking_number": "EB123456789VN", "tracking_note": ""},
        ),
        (
            "xe khách Hà Giang - Hà Nội",
            "tài xế 0912 345 678, xe 14h",
            {
                "carrier": "bus",
                "bus_route": "Hà Giang - Hà Nội",
                "driver_phone": "0912345678",
                "tracking_note": "tài xế, xe 14h",
            },
        ),
        (
            "Anh Tuấn mang xuống",
            "giao chiều nay",
            {"carrier": "other", "carrier_name": "Anh Tuấn mang xuống"},
        ),
        ("", "VTP123", {"tracking_number": "VTP123", "tracking_note": ""}),
        ("", "gửi chiều nay", {}),
    ],
)
def test_the_migration_reads_old_free_text_sensibly(carrier, note, changes):
    """Old carrier names become their code, a code-like note the tracking number, a bus's phone the
    driver's; anything else stays readable where it was."""
    assert MIGRATION.convert(OldRow(carrier, note)) == changes


@pytest.mark.django_db(transaction=True)
def test_the_migration_converts_stored_rows_and_back():
    """Run on real rows: old free text in, the new fields out; migrating back restores free text."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tests.factories import CooperativeFactory

    stall = CooperativeFactory()
    before, after = [("orders", "0008_push_subscriptions")], [("orders", "0009_shipment_carrier_list")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    order = old.get_model("orders", "Order").objects.create(
        code="K7XM4PQA",
        checkout_token="t" * 32,
        full_name="Lan",
        phone="0912345678",
        province="01",
        commune="Ba Đình",
        street_address="12 Hàng Bông",
    )
    parts = old.get_model("orders", "CooperativeOrder").objects
    part = parts.create(
        order=order,
        cooperative_id=stall.pk,
        cooperative_name=stall.name,
        carrier="Viettel Post",
        tracking_note="vtp 123 456",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    # The later migrations too, so today's model reads the row.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    converted = CooperativeOrder.objects.get(pk=part.pk)
    assert (converted.carrier, converted.tracking_number, converted.tracking_note) == (
        "viettel_post",
        "VTP123456",
        "",
    )
    assert converted.shipment.name == "Viettel Post"
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    restored = executor.loader.project_state(before).apps.get_model("orders", "CooperativeOrder")
    assert (restored.objects.get(pk=part.pk).carrier, restored.objects.get(pk=part.pk).tracking_note) == (
        "Viettel Post",
        "VTP123456",
    )
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
