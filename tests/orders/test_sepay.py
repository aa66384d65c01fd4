"""Bank transfers matched by themselves: SePay posts a stall's transactions over HTTP to a live
server (tests/sepay_sender.py speaks SePay's documented protocol) and the right part is marked
paid once, however often SePay replays it; everything else waits for the owner's look."""

import json
import re
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders import services
from orders.models import BankTransaction, CooperativeOrder, OrderEvent, SepayWebhook
from products.models import Membership
from tests.factories import (
    CooperativeFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
    placed_order,
)
from tests.sepay_sender import SepaySender

pytestmark = pytest.mark.django_db(transaction=True)

Outcome = BankTransaction.Outcome


@pytest.fixture
def site(settings, live_server):
    """Absolute links (the webhook address the owner copies) point at the live server."""
    settings.SITE_URL = live_server.url
    return live_server


def _stall(name: str, account: str):
    cooperative = CooperativeFactory(name=name, bank_account_number=account, email=f"{account}@example.vn")
    owner = UserFactory()
    MembershipFactory(user=owner, cooperative=cooperative, role=Membership.Role.OWNER)
    product = ProductFactory(cooperative=cooperative, price=100000)
    return cooperative, owner, product


def _input_value(html: str, element_id: str) -> str:
    found = re.search(rf'<textarea id="{element_id}"[^>]*>([^<]*)</textarea>', html)
    assert found, f"no #{element_id} on the page"
    return found.group(1)


def _turn_on(client, owner) -> tuple[str, str]:
    """What an owner does: open the stall profile, press "Bật SePay", copy the address and key."""
    client.force_login(owner)
    profile = client.get(reverse("dashboard:profile")).content.decode()
    version = re.search(r'name="do" value="key"><input type="hidden" name="version" value="(\d+)"', profile)
    page = client.post(reverse("dashboard-orders:sepay"), {"do": "key", "version": version.group(1)})
    html = page.content.decode()
    return _input_value(html, "sepay-url"), _input_value(html, "sepay-key")


@pytest.fixture
def market(site, client):
    """Two stalls, SePay on for both (as their owners turn it on), and one order from both,
    paid by bank transfer."""
    tea, tea_owner, tea_product = _stall("HTX Chè Lũng Phìn", "0011001234567")
    honey, honey_owner, honey_product = _stall("HTX Mật ong Mèo Vạc", "190333444555")
    tea_url, tea_key = _turn_on(client, tea_owner)
    client.logout()
    honey_url, honey_key = _turn_on(client, honey_owner)
    client.logout()
    order = placed_order({tea_product: 2, honey_product: 1}, payment_method="bank_transfer")
    mail.outbox.clear()
    parts = {part.cooperative_id: part for part in order.cooperative_orders.all()}
    return {
        "order": order,
        "tea": tea,
        "tea_owner": tea_owner,
        "tea_part": parts[tea.pk],
        "tea_sender": SepaySender(tea_url, tea_key, tea.bank_account_number),
        "honey": honey,
        "honey_owner": honey_owner,
        "honey_part": parts[honey.pk],
        "honey_sender": SepaySender(honey_url, honey_key, honey.bank_account_number),
    }


def _fresh(part: CooperativeOrder) -> CooperativeOrder:
    return CooperativeOrder.objects.get(pk=part.pk)


def _paid_events(part) -> list[OrderEvent]:
    return list(OrderEvent.objects.filter(cooperative_order=part, kind=OrderEvent.Kind.PAID))


# --- the done-when ---------------------------------------------------------------------------


def test_right_key_marks_the_right_part_paid_once_however_often_replayed(market, client):
    """The exact amount with the order code marks this stall's part paid, through the `paid`
    action (an event naming the SePay id), tells the buyer and the stall; seven replays change
    nothing and each is answered {"success": true}."""
    sender, part, order = market["tea_sender"], market["tea_part"], market["order"]
    body = sender.transaction(content=f"CHOPHIEN {order.code} FT25330123456", transferAmount=part.total)

    first = sender.post(body)
    replays = [sender.post(body) for _ in range(7)]

    assert (first.status, first.body) == (200, {"success": True})
    assert all((a.status, a.body) == (200, {"success": True}) for a in replays)
    assert _fresh(part).is_paid
    assert not _fresh(market["honey_part"]).is_paid
    events = _paid_events(part)
    assert len(events) == 1
    assert str(body["id"]) in events[0].message
    record = BankTransaction.objects.get()
    assert (record.outcome, record.cooperative_order_id, record.sepay_id) == (
        Outcome.PAID,
        part.pk,
        body["id"],
    )
    assert f'"id": {body["id"]}' in record.raw_body
    subjects = sorted(message.subject for message in mail.outbox)
    assert len(subjects) == 2, subjects
    assert any(order.code in s and "đã nhận tiền" in s for s in subjects)  # the buyer
    assert any(s.startswith("Chợ Phiên: đã nhận 230.000") for s in subjects)  # the stall
    client.force_login(market["tea_owner"])
    detail = client.get(reverse("dashboard-orders:detail", args=[part.pk])).content.decode()
    assert f"mã giao dịch {body['id']}" in detail
    assert "tự động" in detail


def test_a_wrong_amount_is_listed_for_the_owner_and_marks_nothing(market, client):
    """Less than the part's total: stored, answered success, nothing paid; the owner's dashboard
    home and transfers page list it with what was expected."""
    sender, part, order = market["tea_sender"], market["tea_part"], market["order"]
    answer = sender.post(sender.transaction(content=f"chophien {order.code}", transferAmount=200000))

    assert (answer.status, answer.body) == (200, {"success": True})
    assert not _fresh(part).is_paid
    assert _paid_events(part) == []
    record = BankTransaction.objects.get()
    assert (record.outcome, record.expected_amount, record.difference) == (Outcome.UNDERPAID, 230000, -30000)
    client.force_login(market["tea_owner"])
    home = client.get(reverse("dashboard:home")).content.decode()
    assert "1 chuyển khoản SePay cần xem" in home
    assert f"Đơn {order.code} cần 230.000\xa0₫" in home
    assert "thiếu 30.000\xa0₫" in home
    listing = client.get(reverse("dashboard-orders:transfers") + "?show=to_look_at").content.decode()
    assert "Chuyển thiếu" in listing and "+200.000\xa0₫" in listing
    assert [m.subject for m in mail.outbox] == [f"Chợ Phiên: chuyển khoản cần xem, đơn {order.code}"]


@pytest.mark.parametrize(
    ("email", "follows", "told"),
    [
        ("lan@example.vn", False, "Người mua được báo qua email."),
        ("", True, "Người mua được báo qua thông báo trên điện thoại."),
        ("lan@example.vn", True, "Người mua được báo qua email và thông báo trên điện thoại."),
        ("", False, "Người mua không để lại email: hãy gọi 0912 345 678 để báo."),
    ],
)
def test_the_stalls_mail_says_how_the_buyer_was_told(market, push_service, email, follows, told):
    """The stall's "money arrived" mail names the channel the buyer heard it through, or, for a
    buyer with neither email nor a phone following the order, asks the stall to call them."""
    from tests.orders.test_push import follow

    product = ProductFactory(cooperative=market["tea"], price=50000)
    order = placed_order({product: 1}, email=email, phone="0912345678", payment_method="bank_transfer")
    if follows:
        assert follow(Client(), order, push_service.device()).status_code == 200
    part = order.cooperative_orders.get()
    mail.outbox.clear()

    _send_for_tea(market, content=f"CHOPHIEN {order.code}", transferAmount=part.total)

    [stall_mail] = [m for m in mail.outbox if m.to == [market["tea"].email]]
    assert "phần đơn đã được ghi nhận thanh toán." in stall_mail.body
    assert told in stall_mail.body
    assert "người mua đã được báo" not in stall_mail.body


# --- who may call ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    ["", "Apikey", "Apikey wrong-key", "Bearer {key}", "Basic {key}", "Apikey {key}x", "{key}"],
)
def test_anything_but_the_stalls_key_is_401_and_changes_nothing(market, authorization):
    sender, part, order = market["tea_sender"], market["tea_part"], market["order"]
    body = sender.transaction(content=f"CHOPHIEN {order.code}", transferAmount=part.total)

    answer = sender.post(body, authorization=authorization.format(key=sender.key) or "")

    assert answer.status == 401
    assert answer.body["success"] is False
    assert not BankTransaction.objects.exists()
    assert not _fresh(part).is_paid


def test_another_stalls_key_or_address_is_401(market):
    tea, honey = market["tea_sender"], market["honey_sender"]
    part, order = market["tea_part"], market["order"]
    body = tea.transaction(content=f"CHOPHIEN {order.code}", transferAmount=part.total)

    assert tea.post(body, authorization=f"Apikey {honey.key}").status == 401
    assert SepaySender(honey.url, tea.key, "").post(body).status == 401
    unknown = SepaySender(tea.url.replace("/sepay/", "/sepay/x"), tea.key, "")
    assert unknown.post(body).status == 401
    assert not BankTransaction.objects.exists()


def test_a_replaced_key_stops_working_and_the_new_one_works(market, client):
    sender, part, order = market["tea_sender"], market["tea_part"], market["order"]
    url, new_key = _turn_on(client, market["tea_owner"])
    body = sender.transaction(content=f"CHOPHIEN {order.code}", transferAmount=part.total)

    assert url == sender.url  # the address stays: only the key is new
    assert sender.post(body).status == 401
    assert not _fresh(part).is_paid
    assert SepaySender(url, new_key, "").post(body).status == 200
    assert _fresh(part).is_paid


def test_turned_off_is_401(market, client):
    sender, part, order = market["tea_sender"], market["tea_part"], market["order"]
    client.force_login(market["tea_owner"])
    client.post(reverse("dashboard-orders:sepay"), {"do": "off"})

    answer = sender.post(sender.transaction(content=f"CHOPHIEN {order.code}", transferAmount=part.total))

    assert answer.status == 401
    assert not BankTransaction.objects.exists()
    assert not SepayWebhook.objects.get(cooperative=market["tea"]).key_digest


# --- bodies that are not a SePay transaction -------------------------------------------------


def _documented(sender, **changes):
    body = sender.transaction(content="CHOPHIEN X", transferAmount=1000)
    for name, value in changes.items():
        if value is KeyError:
            del body[name]
        else:
            body[name] = value
    return body


@pytest.mark.parametrize(
    "make_body",
    [
        lambda s: b"",
        lambda s: b"{not json",
        lambda s: b"\xff\xfe\x00",
        lambda s: b"[1, 2, 3]",
        lambda s: b'"just a string"',
        lambda s: b"[" * 50000 + b"]" * 50000,
        lambda s: b'{"id": ' + b"1" * 70000 + b"}",
        lambda s: _documented(s, id=KeyError),
        lambda s: _documented(s, transferAmount=KeyError),
        lambda s: _documented(s, content=KeyError, accountNumber=KeyError),
        lambda s: _documented(s, transferType="sideways"),
        lambda s: _documented(s, transferType=None),
        lambda s: _documented(s, transferAmount="much"),
        lambda s: _documented(s, transferAmount=-5),
        lambda s: _documented(s, transferAmount=1.5),
        lambda s: _documented(s, transferAmount=True),
        lambda s: _documented(s, id=-1),
        lambda s: _documented(s, id="abc"),
        lambda s: _documented(s, id={"a": 1}),
        lambda s: _documented(s, content=["a"]),
        lambda s: _documented(s, accumulated="lots"),
        lambda s: _documented(s, id=10**30),
        lambda s: _documented(s, transferAmount=10**20),
    ],
)
def test_a_body_that_is_not_a_transaction_is_400_with_a_json_error(market, make_body):
    sender = market["tea_sender"]

    answer = sender.post(make_body(sender))

    assert answer.status == 400
    assert answer.body["success"] is False
    assert answer.body["error"]
    assert not BankTransaction.objects.exists()


def test_missing_fields_are_named(market):
    sender = market["tea_sender"]
    answer = sender.post(_documented(sender, transferAmount=KeyError, gateway=KeyError))
    assert answer.status == 400
    assert "gateway" in answer.body["error"] and "transferAmount" in answer.body["error"]


def test_only_post(market):
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(market["tea_sender"].url, timeout=5)  # a GET
    assert refused.value.code == 405


def test_optional_fields_may_be_null_or_absent(market):
    """code, subAccount, accumulated, referenceCode and description are informational: a payment
    is never refused for them."""
    sender, part, order = market["tea_sender"], market["tea_part"], market["order"]
    body = sender.transaction(content=f"CHOPHIEN {order.code}", transferAmount=part.total, accumulated=None)
    for name in ("code", "subAccount", "referenceCode", "description"):
        del body[name]

    assert sender.post(body).status == 200
    assert _fresh(part).is_paid


def test_control_characters_in_the_content_are_dropped_not_an_error(market):
    """JSON may escape characters no database stores (NUL, a lone surrogate): they are dropped."""
    sender, part, order = market["tea_sender"], market["tea_part"], market["order"]
    body = sender.transaction(content=f"CHOPHIEN\u0000 {order.code}\ud800", transferAmount=part.total)
    raw = json.dumps(body).encode()

    assert sender.post(raw).status == 200
    assert _fresh(part).is_paid
    assert BankTransaction.objects.get().content == f"CHOPHIEN {order.code}"


@pytest.mark.parametrize("date", ["0001-01-01 00:00:00", "9999-12-31 23:59:59"])
def test_a_date_out_of_any_banks_range_is_stored_as_unknown(market, date):
    """Answered success (not a 500 SePay would retry), the part paid, the date SePay sent kept in
    the raw body only."""
    record = _send_for_tea(market, transactionDate=date)

    assert (record.outcome, record.transaction_date) == (Outcome.PAID, None)
    assert date in BankTransaction.objects.get(pk=record.pk).raw_body
    assert _fresh(market["tea_part"]).is_paid


# --- matching --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "CHOPHIEN {code}",
        "chophien{lower}",
        "CHOPHIEN-{code} FT25330987654321",
        "MBVCB.3278907687.CHOPHIEN {code}.CT tu 0123456789 NGUYEN THI LAN toi 0011001234567",
        "IBFT chophien.{lower} thanh toan",
        "CHO PHIEN {spaced}",
        "{code} CHOPHIEN {code}",
    ],
)
def test_content_as_banks_write_it(market, content):
    sender, part, order = market["tea_sender"], market["tea_part"], market["order"]
    code = order.code
    written = content.format(code=code, lower=code.lower(), spaced=f"{code[:4]} {code[4:]}")

    assert sender.post(sender.transaction(content=written, transferAmount=part.total)).status == 200

    assert _fresh(part).is_paid, written


def test_sepays_own_payment_code_field_is_read_too(market):
    sender, part, order = market["tea_sender"], market["tea_part"], market["order"]
    sender.post(sender.transaction(content="ck", code=f"CHOPHIEN{order.code}", transferAmount=part.total))
    assert _fresh(part).is_paid


def test_two_stalls_in_one_order_each_pay_only_their_own_part(market):
    """Each stall's SePay pays that stall's part; the other part's amount sent to the first stall
    pays nothing there."""
    tea, honey, order = market["tea_sender"], market["honey_sender"], market["order"]
    tea_part, honey_part = market["tea_part"], market["honey_part"]
    note = f"CHOPHIEN {order.code}"

    tea.post(tea.transaction(content=note, transferAmount=honey_part.total))
    assert not _fresh(tea_part).is_paid and not _fresh(honey_part).is_paid

    honey.post(honey.transaction(content=note, transferAmount=honey_part.total))
    assert _fresh(honey_part).is_paid and not _fresh(tea_part).is_paid

    tea.post(tea.transaction(content=note, transferAmount=tea_part.total))
    assert _fresh(tea_part).is_paid
    outcomes = list(BankTransaction.objects.order_by("pk").values_list("cooperative__name", "outcome"))
    assert outcomes == [
        ("HTX Chè Lũng Phìn", Outcome.UNDERPAID),
        ("HTX Mật ong Mèo Vạc", Outcome.PAID),
        ("HTX Chè Lũng Phìn", Outcome.PAID),
    ]


def test_the_same_sepay_id_at_two_stalls_is_two_transactions(market):
    """SePay's id is unique per stall's SePay account, not across stalls."""
    tea, honey, order = market["tea_sender"], market["honey_sender"], market["order"]
    note = f"CHOPHIEN {order.code}"
    tea.post(tea.transaction(id=5, content=note, transferAmount=market["tea_part"].total))
    honey.post(honey.transaction(id=5, content=note, transferAmount=market["honey_part"].total))
    assert BankTransaction.objects.filter(outcome=Outcome.PAID).count() == 2


def _send_for_tea(market, **fields):
    sender, part, order = market["tea_sender"], market["tea_part"], market["order"]
    values = {"content": f"CHOPHIEN {order.code}", "transferAmount": part.total, **fields}
    answer = sender.post(sender.transaction(**values))
    assert (answer.status, answer.body) == (200, {"success": True})
    return BankTransaction.objects.latest("pk")


@pytest.mark.parametrize(
    ("fields", "outcome"),
    [
        ({"transferAmount": 229999}, Outcome.UNDERPAID),
        ({"transferAmount": 230001}, Outcome.OVERPAID),
        ({"content": "CHOPHIEN 23456789"}, Outcome.UNKNOWN_CODE),
        ({"content": "tien hang thang 11"}, Outcome.NO_CODE),
        ({"accountNumber": "999888777"}, Outcome.OTHER_ACCOUNT),
    ],
)
def test_what_does_not_match_is_kept_to_look_at(market, fields, outcome):
    record = _send_for_tea(market, **fields)

    assert record.outcome == outcome
    assert record.to_look_at
    assert not _fresh(market["tea_part"]).is_paid
    told = [m.subject for m in mail.outbox]
    code = market["order"].code
    stall_told = [f"Chợ Phiên: chuyển khoản cần xem, đơn {code}"]
    assert told == ([] if outcome in (Outcome.UNKNOWN_CODE, Outcome.NO_CODE) else stall_told)


def test_money_out_is_listed_but_not_waiting_for_a_look(market, client):
    """SePay set to send every event: a payment the stall made is stored and shown on the
    transfers page as money out, but the dashboard home and the "to look at" list keep only money
    in that paid nothing (here a buyer who forgot the note, and money into another account)."""
    code = market["order"].code
    out = _send_for_tea(market, transferType="out", content=f"CHOPHIEN {code}", transferAmount=500000)
    assert (out.outcome, mail.outbox) == (Outcome.OUTGOING, [])
    _send_for_tea(market, content="tien che", transferAmount=120000)
    _send_for_tea(market, accountNumber="999888777", transferAmount=130000)

    client.force_login(market["tea_owner"])
    home = client.get(reverse("dashboard:home")).content.decode()
    url = reverse("dashboard-orders:transfers")
    everything = client.get(url).content.decode()
    waiting = client.get(url, {"show": "to_look_at"}).content.decode()

    assert "2 chuyển khoản SePay cần xem" in home
    assert "+120.000" in home and "+130.000" in home and "500.000" not in home
    assert everything.count('<li class="dash-row') == 3
    assert "−500.000\xa0₫" in everything and "Tiền ra" in everything
    assert waiting.count('<li class="dash-row') == 2 and "500.000" not in waiting


def test_an_order_of_another_stall_is_an_unknown_code_here(site, market):
    other, _owner, product = _stall("HTX Khác", "5556667778")
    elsewhere = placed_order({product: 1}, payment_method="bank_transfer")
    record = _send_for_tea(market, content=f"CHOPHIEN {elsewhere.code}", transferAmount=130000)
    assert (record.outcome, record.cooperative_order) == (Outcome.UNKNOWN_CODE, None)
    assert not elsewhere.cooperative_orders.get().is_paid


def test_a_second_transfer_for_a_paid_part_is_kept_to_look_at(market):
    first = _send_for_tea(market)
    second = _send_for_tea(market)
    assert (first.outcome, second.outcome) == (Outcome.PAID, Outcome.ALREADY_PAID)
    assert len(_paid_events(market["tea_part"])) == 1


def test_a_cancelled_part_is_not_paid(market):
    part = market["tea_part"]
    services.cooperative_order_cancel(cooperative_order=part, actor=market["tea_owner"], reason="Hết hàng")
    record = _send_for_tea(market)
    assert record.outcome == Outcome.CANCELLED
    assert not _fresh(part).is_paid


def test_the_account_the_buyer_was_told_still_counts_after_the_stall_changes_it(market):
    """The part keeps the account it was ordered with; SePay may still report that account."""
    tea = market["tea"]
    old_account = tea.bank_account_number
    tea.bank_account_number = "123123123"
    tea.save()
    record = _send_for_tea(market, accountNumber=old_account)
    assert record.outcome == Outcome.PAID


def test_two_identical_posts_at_once_pay_once(market):
    """SePay retrying while the first delivery is still being answered: both are answered
    success, one transaction is stored, one payment recorded."""
    sender, part, order = market["tea_sender"], market["tea_part"], market["order"]
    body = sender.transaction(content=f"CHOPHIEN {order.code}", transferAmount=part.total)
    barrier = threading.Barrier(3)
    answers = []

    def post():
        barrier.wait()
        answers.append(sender.post(body))

    threads = [threading.Thread(target=post) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert [a.status for a in answers] == [200, 200, 200]
    assert BankTransaction.objects.count() == 1
    assert len(_paid_events(part)) == 1


# --- the owner's pages -----------------------------------------------------------------------


def test_the_key_is_shown_once_and_only_its_digest_kept(market, client):
    client.force_login(market["tea_owner"])
    profile = client.get(reverse("dashboard:profile")).content.decode()
    key = market["tea_sender"].key
    webhook = SepayWebhook.objects.get(cooperative=market["tea"])

    assert key not in profile
    assert market["tea_sender"].url in profile
    assert key not in webhook.key_digest and len(webhook.key_digest) == 64
    assert "Tạo khoá mới" in profile and "Tắt SePay" in profile


def test_a_repeated_press_makes_no_second_key(market, client):
    """The same "new key" form sent twice (a lost reply): the second makes no key, so the one the
    first showed keeps working."""
    client.force_login(market["tea_owner"])
    webhook = SepayWebhook.objects.get(cooperative=market["tea"])
    form = {"do": "key", "version": str(webhook.key_version)}
    first = client.post(reverse("dashboard-orders:sepay"), form).content.decode()
    again = client.post(reverse("dashboard-orders:sepay"), form).content.decode()
    key = _input_value(first, "sepay-key")

    assert 'id="sepay-key"' not in again
    assert "Khoá đã được tạo ở lần bấm trước" in again
    sender = market["tea_sender"]
    body = sender.transaction(
        content=f"CHOPHIEN {market['order'].code}", transferAmount=market["tea_part"].total
    )
    assert SepaySender(sender.url, key, "").post(body).status == 200


@pytest.mark.parametrize("role", [Membership.Role.MEMBER, Membership.Role.HELPER])
def test_only_owners_see_and_change_sepay(market, client, role):
    """Members and helpers neither change SePay nor see what it reported (the account's money)."""
    _send_for_tea(market, transferAmount=1000)
    user = UserFactory()
    MembershipFactory(user=user, cooperative=market["tea"], role=role)
    client.force_login(user)
    home = client.get(reverse("dashboard:home")).content.decode()
    assert "chuyển khoản SePay cần xem" not in home and "+1.000" not in home
    assert client.post(reverse("dashboard-orders:sepay"), {"do": "key", "version": "1"}).status_code == 403
    assert client.post(reverse("dashboard-orders:sepay"), {"do": "off"}).status_code == 403
    assert client.get(reverse("dashboard-orders:transfers")).status_code == 403
    assert SepayWebhook.objects.get(cooperative=market["tea"]).is_enabled


def test_a_bad_settings_post_is_400(market, client):
    client.force_login(market["tea_owner"])
    for form in ({}, {"do": "key"}, {"do": "key", "version": "x"}, {"do": "maybe", "version": "1"}):
        assert client.post(reverse("dashboard-orders:sepay"), form).status_code == 400
    assert client.get(reverse("dashboard-orders:sepay")).status_code == 405


def test_the_transfers_page_lists_everything_with_constant_queries(market, client):
    client.force_login(market["tea_owner"])
    _send_for_tea(market, transferAmount=1000)
    url = reverse("dashboard-orders:transfers")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for amount in (2000, 3000, 4000, 5000):
        _send_for_tea(market, transferAmount=amount)
    _send_for_tea(market)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()

    assert len(many) == len(few)
    assert page.count('<li class="dash-row') == 6
    assert "Đã ghi nhận thanh toán" in page and "Chuyển thiếu" in page
    assert "Nội dung SePay gửi" in page


def test_marking_a_transfer_looked_at_takes_it_off_the_home_page(market, client):
    record = _send_for_tea(market, transferAmount=1000)
    client.force_login(market["tea_owner"])
    url = reverse("dashboard-orders:transfer-checked", args=[record.pk])

    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a repeat changes nothing
    record.refresh_from_db()
    assert record.checked_by == market["tea_owner"] and not record.to_look_at
    assert "chuyển khoản SePay cần xem" not in client.get(reverse("dashboard:home")).content.decode()


def test_another_stalls_transfer_is_404(market, client):
    record = _send_for_tea(market, transferAmount=1000)
    client.force_login(market["honey_owner"])
    response = client.post(reverse("dashboard-orders:transfer-checked", args=[record.pk]))
    assert response.status_code == 404
    assert BankTransaction.objects.get(pk=record.pk).checked_at is None


def test_admin_lists_and_filters_transfers(market, client):
    _send_for_tea(market, transferAmount=1000)
    _send_for_tea(market)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:orders_banktransaction_changelist")

    waiting = client.get(url, {"to_look_at": "yes"}).content.decode()
    found = client.get(url, {"q": market["order"].code}).content.decode()
    by_outcome = client.get(url, {"outcome": "paid"})

    assert waiting.count('class="field-received_at') == 1
    assert '<td class="field-expected_vnd">230.000\xa0₫</td>' in waiting
    assert found.count('class="field-received_at') == 2
    assert by_outcome.status_code == 200
    record = BankTransaction.objects.first()
    assert client.get(reverse("admin:orders_banktransaction_change", args=[record.pk])).status_code == 200
    assert client.get(reverse("admin:orders_sepaywebhook_changelist")).status_code == 200


def test_a_matched_transfer_rings_the_stalls_phone(market, push_service):
    """Push on: the owner's phone hears that the part's money arrived, once, however often SePay
    replays the transaction; a wrong amount rings nothing."""
    from tests.orders.test_push import subscribe

    phone = push_service.device()
    subscribe(Client(), market["tea_owner"], phone)
    sender, part, order = market["tea_sender"], market["tea_part"], market["order"]
    short = sender.transaction(content=f"CHOPHIEN {order.code}", transferAmount=part.total - 1000)
    sender.post(short)
    assert push_service.delivered(phone) == []
    paid = sender.transaction(content=f"CHOPHIEN {order.code}", transferAmount=part.total)
    for _ in range(3):
        sender.post(paid)
    titles = [message["title"] for message in push_service.delivered(phone)]
    assert titles == [f"Đã nhận tiền đơn {order.code} · 1 sản phẩm · 230.000\u00a0₫"]


def test_a_transfer_for_a_cash_on_delivery_part_not_yet_delivered_waits_for_a_look(market):
    """The buyer chose to pay the driver but transferred the money: the part is not marked paid
    (the carrier would collect the cash too), and the owner sees why on the dashboard."""
    cod = placed_order({market["tea"].products.first(): 1}, payment_method="cod")
    part = cod.cooperative_orders.get()
    sender = market["tea_sender"]
    answer = sender.post(sender.transaction(content=f"CHOPHIEN {cod.code}", transferAmount=part.total))
    assert (answer.status, answer.body) == (200, {"success": True})
    record = BankTransaction.objects.latest("pk")
    assert record.outcome == Outcome.CASH_ON_DELIVERY and record.to_look_at
    assert not _fresh(part).is_paid and not _paid_events(part)
    [stall_mail] = [m for m in mail.outbox if "chuyển khoản cần xem" in m.subject]
    assert stall_mail.to == [market["tea"].email]
    assert "Hãy báo đơn vị giao hàng không thu tiền nữa" in stall_mail.body
    assert "ghi nhận bằng tay" not in stall_mail.body


def test_a_buyer_who_follows_the_order_hears_that_sepay_saw_the_money(market, push_service):
    """A buyer without email who opted in on the order page: the transfer SePay matched reaches
    their phone, once, however often it is replayed."""
    from tests.orders.test_push import follow

    phone = push_service.device()
    order, part = market["order"], market["tea_part"]
    assert follow(Client(), order, phone).status_code == 200
    sender = market["tea_sender"]
    paid = sender.transaction(content=f"CHOPHIEN {order.code}", transferAmount=part.total)
    for _ in range(3):
        sender.post(paid)
    assert push_service.delivered(phone) == [
        {
            "title": f"{part.cooperative_name} đã nhận tiền đơn {order.code}",
            "body": "230.000\u00a0₫",
            "url": order.get_absolute_url(),
            "tag": order.code,
            "lang": "vi",
        }
    ]
