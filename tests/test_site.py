"""The built site, as a reader's browser gets it: one strict build, then every page parsed."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

from .conftest import ROOT, parsed
from .hostile import HOSTILE

SITE_HOST = "site.invalid"  # a stand-in origin for resolving relative URLs


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html"))


def page_url(site: Path, page: Path) -> str:
    return f"https://{SITE_HOST}/{page.relative_to(site).as_posix()}"


def soup(page: Path) -> BeautifulSoup:
    return parsed(page)  # once per session, shared: read only


def is_external(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "javascript", "mailto", "tel"):
        return False
    return bool(parsed.netloc) or url.startswith("//")


def test_every_page_is_built(built_site):
    expected = [
        "index.html",
        "urgent-help/index.html",
        "schedules/index.html",
        "clinicians/equivalence/index.html",
        "sources/index.html",
    ]
    for rel in expected:
        assert (built_site / rel).is_file(), rel


def test_no_template_syntax_or_macro_error_is_left_in_any_page(built_site):
    for page in pages(built_site):
        text = soup(page).get_text()
        html = page.read_text(encoding="utf-8")
        assert "{{" not in text and "{%" not in text, page
        assert "Macro Rendering Error" not in html, page


ASSET_ATTRS = {
    "script": ["src"],
    "link": ["href"],
    "img": ["src", "srcset"],
    "iframe": ["src"],
    "frame": ["src"],
    "source": ["src", "srcset"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "object": ["data"],
    "embed": ["src"],
    "image": ["href", "xlink:href"],
    "use": ["href", "xlink:href"],
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")
CSS_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)""")


def test_no_page_loads_anything_from_another_host(built_site):
    offenders = []
    for page in pages(built_site):
        doc = soup(page)
        for tag, attrs in ASSET_ATTRS.items():
            for el in doc.find_all(tag):
                if tag == "link" and not set(el.get("rel", [])) & {
                    "stylesheet",
                    "preload",
                    "icon",
                    "modulepreload",
                    "manifest",
                    "prefetch",
                    "apple-touch-icon",
                }:
                    continue
                for attr in attrs:
                    for url in re.split(r"\s*,\s*", el.get(attr, "") or ""):
                        url = url.split(" ")[0]
                        if url and is_external(url):
                            offenders.append(f"{page.relative_to(built_site)}: <{tag} {attr}={url}>")
        for style in doc.find_all("style"):
            offenders += [f"{page}: style url {u}" for u in CSS_URL.findall(style.text) if is_external(u)]
        for el in doc.find_all(style=True):
            offenders += [f"{page}: inline style url {u}" for u in CSS_URL.findall(el["style"]) if is_external(u)]
    for css in built_site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        for url in CSS_URL.findall(text) + CSS_IMPORT.findall(text):
            if is_external(url):
                offenders.append(f"{css.relative_to(built_site)}: {url}")
    assert not offenders, "\n".join(offenders)


def _ids(page: Path, cache: dict[Path, set[str]]) -> set[str]:
    if page not in cache:
        doc = soup(page)
        cache[page] = {el["id"] for el in doc.find_all(id=True)} | {
            el["name"] for el in doc.find_all("a", attrs={"name": True})
        }
    return cache[page]


def test_every_internal_link_and_fragment_resolves(built_site):
    cache: dict[Path, set[str]] = {}
    broken = []
    for page in pages(built_site):
        base = page_url(built_site, page)
        for a in soup(page).find_all("a", href=True):
            href = a["href"]
            if is_external(href) or href.startswith(("mailto:", "tel:", "javascript:")):
                continue
            target = urlparse(urljoin(base, href))
            path = unquote(target.path).lstrip("/")
            file = built_site / path
            if path == "" or path.endswith("/") or file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{page.relative_to(built_site)}: {href} (no file {path})")
                continue
            if target.fragment and file.suffix == ".html" and unquote(target.fragment) not in _ids(file, cache):
                broken.append(f"{page.relative_to(built_site)}: {href} (no #{target.fragment})")
    assert not broken, "\n".join(broken)


def test_every_page_has_a_visible_link_to_urgent_help(built_site):
    for page in pages(built_site):
        if page.name == "404.html":
            continue
        links = [a["href"] for a in soup(page).find_all("a", href=True) if "urgent-help" in a["href"]]
        assert links, f"{page.relative_to(built_site)} has no link to urgent help"


def test_every_medication_has_a_linkable_row_in_the_equivalence_table(built_site, dataset):
    ids = _ids(built_site / "clinicians/equivalence/index.html", {})
    missing = [m.id for m in dataset.medications if f"eq-{m.id}" not in ids]
    assert not missing


def test_every_schedule_has_its_table_chart_and_rows_on_the_schedules_page(built_site, dataset):
    from macros.schedules import compute_all

    results = compute_all(dataset)
    doc = soup(built_site / "schedules/index.html")
    for schedule in dataset.schedules:
        assert doc.find(id=schedule.id), schedule.id
        assert doc.find("figure", id=f"chart-{schedule.id}").find("svg"), schedule.id
        table = doc.find("table", id=f"sched-{schedule.id}-table")
        assert len(table.find("tbody").find_all("tr")) == len(results[schedule.id].rows)


def test_citation_markers_point_at_the_pages_reference_list(built_site):
    for page in pages(built_site):
        doc = soup(page)
        ids = {el["id"] for el in doc.find_all(id=True)}  # one walk of the page, not one per marker
        for sup in doc.select("sup.sbw-cite a"):
            assert sup["href"].lstrip("#") in ids, f"{page}: {sup['href']}"


def test_tables_have_captions_and_scoped_headers(built_site):
    for page in pages(built_site):
        for table in soup(page).select("table.sbw-table"):
            assert table.find("caption"), page
            assert all(th.get("scope") in ("col", "row") for th in table.find_all("th")), page


URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "srcset", "xlink:href")
SAFE_SCHEMES = {"", "http", "https", "mailto", "tel"}  # "" is a link within the site


def test_every_link_and_source_in_the_output_is_web_mail_or_phone(built_site):
    """No javascript:, data:, file: or other scheme anywhere a browser follows or loads a URL."""
    for page in pages(built_site):
        for el in soup(page).find_all(True):
            for name in URL_ATTRIBUTES:
                value = el.get(name)
                if value is None:
                    continue
                scheme = urlparse(re.sub(r"[\x00-\x20]", "", str(value))).scheme.lower()
                assert scheme in SAFE_SCHEMES, f"{page.relative_to(built_site)}: <{el.name} {name}={value!r}>"


@pytest.fixture(scope="module")
def hostile_pages(hostile_build) -> list[tuple[Path, BeautifulSoup]]:
    result, site, _ = hostile_build
    assert result.returncode == 0, result.stdout + result.stderr
    return [(page, BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")) for page in pages(site)]


@pytest.mark.slow  # a second whole-site build (shared with test_bad_input's control): `make test` only
def test_markup_in_any_free_text_field_creates_no_element_link_or_handler(hostile_pages):
    """conftest.hostile_build puts tests/hostile.py's markup into every free-text value of every data
    file and every page's front matter (title, description, reviewers): not one element, event handler
    or javascript: link comes of it, in the theme's parts of the page or in ours."""
    for page, doc in hostile_pages:
        assert not doc.find_all(id="pwn"), f"{page}: markup from data or front matter became an element"
        for el in doc.find_all(True):
            handlers = [name for name in el.attrs if name.lower().startswith("on")]
            assert not handlers, f"{page}: <{el.name}> has {handlers}"
            for name in ("href", "src", "action"):
                assert not str(el.get(name, "")).strip().lower().startswith("javascript:"), f"{page}: {el}"


@pytest.mark.slow
def test_markup_in_any_free_text_field_is_shown_as_the_text_it_is(hostile_pages, hostile_build):
    """Each marker that reaches a page is followed by the markup exactly as typed (at least its first
    20 characters, an element and a link's start): not parsed by Markdown and not dropped. Fields no
    page shows (a fact's `says`, for maintainers) carry markers that reach no page; most reach one."""
    _, _, markers = hostile_build
    seen: set[str] = set()
    for page, doc in hostile_pages:
        text = doc.get_text() + " ".join(str(v) for el in doc.find_all(True) for v in el.attrs.values())
        for mark, rest in re.findall(rf"(⟦\d+⟧)(.{{0,{len(HOSTILE)}}})", text):
            seen.add(mark)
            same = next((i for i, (a, b) in enumerate(zip(rest, HOSTILE, strict=False)) if a != b), len(rest))
            # a tight length limit cuts the markup short, so the first 20 characters must be as typed
            assert same >= 20, f"{page}: {markers[mark]} shows as {rest!r}"
    assert len(seen) > len(markers) / 2, f"only {len(seen)} of {len(markers)} hostile values reached a page"


@pytest.mark.slow
def test_a_page_title_and_description_with_markup_are_text_in_the_head(hostile_pages):
    """Material prints page.meta.title and .description unescaped; the adapter hands it escaped ones."""
    articles = [(page, doc) for page, doc in hostile_pages if doc.select_one("aside.sbw-page-info")]
    assert articles
    for page, doc in articles:
        assert HOSTILE in doc.title.get_text(), page
        description = doc.find("meta", attrs={"name": "description"})
        assert HOSTILE in description["content"], page
        assert HOSTILE in doc.select_one("aside.sbw-page-info").get_text(), page  # citation and reviewers


FRONT_MATTER = ("title", "description", "audience", "reviewed", "next_review", "sources")


@pytest.mark.parametrize("md", sorted((ROOT / "docs").rglob("*.md")), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_page_declares_its_front_matter(md, dataset):
    text = md.read_text(encoding="utf-8")
    assert text.startswith("---\n"), "front matter missing"
    meta = yaml.safe_load(text.split("---\n", 2)[1])
    missing = [k for k in FRONT_MATTER if k not in meta]
    assert not missing, f"missing {missing}"
    assert meta["audience"] in ("patients", "clinicians", "both")
    assert str(meta["next_review"]) > str(meta["reviewed"])
    unknown = [s for s in meta["sources"] if s not in dataset.source_by_id]
    assert not unknown


def test_the_404_page_is_friendly_with_search_and_the_main_paths(built_site):
    doc = soup(built_site / "404.html")
    assert "could not find" in doc.find("h1").get_text()
    hrefs = {a["href"] for a in doc.select("article a[href]")}
    assert {"/urgent-help/", "/tapering/", "/schedules/"} <= hrefs
    assert doc.find("input", attrs={"name": "query"}), "the search box"


def _source_of(built_site: Path, page: Path) -> Path:
    rel = page.relative_to(built_site).parent
    for candidate in (ROOT / "docs" / rel / "index.md", ROOT / "docs" / f"{rel}.md"):
        if candidate.is_file():
            return candidate
    raise AssertionError(f"no source for {page}")


def test_every_page_shows_the_date_of_its_last_commit_as_last_updated(built_site):
    """Not the build date: each page's date is `git log -1` of its own Markdown file."""
    for page in pages(built_site):
        if page.name == "404.html":
            continue
        source = _source_of(built_site, page)
        stamp = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%at", "--", str(source)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        day = dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC).date().isoformat() if stamp else ""
        shown = soup(page).select_one(".git-revision-date-localized-plugin time")
        if not day:
            assert shown is None, f"{page}: a date shown for a file git has no history of"
            continue
        assert shown is not None and shown["datetime"] == day, (page, day, shown)
