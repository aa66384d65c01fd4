"""The schema.org Reviews of the reviews a product page shows, for products.jsonld to put in the
product's `review` (products builds the Product and its aggregateRating; it never reads reviews)."""

from django.core.files.storage import default_storage
from django.utils import timezone

from storefront.lib.jsonld import absolute, filled

from .models import Review


def review(item: Review) -> dict:
    data = {
        "@type": "Review",
        "author": {"@type": "Person", "name": item.author_name},
        "datePublished": timezone.localtime(item.created_at).date().isoformat(),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": str(item.stars),
            "bestRating": "5",
            "worstRating": "1",
        },
        "reviewBody": item.text,
    }
    photos = [absolute(default_storage.url(p.photo.largest)) for p in item.photos.all() if p.photo]
    if photos:
        data["image"] = photos
    return filled(data)


def reviews(items) -> list[dict]:
    return [review(item) for item in items]
