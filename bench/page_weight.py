"""Page weight of a first visit on a phone: requests and compressed bytes per page.

Loads each URL in headless Chromium as a first-time visitor on a typical phone (360×740 CSS px,
device pixel ratio 2, empty cache, brotli/gzip accepted), lets lazy images stay lazy (no
scrolling), and sums what the network actually transferred (CDP `Network.loadingFinished`
`encodedDataLength`: compressed bodies plus headers).

    .venv/bin/python bench/page_weight.py [--budget 100] URL [URL ...]

The network is slow 3G (400 kbit/s each way, 400 ms round trip, as Lighthouse's mobile preset):
each page reports its load event and its Largest Contentful Paint there, and then the bytes of
a repeat visit (the same page opened again in the same browser: HTML revalidated, the rest from
the browser's cache). Exits 1 when a home, catalogue, product or stall page (path `/`, under
`/products/` or `/cooperatives/`) weighs more than the budget in KB, loads in more than 3 s,
paints its largest element after 2.5 s, or costs more than 10 KB again on a repeat visit.
`--save-data URL` measures a page again as a browser sending `Save-Data: on` (data saver): over
20 KB, or any photo fetched, fails too.
Needs Debian's chromium at /usr/bin/chromium (never `playwright install`).
"""

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Mobile Safari/537.36"
    ),
    "locale": "vi-VN",
    # Chromium only offers brotli over HTTPS; production is HTTPS, so ask for it here too.
    "extra_http_headers": {"Accept-Encoding": "br, gzip, deflate"},
}


@dataclass
class Response:
    url: str
    kind: str
    status: int = 0
    encoding: str = ""
    bytes: int = 0


SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
LOAD_BUDGET_S = 3.0
LCP_BUDGET_S = 2.5
REPEAT_BUDGET_KB = 10
# A first visit to the catalogue with the data saver on (storefront/lib/data_saver.py).
SAVE_DATA_BUDGET_KB = 20

LCP_SCRIPT = """() => new Promise(resolve => {
  new PerformanceObserver(list => {
    const entries = list.getEntries();
    resolve(entries[entries.length - 1].startTime);
  }).observe({type: "largest-contentful-paint", buffered: true});
  setTimeout(() => resolve(-1), 2000);
})"""


@dataclass
class PageWeight:
    url: str
    responses: list[Response] = field(default_factory=list)
    load_s: float = 0.0
    lcp_s: float = 0.0
    repeat_bytes: int = 0
    save_data: bool = False

    @property
    def total(self) -> int:
        return sum(r.bytes for r in self.responses)

    def by_kind(self) -> dict[str, tuple[int, int]]:
        kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in self.responses:
            kinds[r.kind][0] += 1
            kinds[r.kind][1] += r.bytes
        return {k: (n, b) for k, (n, b) in sorted(kinds.items())}


def _watch(context, page) -> dict[str, Response]:
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    seen: dict[str, Response] = {}

    def on_response(event):
        response = event["response"]
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        seen[event["requestId"]] = Response(
            url=response["url"],
            kind=event.get("type", "Other"),
            status=response.get("status", 0),
            encoding=headers.get("content-encoding", ""),
        )

    def on_finished(event):
        if event["requestId"] in seen:
            seen[event["requestId"]].bytes = int(event["encodedDataLength"])

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    return seen


def measure(browser, url: str, *, save_data: bool = False) -> PageWeight:
    """One fresh context (no cache, no cookies) per page, so the first visit is a first visit;
    then the same page again in the same context, for the repeat visit."""
    headers = {**PHONE["extra_http_headers"], **({"Save-Data": "on"} if save_data else {})}
    context = browser.new_context(**{**PHONE, "extra_http_headers": headers})
    page = context.new_page()
    seen = _watch(context, page)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    load_ms = page.evaluate(
        "() => { const t = performance.getEntriesByType('navigation')[0]; return t.loadEventStart; }"
    )
    lcp_ms = page.evaluate(LCP_SCRIPT)
    weight = PageWeight(url=url, load_s=load_ms / 1000, lcp_s=lcp_ms / 1000, save_data=save_data)
    origin = urlsplit(url)[:2]
    for response in seen.values():
        if response.url.startswith("data:"):
            continue
        if urlsplit(response.url)[:2] != origin:
            response.kind = f"{response.kind} (other origin!)"
        weight.responses.append(response)
    again = context.new_page()
    repeat = _watch(context, again)
    again.goto(url, wait_until="load")
    again.wait_for_load_state("networkidle")
    weight.repeat_bytes = sum(r.bytes for r in repeat.values() if not r.url.startswith("data:"))
    context.close()
    return weight


def under_budget(url: str) -> bool:
    path = urlsplit(url).path
    return path == "/" or path.startswith(("/products/", "/cooperatives/")) and not path.endswith("/poster/")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("urls", nargs="+")
    parser.add_argument(
        "--budget", type=float, default=100, help="KB allowed for home/catalogue/product/stall"
    )
    parser.add_argument(
        "--save-data", action="append", default=[], metavar="URL", help="also measured with Save-Data: on"
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="list every response")
    options = parser.parse_args(argv)

    failed = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        results = [measure(browser, url) for url in options.urls]
        results += [measure(browser, url, save_data=True) for url in options.save_data]
        browser.close()

    print(
        f"{'page':<52} {'requests':>8} {'KB':>7} {'load s':>6} {'LCP s':>6} {'again KB':>8}"
        "  breakdown (requests/KB)"
    )
    for weight in results:
        kb = weight.total / 1024
        again = weight.repeat_bytes / 1024
        problems = []
        if weight.save_data:
            photos = [r for r in weight.responses if "/media/" in r.url]
            problems = [
                what for what, bad in [("weight", kb > SAVE_DATA_BUDGET_KB), ("photos", photos)] if bad
            ]
        elif under_budget(weight.url):
            problems = [
                what
                for what, bad in [
                    ("weight", kb > options.budget),
                    ("load", weight.load_s > LOAD_BUDGET_S),
                    ("LCP", weight.lcp_s > LCP_BUDGET_S),
                    ("repeat", again > REPEAT_BUDGET_KB),
                ]
                if bad
            ]
        if problems:
            failed.append(weight.url)
        breakdown = ", ".join(f"{k} {n}/{b / 1024:.1f}" for k, (n, b) in weight.by_kind().items())
        flag = f"  OVER: {', '.join(problems)}" if problems else ""
        parts = urlsplit(weight.url)
        label = (
            parts.path
            + (f"?{parts.query}" if parts.query else "")
            + (" (Save-Data)" if weight.save_data else "")
        )
        print(
            f"{label:<52} {len(weight.responses):>8} {kb:>7.1f} {weight.load_s:>6.2f} {weight.lcp_s:>6.2f}"
            f" {again:>8.1f}  {breakdown}{flag}"
        )
        if options.verbose:
            for r in sorted(weight.responses, key=lambda r: -r.bytes):
                print(f"    {r.bytes / 1024:7.1f} KB {r.status} {r.kind:<10} {r.encoding or '-':<5} {r.url}")
    if failed:
        print(f"Over budget: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
