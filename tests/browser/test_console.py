"""Pages load without JavaScript errors, failed resources or uncaught exceptions."""

from __future__ import annotations

from .conftest import ALL_PAGES, each_page


@each_page(ALL_PAGES)
def test_no_console_errors(visit, site_page):
    seen = visit(site_page.url, quiet=True)
    assert not seen.console_errors, f"{site_page.url or '/'}:\n" + "\n".join(seen.console_errors)
