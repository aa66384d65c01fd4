"""Dashboard forms: forgiving input, clear refusals."""

import pytest
from django.utils import translation

from products.forms import CooperativeProfileForm, MembershipAddForm, ProductForm, QuickUpdateForm
from storefront.lib.money import MoneyField
from tests.factories import CooperativeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("250000", 250000),
        ("250.000", 250000),
        ("250 000 đ", 250000),
        ("250,000₫", 250000),
        ("250k", 250000),
        ("1.200.000 VND", 1200000),
        ("0", 0),
    ],
)
def test_money_field_reads_amounts_as_people_type_them(typed, amount):
    """Dots, spaces, currency signs and a "k" suffix are all understood."""
    assert MoneyField().clean(typed) == amount


@pytest.mark.parametrize("typed", ["mười nghìn", "12a", "-5000"])
def test_money_field_refuses_what_is_not_an_amount(typed):
    """Words, letters and negative amounts are refused."""
    form = QuickUpdateForm({"price": typed, "stock": "1"})
    assert not form.is_valid() and "price" in form.errors


def profile_data(**overrides):
    data = {"name": "HTX Quế", "province": "51", "shipping_fee": "30000"}
    data.update(overrides)
    return data


def test_bank_details_must_be_complete():
    """A bank without an account number and name is refused with one plain message."""
    form = CooperativeProfileForm(profile_data(bank_bin="970436"), instance=CooperativeFactory.build())
    assert not form.is_valid()
    assert "điền đủ ngân hàng, số tài khoản và tên chủ tài khoản" in str(form.errors)


@pytest.mark.parametrize(
    ("typed", "ok"), [("12345", False), ("123456", True), ("1" * 19, True), ("1" * 20, False)]
)
def test_account_number_has_6_to_19_digits(typed, ok):
    """Account numbers have 6 to 19 digits."""
    form = CooperativeProfileForm(
        profile_data(bank_bin="970436", bank_account_number=typed, bank_account_name="HTX QUE"),
        instance=CooperativeFactory.build(),
    )
    assert form.is_valid() is ok


def test_account_name_is_folded_to_upper_case_ascii():
    """ "Hợp tác xã Quế Trà Bồng" becomes "HOP TAC XA QUE TRA BONG", as printed on cards."""
    form = CooperativeProfileForm(
        profile_data(
            bank_bin="970436",
            bank_account_number="0011001234567",
            bank_account_name="Hợp tác xã  Quế Trà Bồng",
        ),
        instance=CooperativeFactory.build(),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["bank_account_name"] == "HOP TAC XA QUE TRA BONG"


def test_account_name_refuses_digits_and_symbols():
    """Digits and symbols in the account name are refused."""
    form = CooperativeProfileForm(
        profile_data(bank_bin="970436", bank_account_number="0011001234567", bank_account_name="HTX #1"),
        instance=CooperativeFactory.build(),
    )
    assert not form.is_valid() and "bank_account_name" in form.errors


def test_landline_is_refused_as_contact_phone():
    """The contact phone must be a mobile number buyers can call and message on Zalo."""
    form = CooperativeProfileForm(profile_data(phone="024 3825 3536"), instance=CooperativeFactory.build())
    assert not form.is_valid() and "phone" in form.errors


def test_member_can_be_found_by_email():
    """An account is found by its email when the owner types that instead of the user name."""
    user = UserFactory(username="hoa", email="Hoa@Example.vn")
    form = MembershipAddForm({"identifier": "hoa@example.vn", "role": "member"})
    assert form.is_valid() and form.user == user


def test_owner_role_cannot_be_given_from_the_dashboard():
    """Owners are made by the market admin; the add form offers member and helper only."""
    UserFactory(username="hoa")
    form = MembershipAddForm({"identifier": "hoa", "role": "owner"})
    assert not form.is_valid()
    assert list(form.errors) == ["role"]  # refused for the role, not for the person
    assert MembershipAddForm({"identifier": "hoa", "role": "helper"}).is_valid()


def test_money_inputs_show_stored_amounts_with_grouped_digits():
    """A stored price shows as "180.000" in the box (180,000 in English) and reads back unchanged."""
    form = QuickUpdateForm(initial={"price": 180000, "stock": 4, "stock_shown": 4})
    assert 'value="180.000"' in str(form["price"])
    with translation.override("en"):
        assert 'value="180,000"' in str(form["price"])
    assert MoneyField().clean("180.000") == 180000


def test_product_form_origin_province_starts_with_a_prompt():
    """The origin province list opens with "— Chọn tỉnh/thành —", not Django's "---------"."""
    field = str(ProductForm(cooperative=CooperativeFactory())["origin_province"])
    assert '<option value="">— Chọn tỉnh/thành —</option>' in field
    assert "---------" not in field


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("250.000", 250_000),
        ("250 000", 250_000),
        ("250\u00a0000", 250_000),
        ("250,000", 250_000),
        ("250000 đ", 250_000),
        ("250.000đ", 250_000),
        ("250.000 VNĐ", 250_000),
        ("250 000 đồng", 250_000),
        ("1.200.000", 1_200_000),
        ("250k", 250_000),
        ("250 K", 250_000),
        ("1.5k", 1_500),
        ("1,5k", 1_500),
        ("2,5k", 2_500),
        ("12,5k", 12_500),
        ("1.200k", 1_200_000),
        ("5 nghìn", 5_000),
        ("1tr", 1_000_000),
        ("1 triệu", 1_000_000),
        ("1,2tr", 1_200_000),
        ("1.25 triệu", 1_250_000),
        ("0", 0),
        ("", None),
    ],
)
def test_money_field_table(typed, amount):
    """Each way of writing an amount gives the whole number of đồng meant."""
    assert MoneyField(required=False).clean(typed) == amount


@pytest.mark.parametrize("typed", ["12.5", "2,5", "1.50", "250.00", "1.2345k"])
def test_money_field_asks_for_whole_dong_when_a_decimal_is_ambiguous(typed):
    """A decimal without k/tr could mean two amounts: refused with a message, never guessed."""
    form = QuickUpdateForm({"price": typed, "stock": "1"})
    assert not form.is_valid()
    message = form.errors["price"][0]
    assert "số đồng tròn" in message or "bằng chữ số" in message
    if typed in ("12.5", "2,5"):
        assert f"“{typed}”" in message and "số đồng tròn" in message


@pytest.mark.parametrize("typed", ["k", "tr", "1..5k", "12,5,0", "-5000", "mười nghìn"])
def test_money_field_refuses_what_only_looks_like_an_amount(typed):
    """Odd input gets the "type digits" message."""
    form = QuickUpdateForm({"price": typed, "stock": "1"})
    assert not form.is_valid() and "bằng chữ số" in form.errors["price"][0]
