"""Material's search works offline, from the site's own index."""

from __future__ import annotations

from urllib.parse import urlparse

from bs4 import BeautifulSoup


def test_search_finds_a_page_by_a_common_word(visit, served_site):
    page = visit("").page
    page.locator("input.md-search__input").click()
    page.keyboard.type("alprazolam")
    page.wait_for_selector(".md-search-result__link", timeout=15_000)
    top = urlparse(page.locator(".md-search-result__link").first.get_attribute("href"))
    assert top.netloc == urlparse(served_site.origin).netloc, top
    target = served_site.root / top.path.lstrip("/") / "index.html"
    assert target.is_file(), f"the top result {top.path} is not a page of the site"
    h1 = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser").find("h1")
    assert h1 and "alprazolam" in h1.get_text().lower(), f"top result {top.path} is not about alprazolam: {h1}"
