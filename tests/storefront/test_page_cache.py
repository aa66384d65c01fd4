"""Public pages kept for visitors without a session: the second visit costs no query, every change
buyers would see shows at once, a visitor with a cart gets their own page, a browser that has the
page gets a 304, and the cart's add form works without a token yet refuses other sites."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from orders.cart import Cart
from products.models import QrVisit
from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory, placed_order

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (Linux; Android 9; SM-J600G) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"


def visitor(**headers) -> Client:
    """A fresh browser with no cookies, as one coming from a shared link."""
    defaults = {"HTTP_ACCEPT_LANGUAGE": "vi", "HTTP_ACCEPT_ENCODING": "gzip", "HTTP_USER_AGENT": PHONE}
    return Client(**{**defaults, **headers})


def visit(url: str, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = visitor(**headers).get(url)
    return response, len(queries)


def text(response) -> str:
    import gzip

    body = response.content
    return (gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body).decode()


@pytest.fixture
def tea():
    return ProductFactory(name="Chè Shan tuyết", price=250_000, stock=5)


def pages(tea) -> list[str]:
    return [
        "/",
        "/products/",
        f"/products/?q=che&category={tea.category.slug}",
        tea.get_absolute_url(),
        tea.cooperative.get_absolute_url(),
        "/cooperatives/",
        "/en/products/",
    ]


def test_second_visit_is_answered_without_a_query_and_sets_no_cookie(tea):
    for url in pages(tea):
        first, first_queries = visit(url)
        second, second_queries = visit(url)
        assert first.status_code == second.status_code == 200, url
        assert first_queries > 0 and second_queries == 0, url
        assert text(first) == text(second), url
        assert not first.cookies and not second.cookies, url
        assert second["Cache-Control"] == "no-cache" and second["ETag"], url
        assert "csrfmiddlewaretoken" not in text(second), url
        assert "Content-Security-Policy" in second and "X-Request-ID" in second, url


def test_a_browser_that_has_the_page_gets_a_304(tea):
    first, _ = visit(tea.get_absolute_url())
    again, queries = visit(tea.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and queries == 0 and not again.content
    by_date, _ = visit(tea.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304
    changed, _ = visit(tea.get_absolute_url(), HTTP_IF_NONE_MATCH='W/"something-else"')
    assert changed.status_code == 200


def test_every_change_buyers_see_shows_at_once(tea):
    url = tea.get_absolute_url()
    stall_url = tea.cooperative.get_absolute_url()
    for page in (url, stall_url, "/products/", "/"):
        visit(page)

    tea.price = 199_000
    tea.save()
    assert "199.000" in text(visit(url)[0])

    placed_order({tea: 5})  # the last five sold: stock is taken by an UPDATE, not a save
    assert "Hết hàng" in text(visit(url)[0])

    ProductImageFactory(product=tea, alt_text="Búp chè non")
    assert "Búp chè non" in text(visit(url)[0])

    tea.cooperative.name = "HTX Chè Suối Giàng"
    tea.cooperative.save()
    assert "HTX Chè Suối Giàng" in text(visit(stall_url)[0])

    CategoryFactory(name="Măng khô")
    assert "Măng khô" in text(visit("/products/")[0])


def test_a_visitor_with_a_cart_gets_their_own_page(tea):
    other = ProductFactory()
    visit("/")
    shopper = visitor()
    shopper.post("/cart/add/", {"product_id": other.pk, "quantity": 2})
    with CaptureQueriesContext(connection) as queries:
        page = shopper.get("/")
    assert len(queries) > 0
    assert '<span class="cart-count"' in text(page) and ">2</span>" in text(page)
    assert ">0</span>" in text(visit("/")[0])


def test_a_shoppers_cards_are_kept_yet_show_every_change_at_once(tea):
    """A visitor with a cart gets their own page, but its product cards are drawn once per address
    and kept: a price, the last units sold and a new photo still show at once."""
    shopper = visitor()
    shopper.post("/cart/add/", {"product_id": ProductFactory().pk, "quantity": 1})
    stall_url = tea.cooperative.get_absolute_url()

    def card(url: str) -> str:
        page = text(shopper.get(url))
        return page[page.index(f'id="p-{tea.pk}"') :].split("</article>")[0]

    for url in ("/products/", stall_url, "/products/", stall_url):
        assert "250.000" in card(url) and "Thêm vào giỏ" in card(url)
    # Each address's card sends the buyer back to it.
    assert 'value="/products/?sort=newest#p-' in card("/products/?sort=newest")
    assert 'value="/products/#p-' in card("/products/")

    tea.price = 199_000
    tea.save()
    assert "199.000" in card("/products/") and "199.000" in card(stall_url)
    placed_order({tea: 5})  # stock is taken by an UPDATE, not a save
    assert "Hết hàng" in card("/products/") and "Hết hàng" in card(stall_url)
    ProductImageFactory(product=tea)
    assert "/media/" in card("/products/") and "/media/" in card(stall_url)


def test_language_and_the_language_offer_are_kept_apart(tea):
    vietnamese, _ = visit("/products/")
    english, _ = visit("/en/products/")
    tourist, _ = visit("/products/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="vi"' in text(vietnamese) and '<html lang="en">' in text(english)
    assert "language-offer" not in text(vietnamese)
    assert "language-offer" in text(tourist)
    assert "language-offer" not in text(visit("/products/")[0])


def test_poster_scans_are_counted_even_when_the_page_is_kept(tea):
    url = tea.get_absolute_url() + "?utm_source=qr"
    visit(tea.get_absolute_url())
    for _ in range(2):
        response, queries = visit(url)
        assert response.status_code == 200 and queries > 0
    assert sum(QrVisit.objects.values_list("count", flat=True)) == 2


def test_add_to_cart_works_without_a_token_from_this_site_and_refuses_others(tea, settings):
    settings.SITE_URL = "https://chophien.vn"
    shop = Client(enforce_csrf_checks=True)
    sent = {"product_id": tea.pk, "quantity": 1, "next": "/"}

    for headers in (
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "https://evil.example/page"},
    ):
        refused = shop.post("/cart/add/", sent, **headers)
        assert refused.status_code == 403, headers
        assert "Không gửi được" in refused.content.decode()
    assert Cart(shop.session).quantity_of(tea.pk) == 0

    assert shop.post("/cart/add/", sent, HTTP_SEC_FETCH_SITE="same-origin").status_code == 303
    assert shop.post("/cart/add/", sent, HTTP_ORIGIN="https://chophien.vn").status_code == 303
    assert shop.post("/cart/add/", sent, HTTP_ORIGIN="http://testserver").status_code == 303
    assert shop.post("/cart/add/", sent).status_code == 303  # an old browser naming no origin
    assert Cart(shop.session).quantity_of(tea.pk) == 4


def test_other_cart_changes_still_need_the_token(tea):
    shop = Client(enforce_csrf_checks=True)
    shop.post("/cart/add/", {"product_id": tea.pk, "quantity": 1})
    assert (
        shop.post("/cart/remove/", {"product_id": tea.pk}, HTTP_SEC_FETCH_SITE="same-origin").status_code
        == 403
    )
    assert Cart(shop.session).quantity_of(tea.pk) == 1


def test_turned_off_with_page_cache_seconds_zero(tea, settings):
    settings.PAGE_CACHE_SECONDS = 0
    visit("/")
    assert visit("/")[1] > 0


def test_an_order_drops_the_kept_pages_but_not_the_catalogue_s_costly_answers(tea):
    """Stock is all an order changes: the filters and stall counts stay kept, pages do not."""
    shopper = visitor()
    shopper.post("/cart/add/", {"product_id": ProductFactory().pk, "quantity": 1})

    def catalogue_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert shopper.get("/products/").status_code == 200
        return len(queries)

    catalogue_queries()
    warm = catalogue_queries()
    visit(tea.get_absolute_url())
    placed_order({tea: 5})
    assert catalogue_queries() == warm
    assert "Hết hàng" in text(visit(tea.get_absolute_url())[0])
    tea.refresh_from_db()
    tea.name = "Chè Shan tuyết mới"
    tea.save()
    assert catalogue_queries() > warm


def test_a_head_request_never_hides_the_poster_scans_after_it(tea):
    url = tea.get_absolute_url() + "?utm_source=qr"
    visitor().head(url)
    for _ in range(2):
        visit(url)
    assert sum(QrVisit.objects.values_list("count", flat=True)) == 2


def test_a_visitor_refusing_gzip_never_leaves_an_uncompressed_page_for_the_others(tea):
    visit("/", HTTP_ACCEPT_ENCODING="x-nogzip")
    response, _ = visit("/")
    assert response["Content-Encoding"] == "gzip"


def test_made_up_query_strings_are_answered_but_not_kept(tea):
    visit("/products/?x=1")
    assert visit("/products/?x=1")[1] > 0
    visit("/products/?q=che&page=1")
    assert visit("/products/?q=che&page=1")[1] == 0


def test_made_up_query_strings_keep_no_cards_either(tea):
    """A visitor with a cart asking for made-up addresses leaves no kept cards behind."""
    from django.core.cache import cache

    def kept_grids() -> int:
        # The tests' cache is process memory (tests/settings.py): its keys can be read.
        return sum(":fragment:grid:" in key for key in cache._cache)

    shopper = visitor()
    shopper.post("/cart/add/", {"product_id": tea.pk, "quantity": 1})
    cache.clear()
    for n in range(5):
        assert "Chè Shan tuyết" in text(shopper.get(f"/products/?x={n}"))
    assert kept_grids() == 0
    shopper.get("/products/?sort=newest")
    assert kept_grids() == 1


def test_a_kept_page_still_checks_the_host(tea):
    visit("/")
    assert visitor(HTTP_HOST="evil.example").get("/").status_code == 400


def test_odd_switch_and_origin_values_answer_4xx_not_500(tea, client):
    for target in ("abc", "x", "%C3%A1", "%0d%0a", "home"):
        response = client.get(f"/language/en/?next={target}")
        assert response.status_code == 302 and response["Location"] == "/en/", target
    refused = Client().post("/cart/add/", {"product_id": tea.pk, "quantity": 1}, HTTP_REFERER="http://[evil")
    assert refused.status_code == 403
    assert client.post("/robots.txt").status_code == 405
