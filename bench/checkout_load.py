"""Checkout under load: N buyers race at the same instant for the last units of one product.

Runs against a server that is already up (see bench/run_checkout_load.sh, which starts one).
Each buyer is a separate cookie jar that does what a browser does:

    GET  /products/<slug>/   the product id from the add-to-cart form (no token: it is kept)
    POST /cart/add/          product_id, quantity, with the page as Referer (the same-site check)
    GET  /checkout/          csrfmiddlewaretoken and checkout_token from the form

then all buyers wait at a barrier and POST /checkout/ together, redirects not followed:
a redirect to /orders/<code>/ is an order, a redirect to /cart/ is a clean "sold out" refusal,
a 5xx is a server error, anything else (an error page, a timeout, a form shown again) is
another error. Targets: exactly --expect-orders orders (the stock), no 5xx, no other errors.

Standard library only, so it runs from any Python 3.11 without the project's virtualenv.
"""

import argparse
import contextlib
import http.cookiejar
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser

PLACED, REFUSED, SERVER_ERROR, OTHER = "placed", "refused", "server_error", "other"


class _FormParser(HTMLParser):
    """Collects every form's action and the name → value of its <input>s."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"action": attrs.get("action") or "", "inputs": {}}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form["inputs"].setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def forms_in(html: str) -> list[dict]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_with(html: str, field: str) -> dict[str, str] | None:
    """The inputs of the first form that has an input named `field`."""
    return next((form["inputs"] for form in forms_in(html) if field in form["inputs"]), None)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand 3xx back to the caller: where a checkout redirects to is the result."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Response:
    status: int
    location: str
    body: str


class BenchError(Exception):
    """A buyer could not get as far as the checkout button; says which step and why."""


class Buyer:
    def __init__(self, *, base_url: str, index: int, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.index = index
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, path: str, *, data: dict | None = None, referer: str = "") -> Response:
        url = self.base_url + path
        headers = {"User-Agent": "cho-phien-checkout-bench", "Accept-Language": "vi"}
        if referer:
            # Django checks Referer (HTTPS) and Origin (if sent) on POSTs, as browsers send them.
            headers["Referer"] = self.base_url + referer
            headers["Origin"] = self.base_url
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers, method="POST" if data else "GET")
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                body = response.read().decode(errors="replace")
                return Response(response.status, response.headers.get("Location", ""), body)
        except urllib.error.HTTPError as error:
            with error:
                return Response(
                    error.code, error.headers.get("Location", ""), error.read().decode(errors="replace")
                )

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def prepare(self, *, slug: str, product_id: str, quantity: int) -> dict[str, str]:
        """Visit the product, add it to the cart and open the checkout; return the filled form."""
        product_path = f"/products/{slug}/"
        page = self.request(product_path)
        if page.status != 200:
            raise BenchError(f"GET {product_path}: HTTP {page.status}")
        add_form = form_with(page.body, "product_id") or {}
        product_id = product_id or add_form.get("product_id", "")
        if not product_id:
            raise BenchError(f"GET {product_path}: no add-to-cart form with a product_id input")
        added = self.request(
            "/cart/add/", data={"product_id": product_id, "quantity": quantity}, referer=product_path
        )
        if added.status >= 400:
            raise BenchError(f"POST /cart/add/: HTTP {added.status}")

        checkout = self.request("/checkout/")
        if checkout.status != 200:
            raise BenchError(f"GET /checkout/: HTTP {checkout.status} {checkout.location}".strip())
        form = form_with(checkout.body, "checkout_token")
        if not form or not form.get("csrfmiddlewaretoken"):
            raise BenchError("GET /checkout/: no form with checkout_token and csrfmiddlewaretoken")
        n = self.index
        return {
            **form,
            "full_name": f"Người mua thử {n}",
            "phone": f"0912{n:06d}",
            "email": f"buyer{n}@example.vn",
            "province": "08",
            "commune": "xã Lũng Phìn",
            "street_address": f"Số {n + 1}, thôn Thử Tải",
            "note": "Đơn thử tải",
            "payment_method": "cod",
        }

    def checkout(self, form: dict[str, str]) -> Response:
        return self.request("/checkout/", data=form, referer="/checkout/")


def classify(response: Response) -> str:
    if response.status >= 500:
        return SERVER_ERROR
    if response.status in (301, 302, 303):
        path = urllib.parse.urlsplit(response.location).path
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "orders" and parts[1] not in ("", "track"):
            return PLACED
        if path == "/cart/":
            return REFUSED
    return OTHER


@dataclass
class Outcome:
    kind: str
    detail: str = ""
    seconds: float | None = None  # time to the checkout answer; None when there was no answer


def run(*, base_url: str, buyers: int, slug: str, product_id: str, quantity: int, timeout: float):
    """Prepare every buyer, release them together at a barrier, and collect what each got."""
    started: list[float] = []
    barrier = threading.Barrier(buyers, action=lambda: started.append(time.perf_counter()))
    outcomes: list[Outcome] = []
    prepared = Counter()
    lock = threading.Lock()

    def one(index: int) -> None:
        buyer = Buyer(base_url=base_url, index=index, timeout=timeout)
        form = None
        try:
            form = buyer.prepare(slug=slug, product_id=product_id, quantity=quantity)
        except (BenchError, OSError) as error:
            outcome = Outcome(OTHER, f"prepare: {error}")
        # Everyone waits, prepared or not, so the barrier never hangs on a failed buyer.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=timeout * 4)
        if form is not None:
            with lock:
                prepared["ok"] += 1
            begin = time.perf_counter()
            try:
                response = buyer.checkout(form)
                kind = classify(response)
                detail = f"HTTP {response.status} {response.location}".strip()
                outcome = Outcome(kind, "" if kind in (PLACED, REFUSED) else detail)
                outcome.seconds = time.perf_counter() - begin
            except OSError as error:
                outcome = Outcome(OTHER, f"checkout: {error}")
        with lock:
            outcomes.append(outcome)

    prepare_start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=buyers) as pool:
        list(pool.map(one, range(buyers)))
    finished = time.perf_counter()
    release = started[0] if started else prepare_start
    return outcomes, prepared["ok"], release - prepare_start, finished - release


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--buyers", type=int, default=50, help="concurrent buyers (default 50)")
    parser.add_argument("--product-slug", required=True, help="from bench/setup_checkout_product.py")
    parser.add_argument("--product-id", default="", help="default: read from the add-to-cart form")
    parser.add_argument("--quantity", type=int, default=1, help="units each buyer orders (default 1)")
    parser.add_argument("--expect-orders", type=int, default=10, help="orders the stock allows (default 10)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request (default 60)")
    args = parser.parse_args(argv)
    if args.buyers < 1 or args.quantity < 1:
        parser.error("--buyers and --quantity must be at least 1")

    outcomes, prepared, prepare_seconds, checkout_seconds = run(
        base_url=args.base_url,
        buyers=args.buyers,
        slug=args.product_slug,
        product_id=args.product_id,
        quantity=args.quantity,
        timeout=args.timeout,
    )
    counts = Counter(outcome.kind for outcome in outcomes)
    answered = [o.seconds for o in outcomes if o.seconds is not None]
    rate = len(answered) / checkout_seconds if checkout_seconds > 0 and answered else 0.0

    print(
        f"checkout load: {args.buyers} buyers × {args.quantity} unit(s) on {args.base_url}, "
        f"product {args.product_slug}"
    )
    print(f"  prepared (product page, cart, form): {prepared}/{args.buyers} in {prepare_seconds:.1f} s")
    print(f"  orders placed:    {counts[PLACED]}")
    print(f"  clean refusals:   {counts[REFUSED]}")
    print(f"  5xx responses:    {counts[SERVER_ERROR]}")
    print(f"  other errors:     {counts[OTHER]}")
    if answered:
        cuts = (
            statistics.quantiles(answered, n=20, method="inclusive") if len(answered) > 1 else answered * 19
        )
        print(
            f"  checkout phase:   {checkout_seconds:.2f} s, {rate:.1f} checkouts/s; latency "
            f"p50 {statistics.median(answered):.2f} s, p95 {cuts[18]:.2f} s, max {max(answered):.2f} s"
        )
    for detail, n in Counter(o.detail for o in outcomes if o.detail).most_common(5):
        print(f"    {n} × {detail[:200]}")

    failures = []
    if counts[PLACED] != args.expect_orders:
        failures.append(f"{counts[PLACED]} orders, expected exactly {args.expect_orders}")
    if counts[SERVER_ERROR]:
        failures.append(f"{counts[SERVER_ERROR]} 5xx responses")
    if counts[OTHER]:
        failures.append(f"{counts[OTHER]} other errors")
    if failures:
        print("  verdict: FAIL (" + "; ".join(failures) + ")")
        return 1
    print(f"  verdict: PASS (exactly {args.expect_orders} orders, 0 5xx, every other buyer refused cleanly)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
