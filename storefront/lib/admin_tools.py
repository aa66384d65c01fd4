"""Small pieces shared by the admin classes of several apps."""

from functools import reduce
from operator import and_

from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils.html import format_html

from storefront.lib.renditions import Renditions
from storefront.lib.text import words


class FoldedSearchMixin:
    """Admin search that also matches without diacritics ("dak lak" finds "Đắk Lắk").

    `folded_search_field` names a stored folded text column kept in sync on save.
    """

    folded_search_field = "search_text"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        terms = words(search_term)
        if terms:
            field = self.folded_search_field
            folded = queryset.filter(reduce(and_, (Q(**{f"{field}__contains": t}) for t in terms)))
            results = results | folded
        return results, may_have_duplicates


def thumbnail(photo: Renditions, size: int = 64) -> str:
    """A small <img> for admin lists, from the smallest stored rendition."""
    if not photo:
        return "—"
    return format_html(
        '<img src="{}" width="{}" height="{}" class="admin-thumb" alt="" loading="lazy">',
        default_storage.url(photo.smallest),
        size,
        size,
    )
