"""Search rules: every word must match, synonyms from North and South find each other.

Matching uses the full-text index of the database (products/fts.py): FTS5 on SQLite, a GIN-indexed
tsvector column on PostgreSQL; without one (SQLite built without FTS5) the same rules run as
`LIKE` on the padded folded column. Ranking always uses `LIKE`, but only on the matched rows.
"""

import re
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db import connections
from django.db.models import BooleanField, Case, Func, Q, Value, When
from django.db.models.expressions import RawSQL

from storefront.lib.text import words

from . import fts

# English words a buyer types on the English site, and the folded Vietnamese words of products
# that may have no English text. Folding merges words that differ only in marks, so a Vietnamese
# word is listed only when its folded form is rarely anything else: "nấm" folds like "năm" (year),
# so mushrooms are listed by kind; "tiêu" (pepper) also starts "tiêu thụ", but those rank below
# the products named "Tiêu …".
ENGLISH_WORDS = {
    "honey": ("mat ong",),
    "tea": ("che", "tra"),
    "coffee": ("ca phe", "cafe"),
    "rice": ("gao", "nep"),
    "sticky rice": ("nep",),
    "brocade": ("tho cam",),
    "embroidered": ("theu",),
    "embroidery": ("theu",),
    "cinnamon": ("que vo", "vo que", "que chi", "bot que", "tinh dau que"),
    "cardamom": ("thao qua",),
    "anise": ("hoa hoi",),
    "star anise": ("hoa hoi",),
    "pepper": ("tieu", "mac khen"),
    "herbal": ("duoc lieu", "thao duoc", "thao moc"),
    "herbs": ("duoc lieu", "thao duoc", "thao moc"),
    "mushroom": ("nam huong", "linh chi", "moc nhi"),
    "mushrooms": ("nam huong", "linh chi", "moc nhi"),
    "chestnut": ("hat de",),
    "chestnuts": ("hat de",),
    "spice": ("gia vi",),
    "spices": ("gia vi",),
    # Where the one Vietnamese word folds like a common other word, only phrases are listed:
    # "vải" like "vài" (a few), "lanh" like "lạnh" (cold), "đường" like "đường" (road) and Lạc
    # Dương, "nghệ" like "nghe" (listen), "riềng" like "riêng" (own), "sả" like Sa Pa, "tre" like
    # "trẻ" (young), "gùi" like "gửi" (send), "bạc" like "Bắc" and "bạc hà" (mint), "quế" like
    # "quê" (home town), "gốm" like "gồm" (consists of) and "thu gom", "khăn" like "khan hiếm"
    # (scarce), "túi" is also a unit ("túi 500 g"), "sấy" like "say" (drunk, "say mê").
    "crafts": ("thu cong",),
    "handicrafts": ("thu cong",),
    "handmade": ("thu cong",),
    "scarf": ("khan pieu", "khan theu", "khan tho cam", "khan choang", "khan quang"),
    "scarves": ("khan pieu", "khan theu", "khan tho cam", "khan choang", "khan quang"),
    "bag": ("tui tho cam", "tui deo", "tui xach", "tui vai", "tui theu"),
    "bags": ("tui tho cam", "tui deo", "tui xach", "tui vai", "tui theu"),
    "fabric": ("vai lanh", "vai tho cam"),
    "cloth": ("vai lanh", "vai tho cam"),
    "linen": ("vai lanh",),
    "hemp": ("vai lanh", "soi lanh"),
    "pottery": ("do gom", "gom su", "binh gom", "chen gom", "am gom", "nan gom", "gom bau truc"),
    "ceramics": ("do gom", "gom su", "binh gom", "chen gom", "am gom", "nan gom", "gom bau truc"),
    "sugar": ("duong thot not", "duong phen", "duong mia"),
    "palm sugar": ("duong thot not", "thot not"),
    "coffee beans": ("ca phe",),
    "noodles": ("mien dong", "mi"),
    "glass noodles": ("mien dong",),
    "vermicelli": ("mien dong",),
    "nuts": ("hat de", "hat dieu", "hat mac ca", "oc cho"),
    "wine": ("ruou",),
    "jam": ("mut",),
    "dried": ("say kho", "say deo", "phoi kho", "do kho"),
    "ginger": ("gung",),
    "turmeric": ("bot nghe", "cu nghe"),
    "galangal": ("cu rieng", "bot rieng"),
    "lemongrass": ("cay sa", "cu sa", "tinh dau sa"),
    "bamboo": ("may tre", "tre nua", "ong tre"),
    "rattan": ("may tre",),
    "bamboo shoots": ("mang kho", "mang tuoi"),
    "basket": ("gio tre", "gio may", "gui tre", "ro tre"),
    "baskets": ("gio tre", "gio may", "gui tre", "ro tre"),
    "silver": ("trang suc bac", "vong bac", "nhan bac", "khuyen tai bac"),
    "jewellery": ("trang suc",),
    "jewelry": ("trang suc",),
    "apple": ("tao meo",),
}
# Northern and Southern (or everyday and trade) words for the same thing, folded. A member of
# several words ("dau phong") is found as a phrase and, typed as those words, finds the others.
# Each English word pairs with each of its Vietnamese words in a group of their own, so two words
# one English word covers ("tieu", "mac khen": both "pepper") do not find each other.
SYNONYM_GROUPS = [
    {"che", "tra"},
    {"ngo", "bap"},
    {"lon", "heo"},
    {"dua", "thom"},
    {"vung", "me"},
    {"lac", "dau phong"},
    {"mi", "mien"},
    {"bat", "chen"},
    {"ca phe", "cafe"},
    *(
        {english, vietnamese}
        for english, vietnamese_words in ENGLISH_WORDS.items()
        for vietnamese in vietnamese_words
    ),
]
MAX_QUERY_WORDS = 8
MAX_WORD_LENGTH = 40
_PHRASE_LENGTHS = sorted({len(m.split()) for g in SYNONYM_GROUPS for m in g if " " in m}, reverse=True)
# What both full-text tokenizers keep of a folded word: runs of letters and digits.
_TOKEN = re.compile(r"[^\W_]+")
_CONTROL = dict.fromkeys([*range(32), 127], " ")


def query_words(query: str) -> list[str]:
    """Folded words of what the buyer typed, trimmed to a sane number and length."""
    return [w[:MAX_WORD_LENGTH] for w in words(query)][:MAX_QUERY_WORDS]


@dataclass(frozen=True)
class Term:
    """One thing the buyer asked for: the words typed (all must match, the last one of the query
    may be unfinished) or any of their synonyms (whole words, a phrase when several)."""

    typed: tuple[str, ...]
    synonyms: tuple[tuple[str, ...], ...]
    prefix: bool


def _synonyms(phrase: str) -> tuple[tuple[str, ...], ...]:
    found = set()
    for group in SYNONYM_GROUPS:
        if phrase in group:
            found |= group - {phrase}
    return tuple(tuple(alt.split()) for alt in sorted(found))


def query_terms(query: str) -> list[Term]:
    """The query as terms: "dau phong kho" is ["dau phong" or "lac", "kho" (prefix)]."""
    typed = query_words(query)
    terms, i = [], 0
    while i < len(typed):
        size = next(
            (n for n in _PHRASE_LENGTHS if i + n <= len(typed) and _synonyms(" ".join(typed[i : i + n]))),
            1,
        )
        chunk = tuple(typed[i : i + size])
        i += size
        terms.append(Term(chunk, _synonyms(" ".join(chunk)), prefix=i == len(typed)))
    return terms


# LIKE on " word word " columns: " word " is a whole word, " wor" the start of one.


def _term_q(field: str, term: Term) -> Q:
    last = len(term.typed) - 1
    typed = reduce(
        and_,
        (
            Q(**{f"{field}__contains": f" {w}" if term.prefix and i == last else f" {w} "})
            for i, w in enumerate(term.typed)
        ),
    )
    return reduce(or_, (Q(**{f"{field}__contains": f" {' '.join(s)} "}) for s in term.synonyms), typed)


def _all_terms_q(field: str, terms: list[Term]) -> Q:
    return reduce(and_, (_term_q(field, t) for t in terms))


# Full-text queries. Every token is a run of letters and digits, quoted, so nothing the buyer
# types can be read as an operator ("NEAR", "-", "*", quotes, parentheses are gone by then).


def _fts5_word(word: str, *, prefix: bool) -> str | None:
    tokens = _TOKEN.findall(word)
    if not tokens:
        return None
    return '"' + " ".join(tokens) + '"' + ("*" if prefix else "")


def _tsquery_word(word: str, *, prefix: bool) -> str | None:
    tokens = ["'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in _TOKEN.findall(word)]
    if not tokens:
        return None
    phrase = " <-> ".join(tokens) + (":*" if prefix else "")
    return f"({phrase})" if len(tokens) > 1 else phrase


def _full_text_query(terms: list[Term], word, and_op: str, or_op: str) -> str | None:
    """The whole query in FTS5 or tsquery syntax; None when no term has a letter or digit."""
    parts = []
    for term in terms:
        last = len(term.typed) - 1
        typed = [word(w, prefix=term.prefix and i == last) for i, w in enumerate(term.typed)]
        typed = [t for t in typed if t]
        if not typed:
            continue
        options = [typed[0] if len(typed) == 1 else "(" + f" {and_op} ".join(typed) + ")"]
        options += [word(" ".join(s), prefix=False) for s in term.synonyms]
        parts.append(options[0] if len(options) == 1 else "(" + f" {or_op} ".join(options) + ")")
    return f" {and_op} ".join(parts) or None


def fts5_query(query: str) -> str | None:
    """FTS5 MATCH expression for `query`, restricted to the search_text column."""
    match = _full_text_query(query_terms(query), _fts5_word, "AND", "OR")
    return match and "{search_text} : (" + match + ")"


def tsquery(query: str) -> str | None:
    """to_tsquery('simple', …) text for `query`."""
    return _full_text_query(query_terms(query), _tsquery_word, "&", "|")


class _TsMatch(Func):
    """The product's stored tsvector matches to_tsquery('simple', <query>)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        query, params = compiler.compile(self.source_expressions[0])
        # The products_product of this query, under whatever alias a subquery gave it.
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{fts.PG_COLUMN} @@ to_tsquery('simple'::regconfig, {query})", params


def _backend(queryset) -> str:
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        return "tsvector"
    if vendor == "sqlite" and fts.sqlite_has_fts5():
        return "fts5"
    return "like"


class _Fts5Member(Func):
    """The product is among the FTS5 matches, written so that SQLite cannot start from them.

    `+id` (SQLite's documented way to keep a term from using an index) makes the planner walk the
    date index and test each row against the matches (a small in-memory set), so a common word's
    first page stops after its 12 rows instead of sorting 35,000 matches.
    """

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        match, params = compiler.compile(self.source_expressions[0])
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        matches = f"SELECT rowid FROM {fts.SQLITE_TABLE} WHERE {fts.SQLITE_TABLE} MATCH {match}"  # noqa: S608
        return f"+{table}.id IN ({matches})", params


def _matching(queryset, query: str, terms: list[Term], *, walk: bool = False):
    backend = _backend(queryset)
    if backend == "fts5":
        match = fts5_query(query)
        if match is None:
            return queryset.none()
        if walk:
            return queryset.filter(_Fts5Member(Value(match)))
        # The table name is a constant; what the buyer typed goes in as a parameter.
        sql = f"SELECT rowid FROM {fts.SQLITE_TABLE} WHERE {fts.SQLITE_TABLE} MATCH %s"  # noqa: S608
        return queryset.filter(id__in=RawSQL(sql, [match]))  # noqa: S611
    if backend == "tsvector":
        text = tsquery(query)
        if text is None:
            return queryset.none()
        return queryset.filter(_TsMatch(Value(text)))
    return queryset.filter(_all_terms_q("search_text", terms))


def rank_tiers(query: str) -> list[Q]:
    """Ranking as disjoint conditions, best first: the accented name typed exactly (only when
    the buyer typed marks), then every word in the name, then the rest. Together they cover
    every match, so a page can also be read tier by tier in date order (selectors.SearchResults).
    """
    terms = query_terms(query)
    exact = " ".join(query.translate(_CONTROL).lower().split())[:200]
    in_name = _all_terms_q("search_name", terms)
    if exact == " ".join(query_words(query)):
        return [in_name, ~in_name]
    exact_q = Q(search_exact__contains=exact)
    return [exact_q, ~exact_q & in_name, ~exact_q & ~in_name]


def filter_and_rank(queryset, query: str, *, walk: bool = False):
    """Products matching every word of `query`, best matches first; None when nothing to search.

    `walk`: the same matches, written for reading in date order tier by tier (see _Fts5Member).
    """
    terms = query_terms(query)
    if not terms:
        return None
    queryset = _matching(queryset, query, terms, walk=walk)
    tiers = rank_tiers(query)
    rank = Case(*(When(t, then=Value(i)) for i, t in enumerate(tiers[:-1])), default=Value(len(tiers) - 1))
    return queryset.annotate(search_rank=rank).order_by("search_rank", "-created_at", "-id")
