"""client_ip: the visitor's address behind 0..N trusted proxies, used by tracking and by axes."""

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory

from storefront.lib.client_ip import client_ip


def request_from(remote="10.0.0.9", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.7", None, "203.0.113.7"),
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # no proxy: the header is the client's
        (1, "10.0.0.9", "198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.9", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # forged left part ignored
        (2, "10.0.0.9", "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "10.0.0.9", "198.51.100.1", "10.0.0.9"),  # too short: not through our proxies
        (1, "10.0.0.9", None, "10.0.0.9"),
        (1, "10.0.0.9", "", "10.0.0.9"),
        (1, "10.0.0.9", "not-an-ip", "10.0.0.9"),
        (1, "10.0.0.9", " 2001:db8::1 ", "2001:db8::1"),
        (0, "", None, ""),
    ],
)
def test_client_ip_trusts_only_as_many_hops_as_proxies(settings, proxies, remote, forwarded, expected):
    """The Nth X-Forwarded-For entry from the right behind N proxies; REMOTE_ADDR otherwise."""
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request_from(remote, forwarded)) == expected


def test_axes_counts_logins_by_the_same_address(settings):
    """django-axes asks client_ip, so login throttling sees the visitor, not the proxy."""
    settings.TRUSTED_PROXY_COUNT = 1
    assert get_client_ip_address(request_from("10.0.0.9", "198.51.100.1")) == "198.51.100.1"
