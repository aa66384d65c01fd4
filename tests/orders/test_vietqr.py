import re

import pytest
import segno

from orders.vietqr import crc16_ccitt, parse_tlv, vietqr_payload, vietqr_svg

NAPAS_EXAMPLE = (
    "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA"
    "530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E"
)
ACCOUNT = {"bank_bin": "970436", "account_number": "0011001234567"}


def test_crc_check_value():
    """CRC-16/CCITT-FALSE gives the standard check value for "123456789"."""
    assert crc16_ccitt("123456789") == "29B1"


def test_crc_of_empty_text_is_the_initial_value():
    """Nothing hashed leaves the 0xFFFF start value, written as 4 upper-case hex digits."""
    assert crc16_ccitt("") == "FFFF"


def test_reproduces_the_napas_published_example():
    """The payload for the NAPAS specification's example is exactly the published string."""
    payload = vietqr_payload(
        bank_bin="970403",
        account_number="0011012345678",
        amount=180000,
        bill_number="NPS6869",
        purpose="thanh toan don hang",
    )
    assert payload == NAPAS_EXAMPLE
    assert payload.endswith("63042E2E")


def test_payload_ends_with_the_crc_of_everything_before_it():
    """Any payload's last four characters are the CRC of the text up to and including "6304"."""
    payload = vietqr_payload(**ACCOUNT, amount=123456, purpose="CP ABC")
    assert payload[-8:-4] == "6304"
    assert payload[-4:] == crc16_ccitt(payload[:-4])


def test_field_layout_with_a_vietnamese_purpose():
    """Fields come in the NAPAS order and the note is folded to plain ASCII."""
    payload = vietqr_payload(**ACCOUNT, amount=250000, purpose="Thanh toán đơn CP-ABC")
    fields = parse_tlv(payload)
    assert list(fields) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert fields["00"] == "01"
    assert fields["01"] == "12"
    assert fields["53"] == "704"
    assert fields["54"] == "250000"
    assert fields["58"] == "VN"
    merchant = parse_tlv(fields["38"])
    assert merchant == {
        "00": "A000000727",
        "01": "00069704360113" + "0011001234567",
        "02": "QRIBFTTA",
    }
    assert parse_tlv(merchant["01"]) == {"00": "970436", "01": "0011001234567"}
    assert parse_tlv(fields["62"]) == {"08": "Thanh toan don CP-ABC"}
    assert payload.isascii()


def test_bill_number_comes_before_the_purpose():
    """Sub-field 01 (bill number) precedes 08 (purpose) in the additional data."""
    payload = vietqr_payload(**ACCOUNT, amount=1000, purpose="Đơn hàng", bill_number="CPABC123")
    assert list(parse_tlv(parse_tlv(payload)["62"]).items()) == [("01", "CPABC123"), ("08", "Don hang")]


def test_purpose_is_cut_to_25_characters():
    """Banks keep at most 25 characters of the note, so no more are sent."""
    purpose = "Thanh toán đơn hàng Chè Shan tuyết cổ thụ Lũng Phìn"
    payload = vietqr_payload(**ACCOUNT, amount=1000, purpose=purpose)
    note = parse_tlv(parse_tlv(payload)["62"])["08"]
    assert note == "Thanh toan don hang Che S"
    assert len(note) == 25


def test_empty_purpose_leaves_out_additional_data():
    """With no note and no bill number the optional field 62 is absent."""
    for purpose in ("", "   ", "✓✓"):
        fields = parse_tlv(vietqr_payload(**ACCOUNT, amount=1000, purpose=purpose))
        assert "62" not in fields


def test_largest_amount_and_longest_account():
    """A 13-digit amount and a 19-character account number still fit."""
    payload = vietqr_payload(
        bank_bin="970436", account_number="A" * 19, amount=9_999_999_999_999, purpose="x"
    )
    fields = parse_tlv(payload)
    assert fields["54"] == "9999999999999"
    assert parse_tlv(parse_tlv(fields["38"])["01"])["01"] == "A" * 19


@pytest.mark.parametrize(
    "changes",
    [
        {"bank_bin": "97043"},
        {"bank_bin": "9704366"},
        {"bank_bin": "97043a"},
        {"bank_bin": "９７０４３６"},
        {"account_number": ""},
        {"account_number": "1" * 20},
        {"account_number": "0011 0012"},
        {"account_number": "001-100"},
        {"account_number": "００１１"},
        {"amount": 0},
        {"amount": -1000},
        {"amount": 10**13},
        {"amount": 1000.5},
        {"amount": "1000"},
        {"amount": True},
        {"bill_number": "B" * 26},
        {"bill_number": "đơn 1"},
    ],
)
def test_invalid_inputs_raise_value_error(changes):
    """A BIN, account, amount or bill number that no bank would accept is refused."""
    arguments = {**ACCOUNT, "amount": 1000, "purpose": "x", **changes}
    with pytest.raises(ValueError):
        vietqr_payload(**arguments)


@pytest.mark.parametrize("broken", ["0002", "00020", "0005010", "AB0201", "0002010002"])
def test_parse_tlv_refuses_malformed_text(broken):
    """Cut, non-numeric or repeated fields are reported rather than misread."""
    with pytest.raises(ValueError):
        parse_tlv(broken)


def test_svg_is_an_inline_labelled_element():
    """The code renders as a small inline <svg> with a title and label, no XML declaration."""
    payload = vietqr_payload(**ACCOUNT, amount=250000, purpose="Thanh toán đơn CP-ABC")
    svg = vietqr_svg(payload)
    assert svg.startswith("<svg ")
    assert svg.endswith("</svg>")
    assert "<?xml" not in svg
    assert 'role="img"' in svg
    assert 'aria-label="Mã VietQR để chuyển khoản"' in svg
    assert "<title>Mã VietQR để chuyển khoản</title>" in svg
    assert len(svg) < 8000


def test_svg_size_follows_scale_and_keeps_a_quiet_zone():
    """Width and viewBox are (modules + 2 × 4 border) × scale, so CSS can shrink it crisply."""
    payload = vietqr_payload(**ACCOUNT, amount=250000, purpose="CP ABC")
    qr = segno.make_qr(payload, error="m")
    modules = qr.symbol_size(scale=1, border=0)[0]
    for scale in (3, 4, 6):
        svg = vietqr_svg(payload, scale=scale)
        side = (modules + 8) * scale
        assert f'width="{side}" height="{side}"' in svg
        assert f'viewBox="0 0 {side} {side}"' in svg
    assert qr.error in ("M", "Q", "H")
    assert re.search(r'fill="#fff"', vietqr_svg(payload))
