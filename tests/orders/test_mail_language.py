import pytest
from django.core import mail
from django.utils import translation

from orders import services
from tests.factories import CooperativeFactory, ProductFactory, placed_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def tea():
    return ProductFactory(cooperative=CooperativeFactory(email="htx@example.vn"), stock=10)


def _subjects_to(address: str) -> list[str]:
    return [message.subject for message in mail.outbox if message.to == [address]]


def test_an_english_buyer_gets_english_mail_and_the_stall_vietnamese(tea, django_capture_on_commit_callbacks):
    """A buyer who ordered in English reads English; the cooperative always reads Vietnamese."""
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        order = placed_order({tea: 1}, email="anna@example.com")
    assert order.language == "en"
    assert _subjects_to("anna@example.com") == [f"Chợ Phiên: we've received order {order.code}"]
    assert _subjects_to("htx@example.vn") == [f"Chợ Phiên: đơn mới {order.code}"]


def test_a_producer_working_in_vietnamese_still_mails_the_buyer_in_english(
    tea, django_capture_on_commit_callbacks
):
    """The stall confirms in Vietnamese; the English buyer's update arrives in English."""
    with translation.override("en"):
        order = placed_order({tea: 1}, email="anna@example.com")
    mail.outbox.clear()
    part = order.cooperative_orders.get()
    with translation.override("vi"), django_capture_on_commit_callbacks(execute=True):
        services.cooperative_order_confirm(cooperative_order=part, actor=None)
    (subject,) = _subjects_to("anna@example.com")
    assert "has confirmed order" in subject


def test_a_vietnamese_buyer_gets_vietnamese_mail(tea, django_capture_on_commit_callbacks):
    """The default: Vietnamese in, Vietnamese out."""
    with translation.override("vi"), django_capture_on_commit_callbacks(execute=True):
        order = placed_order({tea: 1}, email="lan@example.vn")
    assert order.language == "vi"
    assert _subjects_to("lan@example.vn") == [f"Chợ Phiên: đã nhận đơn {order.code}"]
