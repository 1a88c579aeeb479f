"""Front matter rules: every article says who it is for, when it was checked and what it rests on."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable

import pytest
from mkdocs.utils.meta import get_data

from macros.site import front_matter

from .conftest import ROOT, copy_project, parsed, run_build

GOOD = {
    "title": "Withdrawal symptoms",
    "description": "What withdrawal can feel like, and when to get help.",
    "audience": "patients",
    "reviewed": dt.date(2026, 11, 25),
    "next_review": dt.date(2027, 5, 25),
    "sources": ["jcpg-2025"],
}


def test_complete_front_matter_is_accepted(dataset):
    page = front_matter.validate("x.md", GOOD, dataset, today=dt.date(2026, 12, 1))
    assert page.audience == "patients"


@pytest.mark.parametrize("field", ["title", "description", "audience", "reviewed", "next_review", "sources"])
def test_a_missing_field_is_an_error_naming_the_page_and_field(dataset, field):
    meta = {k: v for k, v in GOOD.items() if k != field}
    with pytest.raises(front_matter.PageError, match=rf"docs/x\.md: front matter → {field}"):
        front_matter.validate("x.md", meta, dataset)


def test_an_unknown_source_id_is_an_error(dataset):
    with pytest.raises(front_matter.PageError, match="unknown source id 'nope'"):
        front_matter.validate("x.md", {**GOOD, "sources": ["nope"]}, dataset)


def test_next_review_must_come_after_reviewed(dataset):
    with pytest.raises(front_matter.PageError, match="must be after reviewed"):
        front_matter.validate("x.md", {**GOOD, "next_review": dt.date(2026, 1, 1)}, dataset)


def test_a_date_that_is_not_a_date_is_an_error(dataset):
    with pytest.raises(front_matter.PageError, match="reviewed"):
        front_matter.validate("x.md", {**GOOD, "reviewed": "last week"}, dataset)


def test_an_unknown_field_is_an_error_so_typos_are_caught(dataset):
    with pytest.raises(front_matter.PageError, match="reveiwed: unknown front matter field"):
        front_matter.validate("x.md", {**GOOD, "reveiwed": dt.date(2026, 1, 1)}, dataset)


def test_an_overdue_review_is_reported_and_fails_only_with_the_ci_switch(dataset, monkeypatch, caplog):
    late = dt.date(2027, 6, 1)
    monkeypatch.delenv("SBW_FAIL_OVERDUE_REVIEWS", raising=False)
    with caplog.at_level("INFO"):
        front_matter.validate("x.md", GOOD, dataset, today=late)
    assert "review overdue" in caplog.text
    monkeypatch.setenv("SBW_FAIL_OVERDUE_REVIEWS", "1")
    with pytest.raises(front_matter.PageError, match="review overdue"):
        front_matter.validate("x.md", GOOD, dataset, today=late)


# One page's front matter broken: the validator refuses it in process, and the real build stops on it.
BROKEN_PAGE = "index.md"  # the first page MkDocs reads: the build stops at once
BROKEN_FIELD = ("audience: both", "audience: everyone")
BROKEN_MESSAGE = "docs/index.md: front matter → audience"


def broken_page_text() -> str:
    text = (ROOT / "docs" / BROKEN_PAGE).read_text(encoding="utf-8")
    assert text.count(BROKEN_FIELD[0]) == 1, f"test setup: {BROKEN_FIELD[0]!r} is not in {BROKEN_PAGE} once"
    return text.replace(*BROKEN_FIELD)


def test_the_broken_page_is_refused_by_the_validator(dataset):
    """The in-process twin of the build below: the page's front matter as MkDocs reads it."""
    _, meta = get_data(broken_page_text())
    with pytest.raises(front_matter.PageError) as caught:
        front_matter.validate(BROKEN_PAGE, meta, dataset)
    assert BROKEN_MESSAGE in str(caught.value)


def test_a_page_with_bad_front_matter_stops_the_real_build(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "docs" / BROKEN_PAGE).write_text(broken_page_text(), encoding="utf-8")
    result = run_build(tmp_path / "site", config=project / "mkdocs.yml")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output, f"a traceback leaked instead of a clean message:\n{output}"
    assert BROKEN_MESSAGE in output
    assert not (tmp_path / "site" / "index.html").exists()


def test_every_page_carries_valid_medicalwebpage_json_ld(built_site):
    for html in sorted(built_site.rglob("*.html")):
        if html.name == "404.html":
            continue
        doc = parsed(html)
        scripts = doc.find_all("script", type="application/ld+json")
        assert len(scripts) == 1, html
        data = json.loads(scripts[0].string)
        assert data["@type"] == "MedicalWebPage"
        for key in ("name", "description", "url", "lastReviewed", "audience", "about"):
            assert data.get(key), f"{html}: {key}"
        dt.date.fromisoformat(data["lastReviewed"])
        assert all(c["name"] for c in data.get("citation", []))
        assert "reviewedBy" not in data or data["reviewedBy"], html
        assert doc.find("link", rel="canonical")["href"] == data["url"]


def test_every_page_shows_its_review_date_and_a_ready_citation(built_site):
    for html in sorted(built_site.rglob("index.html")):
        doc = parsed(html)
        info = doc.select_one("aside.sbw-page-info")
        assert info, html
        assert info.find("time")["datetime"]
        assert "Not yet clinically reviewed" in info.get_text() or "Clinically reviewed by" in info.get_text()
        assert doc.select_one("#cite-this-page")


# Mistakes in how front matter is written, each with what the build must say. MkDocs' own reading
# drops a block it cannot parse and reads a key written twice as its last value, without a word.
def _edit(old: str, new: str) -> Callable[[str], str]:
    return lambda head: re.sub(old, new, head, count=1, flags=re.MULTILINE)


WRITTEN = [  # (name, change, the text on the line the message names, what it says)
    ("key-twice", _edit(r"^audience:", "title: Again\naudience:"), "title: Again", "the key 'title' appears twice"),
    ("impossible-date", _edit(r"^reviewed: .*$", "reviewed: 2026-13-01"), "2026-13-01", "is not a real date"),
    ("tab-indent", _edit(r"^audience:", "\taudience:"), "\taudience", "found a tab character"),
    ("unquoted-colon", _edit(r"^title: ", "title: Why: a bad week: "), "title: Why", "mapping values are not allowed"),
    ("list-not-mapping", lambda head: "- one\n- two\n", "- one", "must be `field: value` lines"),
]


@pytest.mark.parametrize(("name", "change", "on_line", "says"), WRITTEN, ids=[w[0] for w in WRITTEN])
def test_front_matter_written_wrong_is_named_with_its_line_in_the_file(name, change, on_line, says):
    source = (ROOT / "docs" / "bad-week.md").read_text(encoding="utf-8")
    _, head, body = source.split("---\n", 2)
    broken = f"---\n{change(head)}---\n{body}"
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if on_line in text)
    with pytest.raises(front_matter.PageError) as caught:
        front_matter.read(broken, "bad-week.md")
    assert f"docs/bad-week.md, line {line}: " in str(caught.value)
    assert says in str(caught.value)


def test_front_matter_that_is_never_closed_is_named():
    with pytest.raises(front_matter.PageError, match=r"docs/x\.md, line 1: .* never closed"):
        front_matter.read("---\ntitle: x\n\nSome text.\n", "x.md")


def test_a_date_in_quotes_is_explained_not_called_invalid(dataset):
    with pytest.raises(front_matter.PageError) as caught:
        front_matter.validate("x.md", {**GOOD, "reviewed": "2026-11-25"}, dataset)
    message = str(caught.value)
    assert "reviewed: '2026-11-25' is in quotes, so it is text, not a date; write reviewed: 2026-11-25" in message
    assert "valid date" not in message


def test_a_review_date_after_today_is_refused(dataset):
    later = {**GOOD, "reviewed": dt.date(2026, 12, 5), "next_review": dt.date(2027, 6, 5)}
    with pytest.raises(front_matter.PageError, match=r"reviewed: 2026-12-05 is after today \(2026-12-01\)"):
        front_matter.validate("x.md", later, dataset, today=dt.date(2026, 12, 1))


def test_every_page_reads_the_same_with_the_strict_reader_as_with_mkdocs():
    """Control: the strict reader changes nothing for front matter written right."""
    for md in sorted((ROOT / "docs").rglob("*.md")):
        source = md.read_text(encoding="utf-8")
        assert front_matter.read(source, md.name) == get_data(source)[1], md


def test_a_key_written_twice_stops_the_real_build_with_its_line(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "bad-week.md"
    source = page.read_text(encoding="utf-8")
    broken = source.replace("\naudience:", "\ntitle: Again\naudience:", 1)
    page.write_text(broken, encoding="utf-8")
    result = run_build(tmp_path / "site", config=project / "mkdocs.yml")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if text == "title: Again")
    assert f"docs/bad-week.md, line {line}: front matter is not valid YAML" in output
