"""Content rules every article must meet: readable for patients, no hand-typed doses."""

from __future__ import annotations

from pathlib import Path

import pytest
import textstat
import yaml
from bs4 import BeautifulSoup

from macros.site.prose import active_html, front_matter_lines, typed_doses

from .conftest import ROOT, copy_project, run_build

DOCS = ROOT / "docs"
MAX_GRADE = 8.0
MIN_WORDS = 40  # shorter pages (lists of links or tables) have too little prose to score

# Parts of a page that are not patient prose: clinician sections, tables, charts, references.
NOT_PROSE = [
    "details.clinician",
    ".admonition.clinician",
    "table",
    "figure",
    "ol.sbw-references",
    "ul.sbw-sources",
    "dl.sbw-params",
    "code",
    "pre",
    "sup",
    ".sbw-prescriber-note",
    ".headerlink",
    "h1",
    "h2",
    "h3",
    "h4",
]


def front_matter(md: Path) -> dict:
    text = md.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1]) if text.startswith("---\n") else {}


def built_page(site: Path, md: Path) -> Path:
    rel = md.relative_to(DOCS).with_suffix("")
    if rel.name == "index":
        return site / rel.parent / "index.html"
    return site / rel / "index.html"


def main_text(html: Path) -> str:
    doc = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    article = doc.select_one("article")
    for selector in NOT_PROSE:
        for el in article.select(selector):
            el.decompose()
    for li in article.find_all("li"):
        link = li.find("a")
        if link and li.get_text(strip=True) == link.get_text(strip=True):
            li.decompose()  # a list item that is only a link is navigation, not prose
    blocks = [el.get_text(" ", strip=True) for el in article.find_all(["p", "li"])]
    # Each block ends a sentence, so list items are not run together into one long "sentence".
    return " ".join(b if b.endswith((".", "?", "!", ":")) else b + "." for b in blocks if b)


PATIENT_PAGES = [md for md in sorted(DOCS.rglob("*.md")) if front_matter(md).get("audience") in ("patients", "both")]


@pytest.mark.parametrize("md", PATIENT_PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_patient_pages_read_at_grade_8_or_lower(md, built_site):
    text = main_text(built_page(built_site, md))
    words = len(text.split())
    if words < MIN_WORDS:
        pytest.skip(f"only {words} words of main text")
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"Flesch–Kincaid grade {grade} (limit {MAX_GRADE}) over {words} words"


@pytest.mark.parametrize("md", sorted(DOCS.rglob("*.md")), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_no_dose_is_typed_into_prose(md):
    body = md.read_text(encoding="utf-8")
    found = typed_doses(body[len("".join(body.splitlines(keepends=True)[: front_matter_lines(body)])) :])
    assert not found, f"doses typed by hand (use a macro such as med() or fact()): {found}"


def test_the_dose_check_catches_a_typed_dose_in_digits_units_and_words():
    assert typed_doses("Take 0.5 mg twice a day,\nor 2.5 mL.") == [(1, "0.5 mg"), (2, "2.5 mL")]
    assert typed_doses("5 mcg, 20 micrograms and five mg") == [(1, "5 mcg"), (1, "20 micrograms"), (1, "five mg")]
    assert typed_doses('It is {{ med("alprazolam", "equivalent", source="ashton-manual") }} by Ashton.') == []
    assert typed_doses("Equal to diazepam 10 mg.") == []
    assert typed_doses("Some `5 mg` code, and 5 mgs of nothing") == []


def build_with_a_line_in_bad_week(tmp_path, text: str) -> tuple[int, str]:
    """Build a copy with `text` on a line of its own in bad-week.md's body: (its line number, the output)."""
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "bad-week.md"
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if i > front_matter_lines("".join(lines)) and line.strip() == "")
    lines.insert(at, f"{text}\n")
    page.write_text("".join(lines), encoding="utf-8")
    result = run_build(tmp_path / "site", config=project / "mkdocs.yml")
    assert result.returncode != 0
    return at + 1, result.stdout + result.stderr


def test_the_build_refuses_a_dose_typed_into_an_article_naming_file_and_line(tmp_path):
    line, output = build_with_a_line_in_bad_week(tmp_path, "Take five mg.")
    assert f"docs/bad-week.md: a dose typed into prose (line {line}: 'five mg')" in output


# Each piece of active HTML an article could carry, as a contributor might write it, and what the
# build calls it. Spellings that browsers accept count: entities, upper case, a tab inside a scheme.
ACTIVE = [
    ("<script>alert(1)</script>", "<script> element"),
    ('<script src="https://elsewhere.example/x.js"></script>', "<script> element"),
    ('<SCRIPT src="../assets/javascripts/x.js" async></SCRIPT>', "<script> element"),
    ("<iframe src=/x></iframe>", "<iframe> element"),
    ('<meta http-equiv="refresh" content="0; url=https://elsewhere.example/">', "<meta> element"),
    ('<link rel="stylesheet" href="https://elsewhere.example/x.css">', "<link> element"),
    ('<base href="https://elsewhere.example/">', "<base> element"),
    ("<style>body{display:none}</style>", "<style> element"),
    ("<object data=x></object>", "<object> element"),
    ("<embed src=x>", "<embed> element"),
    ("<svg><script>alert(1)</script></svg>", "<svg> element"),
    ("<img src=x onerror=alert(1)>", "onerror= attribute"),
    ('<div class="x" ONCLICK="alert(1)">', "onclick= attribute"),
    ("[a](javascript:alert(1))", "a link to javascript:"),
    ("[a]( JaVa&#115;cript:alert(1))", "a link to javascript:"),
    ("[r]: javascript:alert(1)", "a link to javascript:"),
    ("<javascript:alert(1)>", "a link to javascript:"),
    ('<a href="java\tscript:alert(1)">a</a>', "a link to javascript:"),
    ("<a href=data:text/html,x>a</a>", "a link to data:"),
    ("[a](vbscript:x)", "a link to vbscript:"),
    ("[a](file:///etc/passwd)", "a link to file:"),
    ("<div>\n`<script>alert(1)</script>`\n</div>", "<script> element"),  # a code span in HTML stays raw
]


@pytest.mark.parametrize(("text", "called"), ACTIVE, ids=[a for a, _ in ACTIVE])
def test_the_html_check_finds_active_html_however_it_is_spelt(text, called):
    found = active_html(f"Some words.\n\n{text}\n")
    assert found and all(line >= 3 for line, _ in found), found
    assert any(what.startswith(called) for _, what in found), found


@pytest.mark.parametrize(
    "text",
    [
        '<script src="../assets/javascripts/planner.js" defer></script>',
        '<script type="application/json" id="planner-data">{{ planner_data() }}</script>',
        "[a source](https://example.org/a_(b)) and [a page](tapering.md#how-fast)",
        "Our data: what we read. A <form> with <input> and <button onclick-free>.",
        "Call [999](tel:999) or write to [us](mailto:x@example.org).",
    ],
)
def test_the_html_check_leaves_the_sites_own_scripts_and_plain_links_alone(text):
    assert active_html(text) == []


@pytest.mark.parametrize("md", sorted(DOCS.rglob("*.md")), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_no_article_carries_active_html(md):
    assert active_html(md.read_text(encoding="utf-8")) == []


def test_the_build_refuses_active_html_in_an_article_naming_file_and_line(tmp_path):
    meta = '<meta http-equiv="refresh" content="0; url=https://elsewhere.example/">'
    line, output = build_with_a_line_in_bad_week(tmp_path, meta)
    assert f"docs/bad-week.md: HTML that could run or load something (line {line}: '<meta> element')" in output
    assert "Traceback" not in output


def test_the_strict_build_refuses_a_broken_fragment_and_a_page_outside_the_nav(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "bad-week.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [how fast](tapering.md#no-such-heading).\n")
    orphan = project / "docs" / "orphan.md"
    orphan.write_text((project / "docs" / "dependence.md").read_text(encoding="utf-8"), encoding="utf-8")
    result = run_build(tmp_path / "site", config=project / "mkdocs.yml")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "'tapering.md' does not contain an anchor '#no-such-heading'" in output
    assert 'not included in the "nav" configuration' in output and "orphan.md" in output
