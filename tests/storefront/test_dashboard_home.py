"""The producer dashboard's home page: only tasks with something to do, and an unverified stall is told so."""

import pytest

from tests.factories import CooperativeFactory, MembershipFactory, ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db


def owner_client(client, *, verified=True, **product_fields):
    membership = MembershipFactory(cooperative=CooperativeFactory(is_verified=verified))
    product = ProductFactory(cooperative=membership.cooperative, **product_fields)
    client.force_login(membership.user)
    return client, product


def test_nothing_to_do_shows_one_friendly_line_and_no_zero_cards(client):
    """With photos, stock and no orders, home says there is nothing to do and shows no "0 …" task."""
    client, product = owner_client(client)
    ProductImageFactory(product=product)
    page = client.get("/dashboard/").content.decode()
    assert "Không có việc gì cần làm ngay." in page
    assert 'class="task-list' not in page
    for zero in ("0 đơn mới", "0 đơn chuyển khoản", "0 sản phẩm hết", "0 sản phẩm chưa có ảnh"):
        assert zero not in page


def test_only_the_tasks_with_something_to_do_are_shown(client):
    """A product without a photo gives that one task; no empty cards, no "nothing to do" line."""
    client, product = owner_client(client)
    page = client.get("/dashboard/").content.decode()
    assert "1 sản phẩm chưa có ảnh" in page
    assert product.name in page
    assert page.count('<li class="task task-todo">') == 1
    assert "đơn mới chờ xác nhận" not in page
    assert "Không có việc gì cần làm ngay" not in page


def test_unverified_stall_is_told_buyers_cannot_see_it_and_gets_no_404_link(client):
    """An unverified stall's owner reads that buyers cannot see it yet; no link to its (404) page."""
    client, product = owner_client(client, verified=False)
    page = client.get("/dashboard/").content.decode()
    assert "Gian hàng đang chờ Chợ Phiên xác minh" in page
    assert "Người mua chưa thấy gian hàng" in page
    assert product.cooperative.get_absolute_url() not in page
    assert "Xem gian hàng như người mua" not in page


def test_verified_stall_links_to_its_public_page_without_the_notice(client):
    """A verified stall's dashboard links to the page buyers see and shows no waiting notice."""
    client, product = owner_client(client)
    page = client.get("/dashboard/").content.decode()
    assert f'href="{product.cooperative.get_absolute_url()}"' in page
    assert "Xem gian hàng như người mua" in page
    assert "đang chờ Chợ Phiên xác minh" not in page


def test_log_out_looks_like_the_change_password_link(client):
    """Log out is a POST button styled as a link with a full-size tap area, not a blue Bootstrap link."""
    client, _ = owner_client(client)
    page = client.get("/dashboard/").content.decode()
    assert '<button class="link-btn" type="submit">Đăng xuất</button>' in page
    assert "btn-link" not in page
