"""Each source's equivalent dose, read exactly and scaled to diazepam 10 mg, and how the site names it."""

from __future__ import annotations

from fractions import Fraction

from .dataset import Dataset
from .models import Equivalent, Medication


def exact(value: float) -> Fraction:
    """YAML gives floats; the engine needs the decimal the maintainer typed, exactly."""
    return Fraction(str(value))


def per_diazepam_10(eq: Equivalent) -> tuple[Fraction, Fraction]:
    """An equivalent as published, scaled to diazepam 10 mg (UK tables state it per 5 mg)."""
    scale = Fraction(10) / exact(eq.per_diazepam_mg)
    return exact(eq.mg.min) * scale, exact(eq.mg.max) * scale


def find_equivalent(med: Medication, source: str, column: str | None) -> Equivalent | None:
    return next((e for e in med.equivalents if e.source == source and e.column == column), None)


def single_value(eq: Equivalent) -> Fraction | None:
    """mg per diazepam 10 mg when the source gives one value; None for a range (no crossover can use it)."""
    low, high = per_diazepam_10(eq)
    return low if low == high else None


def equivalence_key(eq: Equivalent) -> str:
    """How the planner names one source's value: 'ashton-manual', or 'jcpg-2025:va-dod' for a column."""
    return f"{eq.source}:{eq.column}" if eq.column else eq.source


def equivalence_label(ds: Dataset, eq: Equivalent) -> str:
    """The source's short name, and the column where it has several ('Joint guideline 2025 (Table 7, …)')."""
    source = ds.source(eq.source)
    label = source.short
    if eq.column and source.columns:
        label += f" ({source.columns[eq.column]})"
    return label
