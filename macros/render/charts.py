"""Half-lives as an inline SVG: no chart library, no JavaScript needed to see it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from ..data.models import Medication
from .common import fmt_range, inert


def half_life_chart(meds: Sequence[Medication]) -> str:
    """Half-life ranges on a log scale: why symptoms start sooner after short-acting medicines."""
    entries = []
    for med in meds:
        hl = next((h for h in med.half_life), None)
        if hl is None:
            continue
        own = (float(hl.hours.min), float(hl.hours.max)) if hl.hours else None
        meta = (float(hl.metabolite.hours.min), float(hl.metabolite.hours.max)) if hl.metabolite else None
        entries.append((med.generic, own, meta))
    width, row_h, left, right, top = 640, 22, 130, 16, 24
    height = top + row_h * len(entries) + 40
    lo, hi = 1.0, 300.0

    def x(hours: float) -> float:
        frac = (math.log10(max(hours, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        return round(left + (width - left - right) * frac, 1)

    parts = []
    for tick in (1, 2, 5, 10, 24, 48, 100, 200):
        parts.append(
            f'<line class="sbw-chart-gridline" x1="{x(tick)}" x2="{x(tick)}" y1="{top - 6}" '
            f'y2="{height - 34}"/><text x="{x(tick)}" y="{height - 20}" text-anchor="middle">{tick}</text>'
        )
    for i, (name, own, meta) in enumerate(entries):
        y = top + i * row_h
        parts.append(f'<text x="{left - 8}" y="{y + 12}" text-anchor="end">{inert(name)}</text>')
        if meta:
            parts.append(
                f'<rect class="sbw-bar-meta" x="{x(meta[0])}" y="{y + 3}" '
                f'width="{max(x(meta[1]) - x(meta[0]), 3)}" height="12"/>'
            )
        if own:
            parts.append(
                f'<rect class="sbw-bar" x="{x(own[0])}" y="{y + 3}" '
                f'width="{max(x(own[1]) - x(own[0]), 3)}" height="12"/>'
            )
    parts.append(
        f'<text x="{left + (width - left - right) / 2}" y="{height - 4}" text-anchor="middle">'
        "Half-life in hours (log scale)</text>"
    )
    desc = "; ".join(
        f"{name}: {fmt_range(Fraction(str(own[0])), Fraction(str(own[1])), 'hours') if own else 'prodrug'}"
        + (f", active metabolite {fmt_range(Fraction(str(meta[0])), Fraction(str(meta[1])), 'hours')}" if meta else "")
        for name, own, meta in entries
    )
    return (
        '<figure class="sbw-chart" id="half-life-chart">'
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="hl-title hl-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="hl-title">Half-lives of benzodiazepines and z-drugs</title>'
        f'<desc id="hl-desc">{inert(desc)}</desc><g class="sbw-chart-labels">{"".join(parts)}</g></svg>'
        "<figcaption>Dark bars: the medicine itself. Light bars: an active metabolite, which keeps working "
        "after the medicine has gone. Values and sources are in the equivalence and half-life tables.</figcaption>"
        "</figure>"
    )
