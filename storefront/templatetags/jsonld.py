"""{% product_jsonld product images %}, {% cooperative_jsonld cooperative %}, {% home_jsonld %}:
<script type="application/ld+json"> blocks built by storefront.structured_data."""

import json

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from storefront import structured_data

register = template.Library()

# As Django's json_script: a story containing "</script>" or "<!--" stays inside the block.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def jsonld(*documents: dict) -> str:
    return format_html_join(
        "\n",
        '<script type="application/ld+json">{}</script>',
        (
            (mark_safe(json.dumps(document, ensure_ascii=False).translate(_SCRIPT_ESCAPES)),)
            for document in documents
        ),
    )


@register.simple_tag
def product_jsonld(product, images) -> str:
    return jsonld(*structured_data.product(product, images))


@register.simple_tag
def cooperative_jsonld(cooperative) -> str:
    return jsonld(structured_data.cooperative(cooperative))


@register.simple_tag
def home_jsonld() -> str:
    return jsonld(*structured_data.home())
