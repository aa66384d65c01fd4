"""Isolation: every dashboard URL and POST action against every kind of user.

Stall A has an owner, a member and a helper; stall B has a member (and an owner). Staff have no
membership. Expected: anonymous → sign-in; another stall's object → 404; a role that may not use
the page → 403; staff without a membership → 403 (they work in Django admin); allowed → 200/302.
"""

from dataclasses import dataclass

import pytest
from django.test import Client

from products.models import Membership, Product, ProductImage
from tests.dashboard import make_stall, photo_formset_data, product_data
from tests.factories import CategoryFactory, MembershipFactory, ProductImageFactory, UserFactory, placed_order

pytestmark = pytest.mark.django_db

USERS = ["anon", "member_a", "member_b", "helper_a", "owner_a", "staff"]


@dataclass
class World:
    a: object
    b: object
    users: dict
    photo_a: ProductImage
    part_a: object
    part_b: object
    membership_b: Membership
    helper_membership_a: Membership


@pytest.fixture
def world() -> World:
    a = make_stall("HTX An Toàn A", stock=50)
    b = make_stall("HTX Bình Yên B", stock=50)
    staff = UserFactory(is_staff=True, is_superuser=True)
    photo_a = ProductImageFactory(product=a.product)
    ProductImageFactory(product=b.product)
    order_a = placed_order({a.product: 1}, full_name="Khách Của A", payment_method="bank_transfer")
    order_b = placed_order({b.product: 1}, full_name="Khách Của B")
    return World(
        a=a,
        b=b,
        users={
            "anon": None,
            "member_a": a.member,
            "member_b": b.member,
            "helper_a": a.helper,
            "owner_a": a.owner,
            "staff": staff,
        },
        photo_a=photo_a,
        part_a=order_a.cooperative_orders.get(),
        part_b=order_b.cooperative_orders.get(),
        membership_b=Membership.objects.get(user=b.member),
        helper_membership_a=Membership.objects.get(user=a.helper),
    )


def expect(*, anon=302, member_a, member_b, helper_a, owner_a, staff=403) -> dict:
    return {
        "anon": anon,
        "member_a": member_a,
        "member_b": member_b,
        "helper_a": helper_a,
        "owner_a": owner_a,
        "staff": staff,
    }


def a_object(ok: int) -> dict:
    """Stall A's object, open to every role of A; stall B's member gets 404."""
    return expect(member_a=ok, member_b=404, helper_a=ok, owner_a=ok)


def a_order(ok: int) -> dict:
    """Stall A's order: owner and member only; helpers 403; stall B's member 404."""
    return expect(member_a=ok, member_b=404, helper_a=403, owner_a=ok)


def own_stall(ok: int) -> dict:
    """A page about the user's own current stall, open to every role."""
    return expect(member_a=ok, member_b=ok, helper_a=ok, owner_a=ok)


def owner_only(ok: int) -> dict:
    return expect(member_a=403, member_b=403, helper_a=403, owner_a=ok)


def edit_data(w: World, product) -> dict:
    data = product_data(category=product.category, name=product.name)
    data.update(photo_formset_data(product))
    return data


PROFILE = {"name": "HTX Đổi Tên", "province": "08", "shipping_fee": "30000"}

# (label, method, path(w), data(w) or None, expected status per user)
TABLE = [
    ("home", "get", lambda w: "/dashboard/", None, own_stall(200)),
    ("chooser", "get", lambda w: "/dashboard/choose/", None, own_stall(200)),
    (
        "choose stall A",
        "post",
        lambda w: "/dashboard/choose/",
        lambda w: {"cooperative": w.a.cooperative.pk},
        a_object(302),
    ),
    ("product list", "get", lambda w: "/dashboard/products/", None, own_stall(200)),
    ("add product page", "get", lambda w: "/dashboard/products/new/", None, own_stall(200)),
    (
        "add product",
        "post",
        lambda w: "/dashboard/products/new/",
        lambda w: product_data(category=CategoryFactory(), name="Sản phẩm mới"),
        own_stall(302),
    ),
    (
        "edit page of A's product",
        "get",
        lambda w: f"/dashboard/products/{w.a.product.pk}/",
        None,
        a_object(200),
    ),
    (
        "edit A's product",
        "post",
        lambda w: f"/dashboard/products/{w.a.product.pk}/",
        lambda w: edit_data(w, w.a.product),
        a_object(302),
    ),
    (
        "delete A's photo through A's product",
        "post",
        lambda w: f"/dashboard/products/{w.a.product.pk}/",
        lambda w: {
            **edit_data(w, w.a.product),
            **photo_formset_data(w.a.product, {w.photo_a.pk: {"DELETE": "on"}}),
        },
        a_object(302),
    ),
    (
        "quick update A's product",
        "post",
        lambda w: f"/dashboard/products/{w.a.product.pk}/quick/",
        lambda w: {f"p{w.a.product.pk}-price": "1000", f"p{w.a.product.pk}-stock": "1"},
        a_object(302),
    ),
    (
        "duplicate A's product",
        "post",
        lambda w: f"/dashboard/products/{w.a.product.pk}/duplicate/",
        None,
        a_object(302),
    ),
    (
        "delete page of A's product",
        "get",
        lambda w: f"/dashboard/products/{w.a.product.pk}/delete/",
        None,
        a_object(200),
    ),
    (
        "delete A's product",
        "post",
        lambda w: f"/dashboard/products/{w.a.product.pk}/delete/",
        None,
        a_object(302),
    ),
    (
        "restore A's product",
        "post",
        lambda w: f"/dashboard/products/{w.a.product.pk}/restore/",
        None,
        a_object(302),
    ),
    ("profile page", "get", lambda w: "/dashboard/cooperative/", None, owner_only(200)),
    ("save profile", "post", lambda w: "/dashboard/cooperative/", lambda w: PROFILE, owner_only(302)),
    ("members page", "get", lambda w: "/dashboard/members/", None, owner_only(200)),
    (
        "add member",
        "post",
        lambda w: "/dashboard/members/",
        lambda w: {"identifier": UserFactory().username, "role": "helper"},
        owner_only(302),
    ),
    (
        "remove A's helper",
        "post",
        lambda w: f"/dashboard/members/{w.helper_membership_a.pk}/remove/",
        None,
        owner_only(302),
    ),
    (
        "remove B's member",
        "post",
        lambda w: f"/dashboard/members/{w.membership_b.pk}/remove/",
        None,
        owner_only(404),
    ),
    (
        "order list",
        "get",
        lambda w: "/dashboard/orders/",
        None,
        expect(member_a=200, member_b=200, helper_a=403, owner_a=200),
    ),
    (
        "order export page",
        "get",
        lambda w: "/dashboard/orders/export/",
        None,
        expect(member_a=200, member_b=200, helper_a=403, owner_a=200),
    ),
    ("A's order", "get", lambda w: f"/dashboard/orders/{w.part_a.pk}/", None, a_order(200)),
    ("A's packing slip", "get", lambda w: f"/dashboard/orders/{w.part_a.pk}/slip/", None, a_order(200)),
    ("confirm A's order", "post", lambda w: f"/dashboard/orders/{w.part_a.pk}/confirm/", None, a_order(302)),
    (
        "ship A's order",
        "post",
        lambda w: f"/dashboard/orders/{w.part_a.pk}/ship/",
        lambda w: {"carrier": "vnpost", "tracking_number": "EB123456789VN"},
        a_order(302),
    ),
    ("deliver A's order", "post", lambda w: f"/dashboard/orders/{w.part_a.pk}/deliver/", None, a_order(302)),
    ("mark A's order paid", "post", lambda w: f"/dashboard/orders/{w.part_a.pk}/paid/", None, a_order(302)),
    (
        "cancel A's order",
        "post",
        lambda w: f"/dashboard/orders/{w.part_a.pk}/cancel/",
        lambda w: {"reason": "Hết hàng"},
        a_order(302),
    ),
]

CASES = [
    pytest.param(user, method, path, data, expected[user], id=f"{label} · {user}")
    for label, method, path, data, expected in TABLE
    for user in USERS
]


@pytest.mark.parametrize(("user", "method", "path", "data", "status"), CASES)
def test_dashboard_isolation(client, world, user, method, path, data, status):
    """Each user kind gets exactly the status the table says for each dashboard URL and action."""
    if world.users[user] is not None:
        client.force_login(world.users[user])
    url = path(world)
    payload = data(world) if data else {}
    response = getattr(client, method)(url, payload)
    assert response.status_code == status
    if user == "anon":
        assert response.url.startswith("/accounts/login/?next=")
    if status in (403, 404) and method == "post":
        # Refused actions changed nothing of stall A's.
        assert Product.objects.filter(pk=world.a.product.pk, price=world.a.product.price).exists()
        assert ProductImage.objects.filter(pk=world.photo_a.pk).exists()
        world.part_a.refresh_from_db()
        assert world.part_a.status == "new" and not world.part_a.is_paid


def test_photo_of_another_stall_cannot_be_reached_through_my_product_form(client, world):
    """Posting A's photo id in B's product form neither edits nor deletes A's photo."""
    client.force_login(world.b.member)
    data = edit_data(world, world.b.product)
    data.update(
        {
            "photo-TOTAL_FORMS": "1",
            "photo-INITIAL_FORMS": "1",
            "photo-0-id": str(world.photo_a.pk),
            "photo-0-order": "1",
            "photo-0-alt_text": "đổi",
        }
    )
    # The formset only binds rows to B's own photos: a foreign id is treated as no photo at all.
    client.post(f"/dashboard/products/{world.b.product.pk}/", data)
    client.post(f"/dashboard/products/{world.b.product.pk}/", {**data, "photo-0-DELETE": "on"})
    world.photo_a.refresh_from_db()
    assert world.photo_a.alt_text == "Ảnh sản phẩm"
    assert world.photo_a.product_id == world.a.product.pk


def test_list_pages_never_show_another_stalls_rows(client, world):
    """B's member sees none of A's products or buyers on any list page."""
    client.force_login(world.b.member)
    for url, own in [
        ("/dashboard/", world.b.cooperative.name),
        ("/dashboard/products/", world.b.product.name),
        ("/dashboard/orders/", "Khách Của B"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert own in page, url
        assert world.a.product.name not in page and "Khách Của A" not in page, url
    # The members page is the owner's (B's member gets 403 there, see the table above).
    client.force_login(world.b.owner)
    response = client.get("/dashboard/members/")
    assert response.status_code == 200
    page = response.content.decode()
    assert world.b.member.username in page and world.b.helper.username in page
    assert world.a.owner.username not in page and world.a.helper.username not in page


def test_export_lists_only_my_stalls_orders(client, world):
    """The CSV export of B holds B's orders only."""
    client.force_login(world.b.member)
    day = world.part_b.created_at.astimezone().date().isoformat()
    body = client.get(f"/dashboard/orders/export/?start={day}&end={day}").content.decode("utf-8-sig")
    assert "Khách Của B" in body and "Khách Của A" not in body


def test_actions_refuse_get_and_posts_without_csrf_token(world):
    """State changes are POST only, and a POST without the CSRF token is refused."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.a.owner)
    assert client.get(f"/dashboard/orders/{world.part_a.pk}/confirm/").status_code == 405
    assert client.get(f"/dashboard/products/{world.a.product.pk}/duplicate/").status_code == 405
    assert client.post(f"/dashboard/orders/{world.part_a.pk}/confirm/").status_code == 403
    assert client.post(f"/dashboard/products/{world.a.product.pk}/quick/", {}).status_code == 403
    world.part_a.refresh_from_db()
    assert world.part_a.status == "new"


def test_a_member_of_both_stalls_reaches_both(client, world):
    """Someone who belongs to A and B reaches both stalls' objects (the dashboard switches)."""
    MembershipFactory(user=world.b.member, cooperative=world.a.cooperative, role="member")
    client.force_login(world.b.member)
    client.post("/dashboard/choose/", {"cooperative": world.b.cooperative.pk})
    assert client.get(f"/dashboard/orders/{world.part_a.pk}/").status_code == 200
    assert client.get(f"/dashboard/orders/{world.part_b.pk}/").status_code == 200
