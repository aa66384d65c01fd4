"""Standard Web Push (RFC 8291 encryption, RFC 8292 VAPID) through pywebpush: one message to one
browser subscription, and the key pair the site signs with.

Knows nothing of orders: the caller says what to send and where, and learns whether the
subscription is gone (the push service answered 404 or 410, or its keys are unusable: forget it),
the message was refused for good (another 4xx: retrying would not help), or the push service
could not take it now (5xx, 429, no connection: try again later).
"""

import base64
import binascii
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from pywebpush import WebPushException, webpush

# A push service answers within seconds or not at all; a job waits no longer than this.
TIMEOUT_SECONDS = 10
# How long the push service keeps a message for a phone that is off (4 weeks, the usual maximum).
TTL_SECONDS = 28 * 24 * 60 * 60
# 404 and 410: the subscription no longer exists. A 403 is not taken as gone: it answers a
# subscription made for other VAPID keys, but also a subject the push service will not accept,
# which a fix of the settings mends (the phone itself repairs the first kind: static/js/push.js).
GONE = {404, 410}


class PushGone(Exception):
    """The subscription can never be sent to again (the person unsubscribed, the browser dropped
    it, or its keys are not keys at all)."""


class PushRefused(Exception):
    """The push service refused this message for good (bad keys, too large): do not retry."""


class PushUnavailable(Exception):
    """The push service could not take the message now: retry later."""


@dataclass(frozen=True)
class Subscription:
    endpoint: str
    p256dh: str
    auth: str


def push_enabled() -> bool:
    """Push is on only with a full VAPID key pair and subject; without them the feature is hidden."""
    return bool(settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY and settings.VAPID_SUBJECT)


def push_send(*, subscription: Subscription, message: dict) -> None:
    """Encrypt `message` (JSON) for the subscription's keys and hand it to its push service.

    A row stored before today's checks, or under a wider PUSH_SERVICE_HOSTS, is checked again
    here: nothing is posted to an address or keys that subscribing would refuse now. (A bad
    VAPID key of ours raises as it is, so the job fails and no phone is forgotten for it.)"""
    if not endpoint_acceptable(subscription.endpoint):
        raise PushGone("endpoint no longer acceptable")
    if not keys_acceptable(p256dh=subscription.p256dh, auth=subscription.auth):
        raise PushGone("unusable keys")
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(message, ensure_ascii=False),
            vapid_private_key=settings.VAPID_PRIVATE_KEY,
            # A new dict each time: pywebpush writes the audience (this endpoint's origin) into it.
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=TTL_SECONDS,
            timeout=TIMEOUT_SECONDS,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in GONE:
            raise PushGone(str(status)) from error
        if status is not None and 400 <= status < 500 and status != 429:
            raise PushRefused(f"{status}: {error.message[:300]}") from error
        raise PushUnavailable(error.message[:300]) from error
    except requests.RequestException as error:
        raise PushUnavailable(repr(error)) from error


def endpoint_acceptable(endpoint: str) -> bool:
    """An address the server may post to: https on the standard port to one of the browsers' push
    services (settings.PUSH_SERVICE_HOSTS), so a made-up subscription cannot point the workers at
    an address inside the network (plain http and other ports only where settings allow it, for
    a local stand-in in tests)."""
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname
        port = parts.port
    except ValueError:
        return False
    # Only a plain host and port: parsers disagree on a backslash, "@", "%" or a space (requests
    # would send "https://10.0.0.5\.fcm.googleapis.com/" to 10.0.0.5).
    if not _PLAIN_NETLOC.fullmatch(parts.netloc) or not host or not _known_push_service(host):
        return False
    if settings.PUSH_ALLOW_HTTP:
        return parts.scheme in {"https", "http"}
    return parts.scheme == "https" and port in {None, 443}


_PLAIN_NETLOC = re.compile(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def _known_push_service(host: str) -> bool:
    return any(host == known or host.endswith(f".{known}") for known in settings.PUSH_SERVICE_HOSTS)


def keys_acceptable(*, p256dh: str, auth: str) -> bool:
    """The subscription's keys are what RFC 8291 encrypts for: a point on P-256 and a 16-byte
    secret, both base64url. Anything else could never be sent to, so it is refused when the phone
    subscribes rather than failing every message after."""
    try:
        point = _b64url_decode(p256dh)
        secret = _b64url_decode(auth)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        return False
    # Uncompressed, as browsers send it and as RFC 8291 encrypts for (pywebpush refuses the rest).
    return len(point) == 65 and point[0] == 4 and len(secret) == 16


def _b64url_decode(text: str) -> bytes:
    if not text.isascii():
        raise ValueError(text)
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as error:
        raise ValueError(text) from error


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def vapid_keys_new() -> tuple[str, str]:
    """A fresh P-256 key pair as (private, public): the raw 32-byte private value and the
    uncompressed public point, both base64url, the form browsers take as applicationServerKey."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(private), _b64url(public)
