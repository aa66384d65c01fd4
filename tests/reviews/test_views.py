"""The buyer's review form, the order page's invitations, and what the product page shows."""

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orders.choices import EventKind
from orders.tasks import mail_notice
from reviews import services
from reviews.models import Review
from tests.factories import OrderItemFactory, ProductImageFactory

from .conftest import deliver, items_of, open_order, phone_photo

pytestmark = pytest.mark.django_db
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def form_url(order, item) -> str:
    return reverse("reviews:review-form", args=[order.code, item.pk])


def post(client, order, item, **data):
    values = {"stars": "5", "text": "Chè thơm, nước xanh.", "author_name": "Lan, Hà Nội", **data}
    return client.post(form_url(order, item), values)


def product_jsonld(response) -> dict:
    documents = [json.loads(block) for block in SCRIPT.findall(response.content.decode())]
    return next(d for d in documents if d["@type"] == "Product")


# The order page and the mail -----------------------------------------------------------------


def test_order_page_invites_a_review_of_each_delivered_line(client, delivered):
    """Once delivered, the order page has a "Viết đánh giá" link for each product in the part."""
    open_order(client, delivered)
    page = client.get(delivered.get_absolute_url()).content.decode()
    for item in items_of(delivered):
        assert form_url(delivered, item) in page
    assert page.count("Viết đánh giá") == 2


def test_order_page_has_no_invitation_before_delivery(client, order):
    open_order(client, order)
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Viết đánh giá" not in page and "/reviews/" not in page


def test_order_page_shows_the_buyers_review_with_a_way_to_change_it(client, delivered, line):
    open_order(client, delivered)
    services.review_save(item=line, stars=4, text="", author_name="Lan")
    page = client.get(delivered.get_absolute_url()).content.decode()
    assert "Sửa đánh giá" in page and "4 trên 5 sao" in page


def test_delivered_mail_invites_a_review(delivered):
    """The "delivered" mail names each product and asks for stars, words and photos."""
    mail.outbox.clear()
    part = delivered.cooperative_orders.get()
    mail_notice(notice="changed_buyer", order_id=delivered.pk, part_id=part.pk, kind=EventKind.DELIVERED)
    body = mail.outbox[-1].body
    assert "chấm sao" in body and "- Chè Shan tuyết" in body and "- Mật ong bạc hà" in body


# The form ------------------------------------------------------------------------------------


def test_form_offers_stars_as_radios_and_the_default_name(client, delivered, line):
    open_order(client, delivered)
    page = client.get(form_url(delivered, line)).content.decode()
    assert page.count('type="radio" name="stars"') == 5
    assert "<legend" in page and 'value="Lan, Hà Nội"' in page
    assert 'enctype="multipart/form-data"' in page


def test_posting_a_review_with_a_photo(client, delivered, line, tea):
    """The review is saved, the buyer is sent back to the order, the product page shows it."""
    open_order(client, delivered)
    response = post(client, delivered, line, photos=[phone_photo()])
    assert response.status_code == 303
    assert response["Location"].endswith(f"#review-item-{line.pk}")
    review = Review.objects.get()
    assert (review.stars, review.photos.count()) == (5, 1)
    page = client.get(tea.get_absolute_url()).content.decode()
    assert "Chè thơm, nước xanh." in page and "Đã mua hàng" in page and "Lan, Hà Nội" in page


def test_the_same_post_twice_makes_one_review(client, delivered, line):
    open_order(client, delivered)
    post(client, delivered, line, photos=[phone_photo()])
    post(client, delivered, line, photos=[phone_photo()])
    assert Review.objects.count() == 1 and Review.objects.get().photos.count() == 1


def test_editing_within_30_days(client, delivered, line):
    open_order(client, delivered)
    post(client, delivered, line, stars="2")
    page = client.get(form_url(delivered, line)).content.decode()
    assert "Sửa đánh giá" in page
    assert re.search(r'<input[^>]*value="2"[^>]*checked', page)
    post(client, delivered, line, stars="4")
    assert Review.objects.get().stars == 4


def test_editing_after_30_days_is_refused(client, delivered, line):
    open_order(client, delivered)
    post(client, delivered, line, stars="2")
    Review.objects.update(created_at=timezone.now() - timedelta(days=31))
    response = post(client, delivered, line, stars="5")
    assert response.status_code == 403
    assert "30 ngày" in response.content.decode()
    assert Review.objects.get().stars == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "x" * 10_000}, "tối đa 1000 ký tự"),
        ({"text": "Mua ở <a href='http://spam.example'>đây</a>"}, "thẻ HTML"),
        ({"text": "Rẻ hơn ở shopgiare.vn nhé"}, "đường link"),
        ({"text": "Xem http://spam.example"}, "đường link"),
        ({"author_name": "<script>alert(1)</script>"}, "thẻ HTML"),
        ({"author_name": "   "}, "Hãy ghi một tên"),
        ({"stars": "6"}, "Hãy chọn số sao"),
        ({"stars": ""}, "Hãy chọn số sao"),
        ({"stars": "abc"}, "Hãy chọn số sao"),
    ],
)
def test_odd_input_gets_a_message_and_a_400(client, delivered, line, data, message):
    """Nothing is saved; the page says what to change and keeps what was typed."""
    open_order(client, delivered)
    response = post(client, delivered, line, **data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "<script>alert(1)</script>" not in page and "<a href='http://spam.example'>" not in page
    assert not Review.objects.exists()


def test_a_file_that_is_not_a_photo_gets_a_message(client, delivered, line):
    from django.core.files.uploadedfile import SimpleUploadedFile

    open_order(client, delivered)
    bad = SimpleUploadedFile("a.jpg", b"not a photo", content_type="image/jpeg")
    response = post(client, delivered, line, photos=[bad])
    assert response.status_code == 400 and "không phải ảnh" in response.content.decode()


def test_four_photos_are_refused_with_a_message(client, delivered, line):
    open_order(client, delivered)
    photos = [phone_photo(f"{n}.jpg", colour=(n * 50, 20, 20)) for n in range(4)]
    response = post(client, delivered, line, photos=photos)
    assert response.status_code == 400 and "tối đa 3 ảnh" in response.content.decode()


def test_emoji_and_markup_like_text_are_kept_and_escaped(client, delivered, line, tea):
    """Emoji are kept; "<3" and "a & b" are not tags and come out escaped everywhere."""
    open_order(client, delivered)
    text = 'Ngon lắm 😋🍵 <3 "chè" & mật'
    assert post(client, delivered, line, text=text).status_code == 303
    response = client.get(tea.get_absolute_url())
    page = response.content.decode()
    assert "Ngon lắm 😋🍵 &lt;3 &quot;chè&quot; &amp; mật" in page
    assert product_jsonld(response)["review"][0]["reviewBody"] == text


def test_a_forged_line_id_is_refused(client, delivered, line):
    """A line from someone else's order, or none at all, answers 404 with a message; nothing saved."""
    open_order(client, delivered)
    other = OrderItemFactory()
    for item_id in (other.pk, 999_999):
        response = client.post(
            reverse("reviews:review-form", args=[delivered.code, item_id]), {"stars": "1", "author_name": "X"}
        )
        assert response.status_code == 404
        assert "Không tìm thấy sản phẩm này trong đơn" in response.content.decode()
    assert not Review.objects.exists()


def test_an_empty_post_gets_a_message(client, delivered, line):
    open_order(client, delivered)
    response = client.post(form_url(delivered, line), {})
    assert response.status_code == 400 and "Hãy chọn số sao" in response.content.decode()


def test_someone_else_cannot_open_the_form(client, delivered, line):
    """Without the order in this browser (another phone, a guessed code), the same 404 as the order."""
    response = post(client, delivered, line)
    assert response.status_code == 404
    assert "Tra cứu đơn hàng" in response.content.decode()
    assert not Review.objects.exists()


def test_a_line_not_yet_delivered_is_refused(client, order, tea):
    open_order(client, order)
    item = items_of(order)[0]
    response = post(client, order, item)
    assert response.status_code == 403 and "đã giao đến bạn" in response.content.decode()
    assert not Review.objects.exists()


def test_removing_a_photo_from_the_form(client, delivered, line):
    open_order(client, delivered)
    post(client, delivered, line, photos=[phone_photo()])
    photo = Review.objects.get().photos.get()
    assert post(client, delivered, line, remove_photos=[str(photo.pk)]).status_code == 303
    assert not Review.objects.get().photos.exists()


# The product page ----------------------------------------------------------------------------


def test_product_page_shows_average_count_spread_and_jsonld(client, delivered, tea, honey):
    for item in items_of(delivered):
        services.review_save(item=item, stars=4, text="Tốt", author_name="Lan, Hà Nội")
    response = client.get(tea.get_absolute_url())
    page = response.content.decode()
    assert "4,0" in page and "1 đánh giá" in page and 'value="100"' in page
    data = product_jsonld(response)
    assert data["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": "4.0",
        "reviewCount": 1,
        "bestRating": "5",
        "worstRating": "1",
    }
    assert data["review"][0]["author"]["name"] == "Lan, Hà Nội"
    assert data["review"][0]["reviewRating"]["ratingValue"] == "4"


def test_a_product_without_reviews_says_so_and_has_no_rating_in_jsonld(client, tea):
    response = client.get(tea.get_absolute_url())
    assert "Chưa có đánh giá" in response.content.decode()
    assert "aggregateRating" not in product_jsonld(response)


def test_hidden_reviews_are_not_shown(client, line, tea):
    review = services.review_save(item=line, stars=1, text="Mua ở chỗ khác rẻ hơn", author_name="X").review
    services.review_hide(review=review, reason="Quảng cáo")
    page = client.get(tea.get_absolute_url()).content.decode()
    assert "Mua ở chỗ khác" not in page and "Chưa có đánh giá" in page


def test_the_stalls_reply_is_shown_under_the_review(client, line, tea):
    from tests.factories import UserFactory

    review = services.review_save(item=line, stars=5, text="Ngon", author_name="Lan").review
    services.review_reply(review=review, text="Cảm ơn chị <3", user=UserFactory())
    page = client.get(tea.get_absolute_url()).content.decode()
    assert "HTX Chè Lũng Phìn trả lời" in page and "Cảm ơn chị &lt;3" in page


def _reviews_of(tea, stall, count: int, photos: int = 0):
    from tests.factories import placed_order

    for n in range(count):
        order = deliver(placed_order({tea: 1}, full_name=f"Người Mua {n}"))
        item = items_of(order)[0]
        services.review_save(
            item=item,
            stars=1 + n % 5,
            text=f"Nhận xét số {n}",
            author_name=f"Người {n}",
            photos=[phone_photo(f"{n}-{p}.jpg", colour=(n * 20 % 255, p * 60, 30)) for p in range(photos)],
        )


def test_reviews_are_paginated_newest_first(client, tea, stall):
    _reviews_of(tea, stall, 7)
    first = client.get(tea.get_absolute_url()).content.decode()
    assert "Nhận xét số 6" in first and "Nhận xét số 1" not in first
    assert "?page=2#reviews" in first
    second = client.get(f"{tea.get_absolute_url()}?page=2").content.decode()
    assert "Nhận xét số 1" in second and "Nhận xét số 6" not in second


@pytest.mark.parametrize("page", ["abc", "-1", "0", "999", "1.5", "%00"])
def test_a_bad_page_number_shows_a_page_that_exists(client, tea, stall, page):
    _reviews_of(tea, stall, 6)
    response = client.get(f"{tea.get_absolute_url()}?page={page}")
    assert response.status_code == 200
    assert "Nhận xét số" in response.content.decode()


def _queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_product_page_queries_do_not_grow_with_reviews_or_photos(client, tea, stall, honey):
    """One review without photos or five with two photos each: the same number of queries."""
    ProductImageFactory(product=tea)
    _reviews_of(honey, stall, 1)
    _reviews_of(tea, stall, 5, photos=2)
    assert _queries(client, honey.get_absolute_url()) == _queries(client, tea.get_absolute_url())
    # A product without reviews reads none of them.
    tea.refresh_from_db()
    assert _queries(client, tea.get_absolute_url()) <= 10


def test_cards_and_the_stall_page_show_the_average(client, delivered, tea, honey, stall):
    for item in items_of(delivered):
        services.review_save(item=item, stars=5 if item.product_id == tea.pk else 3, text="", author_name="L")
    catalogue = client.get("/products/").content.decode()
    assert "5,0" in catalogue and "3,0" in catalogue
    stall_page = client.get(stall.get_absolute_url()).content.decode()
    # The stall's own line: 2 reviews, average 4.
    assert "4,0" in stall_page and "2 đánh giá" in stall_page


def test_the_stall_pages_kept_star_sums_follow_each_new_review(client, delivered, tea, stall):
    """The stall's sums are kept between views (summing a large stall is slow); a review changes
    them at once, for the next visitor."""
    first, second = items_of(delivered)
    assert "1 đánh giá" not in client.get(stall.get_absolute_url()).content.decode()
    services.review_save(item=first, stars=5, text="", author_name="L")
    page = client.get(stall.get_absolute_url()).content.decode()
    assert "5,0" in page and "1 đánh giá" in page
    services.review_save(item=second, stars=2, text="", author_name="M")
    page = client.get(stall.get_absolute_url()).content.decode()
    assert "3,5" in page and "2 đánh giá" in page


def test_kept_page_shows_a_new_review_at_once(client, line, tea):
    """Anonymous visitors get kept pages; a new review, a reply or a hidden one shows at once."""
    from tests.factories import UserFactory

    url = tea.get_absolute_url()
    assert "Chưa có đánh giá" in client.get(url).content.decode()
    assert "Chưa có đánh giá" in client.get(url).content.decode()
    review = services.review_save(item=line, stars=5, text="Tuyệt vời", author_name="Lan").review
    assert "Tuyệt vời" in client.get(url).content.decode()
    services.review_reply(review=review, text="Cảm ơn chị", user=UserFactory())
    assert "Cảm ơn chị" in client.get(url).content.decode()
    services.review_hide(review=review, reason="Thử")
    assert "Tuyệt vời" not in client.get(url).content.decode()


def test_english_product_page_shows_reviews(client, line, tea):
    services.review_save(item=line, stars=5, text="Ngon", author_name="Lan")
    page = client.get(f"/en{tea.get_absolute_url()}").content.decode()
    assert "Verified purchase" in page and "Reviews from buyers" in page


def test_order_page_queries_do_not_grow_with_reviews(client, delivered):
    """A delivered order reads its reviews in one query, however many lines have one (with photos)."""
    open_order(client, delivered)
    url = delivered.get_absolute_url()
    before = _queries(client, url)
    for item in items_of(delivered):
        services.review_save(
            item=item, stars=5, text="", author_name="Lan", photos=[phone_photo(f"{item.pk}.jpg")]
        )
    after = _queries(client, url)
    assert after == before
    assert client.get(url).content.decode().count("Sửa đánh giá") == 2


def test_data_saver_pages_send_no_review_photo(client, line, tea):
    """With Save-Data: on, a review's photo is its colour until tapped (the link opens it)."""
    services.review_save(item=line, stars=5, text="Ngon", author_name="Lan", photos=[phone_photo()])
    photo = Review.objects.get().photos.get()
    page = client.get(tea.get_absolute_url(), HTTP_SAVE_DATA="on").content.decode()
    review = page[page.index('id="reviews"') :]
    assert "data:image/gif" in review and f'src="/media/{photo.photo.closest(160)}' not in review
    assert f"/media/{photo.photo.closest(720)}" in review
    plain = client.get(tea.get_absolute_url()).content.decode()
    assert f"/media/{photo.photo.closest(160)}" in plain[plain.index('id="reviews"') :]


def test_english_order_page_and_form(client, delivered, line):
    """An order placed in English invites the review in English, and the form speaks English."""
    open_order(client, delivered)
    page = client.get(f"/en{delivered.get_absolute_url()}").content.decode()
    assert "Write a review" in page and f"/en/orders/{delivered.code}/reviews/{line.pk}/" in page
    form = client.get(f"/en/orders/{delivered.code}/reviews/{line.pk}/").content.decode()
    assert "How many stars do you give?" in form and "5 stars: very happy" in form
