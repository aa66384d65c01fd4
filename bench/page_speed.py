"""Server time per page at 1,000 and at 100,000 products, in the same run, on one database kind.

A page is timed as rendered for a visitor with a cart (no kept page) and as answered to a
visitor without a session (the page kept for everyone, storefront/lib/page_cache.py).

Each size gets its own throwaway database (built once with bench/search_speed.py's generator and
reused), and each page is rendered through Django's test client (the whole middleware stack, no
network) REPEATS times after a warm-up; the report is the median in milliseconds and the ratio of
the two sizes. The target: every page at 100,000 within 1.5 × its time at 1,000.

    .venv/bin/python bench/page_speed.py                                  # SQLite files under /tmp
    .venv/bin/python bench/page_speed.py --database postgres://postgres@127.0.0.1:5432/chophien_pages

Each size runs in a child process of its own (Django settings are per process).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))

SIZES = (1_000, 100_000)
TARGET_RATIO = 1.5
UNCACHED_TARGET_MS = 20


def _median_ms(client, url: str, repeats: int, before=None) -> float:
    timings = []
    for attempt in range(repeats + 2):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        if attempt >= 2:
            timings.append(elapsed)
    return statistics.median(timings)


def measure(count: int, repeats: int) -> dict[str, dict[str, float]]:
    """Each page rendered for a visitor with a cart (a session: no kept page, the real cost of
    the page with the catalogue's cached answers warm), and answered to a visitor without one
    (the page kept for everyone); the catalogue also with the cache emptied before each request
    (the first view after a change)."""
    from django.core.cache import cache
    from django.test import Client

    from products.models import Category, Cooperative, Product

    product = Product.objects.public().order_by("pk").first()
    stall = Cooperative.objects.verified().order_by("pk").first()
    category = Category.objects.order_by("pk").first()
    cart = Client(HTTP_ACCEPT_LANGUAGE="vi")
    for pk in Product.objects.public().filter(stock__gt=5).values_list("pk", flat=True)[:3]:
        cart.post("/cart/add/", {"product_id": pk, "quantity": 1})
    pages = {
        "home": "/",
        "catalogue": "/products/",
        "category": f"/products/?category={category.slug}",
        "search common": "/products/?q=che",
        "search rare": "/products/?q=sam+ngoc+linh",
        "search none": "/products/?q=xyzzy",
        "product": product.get_absolute_url(),
        "stall": stall.get_absolute_url(),
        "cart": "/cart/",
    }
    results = {}
    for name, url in pages.items():
        results[name] = {"rendered": _median_ms(cart, url, repeats)}
        if name != "cart":
            results[name]["kept"] = _median_ms(Client(HTTP_ACCEPT_LANGUAGE="vi"), url, repeats)
    results["catalogue, cold cache"] = {
        "rendered": _median_ms(cart, "/products/", repeats, before=cache.clear)
    }
    return results


STATIC_ROOT = Path(tempfile.gettempdir()) / "chophien-pages-static"


def child(count: int, database: str, repeats: int) -> None:
    import search_speed

    os.environ["STATIC_ROOT"] = str(STATIC_ROOT)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    search_speed.configure(database)
    if not (STATIC_ROOT / "staticfiles.json").exists():
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
    search_speed.build(count, rebuild=False)
    print(json.dumps(measure(count, repeats)))


def database_for(base: str, count: int) -> str:
    if base.startswith("postgres"):
        return f"{base}_{count}"
    return f"sqlite:////tmp/chophien-pages-{count}.sqlite3"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database", default="sqlite", help="sqlite, or a PostgreSQL URL (a suffix per size)"
    )
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", type=int, default=0, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child, database_for(options.database, options.child), options.repeats)
        return 0
    # Collected afresh by the first child: the stylesheets may have changed since the last run.
    shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    # Sizes alternate round by round, so a burst of other work on the machine hits both alike;
    # each figure is the best round's median.
    by_size: dict[int, dict[str, dict[str, float]]] = {}
    for _round in range(options.rounds):
        for count in SIZES:
            output = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--database",
                    options.database,
                    "--repeats",
                    str(options.repeats),
                    "--child",
                    str(count),
                ],
                capture_output=True,
                text=True,
                env={**os.environ, "LOG_LEVEL": "ERROR", "DEBUG": "0"},
            )
            if output.returncode:
                print(output.stdout, output.stderr)
                return 1
            measured = json.loads(output.stdout.strip().splitlines()[-1])
            best = by_size.setdefault(count, measured)
            for page, figures in measured.items():
                for kind, value in figures.items():
                    best[page][kind] = min(best[page][kind], value)
    vendor = "PostgreSQL" if options.database.startswith("postgres") else "SQLite"
    rounds = f"best of {options.rounds} rounds"
    print(f"\n{vendor}: median server time (ms) of {options.repeats} requests a page, {rounds}")
    print(
        f"{'page':<22} {'1,000':>8} {'100,000':>9} {'ratio':>6}  target ≤ {TARGET_RATIO}"
        f"  {'≤ 20 ms':>8}  {'kept, 100,000':>13}"
    )
    failed = []
    for page in by_size[SIZES[0]]:
        small, large = by_size[SIZES[0]][page], by_size[SIZES[1]][page]
        ratio = large["rendered"] / small["rendered"]
        verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
        fast = "ok" if large["rendered"] <= UNCACHED_TARGET_MS else "MISSED"
        if "cold" in page:
            # For information: the first view after a change to the catalogue (not an order).
            verdict = fast = "no target"
        if "cold" not in page and "MISSED" in (verdict, fast):
            failed.append(page)
        kept = f"{large['kept']:.2f}" if "kept" in large else "–"
        print(
            f"{page:<22} {small['rendered']:>8.1f} {large['rendered']:>9.1f} {ratio:>6.2f}  {verdict:<12}"
            f"  {fast:>8}  {kept:>13}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
