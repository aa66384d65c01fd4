import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (the header's categories are cached)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request made by the test client leaves
    the language it negotiated active in the thread, which would leak into the next test."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def client(client):
    """The Django test client, speaking Vietnamese like a first-time visitor."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    return client
