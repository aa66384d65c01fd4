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


def _amount(**values: int) -> dict:
    """A MonetaryAmount in đồng: value=… for a rate, minValue/maxValue for a range of order values."""
    return {"@type": "MonetaryAmount", **values, "currency": "VND"}


def shipping_details(stall: Cooperative, *, price: int) -> dict:
    """What delivery of one unit costs anywhere in Vietnam: the stall's flat fee per order, nothing
    when the price alone reaches its free-shipping threshold. Below the threshold the threshold is
    said too, as schema.org's shipping conditions on the order's value (free from the threshold
    on). No delivery time: stalls do not say one, and a guessed one would mislead."""
    threshold = stall.free_shipping_threshold
    details = {
        "@type": "OfferShippingDetails",
        "shippingRate": _amount(value=stall.shipping_fee_for(price)),
        "shippingDestination": {"@type": "DefinedRegion", "addressCountry": "VN"},
    }
    if threshold is not None and price < threshold and stall.shipping_fee:
        details["hasShippingService"] = {
            "@type": "ShippingService",
            "shippingConditions": [
                {
                    "@type": "ShippingConditions",
                    "orderValue": _amount(maxValue=threshold - 1),
                    "shippingRate": _amount(value=stall.shipping_fee),
                },
                {
                    "@type": "ShippingConditions",
                    "orderValue": _amount(minValue=threshold),
                    "shippingRate": _amount(value=0),
                },
            ],
        }
    return details


def return_policy(stall: Cooperative) -> dict | None:
    """The stall's returns, as Google's merchant listings read them: a return window in days
    (0: none), in Vietnam, and the stall's own words on the page it links to. None when the stall
    has said nothing."""
    text = stall.display_return_policy
    if stall.return_days is None and not text:
        return None
    policy = {
        "@type": "MerchantReturnPolicy",
        "applicableCountry": "VN",
        "description": text,
        "merchantReturnLink": absolute_url(stall.get_absolute_url()),
    }
    if stall.return_days == 0:
        policy["returnPolicyCategory"] = f"{SCHEMA}/MerchantReturnNotPermitted"
    elif stall.return_days is not None:
        policy["returnPolicyCategory"] = f"{SCHEMA}/MerchantReturnFiniteReturnWindow"
        policy["merchantReturnDays"] = stall.return_days
    return filled(policy)


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
            "shippingDetails": shipping_details(cooperative, price=item.price),
        },
    }
    policy = return_policy(cooperative)
    if policy:
        data["offers"]["hasMerchantReturnPolicy"] = policy
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
