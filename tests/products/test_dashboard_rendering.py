"""How dashboard pages show what is stored: prices with grouped digits, a prompt in empty selects."""

import pytest

from tests.dashboard import make_stall

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client):
    stall = make_stall(price=180000)
    client.force_login(stall.owner)
    return client


def test_quick_edit_price_shows_grouped_digits(owner_client):
    """The listing's price box holds "180.000", which the form reads back as 180000."""
    page = owner_client.get("/dashboard/products/").content.decode()
    assert 'value="180.000"' in page
    assert 'value="180000"' not in page


def test_new_product_form_prompts_for_the_origin_province(owner_client):
    """The origin province select's empty choice reads "— Chọn tỉnh/thành —", never "---------"."""
    page = owner_client.get("/dashboard/products/new/").content.decode()
    assert "— Chọn tỉnh/thành —" in page
    assert "---------" not in page
