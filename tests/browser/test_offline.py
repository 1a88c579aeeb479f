"""Offline reading: after a first visit, the pages a reader opened, and the urgent help page, still
open with no network (docs/sw.js, registered by assets/javascripts/offline.js). Copies are kept
without their query: no search term is stored, and each page has one copy, the last seen online."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.conftest import ROOT

from .conftest import QuietHandler, ServedSite, serve

SW_SOURCE = ROOT / "docs" / "sw.js"
CACHE = re.search(r'^const CACHE = "([^"]+)";', SW_SOURCE.read_text(encoding="utf-8"), re.MULTILINE)[1]

KEPT = """async ([name, urls]) => {
  const cache = await caches.open(name);
  const hits = await Promise.all(urls.map((u) => cache.match(new URL(u, location.href).href)));
  return hits.every(Boolean);
}"""

# Every address any cache of this site's origin holds a copy under.
CACHED = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
  }
  return urls;
}"""

# True once some cache holds a copy of the page at this path (under any query), and, if text is
# given, one that contains it.
HOLDS = """async ([path, text]) => {
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      if (new URL(request.url).pathname !== path) continue;
      if (!text || (await (await cache.match(request)).text()).includes(text)) return true;
    }
  }
  return false;
}"""


def wait_until(page: Page, check: str, arg: object, timeout: float = 15.0) -> None:
    """Poll an async check until it is true. Not page.wait_for_function: it does not await a
    promise, and a promise is truthy, so an async check would pass at once."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(check, arg):
        if time.monotonic() > deadline:
            pytest.fail(f"still false after {timeout} s: {check.strip().splitlines()[0]} {arg!r}")
        page.wait_for_timeout(100)


def wait_until_held(page: Page, path: str, text: str = "") -> None:
    wait_until(page, HOLDS, [path, text])


def warm_up(page: Page) -> None:
    """A request through the worker just before a test goes offline: the worker is running, not
    starting up (Chrome may send a navigation to the network if a worker is slow to start)."""
    assert page.evaluate("() => fetch(location.href).then((r) => r.ok)")


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
    wait_until(page, KEPT, [CACHE, ["/dependence/", "/urgent-help/"]])
    warm_up(page)
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
    page.evaluate(
        """async (name) => {
      const cache = await caches.open(name);
      await cache.put(new URL("/dependence/", location.href).href, new Response("<h1>stale copy</h1>",
        {headers: {"Content-Type": "text/html"}}));
    }""",
        CACHE,
    )
    page.reload(wait_until="load")
    assert "stale copy" not in page.content()


# --- What a query string says stays off the device -------------------------------------------------


def test_a_page_opened_with_a_search_query_is_kept_without_the_query(first_visit, served_site):
    """Search terms (?q=…) are what a reader looked for: no copy is kept under an address with them."""
    _, page = first_visit
    page.goto(served_site.url("bad-week/?q=withdrawal+seizures"), wait_until="load")
    assert "?" in page.url
    wait_until_held(page, "/bad-week/")
    assert not [url for url in page.evaluate(CACHED) if "?" in url or "withdrawal" in url]


def test_a_page_the_site_asks_to_keep_is_kept_without_its_query(first_visit, served_site):
    """The "keep" message (offline.js sends the page's own address, query and all) strips it too."""
    _, page = first_visit
    page.evaluate(
        """url => navigator.serviceWorker.controller.postMessage({type: "keep", urls: [url]})""",
        served_site.url("overdose/?q=how+much"),
    )
    wait_until_held(page, "/overdose/")
    kept = page.evaluate(CACHED)
    assert served_site.url("overdose/") in kept
    assert not [url for url in kept if "?" in url]


def test_offline_a_page_opens_under_any_query_from_its_one_copy(first_visit, served_site):
    context, page = first_visit
    page.goto(served_site.url("bad-week/?q=one"), wait_until="load")
    wait_until_held(page, "/bad-week/")
    warm_up(page)
    context.set_offline(True)
    for path in ("bad-week/?q=two", "bad-week/"):
        page.goto(served_site.url(path), wait_until="load")
        assert "bad week" in page.locator("h1").first.inner_text().lower(), path
    assert [url for url in page.evaluate(CACHED) if "/bad-week/" in url] == [served_site.url("bad-week/")]


# --- The copy kept is the last one seen online ------------------------------------------------------

REGISTER = """navigator.serviceWorker.register("/sw.js", {scope: "/"});"""


def one_page(text: str, *, register: bool = True) -> str:
    head = f"<!doctype html><html lang=en><meta charset=utf-8><title>{text}</title>"
    return f"{head}<h1>{text}</h1>{'<script src=/register.js></script>' if register else ''}</html>"


@pytest.fixture
def changing_site(tmp_path) -> Iterator[tuple[ServedSite, Path]]:
    """docs/sw.js at the root of a one-page site whose page a test rewrites between visits. Served
    with `Cache-Control: no-store`, so each visit online reads the file as it is at that moment."""
    shutil.copy(SW_SOURCE, tmp_path / "sw.js")
    (tmp_path / "register.js").write_text(REGISTER, encoding="utf-8")
    (tmp_path / "page").mkdir()

    class NoStore(QuietHandler):
        def end_headers(self):
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

    with serve(tmp_path, NoStore) as site:
        yield site, tmp_path / "page" / "index.html"


def test_offline_a_page_is_the_copy_last_seen_online_whatever_its_query(browser, changing_site):
    """Two visits under different queries, the page changed in between: offline, the page under
    any query (or none) is the later copy, never the earlier one."""
    site, page_file = changing_site
    context = browser.new_context(service_workers="allow")
    try:
        page = context.new_page()
        page_file.write_text(one_page("Earlier copy"), encoding="utf-8")
        page.goto(site.url("page/?q=one"), wait_until="load")
        page.wait_for_function(
            "() => navigator.serviceWorker.controller?.state === 'activated'", polling=100, timeout=15_000
        )
        page.reload(wait_until="load")  # now through the worker, which keeps a copy
        wait_until_held(page, "/page/", "Earlier copy")

        page_file.write_text(one_page("Later copy"), encoding="utf-8")
        page.goto(site.url("page/?q=two"), wait_until="load")
        assert page.locator("h1").inner_text() == "Later copy"  # online: the network, never the cache
        wait_until_held(page, "/page/", "Later copy")
        warm_up(page)

        context.set_offline(True)
        for path in ("page/", "page/?q=one", "page/?q=three"):
            page.goto(site.url(path), wait_until="load")
            assert page.locator("h1").inner_text() == "Later copy", path
        assert [url for url in page.evaluate(CACHED) if "/page/" in url] == [site.url("page/")]
    finally:
        context.close()


def test_a_cache_from_the_worker_that_kept_queries_is_deleted(browser, changing_site):
    """sbw-offline-v1 kept copies under addresses with queries: the current worker drops it."""
    site, page_file = changing_site
    context = browser.new_context(service_workers="allow")
    try:
        page = context.new_page()
        page_file.write_text(one_page("No worker yet", register=False), encoding="utf-8")
        page.goto(site.url("page/"), wait_until="load")
        page.evaluate("""async () => {
          const old = await caches.open("sbw-offline-v1");
          await old.put(new URL("/page/?q=what+I+searched", location.href).href, new Response("old copy"));
        }""")
        page.evaluate(REGISTER)
        page.wait_for_function(
            "() => navigator.serviceWorker.controller?.state === 'activated'", polling=100, timeout=15_000
        )
        assert "sbw-offline-v1" not in page.evaluate("() => caches.keys()")
        assert not [url for url in page.evaluate(CACHED) if "?" in url]
    finally:
        context.close()
