"""The taper engine, standard library only: Plan in, rows out (see INVARIANTS.md)."""

from . import words
from .dosing import Dosing, Liquid, Tablets
from .errors import PlanError
from .fmt import fmt_mg, fmt_pct
from .taper import Crossover, Dose, End, Note, Plan, Result, Row, RowKind, build

__all__ = [
    "Crossover",
    "Dose",
    "Dosing",
    "End",
    "Liquid",
    "Note",
    "Plan",
    "PlanError",
    "Result",
    "Row",
    "RowKind",
    "Tablets",
    "build",
    "fmt_mg",
    "fmt_pct",
    "words",
]
