"""A local stand-in for a browser vendor's push service (RFC 8030), for tests of Web Push.

It is a real HTTP server in a thread. Each message it receives is checked as a push service
checks it, the VAPID token (RFC 8292: an ES256 JWT signed with the site's key, its audience this
service's origin, not expired, with a contact) and then decrypted (RFC 8291, aes128gcm) with the
private keys of the test subscription it was sent to, as the phone would. Subscriptions are made
the way a browser makes them: a P-256 key pair and a 16-byte auth secret per device.
"""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def subscription_keys(private_key: ec.EllipticCurvePrivateKey, auth: bytes) -> dict:
    """The `keys` of a PushSubscription, as a browser posts them."""
    public = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"p256dh": b64url(public), "auth": b64url(auth)}


@dataclass
class Device:
    """One browser's subscription: what it posts to the site, and the keys only it knows."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    answers: list = field(default_factory=list)  # statuses to answer next, then 201

    def subscription_json(self) -> dict:
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": subscription_keys(self.private_key, self.auth),
        }


@dataclass
class Received:
    device: Device
    status: int
    message: dict | None
    claims: dict
    headers: dict


class PushService:
    def __init__(self, vapid_public_key: str):
        self.vapid_public_key = vapid_public_key
        self.devices: dict[str, Device] = {}
        self.received: list[Received] = []
        self.problems: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def device(self) -> Device:
        token = b64url(os.urandom(12))
        device = Device(
            endpoint=f"{self.origin}/wpush/v2/{token}",
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth=os.urandom(16),
        )
        self.devices[token] = device
        return device

    def delivered(self, device: Device | None = None) -> list[dict]:
        """The decrypted messages that were accepted (201), for one device or all."""
        return [
            r.message for r in self.received if r.status == 201 and (device is None or r.device is device)
        ]

    # What a push service checks before it accepts a message.
    def _claims(self, authorization: str) -> dict:
        scheme, _, params = authorization.partition(" ")
        if scheme != "vapid":
            raise ValueError(f"not a VAPID authorization: {authorization[:30]}")
        values = dict(part.strip().split("=", 1) for part in params.split(","))
        if values["k"] != self.vapid_public_key:
            raise ValueError("signed with another key than VAPID_PUBLIC_KEY")
        header, payload, signature = values["t"].split(".")
        if json.loads(unb64url(header)) != {"typ": "JWT", "alg": "ES256"}:
            raise ValueError(f"JWT header {unb64url(header)!r}")
        raw = unb64url(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(self.vapid_public_key))
        try:
            key.verify(der, f"{header}.{payload}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise ValueError("bad ES256 signature") from None
        claims = json.loads(unb64url(payload))
        if claims.get("aud") != self.origin:
            raise ValueError(f"aud {claims.get('aud')!r} is not {self.origin}")
        if not time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600:
            raise ValueError(f"exp {claims.get('exp')} not within 24 hours")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            raise ValueError(f"sub {claims.get('sub')!r}")
        return claims

    def _handler(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's hook name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                device = service.devices.get(self.path.rsplit("/", 1)[-1])
                if device is None:
                    return self._answer(404)
                try:
                    claims = service._claims(self.headers.get("Authorization", ""))
                    if self.headers.get("Content-Encoding") != "aes128gcm" or "TTL" not in self.headers:
                        raise ValueError(f"headers {dict(self.headers)}")
                    plain = http_ece.decrypt(
                        body, private_key=device.private_key, auth_secret=device.auth, version="aes128gcm"
                    )
                    message = json.loads(plain)
                except (ValueError, KeyError, InvalidTag, http_ece.ECEException) as error:
                    service.problems.append(str(error))
                    return self._answer(403)
                status = device.answers.pop(0) if device.answers else 201
                service.received.append(Received(device, status, message, claims, dict(self.headers)))
                self._answer(status)

            def _answer(self, status: int):
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler
