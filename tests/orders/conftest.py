"""Fixtures the order tests share: Web Push on, against the local stand-in push service."""

import pytest

from storefront.lib.webpush import vapid_keys_new
from tests.push_service import PushService


@pytest.fixture
def vapid(settings):
    private, public = vapid_keys_new()
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = private, public
    settings.VAPID_SUBJECT = "mailto:cho@example.vn"
    # The stand-in speaks plain http on 127.0.0.1.
    settings.PUSH_ALLOW_HTTP = True
    settings.PUSH_SERVICE_HOSTS = [*settings.PUSH_SERVICE_HOSTS, "127.0.0.1"]
    return public


@pytest.fixture
def push_service(vapid):
    with PushService(vapid) as service:
        yield service
