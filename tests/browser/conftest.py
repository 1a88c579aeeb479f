"""Browser checks: the built site served on 127.0.0.1 and opened in Debian's Chromium by Playwright.

Never a downloaded browser. Playwright's Python wheel carries only its driver; the browser is
/usr/bin/chromium from Debian (`apt-get install chromium`, which .ci/run does). Do not run
`playwright install`. axe-core comes inside the axe-playwright-python wheel (axe.min.js), so the
accessibility checks need no network either.

Pages are listed from docs/ when the tests are collected (a Markdown file becomes a page URL, its
front matter gives the audience); test_page_list.py checks that list against the built site, so a
page cannot slip past the browser checks.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.resources
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Page, Request, sync_playwright

from tests.conftest import ROOT

if TYPE_CHECKING:
    from .page_record import PageRecord

DOCS = ROOT / "docs"
CHROMIUM = "/usr/bin/chromium"
# What the machine notes say Chromium needs here: headless, no sandbox (root), and none of the
# background calls to Google that this machine's closed network refuses. Playwright gives every
# launch a new, empty profile (--user-data-dir in a fresh temporary folder).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}

# --- The site's pages, known at collection time ---------------------------------------------------

_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)  # as MkDocs reads it


@dataclass(frozen=True)
class SitePage:
    url: str  # path under the site root: "" (home), "medicines/alprazolam/", "404.html"
    source: str  # the Markdown file under docs/, or "" for the theme's 404 page
    audience: str  # patients | clinicians | both ("" for the 404 page)

    @property
    def id(self) -> str:
        return self.url.rstrip("/") or "home"


def _front_matter(md: Path) -> dict:
    match = _FRONT_MATTER.match(md.read_text(encoding="utf-8"))
    meta = yaml.safe_load(match.group(1)) if match else None
    return meta if isinstance(meta, dict) else {}


def _url_of(md: Path) -> str:
    """docs/a/b.md → a/b/ and docs/a/index.md → a/ (MkDocs' use_directory_urls)."""
    rel = md.relative_to(DOCS).with_suffix("")
    if rel.name in ("index", "README"):
        parent = rel.parent.as_posix()
        return "" if parent == "." else parent + "/"
    return rel.as_posix() + "/"


def _content_pages() -> list[SitePage]:
    pages = []
    for md in sorted(DOCS.rglob("*.md")):
        if any(part.startswith((".", "_")) for part in md.relative_to(DOCS).parts):
            continue  # MkDocs does not publish these
        audience = str(_front_matter(md).get("audience", ""))
        pages.append(SitePage(_url_of(md), md.relative_to(DOCS).as_posix(), audience))
    return sorted(pages, key=lambda p: p.url)


CONTENT_PAGES = _content_pages()
NOT_FOUND_PAGE = SitePage("404.html", "", "")
ALL_PAGES = [*CONTENT_PAGES, NOT_FOUND_PAGE]
PATIENT_PAGES = [p for p in CONTENT_PAGES if p.audience in ("patients", "both")]


def each_page(pages: list[SitePage]):
    """Parametrize a test over pages, with readable ids (test_x[medicines/alprazolam])."""
    return pytest.mark.parametrize("site_page", pages, ids=[p.id for p in pages])


# --- The built site on 127.0.0.1 ------------------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a test closed its page while a file was still being sent
        super().handle_error(request, client_address)


@dataclass(frozen=True)
class ServedSite:
    root: Path
    origin: str  # http://127.0.0.1:<port>

    def url(self, path: str) -> str:
        return f"{self.origin}/{path}"


@contextlib.contextmanager
def serve(root: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[ServedSite]:
    """Serve a folder with http.server on a free port of 127.0.0.1, in a thread."""
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, name="sbw-site-server", daemon=True)
    thread.start()
    try:
        yield ServedSite(root, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def served_site(built_site) -> Iterator[ServedSite]:
    """The strict build from tests/conftest.py, served on 127.0.0.1."""
    with serve(built_site) as site:
        yield site


# --- One Chromium per session; a fresh context per test --------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        hint = "install Debian's chromium: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} not found, and CI is set: the browser tests must run in CI; {hint}", pytrace=False)
        pytest.skip(hint)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Visit:
    """An open page with everything it asked for and everything it reported as an error."""

    page: Page
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def watch(context: BrowserContext, page: Page) -> tuple[Visit, set[Request]]:
    """Record what a new page asks for and reports as an error; also the requests still in flight."""
    seen = Visit(page)
    # The context sees requests from the page and from its workers (Material's search).
    in_flight: set[Request] = set()
    context.on("request", lambda request: (seen.requests.append(request.url), in_flight.add(request)))
    context.on("requestfinished", lambda request: in_flight.discard(request))
    context.on("requestfailed", lambda request: in_flight.discard(request))
    page.on("websocket", lambda ws: seen.requests.append(ws.url))

    def on_console(msg) -> None:
        if msg.type == "error":
            where = msg.location.get("url", "")
            seen.console_errors.append(f"console error: {msg.text} ({where})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: seen.console_errors.append(f"uncaught: {exc}"))
    return seen, in_flight


def wait_until_quiet(page: Page, seen: Visit, in_flight: set[Request]) -> None:
    """Like Playwright's "networkidle", with 150 ms of quiet instead of 500 ms."""
    count = -1
    for _ in range(100):
        if not in_flight and count == len(seen.requests):
            break
        count = len(seen.requests)
        page.wait_for_timeout(150)


@pytest.fixture
def visit(browser, served_site) -> Iterator[Callable[..., Visit]]:
    """visit(path, viewport=..., quiet=...) opens a page in a new browser context.

    quiet=True also waits until the network has been quiet for a moment after the load event, so
    requests made by scripts (Material fetches its search index) are seen too.
    """
    contexts = []

    def _visit(path: str, *, viewport: dict = DESKTOP, quiet: bool = False, scheme: str = "light") -> Visit:
        context = browser.new_context(
            viewport=viewport, color_scheme=scheme, reduced_motion="reduce", service_workers="block"
        )
        contexts.append(context)
        page = context.new_page()
        seen, in_flight = watch(context, page)
        response = page.goto(served_site.url(path), wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        if quiet:
            wait_until_quiet(page, seen, in_flight)
        settle(page)
        return seen

    yield _visit
    for context in contexts:
        context.close()


# --- The site as a host that reads _headers serves it ---------------------------------------------


def read_headers(site: Path) -> dict[str, str]:
    lines = (site / "_headers").read_text(encoding="utf-8").splitlines()
    return dict(line.strip().split(": ", 1) for line in lines[1:] if line.strip())


@pytest.fixture(scope="session")
def site_with_headers(built_site) -> Iterator[ServedSite]:
    """The strict build served with the security headers from its `_headers` file on every response."""
    headers = read_headers(built_site)

    class WithHeaders(QuietHandler):
        def end_headers(self):
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

    with serve(built_site, WithHeaders) as site:
        yield site


# --- One visit per page for the per-page checks (page_record.py) ----------------------------------


@pytest.fixture(scope="session")
def page_record(browser, site_with_headers) -> Callable[[SitePage], PageRecord]:
    """page_record(site_page): what one visit to the page found, recorded on first use, kept for the session."""
    from .page_record import record_page

    records: dict[str, PageRecord] = {}

    def _record(site_page: SitePage) -> PageRecord:
        if site_page.url not in records:
            records[site_page.url] = record_page(browser, site_with_headers, site_page)
        return records[site_page.url]

    return _record


def settle(page: Page) -> None:
    """Wait until no CSS transition or animation is running (colours are read by axe)."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


def switch_to_dark(page: Page) -> None:
    """Click Material's palette toggle, as a reader does, and wait for the dark (slate) scheme."""
    dark = page.locator("input[data-md-color-scheme='slate']")
    page.locator(f"label[for='{dark.get_attribute('id')}']").click()
    page.wait_for_selector("body[data-md-color-scheme='slate']")
    settle(page)


# --- axe-core --------------------------------------------------------------------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]  # WCAG 2.2 AA; includes target-size
BLOCKING = ("serious", "critical")


@functools.cache
def axe_source() -> str:
    return importlib.resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def axe_violations(page: Page, rules: list[str] | None = None) -> list[dict]:
    """Serious and critical WCAG 2.2 AA violations on the page as it is now (or only the given rules)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    result = page.evaluate("only => axe.run(document, {runOnly: only, resultTypes: ['violations']})", only)
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe_violations(where: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:8]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:140]}\n      {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


# --- Tables shown as cards on a phone (.sbw-stack) ------------------------------------------------


def stacked_cells(page: Page, table: str) -> list[dict]:
    """Each body row's last cell (its notes): where it lies and the label CSS shows before it."""
    return page.evaluate(
        """table => [...document.querySelectorAll(`${table} tbody tr`)].map((row) => {
             const take = row.querySelector('td.sbw-row-notes') || row.cells[row.cells.length - 1];
             const box = take.getBoundingClientRect();
             return {row: row.id, left: box.left, right: box.right, before: getComputedStyle(take, '::before').content};
           })""",
        table,
    )


def assert_rows_read_as_labelled_cards(page: Page, table: str) -> None:
    cells = stacked_cells(page, table)
    assert cells, f"no rows in {table}"
    for cell in cells:
        assert cell["left"] >= 0 and cell["right"] <= page.viewport_size["width"], f"{table}: off screen: {cell}"
        assert cell["before"] == '"Notes: "', f"{table}: no label before the value: {cell}"
