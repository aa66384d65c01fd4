"""Absolute links and the language versions of a page.

Every absolute URL (share previews, QR codes, sitemaps, mail) starts from settings.SITE_URL, never
from the request's Host header, which a visitor or a proxy can set to anything.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import pgettext

# Query parameters that make a different page (a category, a page of results); everything else
# (utm_* from a poster or a share, sort order, search words) shows the same page differently.
CANONICAL_QUERY_KEYS = ("category", "province", "people", "page")


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def canonical_path(request) -> str:
    kept = [(key, request.GET[key]) for key in CANONICAL_QUERY_KEYS if request.GET.get(key)]
    if ("page", "1") in kept:
        kept.remove(("page", "1"))
    return f"{request.path}?{urlencode(kept)}" if kept else request.path


def language_versions(request) -> list[tuple[str, str]]:
    """(language code, absolute URL) for each language this page exists in, current one included."""
    path = canonical_path(request)
    return [(code, absolute_url(translate_url(path, code))) for code, _name in settings.LANGUAGES]


def switch_language_next(request) -> str:
    """Where the footer's language switch returns to, written as the default-language address.

    Django's set_language runs unprefixed (in the default language) and can only translate a path
    it can resolve there, so from /en/products/x/ it must be handed /products/x/.
    """
    return translate_url(request.get_full_path(), settings.LANGUAGE_CODE)


def language_offer(request) -> dict | None:
    """A link to this page in the visitor's own language, when they are reading another one.

    Each address has one language (so a shared link opens as it was shared), but a tourist whose
    phone asks for English, or who chose English before, should not have to hunt for the switch.
    Only an explicit signal counts: a crawler without Accept-Language is offered nothing.
    """
    if not (request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or request.headers.get("Accept-Language")):
        return None
    wanted = translation.get_language_from_request(request, check_path=False)
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
