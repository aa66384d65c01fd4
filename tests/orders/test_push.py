"""Web Push: phones subscribe from the dashboard and the order page, and the messages reach a local
stand-in push service (tests/push_service.py) that checks the VAPID token and decrypts them with
the test subscription's own keys, as a phone would."""

import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail
from huey.contrib.djhuey import HUEY

from orders import services
from orders.models import Notice, Order, PushSubscription
from storefront.lib.webpush import vapid_keys_new
from tests.dashboard import make_stall
from tests.factories import ProductFactory, placed_order
from tests.push_service import PushService, b64url, subscription_keys

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/dashboard/push/subscribe/"
UNSUBSCRIBE = "/dashboard/push/unsubscribe/"
# Well-formed keys of a phone (a P-256 point and a 16-byte secret), for subscriptions never sent to.
GOOD_KEYS = subscription_keys(ec.generate_private_key(ec.SECP256R1()), bytes(range(16)))
COMPRESSED_KEY = b64url(
    ec.generate_private_key(ec.SECP256R1())
    .public_key()
    .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
)


@pytest.fixture
def stall():
    # 250.000 + 200.000 and a 35.000 fee: the part is worth 485.000 ₫.
    stall = make_stall(price=250000, stock=10)
    stall.cooperative.shipping_fee = 35000
    stall.cooperative.free_shipping_threshold = None
    stall.cooperative.save()
    stall.second = ProductFactory(cooperative=stall.cooperative, price=200000, stock=10)
    return stall


def subscribe(client, user, device, url=SUBSCRIBE):
    client.force_login(user)
    response = client.post(url, json.dumps(device.subscription_json()), content_type="application/json")
    assert response.status_code == 200, response.content
    client.logout()
    return response


def test_a_subscribed_member_receives_and_decrypts_a_push_for_a_new_order(
    client, stall, push_service, django_capture_on_commit_callbacks
):
    """The owner's and the member's phones each get "Đơn mới CODE · 2 sản phẩm · 485.000 ₫",
    signed with the site's VAPID key and readable only with the phone's keys; the helper's phone
    gets nothing; tapping opens the part in the dashboard."""
    owner_phone, member_phone, helper_phone = (
        push_service.device(),
        push_service.device(),
        push_service.device(),
    )
    subscribe(client, stall.owner, owner_phone)
    subscribe(client, stall.member, member_phone)
    client.force_login(stall.helper)
    helper_answer = client.post(
        SUBSCRIBE, json.dumps(helper_phone.subscription_json()), content_type="application/json"
    )
    with django_capture_on_commit_callbacks(execute=True):
        order = placed_order({stall.product: 1, stall.second: 1})
    part = order.cooperative_orders.get()
    assert push_service.problems == []
    expected = {
        "title": f"Đơn mới {order.code} · 2 sản phẩm · 485.000\u00a0₫",
        "body": stall.cooperative.name,
        "url": f"/dashboard/orders/{part.pk}/",
        "tag": order.code,
        "lang": "vi",
    }
    assert push_service.delivered(owner_phone) == [expected]
    assert push_service.delivered(member_phone) == [expected]
    assert helper_answer.status_code == 403 and push_service.delivered(helper_phone) == []
    received = push_service.received[0]
    assert received.claims["sub"] == "mailto:cho@example.vn" and received.claims["aud"] == push_service.origin
    assert sorted(Notice.objects.filter(channel="push").values_list("recipient", flat=True)) == sorted(
        [stall.owner.username, stall.member.username]
    )


def test_a_push_job_run_again_sends_nothing_more(client, stall, push_service):
    """A job that runs twice (a retry after a lost reply) sends its message once."""
    phone = push_service.device()
    subscribe(client, stall.owner, phone)
    order = placed_order({stall.product: 1})
    from orders.tasks import push_notice

    subscription = PushSubscription.objects.get()
    part = order.cooperative_orders.get()
    for _ in range(2):
        push_notice.call_local("placed_stall", order.pk, subscription.pk, part_id=part.pk)
    assert len(push_service.delivered(phone)) == 1


@pytest.mark.parametrize("status", [404, 410])
def test_a_phone_the_push_service_says_is_gone_is_forgotten(
    client, stall, push_service, django_capture_on_commit_callbacks, status
):
    """404 or 410: the subscription is removed; the order, the other phone and the mail are not."""
    gone, kept = push_service.device(), push_service.device()
    gone.answers = [status]
    subscribe(client, stall.owner, gone)
    subscribe(client, stall.member, kept)
    with django_capture_on_commit_callbacks(execute=True):
        order = placed_order({stall.product: 1}, email="lan@example.vn")
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [kept.endpoint]
    assert len(push_service.delivered(kept)) == 1
    assert Order.objects.filter(pk=order.pk).exists()
    assert {tuple(m.to) for m in mail.outbox} == {("lan@example.vn",), (stall.cooperative.email,)}


@pytest.fixture
def queued_jobs():
    HUEY.immediate = False
    HUEY.flush()
    yield HUEY
    HUEY.flush()
    HUEY.immediate = True


def run_queued(huey, limit=50):
    """What a worker does: take each job in turn; a failed one comes back (JOB_RETRY_DELAY is 0)."""
    for _ in range(limit):
        task = huey.dequeue()
        if task is None:
            return
        huey.execute(task)
    raise AssertionError("jobs kept coming back")


@pytest.mark.django_db(transaction=True)
def test_a_push_service_error_is_retried_and_loses_nothing(client, stall, push_service, queued_jobs):
    """The push service answers 500 twice: the checkout's order, the mails and the other phone are
    unaffected, and the job retries until the message is delivered, once."""
    flaky, steady = push_service.device(), push_service.device()
    flaky.answers = [500, 500]
    subscribe(client, stall.owner, flaky)
    subscribe(client, stall.member, steady)
    order = placed_order({stall.product: 1}, email="lan@example.vn")
    assert Order.objects.filter(pk=order.pk).exists()
    run_queued(queued_jobs)
    assert [r.status for r in push_service.received if r.device is flaky] == [500, 500, 201]
    assert len(push_service.delivered(flaky)) == 1 and len(push_service.delivered(steady)) == 1
    assert PushSubscription.objects.count() == 2
    assert len(mail.outbox) == 2
    assert Notice.objects.filter(order=order).count() == 4  # two mails, two pushes


def test_a_buyer_cancellation_tells_the_stall(
    client, stall, push_service, django_capture_on_commit_callbacks
):
    phone = push_service.device()
    subscribe(client, stall.owner, phone)
    order = placed_order({stall.product: 1})
    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=order)
    titles = [message["title"] for message in push_service.delivered(phone)]
    assert titles[-1] == f"Người mua đã huỷ đơn {order.code} · 1 sản phẩm · 285.000\u00a0₫"


def follow(client, order, device):
    """The buyer's browser opened the order page (its session knows the order) and opted in."""
    session = client.session
    session["orders"] = [order.code]
    session.save()
    return client.post(
        f"/orders/{order.code}/push/subscribe/",
        json.dumps(device.subscription_json()),
        content_type="application/json",
    )


def test_a_buyer_who_opted_in_hears_of_each_status_change_and_the_stall_is_told_so(
    client, stall, push_service, django_capture_on_commit_callbacks
):
    """A buyer without email opts in on the order page: confirmed, shipped (with the tracking
    number), delivered and paid arrive on the phone, and the dashboard says the buyer was told by
    notification instead of asking the stall to call."""
    order = placed_order({stall.product: 1}, email="", payment_method="bank_transfer")
    phone = push_service.device()
    assert follow(client, order, phone).status_code == 200
    part = order.cooperative_orders.get()
    client.force_login(stall.member)
    page = client.get(f"/dashboard/orders/{part.pk}/").content.decode()
    assert "Người mua nhận thông báo trên điện thoại." in page
    with django_capture_on_commit_callbacks(execute=True):
        told = client.post(f"/dashboard/orders/{part.pk}/confirm/", follow=True).content.decode()
        client.post(
            f"/dashboard/orders/{part.pk}/ship/",
            {"carrier": "viettel_post", "tracking_number": "vtp 123456789"},
        )
        client.post(f"/dashboard/orders/{part.pk}/paid/")
        client.post(f"/dashboard/orders/{part.pk}/deliver/")
    assert f"Đã xác nhận đơn {order.code}. Người mua được báo qua thông báo trên điện thoại." in told
    name, code = stall.cooperative.name, order.code
    assert [(m["title"], m["body"]) for m in push_service.delivered(phone)] == [
        (f"{name} đã xác nhận đơn {code}", "Gian hàng đang chuẩn bị gửi."),
        (f"{name} đã gửi hàng đơn {code}", "Viettel Post · VTP123456789"),
        (f"{name} đã nhận tiền đơn {code}", "285.000\u00a0₫"),
        (f"Đơn {code} đã giao xong", "Chúc bạn dùng ngon, dùng bền!"),
    ]
    assert {m["url"] for m in push_service.delivered(phone)} == {f"/orders/{code}/"}
    assert mail.outbox == []


def test_a_buyer_of_an_english_order_is_told_in_english(
    client, stall, push_service, django_capture_on_commit_callbacks
):
    order = placed_order({stall.product: 1})
    Order.objects.filter(pk=order.pk).update(language="en")
    phone = push_service.device()
    follow(client, order, phone)
    with django_capture_on_commit_callbacks(execute=True):
        services.cooperative_order_confirm(
            cooperative_order=order.cooperative_orders.get(), actor=stall.owner
        )
    [message] = push_service.delivered(phone)
    assert message["url"] == f"/en/orders/{order.code}/" and message["lang"] == "en"
    assert message["body"] == "The stall is getting it ready to send."


def test_only_the_browser_that_has_the_order_may_follow_it(client, stall, vapid, push_service):
    """Another browser (no session with the order) gets the same 404 whether or not the code exists."""
    order = placed_order({stall.product: 1})
    body = json.dumps(push_service.device().subscription_json())
    for code in (order.code, "ZZZZZZZZ"):
        response = client.post(f"/orders/{code}/push/subscribe/", body, content_type="application/json")
        assert response.status_code == 404
    assert PushSubscription.objects.count() == 0


def test_a_buyer_may_stop_following_and_keeps_a_members_subscription(client, stall, push_service):
    """The same phone follows an order and is a member's: unfollowing the order keeps the member's."""
    order = placed_order({stall.product: 1})
    phone = push_service.device()
    subscribe(client, stall.owner, phone)
    follow(client, order, phone)
    row = PushSubscription.objects.get()
    assert row.user == stall.owner and list(row.orders.all()) == [order]
    body = json.dumps({"endpoint": phone.endpoint})
    answer = client.post(f"/orders/{order.code}/push/unsubscribe/", body, content_type="application/json")
    assert (
        answer.status_code == 200 and answer.json()["message"] == "Đã tắt báo về đơn này trên điện thoại này."
    )
    row.refresh_from_db()
    assert row.user == stall.owner and list(row.orders.all()) == []


# The subscribe and unsubscribe views.


def test_subscribing_again_from_the_same_phone_keeps_one_row(client, stall, push_service):
    """A double tap or a lost reply: the same endpoint is one subscription, with its newest keys; a
    phone handed to another member follows whoever subscribed last."""
    phone = push_service.device()
    first = subscribe(client, stall.owner, phone)
    assert first.json() == {"ok": True, "message": "Điện thoại này sẽ báo cho bạn khi có đơn mới."}
    subscribe(client, stall.owner, phone)
    assert PushSubscription.objects.count() == 1
    subscribe(client, stall.member, phone)
    assert PushSubscription.objects.get().user == stall.member


def test_unsubscribing_removes_the_phone_and_is_harmless_to_repeat(client, stall, push_service):
    phone = push_service.device()
    subscribe(client, stall.owner, phone)
    client.force_login(stall.owner)
    body = json.dumps(phone.subscription_json())
    for _ in range(2):
        answer = client.post(UNSUBSCRIBE, body, content_type="application/json")
        assert (
            answer.status_code == 200
            and answer.json()["message"] == "Đã tắt báo đơn mới trên điện thoại này."
        )
    assert PushSubscription.objects.count() == 0


def test_a_member_cannot_unsubscribe_someone_elses_phone(client, stall, push_service):
    phone = push_service.device()
    subscribe(client, stall.owner, phone)
    client.force_login(stall.member)
    client.post(UNSUBSCRIBE, json.dumps({"endpoint": phone.endpoint}), content_type="application/json")
    assert PushSubscription.objects.get().user == stall.owner


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'{"endpoint": "https://push.example/x"}',
        b'{"endpoint": "https://push.example/x", "keys": {"p256dh": "", "auth": "a"}}',
        b'{"endpoint": "https://push.example/x", "keys": "abc"}',
        b'{"endpoint": 5, "keys": {"p256dh": "p", "auth": "a"}}',
        b'{"endpoint": "ftp://push.example/x", "keys": {"p256dh": "p", "auth": "a"}}',
        b'{"endpoint": "https://' + b"a" * 5000 + b'", "keys": {"p256dh": "p", "auth": "a"}}',
        # Keys that are not keys: RFC 8291 could never encrypt for them.
        b'{"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": {"p256dh": "p", "auth": "a"}}',
        b'{"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": {"p256dh": "%s", "auth": "%s"}}'
        % (b"B" + b"A" * 86, b"A" * 22),
        b'{"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": {"p256dh": "%s", "auth": "ab"}}'
        % GOOD_KEYS["p256dh"].encode(),
        # A compressed point: a P-256 key, but not one pywebpush can encrypt for.
        b'{"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": {"p256dh": "%s", "auth": "%s"}}'
        % (COMPRESSED_KEY.encode(), GOOD_KEYS["auth"].encode()),
        b'{"endpoint": "https://fcm.googleapis.com/fcm/send/x", '
        b'"keys": {"p256dh": "\\u00e9\\u00e9", "auth": "%s"}}' % GOOD_KEYS["auth"].encode(),
    ],
)
def test_a_body_that_is_not_a_subscription_gets_400_and_a_message(client, stall, vapid, body):
    client.force_login(stall.owner)
    response = client.post(SUBSCRIBE, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["message"].startswith("Trình duyệt gửi thông tin đăng ký không hợp lệ.")
    assert PushSubscription.objects.count() == 0


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/x",
        "https://10.0.0.1/x",
        "https://[::1]/x",
        "https://localhost/x",
        "https://localhost./x",
        "https://127.0.0.1./x",
        "https://127.1/x",
        "https://0x7f.1/x",
        "https://127.0.0.1.nip.io:6379/x",
        "https://fcm.googleapis.com:6379/fcm/send/x",
        "https://fcm.googleapis.com.example.com/fcm/send/x",
        "https://evilfcm.googleapis.com/fcm/send/x",
        "https://user@fcm.googleapis.com/fcm/send/x",
        "https://fcm.googleapis.com:99999/x",
        "https://10.0.0.5\\.fcm.googleapis.com/x",
        "https://10.0.0.5%2f.fcm.googleapis.com/x",
        "https://10.0.0.5 .fcm.googleapis.com/x",
        "https://10.0.0.5#@fcm.googleapis.com/x",
    ],
)
def test_endpoints_a_push_service_would_not_have_are_refused(client, stall, vapid, settings, endpoint):
    """Only the browsers' push services, https on the standard port: the workers are never sent
    to plain http, another port or a host that could lead inside the network."""
    settings.PUSH_ALLOW_HTTP = False
    client.force_login(stall.owner)
    body = {"endpoint": endpoint, "keys": GOOD_KEYS}
    assert client.post(SUBSCRIBE, json.dumps(body), content_type="application/json").status_code == 400
    assert PushSubscription.objects.count() == 0


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://fcm.googleapis.com:443/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/abc",
        "https://wns2-par02p.notify.windows.com/w/?token=abc",
        "https://web.push.apple.com/QGabc",
    ],
)
def test_the_browsers_push_services_are_taken(client, stall, vapid, settings, endpoint):
    """Chrome's (and Cốc Cốc's, Samsung Internet's), Firefox's, Edge's and Safari's."""
    settings.PUSH_ALLOW_HTTP = False
    client.force_login(stall.owner)
    body = {"endpoint": endpoint, "keys": GOOD_KEYS}
    assert client.post(SUBSCRIBE, json.dumps(body), content_type="application/json").status_code == 200
    assert PushSubscription.objects.get().endpoint == endpoint


def test_another_push_service_can_be_allowed_by_settings(client, stall, vapid, settings):
    settings.PUSH_ALLOW_HTTP = False
    settings.PUSH_SERVICE_HOSTS = ["push.example.vn"]
    client.force_login(stall.owner)
    for endpoint, status in [("https://a.push.example.vn/x", 200), ("https://fcm.googleapis.com/x", 400)]:
        body = {"endpoint": endpoint, "keys": GOOD_KEYS}
        assert client.post(SUBSCRIBE, json.dumps(body), content_type="application/json").status_code == status


def test_a_buyer_may_have_a_few_phones_follow_an_order_not_a_list(client, stall, push_service):
    """Five phones may follow one order; a sixth is refused with a message, while one of the five
    subscribing again is still fine."""
    order = placed_order({stall.product: 1})
    phones = [push_service.device() for _ in range(6)]
    for phone in phones[:5]:
        assert follow(client, order, phone).status_code == 200
    refused = follow(client, order, phones[5])
    assert refused.status_code == 400
    assert refused.json()["message"] == (
        "Đã có 5 điện thoại nhận thông báo. Hãy tắt báo trên một điện thoại cũ rồi thử lại."
    )
    assert follow(client, order, phones[0]).status_code == 200
    assert order.push_subscriptions.count() == 5


def test_subscribing_needs_sign_in_an_order_role_a_post_and_the_csrf_token(stall, vapid, push_service):
    from django.test import Client

    body = json.dumps(push_service.device().subscription_json())
    anonymous = Client()
    assert anonymous.post(SUBSCRIBE, body, content_type="application/json").status_code == 302
    helper = Client()
    helper.force_login(stall.helper)
    assert helper.post(SUBSCRIBE, body, content_type="application/json").status_code == 403
    owner = Client()
    owner.force_login(stall.owner)
    assert owner.get(SUBSCRIBE).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(stall.owner)
    assert strict.post(SUBSCRIBE, body, content_type="application/json").status_code == 403
    assert PushSubscription.objects.count() == 0


def test_without_vapid_keys_push_is_off_and_its_buttons_hidden(client, stall):
    """No keys: no box on the dashboard home or the order page, and the address answers 404."""
    client.force_login(stall.owner)
    assert "data-push-key" not in client.get("/dashboard/").content.decode()
    body = {"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": GOOD_KEYS}
    assert client.post(SUBSCRIBE, json.dumps(body), content_type="application/json").status_code == 404
    order = placed_order({stall.product: 1})
    session = client.session
    session["orders"] = [order.code]
    session.save()
    page = client.get(f"/orders/{order.code}/").content.decode()
    assert "data-push-key" not in page and "push.js" not in page


def test_the_dashboard_home_offers_the_button_to_owners_and_members_only(client, stall, vapid):
    client.force_login(stall.owner)
    page = client.get("/dashboard/").content.decode()
    assert f'data-push-key="{vapid}"' in page and "Báo cho tôi khi có đơn mới" in page
    assert 'src="/static/js/push.js"' in page
    client.force_login(stall.helper)
    assert "data-push-key" not in client.get("/dashboard/").content.decode()


def test_vapid_keys_prints_a_pair_a_push_service_accepts(settings):
    """The management command's lines, pasted into the environment, sign pushes that verify."""
    import io

    from django.core.management import call_command

    from storefront.lib.webpush import Subscription, push_send

    out = io.StringIO()
    call_command("vapid_keys", "--subject", "mailto:cho@example.vn", stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().split())
    assert set(lines) == {"VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY", "VAPID_SUBJECT"}
    for name, value in lines.items():
        setattr(settings, name, value)
    settings.PUSH_ALLOW_HTTP = True
    settings.PUSH_SERVICE_HOSTS = ["127.0.0.1"]
    with PushService(lines["VAPID_PUBLIC_KEY"]) as service:
        phone = service.device()
        keys = phone.subscription_json()["keys"]
        push_send(
            subscription=Subscription(phone.endpoint, keys["p256dh"], keys["auth"]), message={"title": "Thử"}
        )
    assert service.problems == [] and service.delivered(phone) == [{"title": "Thử"}]


def test_a_push_refused_for_good_is_logged_and_dropped(
    client, stall, vapid, caplog, django_capture_on_commit_callbacks
):
    """A push service that refuses the signature (the site's keys were changed since the phone
    subscribed) answers 403: no retry would help, so it is logged and the order goes on."""
    with PushService(vapid_keys_new()[1]) as other_key:
        phone = other_key.device()
        subscribe(client, stall.owner, phone)
        with django_capture_on_commit_callbacks(execute=True):
            order = placed_order({stall.product: 1})
    assert other_key.problems == ["signed with another key than VAPID_PUBLIC_KEY"]
    assert other_key.delivered() == []
    assert "refused for good" in caplog.text
    assert Order.objects.get(pk=order.pk).cooperative_orders.count() == 1
    # Kept: a 403 may also mean a subject the push service refuses, which the settings mend.
    assert PushSubscription.objects.count() == 1
    assert not Notice.objects.filter(channel="push").exists()


def test_a_phone_stored_with_keys_no_one_could_encrypt_for_is_forgotten(
    stall, push_service, caplog, django_capture_on_commit_callbacks
):
    """A row saved before keys were checked on subscribing: its message cannot be encrypted, so
    the job forgets the phone at once instead of failing and retrying for hours."""
    phone = push_service.device()
    PushSubscription.objects.create(endpoint=phone.endpoint, p256dh="p", auth="a", user=stall.owner)
    with django_capture_on_commit_callbacks(execute=True):
        placed_order({stall.product: 1})
    assert push_service.received == []
    assert not PushSubscription.objects.exists()
    assert "is gone; removed" in caplog.text


def test_stall_push_tells_the_stall_its_money_arrived(
    client, stall, push_service, django_capture_on_commit_callbacks
):
    """The call for a transfer matched by itself: the owner's phone hears that the part is paid."""
    from orders import notifications

    phone = push_service.device()
    subscribe(client, stall.owner, phone)
    order = placed_order({stall.product: 1}, payment_method="bank_transfer")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.stall_push(part=order.cooperative_orders.get(), notice="paid_stall")
    assert push_service.delivered(phone)[-1]["title"] == (
        f"Đã nhận tiền đơn {order.code} · 1 sản phẩm · 285.000\u00a0₫"
    )


def test_a_member_made_a_helper_since_subscribing_hears_of_no_new_order(
    client, stall, push_service, django_capture_on_commit_callbacks
):
    """Helpers do not handle orders: a phone subscribed while its person was a member stops
    ringing the moment the owner makes them a helper."""
    from products.models import Membership

    phone = push_service.device()
    subscribe(client, stall.member, phone)
    Membership.objects.filter(user=stall.member, cooperative=stall.cooperative).update(
        role=Membership.Role.HELPER
    )
    with django_capture_on_commit_callbacks(execute=True):
        placed_order({stall.product: 1})
    assert push_service.delivered(phone) == []


def test_a_phone_stored_for_an_address_no_longer_taken_is_forgotten_unsent(
    stall, push_service, settings, caplog, django_capture_on_commit_callbacks
):
    """A row stored before the push services were listed (or under a wider list): the job checks
    it again and posts nothing to it."""
    phone = push_service.device()
    PushSubscription.objects.create(
        endpoint=phone.endpoint, **phone.subscription_json()["keys"], user=stall.owner
    )
    settings.PUSH_SERVICE_HOSTS = ["fcm.googleapis.com"]
    with django_capture_on_commit_callbacks(execute=True):
        placed_order({stall.product: 1})
    assert push_service.received == []
    assert not PushSubscription.objects.exists()


def test_a_bad_vapid_key_of_ours_forgets_no_phone(
    client, stall, push_service, settings, django_capture_on_commit_callbacks
):
    """A mistyped VAPID_PRIVATE_KEY fails the job (to be retried once the setting is mended);
    the phones stay subscribed."""
    phone = push_service.device()
    subscribe(client, stall.owner, phone)
    settings.VAPID_PRIVATE_KEY = "'" + settings.VAPID_PRIVATE_KEY[:20]
    with django_capture_on_commit_callbacks(execute=True):
        placed_order({stall.product: 1})
    assert push_service.received == []
    assert PushSubscription.objects.filter(endpoint=phone.endpoint).exists()


def test_a_phone_subscribing_anew_for_new_keys_keeps_every_side_it_was_for(client, stall, push_service):
    """The same phone told the owner of new orders and followed an order as a buyer; made anew for
    new VAPID keys from the dashboard, it still does both. Naming another person's subscription
    moves nothing of theirs."""
    old, new, stranger = push_service.device(), push_service.device(), push_service.device()
    order = placed_order({stall.product: 1})
    subscribe(client, stall.owner, old)
    assert follow(client, order, old).status_code == 200
    client.force_login(stall.owner)
    body = {**new.subscription_json(), "replaces": old.endpoint}
    assert client.post(SUBSCRIBE, json.dumps(body), content_type="application/json").status_code == 200
    row = PushSubscription.objects.get()
    assert row.endpoint == new.endpoint and row.user == stall.owner
    assert list(row.orders.all()) == [order]

    client.force_login(stall.member)
    body = {**stranger.subscription_json(), "replaces": new.endpoint}
    assert client.post(SUBSCRIBE, json.dumps(body), content_type="application/json").status_code == 200
    assert PushSubscription.objects.get(endpoint=new.endpoint).user == stall.owner
    assert list(PushSubscription.objects.get(endpoint=stranger.endpoint).orders.all()) == []
