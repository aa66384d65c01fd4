"""Absolute links and the language versions of a page.

Every absolute URL (share previews, QR codes, sitemaps, mail) starts from settings.SITE_URL, never
from the request's Host header, which a visitor or a proxy can set to anything.
"""

import unicodedata
from urllib.parse import urlencode

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import pgettext
from django.utils.translation.trans_real import parse_accept_lang_header


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def safe_next(request, default: str) -> str:
    """Where a form says to go back to (`next`, posted or in the query string), when it is a page
    of this site; `default` otherwise, so a crafted link can never send anyone elsewhere."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def set_canonical_query(request, params: dict) -> None:
    """A view whose query string makes a different page (a category, page 2) names those
    parameters, already cleaned; everything else (utm_* from a poster or a share, a sort order,
    a stray or invalid value) is the same page and is left out of its canonical address."""
    kept = {key: value for key, value in params.items() if value}
    if kept.get("page") == 1:
        del kept["page"]
    request.canonical_query = kept


def canonical_path(request) -> str:
    query = getattr(request, "canonical_query", None)
    return f"{request.path}?{urlencode(query)}" if query else request.path


def language_versions(request) -> list[tuple[str, str]]:
    """(language code, absolute URL) for each language this page exists in, current one included."""
    path = canonical_path(request)
    return [(code, absolute_url(translate_url(path, code))) for code, _name in settings.LANGUAGES]


def default_language_version(versions: list[tuple[str, str]]) -> str:
    """The x-default alternate: the default language's address, whatever the order of LANGUAGES."""
    return dict(versions)[settings.LANGUAGE_CODE]


def switch_language_next(request) -> str:
    """Where the footer's language switch returns to, written as the default-language address.

    Django's set_language runs unprefixed (in the default language) and can only translate a path
    it can resolve there, so from /en/products/x/ it must be handed /products/x/.
    """
    return translate_url(request.get_full_path(), settings.LANGUAGE_CODE)


def language_names() -> list[tuple[str, str]]:
    """(code, the language's name in itself) for the footer's switch. Django keeps "Tiếng Việt"
    decomposed (NFD); pages are NFC, which is also what a screen reader and a search expect."""
    return [
        (code, unicodedata.normalize("NFC", translation.get_language_info(code)["name_local"]))
        for code, _name in settings.LANGUAGES
    ]


def visitor_language(request) -> str | None:
    """The language the visitor asked for, from their earlier choice (the cookie) or their phone's
    Accept-Language; None when neither names a language of the site. Unlike Django's
    get_language_from_request this never falls back to the default: a French tourist reading the
    English pages must not be offered Vietnamese."""
    choice = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    header = request.headers.get("Accept-Language", "")
    candidates = [choice] if choice else []
    candidates += [code for code, _q in parse_accept_lang_header(header) if code != "*"]
    for code in candidates:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def language_offer(request) -> dict | None:
    """A link to this page in the visitor's own language, when they are reading another one.

    Each address has one language (so a shared link opens as it was shared), but a tourist whose
    phone asks for English, or who chose English before, should not have to hunt for the switch.
    Only an explicit signal counts: a crawler without Accept-Language is offered nothing.
    """
    wanted = visitor_language(request)
    current = translation.get_language()
    if not wanted or wanted == current:
        return None
    url = translate_url(request.get_full_path(), wanted)
    if url == request.get_full_path():
        return None
    with translation.override(wanted):
        # Translators: shown in the visitor's language, on a page in the other language.
        text = pgettext("mời đọc bằng ngôn ngữ của người xem", "Trang này có bằng tiếng Việt")
    return {"url": url, "language": wanted, "text": text}
