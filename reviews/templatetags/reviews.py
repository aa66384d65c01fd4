"""Template tags that bring reviews into pages other apps render, so neither products nor orders
imports reviews: {% product_reviews product as reviews %} on the product page,
{% order_reviews order as reviewed %} on the order page, {% stars n %} wherever stars are drawn."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import jsonld, selectors

register = template.Library()


class ProductReviews:
    """What the product page shows about reviews: the product's stored ratings, one page of its
    visible reviews (None without any) and those reviews as schema.org Reviews."""

    def __init__(self, product, page):
        self.ratings = product.ratings
        self.page = page
        self.schema = jsonld.reviews(page.object_list) if page else []


@register.simple_tag(takes_context=True)
def product_reviews(context, product) -> ProductReviews:
    """Read once per request: the page's <head> (JSON-LD) and its body both ask for them."""
    request = context.get("request")
    page_number = request.GET.get("page") if request is not None else None
    cached = getattr(product, "_reviews_shown", None)
    if cached is None or cached[0] != page_number:
        cached = (
            page_number,
            ProductReviews(product, selectors.product_reviews_page(product=product, page=page_number)),
        )
        product._reviews_shown = cached
    return cached[1]


@register.simple_tag
def order_reviews(order) -> dict:
    """The order's reviews by line id (one query)."""
    return selectors.reviews_for_order(order=order)


@register.filter
def review_of(reviewed, item):
    """{{ reviewed|review_of:item }}: the line's review, or None."""
    return reviewed.get(item.pk) if isinstance(reviewed, dict) else None


@register.simple_tag
def stars(count) -> str:
    """Five stars, `count` of them full, read out as "4 trên 5 sao"."""
    count = max(0, min(5, int(count or 0)))
    return format_html(
        '<span class="stars" aria-hidden="true">{}{}</span><span class="visually-hidden">{}</span>',
        "★" * count,
        "☆" * (5 - count),
        _("%(n)s trên 5 sao") % {"n": count},
    )
