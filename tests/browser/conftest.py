"""Browser tests: Playwright driving Debian's Chromium against the live test server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

CHROMIUM = Path(os.environ.get("COOPGOV_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's synchronous API runs an event loop in this thread; the test code's ORM calls
# are still synchronous and sequential.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # One group per module: a module's journeys share a worker (and its Chromium), and the
    # modules spread over the workers instead of queueing on one.
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group(f"browser-{item.path.stem}"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: `make test` installs Debian's chromium.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def new_context(browser: Browser, *, javascript: bool = True, width: int = 1280) -> BrowserContext:
    context = browser.new_context(
        java_script_enabled=javascript,
        locale="fr-BE",
        viewport={"width": width, "height": 900},
    )
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(browser: Browser, transactional_db: None) -> Iterator[Page]:
    context = new_context(browser)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser: Browser, transactional_db: None) -> Iterator[Page]:
    context = new_context(browser, javascript=False)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page: Page, name: str) -> None:
    """Kept under var/screenshots so a person can look at what the tests saw."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def choose_english(page: Page) -> None:
    """Switch the pages to English and wait until the page comes back in English: a navigation
    started before the switch ends would abort it."""
    page.locator("form.language-switch select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
