"""SePay's webhook protocol: the key it sends, the JSON body it posts, and the order codes a bank
leaves in a transfer's content. Plain functions, no database: orders.services.transfers decides
what a transaction means for a stall.

SePay (developer.sepay.vn, "SePay Webhooks") POSTs one JSON object per bank transaction, with
`Authorization: Apikey <key>` when the webhook is set up with an API key, and counts any 2xx
answered within 5 s as delivered; otherwise it retries (up to 7 times), so the same transaction
`id` can arrive more than once.
"""

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

# 128 random bits written as 32 hex digits, the shape of the keys SePay's own examples show, so
# SePay's key field takes it as it is.
KEY_BYTES = 16
TOKEN_BYTES = 16
# A transaction is a few hundred bytes; anything much larger is not SePay.
MAX_BODY_BYTES = 64 * 1024

# The transfer note the buyer is given is "CHOPHIEN <code>" (CooperativeOrder.transfer_note,
# folded to ASCII by orders.vietqr). Banks upper-case it, drop or merge the space, add their own
# references before or after: "CHOPHIEN K7XM4PQA", "chophienk7xm4pqa", "MBVCB.123.CHOPHIEN-K7XM4PQA
# FT2533...". Matched on the content with everything but letters and digits taken out; a code is
# exactly 8 characters of the order code alphabet (orders.models.CODE_ALPHABET), so whatever a
# bank glues after it is left alone.
NOTE_PREFIX = "CHOPHIEN"
_CODE = re.compile(NOTE_PREFIX + r"([23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8})")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")

# The largest id or amount a 64-bit column holds.
MAX_NUMBER = 2**63 - 1

# The years a bank transaction can carry; a date outside them is unknown, like one in another
# shape. 0001-01-01 in Vietnam's time is before the first moment Python can write in UTC (saving
# it raised OverflowError, a 500 SePay retries), and 9999 is no bank's date.
FIRST_YEAR = 2000
LAST_YEAR = 2100

TRANSFER_IN = "in"
TRANSFER_OUT = "out"

# Documented fields we cannot work without; the others (code, subAccount, accumulated,
# referenceCode, description) may be null or absent, and a payment is never refused for them.
REQUIRED = ("id", "gateway", "transactionDate", "accountNumber", "content", "transferType", "transferAmount")


def api_key_new() -> str:
    return secrets.token_hex(KEY_BYTES)


def url_token_new() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def key_digest(key: str) -> str:
    """What is stored instead of the key. A random 128-bit key needs no slow password hash."""
    return hashlib.sha256(key.encode()).hexdigest()


def key_from_header(header: str) -> str:
    """The key in `Authorization: Apikey <key>`; "" for any other header."""
    scheme, _space, key = (header or "").strip().partition(" ")
    if scheme.lower() != "apikey":
        return ""
    return key.strip()


def key_matches(*, header: str, digest: str) -> bool:
    """Whether the Authorization header carries the key whose digest is stored (constant time)."""
    key = key_from_header(header)
    # Compared even when there is no key or no digest, so the answer takes as long either way.
    expected = digest or key_digest(secrets.token_hex(KEY_BYTES))
    return hmac.compare_digest(key_digest(key), expected) and bool(key and digest)


def account_normal(number: str) -> str:
    """An account number as banks compare it: no spaces or dots, upper case."""
    return _NOT_ALNUM.sub("", (number or "").upper())


def order_codes_in(*texts: str) -> list[str]:
    """The order codes written after CHOPHIEN in these texts, first seen first, each once."""
    codes: list[str] = []
    for text in texts:
        for code in _CODE.findall(_NOT_ALNUM.sub("", (text or "").upper())):
            if code not in codes:
                codes.append(code)
    return codes


class BodyError(ValueError):
    """The body is not a SePay transaction; the message says what is wrong, for the sender."""


@dataclass(frozen=True)
class Transaction:
    """One bank transaction as SePay describes it."""

    id: int
    gateway: str
    transaction_date: datetime | None
    transaction_date_text: str
    account_number: str
    code: str
    content: str
    transfer_type: str
    amount: int
    accumulated: int | None
    sub_account: str
    reference_code: str


def _whole_number(value) -> int | None:
    """A JSON number with no fraction (2277000 or 2277000.0) or digits in a string; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,18}", value.strip()):
        return int(value.strip())
    return None


def _text(value, *, limit: int) -> str | None:
    """A string (or a number written as one, as some banks' account numbers are); None otherwise.

    Control characters and lone surrogates (JSON may escape them, "\\u0000") are dropped: no
    database stores them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | str):
        words = ("".join(ch for ch in word if ch.isprintable()) for word in str(value).split())
        return " ".join(word for word in words if word)[:limit]
    return None


def _local_time(text: str) -> datetime | None:
    """SePay writes "2023-03-25 14:02:37" in Vietnam's time; anything else, or a year no bank
    could have written, is kept as text only."""
    try:
        moment = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        return None
    return timezone.make_aware(moment)


def transaction_from_body(body: bytes) -> Transaction:
    """Parse SePay's JSON body; raises BodyError naming what is missing or wrong."""
    if len(body) > MAX_BODY_BYTES:
        raise BodyError(_("Nội dung quá lớn."))
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BodyError(_("Nội dung không phải JSON hợp lệ.")) from None
    if not isinstance(data, dict):
        raise BodyError(_("Nội dung phải là một đối tượng JSON."))
    missing = [name for name in REQUIRED if name not in data]
    if missing:
        raise BodyError(_("Thiếu trường: %(fields)s.") % {"fields": ", ".join(missing)})
    fields = {
        "id": _whole_number(data["id"]),
        "amount": _whole_number(data["transferAmount"]),
        "gateway": _text(data["gateway"], limit=100),
        "transaction_date_text": _text(data["transactionDate"], limit=40),
        "account_number": _text(data["accountNumber"], limit=40),
        "content": _text(data["content"], limit=1000),
        "code": _text(data.get("code"), limit=100),
        "sub_account": _text(data.get("subAccount"), limit=40),
        "reference_code": _text(data.get("referenceCode"), limit=100),
    }
    names = {"amount": "transferAmount", "transaction_date_text": "transactionDate"}
    wrong = [names.get(key, _camel(key)) for key, value in fields.items() if value is None]
    transfer_type = data["transferType"] if isinstance(data["transferType"], str) else None
    if transfer_type not in (TRANSFER_IN, TRANSFER_OUT):
        wrong.append("transferType")
    accumulated = data.get("accumulated")
    if accumulated is not None and _whole_number(accumulated) is None:
        wrong.append("accumulated")
    if fields["id"] is not None and not 0 < fields["id"] <= MAX_NUMBER:
        wrong.append("id")
    if fields["amount"] is not None and not 0 <= fields["amount"] <= MAX_NUMBER:
        wrong.append("transferAmount")
    if wrong:
        raise BodyError(_("Trường không hợp lệ: %(fields)s.") % {"fields": ", ".join(dict.fromkeys(wrong))})
    return Transaction(
        transfer_type=transfer_type,
        accumulated=None if accumulated is None else _whole_number(accumulated),
        transaction_date=_local_time(fields["transaction_date_text"]),
        **fields,
    )


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)
