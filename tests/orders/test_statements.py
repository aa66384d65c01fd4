"""The monthly statement between a cooperative and the market: on the dashboard (page, CSV, printed
page) and in the admin (per cooperative and a month's overview). What it shows adds up to the
order parts in the database, months follow Vietnamese time, and no stall sees another's."""

import csv
import io
import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from orders import services
from orders.models import CooperativeOrder, PaymentMethod, Status
from orders.statements import market_fee
from storefront.lib.money import vnd
from tests.dashboard import make_stall
from tests.factories import (
    CooperativeFactory,
    CooperativeOrderFactory,
    OrderFactory,
    UserFactory,
    placed_order,
)

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
STATEMENT = "/dashboard/sales/statement/"
NOVEMBER = "2025-11"


def local(*args) -> datetime:
    return datetime(*args, tzinfo=HANOI)


def part(
    cooperative,
    code,
    *,
    method=PaymentMethod.COD,
    status=Status.DELIVERED,
    subtotal,
    shipping=30000,
    delivered=None,
    paid=None,
):
    return CooperativeOrderFactory(
        order=OrderFactory(code=code, payment_method=method),
        cooperative=cooperative,
        status=status,
        subtotal=subtotal,
        shipping_fee=shipping,
        delivered_at=delivered,
        paid_at=paid,
        is_paid=paid is not None,
    )


@pytest.fixture
def stall():
    stall = make_stall("HTX Chè Lũng Phìn")
    stall.cooperative.market_fee_rate = Decimal("2.50")
    stall.cooperative.save()
    return stall


@pytest.fixture
def november(stall):
    """Parts of every kind around November 2025, and a neighbour's delivered the same month."""
    coop = stall.cooperative
    at = local(2025, 11, 3, 10, 0)
    part(coop, "COD0NOV3", subtotal=200000, delivered=at, paid=at)
    # Paid by transfer in October, delivered in November: goods now, the money was October's.
    part(
        coop,
        "BANK0OCT",
        method=PaymentMethod.BANK_TRANSFER,
        subtotal=300000,
        delivered=local(2025, 11, 5, 9, 0),
        paid=local(2025, 10, 28, 20, 0),
    )
    # Paid in November, still on its way.
    part(
        coop,
        "BANK0NOV",
        method=PaymentMethod.BANK_TRANSFER,
        status=Status.SHIPPED,
        subtotal=150000,
        paid=local(2025, 11, 20, 8, 0),
    )
    # 00:30 on 1 December in Vietnam is 17:30 UTC on 30 November: December's.
    dec = local(2025, 12, 1, 0, 30)
    part(coop, "COD0DEC1", subtotal=80000, delivered=dec, paid=dec)
    # 00:30 on 1 November in Vietnam is 17:30 UTC on 31 October: November's.
    nov = local(2025, 11, 1, 0, 30)
    part(coop, "COD0NOV1", subtotal=123420, shipping=25000, delivered=nov, paid=nov)
    # Paid, then cancelled by the stall: the money came in (and goes back to the buyer).
    part(
        coop,
        "BANKCNCL",
        method=PaymentMethod.BANK_TRANSFER,
        status=Status.CANCELLED,
        subtotal=90000,
        paid=local(2025, 11, 10, 12, 0),
    )
    part(coop, "NEW0NOV9", status=Status.NEW, subtotal=500000)
    neighbour = make_stall("HTX Hàng Xóm").cooperative
    part(
        neighbour,
        "XOMNOV15",
        subtotal=777000,
        delivered=local(2025, 11, 15, 9, 0),
        paid=local(2025, 11, 15, 9, 0),
    )
    return stall


def sums(page: str) -> dict[str, str]:
    block = page[page.index('<dl class="sums statement-sums">') :]
    block = block[: block.index("</dl>")]
    return {
        re.sub(r"\s+", " ", label): value.replace("\xa0", " ")
        for label, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block, re.S)
    }


def money(amount: int) -> str:
    return vnd(amount).replace("\xa0", " ")


def test_market_fee_rounds_once_to_the_dong_halves_up():
    assert market_fee(parts=[(20, Decimal("2.5"))]) == 1  # 0,5 đồng
    assert market_fee(parts=[(19, Decimal("2.5"))]) == 0  # 0,475 đồng
    assert market_fee(parts=[(623420, Decimal("2.50"))]) == 15586  # 15.585,5
    assert market_fee(parts=[(3, Decimal("33.33"))]) == 1
    assert market_fee(parts=[(1_000_000, Decimal("0"))]) == 0
    assert market_fee(parts=[(1_000_000, Decimal("100"))]) == 1_000_000
    # 3.000,5 + 3.000,75: once on the sum, not 3.001 + 3.001.
    assert market_fee(parts=[(150_025, Decimal("2")), (100_025, Decimal("3"))]) == 6001
    assert market_fee(parts=[]) == 0


def test_november_adds_up(client, november):
    """Delivered in November (local time): 3 parts, goods 623.420 ₫, shipping 85.000 ₫; cash on
    delivery 378.420 ₫ from 2 parts; transfers 300.000 ₫ from 2; fee 2,5% = 15.586 ₫ owed."""
    client.force_login(november.member)
    response = client.get(STATEMENT, {"month": NOVEMBER})
    page = response.content.decode()
    assert response.status_code == 200
    assert sums(page) == {
        "Đơn đã giao trong tháng": "3",
        "Tiền hàng": money(623420),
        "Phí giao hàng": money(85000),
        "Tiền mặt thu khi giao (2 đơn)": money(378420),
        "Chuyển khoản đã nhận (2 đơn)": money(300000),
        "Phí chợ (2,5% tiền hàng)": money(15586),
    }
    assert "Hợp tác xã trả Chợ Phiên: <strong>15.586\xa0₫</strong>" in page
    for code in ("COD0NOV3", "BANK0OCT", "BANK0NOV", "COD0NOV1", "BANKCNCL"):
        assert code in page
    for code in ("COD0DEC1", "NEW0NOV9", "XOMNOV15"):
        assert code not in page
    assert "đơn đã huỷ: trả lại tiền cho người mua" in page


def test_the_figures_match_the_rows_in_the_database(client, november):
    """Worked out again the plain way from every part: delivered and paid in local November."""
    start, end = local(2025, 11, 1), local(2025, 12, 1)
    parts = CooperativeOrder.objects.filter(cooperative=november.cooperative).select_related("order")
    delivered = [p for p in parts if p.status == Status.DELIVERED and start <= p.delivered_at < end]
    paid = [p for p in parts if p.is_paid and start <= p.paid_at < end]
    goods = sum(p.subtotal for p in delivered)
    client.force_login(november.owner)
    shown = sums(client.get(STATEMENT, {"month": NOVEMBER}).content.decode())
    assert shown["Đơn đã giao trong tháng"] == str(len(delivered))
    assert shown["Tiền hàng"] == money(goods)
    assert shown["Phí giao hàng"] == money(sum(p.shipping_fee for p in delivered))
    cash = [p for p in paid if p.order.payment_method == PaymentMethod.COD]
    assert shown[f"Tiền mặt thu khi giao ({len(cash)} đơn)"] == money(sum(p.total for p in cash))
    transfers = [p for p in paid if p.order.payment_method == PaymentMethod.BANK_TRANSFER]
    assert shown[f"Chuyển khoản đã nhận ({len(transfers)} đơn)"] == money(sum(p.total for p in transfers))
    assert shown["Phí chợ (2,5% tiền hàng)"] == money(int(Decimal(goods) * Decimal("0.025") + Decimal("0.5")))


def test_december_starts_at_midnight_in_vietnam(client, november):
    client.force_login(november.member)
    page = client.get(STATEMENT, {"month": "2025-12"}).content.decode()
    assert "COD0DEC1" in page and "COD0NOV1" not in page
    assert sums(page)["Đơn đã giao trong tháng"] == "1"
    october = client.get(STATEMENT, {"month": "2025-10"}).content.decode()
    assert "COD0NOV1" not in october and "BANK0OCT" in october
    assert sums(october)["Chuyển khoản đã nhận (1 đơn)"] == money(330000)


def test_a_quiet_month_shows_zeros_plainly(client, stall):
    client.force_login(stall.owner)
    page = client.get(STATEMENT, {"month": "2025-06"}).content.decode()
    assert sums(page) == {
        "Đơn đã giao trong tháng": "0",
        "Tiền hàng": money(0),
        "Phí giao hàng": money(0),
        "Tiền mặt thu khi giao (0 đơn)": money(0),
        "Chuyển khoản đã nhận (0 đơn)": money(0),
        "Phí chợ (2,5% tiền hàng)": money(0),
    }
    assert "Tháng này không bên nào nợ bên nào." in page
    printed = client.get(f"{STATEMENT}print/", {"month": "2025-06"}).content.decode()
    assert "Không có đơn nào giao xong hay nhận tiền trong tháng này." in printed


def test_no_month_means_this_month_and_the_chooser_links_months(client, stall):
    client.force_login(stall.owner)
    page = client.get(STATEMENT).content.decode()
    assert 'rel="prev"' in page and 'rel="next"' not in page
    page = client.get(STATEMENT, {"month": NOVEMBER}).content.decode()
    assert 'href="?month=2025-10" rel="prev"' in page and 'href="?month=2025-12" rel="next"' in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-13", "Không hiểu tháng “2025-13”."),
        ("abc", "Không hiểu tháng “abc”."),
        ("11/2025", "Không hiểu tháng “11/2025”."),
        ("1999-12", "Không hiểu tháng “1999-12”."),
        ("2025-11\x00", "Không hiểu tháng “2025-11”."),
        ("2" * 300, "Không hiểu tháng “22222222222222222222”."),
        ("2999-01", "Tháng này chưa tới."),
    ],
)
@pytest.mark.parametrize("page", ["", "csv/", "print/"])
def test_a_bad_month_gets_a_message_not_an_error(client, stall, value, message, page):
    client.force_login(stall.owner)
    response = client.get(f"{STATEMENT}{page}", {"month": value})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_lists_each_part_and_its_columns_add_up(client, november):
    client.force_login(november.member)
    response = client.get(f"{STATEMENT}csv/", {"month": NOVEMBER})
    assert response["Content-Disposition"] == (
        f'attachment; filename="bang-ke-{november.cooperative.slug}-2025-11.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == [
        "mã đơn",
        "giao xong ngày",
        "nhận tiền ngày",
        "cách thanh toán",
        "tiền hàng",
        "phí giao hàng",
        "tiền mặt thu khi giao",
        "chuyển khoản nhận được",
        "phí chợ (%)",
        "ghi chú",
    ]
    lines = rows[1 : rows.index([])]
    assert [line[0] for line in lines] == ["BANK0OCT", "COD0NOV1", "COD0NOV3", "BANKCNCL", "BANK0NOV"]
    assert lines[1] == [
        "COD0NOV1",
        "2025-11-01",
        "2025-11-01",
        "Trả tiền khi nhận hàng",
        "123420",
        "25000",
        "148420",
        "",
        "2,5%",
        "",
    ]
    assert lines[0][1:3] == ["2025-11-05", ""]
    assert lines[3][-1] == "đã huỷ: trả lại tiền cho người mua"
    total = rows[rows.index([]) + 1]

    def column(index: int) -> int:
        return sum(int(line[index] or 0) for line in lines)

    assert total[0] == "Cộng"
    assert [int(cell) for cell in total[4:8]] == [column(4), column(5), column(6), column(7)]
    assert total[4:8] == ["623420", "85000", "378420", "300000"]
    assert rows[-2][0] == "Phí chợ (2,5% tiền hàng)" and rows[-2][4] == "15586"
    assert rows[-1][0] == "Hợp tác xã trả Chợ Phiên" and rows[-1][4] == "15586"
    assert "XOMNOV15" not in response.content.decode()


def test_csv_cells_cannot_start_a_formula(client, stall, monkeypatch):
    """Whatever a label becomes in translation, a cell starting with = is written as text."""
    from orders import exports

    monkeypatch.setattr(exports, "_", lambda text: "=HYPERLINK(1)" if text == "ghi chú" else text)
    client.force_login(stall.owner)
    rows = csv_rows(client.get(f"{STATEMENT}csv/", {"month": NOVEMBER}))
    assert rows[0][-1] == "'=HYPERLINK(1)"


def test_the_printed_page_has_the_figures_the_lines_and_print_styles(client, november):
    client.force_login(november.owner)
    page = client.get(f"{STATEMENT}print/", {"month": NOVEMBER}).content.decode()
    assert "/static/css/statement-print.css" in page or "statement-print" in page
    assert "Bảng kê tháng 11/2025" in page and "HTX Chè Lũng Phìn" in page
    assert sums(page)["Phí chợ (2,5% tiền hàng)"] == money(15586)
    assert page.count('<th scope="row"><span class="mono">') == 5
    assert "data-print hidden" in page and "js/print.js" in page
    assert "XOMNOV15" not in page and 'class="dash-nav"' not in page


def test_only_owners_and_members_see_the_statement(client, november):
    for url in (STATEMENT, f"{STATEMENT}csv/", f"{STATEMENT}print/"):
        client.logout()
        assert client.get(url).status_code == 302
        client.force_login(november.helper)
        assert client.get(url, {"month": NOVEMBER}).status_code == 403


def test_a_member_of_two_stalls_sees_the_chosen_ones_only(client, november):
    neighbour = CooperativeOrder.objects.get(order__code="XOMNOV15").cooperative
    november.member.memberships.create(cooperative=neighbour, role="member")
    client.force_login(november.member)
    session = client.session
    session["dashboard_cooperative_id"] = neighbour.pk
    session.save()
    page = client.get(STATEMENT, {"month": NOVEMBER}).content.decode()
    assert "XOMNOV15" in page and "COD0NOV3" not in page


def count_queries(client, url, **query) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["", "csv/", "print/"])
def test_queries_do_not_grow_with_parts(client, stall, page):
    client.force_login(stall.owner)
    at = local(2025, 11, 3, 10, 0)
    part(stall.cooperative, "ONE00001", subtotal=100000, delivered=at, paid=at)
    client.get("/dashboard/")  # the session's first save is not the page's
    few = count_queries(client, f"{STATEMENT}{page}", month=NOVEMBER)
    for n in range(30):
        method = PaymentMethod.COD if n % 2 else PaymentMethod.BANK_TRANSFER
        part(stall.cooperative, f"MANY{n:04d}", method=method, subtotal=1000 * n, delivered=at, paid=at)
    assert count_queries(client, f"{STATEMENT}{page}", month=NOVEMBER) == few


# --- Admin -----------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="quantri", is_staff=True, is_superuser=True))
    return client


def test_admin_sees_the_same_statement_per_cooperative(admin_client, november):
    coop = november.cooperative
    page = admin_client.get(f"/admin/orders/cooperativeorder/statements/{coop.pk}/", {"month": NOVEMBER})
    text = page.content.decode().replace("\xa0", " ")
    assert page.status_code == 200
    for label, amount in (
        ("Tiền hàng", 623420),
        ("Phí giao hàng", 85000),
        ("Tiền mặt thu khi giao (2 đơn)", 378420),
        ("Chuyển khoản đã nhận (2 đơn)", 300000),
        ("Phí chợ (2,5% tiền hàng)", 15586),
    ):
        assert f'<th scope="row">{label}</th><td class="num">{money(amount)}</td>' in text
    assert "XOMNOV15" not in text
    rows = csv_rows(
        admin_client.get(f"/admin/orders/cooperativeorder/statements/{coop.pk}/csv/", {"month": NOVEMBER})
    )
    assert rows[-1][4] == "15586"
    printed = admin_client.get(
        f"/admin/orders/cooperativeorder/statements/{coop.pk}/print/", {"month": NOVEMBER}
    )
    assert "Bảng kê tháng 11/2025" in printed.content.decode()


def test_admin_month_overview_has_every_cooperative_and_the_markets_totals(admin_client, november):
    quiet = CooperativeFactory(name="HTX Yên Lặng")
    page = admin_client.get("/admin/orders/cooperativeorder/statements/", {"month": NOVEMBER})
    text = page.content.decode().replace("\xa0", " ")
    assert page.status_code == 200
    rows = re.findall(r'<tr>\s*<th scope="row"><a href="[^"]+">(.*?)</a></th>\s*(.*?)</tr>', text, re.S)
    cells = {name: re.findall(r'<td class="num">(.*?)</td>', rest) for name, rest in rows}
    assert cells["HTX Chè Lũng Phìn"] == [
        "3",
        money(623420),
        money(85000),
        money(378420),
        money(300000),
        f"{money(15586)} <small>(2,5%)</small>",
    ]
    assert cells["HTX Hàng Xóm"] == [
        "1",
        money(777000),
        money(30000),
        money(807000),
        money(0),
        f"{money(0)} <small>(0%)</small>",
    ]
    assert cells[quiet.name] == [
        "0",
        money(0),
        money(0),
        money(0),
        money(0),
        f"{money(0)} <small>(0%)</small>",
    ]
    foot = text[text.index("<tfoot>") :]
    assert re.findall(r'<td class="num">(.*?)</td>', foot) == [
        "4",
        money(1400420),
        money(115000),
        money(1185420),
        money(300000),
        money(15586),
    ]


def test_admin_statements_are_for_staff_and_linked_from_the_cooperative(client, admin_client, november):
    coop = november.cooperative
    change = admin_client.get(f"/admin/products/cooperative/{coop.pk}/change/").content.decode()
    assert f'href="/admin/orders/cooperativeorder/statements/{coop.pk}/"' in change
    listing = admin_client.get("/admin/products/cooperative/").content.decode()
    assert 'href="/admin/orders/cooperativeorder/statements/"' in listing
    bad = admin_client.get("/admin/orders/cooperativeorder/statements/", {"month": "2025-99"})
    assert bad.status_code == 200 and "Không hiểu tháng" in bad.content.decode()
    bad_file = admin_client.get(f"/admin/orders/cooperativeorder/statements/{coop.pk}/csv/", {"month": "x"})
    assert bad_file.status_code == 302
    assert "Không hiểu tháng “x”" in admin_client.get(bad_file["Location"]).content.decode()
    client.force_login(UserFactory(username="nhanvien", is_staff=True))
    assert client.get("/admin/orders/cooperativeorder/statements/").status_code == 403
    client.force_login(november.owner)
    assert client.get("/admin/orders/cooperativeorder/statements/").status_code == 302


def test_admin_overview_queries_do_not_grow_with_cooperatives(admin_client, november):
    admin_client.get("/admin/")  # the session's first save is not the page's
    few = count_queries(admin_client, "/admin/orders/cooperativeorder/statements/", month=NOVEMBER)
    at = local(2025, 11, 3, 10, 0)
    for n in range(10):
        part(CooperativeFactory(), f"MORE{n:04d}", subtotal=1000, delivered=at, paid=at)
    assert count_queries(admin_client, "/admin/orders/cooperativeorder/statements/", month=NOVEMBER) == few


def test_in_english_the_rate_and_amounts_read_the_english_way(client, november):
    client.force_login(november.owner)
    page = client.get(f"/en{STATEMENT}", {"month": NOVEMBER}).content.decode().replace("\xa0", " ")
    assert "Statement for 11/2025" in page
    assert "<dt>Market fee (2.5% of goods)</dt><dd>15,586 ₫</dd>" in page
    assert "The cooperative pays Chợ Phiên: <strong>15,586 ₫</strong>" in page


# --- The rate each order was placed under ----------------------------------------------------


@pytest.fixture
def market_admin():
    """An admin in a browser of their own, beside the stall owner's."""
    browser = Client()
    browser.force_login(UserFactory(is_staff=True, is_superuser=True))
    return browser


def statement_as_seen(client, market_admin, stall, month) -> dict:
    """What the stall and the admin see of a month: the page's and printed page's figures, the CSV
    and the stall's row in the admin's overview."""
    client.force_login(stall.owner)
    page = client.get(STATEMENT, {"month": month}).content.decode()
    printed = client.get(f"{STATEMENT}print/", {"month": month}).content.decode()
    overview = market_admin.get("/admin/orders/cooperativeorder/statements/", {"month": month})
    text = overview.content.decode().replace("\xa0", " ")
    row = re.search(rf"{re.escape(stall.cooperative.name)}</a></th>(.*?)</tr>", text, re.S).group(1)
    return {
        "page": sums(page),
        "owed": re.search(r'<p class="statement-owed">(.*?)</p>', page).group(1),
        "print": sums(printed),
        "csv": csv_rows(client.get(f"{STATEMENT}csv/", {"month": month})),
        "overview": re.findall(r'<td class="num">(.*?)</td>', row),
    }


def test_a_new_rate_leaves_past_months_as_they_were_and_applies_to_new_orders(
    client, market_admin, november, django_capture_on_commit_callbacks
):
    coop = november.cooperative
    before = statement_as_seen(client, market_admin, november, NOVEMBER)
    coop.market_fee_rate = Decimal("4")
    coop.save()
    after = statement_as_seen(client, market_admin, november, NOVEMBER)
    assert after == before
    assert after["page"]["Phí chợ (2,5% tiền hàng)"] == money(15586)
    assert after["csv"][-1] == ["Hợp tác xã trả Chợ Phiên", "", "", "", "15586"]
    assert after["overview"][-1] == f"{money(15586)} <small>(2,5%)</small>"

    product = november.product
    product.price, product.stock = 125_000, 5
    product.save()
    with django_capture_on_commit_callbacks(execute=True):
        part = placed_order({product: 2}).cooperative_orders.get()
        for step in (
            services.cooperative_order_confirm,
            services.cooperative_order_ship,
            services.cooperative_order_deliver,
        ):
            step(cooperative_order=part, actor=november.owner)
    # Set again after the order: it keeps the 4 % it was placed under.
    coop.market_fee_rate = Decimal("1")
    coop.save()
    client.force_login(november.owner)
    shown = sums(client.get(STATEMENT).content.decode())
    assert shown["Tiền hàng"] == money(250_000)
    assert shown["Phí chợ (4% tiền hàng)"] == money(10_000)


def test_a_month_of_two_rates_adds_each_part_at_its_own_rate(client, market_admin, stall):
    """Placed at 2 %: 150.025 ₫ (3.000,50 ₫ fee) and 49.950 ₫ (999 ₫); at 3 %: 100.025 ₫
    (3.000,75 ₫). Together 7.000,25 ₫: 7.000 ₫ owed (rounding each part would make 7.001 ₫)."""
    coop = stall.cooperative
    at = local(2025, 11, 3, 10, 0)
    coop.market_fee_rate = Decimal("2")
    coop.save()
    part(coop, "TWO00001", subtotal=150_025, delivered=at, paid=at)
    part(coop, "TWO00002", subtotal=49_950, delivered=local(2025, 11, 20, 10, 0), paid=at)
    coop.market_fee_rate = Decimal("3")
    coop.save()
    part(coop, "THREE001", subtotal=100_025, delivered=local(2025, 11, 10, 10, 0), paid=at)
    # Paid in November, not delivered: no fee, so its rate is no part of the month's.
    coop.market_fee_rate = Decimal("5")
    coop.save()
    part(
        coop, "FIVE0001", method=PaymentMethod.BANK_TRANSFER, status=Status.SHIPPED, subtotal=90_000, paid=at
    )

    seen = statement_as_seen(client, market_admin, stall, NOVEMBER)
    assert seen["page"]["Tiền hàng"] == money(300_000)
    assert seen["page"]["Phí chợ (2% – 3% tiền hàng)"] == money(7000)
    assert seen["print"]["Phí chợ (2% – 3% tiền hàng)"] == money(7000)
    assert seen["owed"] == "Hợp tác xã trả Chợ Phiên: <strong>7.000\xa0₫</strong>"
    assert seen["overview"][-1] == f"{money(7000)} <small>(2% – 3%)</small>"
    page = client.get(STATEMENT, {"month": NOVEMBER}).content.decode()
    delivered = page[page.index("Đơn đã giao trong tháng</h2>") : page.index("Tiền đã nhận trong tháng</h2>")]
    assert re.findall(r"<strong>(\w+)</strong>.*?(phí chợ [\d,]+%)", delivered, re.S) == [
        ("TWO00001", "phí chợ 2%"),
        ("THREE001", "phí chợ 3%"),
        ("TWO00002", "phí chợ 2%"),
    ]
    rates = {row[0]: row[8] for row in seen["csv"][1 : seen["csv"].index([])]}
    assert rates == {"TWO00001": "2%", "THREE001": "3%", "TWO00002": "2%", "FIVE0001": ""}
    assert seen["csv"][-2] == ["Phí chợ (2% – 3% tiền hàng)", "", "", "", "7000"]
    admin_page = market_admin.get(
        f"/admin/orders/cooperativeorder/statements/{coop.pk}/", {"month": NOVEMBER}
    )
    text = admin_page.content.decode().replace("\xa0", " ")
    assert f'<th scope="row">Phí chợ (2% – 3% tiền hàng)</th><td class="num">{money(7000)}</td>' in text
    assert text.count("phí chợ 2%") == 2 and text.count("phí chợ 3%") == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_parts_placed_before_it_their_cooperatives_rate():
    from django.db.migrations.executor import MigrationExecutor

    charging = CooperativeFactory(market_fee_rate=Decimal("2.50"))
    free = CooperativeFactory()
    before = [("orders", "0011_cooperative_order_from_poster")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    for n, coop in enumerate((charging, free)):
        order = old.get_model("orders", "Order").objects.create(
            code=f"OLD0000{n}",
            checkout_token=str(n) * 32,
            full_name="Lan",
            phone="0912345678",
            province="01",
            commune="Ba Đình",
            street_address="12 Hàng Bông",
        )
        old.get_model("orders", "CooperativeOrder").objects.create(
            order=order, cooperative_id=coop.pk, cooperative_name=coop.name, subtotal=100_000
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    rates = dict(CooperativeOrder.objects.values_list("order__code", "market_fee_rate"))
    assert rates == {"OLD00000": Decimal("2.50"), "OLD00001": Decimal("0")}
