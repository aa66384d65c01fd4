"""Catalogue search speed with many products, on SQLite and PostgreSQL.

Builds N products (default 100,000) with realistic Vietnamese names and stories in a throwaway
database, then times what the catalogue does for a search: `selectors.product_list_public(q=...)`,
the first page of 12 with its photos prefetched, and the count for the pager.

    .venv/bin/python bench/search_speed.py                        # SQLite file under /tmp
    .venv/bin/python bench/search_speed.py --database-url postgres://postgres@127.0.0.1:5432/chophien_search

The database is created if needed and reused when it already holds N products (building 100k rows
takes a minute); `--rebuild` starts over. Never point it at a database you care about.

Each query is timed warm (asked again: the plan, count and page ids come from the cache, as for a
shared link) and cold (the first time after a change to the catalogue, so everything is computed).
Then the queries of the relevance table (tests/products/test_relevance.py) are timed the same way
(`--relevance-repeats`, 0 to skip).
"""

import argparse
import hashlib
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = [
    "Chè Shan tuyết",
    "Chè xanh",
    "Hồng trà",
    "Mật ong bạc hà",
    "Mật ong hoa rừng",
    "Gạo nếp",
    "Gạo tám thơm",
    "Miến dong",
    "Cà phê Robusta",
    "Cà phê Arabica",
    "Quế vỏ",
    "Hoa hồi",
    "Tiêu đen",
    "Mắc khén",
    "Táo mèo sấy",
    "Hạt dẻ",
    "Túi thổ cẩm",
    "Khăn piêu",
    "Vải lanh",
    "Đường thốt nốt",
    "Măng khô",
    "Nấm hương rừng",
    "Thịt lợn gác bếp",
    "Ngô nếp",
    "Lạc đỏ",
]
QUALIFIERS = ["cổ thụ", "hữu cơ", "sấy khô", "loại một", "thủ công", "rừng", "đặc biệt", "truyền thống", ""]
PLACES = [
    "Lũng Phìn",
    "Tà Xùa",
    "Bình Liêu",
    "Buôn Ma Thuột",
    "Tả Phìn",
    "Mộc Châu",
    "Bắc Hà",
    "Tú Lệ",
    "Trùng Khánh",
    "Tri Tôn",
    "Trà Bồng",
    "Mèo Vạc",
    "Văn Quan",
    "Lạc Dương",
    "Chư Sê",
    "Sìn Hồ",
]
SENTENCES = [
    "Bà con hái bằng tay vào sáng sớm khi sương còn đọng trên lá.",
    "Sản phẩm được phơi nắng tự nhiên trên giàn tre, không dùng chất bảo quản.",
    "Mỗi gói hàng đều ghi tên hộ gia đình làm ra.",
    "Hợp tác xã có hơn ba mươi hộ đồng bào cùng làm.",
    "Mùa thu hoạch kéo dài từ tháng Chín đến tháng Mười Hai.",
    "Sao trên chảo gang bằng củi theo cách ông bà truyền lại.",
    "Vị đậm, hậu ngọt, thơm lâu.",
    "Đóng gói ngay tại xưởng của hợp tác xã để giữ hương vị.",
    "Nguyên liệu lấy từ vùng núi cao quanh năm mây phủ.",
    "Hoa văn được thêu tay trong nhiều buổi tối sau mùa gặt.",
]
PEOPLES = ["H'Mông", "Dao đỏ", "Thái", "Tày", "Nùng", "Ê Đê", "Jrai", "Khmer", "Cor", "K'Ho"]
PROVINCES = ["08", "15", "14", "22", "66", "68", "91", "51", "12", "04"]
RARE = "Sâm Ngọc Linh"  # in ten products

QUERIES = [
    ("common word", "che", "newest"),
    ("common word, price sort", "che", "price_asc"),
    ("two words", "mat ong", "newest"),
    ("three words, synonym", "tra shan tuyet", "newest"),
    ("with diacritics", "Chè Shan tuyết", "newest"),
    ("unfinished last word", "ca ph", "newest"),
    ("rare word", "sam ngoc linh", "newest"),
    ("no match", "xyzzy", "newest"),
]


def configure(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(60))
    os.environ["DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "storefront.settings"
    # Kept answers of its own per database: a shared directory would hand one database's kept
    # search ids and catalogue version to another's run, and the bench's cache.clear() would
    # empty the development server's.
    digest = hashlib.sha256(database_url.encode()).hexdigest()[:12]
    os.environ["CACHE_DIR"] = str(Path(tempfile.gettempdir()) / f"chophien-bench-cache-{digest}")
    if database_url.startswith("postgres"):
        import psycopg

        parts = urlsplit(database_url)
        name = parts.path.lstrip("/")
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()


def build(count: int, rebuild: bool) -> None:
    from django.core.management import call_command
    from django.db import connection

    from products.models import Category, Cooperative, Product

    call_command("migrate", verbosity=0, interactive=False)
    if not rebuild and Product.objects.count() == count:
        print(f"reusing {count:,} products")
        return
    Product.objects.all().delete()
    rng = random.Random(2026)
    cooperatives = [
        Cooperative.objects.get_or_create(
            slug=f"bench-htx-{i}",
            defaults={"name": f"HTX {PLACES[i]} {i}", "province": PROVINCES[i], "is_verified": i != 7},
        )[0]
        for i in range(8)
    ]
    categories = [
        Category.objects.get_or_create(slug=f"bench-cat-{i}", defaults={"name": n})[0]
        for i, n in enumerate(["Chè và cà phê", "Mật ong", "Thổ cẩm", "Gạo và hạt", "Gia vị", "Đồ khô"])
    ]
    started = time.perf_counter()
    batch = []
    for i in range(count):
        # Ten rare products whatever the size, so a rare word's page shows as much at 1,000 as at 100,000.
        kind = RARE if i % max(1, count // 10) == 7 else rng.choice(KINDS)
        name = " ".join(filter(None, [kind, rng.choice(QUALIFIERS), rng.choice(PLACES)]))
        product = Product(
            cooperative=rng.choice(cooperatives),
            category=rng.choice(categories),
            name=name,
            slug=f"bench-{i}",
            summary=rng.choice(SENTENCES),
            story=" ".join(rng.sample(SENTENCES, 3)),
            price=rng.randrange(20, 2000) * 1000,
            unit="gói 200 g",
            stock=rng.randrange(0, 200),
            ethnic_group=rng.choice(PEOPLES),
            origin_province=rng.choice(PROVINCES),
            origin_commune=f"xã {rng.choice(PLACES)}",
            is_published=rng.random() > 0.05,
        )
        product.build_search_fields()
        batch.append(product)
        if len(batch) == 2000:
            Product.objects.bulk_create(batch)
            batch = []
    Product.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built {count:,} products in {time.perf_counter() - started:.0f} s")


def _first_page(q: str, sort: str):
    from django.core.paginator import Paginator

    from products import selectors

    started = time.perf_counter()
    products, _ranked = selectors.product_list_public(q=q, sort=sort)
    page = Paginator(products, 12).get_page(1)
    names = [p.name for p in page.object_list]
    shown = page.paginator.count
    return (time.perf_counter() - started) * 1000, products, shown, names


def time_query(q: str, sort: str, repeats: int, cold_repeats: int) -> tuple:
    """(found, shown, first name, warm median, warm p95, cold median) in ms."""
    from storefront.lib.catalogue_cache import catalogue_changed

    cold = []
    for _ in range(cold_repeats):
        catalogue_changed()  # a new catalogue version: nothing about this search is kept
        cold.append(_first_page(q, sort)[0])
    _first_page(q, sort)  # the first run warms the caches
    warm = []
    for _ in range(repeats):
        elapsed, products, shown, names = _first_page(q, sort)
        warm.append(elapsed)
    # Every match, for the table (the catalogue itself stops counting past 1,000).
    found = getattr(products, "queryset", products).count()
    warm.sort()
    p95 = warm[min(len(warm) - 1, round(0.95 * (len(warm) - 1)))]
    cold_median = statistics.median(cold) if cold else float("nan")
    return found, shown, names[0] if names else "", statistics.median(warm), p95, cold_median


def time_queries(repeats: int) -> list[tuple]:
    return [(label, q, sort, *time_query(q, sort, repeats, 5)) for label, q, sort in QUERIES]


def time_relevance(repeats: int) -> list[tuple]:
    from tests.products.test_relevance import RELEVANCE

    return [(q, *time_query(q, "newest", repeats, 3)) for q, _first, _absent in RELEVANCE]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--relevance-repeats", type=int, default=5)
    options = parser.parse_args()
    url = options.database_url or f"sqlite:////tmp/chophien-search-{options.products}.sqlite3"
    configure(url)
    build(options.products, options.rebuild)

    from django.db import connection

    print(f"\n{connection.vendor}, {options.products:,} products, {options.repeats} repeats (ms)")
    print(
        f"{'query':<26} {'q':<16} {'sort':<10} {'found':>7} {'shown':>7} {'median':>8} {'p95':>8} {'cold':>8}"
    )
    for label, q, sort, found, shown, _first, median, p95, cold in time_queries(options.repeats):
        print(
            f"{label:<26} {q:<16} {sort:<10} {found:>7,} {shown:>7,} {median:>8.1f} {p95:>8.1f} {cold:>8.1f}"
        )
    if options.relevance_repeats:
        print(f"\nthe relevance table's queries, {options.relevance_repeats} repeats (ms)")
        print(f"{'q':<24} {'found':>7} {'shown':>7} {'median':>8} {'p95':>8} {'cold':>8}  first")
        for q, found, shown, first, median, p95, cold in time_relevance(options.relevance_repeats):
            print(f"{q:<24} {found:>7,} {shown:>7,} {median:>8.1f} {p95:>8.1f} {cold:>8.1f}  {first}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
