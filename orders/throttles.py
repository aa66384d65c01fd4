"""Limits per client that every worker and app server shares: how often an order may be looked up
by code and phone, and how many orders one client may place in a while.

With REDIS_URL the counters are Redis's atomic INCR (through the cache); without it they are rows
of RateCounter, changed by one conditional UPDATE each, so several gunicorn workers on one machine
(or app servers on one PostgreSQL) never count apart. When the store cannot be reached the attempt
is allowed: it still needs the right code and phone, and turning every buyer away during an outage
would be worse than an unthrottled minute.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import RateCounter

logger = logging.getLogger(__name__)


def over_limit(*, key: str, limit: int, window: int) -> bool:
    """Count one attempt under `key`; True when that makes more than `limit` in `window` seconds."""
    try:
        attempts = _count_in_redis(key, window) if settings.REDIS_URL else _count_in_database(key, window)
    except Exception:
        logger.warning("Throttle %s skipped: its counter store is not answering", key, exc_info=True)
        return False
    if not isinstance(attempts, int):
        logger.warning("Throttle %s skipped: the store returned %r", key, attempts)
        return False
    return attempts > limit


def _count_in_redis(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:
        # The counter expired between add() and incr(): the first attempt of a new window.
        cache.set(key, 1, timeout=window)
        return 1


def _count_in_database(key: str, window: int) -> int:
    now = timezone.now()
    live = RateCounter.objects.filter(key=key, expires_at__gt=now)
    for _attempt in range(3):
        if live.update(count=F("count") + 1):
            return live.values_list("count", flat=True).get()
        try:
            with transaction.atomic():
                RateCounter.objects.filter(key=key, expires_at__lte=now).delete()
                RateCounter.objects.create(key=key, count=1, expires_at=now + timedelta(seconds=window))
            return 1
        except IntegrityError:
            continue  # another worker opened the window a moment ago: count in it
    return live.values_list("count", flat=True).get()
