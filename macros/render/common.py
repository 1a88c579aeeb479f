"""What every renderer shares: the citation callback, number ranges as text, the scroll box.

Output of every renderer is a single block with no blank lines, so Markdown passes it through as
raw HTML, and every value that came from data goes through `escape`.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from ..data.equivalents import exact
from ..data.models import Range
from ..engine import fmt_mg

Cite = Callable[..., str]  # cite(*source_ids) → the numbered citation markers for this page
Column = tuple[str, str | None]  # (source id, column id) of an equivalence table


def fmt_range(low: Fraction, high: Fraction, unit: str = "mg") -> str:
    text = fmt_mg(low) if low == high else f"{fmt_mg(low)}–{fmt_mg(high)}"
    return f"{text} {unit}"


def fmt_amount(amount: Range, unit: str) -> str:
    return fmt_range(exact(amount.min), exact(amount.max), unit)


def scroll_box(table: str, label_id: str) -> str:
    # A focusable, labelled region so keyboard users can scroll a wide table (WCAG 2.1.1).
    return f'<div class="sbw-scroll" role="region" aria-labelledby="{label_id}" tabindex="0">{table}</div>'
