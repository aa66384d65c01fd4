"""Chợ Phiên settings. Everything that differs between machines comes from the environment."""

import os
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from storefront.lib.email_url import email_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only ever used with DEBUG on, so a leaked development key signs nothing that matters.
    SECRET_KEY = "django-insecure-development-only-key-cho-phien-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)
# The same translated page, in the site's layout, as a cart form sent from another site.
CSRF_FAILURE_VIEW = "storefront.lib.same_site.refused"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "huey.contrib.djhuey",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    # axes itself, named in Vietnamese in the admin.
    "storefront.axes_app.AxesConfig",
    "storefront",
    "products",
    "orders",
    "reviews",
]

MIDDLEWARE = [
    "storefront.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "storefront.middleware.PublicPageCacheMiddleware",
    # Pages shrink to a quarter over gzip; Django adds random padding against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    # An ETag on every page, computed before compression; a browser that has the page gets a 304.
    "django.middleware.http.ConditionalGetMiddleware",
    "storefront.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "storefront.middleware.PublicPageVaryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "storefront.middleware.PrivatePagesMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "storefront.urls"
WSGI_APPLICATION = "storefront.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "storefront.context_processors.site",
                "orders.context_processors.cart",
            ],
        },
    },
]

# Database: SQLite in the project unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # A PostgreSQL connection costs a few milliseconds to open: keep it a minute per worker, and
        # check it before each request reuses it (a restarted database then costs no error page).
        conn_max_age=int(
            os.environ.get(
                "CONN_MAX_AGE", "60" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "0"
            )
        ),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so concurrent checkouts queue on the
    # busy timeout instead of failing with "database is locked" when a reader upgrades to writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20000; PRAGMA synchronous=NORMAL;"
            ),
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
    # Sessions (carts, "my orders") are read from Redis but written to the database too, so a
    # Redis outage or restart never empties anyone's cart.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Files, not process memory: every worker on this machine sees the same kept pages and the
    # same catalogue version, so a change made through one worker is seen by all at once.
    CACHE_DIR = Path(os.environ.get("CACHE_DIR", BASE_DIR / "cache"))
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(CACHE_DIR / "answers"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
        # A few keys only, never culled with the answers (storefront/lib/catalogue_cache.py).
        "versions": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(CACHE_DIR / "versions"),
        },
    }

# Public pages kept for visitors without a session (storefront.lib.page_cache); 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))

# Background jobs (Huey): mail, photo renditions, search rebuilds and the daily clean-up run after
# the transaction commits, stored durably first: in a SQLite file beside the project on one machine
# (`make run` starts the worker), in Redis with REDIS_URL for workers on any number of machines
# (`make worker`). A failing job is retried JOB_RETRIES times, the wait growing from JOB_RETRY_DELAY
# seconds by JOB_RETRY_BACKOFF each time (30 s, 1 min, 2 min… about 2 hours in all), then listed
# in the admin ("Việc nền bị lỗi").
JOBS_FILE = Path(os.environ.get("JOBS_FILE", BASE_DIR / "jobs.sqlite3"))
JOB_RETRIES = int(os.environ.get("JOB_RETRIES", "8"))
JOB_RETRY_DELAY = float(os.environ.get("JOB_RETRY_DELAY", "30"))
JOB_RETRY_BACKOFF = float(os.environ.get("JOB_RETRY_BACKOFF", "2"))
HUEY = {
    "name": "chophien",
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "connection": {"url": REDIS_URL} if REDIS_URL else {"filename": str(JOBS_FILE)},
    # JOBS_IMMEDIATE=1 runs each job at once in the process that made it (tests, a quick script).
    "immediate": env_bool("JOBS_IMMEDIATE", False),
    "results": False,
    "utc": True,
    "consumer": {
        "workers": int(os.environ.get("JOB_WORKERS", "2")),
        "worker_type": "thread",
        "periodic": True,
        "check_worker_health": True,
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "/"

# Login throttling: five wrong passwords for one user from one address locks that pair for 15 min.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_CLIENT_IP_CALLABLE = "storefront.lib.client_ip.client_ip"

# How many reverse proxies of ours stand in front of the app (each adds to X-Forwarded-For);
# 0 means visitors connect directly and REMOTE_ADDR is their address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Languages: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["storefront.formats"]

# Static and media files.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # `make run` collects and compresses too, so the pages weigh what they will in production;
    # without hashed names in DEBUG, an edited stylesheet needs only another collectstatic.
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedStaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600
# From the collected, compressed files only (make run collects them), never the sources.
WHITENOISE_USE_FINDERS = False

# Media on S3-compatible object storage (django-storages) when a bucket is named, so app servers
# keep nothing on their own disks. Photos are public: the bucket (or the CDN in front of it,
# AWS_S3_CUSTOM_DOMAIN) serves them, and their names change whenever a photo does.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    _custom, _endpoint = os.environ.get("AWS_S3_CUSTOM_DOMAIN", ""), os.environ.get("AWS_S3_ENDPOINT_URL", "")
    _media_origin = (
        f"https://{_custom}"
        if _custom
        else "/".join(_endpoint.split("/")[:3])
        if _endpoint
        else f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"
    )
else:
    _media_origin = ""

# Orders. One online order above ORDER_MAX_TOTAL đồng is almost surely a typo in a price or a
# quantity (a real bulk buyer calls the stall). Looking an order up by code and phone is limited
# to ORDER_TRACK_LIMIT tries per client in ORDER_TRACK_WINDOW seconds, so codes cannot be guessed.
ORDER_MAX_TOTAL = int(os.environ.get("ORDER_MAX_TOTAL", "1000000000"))
ORDER_TRACK_LIMIT = int(os.environ.get("ORDER_TRACK_LIMIT", "10"))
ORDER_TRACK_WINDOW = int(os.environ.get("ORDER_TRACK_WINDOW", str(15 * 60)))
# Each order mails an address the buyer typed, so one client may place ORDER_CHECKOUT_LIMIT orders
# in ORDER_CHECKOUT_WINDOW seconds: plenty for a family or a shop, too few to mail strangers.
ORDER_CHECKOUT_LIMIT = int(os.environ.get("ORDER_CHECKOUT_LIMIT", "10"))
ORDER_CHECKOUT_WINDOW = int(os.environ.get("ORDER_CHECKOUT_WINDOW", "3600"))

# Uploads: phones send big camera photos; the form checks the real limit with a clear message.
MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "15"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 30

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Mail: console unless configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
# Or all of the above in one URL, e.g. smtp://user:pass@smtp.example.vn:587?tls=1 (it wins).
# Read into a lower-case name: Django never shows it (it holds a password) on error pages.
_email_url = os.environ.get("EMAIL_URL", "")
if _email_url:
    globals().update(email_settings(_email_url))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Chợ Phiên <no-reply@chophien.vn>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: sane defaults always; HTTPS-only settings behind one flag so a production-like run
# on plain http (a laptop, a LAN demo) still works.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy: every script and style comes from the site itself (no inline script or
# style anywhere, so a stored-XSS string could not run even if it slipped through escaping);
# photos may also come from the media storage's own host (S3 or a CDN, MEDIA_ORIGIN).
MEDIA_ORIGIN = os.environ.get("MEDIA_ORIGIN", _media_origin)
_SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        # The dashboard's app: its service worker (/dashboard/sw.js) and manifest, from the site.
        "worker-src": [_SELF],
        "manifest-src": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": ["'none'"],
        "base-uri": [_SELF],
        "object-src": ["'none'"],
        **({"upgrade-insecure-requests": True} if HTTPS else {}),
    }
}
# Web Push (order alerts on producers' and buyers' phones): the VAPID key pair the site signs with
# (`python manage.py vapid_keys` prints a fresh one) and a contact for push services, as
# "mailto:…" or "https://…". Without all three, push is off and its buttons are not shown.
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY", "")
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "")
# The push services browsers subscribe with (Chrome, Cốc Cốc, Samsung Internet and Opera use
# Google's; Firefox, Edge and Safari their makers'): a subscription to any other host is refused,
# so a made-up one cannot point the workers at an address inside the network. A host here also
# takes its subdomains; PUSH_SERVICE_HOSTS (comma-separated) replaces the list.
PUSH_SERVICE_HOSTS = [
    host.strip()
    for host in os.environ.get(
        "PUSH_SERVICE_HOSTS",
        "fcm.googleapis.com,android.googleapis.com,push.services.mozilla.com,notify.windows.com,"
        "push.apple.com",
    ).split(",")
    if host.strip()
]
# Push services are all https on the standard port; plain http and other ports only for a local
# stand-in in tests.
PUSH_ALLOW_HTTP = False

# No page of the market needs these; photos are picked with a file input, not the camera API.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# Logs: one JSON object per line on stdout (LOG_FORMAT=json, the default with DEBUG off), each with
# the request's id; plain text for development. Errors also go to ADMINS by mail ("Name
# <address>,…"), or to Sentry when SENTRY_DSN is set.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
ADMINS = [getaddresses([admin])[0] for admin in env_list("ADMINS", "")]
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "storefront.lib.logs.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Django mails ADMINS a request's error itself; a job that failed for good is mailed too.
        "storefront.jobs": {"handlers": ["mail_admins"], "level": "INFO"},
    },
}
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False, traces_sample_rate=0)
