"""Every page works under the site's Content-Security-Policy, sent as a real header.

The site is served here the way a host that reads `_headers` serves it (Netlify, Cloudflare Pages):
every response carries the security headers from the built `_headers` file (`site_with_headers` in
conftest.py), on top of the <meta> policy each page carries. A blocked script or style shows up as a
`securitypolicyviolation` event. The shared visit of each page (page_record.py) is served this way.
"""

from __future__ import annotations

from .conftest import ALL_PAGES, each_page
from .page_record import CSP_HEADER, CSP_VIOLATIONS, RECORD_VIOLATIONS


@each_page(ALL_PAGES)
def test_the_page_works_under_the_security_headers(page_record, site_page):
    record = page_record(site_page)
    assert "default-src 'self'" in record[CSP_HEADER]
    # Recorded 200 ms after Material's own start-up ran: its inline script (allowed by hash) and its bundle.
    violations = record[CSP_VIOLATIONS]
    assert not violations, f"{site_page.url or '/'}:\n" + "\n".join(violations)


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
