"""The stall's reviews in the dashboard, its one public reply, and who may write it."""

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import Review
from tests.dashboard import make_stall
from tests.factories import placed_order

from .conftest import deliver, items_of

pytestmark = pytest.mark.django_db
LIST = reverse("dashboard-reviews:list")


@pytest.fixture
def stall():
    return make_stall(stock=20)


@pytest.fixture
def review(stall):
    order = deliver(placed_order({stall.product: 1}))
    return services.review_save(item=items_of(order)[0], stars=4, text="Thơm, ngon", author_name="Lan").review


def reply_url(review) -> str:
    return reverse("dashboard-reviews:reply", args=[review.pk])


def test_the_list_shows_the_stalls_reviews(client, stall, review):
    client.force_login(stall.owner)
    page = client.get(LIST).content.decode()
    assert "Thơm, ngon" in page and "4 trên 5 sao" in page and reply_url(review) in page


def test_an_owner_replies_once_and_can_change_it(client, stall, review):
    client.force_login(stall.owner)
    response = client.post(reply_url(review), {"reply": "Cảm ơn chị đã ủng hộ!"})
    assert response.status_code == 303
    client.post(reply_url(review), {"reply": "Cảm ơn chị nhiều!"})
    review.refresh_from_db()
    assert review.reply == "Cảm ơn chị nhiều!" and review.replied_by == stall.owner
    page = client.get(stall.product.get_absolute_url()).content.decode()
    assert "Cảm ơn chị nhiều!" in page and "Cảm ơn chị đã ủng hộ!" not in page


def test_a_reply_with_a_link_or_too_long_is_refused(client, stall, review):
    client.force_login(stall.member)
    for text, message in (("Xem www.khac.vn", "đường link"), ("x" * 1001, "tối đa 1000 ký tự")):
        response = client.post(reply_url(review), {"reply": text})
        assert response.status_code == 400 and message in response.content.decode()
    review.refresh_from_db()
    assert review.reply == ""


def test_a_helper_reads_reviews_but_does_not_reply(client, stall, review):
    client.force_login(stall.helper)
    page = client.get(LIST).content.decode()
    assert "Thơm, ngon" in page and reply_url(review) not in page
    assert client.post(reply_url(review), {"reply": "Chào"}).status_code == 403


def test_another_stalls_review_is_not_found(client, stall, review):
    other = make_stall(name="HTX Khác")
    client.force_login(other.owner)
    assert client.post(reply_url(review), {"reply": "Chào"}).status_code == 404
    assert "Thơm, ngon" not in client.get(LIST).content.decode()


def test_filters(client, stall, review):
    client.force_login(stall.owner)
    assert "Thơm, ngon" in client.get(f"{LIST}?show=unanswered").content.decode()
    services.review_reply(review=review, text="Cảm ơn", user=stall.owner)
    assert "Thơm, ngon" not in client.get(f"{LIST}?show=unanswered").content.decode()
    assert client.get(f"{LIST}?show=nonsense&page=zzz").status_code == 200


def test_the_list_queries_do_not_grow(client, stall, review, django_assert_max_num_queries):
    for _ in range(4):
        order = deliver(placed_order({stall.product: 1}))
        services.review_save(item=items_of(order)[0], stars=5, text="", author_name="B")
    client.force_login(stall.owner)
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200
    assert Review.objects.count() == 5
