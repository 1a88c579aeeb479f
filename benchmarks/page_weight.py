"""Per page: the bytes a first visit downloads (HTML, CSS, JS, fonts, images), raw and gzip.

Follows what the HTML references on this site's own origin; the search index that
Material's search worker fetches is reported on its own line. Prints numbers only.
"""

from __future__ import annotations

import gzip
import re
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlparse

from bs4 import BeautifulSoup

from common import build

CSS_URL = re.compile(r"""url\(\s*['"]?([^'")#?]+)""")


def local(site: Path, page: Path, ref: str) -> Path | None:
    base = f"https://site.invalid/{page.relative_to(site).as_posix()}"
    target = urlparse(urljoin(base, ref))
    if target.netloc != "site.invalid":
        return None
    path = site / target.path.lstrip("/")
    return path if path.is_file() else None


def assets(site: Path, page: Path) -> set[Path]:
    doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    refs = [s["src"] for s in doc.find_all("script", src=True)]
    refs += [
        link["href"] for link in doc.find_all("link", href=True) if {"stylesheet", "icon"} & set(link.get("rel", []))
    ]
    refs += [i["src"] for i in doc.find_all("img", src=True)]
    found = {p for r in refs if (p := local(site, page, r))}
    for css in [p for p in found if p.suffix == ".css"]:
        for ref in CSS_URL.findall(css.read_text(encoding="utf-8")):
            base = f"https://site.invalid/{css.relative_to(site).as_posix()}"
            target = urlparse(urljoin(base, ref))
            path = site / target.path.lstrip("/")
            if target.netloc == "site.invalid" and path.is_file():
                found.add(path)
    return found


def sizes(files: list[Path]) -> tuple[int, int]:
    raw = sum(f.stat().st_size for f in files)
    gz = sum(len(gzip.compress(f.read_bytes(), compresslevel=6)) for f in files)
    return raw, gz


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(site)
        print(f"{'page':45} {'files':>5} {'raw KB':>8} {'gzip KB':>8}")
        for page in sorted(site.rglob("*.html")):
            files = [page, *sorted(assets(site, page))]
            raw, gz = sizes(files)
            print(f"{page.relative_to(site).as_posix():45} {len(files):5} {raw / 1024:8.1f} {gz / 1024:8.1f}")
        index = site / "search" / "search_index.json"
        if index.exists():
            raw, gz = sizes([index])
            print(f"{'search/search_index.json (search worker)':45} {1:5} {raw / 1024:8.1f} {gz / 1024:8.1f}")


if __name__ == "__main__":
    main()
