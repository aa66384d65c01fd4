"""A banking app's view of the order page: the VietQR codes, drawn by Chromium, scanned by zbar."""

import shutil
import subprocess

import pytest

from orders.vietqr import parse_tlv
from tests.factories import CooperativeFactory, ProductFactory, placed_order

ZBARIMG = shutil.which("zbarimg")

pytestmark = pytest.mark.skipif(ZBARIMG is None, reason="needs zbarimg (Debian's zbar-tools)")


def scan(png: bytes) -> str:
    """Decode one QR code from a screenshot, as a phone's scanner would."""
    result = subprocess.run(  # noqa: S603 (fixed program, our own file)
        [ZBARIMG, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", "-"],
        input=png,
        capture_output=True,
        check=True,
        timeout=30,
    )
    return result.stdout.decode().strip()


@pytest.fixture
def order(transactional_db):
    tea = ProductFactory(
        name="Chè Shan tuyết cổ thụ",
        price=250000,
        cooperative=CooperativeFactory(
            name="HTX Chè Lũng Phìn",
            bank_bin="970405",
            bank_account_number="8800123456789",
            bank_account_name="HTX CHE LUNG PHIN",
            shipping_fee=35000,
            free_shipping_threshold=None,
        ),
    )
    honey = ProductFactory(
        name="Mật ong bạc hà",
        price=450000,
        cooperative=CooperativeFactory(
            name="HTX Mật ong Mèo Vạc",
            bank_bin="970436",
            bank_account_number="1023456789",
            bank_account_name="HTX MAT ONG MEO VAC",
            shipping_fee=30000,
            free_shipping_threshold=None,
        ),
    )
    return placed_order({tea: 2, honey: 1}, payment_method="bank_transfer")


def test_each_stalls_code_scans_to_its_bank_account_amount_and_note(live_server, order, page):
    """Tracked from another phone, each stall's code gives its bank, account, exact amount, note."""
    page.goto(live_server.url + "/orders/track/")
    page.fill("input[name=code]", order.code.lower())
    page.fill("input[name=phone]", "+84 912 345 678")
    page.locator("form:has(input[name=code]) [type=submit]").click()
    page.wait_for_url(f"**/orders/{order.code}/")

    expected = {
        part.bank_account_number: (part.bank_bin, part.total) for part in order.cooperative_orders.all()
    }
    codes = page.locator("svg.vietqr")
    assert codes.count() == len(expected) == 2
    for index in range(codes.count()):
        payload = scan(codes.nth(index).screenshot())
        fields = parse_tlv(payload)
        beneficiary = parse_tlv(parse_tlv(fields["38"])["01"])
        bank_bin, amount = expected.pop(beneficiary["01"])
        assert beneficiary["00"] == bank_bin
        assert fields["54"] == str(amount)
        assert fields["53"] == "704" and fields["58"] == "VN"
        assert parse_tlv(fields["62"])["08"] == f"CHOPHIEN {order.code}"
    assert expected == {}
