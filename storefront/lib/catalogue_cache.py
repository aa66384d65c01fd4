"""Answers about the public catalogue that are costly to compute and change rarely (the filters'
provinces and peoples, each stall's number of products, searches, whole public pages), kept in
the cache under a version that any change to the catalogue replaces: one write makes every such
answer stale at once, on every app server that shares the cache, and a timeout bounds the rest.

The version is a fresh random value each time rather than a counter: two changes at once each
write a new value, and neither can be lost the way a read-then-write increment could be.

Stock has a version of its own: an order changes only what is left, which whole pages show
("Còn hàng", "Hết hàng") but the filters, the stalls' counts and search matches do not, so an
order drops the kept pages and leaves those answers (a DISTINCT over 100,000 products) alone.
"""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction

# The versions live apart from what they version when the settings say so (a file cache culls
# at random when full, and must never cull the version with the pages).
VERSIONS_ALIAS = "versions"
VERSION_KEY = "catalogue:version"
STOCK_KEY = "catalogue:stock"
TIMEOUT = 300


def _versions():
    return caches[VERSIONS_ALIAS] if VERSIONS_ALIAS in settings.CACHES else cache


def _version(key: str) -> str:
    store = _versions()
    version = store.get(key)
    if version is None:
        store.add(key, secrets.token_hex(6), timeout=None)
        version = store.get(key) or "0"
    return version


def catalogue_version() -> str:
    return _version(VERSION_KEY)


def pages_version() -> str:
    """What whole pages are kept under: the catalogue and its stock."""
    versions = _versions().get_many([VERSION_KEY, STOCK_KEY])
    if len(versions) < 2:
        return f"{catalogue_version()}.{_version(STOCK_KEY)}"
    return f"{versions[VERSION_KEY]}.{versions[STOCK_KEY]}"


def catalogue_changed() -> None:
    """Something buyers see in the catalogue changed: forget every answer kept about it."""
    _versions().set_many({VERSION_KEY: secrets.token_hex(6), STOCK_KEY: secrets.token_hex(6)}, timeout=None)


def stock_changed() -> None:
    """Only what is left of some products changed: forget the kept pages."""
    _versions().set(STOCK_KEY, secrets.token_hex(6), timeout=None)


def catalogue_changed_now_and_at_commit() -> None:
    """For a change made inside a transaction: now, for the transaction's own reads, and again at
    the commit, in case another request kept an answer computed from the rows as they were."""
    catalogue_changed()
    transaction.on_commit(catalogue_changed, robust=True)


def stock_changed_now_and_at_commit() -> None:
    stock_changed()
    transaction.on_commit(stock_changed, robust=True)


def remembered(name: str, compute: Callable[[], object], *, timeout: int = TIMEOUT):
    """`compute()`, or what it returned for this version of the catalogue."""
    key = f"catalogue:{name}:v{catalogue_version()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
