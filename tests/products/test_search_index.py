"""The full-text index behind the catalogue search: in sync on every write, safe, same results."""

import pytest
from django.core.paginator import Paginator
from django.db import OperationalError, connection

from products import fts, search, selectors
from products.derived import product_search_refresh
from products.models import Product
from tests.factories import CategoryFactory, CooperativeFactory, ProductFactory

pytestmark = pytest.mark.django_db

SQLITE_FTS = connection.vendor == "sqlite" and fts.sqlite_has_fts5()


def names(q, **filters):
    results, _ranked = selectors.product_list_public(q=q, **filters)
    return [p.name for p in results]


def assert_index_consistent():
    """On SQLite, FTS5 compares its index with products_product and fails on any difference."""
    if SQLITE_FTS:
        with connection.cursor() as cursor:
            table = fts.SQLITE_TABLE
            cursor.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")  # noqa: S608


def test_the_index_is_installed_for_this_database():
    """Migrations leave a full-text index: FTS5 table and triggers (SQLite), tsvector column (PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = %s", [fts.PG_INDEX])
            assert cursor.fetchone()
            return
        assert connection.vendor == "sqlite", connection.vendor
        # Ask SQLite itself, not fts: a wrong "no FTS5" would quietly turn every search into LIKE.
        try:
            cursor.execute("CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x)")
        except OperationalError:
            pytest.skip("this SQLite is built without FTS5: the catalogue searches with LIKE")
        cursor.execute("DROP TABLE temp.fts5_probe")
        assert SQLITE_FTS
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'products_product_fts%%'")
        found = {row[0] for row in cursor.fetchall()}
        assert {fts.SQLITE_TABLE, *fts.SQLITE_TRIGGERS} <= found


def test_editing_a_product_moves_it_in_the_index():
    """After a rename, the new name finds the product and the old one no longer does."""
    product = ProductFactory(name="Gạo nếp nương", story="", summary="")
    assert names("nuong") == ["Gạo nếp nương"]
    product.name = "Gạo tám thơm"
    product.save()
    assert names("nuong") == []
    assert names("gao tam") == ["Gạo tám thơm"]
    assert_index_consistent()


def test_saving_without_changing_words_keeps_the_product_findable():
    """A stock or price change (text unchanged) leaves the index as it was."""
    product = ProductFactory(name="Hạt dẻ Trùng Khánh", story="", summary="")
    product.stock = 3
    product.price = 90000
    product.save()
    Product.objects.filter(pk=product.pk).update(stock=1)
    assert names("hat de") == ["Hạt dẻ Trùng Khánh"]
    assert_index_consistent()


def test_renaming_the_cooperative_reindexes_its_products(django_capture_on_commit_callbacks):
    """The bulk_update that refreshes products after a stall rename reaches the index too."""
    cooperative = CooperativeFactory(name="HTX Bình Liêu")
    ProductFactory(name="Miến dong", cooperative=cooperative, story="", summary="")
    assert names("binh lieu") == ["Miến dong"]
    cooperative.name = "HTX Đồng Văn"
    with django_capture_on_commit_callbacks(execute=True):
        cooperative.save()
    assert names("binh lieu") == []
    assert names("dong van") == ["Miến dong"]
    assert_index_consistent()


def test_bulk_refresh_reindexes_a_category_rename():
    """product_search_refresh after a category rename makes the new category name searchable."""
    category = CategoryFactory(name="Gia vị")
    ProductFactory(name="Hoa hồi", category=category, story="", summary="")
    Product.objects.filter(category=category).update(search_text=" hoa hoi ")
    assert names("gia vi") == []
    assert product_search_refresh(products=Product.objects.select_related("category", "cooperative")) == 1
    assert names("gia vi") == ["Hoa hồi"]
    assert_index_consistent()


def test_deleted_products_leave_the_index():
    """Deleting a product removes it from the index (and other products stay findable)."""
    gone = ProductFactory(name="Quế vỏ Văn Yên", story="", summary="")
    ProductFactory(name="Quế thanh", story="", summary="")
    gone.delete()
    assert names("que") == ["Quế thanh"]
    assert_index_consistent()


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Đậu phộng rang muối", "lạc"),
        ("Lạc đỏ rang", "đậu phộng"),
        ("Cà phê Robusta", "cafe"),
        ("Cà phê Robusta", "coffee"),
        ("Cafe rang xay", "cà phê"),
        ("Mật ong bạc hà", "honey"),
        ("Honey from Mộc Châu", "mat ong"),
    ],
)
def test_synonyms_of_several_words_find_each_other(stored, typed):
    """Multi-word synonyms work both ways: lạc/đậu phộng, cà phê/cafe/coffee, mật ong/honey."""
    ProductFactory(name=stored, story="", summary="")
    ProductFactory(name="Gạo tám thơm", story="", summary="")
    assert names(typed) == [stored]


def test_multi_word_synonym_needs_the_words_together():
    """'lạc' finds 'đậu phộng' only as a phrase, not 'đậu' and 'phộng' far apart."""
    ProductFactory(name="Đậu xanh Phộng Sơn", story="", summary="")
    ProductFactory(name="Đậu phộng da đỏ", story="", summary="")
    assert names("lac") == ["Đậu phộng da đỏ"]


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '"shan',
        'shan"*',
        "*",
        "shan*",
        "-shan",
        "NEAR(shan tuyet)",
        "shan AND",
        "OR shan",
        "NOT shan",
        "(shan",
        "shan)",
        "{search_name}: shan",
        "search_name:shan",
        "shan:*",
        "shan & | ! <->",
        "'shan'",
        "shan\\",
        "shan^",
        "shan\x00tuyet",
        "shan_tuyet",
        "___",
        "shan " * 1000,
    ],
)
def test_full_text_syntax_in_the_query_is_just_text(q):
    """Quotes, *, -, NEAR, AND/OR/NOT, parentheses, column filters and NUL never cause an error."""
    ProductFactory(name="Chè Shan tuyết", story="", summary="")
    ProductFactory(name="Mật ong bạc hà", story="", summary="")  # found by none of these queries
    found = names(q)
    if q in ('"', "*"):  # nothing searchable: the whole catalogue, as for an empty search
        assert found == names("")
    else:
        assert found in ([], ["Chè Shan tuyết"])


def test_operators_typed_as_words_are_searched_as_words():
    """Typing 'and' or 'near' searches for those words rather than combining others."""
    ProductFactory(name="Chè Shan tuyết", story="", summary="")
    ProductFactory(name="Rock and roll near the sea", story="", summary="")
    assert names("near and") == ["Rock and roll near the sea"]
    assert names('"shan" tuyet*') == ["Chè Shan tuyết"]


QUERIES = ["che", "tra shan", "Chè Shan tuyết", "mat o", "lac", "ca phe", "bap say", "xyz", "hmong"]


@pytest.fixture
def market():
    teas = CategoryFactory(name="Chè")
    for name, story in [
        ("Chè Shan tuyết cổ thụ", "Hái tay."),
        ("Trà Shan Tà Xùa", "Trên mây."),
        ("Mật ong bạc hà", "Ong ăn hoa bạc hà, uống với chè."),
        ("Đậu phộng rang", "Rang củi."),
        ("Cà phê Arabica", "Cafe Cầu Đất."),
        ("Bắp sấy", "Ngô nếp sấy."),
        ("Gạo nếp", "Nấu xôi ăn với chè."),
    ]:
        ProductFactory(name=name, story=story, summary="", category=teas)


@pytest.mark.parametrize("q", QUERIES)
def test_like_fallback_finds_the_same_products(market, monkeypatch, q):
    """Without a full-text index (SQLite without FTS5) the LIKE search returns the same list."""
    indexed = names(q)
    monkeypatch.setattr(search, "_backend", lambda queryset: "like")
    assert names(q) == indexed


@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("per_page", [1, 2, 5])
def test_pages_read_tier_by_tier_match_the_ranked_order(market, q, per_page):
    """Reading a page tier by tier gives exactly the rows of the one ranked query, page after page."""
    ranked = search.filter_and_rank(Product.objects.public(), q)
    expected = [p.pk for p in ranked]
    for tiers in (None, search.rank_tiers(q)):
        paginator = Paginator(selectors.SearchResults(ranked, tiers=tiers), per_page)
        pages = [p.pk for n in paginator.page_range for p in paginator.page(n).object_list]
        assert pages == expected


def test_count_stops_at_the_cap_and_the_page_says_more_than(client, monkeypatch):
    """Past the cap the pager counts cap + 1 and the page says 'Hơn … sản phẩm'."""
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 3)
    # A stall and a category named without digits: the factories' numbered names ("HTX Đặc sản
    # Số 12", "Category 104") are searchable too, and the last word "1" matches any word starting
    # with 1, so which products "mac khen 1" found depended on how many factories ran before.
    cooperative = CooperativeFactory(name="HTX Bắc Yên")
    category = CategoryFactory(name="Gia vị", name_en="Spices")
    for i in range(5):
        ProductFactory(name=f"Mắc khén {i}", story="", summary="", cooperative=cooperative, category=category)
    results, _ranked = selectors.product_list_public(q="mac khen")
    assert results.count() == 4
    assert results.is_capped
    html = client.get("/products/", {"q": "mac khen"}).content.decode()
    assert "Hơn 3 sản phẩm" in html
    few, _ranked = selectors.product_list_public(q="mac khen 1")
    assert few.count() == 1 and not few.is_capped


@pytest.mark.skipif(not SQLITE_FTS, reason="SQLite with FTS5 only")
def test_lost_triggers_are_recreated_after_migrate():
    """If a table rebuild drops the sync triggers, the post-migrate repair puts them back and re-indexes."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER products_product_fts_ai")
    ProductFactory(name="Táo mèo sấy", story="", summary="")
    assert names("tao meo") == []
    assert fts.sqlite_repair(connection) is True
    assert names("tao meo") == ["Táo mèo sấy"]
    assert fts.sqlite_repair(connection) is False
    assert_index_consistent()
