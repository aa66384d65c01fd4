"""English words find Vietnamese-only products of every demo category, and only the right ones."""

import pytest

from tests.factories import CooperativeFactory, ProductFactory
from tests.products.test_english import found

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    plain = CooperativeFactory(name="HTX Vùng cao", name_en="")
    for name in (
        "Khăn piêu",
        "Túi thổ cẩm Dao đỏ",
        "Vải lanh thổ cẩm",
        "Gốm Bàu Trúc",
        "Đường thốt nốt",
        "Miến dong Bình Liêu",
        "Rượu ngô Bắc Hà",
        "Gừng gió",
        "Tinh bột nghệ",
        "Mật ong bạc hà",
        "Nước lạnh",
        "Đường về bản",
    ):
        ProductFactory(name=name, cooperative=plain, summary="", story="", unit="cái")


@pytest.mark.parametrize(
    ("q", "names"),
    [
        ("scarf", ["Khăn piêu"]),
        ("bag", ["Túi thổ cẩm Dao đỏ"]),
        ("linen", ["Vải lanh thổ cẩm"]),
        ("pottery", ["Gốm Bàu Trúc"]),
        ("palm sugar", ["Đường thốt nốt"]),
        ("sugar", ["Đường thốt nốt"]),  # not the road home
        ("vermicelli", ["Miến dong Bình Liêu"]),
        ("noodles", ["Miến dong Bình Liêu"]),
        ("wine", ["Rượu ngô Bắc Hà"]),
        ("ginger", ["Gừng gió"]),
        ("turmeric", ["Tinh bột nghệ"]),
        ("silver", []),  # bạc hà is mint
    ],
)
def test_english_words_find_vietnamese_only_products(market, q, names):
    assert found(q) == names
