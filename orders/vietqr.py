"""VietQR bank-transfer codes (NAPAS 247, EMVCo merchant-presented QR).

Every Vietnamese banking app scans them: the buyer's app fills in the cooperative's account, the
exact amount and the order code as the transfer note, so payment needs no gateway and no fee.
A payload is a run of fields `ID` + two-digit length + value, closed by a CRC over everything.
"""

import re

from django.utils.translation import gettext

from storefront.lib.qr import qr_svg
from storefront.lib.text import ascii_fold

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
PURPOSE_MAX_LENGTH = 25
BILL_NUMBER_MAX_LENGTH = 25

_BIN = re.compile(r"[0-9]{6}")
_ACCOUNT = re.compile(r"[0-9A-Za-z]{1,19}")
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]*")


def crc16_ccitt(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) of the text, as 4 upper-case hex digits."""
    crc = 0xFFFF
    for byte in data.encode("ascii"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def _field(field_id: str, value: str) -> str:
    if not 0 < len(value) <= 99:
        raise ValueError(f"Field {field_id} must hold 1 to 99 characters, not {len(value)}.")
    return f"{field_id}{len(value):02d}{value}"


def vietqr_payload(
    *, bank_bin: str, account_number: str, amount: int, purpose: str, bill_number: str = ""
) -> str:
    """The VietQR text for one transfer of `amount` đồng to an account, with a transfer note.

    The note (`purpose`) is folded to plain ASCII and cut to 25 characters, the most banks keep.
    Raises ValueError for a BIN, account number, amount or bill number no bank would accept.
    """
    if not isinstance(bank_bin, str) or not _BIN.fullmatch(bank_bin):
        raise ValueError("The bank BIN must be 6 digits.")
    if not isinstance(account_number, str) or not _ACCOUNT.fullmatch(account_number):
        raise ValueError("The account number must be 1 to 19 letters or digits.")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount < 10**13:
        raise ValueError("The amount must be a whole number of đồng from 1 to 13 digits.")
    if not _PRINTABLE_ASCII.fullmatch(bill_number) or len(bill_number) > BILL_NUMBER_MAX_LENGTH:
        raise ValueError("The bill number must be at most 25 printable ASCII characters.")
    note = "".join(ch for ch in ascii_fold(purpose or "", keep_case=True) if ch.isprintable())[
        :PURPOSE_MAX_LENGTH
    ].strip()

    beneficiary = _field("00", bank_bin) + _field("01", account_number)
    merchant_account = _field("00", NAPAS_GUID) + _field("01", beneficiary) + _field("02", SERVICE_TO_ACCOUNT)
    additional = (_field("01", bill_number) if bill_number else "") + (_field("08", note) if note else "")
    payload = (
        _field("00", "01")
        + _field("01", "12")
        + _field("38", merchant_account)
        + _field("53", CURRENCY_VND)
        + _field("54", str(amount))
        + _field("58", COUNTRY_VN)
        + (_field("62", additional) if additional else "")
        + "6304"
    )
    return payload + crc16_ccitt(payload)


def parse_tlv(payload: str) -> dict[str, str]:
    """Split a run of ID + length + value fields into {ID: value}, in order (one level deep).

    Nested templates (38, 62) come back as strings: parse them again to read their sub-fields.
    """
    fields: dict[str, str] = {}
    position = 0
    while position < len(payload):
        header = payload[position : position + 4]
        if len(header) < 4 or not header.isdigit():
            raise ValueError(f"Malformed field header at {position}: {header!r}")
        field_id, length = header[:2], int(header[2:])
        value = payload[position + 4 : position + 4 + length]
        if len(value) != length:
            raise ValueError(f"Field {field_id} is cut short at {position}.")
        if field_id in fields:
            raise ValueError(f"Field {field_id} appears twice.")
        fields[field_id] = value
        position += 4 + length
    return fields


def vietqr_svg(payload: str, *, scale: int = 4) -> str:
    """The QR code as an inline <svg> element, ready to put in a page (safe to mark_safe)."""
    return qr_svg(
        payload, label=gettext("Mã VietQR để chuyển khoản"), css_class="vietqr", scale=scale, sized=True
    )
