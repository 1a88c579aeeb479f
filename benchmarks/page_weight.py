"""Per page: what a first visit downloads, gzip bytes and request count, against the 100 KB article budget.

"page" is everything the HTML references on this site's own origin: the HTML, stylesheets,
scripts, images, icons and the web-app manifest (Chromium fetches it on load), and the fonts
and images those stylesheets reference. "search" is Material's search worker, which the bundle
starts as every page loads, so a first visit downloads it too: it is shown in its own columns
and counted in "first visit". The search index (search/search_index.json) is downloaded only
when a reader first searches (overrides/assets/javascripts/search-on-demand.js), so it is
reported on its own line, not in "first visit". Bytes are gzip level 6 for
text types (what a CDN sends), as stored for images; HTTP headers are not counted.
Prints numbers only; never fails on a missed budget.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlparse

from bs4 import BeautifulSoup

from common import build, is_article, pages, transfer_size

BUDGET_KB = 100
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")#?]+)""")
FETCHED_RELS = {"stylesheet", "icon", "manifest", "preload", "modulepreload"}  # what Chromium fetches on load


def local(site: Path, base_file: Path, ref: str) -> Path | None:
    """The file a reference resolves to on this site's own origin, or None (other hosts, data: URLs, missing)."""
    base = f"https://site.invalid/{base_file.relative_to(site).as_posix()}"
    target = urlparse(urljoin(base, ref))
    if target.scheme != "https" or target.netloc != "site.invalid":
        return None
    path = site / target.path.lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


def page_assets(site: Path, page: Path, doc: BeautifulSoup) -> set[Path]:
    refs = [s["src"] for s in doc.find_all("script", src=True)]
    refs += [link["href"] for link in doc.find_all("link", href=True) if FETCHED_RELS & set(link.get("rel", []))]
    refs += [i["src"] for i in doc.find_all("img", src=True)]
    refs += [s["src"] for s in doc.find_all("source", src=True)]
    found = {p for r in refs if (p := local(site, page, r))}
    for css in [p for p in found if p.suffix == ".css"]:
        found |= {p for r in CSS_URL.findall(css.read_text(encoding="utf-8")) if (p := local(site, css, r))}
    return found


def search_assets(site: Path, page: Path, doc: BeautifulSoup) -> set[Path]:
    """Material's search worker, which its bundle starts on load when the page has a search form."""
    config = doc.find("script", id="__config")
    if config is None or doc.find("form", attrs={"name": "search"}) is None:
        return set()
    worker = json.loads(config.string or "{}").get("search")
    path = local(site, page, worker) if worker else None
    return {path} if path else set()


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def main() -> None:
    argparse.ArgumentParser(description=__doc__.split("\n", 1)[0]).parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(site)
        rows = []
        for page, url in pages(site):
            doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            own = [page, *sorted(page_assets(site, page, doc))]
            search = sorted(search_assets(site, page, doc) - set(own))
            raw = sum(f.stat().st_size for f in own)
            gz_page = sum(transfer_size(f) for f in own)
            gz_search = sum(transfer_size(f) for f in search)
            rows.append((url, len(own), raw, gz_page, len(search), gz_search, search, own[1:]))

        print(f"First-visit download per page (gzip level 6 for text; budget for an article: < {BUDGET_KB} KB)")
        head = (
            f"{'page':40} {'req':>4} {'raw KB':>7} {'gzip KB':>8} │ {'+search req':>11} {'+search KB':>10} │"
            f" {'first-visit req':>15} {'first-visit KB':>14}"
        )
        print(head)
        print("─" * len(head))
        over, page_over = [], []
        for url, n, raw, gz_page, n_search, gz_search, _, _ in rows:
            total = gz_page + gz_search
            flag = ""
            if is_article(url) and total > BUDGET_KB * 1024:
                over.append((url, total))
                flag = "  over"
            if is_article(url) and gz_page > BUDGET_KB * 1024:
                page_over.append((url, gz_page))
                flag = "  over (even without search)"
            print(
                f"{url:40} {n:4} {kb(raw):>7} {kb(gz_page):>8} │ {n_search:11} {kb(gz_search):>10} │"
                f" {n + n_search:15} {kb(total):>14}{flag}"
            )

        print()
        common_assets = set.intersection(*(set(r[7]) for r in rows)) if rows else set()
        search_files = {f for row in rows for f in row[6]}
        index = site / "search" / "search_index.json"
        on_search = {index} if index.is_file() else set()
        groups = (("on every page", common_assets), ("search", search_files), ("first search", on_search))
        for label, files in groups:
            for f in sorted(files):
                name = f.relative_to(site).as_posix()
                print(f"{label:13} {name:55} {kb(f.stat().st_size):>7} KB raw {kb(transfer_size(f)):>6} KB gzip")
        articles = [r for r in rows if is_article(r[0])]
        totals = sorted(r[3] + r[5] for r in articles)
        page_only = sorted(r[3] for r in articles)
        print(
            f"articles: {len(articles)}; first visit gzip median {kb(totals[len(totals) // 2])} KB, "
            f"max {kb(totals[-1])} KB; without search median {kb(page_only[len(page_only) // 2])} KB, "
            f"max {kb(page_only[-1])} KB"
        )
        print(f"budget < {BUDGET_KB} KB per article first visit: {len(articles) - len(over)}/{len(articles)} met")
        for label, missed in (("over budget", over), ("over budget even without search", page_over)):
            if len(missed) == len(articles):
                listed = "every article"
            else:
                listed = ", ".join(f"{u} ({kb(t)} KB)" for u, t in missed) or "none"
            print(f"  {label} ({len(missed)}): {listed}")


if __name__ == "__main__":
    main()
