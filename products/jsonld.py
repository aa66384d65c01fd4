"""Schema.org descriptions (JSON-LD) of product and stall pages, in the page's language.

Built from rows the page already loaded (the product with its stall, category and photos; the
stall), so they add no queries. Only public pages include them, and those 404 for anything
hidden, so an unpublished product or an unverified stall is never described.
"""

from collections.abc import Sequence
from contextlib import suppress

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext as _

from storefront.lib.jsonld import SCHEMA, absolute, filled
from storefront.lib.links import absolute_url
from storefront.lib.phones import phone_e164
from storefront.lib.renditions import Renditions

from .models import Cooperative, Product, ProductImage

AVAILABILITY = {
    "in_stock": f"{SCHEMA}/InStock",
    "low": f"{SCHEMA}/LimitedAvailability",
    "sold_out": f"{SCHEMA}/OutOfStock",
}


def largest_rendition_url(photo: Renditions) -> str:
    """Absolute URL of a photo's widest WebP rendition, or "" when it has none."""
    return absolute(default_storage.url(photo.largest)) if photo else ""


def product(item: Product, images: list[ProductImage], reviews: Sequence[dict] = ()) -> list[dict]:
    """A Product with its offer, and the breadcrumbs Home › Category › Product.

    With reviews, its `aggregateRating` comes from the star counts stored on the product, and
    `review` holds the schema.org Reviews the page shows (built by the reviews app, which owns
    them: products never reads a review).
    """
    url = absolute_url(item.get_absolute_url())
    cooperative = item.cooperative
    data = {
        "@context": SCHEMA,
        "@type": "Product",
        "name": item.display_name,
        "description": item.display_summary or item.display_story,
        "url": url,
        "sku": item.slug,
        "category": item.category.display_name,
        "brand": {"@type": "Brand", "name": cooperative.display_name},
        "offers": {
            "@type": "Offer",
            "price": str(item.price),
            "priceCurrency": "VND",
            "availability": AVAILABILITY[item.stock_state],
            "itemCondition": f"{SCHEMA}/NewCondition",
            "url": url,
            "seller": {
                "@type": "Organization",
                "name": cooperative.display_name,
                "url": absolute_url(cooperative.get_absolute_url()),
            },
        },
    }
    data["image"] = [u for u in (largest_rendition_url(image.photo) for image in images) if u]
    if item.rating_count:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": str(item.rating_average),
            "reviewCount": item.rating_count,
            "bestRating": "5",
            "worstRating": "1",
        }
        data["review"] = list(reviews)
    crumbs = [
        (_("Chợ Phiên"), absolute_url(reverse("home"))),
        (item.category.display_name, absolute_url(item.category.get_absolute_url())),
        (item.display_name, url),
    ]
    breadcrumbs = {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": link}
            for position, (name, link) in enumerate(crumbs, start=1)
        ],
    }
    return [filled(data), breadcrumbs]


def cooperative(stall: Cooperative) -> dict:
    """The stall as a LocalBusiness: a cooperative with a place, a phone and products to sell.

    Its email is left out: the page does not show it, and a published address only draws spam.
    """
    address = {"@type": "PostalAddress", "addressRegion": stall.province_name, "addressCountry": "VN"}
    if stall.commune:
        address["addressLocality"] = stall.commune
    data = {
        "@context": SCHEMA,
        "@type": "LocalBusiness",
        "name": stall.display_name,
        "description": stall.display_summary or stall.display_story,
        "url": absolute_url(stall.get_absolute_url()),
        "address": address,
    }
    data["logo"] = largest_rendition_url(stall.logo_photo)
    data["image"] = largest_rendition_url(stall.cover_photo) or data["logo"]
    # An old number typed before phones were checked is left out: better none than a wrong one.
    with suppress(ValidationError):
        if stall.phone:
            data["telephone"] = phone_e164(stall.phone)
    return filled(data)
