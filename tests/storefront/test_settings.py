import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from storefront.views import server_error
from tests.factories import ProductFactory

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """manage.py in a clean environment: only what a production host would set."""
    clean = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "storefront.settings", **env}
    return subprocess.run(  # noqa: S603 (fixed argv: our own manage.py)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    """With DEBUG off, a real secret, HTTPS and hosts set, `check --deploy` reports nothing."""
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        HTTPS="1",
        ALLOWED_HOSTS="chophien.vn,www.chophien.vn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    """DEBUG off and no SECRET_KEY: startup fails with a clear message."""
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


@pytest.mark.django_db
def test_language_switch_to_english(client):
    """Choosing English in the footer switches the page language and number format."""
    ProductFactory(price=120000)
    response = client.get("/language/en/?next=/")
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert '<html lang="en">' in html
    assert "120,000\u00a0₫" in html
    client.get("/language/vi/?next=/")
    assert '<html lang="vi">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_footer_offers_both_languages(client):
    """Every page has a language switch naming each language in itself, so a visitor finds theirs."""
    # Django's own name for Vietnamese is stored decomposed (NFD); the page writes it in NFC.
    html = client.get("/").content.decode()
    assert 'href="/language/en/?next=/" rel="nofollow" hreflang="en"' in html
    assert 'class="ms-2" lang="en">English</a>' in html
    assert 'lang="vi" aria-current="true">Tiếng Việt</a>' in html


@pytest.mark.django_db
def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    """/healthz says ok, is never cached and runs no query."""
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_404_page_is_styled(client):
    """An unknown URL returns 404 with the site's header, search box and footer."""
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'class="site-header"' in html
    assert 'name="q"' in html
    assert "Không tìm thấy trang này" in html
    assert 'class="site-footer"' in html


def test_500_page_renders_without_the_database():
    """The 500 page renders standalone (no context processors, so no query) and says 500."""
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"<html" in response.content


def test_security_headers_on_pages(client, db):
    """Pages forbid framing and MIME sniffing and send a same-origin referrer policy."""
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_sessions_survive_a_redis_outage_when_redis_is_configured():
    """With REDIS_URL, sessions are cached in Redis but stored in the database (cached_db)."""
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_ENGINE, s.CACHES['default']['BACKEND'])",
        DEBUG="1",
        REDIS_URL="redis://127.0.0.1:6399/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.contrib.sessions.backends.cached_db",
        "django_redis.cache.RedisCache",
    ]
