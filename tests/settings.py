"""Test settings: the real settings with fast hashing, in-memory mail and a throwaway MEDIA_ROOT."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-checks-0123456789")

from storefront.settings import *  # noqa: E402,F403
from storefront.settings import DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="chophien-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not shared-cache memory: the concurrency tests need real separate connections,
    # and one file per test process lets several runs share a machine.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"chophien-test-{os.getpid()}.sqlite3")
    }

STATIC_ROOT = tempfile.mkdtemp(prefix="chophien-test-static-")

# Jobs run at once, in the process that queues them (after the commit), unless a test says
# otherwise; the real worker is exercised in tests/storefront/test_jobs.py.
JOBS_FILE = os.path.join(tempfile.mkdtemp(prefix="chophien-test-jobs-"), "jobs.sqlite3")
JOB_RETRY_DELAY = 0
HUEY = {
    **HUEY,  # noqa: F405
    "huey_class": "huey.SqliteHuey",
    "connection": {"filename": JOBS_FILE},
    "immediate": True,
}

# The app serves uploads itself, as on a one-machine install (storefront.views.media).
SERVE_MEDIA = True
