"""{% product_jsonld product images reviews %}, {% cooperative_jsonld cooperative %}: the JSON-LD blocks
of product and stall pages (built by products.jsonld)."""

from django import template

from storefront.lib.jsonld import jsonld

from .. import jsonld as documents

register = template.Library()


@register.simple_tag
def product_jsonld(product, images, reviews=()) -> str:
    return jsonld(*documents.product(product, images, reviews or ()))


@register.simple_tag
def cooperative_jsonld(cooperative) -> str:
    return jsonld(documents.cooperative(cooperative))
