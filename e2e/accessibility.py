"""axe-core on every page the browser journeys visit, at 1280 and 360 px; any violation fails the test.

Every browser context the journeys open (``conftest.browser`` hands out watched contexts) is watched: each
document that finishes loading in one of its pages is marked unchecked, and before the journey's next
Playwright call (a click, a fill, an assertion, a ``goto``, closing the context) the unchecked documents are
checked, as they stand once loaded. So no page escapes however the journey reached it, and the check never
races the journey. Each document is checked once, at both widths (the viewport is resized for the check and
restored), with axe-core's default rules (WCAG 2 A/AA and best practices); the violations are collected and
reported at the end of the test.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import greenlet
from axe_playwright_python.sync_playwright import Axe
from playwright._impl._sync_base import SyncBase
from playwright.sync_api import Error as PlaywrightError

WIDTHS = (1280, 360)
OPTIONS = {"resultTypes": ["violations"]}
# Swagger UI (/api/docs/, for integrators) is a vendored third-party page whose markup we do not write: axe
# finds nested controls in its operation headers. Every page of ours is checked.
NOT_OURS = ("/api/docs/",)


class AxeWatch:
    """Checks the pages of the contexts it watches and keeps what it finds, one line per failing element."""

    def __init__(self) -> None:
        self.axe = Axe()
        self.violations: list[str] = []
        self.checked_urls: list[str] = []
        self._unchecked: list = []  # pages whose latest document has loaded and not been checked
        self._checking = False

    def watch(self, context):
        context.on("page", self._watch_page)
        return context

    def _watch_page(self, page) -> None:
        # Runs in Playwright's event greenlet: only note the page, the check runs in the journey's own calls.
        page.on("load", lambda: self._unchecked.append(page))

    def before_call(self) -> None:
        """Checks the documents loaded since the journey's last call (only from the journey, never nested)."""
        if self._checking or not self._unchecked or greenlet.getcurrent().parent is not None:
            return
        self._checking = True
        try:
            while self._unchecked:
                page = self._unchecked.pop(0)
                if page not in self._unchecked:
                    self.check(page)
        finally:
            self._checking = False

    def check(self, page) -> None:
        """Runs axe on the document shown in ``page`` at each width."""
        if page.is_closed() or not page.url.startswith("http"):
            return
        if any(urlsplit(page.url).path.startswith(path) for path in NOT_OURS):
            return
        try:
            if page.evaluate("() => document.contentType !== 'text/html'"):
                return
            size = page.viewport_size
            try:
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": size["height"]})
                    self._record(page.url, width, self.axe.run(page, options=OPTIONS).response)
            finally:
                page.set_viewport_size(size)
        except PlaywrightError as error:  # the document went away during the check (a script navigated)
            if "context was destroyed" not in str(error) and "closed" not in str(error):
                raise
            return
        self.checked_urls.append(page.url)

    def _record(self, url: str, width: int, results: dict) -> None:
        for violation in results["violations"]:
            for node in violation["nodes"]:
                line = (
                    f"{url} at {width} px: {violation['id']} ({violation['impact']}): {violation['help']}"
                    f" — {', '.join(map(str, node['target']))}: {node.get('failureSummary', '')!s}"
                ).replace("\n", " ")
                if line not in self.violations:
                    self.violations.append(line)

    def report(self) -> str:
        return "axe-core found accessibility violations:\n" + "\n".join(self.violations)

    def hook(self, monkeypatch) -> None:
        """Runs ``before_call`` ahead of each call of the Playwright sync API (all go through ``_sync``)."""
        sync = SyncBase._sync

        def checked_sync(api_object, awaitable):
            self.before_call()
            return sync(api_object, awaitable)

        monkeypatch.setattr(SyncBase, "_sync", checked_sync)


class WatchedBrowser:
    """The session's browser, whose new contexts are watched by the current test's ``AxeWatch``."""

    watch: AxeWatch | None = None  # set by the autouse fixture ``axe_clean`` for the test that runs

    def __init__(self, browser) -> None:
        self._browser = browser

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        # axe-core is a script: a context without JavaScript cannot run it (its evaluate never returns). The
        # pages such a context sees are the same documents the journeys check with JavaScript on.
        if options.get("java_script_enabled") is False:
            return context
        return self.watch.watch(context) if self.watch else context

    def __getattr__(self, name):
        return getattr(self._browser, name)
