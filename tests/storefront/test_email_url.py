"""EMAIL_URL: one URL for every outgoing-mail setting; EMAIL_* still work without it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from storefront.lib.email_url import email_settings

ROOT = Path(__file__).resolve().parents[2]
SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://lan:bi-mat@smtp.example.vn:587?tls=1",
            {
                "EMAIL_BACKEND": SMTP,
                "EMAIL_HOST": "smtp.example.vn",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "lan",
                "EMAIL_HOST_PASSWORD": "bi-mat",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        (
            "smtps://no-reply%40chophien.vn:p%40ss%3Aw0rd@smtp.gmail.com",
            {
                "EMAIL_BACKEND": SMTP,
                "EMAIL_HOST": "smtp.gmail.com",
                "EMAIL_PORT": 465,
                "EMAIL_HOST_USER": "no-reply@chophien.vn",
                "EMAIL_HOST_PASSWORD": "p@ss:w0rd",
                "EMAIL_USE_TLS": False,
                "EMAIL_USE_SSL": True,
            },
        ),
        (
            "smtp://relay.local",
            {
                "EMAIL_BACKEND": SMTP,
                "EMAIL_HOST": "relay.local",
                "EMAIL_PORT": 25,
                "EMAIL_HOST_USER": "",
                "EMAIL_HOST_PASSWORD": "",
                "EMAIL_USE_TLS": False,
                "EMAIL_USE_SSL": False,
            },
        ),
        ("smtp://relay.local?tls=true", {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True}),
        ("smtp://relay.local:2525?ssl=1", {"EMAIL_PORT": 2525, "EMAIL_USE_SSL": True}),
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        ("locmem://", {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}),
        ("dummy://", {"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}),
        (
            "file:///var/mail/chophien",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": "/var/mail/chophien",
            },
        ),
    ],
)
def test_email_url_gives_the_email_settings(url, expected):
    """Each kind of URL turns into the EMAIL_* settings it stands for."""
    settings = email_settings(url)
    assert {key: settings[key] for key in expected} == expected


@pytest.mark.parametrize(
    "url",
    [
        "imap://mail.example.vn",
        "smtp://",
        "smtp://user:secret-pw@host:port",
        "smtps://host?tls=1",
        "file://",
        "smtp.example.vn:587",
    ],
)
def test_odd_email_urls_are_refused_without_showing_the_password(url):
    """An unknown scheme, a missing host, a bad port or TLS+SSL stop startup with a clear reason."""
    with pytest.raises(ImproperlyConfigured) as refused:
        email_settings(url)
    assert "secret-pw" not in str(refused.value)


def settings_value(expression: str, **env: str) -> str:
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "storefront.settings",
        "DEBUG": "1",
    }
    code = (
        f"import django; django.setup(); from django.conf import settings as s; print(repr(({expression})))"
    )
    result = subprocess.run(  # noqa: S603 (fixed argv: our own settings)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_settings_read_email_url_and_it_wins_over_email_variables():
    """With EMAIL_URL set the settings follow it; it is not itself a setting (it holds a password)."""
    value = settings_value(
        "s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, hasattr(s, 'EMAIL_URL')",
        EMAIL_URL="smtp://lan:pw@smtp.example.vn:587?tls=1",
        EMAIL_HOST="ignored.example.vn",
    )
    assert value == f"('{SMTP}', 'smtp.example.vn', 587, True, False)"


def test_email_variables_still_work_without_email_url():
    """Without EMAIL_URL the separate EMAIL_* variables are used as before."""
    value = settings_value(
        "s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS",
        EMAIL_BACKEND=SMTP,
        EMAIL_HOST="mail.example.vn",
        EMAIL_PORT="2525",
        EMAIL_USE_TLS="1",
    )
    assert value == f"('{SMTP}', 'mail.example.vn', 2525, True)"
