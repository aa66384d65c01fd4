"""Answers about the public catalogue that are costly to compute and change rarely (the filters'
provinces and peoples, each stall's number of products, searches, whole public pages), kept in
the cache under a version that any change to the catalogue replaces: one write makes every such
answer stale at once, on every app server that shares the cache, and a timeout bounds the rest.

The version is a fresh random value each time rather than a counter: two changes at once each
write a new value, and neither can be lost the way a read-then-write increment could be.
"""

import secrets
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "catalogue:version"
TIMEOUT = 300


def catalogue_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(6), timeout=None)
        version = cache.get(VERSION_KEY) or "0"
    return version


def catalogue_changed() -> None:
    """Something buyers see in the catalogue changed: forget every answer kept about it."""
    cache.set(VERSION_KEY, secrets.token_hex(6), timeout=None)


def catalogue_changed_now_and_at_commit() -> None:
    """For a change made inside a transaction: now, for the transaction's own reads, and again at
    the commit, in case another request kept an answer computed from the rows as they were."""
    catalogue_changed()
    transaction.on_commit(catalogue_changed, robust=True)


def remembered(name: str, compute: Callable[[], object], *, timeout: int = TIMEOUT):
    """`compute()`, or what it returned for this version of the catalogue."""
    key = f"catalogue:{name}:v{catalogue_version()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
