"""Doses typed into an article by hand: the build refuses them, because a number in prose that
does not come from data/ can silently disagree with its source.

Macros (`{{ med(...) }}`, `{{ fact(...) }}`) and code spans are not prose. A few phrases are
definitions rather than data (the unit every equivalence is stated against) and may be typed.
"""

from __future__ import annotations

import re

UNITS = r"(?:mg|milligrams?|mcg|micrograms?|µg|mL|ml|millilit(?:re|er)s?)"
NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundred|half an?|a half|quarter of an?)"
)
DOSE = re.compile(
    rf"(?<![\w.])(?:\d+(?:[.,]\d+)?(?:\s*[–-]\s*\d+(?:[.,]\d+)?)?|{NUMBER_WORDS})\s?{UNITS}\b", re.IGNORECASE
)
NOT_PROSE = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}|`[^`\n]*`", re.DOTALL)
DEFINITIONS = ("diazepam 10 mg", "diazepam 5 mg")  # the reference doses equivalents are stated against


def typed_doses(markdown: str) -> list[tuple[int, str]]:
    """(line, phrase) for each dose typed by hand; lines counted from the start of `markdown`."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))  # keep the line breaks, so lines still count

    body = NOT_PROSE.sub(blank, markdown)
    for phrase in DEFINITIONS:
        body = re.sub(re.escape(phrase), lambda m: " " * len(m.group(0)), body, flags=re.IGNORECASE)
    return [(body.count("\n", 0, m.start()) + 1, m.group(0)) for m in DOSE.finditer(body)]


def front_matter_lines(source: str) -> int:
    """How many lines the front matter block takes (MkDocs hands macros the page without it)."""
    if not source.startswith("---\n"):
        return 0
    end = source.find("\n---", 4)
    return source.count("\n", 0, end) + 2 if end >= 0 else 0


def lines_before(source: str, markdown: str) -> int:
    """How many lines of the file come before the `markdown` MkDocs hands the macros (front matter and
    the blank lines it strips), so a line found in one is named as the maintainer's editor shows it."""
    head = markdown.lstrip()
    start = source.find(head[:200]) if head else -1
    lines_stripped = markdown[: len(markdown) - len(head)].count("\n")
    return source.count("\n", 0, start) - lines_stripped if start >= 0 else front_matter_lines(source)
