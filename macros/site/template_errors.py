"""A mistake in a page's macros, told as a maintainer needs it: the file, the line as their editor
counts it (front matter included), what went wrong, and a close name or the fix when there is one.

mkdocs-macros would print its own report, with a Python traceback and lines counted from below the
front matter; the adapter hands it this text instead.
"""

from __future__ import annotations

import difflib
import re
import traceback
from collections.abc import Iterable

from jinja2 import TemplateSyntaxError, UndefinedError

COMMENT_HINT = "; `{#` opens a template comment, so a heading id is written with a space: `## Heading { #id }`"


def _template_line(error: BaseException) -> int | None:
    """The line in the page's Markdown where the error arose (Jinja maps its frames to template lines)."""
    if isinstance(error, TemplateSyntaxError) and error.lineno:
        return error.lineno
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == "<template>"]
    return frames[-1].lineno if frames else None


def _comment_line(markdown: str) -> int | None:
    """The first line with a `{#` that no `#}` closes: where the maintainer meant a heading id."""
    for m in re.finditer(r"{#", markdown):
        if "#}" not in markdown[m.end() :]:
            return markdown.count("\n", 0, m.start()) + 1
    return None


def describe(error: BaseException, markdown: str, lines_before: int, src: str, names: Iterable[str]) -> str:
    """One line: where, what, and a hint. `lines_before` is how many lines of the file precede `markdown`."""
    message = str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)
    if isinstance(error, TemplateSyntaxError):
        message = error.message or message
    line = _template_line(error)
    hint = ""
    if isinstance(error, TemplateSyntaxError) and "comment" in message:
        line = _comment_line(markdown) or line
        hint = COMMENT_HINT
    elif isinstance(error, UndefinedError) and (m := re.search(r"'(\w+)' is undefined", message)):
        close = difflib.get_close_matches(m.group(1), sorted(set(names)), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; no macro or variable has that name"
    where = f"docs/{src}, line {line + lines_before}" if line else f"docs/{src}"
    return f"{where}: {message}{hint}"
