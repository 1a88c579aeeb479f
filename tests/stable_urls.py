"""The stable-URL contract: every published page and citable id, and how to extend it.

`python -m tests.stable_urls` (part of `make update`) adds what the current build publishes to
tests/stable_urls.txt.
It never removes a line: a URL that must go away needs a redirect (mkdocs.yml → redirects),
and a removed id needs a deliberate edit of the file in review.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIST = ROOT / "tests" / "stable_urls.txt"
# Ids worth citing: headings and named rows (drug, guideline, interaction, symptom, schedule anchors).
CITABLE = re.compile(r"^(eq|pace|ix|symptom|call|ref)-|^[a-z0-9-]+$")
NOT_CITABLE = re.compile(r"-step-\d+$|^(__|md-|sbw-|chart-|sched-|hl-|fn|qr-|switch-eq)|-caption$|-title$|-desc$")


def published(site: Path) -> set[str]:
    """'/path/' for every page and '/path/#id' for every citable id on it."""
    from tests.conftest import parsed  # each page parsed once per session (main() puts ROOT on sys.path)

    out: set[str] = set()
    for html in site.rglob("index.html"):
        rel = html.parent.relative_to(site).as_posix()
        page = "/" if rel == "." else f"/{rel}/"
        text = html.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue  # a redirect stub, not a page
        out.add(page)
        article = parsed(html).select_one("article")
        for el in article.find_all(id=True) if article else []:
            ident = el["id"]
            if el.name in ("h1", "h2", "h3", "h4", "tr") and CITABLE.match(ident) and not NOT_CITABLE.search(ident):
                out.add(f"{page}#{ident}")
    return out


def read() -> list[str]:
    lines = LIST.read_text(encoding="utf-8").splitlines() if LIST.exists() else []
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.conftest import run_build

    with tempfile.TemporaryDirectory() as tmp:
        result = run_build(Path(tmp) / "site")
        if result.returncode:
            sys.exit(result.stderr)
        current = published(Path(tmp) / "site")
    known = read()
    new = sorted(current - set(known))
    header = "# Published URLs and citable ids (site-relative). Never delete a line without a redirect.\n"
    LIST.write_text(header + "\n".join([*known, *new]) + "\n", encoding="utf-8")
    print(f"{len(new)} added, {len(known) + len(new)} in the contract")


if __name__ == "__main__":
    main()
