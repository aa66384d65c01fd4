"""Fields that exist in Vietnamese and, optionally, in English (`name` and `name_en`).

English pages (under /en/, and mail to a buyer who ordered in English) show the English twin when
it is filled and the Vietnamese text otherwise, marked `lang="vi"` by the `localized` tags.
"""

from django.utils.translation import get_language


def english_page() -> bool:
    """Whether the active language is English (pages under /en/, mail to an English buyer)."""
    return (get_language() or "").startswith("en")


class EnglishTwinMixin:
    """English pages show a field's `_en` twin when it is filled, the Vietnamese text otherwise.

    Models add a `display_<field>` property per twin they have (Product.display_unit; the order
    snapshots in orders.models, whose English twins are copied at order time).
    """

    def _localized(self, field: str) -> str:
        english = getattr(self, f"{field}_en") if english_page() else ""
        return english or getattr(self, field)

    def is_fallback(self, field: str) -> bool:
        """True when an English page has to show this field in Vietnamese (its `lang` differs)."""
        return english_page() and not getattr(self, f"{field}_en")


class EnglishTextMixin(EnglishTwinMixin):
    """The name, summary and story that products and stalls have in both languages."""

    @property
    def display_name(self) -> str:
        return self._localized("name")

    @property
    def display_summary(self) -> str:
        return self._localized("summary")

    @property
    def display_story(self) -> str:
        return self._localized("story")
