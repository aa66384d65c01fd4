"""The Content-Security-Policy as a browser applies it: the pages need nothing it blocks (every
browser test fails on a violation, see conftest), and it does block an injected inline script."""

import pytest

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_injected_inline_script_is_refused_and_reported(live_server, page, csp_violations):
    """A script written into a product page by an attacker would not run: the browser refuses it
    and says so, which is what the other browser tests watch for."""
    product = ProductFactory(name="Mật ong bạc hà")
    page.goto(live_server.url + product.get_absolute_url())
    page.evaluate(
        """() => { const s = document.createElement('script'); s.textContent = 'window.owned = 1';
        document.body.appendChild(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.owned") is None
    assert any("Content Security Policy" in text for text in csp_violations)
    csp_violations.clear()
