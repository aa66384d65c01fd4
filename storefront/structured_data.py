"""Schema.org descriptions of pages (JSON-LD) for search engines, in the page's language.

Built from rows the page already loaded (the product with its stall, category and photos; the
stall), so they add no queries. Only public pages include them, and those 404 for anything
hidden, so an unpublished product or an unverified stall is never described.
"""

from contextlib import suppress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from products.models import Cooperative, Product, ProductImage

from .links import absolute_url
from .phones import phone_e164

SCHEMA = "https://schema.org"
AVAILABILITY = {
    "in_stock": f"{SCHEMA}/InStock",
    "low": f"{SCHEMA}/LimitedAvailability",
    "sold_out": f"{SCHEMA}/OutOfStock",
}


def _absolute(url: str) -> str:
    # Storages on another host (a CDN) already give absolute URLs.
    return absolute_url(url) if url.startswith("/") else url


def largest_rendition_url(meta: dict) -> str:
    """Absolute URL of a photo's widest WebP rendition, or "" when it has none."""
    renditions = (meta or {}).get("renditions") or {}
    if not renditions:
        return ""
    return _absolute(default_storage.url(renditions[max(renditions, key=int)]))


def _filled(data: dict) -> dict:
    """Without empty values: an empty description says nothing and only fails validators."""
    return {key: value for key, value in data.items() if value not in ("", None, [])}


def _site_name() -> str:
    return _("Chợ Phiên")


def product(item: Product, images: list[ProductImage]) -> list[dict]:
    """A Product with its offer, and the breadcrumbs Home › Category › Product."""
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
    data["image"] = [u for u in (largest_rendition_url(image.image_meta) for image in images) if u]
    crumbs = [
        (_site_name(), absolute_url(reverse("home"))),
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
    return [_filled(data), breadcrumbs]


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
    data["logo"] = largest_rendition_url(stall.logo_meta)
    data["image"] = largest_rendition_url(stall.cover_meta) or data["logo"]
    # An old number typed before phones were checked is left out: better none than a wrong one.
    with suppress(ValidationError):
        if stall.phone:
            data["telephone"] = phone_e164(stall.phone)
    return _filled(data)


def home() -> list[dict]:
    """The market as a WebSite (with its search) and as an Organization."""
    url = absolute_url(reverse("home"))
    search = absolute_url(reverse("products:product-list"))
    organization = {
        "@context": SCHEMA,
        "@type": "Organization",
        # One market in both languages: the same identifier on the Vietnamese and English pages.
        "@id": f"{settings.SITE_URL}/#organization",
        "name": _site_name(),
        "url": url,
        "logo": _absolute(static("img/favicon.svg")),
        "description": _(
            "Mua chè, mật ong, thổ cẩm, gạo, gia vị trực tiếp từ các hợp tác xã đồng bào dân tộc vùng cao."
        ),
    }
    website = {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": _site_name(),
        "url": url,
        "inLanguage": get_language(),
        "publisher": {"@id": organization["@id"]},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
    return [website, organization]
