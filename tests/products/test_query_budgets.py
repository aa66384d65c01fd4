"""Public pages run a fixed number of queries, however many products and photos they show."""

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
