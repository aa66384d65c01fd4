"""`lang` attributes for shop data shown in Vietnamese on English pages.

A screen reader reads "Chè Shan tuyết" with English sounds unless the element says `lang="vi"`,
so on English pages every piece of Vietnamese text gets it; Vietnamese pages need none, the
`<html lang="vi">` already says it. These return markup for an element's content or its
attribute list, never for the inside of another attribute (alt, title, meta tags).
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from storefront.lib.english import english_page

register = template.Library()

_VI = mark_safe(' lang="vi"')  # noqa: S308 (a constant)


@register.simple_tag
def lang_attr(obj, field: str = "name") -> str:
    """` lang="vi"` when an English page shows `obj.<field>` in Vietnamese for want of `<field>_en`.

    `{% lang_attr product "summary" %}` on any model with English twins (EnglishTwinMixin: products,
    stalls, categories, order snapshots).
    """
    return _VI if obj is not None and obj.is_fallback(field) else ""


@register.simple_tag
def vi_lang() -> str:
    """` lang="vi"` on English pages, for shop data that only exists in Vietnamese (units, places,
    peoples)."""
    return _VI if english_page() else ""


@register.filter
def vi_text(value) -> str:
    """Vietnamese-only data inside a sentence: wrapped in `<span lang="vi">` on English pages.

    For values placed into translated text (`{% blocktranslate with people=p|vi_text %}`), where
    the surrounding element is English.
    """
    if value in (None, "") or not english_page():
        return value
    return format_html('<span lang="vi">{}</span>', value)


@register.filter
def photo_alt(image, number) -> str:
    """`{{ image|photo_alt:forloop.counter }}`: the alt of a gallery's n-th photo, in the page's
    language when the product has the words for it (ProductImage.alt_for)."""
    return image.alt_for(int(number))
