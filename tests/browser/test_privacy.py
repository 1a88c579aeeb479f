"""The reader's browser contacts no host but this site (design.md, Privacy)."""

from __future__ import annotations

from urllib.parse import urlparse

from .conftest import ALL_PAGES, each_page

LOCAL_SCHEMES = ("data", "blob", "about")


@each_page(ALL_PAGES)
def test_no_request_goes_to_another_host(visit, served_site, site_page):
    seen = visit(site_page.url, quiet=True)  # includes the search index Material fetches
    origin = urlparse(served_site.origin).netloc
    elsewhere = [u for u in seen.requests if urlparse(u).scheme not in LOCAL_SCHEMES and urlparse(u).netloc != origin]
    assert not elsewhere, f"{site_page.url or '/'} asked other hosts for:\n" + "\n".join(elsewhere)
    # The recorder works: the page itself and its stylesheets were seen.
    assert any(u.endswith(".css") for u in seen.requests), seen.requests
