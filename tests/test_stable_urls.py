"""Clinicians link to pages, sections and table rows: a published link must keep working."""

from __future__ import annotations

import re

from .stable_urls import published, read


def redirects(site) -> dict[str, str]:
    """Old path → new path, from the stub pages mkdocs-redirects writes."""
    out = {}
    for html in site.rglob("index.html"):
        text = html.read_text(encoding="utf-8")
        match = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', text)
        if match:
            old = "/" + html.parent.relative_to(site).as_posix() + "/"
            out[old] = match.group(1)
    return out


def test_every_published_url_and_id_still_resolves(built_site):
    current = published(built_site)
    moved = redirects(built_site)
    missing = []
    for entry in read():
        page = entry.split("#", 1)[0]
        if entry in current:
            continue
        if page in moved and "#" not in entry:
            continue  # the page moved and its old URL redirects
        missing.append(entry)
    assert not missing, "published links that no longer resolve (add a redirect or restore the id):\n" + "\n".join(
        missing
    )


def test_the_contract_lists_every_page_and_citable_id_the_site_publishes(built_site):
    """So a link a clinician could copy today is one a later edit cannot break unnoticed."""
    missing = sorted(published(built_site) - set(read()))
    assert not missing, f"run `make update` to add them to tests/stable_urls.txt: {missing}"


def test_the_contract_cannot_pass_by_being_empty():
    entries = read()
    assert len(entries) > 50
    assert "/clinicians/equivalence/#eq-alprazolam" in entries
    assert "/urgent-help/" in entries


def test_a_moved_page_with_a_redirect_keeps_its_old_url(tmp_path):
    """What mkdocs-redirects writes for `old.md: new.md` counts as keeping /old/ alive."""
    stub = tmp_path / "old" / "index.html"
    stub.parent.mkdir()
    stub.write_text('<html><head><meta http-equiv="refresh" content="0; url=../new/"></head></html>')
    assert redirects(tmp_path) == {"/old/": "../new/"}
    assert "/old/" not in published(tmp_path)
