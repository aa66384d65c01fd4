"""The visitor's IP address, also behind reverse proxies, for throttles (order tracking, logins)."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The address the request came from, as far as our own proxies can vouch for it.

    With ``TRUSTED_PROXY_COUNT = 0`` (no proxy) that is ``REMOTE_ADDR``. Behind N proxies, each
    appends the address it received the request from to X-Forwarded-For, so the Nth entry from
    the right is the one our first proxy saw; anything left of it was written by the client and
    could be anything. A missing, short or malformed header falls back to ``REMOTE_ADDR``, so a
    forged header can never pick someone else's throttle bucket.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
