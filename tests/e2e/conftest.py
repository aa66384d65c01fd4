"""Shared pieces of the browser tests: Debian's Chromium, driven by Playwright, never downloaded."""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    """Every test here is an e2e test, skipped (with the reason) where Chromium is absent."""
    here = Path(__file__).parent
    skip = pytest.mark.skip(reason="needs Debian's chromium at /usr/bin/chromium")
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
            # REQUIRE_SERVICES=1 (CI): a missing browser fails the run instead of skipping it.
            if not CHROMIUM.exists() and os.environ.get("REQUIRE_SERVICES") != "1":
                item.add_marker(skip)


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself stay synchronous and in order, so Django's async guard can be relaxed here.
    # MonkeyPatch.context puts back whatever was there before, even when the launch fails.
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def csp_violations(request):
    """Every browser context a test opens reports Content-Security-Policy violations from its
    console; the test fails if there was any (a script or style the policy would block)."""
    if "browser" not in request.fixturenames:
        yield []
        return
    browser = request.getfixturevalue("browser")
    seen = []
    open_context = browser.new_context

    def new_context(*args, **kwargs):
        context = open_context(*args, **kwargs)
        context.on(
            "console",
            lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None,
        )
        return context

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(browser, "new_context", new_context)
        yield seen
    assert seen == [], "the Content-Security-Policy blocked something"


@pytest.fixture
def page(browser, csp_violations):
    """A phone-sized page in a fresh context: no cookies, empty cache."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, locale="vi-VN"
    )
    yield context.new_page()
    context.close()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


# --- Journeys: every page a visitor reaches is checked the same way ---------------------------

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS") or Path(__file__).parent / "screenshots-out")
# What fails a page: axe's two worst levels (the others are printed by the check, not failed).
AXE_FAILING = ("serious", "critical")


class Journey:
    """One person's way through the site in one window size. Every page it opens is watched for
    console errors, uncaught script errors, failed requests and answers of 400 or more; `check`
    fails the step on any of them, on sideways scroll or on a serious axe violation, and saves a
    screenshot of the step (E2E_SCREENSHOTS, one folder per journey and size)."""

    def __init__(self, browser, name: str, viewport: dict):
        self.browser = browser
        self.viewport = viewport
        self.folder = SCREENSHOTS / f"{name}-{viewport['width']}x{viewport['height']}"
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.steps = 0
        self.contexts = []
        self.problems = {}
        self.scriptless = set()

    def open(self, **options):
        """A page in a fresh context (no cookies): a new phone or laptop of the same size."""
        context = self.browser.new_context(
            viewport=self.viewport, device_scale_factor=1, locale="vi-VN", **options
        )
        self.contexts.append(context)
        page = context.new_page()
        if options.get("java_script_enabled") is False:
            self.scriptless.add(page)
        seen = self.problems[page] = []

        def console(message):
            if message.type == "error":
                seen.append(f"console error: {message.text} ({message.location.get('url')})")

        page.on("console", console)
        page.on("pageerror", lambda error: seen.append(f"script error: {error}"))
        page.on(
            "requestfailed",
            lambda r: None if _left_behind(r) else seen.append(f"request failed: {r.url} ({r.failure})"),
        )
        page.on("response", lambda r: seen.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
        return page

    def check(self, page, step: str, *, expected: tuple[str, ...] = ()):
        """Everything a visitor or a screen reader would trip over on the page as it is now.
        `expected`: addresses whose error answer the step causes on purpose (a 404 page)."""
        self.steps += 1
        page.wait_for_load_state("load")
        page.screenshot(path=self.folder / f"{self.steps:02d}-{step}.png", full_page=True)
        # The screenshot may start lazy images; let them land before the next step leaves.
        page.wait_for_load_state("networkidle")
        where = f"{step} ({page.url})"
        seen = self.problems[page]
        unexpected = [problem for problem in seen if not any(url in problem for url in expected)]
        seen.clear()
        assert unexpected == [], f"{where}: {unexpected}"
        wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert wide[0] <= wide[1], f"{where}: {wide[0]} px wide in a {wide[1]} px window"
        if page in self.scriptless:
            violations = self._axe_violations_of_scripted_copy(page)
        else:
            violations = axe_violations(page)
        for violation in violations:
            if violation["impact"] not in AXE_FAILING:
                print(f"axe ({violation['impact']}) {where}: {violation['id']}: {violation['nodes']}")
        failing = [v for v in violations if v["impact"] in AXE_FAILING]
        assert failing == [], f"{where}: axe found {failing}"

    def _axe_violations_of_scripted_copy(self, page) -> list[dict]:
        """axe on a page opened with scripting off: axe waits on timers, which never fire there (the
        run would hang), so it runs on a copy of the page as it stands, without its script tags,
        served at the same address to a context with scripting on."""
        html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.DOTALL | re.IGNORECASE)
        address = page.url.split("#")[0]
        context = self.browser.new_context(viewport=self.viewport, locale="vi-VN")
        try:
            copy = context.new_page()
            copy.route(
                address,
                lambda route: route.fulfill(
                    body=html,
                    content_type="text/html; charset=utf-8",
                ),
            )
            copy.goto(address)
            return axe_violations(copy)
        finally:
            context.close()

    def close(self):
        for context in self.contexts:
            context.close()


def _left_behind(request) -> bool:
    """The tab's icon, still loading when the step went on to the next page: the browser drops it
    (net::ERR_ABORTED), which no visitor sees. Any other failed request fails the step."""
    return request.url.endswith("/favicon.svg") and "ERR_ABORTED" in (request.failure or "")


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page, run from the committed copy (tests/e2e/vendor): Playwright
    evaluates it as the browser's own tooling, so the site's Content-Security-Policy, which would
    refuse an injected <script>, stays on for everything the site itself does."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text())
    return page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ["violations"]});
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => [n.target.join(" "), n.failureSummary]),
          }));
        }"""
    )


@pytest.fixture(params=[(360, 740), (1280, 800)], ids=["phone", "laptop"])
def viewport(request):
    width, height = request.param
    return {"width": width, "height": height}


@pytest.fixture
def journey(request, browser, viewport, csp_violations):
    """A Journey named after the test, in each of the two window sizes."""
    name = request.node.originalname.removeprefix("test_")
    journey = Journey(browser, name, viewport)
    yield journey
    journey.close()
