"""Page weight of a first visit on a phone: requests and compressed bytes per page.

Loads each URL in headless Chromium as a first-time visitor on a typical phone (360×740 CSS px,
device pixel ratio 2, empty cache, brotli/gzip accepted), lets lazy images stay lazy (no
scrolling), and sums what the network actually transferred (CDP `Network.loadingFinished`
`encodedDataLength`: compressed bodies plus headers).

    .venv/bin/python bench/page_weight.py [--budget 150] URL [URL ...]

Exits 1 when a home, catalogue or product page (path `/` or under `/products/`) weighs more
than the budget in KB. Needs Debian's chromium at /usr/bin/chromium (never `playwright install`).
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


@dataclass
class PageWeight:
    url: str
    responses: list[Response] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r.bytes for r in self.responses)

    def by_kind(self) -> dict[str, tuple[int, int]]:
        kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in self.responses:
            kinds[r.kind][0] += 1
            kinds[r.kind][1] += r.bytes
        return {k: (n, b) for k, (n, b) in sorted(kinds.items())}


def measure(browser, url: str) -> PageWeight:
    """One fresh context (no cache, no cookies) per page, so every visit is a first visit."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
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
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    context.close()
    weight = PageWeight(url=url)
    origin = urlsplit(url)[:2]
    for response in seen.values():
        if response.url.startswith("data:"):
            continue
        if urlsplit(response.url)[:2] != origin:
            response.kind = f"{response.kind} (other origin!)"
        weight.responses.append(response)
    return weight


def under_budget(url: str) -> bool:
    path = urlsplit(url).path
    return path == "/" or path.startswith("/products/")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--budget", type=float, default=150, help="KB allowed for home/catalogue/product")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every response")
    options = parser.parse_args(argv)

    failed = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        results = [measure(browser, url) for url in options.urls]
        browser.close()

    print(f"{'page':<52} {'requests':>8} {'KB':>8}  breakdown (requests/KB)")
    for weight in results:
        kb = weight.total / 1024
        over = under_budget(weight.url) and kb > options.budget
        if over:
            failed.append(weight.url)
        breakdown = ", ".join(f"{k} {n}/{b / 1024:.1f}" for k, (n, b) in weight.by_kind().items())
        flag = "  OVER BUDGET" if over else ""
        parts = urlsplit(weight.url)
        label = parts.path + (f"?{parts.query}" if parts.query else "")
        print(f"{label:<52} {len(weight.responses):>8} {kb:>8.1f}  {breakdown}{flag}")
        if options.verbose:
            for r in sorted(weight.responses, key=lambda r: -r.bytes):
                print(f"    {r.bytes / 1024:7.1f} KB {r.status} {r.kind:<10} {r.encoding or '-':<5} {r.url}")
    if failed:
        print(f"Over the {options.budget:g} KB budget: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
