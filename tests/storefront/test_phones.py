import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template

from storefront.lib.phones import (
    MSG_EMPTY,
    MSG_INVALID,
    MSG_LANDLINE,
    MSG_OLD_11_DIGITS,
    PhoneFormField,
    format_phone,
    normalize_phone,
    phone_e164,
    zalo_url,
)

TYPING_STYLES = [
    ("0912345678", "0912345678"),
    ("0912 345 678", "0912345678"),
    ("0912.345.678", "0912345678"),
    ("0912-345-678", "0912345678"),
    ("(0912) 345 678", "0912345678"),
    ("  0912 345 678  ", "0912345678"),
    ("091 234 5678", "0912345678"),
    ("+84912345678", "0912345678"),
    ("+84 912 345 678", "0912345678"),
    ("(+84) 912-345-678", "0912345678"),
    ("+84 (0) 912 345 678", "0912345678"),
    ("+84 0912 345 678", "0912345678"),
    ("84912345678", "0912345678"),
    ("84 912 345 678", "0912345678"),
    ("840912345678", "0912345678"),
    ("0084912345678", "0912345678"),
    ("0084 912 345 678", "0912345678"),
    ("0912\u00a0345\u00a0678", "0912345678"),
    ("０９１２ ３４５ ６７８", "0912345678"),
    ("＋８４ ９１２ ３４５ ６７８", "0912345678"),
    ("0912/345/678", "0912345678"),
]

# One number in every mobile range allocated since the 2018 renumbering.
MOBILE_RANGES = [
    *[f"03{d}1234567" for d in "23456789"],
    "0523456789",
    "0561234567",
    "0581234567",
    "0591234567",
    "0701234567",
    *[f"07{d}1234567" for d in "6789"],
    *[f"08{d}1234567" for d in "12345678"],
    "0896123456",
    "0899123456",
    *[f"09{d}1234567" for d in "012345678"],
    "0991234567",
    "0996123456",
]

INVALID = [
    ("01691234567", MSG_OLD_11_DIGITS, "old_11_digits"),
    ("0169 123 4567", MSG_OLD_11_DIGITS, "old_11_digits"),
    ("+84 169 123 4567", MSG_OLD_11_DIGITS, "old_11_digits"),
    ("01212345678", MSG_OLD_11_DIGITS, "old_11_digits"),
    ("0121012345", MSG_INVALID, "invalid"),
    ("0123456789", MSG_INVALID, "invalid"),
    ("091234567", MSG_INVALID, "invalid"),
    ("912345678", MSG_INVALID, "invalid"),
    ("09123456789", MSG_INVALID, "invalid"),
    ("+849123456789", MSG_INVALID, "invalid"),
    ("0612345678", MSG_INVALID, "invalid"),
    ("0691234567", MSG_INVALID, "invalid"),
    ("0801234567", MSG_INVALID, "invalid"),
    ("0000000000", MSG_INVALID, "invalid"),
    ("024 3825 1234", MSG_LANDLINE, "landline"),
    ("028 3829 5555", MSG_LANDLINE, "landline"),
    ("+84 24 3825 1234", MSG_LANDLINE, "landline"),
    ("0912abc678", MSG_INVALID, "invalid"),
    ("không có", MSG_INVALID, "invalid"),
    ("0912 345 678 zalo", MSG_INVALID, "invalid"),
    ("+1 212 555 0100", MSG_INVALID, "invalid"),
    ("0044 20 7946 0958", MSG_INVALID, "invalid"),
    ("++84912345678", MSG_INVALID, "invalid"),
    ("0912#345678", MSG_INVALID, "invalid"),
    ("٠٩١٢٣٤٥٦٧٨", MSG_INVALID, "invalid"),
    ("0" * 30, MSG_INVALID, "invalid"),
    ("0912345678" * 20, MSG_INVALID, "invalid"),
    ("-" * 500, MSG_INVALID, "invalid"),
    ("", MSG_EMPTY, "empty"),
    ("   ", MSG_EMPTY, "empty"),
]


@pytest.mark.parametrize(("raw", "expected"), TYPING_STYLES)
def test_normalize_accepts_how_people_type(raw, expected):
    """Spaces, dots, dashes, brackets, +84/84/0084 prefixes and full-width digits all normalise."""
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("number", MOBILE_RANGES)
def test_normalize_accepts_every_mobile_range(number):
    """Every allocated 03x/05x/07x/08x/09x range is a valid mobile number, also with +84."""
    assert normalize_phone(number) == number
    assert normalize_phone("+84" + number[1:]) == number


@pytest.mark.parametrize(("raw", "message", "code"), INVALID)
def test_normalize_refuses_with_a_clear_message(raw, message, code):
    """Old, retired, short, long, landline and junk numbers are refused with a Vietnamese message."""
    with pytest.raises(ValidationError) as excinfo:
        normalize_phone(raw)
    assert excinfo.value.code == code
    assert excinfo.value.messages == [str(message)]


def test_messages_are_vietnamese_with_an_example():
    """Every refusal shows, in Vietnamese, what a good number looks like."""
    for message in (MSG_INVALID, MSG_EMPTY, MSG_LANDLINE, MSG_OLD_11_DIGITS):
        assert "0912 345 678" in str(message)
    assert str(MSG_INVALID).startswith("Số di động chưa đúng.")


def test_format_phone_groups_four_three_three():
    """A stored number is shown the way Vietnamese people read it."""
    assert format_phone("0912345678") == "0912 345 678"
    assert format_phone("0321234567") == "0321 234 567"


def test_format_phone_normalises_a_number_not_yet_normal():
    """A number stored before normalisation still formats."""
    assert format_phone("+84 912.345.678") == "0912 345 678"


def test_phone_e164_for_tel_links():
    """tel: links get the international form that works from any country."""
    assert phone_e164("0912345678") == "+84912345678"


def test_zalo_url():
    """Zalo chats open by phone number."""
    assert zalo_url("0912345678") == "https://zalo.me/0912345678"


def test_helpers_refuse_what_is_not_a_phone():
    """The helpers never build a link to a number that is not a mobile number."""
    for helper in (format_phone, phone_e164, zalo_url):
        with pytest.raises(ValidationError):
            helper("024 3825 1234")


class PhoneForm(forms.Form):
    phone = PhoneFormField(label="Số điện thoại")
    other = PhoneFormField(label="Số khác", required=False)


def test_form_field_cleans_to_normal_form():
    """The form hands the view the normal form, whatever was typed."""
    form = PhoneForm(data={"phone": "+84 912-345-678", "other": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"phone": "0912345678", "other": ""}


def test_form_field_error_keeps_what_was_typed():
    """A wrong number gets the message on the same form, with the typed text kept."""
    form = PhoneForm(data={"phone": "0169 123 4567"})
    assert not form.is_valid()
    assert form.errors["phone"] == [str(MSG_OLD_11_DIGITS)]
    assert 'value="0169 123 4567"' in str(form["phone"])


def test_form_field_required():
    """An empty required phone is refused."""
    form = PhoneForm(data={"phone": ""})
    assert not form.is_valid()
    assert "phone" in form.errors


def test_form_field_widget_opens_the_phone_keypad():
    """The input asks phones for the dial pad and for autofill of the own number."""
    html = str(PhoneForm()["phone"])
    assert 'type="tel"' in html
    assert 'inputmode="tel"' in html
    assert 'autocomplete="tel"' in html
    assert "0912 345 678" in str(PhoneForm().fields["phone"].help_text)


@pytest.mark.parametrize(
    ("value", "shown"),
    [("0912345678", "0912 345 678"), ("024 3825 1234", "024 3825 1234"), ("", ""), (None, "")],
)
def test_phone_template_filter(value, shown):
    """{{ number|phone }} formats mobile numbers and leaves anything else as it was."""
    rendered = Template("{% load phones %}{{ number|phone }}").render(Context({"number": value}))
    assert rendered == shown
