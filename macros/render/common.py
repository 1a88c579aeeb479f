"""What every renderer shares: the citation callback, number ranges as text, the scroll box.

Output of every renderer is a single block with no blank lines, so Markdown passes it through as
raw HTML, and every value that came from data goes through `inert`.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from ..data.equivalents import exact
from ..data.models import Range
from ..engine import fmt_mg

Cite = Callable[..., str]  # cite(*source_ids) → the numbered citation markers for this page
Column = tuple[str, str | None]  # (source id, column id) of an equivalence table


# HTML's five, and every character Markdown or its extensions read as syntax (links, images,
# emphasis, code, attr_list braces, abbr and footnote brackets, tables): as character references
# they show as themselves but Markdown cannot act on them, in a table cell or in a sentence alike.
_INERT = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
    | {c: f"&#{ord(c)};" for c in "\\`*_{}[]()!|~^="}
)


def inert(value: object) -> str:
    """Text from data, safe anywhere in a page: in HTML, in an attribute, and inside Markdown."""
    return str(value).translate(_INERT)


def fmt_range(low: Fraction, high: Fraction, unit: str = "mg") -> str:
    text = fmt_mg(low) if low == high else f"{fmt_mg(low)}–{fmt_mg(high)}"
    return f"{text} {unit}"


def fmt_amount(amount: Range, unit: str) -> str:
    return fmt_range(exact(amount.min), exact(amount.max), unit)


def scroll_box(table: str, label_id: str) -> str:
    # A focusable, labelled region so keyboard users can scroll a wide table (WCAG 2.1.1).
    return f'<div class="sbw-scroll" role="region" aria-labelledby="{label_id}" tabindex="0">{table}</div>'
