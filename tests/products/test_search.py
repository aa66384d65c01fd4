import pytest

from products import selectors
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def names(q, **filters):
    queryset, _ranked = selectors.product_list_public(q=q, **filters)
    return [p.name for p in queryset]


@pytest.fixture
def teas():
    return [
        ProductFactory(name="Chè Shan tuyết cổ thụ Lũng Phìn", story="Búp chè hái tay."),
        ProductFactory(name="Chè Shan tuyết Tà Xùa", story="Chè trên mây."),
        ProductFactory(name="Mật ong bạc hà", story="Ong ăn hoa bạc hà."),
    ]


@pytest.mark.parametrize(
    "q", ["tra shan tuyet", "Chè Shan Tuyết", "CHE SHAN TUYET", "chè shan", "shan tuyết"]
)
def test_tea_is_found_however_it_is_typed(teas, q):
    """Case, diacritics and the Southern word 'trà' all find the Chè Shan tuyết teas."""
    assert set(names(q)) == {"Chè Shan tuyết cổ thụ Lũng Phìn", "Chè Shan tuyết Tà Xùa"}


def test_every_word_must_match(teas):
    """A product matching only some of the words is not returned."""
    assert names("che ta xua") == ["Chè Shan tuyết Tà Xùa"]
    assert names("che mat ong") == []


def test_last_word_may_be_unfinished(teas):
    """The last word matches as a prefix, so results come while typing."""
    assert names("mat o") == ["Mật ong bạc hà"]


def test_earlier_words_match_whole_words_only():
    """Words before the last match whole words: 'tra' does not find 'trang'."""
    ProductFactory(name="Gạo trắng Điện Biên", story="")
    assert names("tra gao") == []


@pytest.mark.parametrize(
    ("stored", "typed"),
    [("Chè", "trà"), ("Trà", "chè"), ("Ngô", "bắp"), ("Bắp", "ngô"), ("Lợn", "heo"), ("Heo", "lợn")]
    + [("Dứa", "thơm"), ("Thơm", "dứa")],
)
def test_northern_and_southern_words_find_each_other(stored, typed):
    """Synonym pairs chè/trà, ngô/bắp, lợn/heo, dứa/thơm find each other."""
    ProductFactory(name=f"{stored} sấy vùng cao", story="", summary="")
    assert names(f"{typed} say") == [f"{stored} sấy vùng cao"]


def test_name_match_ranks_above_story_only_match():
    """A product named after the query comes before one that only mentions it in its story."""
    ProductFactory(name="Gạo nếp cái hoa vàng", story="Nấu xôi với mật ong rừng.")
    ProductFactory(name="Mật ong rừng", story="Ong rừng Tây Bắc.")
    assert names("mat ong") == ["Mật ong rừng", "Gạo nếp cái hoa vàng"]


def test_accented_exact_match_ranks_first():
    """When the buyer types marks, the product with exactly those words comes first."""
    ProductFactory(name="Mát ông ngọt", story="")
    ProductFactory(name="Mật ong thơm", story="")
    assert names("mật ong")[0] == "Mật ong thơm"
    assert names("mát ông")[0] == "Mát ông ngọt"


def test_price_sort_overrides_relevance(teas):
    """A search sorted by price lists matches by price."""
    teas[0].price, teas[1].price = 300000, 100000
    teas[0].save()
    teas[1].save()
    assert names("shan tuyet", sort="price_asc") == [
        "Chè Shan tuyết Tà Xùa",
        "Chè Shan tuyết cổ thụ Lũng Phìn",
    ]
    assert names("shan tuyet", sort="price_desc")[0] == "Chè Shan tuyết cổ thụ Lũng Phìn"


def test_search_within_a_category():
    """Search and category filter combine."""
    tea = CategoryFactory(name="Chè")
    ProductFactory(name="Chè xanh", category=tea)
    ProductFactory(name="Kẹo chè lam")
    assert names("che", category=tea) == ["Chè xanh"]


@pytest.mark.parametrize(
    ("q", "everything"),
    [("%", True), ("!!!", True), ("   ", True), ("_", False), ("' OR 1=1 --", False)],
)
def test_wildcards_and_punctuation_are_harmless(teas, q, everything):
    """LIKE wildcards and SQL-ish input neither match everything by accident nor fail."""
    # No letter, digit or underscore at all is no search (the whole catalogue, as for "");
    # anything else is searched as text, and nothing here contains those words.
    assert names(q) == (names("") if everything else [])


def test_search_page_finds_tra_shan_tuyet(client, teas):
    """Searching 'tra shan tuyet' on the site lists both Chè Shan tuyết teas."""
    html = client.get("/products/", {"q": "tra shan tuyet"}).content.decode()
    assert "Chè Shan tuyết cổ thụ Lũng Phìn" in html
    assert "Chè Shan tuyết Tà Xùa" in html
    assert "Mật ong bạc hà" not in html
    assert 'value="tra shan tuyet"' in html


def test_empty_search_suggests_categories(client):
    """When nothing matches, the page says so and offers the categories."""
    honey = CategoryFactory(name="Mật ong")
    ProductFactory(category=honey)
    response = client.get("/products/", {"q": "xyz khong co"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chưa tìm thấy sản phẩm nào" in html
    assert f'href="/products/?category={honey.slug}"' in html


def test_very_long_query_is_fine(client, teas):
    """A 5,000-character query answers 200 and keeps a trimmed copy in the box."""
    response = client.get("/products/", {"q": "shan " * 1000})
    assert response.status_code == 200
    assert len(response.context["q"]) <= 200
