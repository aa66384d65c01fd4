import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def test_admin_filter_counts_link_is_in_vietnamese(admin_client):
    """Django ships no Vietnamese for "Show counts"; the project's vi catalogue fills it."""
    page = admin_client.get("/admin/products/product/").content.decode()
    assert "Hiện số lượng" in page
    assert "Show counts" not in page


def test_login_lockout_records_read_in_vietnamese(admin_client):
    """django-axes' models appear in Vietnamese on the admin index."""
    page = admin_client.get("/admin/").content.decode()
    assert "Access attempts" not in page
    assert "Lần đăng nhập sai" in page or "lần đăng nhập sai" in page
