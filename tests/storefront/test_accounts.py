"""Producer sign-in, sign-out, password change and reset, and login throttling."""

import pytest
from django.core import mail
from django.test import override_settings

from tests.dashboard import make_stall

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_page_is_in_vietnamese(client):
    """The sign-in page speaks Vietnamese and offers a password reset."""
    page = client.get("/accounts/login/").content.decode()
    assert "Đăng nhập cho người bán" in page and "Quên mật khẩu?" in page


def test_producer_signs_in_and_lands_on_the_dashboard(client):
    """A right password leads to /dashboard/, which shows the producer's stall."""
    stall = make_stall()
    response = login(client, stall.owner.username, "secret-pass-123")
    assert response.status_code == 302 and response.url == "/dashboard/"
    assert stall.cooperative.name in client.get("/dashboard/").content.decode()


def test_wrong_password_gets_a_plain_message(client):
    """A wrong password shows a plain message on the same page, user name kept."""
    stall = make_stall()
    response = login(client, stall.owner.username, "wrong")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sai tên đăng nhập hoặc mật khẩu" in page and f'value="{stall.owner.username}"' in page


def test_five_wrong_passwords_lock_sign_in_with_a_clear_message(client):
    """After five wrong passwords even the right one is refused, with a lockout page (429)."""
    stall = make_stall()
    for _ in range(5):
        login(client, stall.owner.username, "wrong")
    response = login(client, stall.owner.username, "secret-pass-123")
    assert response.status_code == 429
    assert "Tạm khoá đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_dashboard_sends_anonymous_visitors_to_sign_in(client):
    """Anonymous visitors are sent to the sign-in page and back afterwards."""
    response = client.get("/dashboard/products/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/dashboard/products/"


def test_logout_is_a_post(client):
    """Signing out is a POST (a link cannot sign anyone out) and ends the session."""
    stall = make_stall()
    client.force_login(stall.owner)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_vietnamese_email_with_a_link(client):
    """Asking for a reset sends one email with a one-time link."""
    stall = make_stall()
    response = client.post("/accounts/password_reset/", {"email": stall.owner.email})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "Đặt lại mật khẩu Chợ Phiên"
    assert "/accounts/reset/" in message.body and stall.owner.username in message.body


@override_settings(SITE_URL="https://chophien.example", ALLOWED_HOSTS=["*"])
def test_the_reset_link_points_at_site_url_whatever_the_host_header_says(client):
    """A request with a forged Host still mails a link to the market's own address."""
    stall = make_stall()
    response = client.post(
        "/accounts/password_reset/", {"email": stall.owner.email}, HTTP_HOST="localhost:9999"
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert "https://chophien.example/accounts/reset/" in message.body
    assert "localhost:9999" not in message.body


def test_password_change_page_works_for_producers(client):
    """A signed-in producer changes the password and can sign in with the new one."""
    stall = make_stall()
    client.force_login(stall.owner)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "secret-pass-123",
            "new_password1": "Mat-khau-moi-2026",
            "new_password2": "Mat-khau-moi-2026",
        },
    )
    assert response.status_code == 302
    client.post("/accounts/logout/")
    assert login(client, stall.owner.username, "Mat-khau-moi-2026").status_code == 302
