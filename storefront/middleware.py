from django.utils.cache import patch_vary_headers


class LanguageOfferVaryMiddleware:
    """Pages offer a link in the visitor's own language (storefront.lib.links.language_offer), read from
    Accept-Language. Django's LocaleMiddleware declares that only for unprefixed addresses; the
    English pages under /en/ vary on it too, so a shared cache must not hand one visitor's offer to
    another."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("Accept-Language",))
        return response
