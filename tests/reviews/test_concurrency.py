"""Real threads on separate connections: the same review sent twice at once is one review, and
reviews of one product saved at once all count (SQLite file database and PostgreSQL)."""

import pytest

from reviews import services
from reviews.models import Review
from tests.factories import placed_order
from tests.orders.test_concurrency import run_at_once

from .conftest import deliver, items_of

pytestmark = pytest.mark.django_db(transaction=True)


def save(item, stars):
    return lambda: services.review_save(item=item, stars=stars, text="Ngon", author_name="Lan")


def test_the_same_review_sent_twice_at_once_is_one_review(tea):
    item = items_of(deliver(placed_order({tea: 1})))[0]
    outcomes = run_at_once([save(item, 5), save(item, 5)])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert Review.objects.count() == 1
    tea.refresh_from_db()
    assert tea.rating_count == 1


def test_reviews_of_one_product_saved_at_once_all_count(tea):
    items = [items_of(deliver(placed_order({tea: 1})))[0] for _ in range(4)]
    outcomes = run_at_once([save(item, 1 + n) for n, item in enumerate(items)])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    tea.refresh_from_db()
    assert (tea.rating_count, tea.rating_average) == (4, 2.5)
