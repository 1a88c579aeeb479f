"""Translate validated data (a schedule and its medication) into a taper-engine Plan.

Kept apart from taper.py so the engine stays free of the data model, and apart
from data.py so loading stays free of clinical arithmetic.
"""

from __future__ import annotations

import math
from fractions import Fraction

from .data import DataError, Dataset, formulation
from .models import Equivalent, Formulation, Medication, Schedule
from .taper import Crossover, Dosing, Liquid, Plan, PlanError, Result, Tablets, build


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


def crossover_step_weeks(ds: Dataset, fact_id: str = "switch-review") -> tuple[int, str]:
    """Weeks between switching one dose and the next, and the source that says so.

    The guideline reviews each switch after 5–7 days (the fact's upper end): one dose a week at most.
    """
    fact = ds.fact_by_id[fact_id]
    assert fact.unit == "days", f"fact {fact_id} is in {fact.unit}, not days"
    return max(1, math.ceil(exact(fact.value.max) / 7)), fact.source


def dosing(med: Medication, form: Formulation, measure_ml: float = 0.1) -> Dosing:
    if form.liquid:
        assert form.concentration is not None
        return Liquid(
            med.generic,
            form.form.replace("-", " "),
            exact(form.concentration.mg),
            exact(form.concentration.ml),
            exact(measure_ml),
        )
    assert form.strengths_mg is not None
    strengths = tuple(sorted(exact(s) for s in form.strengths_mg))
    if form.scored is True:
        halvable = strengths
    elif isinstance(form.scored, list):
        halvable = tuple(sorted(exact(s) for s in form.scored))
    else:
        halvable = ()
    return Tablets(med.generic, form.form.replace("-", " "), strengths, halvable)


def _hint(med: Medication, in_use: set[str], markets_label: dict[str, str]) -> str:
    others = [f for f in med.formulations if f.id not in in_use]
    liquids = [f for f in others if f.liquid]
    if liquids:
        return " or ".join(
            f"{med.generic} {f.concentration.mg:g} mg/{f.concentration.ml:g} mL {f.form.replace('-', ' ')} "
            f"({', '.join(markets_label[m] for m in f.markets)})"
            for f in liquids
            if f.concentration
        )
    return "a lower strength or a liquid form"


MARKETS = {"us": "US", "uk": "UK"}


def plan_for(ds: Dataset, sched: Schedule) -> Plan:
    med = ds.medication(sched.medication)
    start_form = formulation(med, sched.formulation)
    guide = ds.guideline_by_id[sched.limit]
    assert start_form is not None and guide.max_cut is not None
    taper_med, taper_form = med, start_form
    cross = None
    if sched.crossover:
        eq = find_equivalent(med, sched.crossover.equivalence.source, sched.crossover.equivalence.column)
        assert eq is not None
        low, high = per_diazepam_10(eq)
        if single_value(eq) is None:
            raise PlanError(
                f"schedule {sched.id}: the {sched.crossover.equivalence.source} equivalent for {med.id} is a range "
                f"({float(low):g}–{float(high):g} mg); a crossover needs one value, so choose a source that gives one",
                "crossover → equivalence",
            )
        label = equivalence_label(ds, eq)
        taper_med = ds.medication("diazepam")
        taper_form = formulation(taper_med, sched.crossover.diazepam_formulation)
        assert taper_form is not None
        cross = Crossover(
            med.generic, dosing(med, start_form, sched.measure_ml), low, label, sched.crossover.step_weeks
        )
    tail = formulation(taper_med, sched.tail.formulation) if sched.tail else None
    in_use = {taper_form.id} | ({tail.id} if tail else set())
    red = sched.reduction
    return Plan(
        drug=taper_med.generic,
        dosing=dosing(taper_med, taper_form, sched.measure_ml),
        start_doses=tuple(exact(d) for d in sched.start_doses_mg),
        method="proportional" if red.percent is not None else "fixed-step",
        amount=exact(red.percent) / 100 if red.percent is not None else exact(red.step_mg or 0),
        interval_weeks=red.interval_weeks,
        max_cut=exact(guide.max_cut.percent) / 100,
        max_cut_weeks=guide.max_cut.per_weeks,
        limit_label=guide.name,
        crossover=cross,
        tail=dosing(taper_med, tail, sched.measure_ml) if tail else None,
        tail_below=exact(sched.tail.below_mg) if sched.tail else Fraction(0),
        stop_at=exact(sched.stop_at_mg) if sched.stop_at_mg else None,
        help_hint=_hint(taper_med, in_use, MARKETS),
    )


def compute(ds: Dataset, sched: Schedule) -> Result:
    return build(plan_for(ds, sched))


def compute_all(ds: Dataset) -> dict[str, Result]:
    """Every schedule, computed once at load: a plan that cannot work stops the build here."""
    results: dict[str, Result] = {}
    for sched in ds.schedules:
        try:
            results[sched.id] = compute(ds, sched)
        except PlanError as exc:
            raise DataError(
                f"1 problem(s) in the site's data; nothing was built:\n"
                f"  - schedules.yaml: schedules → {sched.id}{' → ' + exc.field if exc.field else ''}: {exc}"
            ) from None
    return results
