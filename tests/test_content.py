"""Content rules every article must meet: readable for patients, no hand-typed doses."""

from __future__ import annotations

from pathlib import Path

import pytest
import textstat
import yaml
from bs4 import BeautifulSoup

from macros.site.prose import front_matter_lines, typed_doses

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


def test_the_build_refuses_a_dose_typed_into_an_article_naming_file_and_line(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "bad-week.md"
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if i > front_matter_lines("".join(lines)) and line.strip() == "")
    lines.insert(at, "Take five mg.\n")
    page.write_text("".join(lines), encoding="utf-8")
    result = run_build(tmp_path / "site", config=project / "mkdocs.yml")
    assert result.returncode != 0
    assert f"docs/bad-week.md: a dose typed into prose (line {at + 1}: 'five mg')" in result.stdout + result.stderr
