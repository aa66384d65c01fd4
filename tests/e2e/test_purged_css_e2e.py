"""The pages link only the Bootstrap rules they use (static/vendor/bootstrap/bootstrap.used.css,
made by `make css` with PurgeCSS). Each page is photographed at 360 px with that file and again
with the whole of Bootstrap served in its place: the two pictures must be the same, pixel for
pixel, or a rule the page needs was purged."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image, ImageChops

from tests.factories import CooperativeFactory, MembershipFactory, ProductFactory, placed_order

pytestmark = pytest.mark.django_db(transaction=True)

FULL = Path(settings.BASE_DIR) / "static" / "vendor" / "bootstrap" / "bootstrap.min.css"


def shot(context, url: str, *, full_bootstrap: bool) -> Image.Image:
    page = context.new_page()
    if full_bootstrap:
        page.route(
            "**/bootstrap.used.css", lambda route: route.fulfill(path=str(FULL), content_type="text/css")
        )
    page.goto(url)
    page.wait_for_load_state("networkidle")
    picture = Image.open(io.BytesIO(page.screenshot(full_page=True, animations="disabled"))).convert("RGB")
    page.close()
    return picture


def looks_different(context, site: str, path: str) -> bool:
    """Both pictures of the page differ; they are kept (E2E_SCREENSHOTS) to show where."""
    purged, full = (shot(context, site + path, full_bootstrap=whole) for whole in (False, True))
    if purged.size == full.size and not ImageChops.difference(purged, full).getbbox():
        return False
    folder = Path(os.environ.get("E2E_SCREENSHOTS", Path(__file__).parent / "screenshots-out")) / "purged-css"
    folder.mkdir(parents=True, exist_ok=True)
    name = path.strip("/").replace("/", "-").replace("?", "-") or "home"
    purged.save(folder / f"{name}-purged.png")
    full.save(folder / f"{name}-full.png")
    return True


def test_every_page_looks_the_same_with_the_purged_stylesheet(live_server, browser):
    stall = CooperativeFactory(is_verified=True)
    owner = MembershipFactory(cooperative=stall, role="owner").user
    owner.set_password("secret-pass-123")
    owner.save()
    products = [ProductFactory(cooperative=stall, stock=20) for _ in range(3)]
    order = placed_order({products[0]: 1}, payment_method="bank_transfer")
    part = order.cooperative_orders.get()

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    shopper = context.new_page()
    shopper.goto(live_server.url + products[1].get_absolute_url())
    shopper.click("form.add-to-cart button[type=submit]")
    shopper.close()
    public = [
        "/",
        "/products/",
        "/products/?q=zzzz",
        products[1].get_absolute_url(),
        stall.get_absolute_url(),
        "/cooperatives/",
        "/cart/",
        "/checkout/",
        "/orders/track/",
        "/accounts/login/",
        "/no-such-page/",
    ]
    differences = []
    for path in public:
        if looks_different(context, live_server.url, path):
            differences.append(path)

    producer = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    login = producer.new_page()
    login.goto(live_server.url + "/accounts/login/")
    login.fill("#id_username", owner.username)
    login.fill("#id_password", "secret-pass-123")
    login.click("main button[type=submit]")
    login.wait_for_url("**/dashboard/")
    login.close()
    for path in [
        "/dashboard/",
        "/dashboard/products/",
        "/dashboard/products/new/",
        f"/dashboard/products/{products[0].pk}/",
        "/dashboard/orders/",
        f"/dashboard/orders/{part.pk}/",
        "/dashboard/cooperative/",
        "/dashboard/orders/transfers/",
    ]:
        if looks_different(producer, live_server.url, path):
            differences.append(path)
    context.close()
    producer.close()
    assert differences == [], "these pages need Bootstrap rules that were purged: run `make css`"
