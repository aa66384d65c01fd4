"""Search rules: every word must match, synonyms from North and South find each other, the words
as a phrase come first, and a word typed with a typo is read as the word the catalogue holds.

Matching uses the full-text index of the database (products/fts.py): FTS5 on SQLite, a GIN-indexed
tsvector column on PostgreSQL; without one (SQLite built without FTS5) the same rules run as
`LIKE` on the padded folded column. Ranking uses the same index for phrases and `LIKE` for the
rest, but only on the matched rows. docs/search.md tells the rules in prose.
"""

import hashlib
import itertools
import re
import string
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db import connections
from django.db.models import BooleanField, Case, Func, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from storefront.lib.catalogue_cache import remembered
from storefront.lib.text import fold, marked_words, words

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
# The words of the synonym groups: known words even where no product holds them yet.
_SYNONYM_WORDS = frozenset(w for g in SYNONYM_GROUPS for m in g for w in m.split())
# What both full-text tokenizers keep of a folded word: runs of letters and digits.
_TOKEN = re.compile(r"[^\W_]+")
_CONTROL = dict.fromkeys([*range(32), 127], " ")
# A typo is corrected in a word of this many letters or more, to words of at least TYPO_RESULT
# letters: "one letter wrong in a word of five or more". Shorter words have too many neighbours.
TYPO_TYPED = 4
TYPO_RESULT = 5
_LETTERS = string.ascii_lowercase
# The query as a phrase: at most this many spellings (a word and its synonyms, times the next...).
MAX_PHRASES = 16
# Phrase matches read to learn what a word typed without marks means (see _marks_from_phrases).
MARKS_SAMPLE = 20


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
    # Words a synonym group lists together ("mat ong", "ca phe", "tho cam"), or the start of such
    # words being typed ("mat o"): one word to a buyer, matched only side by side.
    together: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words that must stand side by side, the last one possibly unfinished."""

    words: tuple[str, ...]
    prefix: bool

    def padded(self) -> str:
        """The phrase as LIKE finds it in a padded column."""
        return " " + " ".join(self.words) + ("" if self.prefix else " ")


@dataclass(frozen=True)
class Marked:
    """A typed word whose marks decide a match that is not a phrase: the product must hold the
    word in one of these spellings ("mật", not "mất")."""

    term: int
    spellings: tuple[str, ...]
    prefix: bool


@dataclass(frozen=True)
class Plan:
    """A query worked out once per catalogue version: its terms (typos corrected), the query as
    phrases, and the spellings that matches which are not phrases must have."""

    query: str
    terms: tuple[Term, ...]
    phrases: tuple[Phrase, ...]
    marked: tuple[Marked, ...]
    corrected: tuple[tuple[str, str], ...] = ()


def _is_compound(term: Term) -> bool:
    return term.together and len(term.typed) > 1


def _synonyms(phrase: str) -> tuple[tuple[str, ...], ...]:
    found = set()
    for group in SYNONYM_GROUPS:
        if phrase in group:
            found |= group - {phrase}
    return tuple(tuple(alt.split()) for alt in sorted(found))


def terms_of(typed: list[str]) -> list[Term]:
    """The words as terms: "dau phong kho" is ["dau phong" or "lac", "kho" (prefix)]."""
    terms, i = [], 0
    while i < len(typed):
        size = next(
            (n for n in _PHRASE_LENGTHS if i + n <= len(typed) and _synonyms(" ".join(typed[i : i + n]))),
            1,
        )
        chunk = tuple(typed[i : i + size])
        i += size
        synonyms = _synonyms(" ".join(chunk))
        terms.append(Term(chunk, synonyms, prefix=i == len(typed), together=size > 1))
    if len(terms) > 1 and not terms[-1].together:
        # The query ends with the start of words listed together: "mat o" is "mat ong" being typed.
        rest = next(
            (
                n
                for n in range(2, len(terms) + 1)
                if all(len(t.typed) == 1 for t in terms[-n:])
                and _starts_compound(" ".join(t.typed[0] for t in terms[-n:]))
            ),
            None,
        )
        if rest:
            words_ = tuple(t.typed[0] for t in terms[-rest:])
            terms[-rest:] = [Term(words_, (), prefix=True, together=True)]
    return terms


def _starts_compound(typed: str) -> bool:
    return any(" " in m and m.startswith(typed) for g in SYNONYM_GROUPS for m in g)


def query_terms(query: str) -> list[Term]:
    """The query as terms, as typed (no typo correction: that needs the database)."""
    return terms_of(query_words(query))


def _phrases(terms: list[Term]) -> tuple[Phrase, ...]:
    """Every spelling of the whole query as one phrase; none for a single word."""
    if sum(len(t.typed) for t in terms) < 2:
        return ()
    options = [[(t.typed, t.prefix)] + [(s, False) for s in t.synonyms] for t in terms]
    if reduce(lambda n, o: n * len(o), options, 1) > MAX_PHRASES:
        options = [o[:1] for o in options]
    return tuple(
        Phrase(tuple(w for spelling, _prefix in combo for w in spelling), combo[-1][1])
        for combo in itertools.product(*options)
    )


# Typos: a word the index does not hold is read as the indexed words one edit away (a letter
# dropped, added, changed, or two swapped), all of them, so the result is the same whichever
# database answers.


def _one_edit(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
        | {a + c + b for a, b in splits for c in _LETTERS}
    ) - {word}


def _corrections(connection, typed: list[str]) -> dict[int, tuple[str, ...]]:
    """For each typed word the catalogue does not know, the known words one edit away."""
    doubtful = {
        i: w for i, w in enumerate(typed) if len(w) >= TYPO_TYPED and w.isalpha() and w not in _SYNONYM_WORDS
    }
    if not doubtful:
        return {}
    last = len(typed) - 1
    known = fts.words_known(connection, sorted({w for i, w in doubtful.items() if i != last}))
    unknown = {i: w for i, w in doubtful.items() if w not in known}
    if last in unknown and fts.words_start_with(connection, unknown[last]):
        del unknown[last]
    if not unknown:
        return {}
    edits = {i: {e for e in _one_edit(w) if len(e) >= TYPO_RESULT} for i, w in unknown.items()}
    everything = set().union(*edits.values())
    found = fts.words_known(connection, sorted(everything - _SYNONYM_WORDS)) | (everything & _SYNONYM_WORDS)
    return {i: tuple(sorted(e & found)) for i, e in edits.items() if e & found}


# Marks. Folding makes "mật" (honey) and "mất" (takes, lost) one word, which is right for a phrase
# ("mat ong" side by side is honey) but not for words apart: a linen whose story says "mất ba
# tháng … sáp ong" is no honey. So a match that is not a phrase must hold each typed word in a
# spelling the buyer meant: the one typed, when typed with marks; else the spellings the query's
# neighbouring words have where they stand side by side in the catalogue ("sap ong" is "sáp ong"
# there, so "sap" means "sáp", not "sắp"). A word no such pair tells about may be any spelling,
# and a word written without marks in a product counts for every spelling.


def _pair_phrases(typed: list[str]) -> list[Phrase]:
    return [Phrase((typed[i], typed[i + 1]), i + 1 == len(typed) - 1) for i in range(len(typed) - 1)]


def _marks_from_phrases(connection, queryset, typed: list[str], backend: str) -> dict[int, set[str]]:
    """{word index: spellings seen} from a few products holding each neighbouring pair side by side."""
    pairs = _pair_phrases(typed)
    if not pairs:
        return {}
    seen: dict[int, set[str]] = {}
    model = queryset.model
    rows = []
    for pair in pairs:
        sample = _phrase_filter(model._base_manager.using(queryset.db).all(), [pair], backend)
        rows.append(sample.values_list("search_marks").order_by()[:MARKS_SAMPLE])
    # One query however many pairs, each with its own LIMIT (a compound of sliced queries, which
    # SQLite allows only as subqueries).
    parts = [r.query.sql_with_params() for r in rows]
    sql = " UNION ALL ".join(
        f"SELECT {n}, sample.search_marks FROM ({part}) sample"  # noqa: S608
        for n, (part, _params) in enumerate(parts)
    )
    with connection.cursor() as cursor:
        postgres = connection.vendor == "postgresql"
        if postgres:
            # With LIMIT and a rare phrase, PostgreSQL's planner guesses a sequential scan that
            # tests every row's tsvector (200 ms at 100,000 products); the GIN index finds them
            # at once. SET (not LOCAL), undone below, so an outer transaction keeps its plans.
            cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute(sql, [p for _part, params in parts for p in params])
            found = cursor.fetchall()
        finally:
            if postgres:
                cursor.execute("RESET enable_seqscan")
    for n, marks in found:
        first, second = pairs[n].words
        tokens = marks.split()
        folded = fold(marks).split()
        if len(tokens) != len(folded):
            continue
        for j in range(len(folded) - 1):
            if folded[j] == first and (
                folded[j + 1].startswith(second) if pairs[n].prefix else folded[j + 1] == second
            ):
                seen.setdefault(n, set()).add(tokens[j])
                seen.setdefault(n + 1, set()).add(tokens[j + 1])
    return seen


def _marked(
    query: str, typed: list[str], terms: list[Term], learned: dict[int, set[str]], *, corrected: set[int]
) -> tuple[Marked, ...]:
    typed_marks = [w[:MAX_WORD_LENGTH] for w in marked_words(query)][:MAX_QUERY_WORDS]
    if len(typed_marks) != len(typed) or any(
        fold(m) != w for i, (m, w) in enumerate(zip(typed_marks, typed, strict=True)) if i not in corrected
    ):
        typed_marks = typed  # a word folding oddly: trust no marks rather than misplace them
    owner = [n for n, term in enumerate(terms) for _w in term.typed]
    last = len(typed) - 1
    marked = []
    for i, word in enumerate(typed):
        if i not in corrected and typed_marks[i] != word:
            spellings = {typed_marks[i]}
        elif i in learned:
            spellings = learned[i]
        else:
            continue
        # A word written without marks may be any of them (producers type on phones too).
        marked.append(Marked(owner[i], tuple(sorted(spellings | {word})), prefix=i == last))
    return tuple(marked)


def search_plan(queryset, query: str) -> Plan | None:
    """The plan of `query` against this catalogue; None when there is nothing to search."""
    if not query_words(query):
        return None
    key = hashlib.sha256(f"{queryset.db}|{query}".encode()).hexdigest()[:32]
    return remembered(f"search-plan:{key}", lambda: _plan(queryset, query))


def _plan(queryset, query: str) -> Plan:
    typed = query_words(query)
    backend = _backend(queryset)
    connection = connections[queryset.db]
    corrected = _corrections(connection, typed) if backend != "like" else {}
    spelled = [corrected[i][0] if i in corrected else w for i, w in enumerate(typed)]
    terms, first = [], 0
    for term in terms_of(spelled):
        # A word with several corrections: the first is the word, the others its synonyms.
        if len(term.typed) == 1 and first in corrected:
            term = Term(term.typed, term.synonyms + tuple((w,) for w in corrected[first][1:]), term.prefix)
        terms.append(term)
        first += len(term.typed)
    learned = _marks_from_phrases(connection, queryset, spelled, backend) if len(spelled) > 1 else {}
    marked = _marked(query, spelled, terms, learned, corrected=set(corrected))
    changes = tuple((typed[i], corrected[i][0]) for i in sorted(corrected))
    return Plan(query, tuple(terms), _phrases(terms), marked, changes)


# LIKE on " word word " columns: " word " is a whole word, " wor" the start of one.


def _term_q(field: str, term: Term) -> Q:
    last = len(term.typed) - 1
    if _is_compound(term):
        typed = Q(**{f"{field}__contains": Phrase(term.typed, term.prefix).padded()})
        return reduce(or_, (Q(**{f"{field}__contains": f" {' '.join(s)} "}) for s in term.synonyms), typed)
    typed = reduce(
        and_,
        (
            Q(**{f"{field}__contains": f" {w}" if term.prefix and i == last else f" {w} "})
            for i, w in enumerate(term.typed)
        ),
    )
    return reduce(or_, (Q(**{f"{field}__contains": f" {' '.join(s)} "}) for s in term.synonyms), typed)


def _all_terms_q(field: str, terms) -> Q:
    return reduce(and_, (_term_q(field, t) for t in terms))


def _phrase_like_q(field: str, phrases) -> Q:
    return reduce(or_, (Q(**{f"{field}__contains": p.padded()}) for p in phrases))


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


def _full_text_query(terms, word, and_op: str, or_op: str) -> str | None:
    """The whole query in FTS5 or tsquery syntax; None when no term has a letter or digit."""
    parts = []
    for term in terms:
        last = len(term.typed) - 1
        typed = [word(w, prefix=term.prefix and i == last) for i, w in enumerate(term.typed)]
        typed = [t for t in typed if t]
        if not typed:
            continue
        if _is_compound(term):
            typed = [word(" ".join(term.typed), prefix=term.prefix)]
        options = [typed[0] if len(typed) == 1 else "(" + f" {and_op} ".join(typed) + ")"]
        options += [word(" ".join(s), prefix=False) for s in term.synonyms]
        parts.append(options[0] if len(options) == 1 else "(" + f" {or_op} ".join(options) + ")")
    return f" {and_op} ".join(parts) or None


def _full_text_phrases(phrases, word, or_op: str) -> str | None:
    options = [word(" ".join(p.words), prefix=p.prefix) for p in phrases]
    options = [o for o in options if o]
    return f" {or_op} ".join(options) or None


def _fts5_in_text(match: str) -> str:
    return "{search_text} : (" + match + ")"


def fts5_query(query: str) -> str | None:
    """FTS5 MATCH expression for `query`, restricted to the search_text column."""
    match = _full_text_query(query_terms(query), _fts5_word, "AND", "OR")
    return match and _fts5_in_text(match)


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


def _phrase_q(phrases, backend: str) -> Q:
    """The query stands as a phrase in the product's search text."""
    if backend == "fts5":
        match = _full_text_phrases(phrases, _fts5_word, "OR")
        return Q(_Fts5Member(Value(_fts5_in_text(match)))) if match else Q(pk__in=[])
    if backend == "tsvector":
        text = _full_text_phrases(phrases, _tsquery_word, "|")
        return Q(_TsMatch(Value(text))) if text else Q(pk__in=[])
    return _phrase_like_q("search_text", phrases)


def _phrase_filter(queryset, phrases, backend: str):
    if backend == "fts5":
        match = _full_text_phrases(phrases, _fts5_word, "OR")
        if match is None:
            return queryset.none()
        sql = f"SELECT rowid FROM {fts.SQLITE_TABLE} WHERE {fts.SQLITE_TABLE} MATCH %s"  # noqa: S608
        return queryset.filter(id__in=RawSQL(sql, [_fts5_in_text(match)]))  # noqa: S611
    return queryset.filter(_phrase_q(phrases, backend))


def _holds(field: str, text: str) -> Q:
    """`field` contains `text`, as instr()/strpos(): several times faster than LIKE '%…%' on a
    long column, which matters when thousands of matches that are not phrases are checked."""
    return Q(GreaterThan(StrIndex(field, Value(text)), 0))


def _marks_q(plan: Plan) -> Q | None:
    """What a match that is not a phrase must hold: each marked word in a spelling meant, unless
    its term matched through a synonym."""
    if not plan.marked or not plan.phrases:
        return None
    per_term = []
    for n, term in enumerate(plan.terms):
        marked = [m for m in plan.marked if m.term == n]
        if not marked:
            continue
        spelled = reduce(
            and_,
            (
                reduce(
                    or_, (_holds("search_marks", f" {s}" + ("" if m.prefix else " ")) for s in m.spellings)
                )
                for m in marked
            ),
        )
        per_term.append(
            reduce(or_, (_holds("search_text", f" {' '.join(s)} ") for s in term.synonyms), spelled)
        )
    return reduce(and_, per_term)


def _matching(queryset, plan: Plan, *, walk: bool = False):
    backend = _backend(queryset)
    terms = list(plan.terms)
    if backend == "fts5":
        match = _full_text_query(terms, _fts5_word, "AND", "OR")
        if match is None:
            return queryset.none()
        match = _fts5_in_text(match)
        if walk:
            queryset = queryset.filter(_Fts5Member(Value(match)))
        else:
            # The table name is a constant; what the buyer typed goes in as a parameter.
            sql = f"SELECT rowid FROM {fts.SQLITE_TABLE} WHERE {fts.SQLITE_TABLE} MATCH %s"  # noqa: S608
            queryset = queryset.filter(id__in=RawSQL(sql, [match]))  # noqa: S611
    elif backend == "tsvector":
        text = _full_text_query(terms, _tsquery_word, "&", "|")
        if text is None:
            return queryset.none()
        queryset = queryset.filter(_TsMatch(Value(text)))
    else:
        queryset = queryset.filter(_all_terms_q("search_text", terms))
    marks = _marks_q(plan)
    if marks is not None and not walk:
        # The walk checks marks only in the tiers after the phrases (rank_tiers): most rows of a
        # common pair of words are phrases, and checking them all would cost a scan.
        queryset = queryset.filter(_phrase_q(plan.phrases, backend) | marks)
    return queryset


def rank_tiers(query: str, *, plan: Plan | None = None, backend: str = "like") -> list[Q]:
    """Ranking as disjoint conditions, best first: the accented name typed exactly (only when
    the buyer typed marks), the words typed in the name as a phrase, the query (or a synonym)
    as a phrase in the name, as a phrase anywhere, every word in the name, then the rest.
    Together they cover every match, so a page can also be read tier by tier in date order
    (selectors.SearchResults).
    """
    terms = list(plan.terms) if plan else query_terms(query)
    phrases = plan.phrases if plan else _phrases(terms)
    tiers = []
    # What was typed comes before a synonym: "mac khen" finds Mắc khén before a "black pepper".
    typed = [Term(t.typed, (), t.prefix) for t in terms]
    if phrases:
        tiers += [_phrase_like_q("search_name", phrases[:1]), _phrase_like_q("search_name", phrases)]
        tiers += [_phrase_q(phrases, backend)]
    else:
        tiers.append(_all_terms_q("search_name", typed))
    phrase_tiers = len(tiers) if phrases else 0
    tiers.append(_all_terms_q("search_name", terms))
    exact = " ".join(query.translate(_CONTROL).lower().split())[:200]
    if exact != " ".join(query_words(query)):
        tiers.insert(0, Q(search_exact__contains=exact))
        phrase_tiers += bool(phrases)
    if not any(t.synonyms for t in terms):
        # Without synonyms the typed and the full name tiers are the same: keep one.
        kept = [i for i, t in enumerate(tiers) if t not in tiers[:i]]
        phrase_tiers = sum(i < phrase_tiers for i in kept)
        tiers = [tiers[i] for i in kept]
    # The tiers after the phrases hold matches that are not phrases: those need the marks meant
    # (also filtered by _matching, but a walk tier by tier reads phrases without that check).
    marks = _marks_q(plan) if plan else None
    disjoint, above = [], Q()
    for i, tier in enumerate(tiers):
        disjoint.append(above & tier & marks if marks is not None and i >= phrase_tiers else above & tier)
        above &= ~tier
    return [*disjoint, above & marks if marks is not None else above]


def corrected_query(plan: Plan | None) -> str:
    """The query as searched when a typo was corrected ("ca phe arabca" → "ca phe arabica"), else ""."""
    if plan is None or not plan.corrected:
        return ""
    corrections = dict(plan.corrected)
    return " ".join(corrections.get(w, w) for w in query_words(plan.query))


def search_tiers(queryset, query: str) -> list[Q]:
    """rank_tiers for this catalogue (typos corrected, phrases on its full-text index)."""
    return rank_tiers(query, plan=search_plan(queryset, query), backend=_backend(queryset))


def filter_and_rank(queryset, query: str, *, walk: bool = False):
    """Products matching every word of `query`, best matches first; None when nothing to search.

    `walk`: the same matches, written for reading in date order tier by tier (see _Fts5Member).
    """
    plan = search_plan(queryset, query)
    if plan is None:
        return None
    queryset = _matching(queryset, plan, walk=walk)
    tiers = rank_tiers(query, plan=plan, backend=_backend(queryset))
    rank = Case(*(When(t, then=Value(i)) for i, t in enumerate(tiers[:-1])), default=Value(len(tiers) - 1))
    return queryset.annotate(search_rank=rank).order_by("search_rank", "-created_at", "-id")
