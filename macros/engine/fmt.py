"""Numbers as the rows print them: exact, no float noise, no trailing zeros."""

from __future__ import annotations

from fractions import Fraction


def fmt_mg(value: Fraction) -> str:
    """0.125 → '0.125', 10 → '10': exact values, no float noise, no trailing zeros."""
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return text


def fmt_pct(value: Fraction) -> str:
    return f"{float(value) * 100:.1f}"
