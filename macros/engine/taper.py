"""The taper engine: turns a plan's parameters into the rows of a schedule.

Pure and exact (fractions, never floats) so the same plan always gives the same
rows and a test can prove each invariant in INVARIANTS.md. It knows nothing about
files, YAML or MkDocs; macros/schedules/plans.py builds its input from the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from .dosing import Dosing, Tablets, highest, lowest, table
from .errors import PlanError
from .fmt import fmt_mg, fmt_pct


@dataclass(frozen=True)
class Crossover:
    """Replace the starting drug with diazepam one dose at a time, last dose of the day first."""

    from_drug: str
    from_dosing: Dosing
    mg_per_diazepam_10: Fraction  # by the declared source
    source_label: str
    step_weeks: int


@dataclass(frozen=True)
class Plan:
    """Everything the engine needs; built from data by plans.py (or by tests directly)."""

    drug: str  # the drug being reduced (diazepam after a crossover)
    dosing: Dosing
    start_doses: tuple[Fraction, ...]  # of the starting drug, each dose of the day
    method: Literal["proportional", "fixed-step"]
    amount: Fraction  # fraction of the current dose (proportional) or mg (fixed-step)
    interval_weeks: int
    max_cut: Fraction  # e.g. 1/4
    max_cut_weeks: int  # e.g. 2: no more than max_cut in any window of this many weeks
    limit_label: str = "the pace limit"
    crossover: Crossover | None = None
    tail: Dosing | None = None
    tail_below: Fraction = Fraction(0)
    stop_at: Fraction | None = None  # final stop from this dose or below
    help_hint: str = "a lower strength or a liquid form"

    def dosing_for(self, dose: Fraction) -> Dosing:
        return self.tail if self.tail is not None and dose <= self.tail_below else self.dosing

    def makeable(self, dose: Fraction) -> bool:
        return self.dosing_for(dose).makeable(dose)

    def describe(self, dose: Fraction) -> str:
        return self.dosing_for(dose).describe(dose)


RowKind = Literal["start", "crossover", "reduction", "final-stop"]


@dataclass(frozen=True)
class Row:
    step: int
    week: int
    kind: RowKind
    daily_mg: Fraction  # of `unit_drug`; diazepam-equivalent mg during a crossover
    take: str
    cut_prev: Fraction  # fraction of the previous dose
    cut_start: Fraction  # fraction of the starting dose, cumulative
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    plan: Plan
    unit_drug: str
    rows: tuple[Row, ...] = field(default_factory=tuple)

    @property
    def weeks(self) -> int:
        return self.rows[-1].week

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(w for r in self.rows for w in r.warnings)


def _check_pace(plan: Plan) -> None:
    """A declared pace faster than the limit is a data error, not something to round away."""
    if plan.amount <= 0:
        raise PlanError("the reduction must be above 0", "reduction")
    if plan.interval_weeks < 1 or plan.max_cut_weeks < 1:
        raise PlanError("intervals are whole weeks, at least 1")
    steps_per_window = math.ceil(plan.max_cut_weeks / plan.interval_weeks)
    if plan.method == "proportional":
        if plan.amount >= 1:
            raise PlanError("a proportional cut must be below 100%", "reduction")
        window_cut = 1 - (1 - plan.amount) ** steps_per_window
    else:
        start = _start_daily(plan)
        window_cut = min(Fraction(1), plan.amount * steps_per_window / start)
    if window_cut > plan.max_cut:
        raise PlanError(
            f"pace above its limit: {fmt_pct(window_cut)}% in {plan.max_cut_weeks} weeks, but "
            f"{plan.limit_label} allows at most {fmt_pct(plan.max_cut)}% in {plan.max_cut_weeks} weeks; "
            f"use a smaller reduction or a longer interval",
            "reduction",
        )


def _start_daily(plan: Plan) -> Fraction:
    if plan.crossover is None:
        return sum(plan.start_doses, Fraction(0))
    return sum((d * 10 / plan.crossover.mg_per_diazepam_10 for d in plan.start_doses), Fraction(0))


def _crossover_rows(plan: Plan, start_de: Fraction) -> tuple[list[Row], int]:
    cross = plan.crossover
    assert cross is not None
    if not 1 <= len(plan.start_doses) <= 4:
        raise PlanError(
            f"a crossover switches one dose of the day at a time, for 1 to 4 doses, not {len(plan.start_doses)}",
            "start_doses_mg",
        )
    labels = _dose_labels(len(plan.start_doses))
    current: list[tuple[str, Fraction]] = [(cross.from_drug, d) for d in plan.start_doses]
    for d in plan.start_doses:
        if not cross.from_dosing.makeable(d):
            raise PlanError(
                f"starting dose {fmt_mg(d)} mg cannot be made from {cross.from_dosing.label}", "start_doses_mg"
            )

    def take() -> str:
        parts = []
        for label, (drug, mg) in zip(labels, current, strict=True):
            how = (cross.from_dosing if drug == cross.from_drug else plan.dosing).describe(mg)
            parts.append(f"{label}: {drug} {fmt_mg(mg)} mg ({how})")
        return "; ".join(parts)

    rows = [
        Row(
            0,
            0,
            "start",
            start_de,
            take(),
            Fraction(0),
            Fraction(0),
            notes=(
                f"{cross.from_drug} {fmt_mg(sum(plan.start_doses, Fraction(0)))} mg a day ≈ "
                f"diazepam {fmt_mg(start_de)} mg by {cross.source_label}",
            ),
        )
    ]
    week = 0
    for step, index in enumerate(reversed(range(len(current))), start=1):
        week += cross.step_weeks
        original = current[index][1]
        diazepam = original * 10 / cross.mg_per_diazepam_10
        if not plan.dosing.makeable(diazepam):
            raise PlanError(
                f"crossover: {cross.from_drug} {fmt_mg(original)} mg ≈ diazepam {fmt_mg(diazepam)} mg by "
                f"{cross.source_label}, which cannot be made from {plan.dosing.label}",
                "crossover",
            )
        current[index] = ("diazepam", diazepam)
        rows.append(
            Row(
                step,
                week,
                "crossover",
                start_de,
                take(),
                Fraction(0),
                Fraction(0),
                notes=(f"{labels[index]} dose switched to diazepam; total unchanged",),
            )
        )
    return rows, week


def _dose_labels(count: int) -> list[str]:
    return {
        1: ["Once a day"],
        2: ["Morning", "Night"],
        3: ["Morning", "Midday", "Night"],
        4: ["Morning", "Midday", "Evening", "Night"],
    }[count]


def _region(plan: Plan, dosing: Dosing, below: Fraction, floor: Fraction) -> tuple[int, int]:
    """The multiples k of dosing.unit (lo..hi) with floor <= k × unit < below that this form is used for.

    The main form makes doses above tail_below, the tail those at or below it; tablets make nothing
    beyond their table. Working on this range (never walking it) keeps every query cheap however
    fine the grid: a 0.1 mL syringe of a dilute liquid has millions of doses below a large one.
    """
    unit = dosing.unit
    hi = math.floor(below / unit)
    if hi * unit == below:
        hi -= 1
    lo = max(1, math.ceil(floor / unit))
    if plan.tail is not None and plan.tail is not plan.dosing:
        edge = math.floor(plan.tail_below / unit)  # the largest multiple at or below tail_below
        if dosing is plan.tail:
            hi = min(hi, edge)
        else:
            lo = max(lo, edge + 1)
    if isinstance(dosing, Tablets):
        hi = min(hi, len(table(dosing, 1)[1]) - 1)
    return lo, hi


def _forms(plan: Plan) -> tuple[Dosing, ...]:
    # Both forms, even when they are equal: merging them would hide the tail's doses.
    return tuple(d for d in (plan.dosing, plan.tail) if d is not None)


def _largest_in(plan: Plan, below: Fraction, floor: Fraction) -> Fraction | None:
    """The largest takeable dose in [floor, below), or None."""
    found = []
    for dosing in _forms(plan):
        k = highest(dosing, *_region(plan, dosing, below, floor))
        if k is not None:
            found.append(k * dosing.unit)
    return max(found, default=None)


def _smallest_in(plan: Plan, below: Fraction, floor: Fraction) -> Fraction | None:
    """The smallest takeable dose in [floor, below), or None."""
    found = []
    for dosing in _forms(plan):
        k = lowest(dosing, *_region(plan, dosing, below, floor))
        if k is not None:
            found.append(k * dosing.unit)
    return min(found, default=None)


def _nearest(plan: Plan, below: Fraction, floor: Fraction, target: Fraction) -> Fraction | None:
    """The takeable dose in [floor, below) closest to target (the larger on a tie), or None."""
    found = []
    for dosing in _forms(plan):
        lo, hi = _region(plan, dosing, below, floor)
        at = math.floor(target / dosing.unit)  # multiples up to `at` are at or below the target
        for k in (highest(dosing, lo, min(hi, at)), lowest(dosing, max(lo, at + 1), hi)):
            if k is not None:
                found.append(k * dosing.unit)
    return min(found, key=lambda d: (abs(d - target), -d), default=None)


def _largest_below(plan: Plan, below: Fraction) -> Fraction | None:
    return _largest_in(plan, below, Fraction(0))


def _smallest(plan: Plan) -> Fraction:
    dose = _smallest_in(plan, _start_daily(plan) + 1, Fraction(0))
    if dose is None:
        raise PlanError("no dose up to the starting dose can be made with these forms", "tail")
    return dose


def _uses_tail(plan: Plan, dose: Fraction) -> bool:
    """Whether a row taking `dose` is measured with the tail form (a tail equal to the main form is no switch)."""
    return plan.tail is not None and plan.tail is not plan.dosing and dose > 0 and plan.dosing_for(dose) is plan.tail


def _tail_note(plan: Plan) -> str:
    assert plan.tail is not None
    return f"Switch to {plan.tail.label} for the small doses."


def build(plan: Plan) -> Result:
    """Compute every row; INVARIANTS.md lists what this guarantees."""
    _check_pace(plan)
    start = _start_daily(plan)
    if plan.crossover is not None:
        rows, week = _crossover_rows(plan, start)
    else:
        if not plan.makeable(start):
            raise PlanError(
                f"starting dose {fmt_mg(start)} mg cannot be made from {plan.dosing.label}", "start_doses_mg"
            )
        notes: tuple[str, ...] = (_tail_note(plan),) if _uses_tail(plan, start) else ()
        rows = [Row(0, 0, "start", start, plan.describe(start), Fraction(0), Fraction(0), notes=notes)]
        week = 0
    on_tail = plan.crossover is None and _uses_tail(plan, start)  # a crossover's rows use the main form
    stop_at = plan.stop_at if plan.stop_at is not None else _smallest(plan)
    history: list[tuple[int, Fraction]] = [(week, start)]  # (week from which a dose applies, dose)
    dose = start
    week += plan.interval_weeks
    step = len(rows)
    while dose > 0:
        if step > 400:
            raise PlanError("more than 400 steps: the reduction is too small to finish", "reduction")
        window_start = week - plan.max_cut_weeks
        base = next(d for w, d in reversed(history) if w <= max(window_start, history[0][0]))
        floor = base * (1 - plan.max_cut)
        proportional = plan.method == "proportional"
        target = dose * (1 - plan.amount) if proportional else max(dose - plan.amount, Fraction(0))
        warnings: tuple[str, ...] = ()
        notes = ()
        kind: RowKind
        if dose <= stop_at:
            new, kind = Fraction(0), "final-stop"
            notes = (f"Final step: stop from {fmt_mg(dose)} mg, the smallest dose in this plan.",)
        else:
            kind = "reduction"
            nearest = _nearest(plan, dose, floor, target)
            if nearest is not None:
                new = nearest
                if plan.method == "fixed-step" and dose - new < plan.amount and target < floor:
                    notes = (
                        f"Step made smaller than {fmt_mg(plan.amount)} mg to stay within "
                        f"{fmt_pct(plan.max_cut)}% in {plan.max_cut_weeks} weeks.",
                    )
            else:
                lower = _largest_below(plan, dose)
                if lower is None:
                    new, kind = Fraction(0), "final-stop"
                    notes = (f"Final step: stop from {fmt_mg(dose)} mg, the smallest dose this form can make.",)
                else:
                    new = lower
                    hint = plan.dosing_for(dose).help or plan.help_hint
                    warnings = (
                        f"This cut ({fmt_mg(dose)} → {fmt_mg(new)} mg, {fmt_pct((dose - new) / dose)}%) is bigger "
                        f"than the limit of {fmt_pct(plan.max_cut)}% in {plan.max_cut_weeks} weeks "
                        f"({plan.limit_label}), "
                        f"because {plan.dosing_for(dose).label} cannot make a dose between "
                        f"{fmt_mg(floor)} and {fmt_mg(dose)} mg. {hint[0].upper()}{hint[1:]} "
                        f"would allow a smaller step: ask the prescriber or pharmacist.",
                    )
        take = "Nothing: the taper is complete." if new == 0 else plan.describe(new)
        if not on_tail and _uses_tail(plan, new):
            notes = (*notes, _tail_note(plan))
            on_tail = True
        rows.append(Row(step, week, kind, new, take, (dose - new) / dose, (start - new) / start, warnings, notes))
        history.append((week, new))
        dose = new
        week += plan.interval_weeks
        step += 1
    return Result(plan, "diazepam" if plan.crossover else plan.drug, tuple(rows))
