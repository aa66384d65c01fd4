"""The dashboard as an app in Chromium: the service worker registers for /dashboard/ only, the
manifest and its icons load, and the "tell me" box appears where the browser can push."""

import json

import pytest
from django.core import signing

from orders.views import PLACED_COOKIE, PLACED_SALT
from storefront.lib.money import vnd
from storefront.lib.webpush import vapid_keys_new
from tests.dashboard import make_stall
from tests.e2e.conftest import Journey
from tests.factories import placed_order


@pytest.fixture
def vapid(settings):
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = vapid_keys_new()
    settings.VAPID_SUBJECT = "mailto:cho@example.vn"


def sign_in(page, base: str, user):
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "secret-pass-123")
    page.click("main button[type=submit]")
    page.wait_for_url("**/dashboard/")


def test_the_dashboard_registers_its_service_worker_and_offers_alerts(
    live_server, transactional_db, browser, vapid
):
    """On the dashboard home at 360 px: the worker's scope is /dashboard/ (nothing else), the
    manifest's icons are real PNGs of their sizes, the button is a big target and the page passes
    the journey checks."""
    stall = make_stall()
    placed_order({stall.product: 1})
    journey = Journey(browser, "push", {"width": 360, "height": 740})
    try:
        page = journey.open()
        page.context.grant_permissions(["notifications"], origin=live_server.url)
        sign_in(page, live_server.url, stall.owner)
        box = page.locator(".push-optin")
        box.wait_for(state="visible")
        scope = page.evaluate(
            "navigator.serviceWorker.getRegistration('/dashboard/').then(r => r && r.scope)"
        )
        assert scope == live_server.url + "/dashboard/"
        assert (
            page.evaluate("navigator.serviceWorker.getRegistration('/').then(r => r ? r.scope : null)")
            is None
        )
        assert page.locator(".push-on").inner_text() == "Báo cho tôi khi có đơn mới"
        assert page.locator(".push-on").bounding_box()["height"] >= 44
        manifest = json.loads(
            page.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.text())")
        )
        assert manifest["scope"] == manifest["start_url"] == "/dashboard/"
        for icon in manifest["icons"]:
            size = page.evaluate(
                """src => new Promise(done => {
                  const image = new Image();
                  image.onload = () => done(image.naturalWidth + "x" + image.naturalHeight);
                  image.onerror = () => done("error");
                  image.src = src;
                })""",
                icon["src"],
            )
            assert size == icon["sizes"]
        box.scroll_into_view_if_needed()
        journey.check(page, "dashboard-home")
        # Headless Chromium has no push service (it says so on its console): the phone is told
        # plainly, and the button stays for another try.
        page.click(".push-on")
        # A selector, not wait_for_function: a string predicate is eval'd, which the CSP refuses.
        page.locator(".push-state:not(:empty)").wait_for()
        assert page.locator(".push-state").inner_text() == "Chưa bật được thông báo. Hãy thử lại sau."
        assert page.locator(".push-on").is_enabled() and page.locator(".push-off").is_hidden()
    finally:
        journey.close()


def test_a_buyer_can_opt_in_on_the_order_page_only(live_server, transactional_db, browser, vapid):
    """The order page shows the box and registers the same worker (scope /dashboard/); the public
    product page carries no push script."""
    stall = make_stall()
    order = placed_order({stall.product: 1})
    journey = Journey(browser, "push-buyer", {"width": 360, "height": 740})
    try:
        page = journey.open()
        signer = signing.get_cookie_signer(salt=PLACED_COOKIE + PLACED_SALT)
        page.context.add_cookies(
            [{"name": PLACED_COOKIE, "value": signer.sign(order.code), "url": live_server.url}]
        )
        page.goto(live_server.url + stall.product.get_absolute_url())
        assert page.locator("script[src*='push']").count() == 0
        page.goto(live_server.url + order.get_absolute_url())
        page.locator(".push-optin").wait_for(state="visible")
        assert page.locator(".push-on").inner_text() == "Báo cho tôi khi đơn có tin mới"
        assert page.locator(".push-on").bounding_box()["height"] >= 44
        scope = page.evaluate(
            "navigator.serviceWorker.getRegistration('/dashboard/').then(r => r && r.scope)"
        )
        assert scope == live_server.url + "/dashboard/"
        page.locator(".push-optin").scroll_into_view_if_needed()
        journey.check(page, "order-page")
    finally:
        journey.close()


# Headless Chromium has no push service, so the page's PushManager is replaced by one that hands
# out subscriptions of the local stand-in push service (tests/push_service.py), one per subscribe
# call, and remembers the phone's current one across pages, as a browser does.
FAKE_PUSH_MANAGER = """
(() => {
  const saved = () => JSON.parse(localStorage.getItem("fake-push") || "null") || {current: null, used: 0};
  const save = (state) => localStorage.setItem("fake-push", JSON.stringify(state));
  const devices = %s;
  const wrap = (made) => made && {
    endpoint: made.json.endpoint,
    options: {userVisibleOnly: true, applicationServerKey: new Uint8Array(made.key).buffer},
    toJSON: () => made.json,
    unsubscribe: () => {
      const state = saved();
      state.current = null;
      save(state);
      return Promise.resolve(true);
    },
  };
  PushManager.prototype.getSubscription = function () { return Promise.resolve(wrap(saved().current)); };
  PushManager.prototype.subscribe = function (options) {
    const state = saved();
    const made = {json: devices[state.used], key: Array.from(new Uint8Array(options.applicationServerKey))};
    state.used += 1;
    state.current = made;
    save(state);
    return Promise.resolve(wrap(made));
  };
})();
"""


def test_a_tap_subscribes_the_phone_and_new_keys_move_it_without_another(
    live_server, transactional_db, browser, settings
):
    """The owner taps the button: the phone's subscription reaches the site and the next order's
    alert is decrypted on it. The site's VAPID keys are then replaced: when the dashboard opens
    again, the phone drops the subscription made for the old key, makes one for the new key and
    the site forgets the old one, so the next order reaches it with no tap."""
    from orders.models import PushSubscription
    from tests.push_service import PushService, unb64url

    settings.PUSH_ALLOW_HTTP = True
    settings.PUSH_SERVICE_HOSTS = [*settings.PUSH_SERVICE_HOSTS, "127.0.0.1"]
    settings.VAPID_SUBJECT = "mailto:cho@example.vn"
    first_keys, second_keys = vapid_keys_new(), vapid_keys_new()
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = first_keys
    stall = make_stall()
    journey = Journey(browser, "push-subscribed", {"width": 360, "height": 740})
    with PushService(first_keys[1]) as before, PushService(second_keys[1]) as after:
        old_phone, new_phone = before.device(), after.device()
        try:
            page = journey.open()
            page.context.grant_permissions(["notifications"], origin=live_server.url)
            page.context.add_init_script(
                FAKE_PUSH_MANAGER % json.dumps([old_phone.subscription_json(), new_phone.subscription_json()])
            )
            sign_in(page, live_server.url, stall.owner)
            page.click(".push-on")
            page.locator(".push-off:visible").wait_for()
            assert page.locator(".push-state").inner_text() == "Điện thoại này sẽ báo cho bạn khi có đơn mới."
            assert PushSubscription.objects.get().endpoint == old_phone.endpoint
            journey.check(page, "subscribed")
            first = placed_order({stall.product: 1})
            assert [m["title"] for m in before.delivered(old_phone)] == [
                f"Đơn mới {first.code} · 1 sản phẩm · {vnd(first.cooperative_orders.get().total)}"
            ]

            settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = second_keys
            page.goto(live_server.url + "/dashboard/")
            page.locator(".push-state:not(:empty)").wait_for()
            assert page.locator(".push-off").is_visible()
            subscription = PushSubscription.objects.get()
            assert subscription.endpoint == new_phone.endpoint and subscription.user == stall.owner
            made_with = page.evaluate("JSON.parse(localStorage.getItem('fake-push')).current.key")
            assert bytes(made_with) == unb64url(second_keys[1])
            second = placed_order({stall.product: 1})
            assert [m["title"] for m in after.delivered(new_phone)] == [
                f"Đơn mới {second.code} · 1 sản phẩm · {vnd(second.cooperative_orders.get().total)}"
            ]
            assert len(before.received) == 1
        finally:
            journey.close()
