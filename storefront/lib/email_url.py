"""EMAIL_URL: every outgoing-mail setting in one URL, parsed with urllib.parse only.

    smtp://user:password@smtp.example.vn:587?tls=1   SMTP with STARTTLS
    smtps://user:password@smtp.example.vn            SMTP over SSL (port 465 unless given)
    smtp://relay.local                               plain SMTP (port 25)
    console://   locmem://   dummy://                Django's development backends
    file:///var/mail/chophien                        one file per message in that folder

User name and password are percent-decoded, so a password with "@" or ":" is written %40, %3A.
Imported by the settings module, so nothing here may import Django settings.
"""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP = "django.core.mail.backends.smtp.EmailBackend"
SIMPLE = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
TRUE = {"1", "true", "yes", "on"}


def email_settings(url: str) -> dict:
    """The EMAIL_* settings the URL stands for; ImproperlyConfigured (without the password) if odd."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme in SIMPLE:
        return {"EMAIL_BACKEND": SIMPLE[scheme]}
    if scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured("EMAIL_URL file:// needs a folder, e.g. file:///var/mail/chophien")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": parts.path,
        }
    if scheme not in ("smtp", "smtps"):
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme {scheme!r} is not one of smtp, smtps, console, locmem, dummy, file."
        )
    query = {key.lower(): values[-1].lower() for key, values in parse_qs(parts.query).items()}
    use_ssl = scheme == "smtps" or query.get("ssl") in TRUE
    use_tls = query.get("tls") in TRUE
    if use_ssl and use_tls:
        raise ImproperlyConfigured("EMAIL_URL: choose STARTTLS (smtp://…?tls=1) or SSL (smtps://), not both.")
    if not parts.hostname:
        raise ImproperlyConfigured(
            "EMAIL_URL smtp:// needs a host, e.g. smtp://user:pass@smtp.example.vn:587?tls=1"
        )
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL has a port that is not a number.") from None
    return {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if use_ssl else 587 if use_tls else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }
