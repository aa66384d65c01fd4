"""The relevance table: queries typed as buyers type them, on the demo market, with the products
that must come first and those that must not appear at all (SQLite and PostgreSQL alike)."""

import io

import pytest
from django.core.management import call_command

from products import selectors
from products.models import Category, Cooperative, Product

# Two products the demo lacks, so both sides of the Northern and Southern words have something.
EXTRA = [("Thịt lợn gác bếp", "Thịt lợn bản treo gác bếp, ăn với mắc khén."), ("Bắp nếp nương", "Bắp luộc.")]

# (typed, the products that make up the first results in any order, products that must not appear)
RELEVANCE = [
    # No diacritics
    ("mat ong", {"Mật ong bạc hà Mèo Vạc", "Mật ong hoa rừng Tà Xùa"}, {"Vải lanh thổ cẩm"}),
    ("mat o", {"Mật ong bạc hà Mèo Vạc", "Mật ong hoa rừng Tà Xùa"}, {"Vải lanh thổ cẩm"}),
    ("mat ong bac ha", {"Mật ong bạc hà Mèo Vạc"}, {"Vải lanh thổ cẩm", "Chè Shan tuyết Tà Xùa"}),
    (
        "che shan tuyet",
        {"Chè Shan tuyết cổ thụ Lũng Phìn", "Chè Shan tuyết Tà Xùa", "Hồng trà Shan tuyết"},
        {"Chè Bình Liêu"},
    ),
    ("ca phe dak lak", {"Cà phê Robusta Buôn Ma Thuột"}, {"Cà phê Arabica Lạc Dương"}),
    ("gao nep", {"Gạo nếp Tú Lệ"}, {"Đường thốt nốt"}),
    ("hat de", {"Hạt dẻ Trùng Khánh"}, {"Mắc khén rừng"}),  # "hạt tiêu … để giữ mùi"
    ("mien dong", {"Miến dong Bình Liêu"}, {"Chè Bình Liêu"}),
    ("tho cam", {"Túi thổ cẩm Dao đỏ", "Vải lanh thổ cẩm"}, {"Đường thốt nốt"}),
    ("khan pieu", {"Khăn piêu"}, {"Túi thổ cẩm Dao đỏ"}),
    ("duong thot not", {"Đường thốt nốt"}, {"Cà phê Arabica Lạc Dương"}),
    ("mac khen", {"Mắc khén rừng"}, {"Quế vỏ khô Bắc Hà"}),
    ("que", {"Quế vỏ khô Bắc Hà"}, {"Quế Trà Bồng"}),  # its stall is not verified yet
    ("sap ong", {"Vải lanh thổ cẩm"}, {"Mật ong bạc hà Mèo Vạc"}),
    # Diacritics typed: the exact name first
    ("Mật ong hoa rừng", {"Mật ong hoa rừng Tà Xùa"}, {"Vải lanh thổ cẩm"}),
    (
        "mật ong tuyen quang",
        {"Mật ong bạc hà Mèo Vạc", "Hồng trà Shan tuyết"},
        {"Vải lanh thổ cẩm", "Mật ong hoa rừng Tà Xùa"},
    ),
    # Northern and Southern words
    (
        "tra shan tuyet",
        {"Chè Shan tuyết cổ thụ Lũng Phìn", "Chè Shan tuyết Tà Xùa", "Hồng trà Shan tuyết"},
        {"Chè Bình Liêu"},
    ),
    ("tra binh lieu", {"Chè Bình Liêu"}, {"Chè Shan tuyết Tà Xùa"}),
    ("cafe", {"Cà phê Robusta Buôn Ma Thuột", "Cà phê Arabica Lạc Dương"}, {"Đường thốt nốt"}),
    ("heo gac bep", {"Thịt lợn gác bếp"}, {"Mắc khén rừng"}),
    ("ngo nep", {"Bắp nếp nương"}, {"Gạo nếp Tú Lệ"}),
    # English
    ("honey", {"Mật ong bạc hà Mèo Vạc", "Mật ong hoa rừng Tà Xùa"}, {"Vải lanh thổ cẩm"}),  # beeswax
    ("coffee", {"Cà phê Robusta Buôn Ma Thuột", "Cà phê Arabica Lạc Dương"}, {"Gạo nếp Tú Lệ"}),
    ("black tea", {"Hồng trà Shan tuyết"}, {"Cà phê Robusta Buôn Ma Thuột"}),
    ("sticky rice", {"Gạo nếp Tú Lệ"}, {"Miến dong Bình Liêu"}),
    ("star anise", {"Hoa hồi khô"}, {"Quế vỏ khô Bắc Hà"}),
    ("cinnamon", {"Quế vỏ khô Bắc Hà"}, {"Quế Trà Bồng", "Hoa hồi khô"}),
    ("palm sugar", {"Đường thốt nốt"}, {"Hạt dẻ Trùng Khánh"}),
    ("pepper", {"Tiêu Chư Sê", "Mắc khén rừng"}, {"Cà phê Arabica Lạc Dương"}),
    # One letter wrong in a word of five or more
    ("robsta", {"Cà phê Robusta Buôn Ma Thuột"}, {"Cà phê Arabica Lạc Dương"}),
    ("ca phe arabca", {"Cà phê Arabica Lạc Dương"}, {"Cà phê Robusta Buôn Ma Thuột"}),
    (
        "shan tuyett",
        {"Chè Shan tuyết cổ thụ Lũng Phìn", "Chè Shan tuyết Tà Xùa", "Hồng trà Shan tuyết"},
        {"Chè Bình Liêu"},
    ),
    ("hat de trung khahn", {"Hạt dẻ Trùng Khánh"}, {"Gạo nếp Tú Lệ"}),
    ("buon ma thout", {"Cà phê Robusta Buôn Ma Thuột"}, {"Chè Bình Liêu"}),
    ("honye", {"Mật ong bạc hà Mèo Vạc", "Mật ong hoa rừng Tà Xùa"}, {"Vải lanh thổ cẩm"}),
    ("cinamon", {"Quế vỏ khô Bắc Hà"}, {"Quế Trà Bồng"}),
    # A stall's name
    (
        "htx nong san ta xua",
        {"Khăn piêu", "Chè Shan tuyết Tà Xùa", "Mắc khén rừng", "Mật ong hoa rừng Tà Xùa"},
        {"Chè Bình Liêu"},
    ),
    ("gom bau truc", {"Gốm Bàu Trúc"}, {"Túi thổ cẩm Dao đỏ"}),
    ("lung phin", {"Chè Shan tuyết cổ thụ Lũng Phìn"}, {"Chè Shan tuyết Tà Xùa"}),
    # A province, a people
    (
        "tuyen quang",
        {
            "Chè Shan tuyết cổ thụ Lũng Phìn",
            "Mật ong bạc hà Mèo Vạc",
            "Vải lanh thổ cẩm",
            "Hồng trà Shan tuyết",
        },
        {"Chè Shan tuyết Tà Xùa"},
    ),
    ("lam dong", {"Cà phê Arabica Lạc Dương"}, {"Cà phê Robusta Buôn Ma Thuột"}),
    ("an giang", {"Đường thốt nốt"}, {"Gốm Bàu Trúc"}),
    ("khmer", {"Đường thốt nốt"}, {"Gốm Bàu Trúc"}),
]


@pytest.fixture(scope="module")
def demo_market(django_db_setup, django_db_blocker):
    """The demo market (without its photos) and the two extra products, for the whole module."""
    with django_db_blocker.unblock():
        call_command("seed_demo", "--no-photos", stdout=io.StringIO())
        stall = Cooperative.objects.get(slug="htx-dac-san-binh-lieu")
        dried = Category.objects.get(slug="do-kho")
        for name, story in EXTRA:
            Product.objects.create(
                cooperative=stall,
                category=dried,
                name=name,
                story=story,
                price=150000,
                stock=5,
                unit="túi 500 g",
            )
        yield
        Product.objects.all().delete()
        Cooperative.objects.all().delete()
        Category.objects.all().delete()


def found(q: str) -> list[str]:
    results, _ranked = selectors.product_list_public(q=q)
    return [p.name for p in results]


@pytest.mark.django_db
@pytest.mark.parametrize(("q", "first", "absent"), RELEVANCE, ids=[row[0] for row in RELEVANCE])
def test_relevance(demo_market, q, first, absent):
    """The expected products come first, and the unwanted ones nowhere."""
    names = found(q)
    assert set(names[: len(first)]) == first, names
    assert not absent & set(names), names
