"""reviews.services: who may review, what a change does to the product's stars, photos cleaned."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from reviews import services
from reviews.exceptions import EditWindowClosed, NotDelivered
from reviews.models import Review, ReviewPhoto
from storefront.lib.catalogue_cache import catalogue_version
from tests.factories import UserFactory

from .conftest import BLUE, RED, items_of, phone_photo

pytestmark = pytest.mark.django_db


def save(item, stars=5, text="Chè thơm, đóng gói cẩn thận.", **extra):
    return services.review_save(item=item, stars=stars, text=text, author_name="Lan, Hà Nội", **extra)


def test_default_name_is_given_name_and_province(line):
    """The name shown by default is the last word of the buyer's name and their province."""
    assert services.review_default_name(item=line) == "Lan, Hà Nội"


def test_a_review_counts_in_the_products_stars(line, tea):
    """A review adds to the product's count and average, kept on the product row."""
    saved = save(line, stars=4)
    assert saved.created
    tea.refresh_from_db()
    assert (tea.rating_count, tea.rating_average, tea.stars_4) == (1, 4.0, 1)


def test_a_line_not_delivered_cannot_be_reviewed(order, tea):
    """Until the stall delivers its part, nobody can review the line."""
    item = next(item for item in items_of(order) if item.product_id == tea.pk)
    with pytest.raises(NotDelivered):
        save(item)
    assert not Review.objects.exists()


def test_the_same_review_sent_twice_is_one_review(line, tea):
    """A double tap or a resend changes nothing the second time: one review, counted once."""
    first = save(line, photos=[phone_photo()])
    second = save(line, photos=[phone_photo()])
    assert first.review.pk == second.review.pk and not second.created
    assert Review.objects.count() == 1 and ReviewPhoto.objects.count() == 1
    tea.refresh_from_db()
    assert tea.rating_count == 1
    assert second.review.edited_at is None


def test_a_change_within_30_days_replaces_the_stars(line, tea):
    """The buyer may change their stars and text for 30 days; the average follows."""
    save(line, stars=2)
    saved = save(line, stars=5, text="Lần hai uống thấy ngon hơn.")
    tea.refresh_from_db()
    assert (tea.rating_count, tea.rating_average) == (1, 5.0)
    assert saved.review.edited_at is not None


def test_no_change_after_30_days(line):
    """After 30 days the review stays as it is."""
    save(line, stars=3)
    later = timezone.now() + timedelta(days=31)
    with pytest.raises(EditWindowClosed):
        save(line, stars=1, now=later)
    assert Review.objects.get().stars == 3


def test_averages_over_several_lines(delivered, tea, honey):
    """Each product has its own count; the spread lists every star from 5 down to 1."""
    for item in items_of(delivered):
        save(item, stars=5 if item.product_id == tea.pk else 2)
    tea.refresh_from_db()
    honey.refresh_from_db()
    assert (tea.rating_count, honey.rating_average) == (1, 2.0)
    assert [row["count"] for row in tea.ratings.spread] == [1, 0, 0, 0, 0]
    assert tea.ratings.spread[0]["percent"] == 100


def test_a_hidden_review_leaves_the_averages(line, tea):
    """Hidden by the admin (with a reason), the review no longer counts; shown again, it does."""
    review = save(line, stars=1).review
    services.review_hide(review=review, reason="Quảng cáo")
    tea.refresh_from_db()
    assert tea.rating_count == 0 and tea.rating_average is None
    services.review_show(review=review)
    tea.refresh_from_db()
    assert tea.rating_count == 1


def test_hiding_needs_a_reason(line):
    review = save(line).review
    with pytest.raises(ValueError):
        services.review_hide(review=review, reason="   ")


def test_every_change_bumps_the_catalogue_version(line):
    """New, changed, hidden reviews and replies all change what public pages show."""
    seen = {catalogue_version()}
    review = save(line).review
    seen.add(catalogue_version())
    save(line, stars=3)
    seen.add(catalogue_version())
    services.review_reply(review=review, text="Cảm ơn chị!", user=UserFactory())
    seen.add(catalogue_version())
    services.review_hide(review=review, reason="Thử")
    seen.add(catalogue_version())
    assert len(seen) == 5


def test_one_reply_per_review(line):
    """The stall's reply is one text: writing again replaces it, an empty one removes it."""
    review = save(line).review
    user = UserFactory()
    services.review_reply(review=review, text="Cảm ơn chị!", user=user)
    services.review_reply(review=review, text="Cảm ơn chị nhiều!", user=user)
    review.refresh_from_db()
    assert review.reply == "Cảm ơn chị nhiều!" and review.replied_by == user
    services.review_reply(review=review, text="", user=user)
    review.refresh_from_db()
    assert review.reply == "" and review.replied_at is None


def test_photos_are_cleaned_like_product_photos(line):
    """A sideways phone photo with GPS is stored upright, with no EXIF or GPS in any file."""
    review = save(line, photos=[phone_photo()]).review
    photo = review.photos.get()
    names = photo.photo.names(photo.image.name)
    assert len(names) >= 4
    assert (photo.image_meta["width"], photo.image_meta["height"]) == (300, 400)
    for name in names:
        with default_storage.open(name) as f:
            data = f.read()
        image = Image.open(io.BytesIO(data))
        image.load()
        assert not image.getexif() and b"PhoneMaker" not in data
        assert image.height > image.width
        rgb = image.convert("RGB")
        top, bottom = (
            rgb.getpixel((image.width // 2, image.height // 5)),
            rgb.getpixel((image.width // 2, image.height * 4 // 5)),
        )
        assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0], (RED, BLUE)


def test_at_most_three_photos(line):
    """A fourth photo finds no room and is reported, not stored."""
    save(line, photos=[phone_photo(f"{n}.jpg", colour=(n * 40, 10, 10)) for n in range(3)])
    saved = save(line, photos=[phone_photo("4.jpg", colour=(10, 200, 10))])
    assert saved.photos_left_out == 1
    assert ReviewPhoto.objects.count() == 3


def test_removing_a_photo_deletes_its_files(line, django_capture_on_commit_callbacks):
    review = save(line, photos=[phone_photo()]).review
    photo = review.photos.get()
    names = photo.photo.names(photo.image.name)
    with django_capture_on_commit_callbacks(execute=True):
        save(line, remove_photo_ids=[photo.pk])
    assert not ReviewPhoto.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_deleting_a_review_recounts(line, tea):
    review = save(line).review
    services.review_delete(review=review)
    tea.refresh_from_db()
    assert tea.rating_count == 0
