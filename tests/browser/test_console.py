"""Pages load without JavaScript errors, failed resources or uncaught exceptions."""

from __future__ import annotations

from .conftest import ALL_PAGES, each_page
from .page_record import CONSOLE_ERRORS


@each_page(ALL_PAGES)
def test_no_console_errors(page_record, site_page):
    # Seen from the load until the network was quiet (page_record.py, step 1).
    errors = page_record(site_page)[CONSOLE_ERRORS]
    assert not errors, f"{site_page.url or '/'}:\n" + "\n".join(errors)
