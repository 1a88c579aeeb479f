"""The reader's browser contacts no host but this site (CONTRIBUTING.md: Privacy)."""

from __future__ import annotations

from urllib.parse import urlparse

from .conftest import ALL_PAGES, each_page
from .page_record import REQUESTS

LOCAL_SCHEMES = ("data", "blob", "about")


@each_page(ALL_PAGES)
def test_no_request_goes_to_another_host(page_record, site_page):
    record = page_record(site_page)
    requests = record[REQUESTS]  # until the network was quiet: includes the search worker Material starts
    origin = urlparse(record.origin).netloc
    elsewhere = [u for u in requests if urlparse(u).scheme not in LOCAL_SCHEMES and urlparse(u).netloc != origin]
    assert not elsewhere, f"{site_page.url or '/'} asked other hosts for:\n" + "\n".join(elsewhere)
    # The recorder works: the page itself and its stylesheets were seen.
    assert any(u.endswith(".css") for u in requests), requests
