"""What buyers, stalls and the admin write about reviews. Every change recounts the product's
stars (products.services.product_ratings_set), which also makes kept public pages stale."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orders.choices import Status
from orders.models import OrderItem
from products import images
from products.services import product_lock, product_ratings_set
from products.uploads import upload_digest
from storefront.lib.catalogue_cache import catalogue_changed_now_and_at_commit

from .exceptions import EditWindowClosed, NotDelivered, ReviewRefused
from .models import EDIT_DAYS, MAX_PHOTOS, Review, ReviewPhoto

# A review photo is shown small (a thumbnail row, at most a phone's width when opened).
PHOTO_WIDTHS = (160, 360, 720)


@dataclass(frozen=True)
class ReviewSaved:
    review: Review
    created: bool
    # New photos that found no room (the review had MAX_PHOTOS already).
    photos_left_out: int = 0


def review_default_name(*, item: OrderItem) -> str:
    """The buyer's given name (the last word of a Vietnamese full name) and province: "Lan, Hà Nội"."""
    order = item.cooperative_order.order
    words = order.full_name.split()
    given = words[-1] if words else ""
    return ", ".join(part for part in (given, order.province_name) if part)


def _recount(*, product_id: int) -> None:
    rows = (
        Review.objects.visible()
        .filter(product_id=product_id)
        .order_by()
        .values("stars")
        .annotate(n=Count("pk"))
    )
    product_ratings_set(product_id=product_id, spread={row["stars"]: row["n"] for row in rows})


def _photos_attach(*, review: Review, uploads: Sequence, remove_ids: Collection[int]) -> int:
    """Remove the photos the buyer unticked and attach new ones (each once); returns how many new
    ones found no room."""
    own = ReviewPhoto.objects.filter(review=review)
    if remove_ids:
        for photo in own.filter(pk__in=list(remove_ids)):
            photo.delete()
    known = set(own.values_list("upload_digest", flat=True))
    room = MAX_PHOTOS - own.count()
    position = max(own.values_list("position", flat=True), default=-1)
    left_out = 0
    for upload in uploads:
        digest = upload_digest(upload)
        if digest in known:
            continue
        if room <= 0:
            left_out += 1
            continue
        photo = ReviewPhoto(review=review, position=position + 1, upload_digest=digest)
        # The same cleaning as product photos: upright, no metadata (no GPS), capped, renditions.
        photo.image_meta = images.store(photo.image, upload, widths=PHOTO_WIDTHS).to_meta()
        photo.save()
        known.add(digest)
        position += 1
        room -= 1
    return left_out


def review_save(
    *,
    item: OrderItem,
    stars: int,
    text: str,
    author_name: str,
    photos: Sequence = (),
    remove_photo_ids: Collection[int] = (),
    now: datetime | None = None,
) -> ReviewSaved:
    """Write or change the one review of an order line, by the buyer who received it.

    Refused (ReviewRefused) unless the stall's part is delivered and, for a change, the review is
    younger than EDIT_DAYS. The same form sent twice changes nothing the second time: the line
    has one review, and a photo already attached (same bytes) is not attached again.
    """
    now = now or timezone.now()
    part = item.cooperative_order
    if part.status != Status.DELIVERED:
        raise NotDelivered
    if item.product_id is None:
        raise ReviewRefused(_("Sản phẩm này không còn trên chợ nên không đánh giá được."))
    with transaction.atomic():
        product_lock(product_id=item.product_id)
        review = Review.objects.select_for_update().filter(order_item=item).first()
        created = review is None
        if created:
            review = Review(
                order_item=item,
                product_id=item.product_id,
                cooperative_id=part.cooperative_id,
                created_at=now,
            )
        elif not review.is_editable(now):
            raise EditWindowClosed(EDIT_DAYS)
        changed = (review.stars, review.text, review.author_name) != (stars, text, author_name)
        review.stars, review.text, review.author_name = stars, text, author_name
        if changed and not created:
            review.edited_at = now
        review.save()
        left_out = _photos_attach(review=review, uploads=photos, remove_ids=remove_photo_ids)
        _recount(product_id=review.product_id)
    return ReviewSaved(review=review, created=created, photos_left_out=left_out)


def review_reply(*, review: Review, text: str, user: AbstractBaseUser) -> Review:
    """The stall's one public answer to a review: written, changed, or removed with an empty text."""
    text = text.strip()
    if text == review.reply:
        return review
    review.reply = text
    review.replied_at = timezone.now() if text else None
    review.replied_by = user if text else None
    review.save(update_fields=["reply", "replied_at", "replied_by", "updated_at"])
    catalogue_changed_now_and_at_commit()
    return review


@transaction.atomic
def review_hide(*, review: Review, reason: str) -> Review:
    """Take a review off the market (the admin's decision, with its reason); it leaves the averages."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValueError("a hidden review needs a reason")
    product_lock(product_id=review.product_id)
    review.is_hidden, review.hidden_reason = True, reason[:300]
    review.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
    _recount(product_id=review.product_id)
    return review


@transaction.atomic
def review_show(*, review: Review) -> Review:
    """Put a hidden review back; it counts in the averages again."""
    product_lock(product_id=review.product_id)
    review.is_hidden, review.hidden_reason = False, ""
    review.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
    _recount(product_id=review.product_id)
    return review


@transaction.atomic
def review_delete(*, review: Review) -> None:
    """Remove a review for good (the admin's delete), photos and all, and recount its product."""
    product_lock(product_id=review.product_id)
    product_id = review.product_id
    for photo in review.photos.all():
        photo.delete()
    review.delete()
    _recount(product_id=product_id)
