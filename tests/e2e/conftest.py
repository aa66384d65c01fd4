"""Shared pieces of the browser tests: Debian's Chromium, driven by Playwright, never downloaded."""

import os
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
