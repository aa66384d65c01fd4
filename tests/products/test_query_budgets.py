"""Public pages run a fixed number of queries, however many products and photos they show."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CategoryFactory, CooperativeFactory, ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10
PAGES = ["home", "catalogue", "search", "product", "stall", "stalls"]


def build(products: int, photos: int) -> dict:
    """One stall with `products` public products of `photos` photos each, all named 'Chè …'."""
    cooperative = CooperativeFactory(logo="", cover="")
    category = CategoryFactory()
    made = []
    for i in range(products):
        product = ProductFactory(cooperative=cooperative, category=category, name=f"Chè số {i}")
        for position in range(photos):
            ProductImageFactory(product=product, position=position)
        made.append(product)
    return {
        "home": "/",
        "catalogue": "/products/",
        "search": "/products/?q=che+so",
        "product": made[0].get_absolute_url(),
        "stall": cooperative.get_absolute_url(),
        "stalls": "/cooperatives/",
    }


def count_queries(client, url: str) -> int:
    """Queries for one cold page view (empty cache, as after a deploy)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def counts(client, urls: dict) -> dict:
    return {page: count_queries(client, urls[page]) for page in PAGES}


def test_pages_stay_within_budget_with_twelve_products(client, django_assert_max_num_queries):
    """With 12 products of 3 photos each, every public page runs at most 10 queries."""
    urls = build(products=12, photos=3)
    for page in PAGES:
        cache.clear()
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(urls[page]).status_code == 200


def test_query_count_does_not_grow_with_products_or_photos(client):
    """Each page runs the same number of queries for 1 product × 1 photo and full pages of 3 photos."""
    few = counts(client, build(products=1, photos=1))
    # A second stall with 13 products: full pages of 12, a second page, four 'more from stall'.
    many = counts(client, build(products=13, photos=3))
    print("queries per page (1×1 vs 13×3):", {page: (few[page], many[page]) for page in PAGES})
    assert few == many


def _counts_and_page(client, url: str) -> tuple[int, str]:
    """How many COUNT queries the page ran, and the page."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return sum("COUNT(" in query["sql"] for query in queries.captured_queries), response.content.decode()


def test_listing_counts_are_kept_until_the_catalogue_changes(client):
    """The catalogue's, a category's and a stall's counts are counted once (a capped COUNT of a
    12,000-product stall cost 8 ms a view), then kept until a product changes, for a visitor
    whose pages are rendered (one with a cart)."""
    urls = build(products=3, photos=1)
    tea = ProductFactory(name="Chè mới", stock=9)
    client.post("/cart/add/", {"product_id": tea.pk, "quantity": 1})
    cache.clear()
    category = f"/products/?category={tea.category.slug}"
    for url in (urls["catalogue"], category, urls["stall"]):
        assert _counts_and_page(client, url)[0] == 1, url
        assert _counts_and_page(client, url)[0] == 0, url
    assert shown_count(client, "/products/") == "4 sản phẩm"
    assert shown_count(client, category) == "1 sản phẩm"
    tea.is_published = False
    tea.save()
    assert shown_count(client, "/products/") == "3 sản phẩm"
    assert shown_count(client, category) is None, "an empty category says so instead"
    ProductFactory(cooperative=tea.cooperative)
    assert shown_count(client, "/products/") == "4 sản phẩm"


def shown_count(client, url: str) -> str | None:
    """The catalogue's line that says how many products it lists."""
    found = re.search(r'<p class="text-muted small">([^<]*)</p>', _counts_and_page(client, url)[1])
    return found and found.group(1)
