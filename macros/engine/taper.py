"""The taper engine: turns a plan's parameters into the rows of a schedule, dose by dose.

Pure and exact (fractions, never floats) so the same plan always gives the same rows and a
test can prove each promise in INVARIANTS.md. Rows are data (each dose of the day, the cut,
codes for notes and warnings); words.py turns them into text. It knows nothing about files,
YAML or MkDocs; macros/schedules/plans.py builds its input from the data.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from .dosing import Dosing, Liquid, Tablets, highest, lowest, table
from .errors import PlanError
from .fmt import fmt_mg, fmt_pct

MAX_STEPS = 400
MAX_WEEKS = 520  # ten years: a plan longer than this is a pace or form problem, not a schedule
MAX_HOLD_WEEKS = 52

TIMES: dict[int, tuple[str, ...]] = {
    1: ("once",),
    2: ("morning", "night"),
    3: ("morning", "midday", "night"),
    4: ("morning", "midday", "evening", "night"),
}

Value = Fraction | int | str
Method = Literal["proportional", "fixed-step", "banded"]


@dataclass(frozen=True)
class Note:
    """A note or warning as a code and its values; words.py says it."""

    code: str
    args: tuple[tuple[str, Value], ...] = ()

    @classmethod
    def of(cls, code: str, **args: Value) -> Note:
        return cls(code, tuple(args.items()))

    def __getitem__(self, key: str) -> Value:
        return dict(self.args)[key]


@dataclass(frozen=True)
class Crossover:
    """Replace the starting drug with diazepam one dose at a time, last dose of the day first."""

    from_drug: str
    from_dosing: Dosing
    mg_per_diazepam_10: Fraction  # by the declared source
    source_label: str
    step_weeks: int


@dataclass(frozen=True)
class End:
    """The sourced end point: a plan stops only from this daily dose or below (or warns).

    `mg` is in the drug being reduced; `diazepam_mg` the threshold as the source states it, and
    `equivalence` names the equivalence used to convert it ("" for diazepam itself).
    """

    mg: Fraction
    diazepam_mg: Fraction
    source_label: str
    equivalence: str = ""


@dataclass(frozen=True)
class Plan:
    """Everything the engine needs; built from data by plans.py (or by tests directly)."""

    drug: str  # the drug being reduced (diazepam after a crossover)
    dosing: Dosing
    start_doses: tuple[Fraction, ...]  # of the starting drug, each dose of the day in order
    method: Method
    amount: Fraction  # fraction of the current dose (proportional) or mg (fixed-step); unused when banded
    interval_weeks: int
    max_cut: Fraction  # e.g. 1/4
    max_cut_weeks: int  # e.g. 2: no more than max_cut in any window of this many weeks
    end: End
    limit_label: str = "the pace limit"
    crossover: Crossover | None = None
    tail: Dosing | None = None  # a second form for the doses the first cannot make
    tail_below: Fraction | None = None  # the tail is used only for a dose at or below this (None: any)
    stop_at: Fraction | None = None  # the reader's chosen end (default: end.mg)
    bands: tuple[tuple[Fraction, Fraction], ...] = ()  # banded: (above this daily dose, cut this many mg)
    holds: tuple[tuple[int, int], ...] = ()  # (step, extra weeks) the reader chose: dates move, doses do not
    help_hint: str = "a lower strength or a liquid form"

    @property
    def stop_from(self) -> Fraction:
        return self.stop_at if self.stop_at is not None else self.end.mg


@dataclass(frozen=True)
class Dose:
    """One dose of the day: what to take at `time`, and with which form (None when it is 0)."""

    time: str
    drug: str
    mg: Fraction
    form: Dosing | None

    @property
    def pieces(self) -> tuple[tuple[Fraction, int], ...] | None:
        """(strength, halves) pairs for tablets; None for a liquid or nothing."""
        return self.form.combo(self.mg) if isinstance(self.form, Tablets) else None

    @property
    def ml(self) -> Fraction | None:
        return self.mg * self.form.ml / self.form.mg if isinstance(self.form, Liquid) else None


RowKind = Literal["start", "crossover", "reduction", "final-stop"]


@dataclass(frozen=True)
class Row:
    step: int
    week: int
    kind: RowKind
    doses: tuple[Dose, ...]
    daily_mg: Fraction  # of `unit_drug`; diazepam-equivalent mg during a crossover
    cut_prev: Fraction  # fraction of the previous day's total
    cut_start: Fraction  # fraction of the starting total, cumulative
    warnings: tuple[Note, ...] = ()
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Result:
    plan: Plan
    unit_drug: str
    rows: tuple[Row, ...] = field(default_factory=tuple)

    @property
    def weeks(self) -> int:
        return self.rows[-1].week

    @property
    def warnings(self) -> tuple[Note, ...]:
        return tuple(w for r in self.rows for w in r.warnings)

    @property
    def last_dose(self) -> Fraction:
        """The daily dose the plan stops from."""
        return self.rows[-2].daily_mg if len(self.rows) > 1 else self.rows[0].daily_mg

    def reductions(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.kind == "reduction")

    def largest_window_cut(self, weeks: int) -> Fraction:
        """The largest share cut in any `weeks` weeks before the final stop (0 for a plan of one step)."""
        taper = [r for r in self.rows if r.kind in ("reduction",)]
        if not taper:
            return Fraction(0)
        changes = [(r.week, r.daily_mg) for r in self.rows if r.kind != "final-stop"]
        worst = Fraction(0)
        for row in taper:
            base = dose_at(changes, row.week - weeks)
            worst = max(worst, (base - row.daily_mg) / base)
        return worst


def dose_at(history: list[tuple[int, Fraction]], week: int) -> Fraction:
    """The dose in effect at `week` (the first dose for any week before the plan)."""
    return next((d for w, d in reversed(history) if w <= week), history[0][1])


# --------------------------------------------------------------------------- checks


def _check_pace(plan: Plan, start: Fraction) -> None:
    """A declared pace faster than the limit is a data error, not something to round away."""
    if plan.interval_weeks < 1 or plan.max_cut_weeks < 1:
        raise PlanError("intervals are whole weeks, at least 1")
    if plan.method == "banded":
        if not plan.bands or any(step <= 0 for _above, step in plan.bands):
            raise PlanError("banded steps need at least one band, each cutting more than 0 mg", "reduction")
        return
    if plan.amount <= 0:
        raise PlanError("the reduction must be above 0", "reduction")
    steps_per_window = math.ceil(plan.max_cut_weeks / plan.interval_weeks)
    if plan.method == "proportional":
        if plan.amount >= 1:
            raise PlanError("a proportional cut must be below 100%", "reduction")
        window_cut = 1 - (1 - plan.amount) ** steps_per_window
    else:
        window_cut = min(Fraction(1), plan.amount * steps_per_window / start)
    if window_cut > plan.max_cut:
        raise PlanError(
            f"pace above its limit: {fmt_pct(window_cut)}% in {plan.max_cut_weeks} weeks, but "
            f"{plan.limit_label} allows at most {fmt_pct(plan.max_cut)}% in {plan.max_cut_weeks} weeks; "
            f"use a smaller reduction or a longer interval",
            "reduction",
        )


def _check_end(plan: Plan) -> None:
    if plan.end.mg <= 0 or (plan.stop_at is not None and plan.stop_at <= 0):
        raise PlanError("the dose to stop from must be above 0 mg", "stop_at")


def _start_daily(plan: Plan) -> Fraction:
    if plan.crossover is None:
        return sum(plan.start_doses, Fraction(0))
    return sum((_diazepam(plan.crossover, d) for d in plan.start_doses), Fraction(0))


def _diazepam(cross: Crossover, mg: Fraction) -> Fraction:
    return mg * 10 / cross.mg_per_diazepam_10


# --------------------------------------------------------------------------- doses a form can make


def _grid(dosing: Dosing, lo: Fraction, hi: Fraction) -> tuple[int, int]:
    """The multiples k of dosing.unit with lo <= k × unit < hi (k >= 1), within a tablet set's table.

    Working on this range (never walking it) keeps every query cheap however fine the grid: a
    0.1 mL syringe of a dilute liquid has millions of doses below a large one.
    """
    unit = dosing.unit
    k_hi = math.floor(hi / unit)
    if k_hi * unit == hi:
        k_hi -= 1
    k_lo = max(1, math.ceil(lo / unit))
    if isinstance(dosing, Tablets):
        k_hi = min(k_hi, len(table(dosing, 1)[1]) - 1)
    return k_lo, k_hi


def _smallest(dosing: Dosing, lo: Fraction, hi: Fraction) -> Fraction | None:
    """The smallest dose this form makes in [lo, hi), or None."""
    k = lowest(dosing, *_grid(dosing, lo, hi))
    return None if k is None else k * dosing.unit


def _largest(dosing: Dosing, lo: Fraction, hi: Fraction) -> Fraction | None:
    """The largest dose this form makes in [lo, hi), or None."""
    k = highest(dosing, *_grid(dosing, lo, hi))
    return None if k is None else k * dosing.unit


# --------------------------------------------------------------------------- the taper


@dataclass
class _Slot:
    """One time of day while the taper runs: its dose, and whether it has moved to the tail form."""

    time: str
    drug: str
    mg: Fraction
    on_tail: bool = False
    from_dosing: Dosing | None = None  # the starting drug's form, until a crossover switches this dose


@dataclass(frozen=True)
class _Choice:
    slot: int
    mg: Fraction
    on_tail: bool


class _Taper:
    """The state of one build: the doses of the day, the weeks each total took effect, the rows."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.start = _start_daily(plan)
        self.rows: list[Row] = []
        self.slots: list[_Slot] = []
        self.history: list[tuple[int, Fraction]] = []

    # -- what a dose is taken with

    def tail_allowed(self, mg: Fraction) -> bool:
        plan = self.plan
        return plan.tail is not None and (plan.tail_below is None or mg <= plan.tail_below)

    def form_of(self, slot: _Slot) -> Dosing | None:
        if slot.mg == 0:
            return None
        if slot.from_dosing is not None:
            return slot.from_dosing
        return self.plan.tail if slot.on_tail else self.plan.dosing

    def doses(self) -> tuple[Dose, ...]:
        return tuple(Dose(s.time, s.drug, s.mg, self.form_of(s)) for s in self.slots)

    def total(self) -> Fraction:
        if self.plan.crossover is None:
            return sum((s.mg for s in self.slots), Fraction(0))
        cross = self.plan.crossover
        return sum((s.mg if s.from_dosing is None else _diazepam(cross, s.mg) for s in self.slots), Fraction(0))

    def place(self, mg: Fraction, time: str) -> bool:
        """Whether `mg` goes on the tail form (False: the main form); PlanError if neither makes it."""
        plan = self.plan
        if plan.dosing.makeable(mg):
            return False
        if plan.tail is not None and self.tail_allowed(mg) and plan.tail.makeable(mg):
            return True
        raise PlanError(
            f"starting {time} dose {fmt_mg(mg)} mg cannot be made from {plan.dosing.label}", "start_doses_mg"
        )

    # -- rows

    def add(
        self, kind: RowKind, week: int, prev: Fraction, notes: Iterable[Note] = (), warnings: Iterable[Note] = ()
    ) -> None:
        total = self.total()
        cut_prev = (prev - total) / prev if prev else Fraction(0)
        cut_start = (self.start - total) / self.start
        self.rows.append(
            Row(len(self.rows), week, kind, self.doses(), total, cut_prev, cut_start, tuple(warnings), tuple(notes))
        )
        self.history.append((week, total))

    def begin(self) -> int:
        """The start row (and a crossover's switch rows); returns the week the taper starts from."""
        plan = self.plan
        times = TIMES.get(len(plan.start_doses))
        if times is None:
            raise PlanError(f"a plan has 1 to 4 doses a day, not {len(plan.start_doses)}", "start_doses_mg")
        cross = plan.crossover
        if cross is None:
            for time, mg in zip(times, plan.start_doses, strict=True):
                if mg <= 0:
                    raise PlanError(f"each dose must be above 0 mg (the {time} dose is {fmt_mg(mg)})", "start_doses_mg")
                self.slots.append(_Slot(time, plan.drug, mg, on_tail=self.place(mg, time)))
            tails = [self.tail_note(s.time) for s in self.slots if s.on_tail]
            self.add("start", 0, Fraction(0), notes=tails)
            return 0
        for time, mg in zip(times, plan.start_doses, strict=True):
            if mg <= 0 or not cross.from_dosing.makeable(mg):
                raise PlanError(
                    f"starting {time} dose {fmt_mg(mg)} mg cannot be made from {cross.from_dosing.label}",
                    "start_doses_mg",
                )
            self.slots.append(_Slot(time, cross.from_drug, mg, from_dosing=cross.from_dosing))
        from_total = sum(plan.start_doses, Fraction(0))
        self.add(
            "start",
            0,
            Fraction(0),
            notes=[
                Note.of(
                    "equivalence", drug=cross.from_drug, mg=from_total, diazepam=self.start, source=cross.source_label
                )
            ],
        )
        week = 0
        for slot in reversed(self.slots):
            week += cross.step_weeks
            diazepam = _diazepam(cross, slot.mg)
            if not plan.dosing.makeable(diazepam):
                raise PlanError(
                    f"crossover: {cross.from_drug} {fmt_mg(slot.mg)} mg ≈ diazepam {fmt_mg(diazepam)} mg by "
                    f"{cross.source_label}, which cannot be made from {plan.dosing.label}",
                    "crossover",
                )
            slot.drug, slot.mg, slot.from_dosing = plan.drug, diazepam, None
            self.add("crossover", week, self.start, notes=[Note.of("switched", time=slot.time)])
        return week

    # -- one cut

    def target(self, total: Fraction) -> Fraction:
        plan = self.plan
        if plan.method == "proportional":
            return total * (1 - plan.amount)
        return total - self.step_mg(total)

    def step_mg(self, total: Fraction) -> Fraction:
        plan = self.plan
        if plan.method == "banded":
            return next((step for above, step in plan.bands if total > above), plan.bands[-1][1])
        return plan.amount

    def intervals_for(self, total: Fraction, new: Fraction) -> int:
        """How many intervals a cut from `total` to `new` needs for the pace over time to stay as asked."""
        plan = self.plan
        if plan.method == "proportional":
            k, kept = 1, 1 - plan.amount
            while kept > new / total:
                k, kept = k + 1, kept * (1 - plan.amount)
            return k
        return math.ceil((total - new) / self.step_mg(total))

    def options(self, slot: _Slot, lo: Fraction, hi: Fraction, smallest: bool) -> list[_Choice]:
        """The dose (smallest or largest) each allowed form makes for this slot in [lo, hi), main form first."""
        plan = self.plan
        index = self.slots.index(slot)
        forms: list[tuple[Dosing, bool]] = [] if slot.on_tail else [(plan.dosing, False)]
        if plan.tail is not None:
            forms.append((plan.tail, True))
        out = []
        for dosing, tail in forms:
            top = hi
            if tail and not slot.on_tail and plan.tail_below is not None:  # a new tail dose: at or below tail_below
                top = min(hi, (math.floor(plan.tail_below / dosing.unit) + 1) * dosing.unit)
            found = (_smallest if smallest else _largest)(dosing, lo, top)
            if found is not None:
                out.append(_Choice(index, found, tail))
        return out

    def choose(self, week: int) -> tuple[_Choice, int, tuple[Note, ...], tuple[Note, ...]]:
        """The next cut: within the asked pace if a form allows it, else held longer, else warned.

        One dose is cut at a time, the earliest of the day first (NHS Scotland's example lowers the
        morning dose to nothing before the night dose); stopping a dose that is not the last is a cut
        like any other.
        """
        plan = self.plan
        total = self.total()
        slot = next(s for s in self.slots if s.mg > 0)
        rest = total - slot.mg
        base = dose_at(self.history, week - plan.max_cut_weeks)
        floor = base * (1 - plan.max_cut)
        target = self.target(total)
        low = max(target, floor) - rest  # the smallest dose of this slot within the pace
        can_stop = rest > 0  # stopping this dose is a cut (only the last dose's stop is the final step)
        notes: tuple[Note, ...] = ()
        # 1. A dose within the asked pace (and the limit): the main form first, then the tail.
        if can_stop and low <= 0:
            return _Choice(self.slots.index(slot), Fraction(0), slot.on_tail), 1, (), ()
        within = self.options(slot, max(low, Fraction(0)), slot.mg, smallest=True)
        if within:
            choice = within[0]
            if plan.method != "proportional" and target < floor and total - (rest + choice.mg) < self.step_mg(total):
                notes = (Note.of("step-capped", step=self.step_mg(total)),)
            return choice, 1, notes, ()
        # 2. The smallest cut the forms allow, held long enough that the pace over time is as asked.
        below = self.options(slot, Fraction(0), min(max(low, Fraction(0)), slot.mg), smallest=False)
        candidates = below + ([_Choice(self.slots.index(slot), Fraction(0), slot.on_tail)] if can_stop else [])
        if candidates:
            choice = max(candidates, key=lambda c: c.mg)  # main form first on a tie (max keeps the first)
            new = rest + choice.mg
            if new >= total * (1 - plan.max_cut):
                k = self.intervals_for(total, new)
                while new < dose_at(self.history, week + (k - 1) * plan.interval_weeks - plan.max_cut_weeks) * (
                    1 - plan.max_cut
                ):
                    k += 1
                if k > 1:
                    notes = (Note.of("held", weeks=k * plan.interval_weeks, usual=plan.interval_weeks),)
                return choice, k, notes, ()
            # 3. Nothing within the limit: the smallest cut there is, with a warning that says so.
            return choice, 1, (), (self.cut_warning(total, new, floor),)
        return _Choice(-1, Fraction(0), False), 1, (), ()  # no smaller dose at all: the final stop

    def cut_warning(self, total: Fraction, new: Fraction, floor: Fraction) -> Note:
        plan = self.plan
        return Note.of(
            "cut-above-limit",
            before=total,
            after=new,
            cut=(total - new) / total,
            floor=floor,
            limit=plan.max_cut,
            weeks=plan.max_cut_weeks,
            limit_label=plan.limit_label,
            form=plan.dosing.label if plan.tail is None else f"{plan.dosing.label} or {plan.tail.label}",
            hint=self.hint(),
        )

    def tail_note(self, time: str) -> Note:
        assert self.plan.tail is not None
        return Note.of("tail", time=time, form=self.plan.tail.label)

    def hint(self) -> str:
        plan = self.plan
        if plan.tail is not None and isinstance(plan.tail, Liquid):
            return plan.tail.help
        return plan.dosing.help or plan.help_hint

    def stop(self, week: int, total: Fraction, warned: bool) -> None:
        plan = self.plan
        notes = [Note.of("stop", mg=total, end=plan.stop_from)]
        warnings = []
        if total > plan.end.mg:
            warnings.append(
                Note.of(
                    "stop-above-end",
                    mg=total,
                    end=plan.end.mg,
                    diazepam=plan.end.diazepam_mg,
                    source=plan.end.source_label,
                    equivalence=plan.end.equivalence,
                    smallest=int(warned),
                    hint=self.hint(),
                )
            )
        for s in self.slots:
            s.mg = Fraction(0)
        self.add("final-stop", week, total, notes=notes, warnings=warnings)

    def run(self) -> list[Row]:
        plan = self.plan
        _check_end(plan)
        _check_pace(plan, self.start)
        week = self.begin()
        while self.total() > 0:
            if len(self.rows) > MAX_STEPS:
                raise PlanError(f"more than {MAX_STEPS} steps: the reduction is too small to finish", "reduction")
            if week > MAX_WEEKS:
                raise PlanError(
                    f"the plan would run past {MAX_WEEKS // 52} years: use a larger reduction, "
                    "a shorter interval or a form that makes smaller doses",
                    "reduction",
                )
            total = self.total()
            due = week + plan.interval_weeks
            if total <= plan.stop_from:
                self.stop(due, total, warned=False)
                break
            choice, k, notes, warnings = self.choose(due)
            if choice.slot < 0:
                self.stop(due, total, warned=True)
                break
            slot = self.slots[choice.slot]
            extra = list(notes)
            if choice.mg == 0:
                extra.append(Note.of("dose-stopped", time=slot.time))
            elif choice.on_tail and not slot.on_tail:
                extra.append(self.tail_note(slot.time))
            slot.mg, slot.on_tail = choice.mg, choice.on_tail
            week += k * plan.interval_weeks
            self.add("reduction", week, total, notes=extra, warnings=warnings)
        return self.rows


def _apply_holds(plan: Plan, rows: list[Row]) -> list[Row]:
    """The reader's holds: every later row moves by the weeks held; no dose changes."""
    extra: dict[int, int] = {}
    for step, weeks in plan.holds:
        if not 0 <= step < len(rows) - 1:
            raise PlanError(f"a hold must be at a step from 0 to {len(rows) - 2}, not {step}", "holds")
        if not 1 <= weeks <= MAX_HOLD_WEEKS:
            raise PlanError(f"a hold is 1 to {MAX_HOLD_WEEKS} weeks, not {weeks}", "holds")
        extra[step] = extra.get(step, 0) + weeks
    shift = 0
    out = []
    for row in rows:
        moved = row.week + shift
        notes = row.notes
        if row.step in extra:
            shift += extra[row.step]
            notes = (*notes, Note.of("reader-hold", weeks=extra[row.step]))
        out.append(
            Row(row.step, moved, row.kind, row.doses, row.daily_mg, row.cut_prev, row.cut_start, row.warnings, notes)
        )
    return out


def build(plan: Plan) -> Result:
    """Compute every row; INVARIANTS.md lists what this guarantees."""
    rows = _apply_holds(plan, _Taper(plan).run())
    return Result(plan, "diazepam" if plan.crossover else plan.drug, tuple(rows))
