"""The owner turns SePay on from the phone, pastes the address and key into SePay (here the local
stand-in), and sees a paid order and a transfer to look at; every page passes the journey check."""

import pytest

from orders.models import BankTransaction
from products.models import Membership
from tests.factories import CooperativeFactory, MembershipFactory, ProductFactory, UserFactory, placed_order
from tests.sepay_sender import SepaySender

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "secret-pass-123"


def test_owner_turns_sepay_on_and_sees_transfers(live_server, settings, journey):
    settings.SITE_URL = live_server.url
    cooperative = CooperativeFactory(name="HTX Chè Shan tuyết Lũng Phìn", bank_account_number="0011001234567")
    owner = UserFactory(username="chu.htx")
    MembershipFactory(user=owner, cooperative=cooperative, role=Membership.Role.OWNER)
    product = ProductFactory(cooperative=cooperative, price=250000, name="Chè Shan tuyết cổ thụ")
    paid_order = placed_order({product: 1}, payment_method="bank_transfer")
    short_order = placed_order({product: 2}, payment_method="bank_transfer")

    page = journey.open()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "chu.htx")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/dashboard/")
    page.goto(live_server.url + "/dashboard/cooperative/#sepay")
    journey.check(page, "profile-sepay-off")
    page.get_by_role("button", name="Bật SePay").click()
    page.wait_for_url("**/dashboard/orders/sepay/")
    journey.check(page, "sepay-key")
    url = page.locator("#sepay-url").input_value()
    key = page.locator("#sepay-key").input_value()
    assert url.startswith(live_server.url + "/webhooks/sepay/")

    sender = SepaySender(url, key, cooperative.bank_account_number)
    paid = sender.transaction(content=f"CHOPHIEN {paid_order.code} FT25330", transferAmount=280000)
    assert sender.deliver(paid)[-1].body == {"success": True}
    short = sender.transaction(content=f"chophien{short_order.code.lower()}", transferAmount=450000)
    assert sender.deliver(short)[-1].body == {"success": True}

    page.get_by_role("link", name="Xong, về trang thông tin gian hàng").click()
    page.locator("#sepay-url").wait_for()
    journey.check(page, "profile-sepay-on")
    page.goto(live_server.url + "/dashboard/")
    page.get_by_text("1 chuyển khoản SePay cần xem").wait_for()
    journey.check(page, "home-transfer-to-look-at")
    page.get_by_role("link", name="Xem và đánh dấu đã xem").click()
    page.wait_for_url("**/dashboard/orders/transfers/?show=to_look_at")
    journey.check(page, "transfers-to-look-at")
    page.get_by_role("button", name="Đã xem").click()
    page.get_by_text("Không có giao dịch nào cần xem.").wait_for()
    page.goto(live_server.url + "/dashboard/orders/transfers/")
    journey.check(page, "transfers-all")

    outcomes = set(BankTransaction.objects.values_list("outcome", flat=True))
    assert outcomes == {BankTransaction.Outcome.PAID, BankTransaction.Outcome.UNDERPAID}
    assert paid_order.cooperative_orders.get().is_paid
    assert not short_order.cooperative_orders.get().is_paid
