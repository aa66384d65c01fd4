"""Vietnamese text folding: what lets "ca phe dak lak" find "Cà phê Đắk Lắk"."""

import re
import unicodedata

from django.utils.text import slugify

_D_TABLE = str.maketrans({"đ": "d", "Đ": "D"})
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_D_TABLE))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


def fold(text: str) -> str:
    """Lower-case ASCII-ish form of Vietnamese text: đ→d, tones and vowel marks dropped.

    NFD does not decompose đ/Đ (they are letters of their own), so they are mapped first.
    """
    if not text:
        return ""
    return _strip_marks(text).lower()


def words(text: str) -> list[str]:
    """Folded words of a text, punctuation dropped ("H'Mông" → ["hmong"])."""
    return [w for w in _NON_WORD.split(fold(text).replace("'", "").replace("’", "")) if w]


def search_text(*parts: str) -> str:
    """One folded, space-separated string of words, padded so ' word' matches word starts."""
    return " " + " ".join(w for part in parts for w in words(part or "")) + " "


def marked_words(text: str) -> list[str]:
    """Lower-cased words of a text with their marks kept ("Mật ong" → ["mật", "ong"]).

    Each folds to one word of `words()`, in the same order, so a folded phrase found in
    `fold(" ".join(marked))` sits at the same positions here.
    """
    lowered = unicodedata.normalize("NFC", text or "").lower().replace("'", "").replace("’", "")
    return [w for w in _NON_WORD.split(lowered) if w and fold(w)]


def search_marks(*parts: str) -> str:
    """Like `search_text`, but the words keep their marks: what tells "mật" from "mất"."""
    return " " + " ".join(w for part in parts for w in marked_words(part or "")) + " "


def vi_slugify(text: str) -> str:
    """Slug from Vietnamese text: "Đặc sản Đắk Lắk" → "dac-san-dak-lak"."""
    return slugify(fold(text))


def ascii_fold(text: str, max_length: int | None = None, *, keep_case: bool = False) -> str:
    """Fold to plain ASCII (for bank transfer notes, which accept nothing else)."""
    source = _strip_marks(text or "") if keep_case else fold(text)
    folded = unicodedata.normalize("NFKD", source).encode("ascii", "ignore").decode()
    folded = " ".join(folded.split())
    return folded[:max_length] if max_length else folded
