"""Offline reading: after a first visit, the pages a reader opened, and the urgent help page, still
open with no network (docs/sw.js, registered by assets/javascripts/offline.js)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page

KEPT = """async (urls) => {
  const cache = await caches.open("sbw-offline-v1");
  const hits = await Promise.all(urls.map((u) => cache.match(new URL(u, location.href).href)));
  return hits.every(Boolean);
}"""


def wait_until(page: Page, check: str, arg: object, timeout: float = 15.0) -> None:
    """Poll an async check until it is true. Not page.wait_for_function: it does not await a
    promise, and a promise is truthy, so an async check would pass at once."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(check, arg):
        if time.monotonic() > deadline:
            pytest.fail(f"still false after {timeout} s: {check.strip().splitlines()[0]} {arg!r}")
        page.wait_for_timeout(100)


@pytest.fixture
def first_visit(browser, served_site) -> Iterator[tuple[BrowserContext, Page]]:
    """A reader opens one article online; the service worker takes over and keeps it."""
    context = browser.new_context(service_workers="allow")
    page = context.new_page()
    page.goto(served_site.url("dependence/"), wait_until="load")
    # Controlled and activated (clients.claim() has run), and both pages are in the cache.
    page.wait_for_function(
        "() => navigator.serviceWorker.controller?.state === 'activated'", polling=100, timeout=15_000
    )
    wait_until(page, KEPT, ["/dependence/", "/urgent-help/"])
    # A request through the worker just before the test goes offline: the worker is running, not
    # starting up (Chrome may send a navigation to the network if a worker is slow to start).
    assert page.evaluate("() => fetch(location.href).then((r) => r.ok)")
    try:
        yield context, page
    finally:
        context.close()


def test_a_page_read_before_opens_offline_with_its_styles(first_visit, served_site):
    context, page = first_visit
    context.set_offline(True)
    page.goto(served_site.url("dependence/"), wait_until="load")
    assert "Dependence" in page.locator("h1").first.inner_text()
    assert page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).position") == "sticky"


def test_the_urgent_help_page_is_kept_from_the_first_visit(first_visit, served_site):
    context, page = first_visit
    context.set_offline(True)
    page.goto(served_site.url("urgent-help/"), wait_until="load")
    assert "urgent" in page.locator("h1").first.inner_text().lower()


def test_a_page_never_opened_says_it_is_offline_and_links_to_urgent_help(first_visit, served_site):
    context, page = first_visit
    context.set_offline(True)
    page.goto(served_site.url("overdose/"), wait_until="load")
    assert page.locator("h1").inner_text() == "You are offline"
    link = page.get_by_role("link", name="urgent help page")
    assert link.get_attribute("href") == served_site.url("urgent-help/")


def test_online_readers_get_the_page_from_the_network_not_the_cache(first_visit, served_site):
    _, page = first_visit
    page.evaluate("""async () => {
      const cache = await caches.open("sbw-offline-v1");
      await cache.put(new URL("/dependence/", location.href).href, new Response("<h1>stale copy</h1>",
        {headers: {"Content-Type": "text/html"}}));
    }""")
    page.reload(wait_until="load")
    assert "stale copy" not in page.content()
