"""Schema.org descriptions (JSON-LD) written into pages as <script type="application/ld+json">."""

import json

from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from .links import absolute_url

SCHEMA = "https://schema.org"
# As Django's json_script: a story containing "</script>" or "<!--" stays inside the block.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def jsonld(*documents: dict) -> str:
    """The documents as script blocks, escaped so no text in them can end the block."""
    return format_html_join(
        "\n",
        '<script type="application/ld+json">{}</script>',
        (
            (mark_safe(json.dumps(document, ensure_ascii=False).translate(_SCRIPT_ESCAPES)),)
            for document in documents
        ),
    )


def absolute(url: str) -> str:
    """A URL as search engines need it: from SITE_URL, unless a storage (a CDN) made it absolute."""
    return absolute_url(url) if url.startswith("/") else url


def filled(data: dict) -> dict:
    """Without empty values: an empty description says nothing and only fails validators."""
    return {key: value for key, value in data.items() if value not in ("", None, [])}
