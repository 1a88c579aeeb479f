"""Material's search works from the site's own index, which a page downloads only when a reader searches."""

from __future__ import annotations

from urllib.parse import urlparse

from bs4 import BeautifulSoup

INDEX = "/search/search_index.json"


def index_requests(requests: list[str]) -> list[str]:
    return [url for url in requests if urlparse(url).path.endswith(INDEX)]


def assert_top_result_is_about_alprazolam(page, served_site) -> None:
    page.wait_for_selector(".md-search-result__link", timeout=15_000)
    top = urlparse(page.locator(".md-search-result__link").first.get_attribute("href"))
    assert top.netloc == urlparse(served_site.origin).netloc, top
    target = served_site.root / top.path.lstrip("/") / "index.html"
    assert target.is_file(), f"the top result {top.path} is not a page of the site"
    h1 = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser").find("h1")
    assert h1 and "alprazolam" in h1.get_text().lower(), f"top result {top.path} is not about alprazolam: {h1}"


def test_search_finds_a_page_by_a_common_word(visit, served_site):
    page = visit("").page
    page.locator("input.md-search__input").click()
    page.keyboard.type("alprazolam")
    assert_top_result_is_about_alprazolam(page, served_site)


def test_a_page_load_does_not_download_the_search_index(visit):
    seen = visit("withdrawal-symptoms/", quiet=True)
    assert any("/assets/javascripts/workers/search" in url for url in seen.requests), (
        "Material's search worker did not start: this test no longer exercises the page's search"
    )
    assert index_requests(seen.requests) == [], "the search index was downloaded before anyone searched"


def test_opening_search_from_the_keyboard_downloads_the_index_and_finds_pages(visit, served_site):
    seen = visit("withdrawal-symptoms/", quiet=True)
    assert index_requests(seen.requests) == []
    seen.page.keyboard.press("/")  # Material's search key
    seen.page.keyboard.type("alprazolam")
    assert_top_result_is_about_alprazolam(seen.page, served_site)
    assert len(index_requests(seen.requests)) == 1


def test_a_link_carrying_a_search_opens_with_its_results(visit, served_site):
    seen = visit("?q=alprazolam")
    assert_top_result_is_about_alprazolam(seen.page, served_site)
    assert len(index_requests(seen.requests)) == 1
