"""Every page works under the site's Content-Security-Policy, sent as a real header.

The site is served here the way a host that reads `_headers` serves it (Netlify, Cloudflare Pages):
every response carries the security headers from the built `_headers` file, on top of the <meta>
policy each page carries. A blocked script or style shows up as a `securitypolicyviolation` event.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .conftest import ALL_PAGES, QuietHandler, ServedSite, each_page, serve

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} ` +
                              `(${e.sourceFile || ""}:${e.lineNumber || ""} ${e.sample || ""})`));
"""


def read_headers(site) -> dict[str, str]:
    lines = (site / "_headers").read_text(encoding="utf-8").splitlines()
    return dict(line.strip().split(": ", 1) for line in lines[1:] if line.strip())


@pytest.fixture(scope="module")
def site_with_headers(built_site) -> Iterator[ServedSite]:
    headers = read_headers(built_site)

    class WithHeaders(QuietHandler):
        def end_headers(self):
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

    with serve(built_site, WithHeaders) as site:
        yield site


@each_page(ALL_PAGES)
def test_the_page_works_under_the_security_headers(browser, site_with_headers, site_page):
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        page.add_init_script(RECORD_VIOLATIONS)
        response = page.goto(site_with_headers.url(site_page.url), wait_until="load")
        assert response is not None
        assert "default-src 'self'" in response.headers["content-security-policy"]
        # Material's own start-up ran: its inline script (allowed by hash) and its bundle.
        page.wait_for_function("() => typeof window.__md_scope === 'object' && typeof window.document$ === 'object'")
        page.wait_for_timeout(200)  # let late scripts (search worker start-up) run
        violations = page.evaluate("() => window.__cspViolations")
        assert not violations, f"{site_page.url or '/'}:\n" + "\n".join(violations)
    finally:
        context.close()


def test_the_search_worker_and_index_load_under_the_policy(browser, site_with_headers):
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        page.add_init_script(RECORD_VIOLATIONS)
        page.goto(site_with_headers.url(""), wait_until="load")
        page.keyboard.press("/")  # Material's search shortcut
        page.locator("input.md-search__input").fill("alprazolam")
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        assert not page.evaluate("() => window.__cspViolations")
    finally:
        context.close()
