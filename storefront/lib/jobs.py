"""Background jobs: the one retry policy, so every job of the market retries the same way."""

from django.conf import settings


def retry_options() -> dict:
    """Huey task options from the JOB_RETRY_* settings: bounded tries with a growing wait."""
    return {
        "retries": settings.JOB_RETRIES,
        "retry_delay": settings.JOB_RETRY_DELAY,
        "retry_backoff": settings.JOB_RETRY_BACKOFF,
    }
