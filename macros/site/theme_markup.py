"""Corrections to Material's markup that no block override can reach, applied to the built pages.

Only one, and only because there is no block around it: Material's base.html writes its drawer and
search toggles straight into <body>, outside every block, as

    <input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">

HTML allows `autocomplete` only on text-like inputs, so the Nu checker reports an error on every
page (tests/test_html_validity.py). The attribute is there for Firefox, which otherwise restores a
checkbox's state on reload: a reader who reloads with the menu or search open sees it open again,
and can close it. Every other browser ignores the attribute on a checkbox. The alternatives were
worse: a copy of base.html is a fork of the whole theme, and filtering the message out of the test
would hide the next real error of the same kind.

The match is exact, so a Material upgrade that changes these lines makes no silent edit: the Nu
checker test then fails and points here.
"""

from __future__ import annotations

from pathlib import Path

TOGGLES = {
    f'<input class="md-toggle" data-md-toggle="{name}" type="checkbox" id="__{name}" autocomplete="off">': (
        f'<input class="md-toggle" data-md-toggle="{name}" type="checkbox" id="__{name}">'
    )
    for name in ("drawer", "search")
}


def fix_page(html: str) -> str:
    for before, after in TOGGLES.items():
        html = html.replace(before, after, 1)
    return html


def fix_site(site_dir: Path) -> int:
    """Rewrite every built page that needs it; returns how many were changed."""
    changed = 0
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        fixed = fix_page(html)
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")
            changed += 1
    return changed
