"""Helpers for tests in a real browser: Debian's Chromium under Playwright, and a watch on each
page for console errors, uncaught exceptions, CSP violations and requests that leave our server.

Shared by tests/test_browser.py and tests/screenshots.py (see ../shared/PLATFORM.md for why the
browser is launched this way: `playwright install` cannot download browsers here).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VENDOR = REPO / "webui" / "static" / "vendor"
VENDOR_FILES = ("yasgui.min.js", "yasgui.min.css", "cytoscape.min.js", "cytoscape-dagre.min.js")
ARTIFACTS = REPO / "test-artifacts" / "browser"

# Runs in every page before its own scripts: a CSP violation becomes a console error we can see
# even when the browser would report it only to a reporting endpoint.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline code")
                + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""


def missing_assets() -> list[str]:
    """The vendored front-end files a page loads that `make assets` has not put in place."""
    return [name for name in VENDOR_FILES if not (VENDOR / name).is_file()]


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless, with the arguments PLATFORM.md lists."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@dataclass
class PageWatch:
    """Everything that went wrong on a page: console errors, page errors, foreign or failed requests."""

    origin: str
    problems: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> Any:
        """Watch ``page`` (returned for chaining)."""
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception on {page.url}: {error}"))
        page.on("request", self._request)
        page.on("requestfailed", lambda request: self.problems.append(
            f"request failed: {request.url} ({request.failure})"))
        page.on("framenavigated", lambda frame: self.visited.append(frame.url) if frame == page.main_frame else None)
        return page

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console error on {message.location.get('url', '?')}: {message.text}")

    def _request(self, request: Any) -> None:
        self.requests.append(request.url)
        if not request.url.startswith((self.origin, "data:", "blob:", "about:")):
            self.problems.append(f"request outside our server: {request.url}")


def new_context(browser: Any, origin: str, **options: Any) -> tuple[Any, PageWatch]:
    """A fresh browser context whose pages are watched, with the CSP listener installed."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, "accept_downloads": True, **options})
    context.add_init_script(CSP_LISTENER)
    watch = PageWatch(origin)
    context.on("page", watch.attach)
    return context, watch


def wait_until(page: Any, expression: str, timeout_ms: int = 15_000) -> Any:
    """Poll a JavaScript expression until it is truthy; its value.

    Playwright's ``wait_for_function`` evaluates its predicate with ``eval`` inside the page,
    which our Content Security Policy rightly forbids; ``page.evaluate`` runs through the
    DevTools protocol instead, outside the page's policy.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{expression} stayed false for {timeout_ms} ms on {page.url}")
        page.wait_for_timeout(50)
