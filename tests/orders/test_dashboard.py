"""The order side of the producer dashboard: list, detail, actions, packing slip and CSV export."""

import csv
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders import services
from orders.models import CooperativeOrder, Status
from tests.dashboard import make_stall
from tests.factories import CooperativeOrderFactory, OrderItemFactory, ProductFactory, placed_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def stall():
    return make_stall(stock=10, price=120000)


@pytest.fixture
def member_client(client, stall):
    client.force_login(stall.member)
    return client


def part_of(order, stall) -> CooperativeOrder:
    return order.cooperative_orders.get(cooperative=stall.cooperative)


def test_list_shows_this_stalls_parts_newest_first_with_a_badge_for_new(member_client, stall):
    """The list has only this stall's parts, newest first, and counts the new ones in the nav."""
    other = make_stall("HTX Khác")
    older = placed_order({stall.product: 1}, full_name="Người mua cũ")
    newer = placed_order({stall.product: 2, other.product: 1}, full_name="Người mua mới")
    placed_order({other.product: 1}, full_name="Khách của HTX Khác")
    response = member_client.get("/dashboard/orders/")
    page = response.content.decode()
    assert page.index(newer.code) < page.index(older.code)
    assert "Khách của HTX Khác" not in page
    assert '<span class="dash-badge">2<span class="visually-hidden"> đơn mới</span></span>' in page


def test_status_filter_lists_only_that_status(member_client, stall):
    """?status=confirmed lists confirmed parts only; an unknown status lists everything."""
    kept, left = placed_order({stall.product: 1}), placed_order({stall.product: 1})
    member_client.post(f"/dashboard/orders/{part_of(kept, stall).pk}/confirm/")
    page = member_client.get("/dashboard/orders/?status=confirmed").content.decode()
    assert kept.code in page and left.code not in page
    page = member_client.get("/dashboard/orders/?status=nonsense").content.decode()
    assert kept.code in page and left.code in page


def test_detail_shows_buyer_contact_items_note_payment_and_history(member_client, stall):
    """The detail page has what the producer needs to pack and call the buyer."""
    order = placed_order(
        {stall.product: 3}, phone="0987654321", note="Gọi trước khi giao", payment_method="cod"
    )
    page = member_client.get(f"/dashboard/orders/{part_of(order, stall).pk}/").content.decode()
    assert "Nguyễn Thị Lan" in page and "0987 654 321" in page
    assert 'href="tel:+84987654321"' in page and 'href="https://zalo.me/0987654321"' in page
    assert "12 Phố Hàng Bông" in page and "Gọi trước khi giao" in page
    assert f"{stall.product.name} <strong>× 3</strong>" in page
    assert "Trả tiền khi nhận hàng" in page and "chưa nhận tiền" in page
    assert "Đặt hàng" in page


def test_confirm_then_ship_emails_the_buyer_and_the_buyer_sees_shipped(
    member_client, client, stall, django_capture_on_commit_callbacks
):
    """Confirm and ship go through the services, write history and mail the buyer each time."""
    order = placed_order({stall.product: 1})
    part = part_of(order, stall)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/dashboard/orders/{part.pk}/confirm/")
        member_client.post(
            f"/dashboard/orders/{part.pk}/ship/", {"carrier": "viettel_post", "tracking_number": "VTP123"}
        )
    part.refresh_from_db()
    assert (part.status, part.carrier, part.tracking_number) == (Status.SHIPPED, "viettel_post", "VTP123")
    assert [e.kind for e in part.events.order_by("id")] == ["placed", "confirmed", "shipped"]
    assert part.events.get(kind="shipped").actor == stall.member
    assert len(mail.outbox) == 2 and order.code in mail.outbox[1].subject


def test_an_invalid_transition_is_refused_with_the_services_message(member_client, stall):
    """Marking a new part delivered is refused: the page says why and nothing changes."""
    part = part_of(placed_order({stall.product: 1}), stall)
    response = member_client.post(f"/dashboard/orders/{part.pk}/deliver/", follow=True)
    assert "Không thể báo đã giao xong" in response.content.decode()
    part.refresh_from_db()
    assert part.status == Status.NEW


def test_cancel_needs_a_reason_and_returns_stock_once(member_client, stall):
    """Without a reason the form asks for one; with one, stock comes back exactly once."""
    part = part_of(placed_order({stall.product: 4}), stall)
    stall.product.refresh_from_db()
    assert stall.product.stock == 6
    response = member_client.post(f"/dashboard/orders/{part.pk}/cancel/", {"reason": "  "})
    assert response.status_code == 400
    assert "Hãy ghi lý do huỷ" in response.content.decode()
    member_client.post(f"/dashboard/orders/{part.pk}/cancel/", {"reason": "Hết hàng"})
    response = member_client.post(
        f"/dashboard/orders/{part.pk}/cancel/", {"reason": "Bấm lần nữa"}, follow=True
    )
    assert "Không thể huỷ" in response.content.decode()
    stall.product.refresh_from_db()
    part.refresh_from_db()
    assert (stall.product.stock, part.status, part.cancel_reason) == (10, Status.CANCELLED, "Hết hàng")


def test_bank_transfer_is_marked_paid_once(member_client, stall):
    """A bank-transfer part is marked paid; a second click says it already was."""
    part = part_of(placed_order({stall.product: 1}, payment_method="bank_transfer"), stall)
    page = member_client.get(f"/dashboard/orders/{part.pk}/").content.decode()
    assert "Đã nhận tiền chuyển khoản" in page and part.transfer_note in page
    member_client.post(f"/dashboard/orders/{part.pk}/paid/")
    response = member_client.post(f"/dashboard/orders/{part.pk}/paid/", follow=True)
    assert "đã được ghi nhận thanh toán rồi" in response.content.decode()
    part.refresh_from_db()
    assert part.is_paid


def test_unknown_action_is_404(member_client, stall):
    """A made-up action name in the URL answers 404."""
    part = part_of(placed_order({stall.product: 1}), stall)
    assert member_client.post(f"/dashboard/orders/{part.pk}/explode/").status_code == 404


def test_packing_slip_has_addresses_items_and_cash_to_collect(member_client, stall):
    """The slip shows code, recipient, sender, items and the cash on delivery amount."""
    order = placed_order({stall.product: 2})
    part = part_of(order, stall)
    response = member_client.get(f"/dashboard/orders/{part.pk}/slip/")
    page = response.content.decode()
    assert order.code in page and "0912 345 678" in page and stall.cooperative.name in page
    assert "Thu hộ (COD)" in page and "css/packing-slip.css" in page
    assert f"{stall.product.name} <small>" in page


def test_csv_export_has_the_orders_of_the_range(member_client, stall):
    """The CSV lists this stall's parts placed in the date range, readable as UTF-8."""
    order = placed_order({stall.product: 2}, full_name="Trần Văn Bình")
    placed_order({make_stall("HTX Khác").product: 1}, full_name="Không phải của tôi")
    day = order.created_at.astimezone().date().isoformat()
    response = member_client.get(f"/dashboard/orders/export/?start={day}&end={day}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "mã đơn"
    assert [row[0] for row in rows[1:]] == [order.code]
    assert rows[1][9] == "Trần Văn Bình" and f"{stall.product.name} × 2" in rows[1][3]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-13-45&end=2026-01-01", "Nhập một ngày hợp lệ"),
        ("start=2026-03-01&end=2026-02-01", "Ngày bắt đầu phải trước"),
        ("start=2020-01-01&end=2026-01-01", "tối đa một năm"),
        ("start=9999-12-01&end=9999-12-31", "từ năm 2000"),
        ("start=&end=", "Trường này là bắt buộc"),
    ],
)
def test_bad_export_dates_get_a_message_not_an_error(member_client, query, message):
    """Impossible, reversed, too long or empty ranges show the form again with a message."""
    response = member_client.get(f"/dashboard/orders/export/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_order_list_queries_do_not_grow_with_rows(member_client, stall):
    """The order list costs the same number of queries for 1 and for 10 parts."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert member_client.get("/dashboard/orders/").status_code == 200
        return len(captured)

    def add_part():
        OrderItemFactory(
            cooperative_order=CooperativeOrderFactory(cooperative=stall.cooperative),
            product=ProductFactory(cooperative=stall.cooperative),
        )

    add_part()
    one = queries()
    for _ in range(9):
        add_part()
    assert queries() == one
    assert one <= 12
    assert one <= 10


def test_home_shows_what_to_do_first_and_this_weeks_figures(member_client, stall):
    """Home lists new orders, transfers to check, low stock and missing photos, and the week."""
    placed_order({stall.product: 1})
    placed_order({stall.product: 2}, payment_method="bank_transfer")
    page = member_client.get("/dashboard/").content.decode()
    assert "2 đơn mới chờ xác nhận" in page
    assert "1 đơn chuyển khoản cần kiểm tra tiền" in page
    assert "1 sản phẩm chưa có ảnh" in page
    assert "360.000" in page  # this week's goods: 3 × 120.000 ₫
    assert "Thêm sản phẩm" in page


def test_helper_does_not_see_orders(client, stall):
    """Helpers get 403 on order pages and no order facts at home."""
    part = part_of(placed_order({stall.product: 1}), stall)
    client.force_login(stall.helper)
    assert client.get("/dashboard/orders/").status_code == 403
    assert client.get(f"/dashboard/orders/{part.pk}/").status_code == 403
    response = client.get("/dashboard/")
    assert response.status_code == 200
    page = response.content.decode()
    assert stall.cooperative.name in page and "Thêm sản phẩm" in page
    assert "đơn mới" not in page and part.order.full_name not in page


def test_home_queries_stay_flat(member_client, stall):
    """The home page's query count does not grow with the number of orders and products."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = member_client.get("/dashboard/")
        assert response.status_code == 200
        assert "đơn chuyển khoản cần kiểm tra tiền" in response.content.decode()
        return len(captured)

    placed_order({stall.product: 1})
    placed_order({stall.product: 1}, payment_method="bank_transfer")
    one = queries()
    for _ in range(6):
        product = ProductFactory(cooperative=stall.cooperative, stock=3)
        placed_order({product: 1}, payment_method="bank_transfer")
    assert queries() == one
    assert one <= 14  # 12, plus the grouped counts of poster (QR) visits and of posts made


def test_packing_slip_of_a_bank_transfer_collects_nothing(member_client, stall):
    """A bank-transfer parcel is never marked for cash collection at the door."""
    part = part_of(placed_order({stall.product: 1}, payment_method="bank_transfer"), stall)
    page = member_client.get(f"/dashboard/orders/{part.pk}/slip/").content.decode()
    assert "Thu hộ (COD)" not in page and "không thu tiền khi giao" in page


def test_detail_lists_items_with_the_quantity_next_to_the_name(member_client, stall):
    """For packing, the quantity stands next to the name; price per unit below."""
    order = placed_order({stall.product: 2})
    page = member_client.get(f"/dashboard/orders/{part_of(order, stall).pk}/").content.decode()
    assert f'<span class="line-name">{stall.product.name} <strong>× 2</strong></span>' in page
    assert f'<div class="line-meta">120.000\u00a0₫ / {stall.product.unit}</div>' in page


def test_cancelled_transfer_does_not_ask_for_money(member_client, stall):
    """A cancelled bank-transfer part no longer says the money has not come in."""
    order = placed_order({stall.product: 1}, payment_method="bank_transfer")
    part = part_of(order, stall)
    services.cooperative_order_cancel(cooperative_order=part, actor=None, reason="Hết hàng")
    listing = member_client.get("/dashboard/orders/")
    detail = member_client.get(f"/dashboard/orders/{part.pk}/")
    assert listing.status_code == detail.status_code == 200
    listing, detail = listing.content.decode(), detail.content.decode()
    # The part's own row and page ("chuyển khoản" alone is also in the page's filters).
    assert order.code in listing and "· chuyển khoản</span>" in listing
    assert "chưa thấy tiền" not in listing
    assert order.code in detail and "Hết hàng" in detail
    assert "chưa nhận tiền" not in detail


def test_the_message_says_who_was_actually_told(member_client, stall, django_capture_on_commit_callbacks):
    """A buyer with an email is told by email, and the message says so; a buyer who left none is
    told by nobody, and the message says whom to call instead of claiming they were told."""
    with_email = placed_order({stall.product: 1}, email="lan@example.vn")
    without = placed_order({stall.product: 1}, email="", phone="0987654321")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        told = member_client.post(f"/dashboard/orders/{part_of(with_email, stall).pk}/confirm/", follow=True)
        untold = member_client.post(f"/dashboard/orders/{part_of(without, stall).pk}/confirm/", follow=True)
    told_page, untold_page = told.content.decode(), untold.content.decode()
    assert f"Đã xác nhận đơn {with_email.code}. Người mua được báo qua email." in told_page
    assert f"Đã xác nhận đơn {without.code}. Người mua không để lại email: hãy gọi 0987 654 321 để báo." in (
        untold_page
    )
    assert "được báo qua email" not in untold_page
    assert [message.to for message in mail.outbox] == [["lan@example.vn"]]
