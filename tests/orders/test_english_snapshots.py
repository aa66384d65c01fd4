"""An order remembers its English names too: the buyer's English pages and mail show them, the
stall's pages keep the Vietnamese they work in."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from orders import services
from orders.models import OrderItem
from products.models import Membership
from tests.factories import (
    CooperativeFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
    placed_order,
)
from tests.products.test_english import vietnamese_marked

pytestmark = pytest.mark.django_db


@pytest.fixture
def honey():
    stall = CooperativeFactory(name="HTX Mật ong Mèo Vạc", name_en="Meo Vac Honey Cooperative")
    return ProductFactory(
        cooperative=stall,
        name="Mật ong bạc hà",
        name_en="Mint honey",
        unit="chai 500 ml",
        unit_en="bottle 500 ml",
        stock=10,
    )


@pytest.fixture
def scarf():
    return ProductFactory(
        cooperative=CooperativeFactory(name="HTX Thêu Mai Châu"), name="Khăn piêu", unit="chiếc"
    )


def english_order_page(client, order) -> str:
    """The order page as an English buyer reaches it from another phone: tracking, then the page."""
    with translation.override("en"):
        track, page = reverse("orders:order-track"), order.get_absolute_url()
    response = client.post(track, {"code": order.code, "phone": order.phone})
    assert response.status_code == 303 and response["Location"] == page
    return client.get(page).content.decode()


def test_the_order_keeps_the_english_names_it_was_placed_with(honey):
    order = placed_order({honey: 1})
    honey.name_en, honey.unit_en = "Renamed", "jar"
    honey.save()
    part = order.cooperative_orders.get()
    item = part.items.get()
    assert part.cooperative_name_en == "Meo Vac Honey Cooperative"
    assert (item.product_name_en, item.unit_en) == ("Mint honey", "bottle 500 ml")


def test_english_order_page_shows_the_english_snapshot_and_marks_the_vietnamese(client, honey, scarf):
    order = placed_order({honey: 1, scarf: 1})
    page = english_order_page(client, order)
    assert re.search(r'<h2 class="stall-title" id="part-\d+">Meo Vac Honey Cooperative</h2>', page)
    assert '<span class="line-name">Mint honey</span>' in page
    assert "/ <span>bottle 500 ml</span> × 1" in page
    assert {"HTX Thêu Mai Châu", "Khăn piêu", "chiếc"} <= vietnamese_marked(page)
    assert "Mật ong bạc hà" not in page and "chai 500 ml" not in page and "HTX Mật ong" not in page


def test_an_order_from_before_english_snapshots_falls_back_marked(client, honey):
    order = placed_order({honey: 1})
    order.cooperative_orders.update(cooperative_name_en="")
    OrderItem.objects.filter(cooperative_order__order=order).update(product_name_en="", unit_en="")
    page = english_order_page(client, order)
    assert {"HTX Mật ong Mèo Vạc", "Mật ong bạc hà", "chai 500 ml"} <= vietnamese_marked(page)


def test_vietnamese_order_page_shows_the_vietnamese_snapshot(client, honey):
    order = placed_order({honey: 1})
    client.post(reverse("orders:order-track"), {"code": order.code, "phone": order.phone})
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Mật ong bạc hà" in page and "chai 500 ml" in page and "HTX Mật ong Mèo Vạc" in page
    assert "Mint honey" not in page and "Meo Vac Honey" not in page


def test_english_buyer_mail_names_the_stall_and_products_in_english(
    honey, django_capture_on_commit_callbacks
):
    honey.cooperative.email = "htx@example.vn"
    honey.cooperative.save()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        order = placed_order({honey: 2}, email="anna@example.com")
    (buyer,) = [m for m in mail.outbox if m.to == ["anna@example.com"]]
    (stall,) = [m for m in mail.outbox if m.to == ["htx@example.vn"]]
    assert "== Meo Vac Honey Cooperative ==" in buyer.body
    assert "- Mint honey (bottle 500 ml) × 2" in buyer.body
    assert "- Mật ong bạc hà (chai 500 ml) × 2" in stall.body and "Mint honey" not in stall.body

    mail.outbox.clear()
    with translation.override("vi"), django_capture_on_commit_callbacks(execute=True):
        services.cooperative_order_confirm(cooperative_order=order.cooperative_orders.get(), actor=None)
    (update,) = mail.outbox
    assert "Meo Vac Honey Cooperative" in update.subject and "Meo Vac Honey Cooperative" in update.body


def test_the_stall_reads_the_vietnamese_snapshot_even_on_english_pages(client, honey):
    order = placed_order({honey: 1})
    part = order.cooperative_orders.get()
    owner = UserFactory()
    MembershipFactory(user=owner, cooperative=honey.cooperative, role=Membership.Role.OWNER)
    client.force_login(owner)
    with translation.override("en"):
        urls = [
            reverse(name, args=[part.pk])
            for name in ("dashboard-orders:detail", "dashboard-orders:packing-slip")
        ]
    for url in urls:
        page = client.get(url).content.decode()
        assert "Mật ong bạc hà" in page and "chai 500 ml" in page, url
        assert "Mint honey" not in page and "bottle 500 ml" not in page, url
