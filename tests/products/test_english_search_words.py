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
    ProductFactory(name="Táo mèo sấy", cooperative=plain, summary="Thái lát, sấy khô.", story="", unit="cái")
    ProductFactory(name="Quế vỏ khô Bắc Hà", cooperative=plain, summary="", story="", unit="cái")
    # Decoys: words that fold like an English word's Vietnamese one but mean something else.
    ProductFactory(
        name="Chè búp",
        cooperative=plain,
        summary="Hộp quà gồm 3 gói chè, thu gom mỗi sáng.",
        story="Chè cổ thụ ngày càng khan hiếm. Uống không say, ai cũng say mê. Đặc sản quê hương.",
        unit="túi 500 g",
    )


@pytest.mark.parametrize(
    ("q", "names"),
    [
        ("scarf", ["Khăn piêu"]),  # not "khan hiếm"
        ("bag", ["Túi thổ cẩm Dao đỏ"]),  # not everything sold by the bag
        ("linen", ["Vải lanh thổ cẩm"]),
        ("pottery", ["Gốm Bàu Trúc"]),  # not "gồm", "thu gom"
        ("palm sugar", ["Đường thốt nốt"]),
        ("sugar", ["Đường thốt nốt"]),  # not the road home
        ("vermicelli", ["Miến dong Bình Liêu"]),
        ("noodles", ["Miến dong Bình Liêu"]),
        ("wine", ["Rượu ngô Bắc Hà"]),
        ("ginger", ["Gừng gió"]),
        ("turmeric", ["Tinh bột nghệ"]),
        ("silver", []),  # bạc hà is mint
        ("dried", ["Táo mèo sấy"]),  # not "say mê"
        ("cinnamon", ["Quế vỏ khô Bắc Hà"]),  # not "quê hương"
    ],
)
def test_english_words_find_vietnamese_only_products(market, q, names):
    assert found(q) == names
