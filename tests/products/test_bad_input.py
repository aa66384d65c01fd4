"""Odd query strings on every public page: never a 500, never reflected markup."""

import pytest

from tests.factories import CooperativeFactory, ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"

# Raw QUERY_STRING values, as a browser or a bot might send them (already percent-encoded).
QUERY_STRINGS = {
    "page-abc": "page=abc",
    "page-huge": "page=99999",
    "page-negative": "page=-1",
    "page-zero": "page=0",
    "page-float": "page=1e9",
    "page-overflow": "page=" + "9" * 400,
    "sort-script": "sort=%3Cscript%3Ealert(1)%3C/script%3E",
    "q-script": "q=%3Cscript%3Ealert(1)%3C/script%3E",
    "q-5000": "q=" + "tra+" * 1250,
    "q-only-spaces": "q=+++",
    "q-sql": "q=%27%20OR%201%3D1%20--",
    "q-like-wildcards": "q=%25_%25",
    "category-nope": "category=nope",
    "category-script": "category=%3Cscript%3E",
    "province-zz": "province=zz",
    "province-long": "province=" + "1" * 300,
    "people-junk": "people=%3Cscript%3Ealert(1)%3C/script%3E",
    "people-long": "people=" + "x" * 5000,
    "nul-q": "q=%00",
    "nul-inside-q": "q=ch%C3%A8%00+shan",
    "nul-people": "people=a%00b",
    "nul-category": "category=%00",
    "nul-sort": "sort=%00",
    "nul-page": "page=%00",
    "emoji": "q=%F0%9F%8D%B5%F0%9F%90%9D&people=%F0%9F%90%9D",
    "rtl-marks": "q=%E2%80%AEche%E2%80%AC&people=%E2%80%8F",
    "zero-width": "q=ch%E2%80%8Be",
    "lone-surrogate": "q=%ED%A0%80&people=%ED%B0%80",
    "invalid-utf8": "q=%FF%FE%FD&category=%C3",
    "broken-percent": "q=%E0%A4%A&page=%",
    "repeated": "q=che&q=mat&page=1&page=2&sort=price_asc&sort=bogus",
    "array-style": "q[]=che&page[]=1",
    "no-value": "q&page&sort&category",
    "control-chars": "q=%01%02%1B%7F",
    "combining-marks": "q=c%CC%80%CC%80%CC%80%CC%80h%CC%82e",
}


@pytest.fixture
def urls():
    cooperative = CooperativeFactory(name="HTX Chè Shan tuyết")
    product = ProductFactory(cooperative=cooperative, name="Chè Shan tuyết")
    ProductImageFactory(product=product)
    ProductFactory(cooperative=cooperative, name="Trà Tà Xùa")
    return {
        "home": "/",
        "catalogue": "/products/",
        "product": product.get_absolute_url(),
        "stalls": "/cooperatives/",
        "stall": cooperative.get_absolute_url(),
    }


@pytest.mark.parametrize("page", ["home", "catalogue", "product", "stalls", "stall"])
@pytest.mark.parametrize("query_string", QUERY_STRINGS.values(), ids=QUERY_STRINGS.keys())
def test_odd_query_strings_never_break_a_page(client, urls, page, query_string):
    """Every public page still answers, with the page itself, and escapes whatever was sent."""
    response = client.get(urls[page], QUERY_STRING=query_string)
    # Not merely "below 500": a 404 or 400 page would show no script either.
    assert response.status_code == 200
    assert SCRIPT not in response.content.decode(errors="replace")


@pytest.mark.parametrize(
    "path",
    [
        "/products/%00/",
        "/products/" + "a" * 3000 + "/",
        "/cooperatives/%F0%9F%90%9D/",
        "/products/che%ED%A0%80/",
    ],
)
def test_odd_paths_are_404(client, path):
    """Junk in a slug gives the styled 404, not a 500."""
    response = client.get(path)
    assert response.status_code == 404
    assert 'class="site-header"' in response.content.decode()


def test_search_keeps_what_the_buyer_typed_escaped(client, urls):
    """The search box shows the query back, HTML-escaped."""
    html = client.get("/products/", {"q": "<b>chè</b>"}).content.decode()
    assert 'value="&lt;b&gt;chè&lt;/b&gt;"' in html
    assert "<b>chè</b>" not in html
