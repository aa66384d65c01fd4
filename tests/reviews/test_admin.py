"""The admin hides a review with a reason (an action or the review's page); it leaves the averages."""

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import Review
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:reviews_review_changelist")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def review(line):
    return services.review_save(item=line, stars=5, text="Khuyến mãi tại nhà tôi", author_name="X").review


def test_hide_action_needs_a_reason(admin_client, review, tea):
    response = admin_client.post(
        CHANGELIST, {"action": "hide", "_selected_action": [review.pk], "reason": ""}, follow=True
    )
    assert "Hãy điền lý do ẩn" in response.content.decode()
    review.refresh_from_db()
    assert not review.is_hidden


def test_hide_action_with_a_reason(admin_client, review, tea):
    admin_client.post(CHANGELIST, {"action": "hide", "_selected_action": [review.pk], "reason": "Quảng cáo"})
    review.refresh_from_db()
    tea.refresh_from_db()
    assert review.is_hidden and review.hidden_reason == "Quảng cáo" and tea.rating_count == 0
    admin_client.post(CHANGELIST, {"action": "show", "_selected_action": [review.pk]})
    tea.refresh_from_db()
    assert tea.rating_count == 1


def test_hiding_on_the_reviews_page(admin_client, review, tea):
    url = reverse("admin:reviews_review_change", args=[review.pk])
    page = admin_client.get(url).content.decode()
    assert "Khuyến mãi tại nhà tôi" in page
    inline = {"photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0"}
    response = admin_client.post(url, {"is_hidden": "on", "hidden_reason": "", **inline})
    assert response.status_code == 200 and "Hãy ghi lý do ẩn" in response.content.decode()
    assert (
        admin_client.post(url, {"is_hidden": "on", "hidden_reason": "Lời lẽ xúc phạm", **inline}).status_code
        == 302
    )
    tea.refresh_from_db()
    assert Review.objects.get().is_hidden and tea.rating_count == 0


def test_the_admin_cannot_write_reviews(admin_client):
    assert admin_client.get(reverse("admin:reviews_review_add")).status_code == 403


def test_deleting_recounts(admin_client, review, tea):
    admin_client.post(reverse("admin:reviews_review_delete", args=[review.pk]), {"post": "yes"})
    tea.refresh_from_db()
    assert not Review.objects.exists() and tea.rating_count == 0


def test_admin_lists_and_searches(admin_client, review):
    page = admin_client.get(f"{CHANGELIST}?q=khuyến").content.decode()
    assert "Chè Shan tuyết" in page
