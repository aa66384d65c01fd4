"""Search rules: every word must match, synonyms from North and South find each other."""

from functools import reduce
from operator import and_, or_

from django.db.models import Case, IntegerField, Q, Value, When

from storefront.text import words

# Northern and Southern (or everyday and trade) words for the same thing. Folded, one word each.
SYNONYM_GROUPS = [
    {"che", "tra"},
    {"ngo", "bap"},
    {"lon", "heo"},
    {"dua", "thom"},
    {"vung", "me"},
    {"lac", "dau phong"},
    {"mi", "mien"},
    {"bat", "chen"},
    {"ca phe", "cafe", "coffee"},
    {"mat ong", "honey"},
    {"tea", "che", "tra"},
]
MAX_QUERY_WORDS = 8
MAX_WORD_LENGTH = 40


def _alternatives(word: str) -> set[str]:
    found = {word}
    for group in SYNONYM_GROUPS:
        if word in group:
            found |= {alt for alt in group if " " not in alt}
    return found


def query_words(query: str) -> list[str]:
    """Folded words of what the buyer typed, trimmed to a sane number and length."""
    return [w[:MAX_WORD_LENGTH] for w in words(query)][:MAX_QUERY_WORDS]


def _word_q(field: str, word: str, *, prefix: bool) -> Q:
    """Stored text is " word word ": " word " matches a whole word, " word" the start of one.

    Only the last word the buyer typed may be unfinished, so only it matches as a prefix;
    synonyms always match whole words ("tra" must not find "trang").
    """
    patterns = {f" {alt} " for alt in _alternatives(word)}
    if prefix:
        patterns.add(f" {word}")
    return reduce(or_, (Q(**{f"{field}__contains": p}) for p in sorted(patterns)))


def _all_words_q(field: str, terms: list[str]) -> Q:
    last = len(terms) - 1
    return reduce(and_, (_word_q(field, w, prefix=i == last) for i, w in enumerate(terms)))


def filter_and_rank(queryset, query: str):
    """Products matching every word of `query`, best matches first; None when nothing to search."""
    terms = query_words(query)
    if not terms:
        return None
    queryset = queryset.filter(_all_words_q("search_text", terms))
    exact = " ".join(query.lower().split())[:200]
    has_marks = exact != " ".join(terms)
    in_name = _all_words_q("search_name", terms)
    whens = []
    if has_marks:
        whens.append(When(search_exact__contains=exact, then=Value(0)))
    whens.append(When(in_name, then=Value(1)))
    return queryset.annotate(
        search_rank=Case(*whens, default=Value(2), output_field=IntegerField())
    ).order_by("search_rank", "-created_at", "-id")
