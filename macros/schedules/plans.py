"""Translate validated data (a schedule and its medication) into a taper-engine Plan, and
compute every schedule once.

Kept apart from the engine so it stays free of the data model, and apart from the loader so
loading stays free of clinical arithmetic.
"""

from __future__ import annotations

import math

from ..data import DataError, Dataset, formulation
from ..data.equivalents import equivalence_label, exact, find_equivalent, per_diazepam_10, single_value
from ..data.models import Equivalent, Formulation, Medication, Schedule
from ..data.vocabulary import FORM_NAMES, MARKET_LABELS
from ..engine import Crossover, Dosing, End, Liquid, Plan, PlanError, Result, Tablets, build, fmt_mg


def crossover_step_weeks(ds: Dataset) -> tuple[int, str]:
    """Weeks between switching one dose and the next, and the source that says so.

    The fact settings.yaml names (NHS Scotland: review each switch after 5–7 days) read at its upper
    end, in whole weeks: one dose a week at most.
    """
    fact = ds.fact_by_id[ds.settings.switch_step_fact]
    assert fact.unit == "days", "the loader checks that settings.yaml's switch_step_fact is in days"
    return max(1, math.ceil(exact(fact.value.max) / 7)), fact.source


def dosing(med: Medication, form: Formulation, measure_ml: float) -> Dosing:
    """How the engine takes this formulation; a liquid is measured to `measure_ml` mL."""
    if form.liquid:
        assert form.concentration is not None
        return Liquid(
            med.generic,
            FORM_NAMES[form.form],
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
    return Tablets(med.generic, FORM_NAMES[form.form], strengths, halvable)


def help_hint(med: Medication, in_use: set[str]) -> str:
    """What would allow smaller steps: the medicine's liquids not in use, where it has any, and for any
    medicine but diazepam a switch to diazepam; never a form the plan already uses."""
    others = [f for f in med.formulations if f.id not in in_use]
    liquids = [
        f"{med.generic} {f.concentration.mg:g} mg/{f.concentration.ml:g} mL {FORM_NAMES[f.form]} "
        f"({', '.join(MARKET_LABELS[m] for m in f.markets)})"
        for f in others
        if f.liquid and f.concentration
    ]
    using_liquid = any(f.liquid for f in med.formulations if f.id in in_use)
    options = liquids or (["a more dilute liquid or a syringe that measures smaller volumes"] if using_liquid else [])
    if med.id != "diazepam":
        options.append("switching to diazepam")
    return " or ".join(options) or "a lower strength"


def end_point(ds: Dataset, med: Medication) -> End:
    """The sourced end point (settings.yaml's taper_end_fact, in diazepam mg) in this medicine's mg.

    For another medicine it is converted by the source that makes the smallest dose of it (the most
    potent estimate), so the end is never above the threshold by any source's reckoning.
    """
    fact = ds.fact_by_id[ds.settings.taper_end_fact]
    diazepam_mg = exact(fact.value.min)
    source = ds.source_by_id[fact.source].short
    if med.id == "diazepam":
        return End(diazepam_mg, diazepam_mg, source)
    if not med.equivalents:
        raise PlanError(f"{med.id} has no equivalent dose, so the end point cannot be converted", "medication")
    eq = min(med.equivalents, key=lambda e: per_diazepam_10(e)[0])
    return End(diazepam_mg * per_diazepam_10(eq)[0] / 10, diazepam_mg, source, equivalence_label(ds, eq))


SWITCH_SEARCH_DIAZEPAM_MG = 40  # one intake is sought up to diazepam 40 mg (four 10 mg tablets)
SWITCH_SEARCH_STEPS = 10_000  # and in at most this many of its form's smallest steps


def switch_problem(ds: Dataset, med: Medication, eq: Equivalent) -> str | None:
    """Why no dose of `med`, converted by this single-value equivalent, is one the diazepam tablets
    can make; None if some dose is.

    Such an equivalent is sourced data, not a mistake: the planner offers no switch by it and says
    why (the build prints it too), rather than a test forcing the data to change.
    """
    per_10 = single_value(eq)
    if per_10 is None or med.id == "diazepam":
        return None
    diazepam = ds.medication("diazepam")
    targets = [dosing(diazepam, f, ds.settings.measure_ml) for f in diazepam.formulations if not f.liquid]
    for form in med.formulations:
        d = dosing(med, form, ds.settings.measure_ml)
        for k in range(1, SWITCH_SEARCH_STEPS + 1):
            dose = d.unit * k
            switched = dose * 10 / per_10
            if switched > SWITCH_SEARCH_DIAZEPAM_MG:
                break
            if d.makeable(dose) and any(t.makeable(switched) for t in targets):
                return None
    example = min(med.formulations, key=lambda f: 0 if not f.liquid else 1)
    d = dosing(med, example, ds.settings.measure_ml)
    return (
        f"gives {med.generic} {fmt_mg(d.unit)} mg ≈ diazepam {float(d.unit * 10 / per_10):.3g} mg, and no dose of "
        f"{med.generic} up to diazepam {SWITCH_SEARCH_DIAZEPAM_MG} mg converts to one that diazepam tablets can make"
    )


def unswitchable(ds: Dataset) -> list[str]:
    """One line for each equivalent the planner cannot switch by, for the build's log."""
    return [
        f"medications.yaml: {med.id}: the planner offers no switch to diazepam by {equivalence_label(ds, eq)}: "
        f"it {problem}"
        for med in ds.medications
        for eq in med.equivalents
        if (problem := switch_problem(ds, med, eq))
    ]


def plan_for(ds: Dataset, sched: Schedule) -> Plan:
    med = ds.medication(sched.medication)
    start_form = formulation(med, sched.formulation)
    guide = ds.guideline_by_id[sched.limit]
    assert start_form is not None and guide.max_cut is not None
    taper_med, taper_form = med, start_form
    measure_ml = sched.measure_ml or ds.settings.measure_ml
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
        diazepam_form = formulation(taper_med, sched.crossover.diazepam_formulation)
        assert diazepam_form is not None
        taper_form = diazepam_form
        cross = Crossover(med.generic, dosing(med, start_form, measure_ml), low, label, sched.crossover.step_weeks)
    tail = formulation(taper_med, sched.tail.formulation) if sched.tail else None
    in_use = {taper_form.id} | ({tail.id} if tail else set())
    red = sched.reduction
    return Plan(
        drug=taper_med.generic,
        dosing=dosing(taper_med, taper_form, measure_ml),
        start_doses=tuple(exact(d) for d in sched.start_doses_mg),
        method="proportional" if red.percent is not None else "fixed-step",
        amount=exact(red.percent) / 100 if red.percent is not None else exact(red.step_mg or 0),
        interval_weeks=red.interval_weeks,
        max_cut=exact(guide.max_cut.percent) / 100,
        max_cut_weeks=guide.max_cut.per_weeks,
        limit_label=guide.name,
        crossover=cross,
        end=end_point(ds, taper_med),
        tail=dosing(taper_med, tail, measure_ml) if tail else None,
        tail_below=exact(sched.tail.below_mg) if sched.tail and sched.tail.below_mg is not None else None,
        stop_at=exact(sched.stop_at_mg) if sched.stop_at_mg else None,
        help_hint=help_hint(taper_med, in_use),
    )


def compute(ds: Dataset, sched: Schedule) -> Result:
    return build(plan_for(ds, sched))


def compute_all(ds: Dataset) -> dict[str, Result]:
    """Every schedule, computed once at load: a plan that cannot work stops the build here."""
    results: dict[str, Result] = {}
    for sched in ds.schedules:
        try:
            result = compute(ds, sched)
        except PlanError as exc:
            raise _error(sched, exc.field, str(exc)) from None
        if result.warnings and not sched.shows_limit:
            steps = ", ".join(str(r.step) for r in result.rows if r.warnings)
            raise _error(
                sched,
                "shows_limit",
                f"steps {steps} carry a warning; an example must not, unless it is written to show a limit "
                f"(shows_limit: true, and its title or 'suits' says so); allowed: change the plan, or mark it",
            )
        results[sched.id] = result
    return results


def _error(sched: Schedule, field: str, message: str) -> DataError:
    where = f"{sched.id}{' → ' + field if field else ''}"
    return DataError(
        f"1 problem(s) in the site's data; nothing was built:\n  - schedules.yaml: schedules → {where}: {message}"
    )
