"""Headless Chromium for the page tests (test_viz_browser, test_site): one launch, one way to
open a page and record what it does.

Debian's `chromium` (installed by .ci/run) driven by Playwright for Python; never
`playwright install`. Playwright's wait_for_function evaluates strings, which the pages'
Content-Security-Policy forbids, so readiness (`window.kg.ready`) is polled with
page.evaluate, which the CSP does not cover; the poll is bounded by `timeout`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SELECT_TEXT = """(needle) => {
  const walker = document.createTreeWalker(document.getElementById("text"), NodeFilter.SHOW_TEXT);
  const nodes = []; let all = "";
  while (walker.nextNode()) { nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data; }
  const at = all.indexOf(needle);
  if (at < 0) return false;
  const find = (pos, end) => nodes.find(([n, s]) => end ? pos <= s + n.data.length : pos < s + n.data.length);
  const [a, as] = find(at, false), [b, bs] = find(at + needle.length, true);
  const range = document.createRange();
  range.setStart(a, at - as); range.setEnd(b, at + needle.length - bs);
  const selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(range);
  return true;
}"""
"""Selects the first occurrence of a text in #text (kg author's article), as a user's drag does."""
NO_CHROMIUM = "needs Debian's chromium at /usr/bin/chromium (.ci/run installs it)"
browser_only = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (a Playwright Browser), closed on exit; skips the test without it."""
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Opened:
    """An open page and what it did: console and script errors, requests, requests aborted
    (anything outside `allowed`), dialogs."""

    page: Any
    url: str
    single_file: bool  # the page must load nothing but itself (a `kg viz` page)
    seconds: float = 0.0  # from navigation to interactive
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str) -> Any:
        return self.page.evaluate(expression)

    def assert_clean(self) -> None:
        """No console error, no script error, no dialog, no request outside `allowed` and, for
        a single-file page, no request but the file itself."""
        assert self.errors == []
        assert self.dialogs == []
        assert self.blocked == []
        if self.single_file:
            assert set(self.requests) == {self.url}


def open_page(browser: Any, url: str, allowed: str, timeout: float = 120.0, single_file: bool = False) -> Opened:
    """Open `url` in a fresh context (offline for file:// pages), abort and record every
    request not starting with `allowed`, and wait until the page says it is ready."""
    context = browser.new_context(offline=allowed.startswith("file:"), viewport={"width": 1400, "height": 900})
    page = context.new_page()
    opened = Opened(page, url, single_file)

    def route(route: Any) -> None:
        if route.request.url.startswith(allowed):
            route.continue_()
        else:
            opened.blocked.append(route.request.url)
            route.abort()

    def dialog(d: Any) -> None:
        opened.dialogs.append(d.message)
        d.dismiss()

    context.route("**/*", route)
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on("console", lambda message: opened.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    page.on("dialog", dialog)
    start = time.monotonic()
    page.goto(url)
    while not page.evaluate("() => !!(window.kg && window.kg.ready)"):
        assert time.monotonic() - start < timeout, f"{url} not interactive after {timeout} s"
        time.sleep(0.05)
    opened.seconds = time.monotonic() - start
    return opened
