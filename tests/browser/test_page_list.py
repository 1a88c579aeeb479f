"""The browser tests are parametrized from docs/ at collection time; the built site must agree."""

from __future__ import annotations

from .conftest import ALL_PAGES


def _is_redirect(html: str) -> bool:
    return 'http-equiv="refresh"' in html.lower()


def test_the_browser_tests_cover_every_built_page(built_site):
    built = set()
    for file in built_site.rglob("*.html"):
        if _is_redirect(file.read_text(encoding="utf-8")):
            continue  # mkdocs-redirects' stand-ins for moved pages
        rel = file.relative_to(built_site).as_posix()
        built.add(rel.removesuffix("index.html") if rel.endswith("index.html") else rel)
    listed = {p.url for p in ALL_PAGES}
    assert built == listed, (
        f"built but not checked: {sorted(built - listed)}; listed but not built: {sorted(listed - built)}"
    )
