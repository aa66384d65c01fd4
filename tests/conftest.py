import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (the header's categories are cached)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client(client):
    """The Django test client, speaking Vietnamese like a first-time visitor."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    return client
