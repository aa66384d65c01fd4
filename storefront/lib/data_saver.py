"""Data saver: pages that send no photos until the visitor asks for one.

On when the browser sends `Save-Data: on` (Chrome's lite mode, Android's data saver) or when the
visitor turned the footer's switch on; the switch's cookie also lets a visitor whose browser
asks to save data see photos anyway. Pages differ by both, so they vary on both
(storefront.middleware.PublicPageVaryMiddleware) and the page cache keys on the answer.
"""

COOKIE = "save_data"
COOKIE_AGE = 365 * 24 * 60 * 60
ON, OFF = "on", "off"


def data_saver_on(request) -> bool:
    chosen = request.COOKIES.get(COOKIE, "")
    if chosen in (ON, OFF):
        return chosen == ON
    return request.headers.get("Save-Data", "").strip().lower() == ON
