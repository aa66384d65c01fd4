"""The buyer's name, phone and address remembered on this device, when they ask for it.

No account: a signed cookie the checkout fills its form from. It is set only when the buyer ticks
the box at checkout and dropped when they order with it unticked or press "Quên thông tin này";
signed so that what comes back is what this site wrote (the form checks it again anyway). It goes
with every request to the site, a few hundred bytes, and tells the page cache nothing: kept pages
key on the session alone.
"""

from django.core import signing

COOKIE = "buyer"
SALT = "orders.remembered"
MAX_AGE = 365 * 24 * 60 * 60
FIELDS = ("full_name", "phone", "email", "province", "commune", "street_address")
MAX_LENGTH = 254


def remembered_buyer(request) -> dict[str, str]:
    """What this device remembers, as the checkout form's initial values; {} when nothing is."""
    try:
        data = signing.loads(request.COOKIES.get(COOKIE, ""), salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return {}
    if not isinstance(data, dict):
        return {}
    return {name: data[name] for name in FIELDS if isinstance(data.get(name), str) and data[name]}


def remember_buyer(request, response, cleaned: dict) -> None:
    details = {name: str(cleaned.get(name) or "")[:MAX_LENGTH] for name in FIELDS}
    response.set_cookie(
        COOKIE,
        # URL-safe base64: Vietnamese letters and JSON punctuation travel in a cookie unquoted.
        signing.dumps({name: value for name, value in details.items() if value}, salt=SALT, compress=True),
        max_age=MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def forget_buyer(response) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")
