"""`make bench`: every benchmark in one run, written to docs/PERFORMANCE.md.

Runs each part below (as its own command, so any can be run alone), keeps what it printed and
whether it met its targets (its exit status), and writes the report with the date, the machine
and the command of each part. The 100,000-product databases are built once and reused.

    .venv/bin/python bench/report.py [--postgres postgres://postgres@127.0.0.1:5432/chophien_pages]
"""

import argparse
import datetime
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")

INTRO = """# Performance

Written by `make bench` (`bench/report.py`); every figure below comes from the command shown
above it, on the machine named here, in one run. Timings on a shared 2-core machine move from
run to run by 10–30 %; byte counts and query counts do not (the tests assert those: queries per
page at 1 and 50 products, the size of the HTML).

For scale: the issue that set these targets measured django-oscar 4.2 on the same kind of
machine at 1,000 products: catalogue median 479 ms and 126 queries, Lighthouse mobile
performance 86–98, a first visit of 587 KB.
"""

PARTS = [
    (
        "Server time at 1,000 and 100,000 products (SQLite)",
        "Target: each page's median at 100,000 within 1.5 × its median at 1,000; a page rendered for "
        "a visitor with a cart (no kept page) under 20 ms at 100,000. 'kept' is the same page "
        "answered to a visitor without a session (storefront/lib/page_cache.py).",
        [PY, "bench/page_speed.py"],
    ),
    (
        "Search at 100,000 products (SQLite)",
        "Every query of the bench under 150 ms on SQLite; 'median' and 'p95' are a search asked "
        "again (warm), 'cold' the first time after a change to the catalogue. Then the queries of "
        "the relevance table (tests/products/test_relevance.py) at this size.",
        [PY, "bench/search_speed.py"],
    ),
    (
        "Page weight of a first visit, real photographs, slow 3G",
        "Target: home, catalogue, product and stall each ≤ 100 KB until the network is idle "
        "(360×740 at DPR 2, no scrolling), load event ≤ 3 s and LCP ≤ 2.5 s at 400 kbit/s and "
        "400 ms round trips, a repeat visit ≤ 10 KB. Photos: scikit-image's sample photographs "
        "as 4000×3000 camera JPEGs through the photo pipeline (bench/real_photos.py). With the "
        "data saver (Save-Data: on): no photo fetched and a first visit under 20 KB.",
        ["bash", "bench/run_page_weight.sh", "--budget", "100"],
    ),
    (
        "Throughput behind gunicorn (SQLite)",
        "Target: a kept catalogue or product page's median ≤ 3 × the bare view's and its "
        "throughput ≥ 25 % of the bare view's. Kept pages touch no database, so one database "
        "kind is enough here; docs/DEPLOY.md has rendered pages on PostgreSQL too.",
        ["bash", "bench/run_throughput.sh"],
    ),
    (
        "Checkouts under load (SQLite)",
        "Target: exactly as many orders as units, no server error.",
        ["bash", "bench/run_checkout_load.sh"],
    ),
]


def postgres_parts(url: str) -> list:
    return [
        (
            "Server time at 1,000 and 100,000 products (PostgreSQL)",
            "The same targets as on SQLite.",
            [PY, "bench/page_speed.py", "--database", url],
        ),
        (
            "Search at 100,000 products (PostgreSQL)",
            "Every query of the bench under 75 ms on PostgreSQL (columns as on SQLite).",
            # The page bench's 100,000-product database, already built.
            [PY, "bench/search_speed.py", "--database-url", f"{url}_100000"],
        ),
    ]


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.platform()}, Python {platform.python_version()},"
        f" load {load:.1f} at the start"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--output", default=str(ROOT / "docs" / "PERFORMANCE.md"))
    options = parser.parse_args()
    parts = PARTS + (postgres_parts(options.postgres) if options.postgres else [])
    started = datetime.datetime.now(datetime.UTC)
    sections, verdicts = [], []
    for title, target, command in parts:
        print(f"== {title}: {' '.join(command)}", flush=True)
        began = time.monotonic()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        took = time.monotonic() - began
        # Without pip's index warnings and the server's access log lines.
        printed = "\n".join(
            line
            for line in done.stdout.splitlines()
            if "WARNING: Location" not in line and not line.startswith("127.0.0.1 ")
        )
        print(printed[-3000:], flush=True)
        met = "met" if done.returncode == 0 else f"NOT met (exit status {done.returncode})"
        verdicts.append(f"| {title} | {met} |")
        shown = " ".join(part.replace(PY, ".venv/bin/python") for part in command)
        sections.append(
            f"## {title}\n\n{target}\n\n`{shown}` ({took:.0f} s): targets {met}.\n\n"
            f"```\n{printed.strip()}\n```\n"
        )
        if done.returncode and done.stderr:
            sections.append(f"```\n{done.stderr.strip()[-1500:]}\n```\n")
    report = [
        INTRO,
        f"Date: {started:%Y-%m-%d %H:%M} UTC · machine: {machine()} · command: `make bench`\n",
        "| part | targets |\n| --- | --- |\n" + "\n".join(verdicts) + "\n",
        *sections,
    ]
    Path(options.output).write_text("\n".join(report))
    print(f"wrote {options.output}")
    return 0 if all("NOT" not in line for line in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
