"""A schedule's rows as plain JSON data: what the golden files pin and the JavaScript port must match.

Fractions are written "n/d" (Python's Fraction reads them back), so nothing is rounded.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from . import words
from .taper import Dose, Note, Result, Row, Value


def q(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def _value(value: Value) -> str | int:
    return q(value) if isinstance(value, Fraction) else value


def note_data(note: Note) -> dict[str, Any]:
    return {"code": note.code, "args": {k: _value(v) for k, v in note.args}}


def dose_data(dose: Dose) -> dict[str, Any]:
    pieces = dose.pieces
    ml = dose.ml
    return {
        "time": dose.time,
        "drug": dose.drug,
        "mg": q(dose.mg),
        "form": dose.form.label if dose.form is not None else None,
        "pieces": [[q(s), halves] for s, halves in pieces] if pieces is not None else None,
        "ml": q(ml) if ml is not None else None,
    }


def row_data(row: Row, result: Result) -> dict[str, Any]:
    plan = result.plan
    return {
        "step": row.step,
        "week": row.week,
        "kind": row.kind,
        "daily": q(row.daily_mg),
        "cut_prev": q(row.cut_prev),
        "cut_start": q(row.cut_start),
        "doses": [dose_data(d) for d in row.doses],
        "notes": [note_data(n) for n in row.notes],
        "warnings": [note_data(n) for n in row.warnings],
        "take": words.take(row, with_drug=plan.crossover is not None),
        "notes_text": words.notes(row, plan),
        "warnings_text": words.warnings(row, plan),
    }


def result_data(result: Result) -> dict[str, Any]:
    return {"rows": [row_data(r, result) for r in result.rows], "summary": words.summary(result)}
