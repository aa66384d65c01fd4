"""The dashboard's "Bán hàng" page: what sold in the last 7, 30 or 90 days adds up to the orders in
the database, for this cooperative only, in a fixed number of queries; and orders placed after a
QR poster scan are counted as coming from the poster."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders.models import CooperativeOrder, OrderItem, Status
from products.models import QrVisit
from storefront.lib.money import vnd
from storefront.lib.vietnam import PROVINCE_NAMES
from tests.dashboard import make_stall
from tests.factories import CooperativeOrderFactory, OrderFactory, OrderItemFactory, ProductFactory

pytestmark = pytest.mark.django_db

SALES = "/dashboard/sales/"
PHONE = (
    "Mozilla/5.0 (Linux; Android 10; SM-A105F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36"
)


def sold(cooperative, lines, *, days_ago=0, status=Status.NEW, province="01", from_poster=False, **order):
    """A part of an order placed `days_ago` days ago, with `lines` [(product, quantity)]."""
    part = CooperativeOrderFactory(
        order=OrderFactory(province=province, **order),
        cooperative=cooperative,
        status=status,
        subtotal=sum(product.price * quantity for product, quantity in lines),
        from_poster=from_poster,
    )
    for product, quantity in lines:
        OrderItemFactory(cooperative_order=part, product=product, quantity=quantity)
    placed = timezone.now() - timedelta(days=days_ago)
    CooperativeOrder.objects.filter(pk=part.pk).update(created_at=placed)
    return part


def stall_selling(cooperative_name: str, product_name: str, price: int):
    stall = make_stall(cooperative_name, price=price, stock=100)
    stall.product.name = product_name
    stall.product.save()
    return stall


@pytest.fixture
def stall():
    return stall_selling("HTX Chè Lũng Phìn", "Chè Shan tuyết", 250000)


@pytest.fixture
def shop(stall):
    """Orders of every kind for the stall, and a neighbour's that must never show."""
    honey = ProductFactory(cooperative=stall.cooperative, name="Mật ong bạc hà", price=450000, stock=50)
    rice = ProductFactory(cooperative=stall.cooperative, name="Gạo nếp Tú Lệ", price=120000, stock=50)
    tea = stall.product
    sold(stall.cooperative, [(tea, 2), (honey, 1)], days_ago=1, province="01", from_poster=True)
    sold(stall.cooperative, [(tea, 1)], days_ago=3, status=Status.DELIVERED, province="79")
    sold(stall.cooperative, [(rice, 5)], days_ago=5, status=Status.CONFIRMED, province="01")
    sold(stall.cooperative, [(honey, 4)], days_ago=2, status=Status.CANCELLED, province="48")
    sold(stall.cooperative, [(rice, 1), (tea, 3)], days_ago=20, status=Status.SHIPPED, province="48")
    sold(
        stall.cooperative, [(honey, 2)], days_ago=60, status=Status.DELIVERED, province="66", from_poster=True
    )
    sold(stall.cooperative, [(tea, 9)], days_ago=120, status=Status.DELIVERED, province="01")
    neighbour = stall_selling("HTX Khác", "Hàng xóm bán chạy", 999000)
    sold(neighbour.cooperative, [(neighbour.product, 7)], days_ago=1, province="92")
    return stall


def login(client, user):
    client.force_login(user)
    return client


def expected(cooperative, days: int) -> dict:
    """The figures worked out again from every item row in the database, the slow plain way."""
    since = timezone.localdate() - timedelta(days=days - 1)
    products: dict[str, list[int]] = {}
    provinces: dict[str, list[int]] = {}
    parts = set()
    for item in OrderItem.objects.select_related("cooperative_order__order"):
        part = item.cooperative_order
        if part.cooperative_id != cooperative.pk or part.status == Status.CANCELLED:
            continue
        if timezone.localdate(part.created_at) < since:
            continue
        row = products.setdefault(item.product_name, [0, 0])
        row[0] += item.quantity
        row[1] += item.line_total
        if part.pk not in parts:
            parts.add(part.pk)
            province = provinces.setdefault(PROVINCE_NAMES[part.order.province], [0, 0])
            province[0] += 1
            province[1] += part.subtotal
    return {"products": products, "provinces": provinces, "orders": len(parts)}


def table_rows(page: str, caption_start: str) -> list[tuple[str, ...]]:
    table = page[page.index(caption_start) :]
    table = table[: table.index("</table>")]
    rows = re.findall(
        r'<tr><th scope="row">(.*?)</th><td class="num">(.*?)</td><td class="num">(.*?)</td></tr>', table
    )
    return [tuple(cell.replace("\xa0", " ") for cell in row) for row in rows]


def figure(page: str, label: str) -> str:
    return re.search(rf"<dt>{label}</dt><dd>(.*?)</dd>", page).group(1).replace("\xa0", " ")


@pytest.mark.parametrize("days", [7, 30, 90])
def test_the_page_adds_up_to_the_orders_in_the_database(client, shop, days):
    """Per product (best sellers first), per province and in total, the page shows what the order
    rows hold for the period: cancelled parts, older orders and the neighbour's left out."""
    page = login(client, shop.member).get(f"{SALES}?days={days}").content.decode()
    want = expected(shop.cooperative, days)
    shown_products = table_rows(page, "Số lượng và tiền hàng")
    assert {name: [int(units), revenue] for name, units, revenue in shown_products} == {
        name: [units, vnd(revenue).replace("\xa0", " ")]
        for name, (units, revenue) in want["products"].items()
    }
    units = [int(row[1]) for row in shown_products]
    assert units == sorted(units, reverse=True)
    shown_provinces = table_rows(page, "Số đơn và tiền hàng")
    assert {name: [int(n), revenue] for name, n, revenue in shown_provinces} == {
        name: [n, vnd(revenue).replace("\xa0", " ")] for name, (n, revenue) in want["provinces"].items()
    }
    assert figure(page, "Đơn hàng") == str(want["orders"])
    total = sum(revenue for _units, revenue in want["products"].values())
    assert figure(page, "Tiền hàng") == vnd(total).replace("\xa0", " ")
    assert "Hàng xóm bán chạy" not in page and "Cần Thơ" not in page


def test_seven_days_in_numbers(client, shop):
    """The 7-day page spelled out: rice 5, tea 3, honey 1; Hà Nội 2 orders, TP HCM 1; 1 of 3 from posters."""
    page = login(client, shop.owner).get(f"{SALES}?days=7").content.decode()
    assert table_rows(page, "Số lượng và tiền hàng") == [
        ("Gạo nếp Tú Lệ", "5", "600.000 ₫"),
        ("Chè Shan tuyết", "3", "750.000 ₫"),
        ("Mật ong bạc hà", "1", "450.000 ₫"),
    ]
    assert table_rows(page, "Số đơn và tiền hàng") == [
        ("Hà Nội", "2", "1.550.000 ₫"),
        ("TP Hồ Chí Minh", "1", "250.000 ₫"),
    ]
    assert figure(page, "Sản phẩm đã bán") == "9"
    assert figure(page, "Từ áp phích QR") == "33%"
    assert "1 trong 3 đơn (33%) là của người mua đã quét áp phích QR" in page
    assert "trừ đơn đã huỷ" in page


def test_default_is_thirty_days_and_the_switch_is_plain_links(client, shop):
    page = login(client, shop.member).get(SALES).content.decode()
    assert '<a class="chip" href="?days=30" aria-current="page">30 ngày</a>' in page
    assert 'href="?days=7"' in page and 'href="?days=90"' in page
    assert figure(page, "Đơn hàng") == "4"


@pytest.mark.parametrize("value", ["14", "abc", "-7", "7.0", "9" * 40, "7\x00"])
def test_a_bad_period_gets_a_message_and_the_default(client, shop, value):
    response = login(client, shop.member).get(SALES, {"days": value})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chỉ xem được 7, 30 hoặc 90 ngày. Đang hiện 30 ngày qua." in page
    assert figure(page, "Đơn hàng") == "4"


def test_helpers_and_strangers_do_not_see_sales(client, shop):
    """Helpers keep the listings only; signed-out visitors go to the login page."""
    assert client.get(SALES).status_code == 302
    assert login(client, shop.helper).get(SALES).status_code == 403
    assert login(client, shop.owner).get(SALES).status_code == 200


def test_the_navigation_and_home_link_to_sales_for_those_who_see_it(client, shop):
    home = login(client, shop.member).get("/dashboard/").content.decode()
    assert home.count(f'href="{SALES}"') == 2
    helper_home = login(client, shop.helper).get("/dashboard/").content.decode()
    assert SALES not in helper_home


def test_an_empty_period_says_so(client, stall):
    page = login(client, stall.owner).get(f"{SALES}?days=7").content.decode()
    assert "Chưa bán được sản phẩm nào trong thời gian này." in page
    assert figure(page, "Đơn hàng") == "0" and figure(page, "Từ áp phích QR") == "0%"


def test_a_renamed_product_is_one_row_under_its_latest_name(client, stall):
    old = sold(stall.cooperative, [(stall.product, 1)], days_ago=3)
    OrderItem.objects.filter(cooperative_order=old).update(product_name="Chè cũ")
    sold(stall.cooperative, [(stall.product, 2)], days_ago=1)
    page = login(client, stall.owner).get(SALES).content.decode()
    assert table_rows(page, "Số lượng và tiền hàng") == [("Chè Shan tuyết", "3", "750.000 ₫")]


def test_queries_do_not_grow_with_orders(client, stall):
    """One order or forty, over many products and provinces: the same number of queries."""
    login(client, stall.owner)
    sold(stall.cooperative, [(stall.product, 1)], days_ago=1)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(SALES).status_code == 200
        return len(captured)

    few = count()
    provinces = list(PROVINCE_NAMES)
    for n in range(40):
        product = ProductFactory(cooperative=stall.cooperative, price=10000 + n)
        sold(
            stall.cooperative,
            [(product, 1 + n % 3), (stall.product, 1)],
            days_ago=n % 28,
            province=provinces[n % 34],
        )
    QrVisit.objects.create(cooperative=stall.cooperative, day=timezone.localdate(), count=5)
    assert count() == few


# --- Orders from QR posters -----------------------------------------------------------------


def checkout(client, *products) -> None:
    for product in products:
        client.post("/cart/add/", {"product_id": product.pk, "quantity": 1})
    form = client.get("/checkout/").content.decode()
    token = re.search(r'name="checkout_token" value="([^"]+)"', form).group(1)
    response = client.post(
        "/checkout/",
        {
            "full_name": "Nguyễn Thị Lan",
            "phone": "0912 345 678",
            "email": "",
            "province": "01",
            "commune": "phường Ba Đình",
            "street_address": "12 Hàng Bông",
            "note": "",
            "payment_method": "cod",
            "checkout_token": token,
        },
    )
    assert response.status_code == 303, response.content.decode()[:500]


def test_an_order_after_scanning_a_poster_counts_for_that_stall_only(client, stall):
    """A buyer scans the tea stall's product poster, then buys tea and honey from another stall:
    the tea part comes from the poster, the honey part does not."""
    other = stall_selling("HTX Mật ong", "Mật ong", 450000)
    client.get(f"{stall.product.get_absolute_url()}?utm_source=qr&utm_medium=poster", HTTP_USER_AGENT=PHONE)
    checkout(client, stall.product, other.product)
    parts = {part.cooperative_id: part.from_poster for part in CooperativeOrder.objects.all()}
    assert parts == {stall.cooperative.pk: True, other.cooperative.pk: False}
    page = login(client, stall.owner).get(SALES).content.decode()
    assert "1 trong 1 đơn (100%)" in page


def test_a_stall_poster_counts_too_and_other_visits_do_not(client, stall):
    client.get(f"{stall.product.get_absolute_url()}?utm_source=zalo", HTTP_USER_AGENT=PHONE)
    checkout(client, stall.product)
    assert not CooperativeOrder.objects.get().from_poster
    client.get(f"/cooperatives/{stall.cooperative.slug}/?utm_source=qr", HTTP_USER_AGENT=PHONE)
    checkout(client, stall.product)
    assert list(CooperativeOrder.objects.order_by("pk").values_list("from_poster", flat=True)) == [
        False,
        True,
    ]


def test_a_scan_older_than_a_week_no_longer_counts(client, stall, monkeypatch):
    """The poster cookie is signed with its time: eight days later checkout ignores it."""
    eight_days_ago = timezone.now().timestamp() - 8 * 24 * 60 * 60
    monkeypatch.setattr(signing.time, "time", lambda: eight_days_ago)
    client.get(f"{stall.product.get_absolute_url()}?utm_source=qr", HTTP_USER_AGENT=PHONE)
    monkeypatch.undo()
    assert client.cookies["qr_from"].value
    checkout(client, stall.product)
    assert not CooperativeOrder.objects.get().from_poster


def test_a_forged_poster_cookie_counts_for_nothing(client, stall):
    client.cookies["qr_from"] = str(stall.cooperative.pk)
    checkout(client, stall.product)
    assert not CooperativeOrder.objects.get().from_poster


def test_the_stalls_own_people_and_robots_leave_no_poster_mark(client, stall):
    client.get(f"{stall.product.get_absolute_url()}?utm_source=qr", HTTP_USER_AGENT="Googlebot/2.1")
    assert "qr_from" not in client.cookies
    login(client, stall.member).get(
        f"{stall.product.get_absolute_url()}?utm_source=qr", HTTP_USER_AGENT=PHONE
    )
    assert "qr_from" not in client.cookies


def test_each_stall_s_scan_counts_for_a_week_from_its_own_time(client, stall, monkeypatch):
    """Stall A's poster scanned 11 days ago, stall B's 5 days ago: B's scan signs the cookie anew,
    yet only B's part of the next order comes from a poster."""
    other = stall_selling("HTX Mật ong", "Mật ong", 450000)
    now = timezone.now().timestamp()
    for product, days in ((stall.product, 11), (other.product, 5)):
        monkeypatch.setattr(signing.time, "time", lambda days=days: now - days * 24 * 60 * 60)
        client.get(f"{product.get_absolute_url()}?utm_source=qr", HTTP_USER_AGENT=PHONE)
    monkeypatch.undo()
    checkout(client, stall.product, other.product)
    parts = {part.cooperative_id: part.from_poster for part in CooperativeOrder.objects.all()}
    assert parts == {stall.cooperative.pk: False, other.cooperative.pk: True}


def test_the_poster_cookie_keeps_the_latest_stalls_first_and_stays_small():
    """Each stall with its scan time, the latest first; entries without a time (the old format),
    malformed, older than a week or in the future count for nothing."""
    from products.services import QR_FROM_DAYS, QR_FROM_MAX, qr_from_add, qr_from_ids

    now, day = 1_767_225_600, 24 * 60 * 60
    week = QR_FROM_DAYS * day
    assert qr_from_add(scanned="", cooperative_id=3, now=now) == f"3.{now}"
    earlier = f"5.{now - day},3.{now - 2 * day},9.{now - week}"
    assert qr_from_add(scanned=earlier, cooperative_id=3, now=now) == f"3.{now},5.{now - day},9.{now - week}"
    odd = f"4.{now},7,x.{now},².{now},6.²,8.{now - week - 1},9.{now + 1},10.,.{now},11.{now - day}"
    assert qr_from_ids(scanned=odd, now=now) == [4, 11]
    assert qr_from_ids(scanned="5,3,9", now=now) == []
    assert qr_from_add(scanned=odd, cooperative_id=4, now=now) == f"4.{now},11.{now - day}"
    a_week_after_stall_5 = now - day + week
    assert (
        qr_from_add(scanned=earlier, cooperative_id=7, now=a_week_after_stall_5)
        == f"7.{a_week_after_stall_5},5.{now - day}"
    )
    many = ",".join(f"{n}.{now - n}" for n in range(100, 100 + QR_FROM_MAX))
    assert qr_from_ids(scanned=qr_from_add(scanned=many, cooperative_id=1, now=now), now=now)[:2] == [1, 100]
    assert (
        len(qr_from_ids(scanned=qr_from_add(scanned=many, cooperative_id=1, now=now), now=now)) == QR_FROM_MAX
    )


def test_the_page_in_english(client, shop):
    page = login(client, shop.owner).get(f"/en{SALES}?days=7").content.decode().replace("\xa0", " ")
    assert "Best sellers" in page and "Where buyers are" in page
    assert "1 of 3 orders (33%) came from buyers who scanned" in page
    assert "<dt>Subtotal</dt><dd>1,800,000 ₫</dd>" in page
    assert '<th scope="row">Gạo nếp Tú Lệ</th><td class="num">5</td><td class="num">600,000 ₫</td>' in page


@pytest.mark.parametrize(
    ("poster", "orders", "percent"), [(0, 0, 0), (1, 3, 33), (1, 8, 13), (2, 3, 67), (3, 3, 100)]
)
def test_the_poster_share_is_whole_per_cent_halves_up(poster, orders, percent):
    from orders.sales import Sales

    figures = Sales(
        days=30,
        since=timezone.localdate(),
        orders=orders,
        units=0,
        revenue=0,
        from_poster=poster,
        poster_visits=0,
        posts_made=0,
        products=[],
        provinces=[],
    )
    assert figures.poster_percent == percent


def test_posts_made_with_the_post_kit_are_counted_beside_the_poster_scans(client, stall):
    from products.services import post_made_record

    for token in ("tap-1", "tap-2", "tap-2"):
        post_made_record(
            cooperative_id=stall.cooperative.pk,
            product_id=stall.product.pk,
            shape="square",
            channel="zalo",
            token=token,
        )
    other = stall_selling("HTX Khác", "Hàng xóm", 1000)
    post_made_record(
        cooperative_id=other.cooperative.pk, product_id=None, shape="square", channel="zalo", token="x"
    )
    page = login(client, stall.owner).get(f"{SALES}?days=7").content.decode()
    assert "2 bài đăng Zalo, Facebook được làm từ mục “Đăng bài” trong 7 ngày qua." in page
