"""SePay's protocol on its own: the key in the header, the order code in a bank's content, and
the body that SePay documents (developer.sepay.vn, "SePay Webhooks")."""

import json

import pytest

from orders import sepay
from orders.models import CODE_ALPHABET, CODE_LENGTH


def test_the_note_pattern_is_the_order_code_alphabet():
    """The codes matched are exactly the codes orders get (orders.models)."""
    assert sepay._CODE.pattern == sepay.NOTE_PREFIX + f"([{CODE_ALPHABET}]{{{CODE_LENGTH}}})"


@pytest.mark.parametrize(
    ("texts", "codes"),
    [
        (["CHOPHIEN K7XM4PQA"], ["K7XM4PQA"]),
        (["chophienk7xm4pqa"], ["K7XM4PQA"]),
        (["CHOPHIEN-K7XM4PQA FT25330123"], ["K7XM4PQA"]),
        (["CHOPHIENK7XM4PQAFT25330123"], ["K7XM4PQA"]),
        (["MBVCB.123.CHO PHIEN K7XM 4PQA.CT tu"], ["K7XM4PQA"]),
        (["CHOPHIEN K7XM4PQA, CHOPHIEN 23456789", "CHOPHIEN K7XM4PQA"], ["K7XM4PQA", "23456789"]),
        ([None, "CHOPHIEN K7XM4PQA"], ["K7XM4PQA"]),
        # Not codes: too short, letters no code has (0, O, 1, I, L), no CHOPHIEN before it.
        (["CHOPHIEN K7XM"], []),
        (["CHOPHIEN K7XM0PQA"], []),
        (["K7XM4PQA"], []),
        ([""], []),
    ],
)
def test_order_codes_in_content(texts, codes):
    assert sepay.order_codes_in(*texts) == codes


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Apikey abc", "abc"),
        ("apikey  abc ", "abc"),
        ("APIKEY abc", "abc"),
        ("Bearer abc", ""),
        ("abc", ""),
        ("", ""),
    ],
)
def test_key_from_header(header, key):
    assert sepay.key_from_header(header) == key


def test_a_key_matches_only_its_own_digest():
    key = sepay.api_key_new()
    digest = sepay.key_digest(key)
    assert len(key) == 32 and key not in digest
    assert sepay.key_matches(header=f"Apikey {key}", digest=digest)
    assert not sepay.key_matches(header=f"Apikey {sepay.api_key_new()}", digest=digest)
    assert not sepay.key_matches(header="Apikey ", digest=sepay.key_digest(""))
    assert not sepay.key_matches(header=f"Apikey {key}", digest="")


def test_the_documented_body():
    body = {
        "id": 92704,
        "gateway": "Vietcombank",
        "transactionDate": "2023-03-25 14:02:37",
        "accountNumber": "0123499999",
        "code": None,
        "content": "chuyen tien mua iphone",
        "transferType": "in",
        "transferAmount": 2277000,
        "accumulated": 19077000,
        "subAccount": None,
        "referenceCode": "MBVCB.3278907687",
        "description": "",
    }
    parsed = sepay.transaction_from_body(json.dumps(body).encode())
    assert (parsed.id, parsed.amount, parsed.transfer_type, parsed.code) == (92704, 2277000, "in", "")
    assert parsed.transaction_date.isoformat() == "2023-03-25T14:02:37+07:00"
    assert parsed.reference_code == "MBVCB.3278907687"


def test_numbers_written_as_text_and_an_odd_date_are_accepted():
    body = {
        "id": "92704",
        "gateway": "MBBank",
        "transactionDate": "25/03/2023",
        "accountNumber": 123499999,
        "content": None,
        "transferType": "in",
        "transferAmount": 2277000.0,
    }
    parsed = sepay.transaction_from_body(json.dumps(body).encode())
    assert (parsed.id, parsed.account_number, parsed.amount, parsed.content) == (
        92704,
        "123499999",
        2277000,
        "",
    )
    assert parsed.transaction_date is None and parsed.transaction_date_text == "25/03/2023"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("0001-01-01 00:00:00", None),
        ("1999-12-31 23:59:59", None),
        ("2000-01-01 00:00:00", "2000-01-01T00:00:00+07:00"),
        ("2100-12-31 23:59:59", "2100-12-31T23:59:59+07:00"),
        ("2101-01-01 00:00:00", None),
        ("9999-12-31 23:59:59", None),
    ],
)
def test_a_date_no_bank_could_have_written_is_kept_as_text_only(text, kept):
    """A year far outside a bank's records is as unknown as a date in another shape."""
    body = {
        "id": 1,
        "gateway": "Vietcombank",
        "transactionDate": text,
        "accountNumber": "0123499999",
        "content": "",
        "transferType": "in",
        "transferAmount": 1000,
    }
    parsed = sepay.transaction_from_body(json.dumps(body).encode())
    assert (parsed.transaction_date and parsed.transaction_date.isoformat()) == kept
    assert parsed.transaction_date_text == text


def test_a_wrong_field_is_named():
    with pytest.raises(sepay.BodyError, match="transferAmount, transferType"):
        sepay.transaction_from_body(
            json.dumps(
                {
                    "id": 1,
                    "gateway": "x",
                    "transactionDate": "",
                    "accountNumber": "1",
                    "content": "",
                    "transferType": "IN",
                    "transferAmount": "1.000",
                }
            ).encode()
        )
