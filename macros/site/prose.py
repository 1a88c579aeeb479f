"""What an article's Markdown may not hold; the build refuses each with its line.

- Doses typed by hand: a number in prose that does not come from data/ can silently disagree with
  its source. Macros (`{{ med(...) }}`, `{{ fact(...) }}`) and code spans are not prose. A few
  phrases are definitions rather than data (the unit every equivalence is stated against).
- Active HTML: articles come from people the maintainers do not know, and Markdown passes raw HTML
  through. No script (but the site's own files, by path), frame, object, <meta>, <link>, <base>,
  <style> or inline SVG; no event handler attribute; no link to javascript:, vbscript:, data: or
  file: URLs, however the scheme is spelt (entities, case, a tab inside it).
"""

from __future__ import annotations

import html
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


ACTIVE_TAG = re.compile(
    r"<\s*(script|iframe|i?frame|frameset|object|embed|applet|meta|link|base|style|svg|math|portal|template)\b",
    re.IGNORECASE,
)
HANDLER = re.compile(r"<[a-z][^>]*?[\s/\"'](on[a-z]+|srcdoc|formaction)\s*=", re.IGNORECASE | re.DOTALL)
LINK_TARGET = re.compile(
    r"\]\(\s*<?([^)\s>]*)"  # [text](target)
    r"|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S*)"  # [ref]: target
    r"|<([a-z][a-z0-9+.-]*:[^>\s]*)>"  # <scheme:autolink>
    r"|\s(?:href|src|action|poster|background|xlink:href)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]*))",
    re.IGNORECASE | re.MULTILINE,
)
UNSAFE_SCHEME = re.compile(r"^(?:javascript|vbscript|data|file):", re.IGNORECASE)
# The planner's own files, by path, and its data block (filled by a macro): the only scripts allowed.
OWN_SCRIPT = re.compile(
    r'<script src="(?:\.\./)*assets/javascripts/[a-z0-9-]+\.js"(?: defer)?></script>'
    r'|<script type="application/json" id="[a-z0-9-]+">\s*</script>'
)
# Code spans and fences are not exempt: inside an HTML block Markdown leaves them as they are.
MACROS = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.DOTALL)


def active_html(markdown: str) -> list[tuple[int, str]]:
    """(line, what) for each piece of HTML or link in `markdown` that could run or load something."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    body = OWN_SCRIPT.sub(blank, MACROS.sub(blank, markdown))
    found: list[tuple[int, str]] = []

    def line(pos: int) -> int:
        return body.count("\n", 0, pos) + 1

    for m in ACTIVE_TAG.finditer(body):
        found.append((line(m.start()), f"<{m.group(1).lower()}> element"))
    for m in HANDLER.finditer(body):
        found.append((line(m.start(1)), f"{m.group(1).lower()}= attribute"))
    for m in LINK_TARGET.finditer(body):
        raw = next(g for g in m.groups() if g is not None)
        target = re.sub(r"[\x00-\x20]", "", html.unescape(raw))  # browsers drop tabs and newlines in a URL
        if UNSAFE_SCHEME.match(target):
            found.append((line(m.start()), f"a link to {target.split(':', 1)[0].lower()}: {raw[:40]!r}"))
    return sorted(found)
