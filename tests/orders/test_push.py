"""Web Push: phones subscribe from the dashboard and the order page, and the messages reach a local
stand-in push service (tests/push_service.py) that checks the VAPID token and decrypts them with
the test subscription's own keys, as a phone would."""

import json

import pytest
from django.core import mail
from huey.contrib.djhuey import HUEY

from orders import services
from orders.models import Notice, Order, PushSubscription
from storefront.lib.webpush import vapid_keys_new
from tests.dashboard import make_stall
from tests.factories import ProductFactory, placed_order
from tests.push_service import PushService

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/dashboard/push/subscribe/"
UNSUBSCRIBE = "/dashboard/push/unsubscribe/"


@pytest.fixture
def vapid(settings):
    private, public = vapid_keys_new()
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = private, public
    settings.VAPID_SUBJECT = "mailto:cho@example.vn"
    settings.PUSH_ALLOW_HTTP = True  # the stand-in speaks plain http on 127.0.0.1
    return public


@pytest.fixture
def push_service(vapid):
    with PushService(vapid) as service:
        yield service


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


def test_a_phone_the_push_service_says_is_gone_is_forgotten(
    client, stall, push_service, django_capture_on_commit_callbacks
):
    """410 Gone: the subscription is removed; the order, the other phone and the mail are not."""
    gone, kept = push_service.device(), push_service.device()
    gone.answers = [410]
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
