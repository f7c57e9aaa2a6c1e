"""Browser journeys: Playwright drives Debian's chromium against a live server on 127.0.0.1.

Where chromium is absent the journeys are skipped with a message saying so; CI sets
MOTCUA_E2E_REQUIRED=1 so that a missing browser fails the run instead of hiding it.

Every page a journey visits, in any of its browser contexts, is checked with axe-core at 1280 and 360 px
(``e2e/accessibility.py``); a test whose pages have any violation fails at its end with the list.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from e2e.accessibility import AxeWatch, WatchedBrowser

# Playwright's sync API runs an event loop in the test thread; the ORM calls of the fixtures are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"chromium not found at {CHROMIUM}: browser journeys need `apt-get install chromium`"
        if os.environ.get("MOTCUA_E2E_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield WatchedBrowser(browser)
        browser.close()


@pytest.fixture(autouse=True)
def axe_clean(monkeypatch):
    """Fails the test if axe-core found a violation on any page it visited."""
    watch = WatchedBrowser.watch = AxeWatch()
    watch.hook(monkeypatch)
    yield watch
    WatchedBrowser.watch = None
    if watch.violations:
        pytest.fail(watch.report(), pytrace=False)


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address, with the demo catalogue loaded."""
    call_command("load_demo", verbosity=0)
    return live_server.url


def _page(browser, **context_options):
    context = browser.new_context(locale="vi-VN", accept_downloads=True, **context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    return context, page


@pytest.fixture
def page(browser):
    context, page = _page(browser, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A cheap phone: 360 px wide, touch, no mouse."""
    context, page = _page(browser, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield page
    context.close()
