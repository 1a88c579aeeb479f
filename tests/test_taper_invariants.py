"""The taper engine's invariants (design.md), proved over random plans with hypothesis.

Each property is one promise the site makes about every schedule it prints. Plans are drawn
from realistic tablet strengths and liquids; the conftest profiles run 1,000 examples each in CI
(CI set) and 50 locally.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import replace
from fractions import Fraction as F

from hypothesis import assume, given
from hypothesis import strategies as st

from macros.engine import Crossover, End, Liquid, Plan, PlanError, Result, Tablets, build, words
from macros.engine.dosing import MAX_PIECES
from macros.engine.taper import dose_at

STRENGTHS = [F(s) for s in ("0.25", "0.5", "1", "2", "2.5", "3.75", "5", "7.5", "10", "15")]
LIMITS = [(F(1, 4), 2), (F(1, 10), 1), (F(1, 2), 4)]


@functools.lru_cache(maxsize=128)
def built(plan: Plan) -> Result:
    """build(plan), remembered: the strategies build every plan to keep only those the engine accepts,
    and the property then checks that same (frozen) result rather than building it a second time."""
    return build(plan)


@st.composite
def tablets(draw, drug="med"):
    strengths = tuple(sorted(draw(st.sets(st.sampled_from(STRENGTHS), min_size=1, max_size=3))))
    halvable = tuple(s for s in strengths if draw(st.booleans()))
    return Tablets(drug, "tablet", strengths, halvable)


@st.composite
def liquids(draw, drug="med"):
    mg, ml = draw(st.sampled_from([(F(2), F(5)), (F(5), F(5)), (F(2), F(1)), (F(1, 2), F(5))]))
    return Liquid(drug, "oral solution", mg, ml, draw(st.sampled_from([F(1, 10), F(1, 20), F(1, 5)])))


def start_from(draw, tabs: Tablets) -> F:
    pieces = [s for s in tabs.strengths] + [s / 2 for s in tabs.halvable]
    return sum(draw(st.lists(st.sampled_from(pieces), min_size=1, max_size=4)), F(0))


END = End(F(1, 2), F(1), "a source")


@st.composite
def direct_plans(draw):
    tabs = draw(tablets())
    doses = tuple(start_from(draw, tabs) for _ in range(draw(st.integers(1, 3))))
    start = sum(doses, F(0))
    max_cut, weeks = draw(st.sampled_from(LIMITS))
    interval = draw(st.integers(1, 4))
    # Only paces within the limit (1-50% or 1-8 units, as the cuts due in one window add up: the
    # engine's own rule). A faster one is refused, which the last test covers.
    cuts = math.ceil(weeks / interval)
    units = math.floor(max_cut * start / (tabs.unit * cuts))  # the most units a fixed step may take
    if units < 1 or draw(st.booleans()):
        top = max((p for p in range(1, 51) if 1 - (1 - F(p, 100)) ** cuts <= max_cut), default=1)
        method, amount = "proportional", F(draw(st.integers(1, top)), 100)
    else:
        method, amount = "fixed-step", tabs.unit * draw(st.integers(1, min(8, units)))
    tail = draw(st.one_of(st.none(), liquids()))
    below = draw(st.one_of(st.none(), st.just(start * F(draw(st.integers(1, 9)), 10)))) if tail else None
    end = End(start * F(draw(st.integers(1, 40)), 100), F(1), "a source")
    stop_at = draw(st.one_of(st.none(), st.just(start * F(draw(st.integers(1, 30)), 100))))
    plan = Plan(
        "med",
        tabs,
        doses,
        method,
        amount,
        interval,
        max_cut,
        weeks,
        end,
        "the limit",
        tail=tail,
        tail_below=below,
        stop_at=stop_at,
    )
    try:
        rows = built(plan).rows
    except PlanError:
        assume(False)  # a plan past the step or week limits, or a dose the forms cannot make: refused
    holds = tuple(
        (draw(st.integers(0, len(rows) - 2)), draw(st.integers(1, 8))) for _ in range(draw(st.integers(0, 2)))
    )
    return replace(plan, holds=holds)


@st.composite
def crossover_plans(draw):
    source = Tablets("alprazolam", "tablet", (F("0.25"), F("0.5"), F("1"), F("2")), (F("2"),))
    diazepam = Tablets("diazepam", "tablet", (F(2), F(5), F(10)), (F(10),))
    doses = tuple(draw(st.lists(st.sampled_from([F("0.25"), F("0.5"), F("1")]), min_size=1, max_size=3)))
    per_10 = draw(st.sampled_from([F("0.5"), F("1")]))
    cross = Crossover("alprazolam", source, per_10, "a source", draw(st.integers(1, 2)))
    tail = draw(st.one_of(st.none(), liquids("diazepam")))
    plan = Plan(
        "diazepam",
        diazepam,
        doses,
        "proportional",
        F(draw(st.integers(5, 25)), 100),
        2,
        F(1, 4),
        2,
        End(F(1), F(1), "a source"),
        "the limit",
        crossover=cross,
        tail=tail,
    )
    try:
        built(plan)
    except PlanError:
        assume(False)
    return plan


any_plan = st.one_of(direct_plans(), crossover_plans())


def codes(notes) -> set[str]:
    return {n.code for n in notes}


@given(any_plan)
def test_doses_never_rise_each_reduction_lowers_the_dose_and_the_last_dose_is_zero(plan):
    rows = built(plan).rows
    for prev, row in itertools.pairwise(rows):
        assert row.daily_mg <= prev.daily_mg
        if row.kind in ("reduction", "final-stop"):
            assert row.daily_mg < prev.daily_mg
            assert all(d.mg <= p.mg for d, p in zip(row.doses, prev.doses, strict=True))
            assert sum(d.mg != p.mg for d, p in zip(row.doses, prev.doses, strict=True)) == 1 or (
                row.kind == "final-stop"
            ), "a reduction cuts one dose of the day"
    assert rows[-1].daily_mg == 0 and rows[-1].kind == "final-stop"
    assert all(r.daily_mg > 0 for r in rows[:-1])


def made(dose) -> F:
    """What a dose's pieces or millilitres add up to, checked against the form independently of it."""
    form = dose.form
    if isinstance(form, Liquid):
        assert dose.ml % form.measure_ml == 0, f"{dose.ml} mL is not measurable to {form.measure_ml} mL"
        return dose.ml * form.mg / form.ml
    total, count = F(0), 0
    for strength, halves in dose.pieces:
        assert strength in form.strengths, f"{strength} mg is not a real strength"
        if halves % 2:
            assert strength in form.halvable, f"{strength} mg tablets are halved but the label does not allow it"
        total += strength * halves / 2
        count += halves // 2 + halves % 2
    assert count <= MAX_PIECES
    return total


@given(direct_plans())
def test_every_dose_of_every_time_can_be_taken_and_the_doses_add_up_to_the_total(plan):
    for row in built(plan).rows[:-1]:
        for dose in row.doses:
            assert dose.mg == 0 or made(dose) == dose.mg, dose
        assert sum(d.mg for d in row.doses) == row.daily_mg


def _reader_held(rows) -> dict[int, int]:
    return {r.step: int(n["weeks"]) for r in rows for n in r.notes if n.code == "reader-hold"}


@given(any_plan)
def test_no_cut_exceeds_the_asked_pace_unless_its_row_says_so(plan):
    """Honest pace: over the weeks since the last change the cut is within what was asked, or the row
    is warned; a cut that comes later than the usual interval says so."""
    rows = built(plan).rows
    held = _reader_held(rows)
    for prev, row in itertools.pairwise(rows):
        if row.kind != "reduction":
            continue
        gap = row.week - prev.week - held.get(prev.step, 0)
        k = gap // plan.interval_weeks
        assert gap % plan.interval_weeks == 0 and k >= 1
        if plan.method == "proportional":
            within = row.daily_mg >= prev.daily_mg * (1 - plan.amount) ** k
        else:
            within = prev.daily_mg - row.daily_mg <= plan.amount * k
        assert within or "cut-above-limit" in codes(row.warnings), f"silent cut at step {row.step}"
        if k > 1:
            assert "held" in codes(row.notes), f"step {row.step} comes late without saying so"


@given(any_plan)
def test_no_cut_exceeds_the_limit_unless_its_row_carries_a_warning(plan):
    result = built(plan)
    unheld = build(replace(plan, holds=())).rows
    history = [(r.week, r.daily_mg) for r in unheld if r.kind != "final-stop"]
    for row in unheld:
        if row.kind != "reduction":
            continue
        base = dose_at(history, row.week - plan.max_cut_weeks)
        within = base - row.daily_mg <= plan.max_cut * base
        assert within or "cut-above-limit" in codes(row.warnings), f"silent jump at step {row.step}"
    assert result.largest_window_cut(plan.max_cut_weeks) <= plan.max_cut or result.warnings


@given(any_plan)
def test_the_last_step_stops_from_the_end_point_or_below_or_is_warned(plan):
    rows = built(plan).rows
    last, stop = rows[-2], rows[-1]
    assert "stop" in codes(stop.notes)
    if last.daily_mg > plan.end.mg:
        assert "stop-above-end" in codes(stop.warnings), "a stop from above the end point, unwarned"
    else:
        assert "stop-above-end" not in codes(stop.warnings)


@given(any_plan)
def test_each_row_reports_its_cut_from_the_previous_and_the_starting_dose(plan):
    rows = built(plan).rows
    start = rows[0].daily_mg
    assert [r.step for r in rows] == list(range(len(rows)))
    for prev, row in itertools.pairwise(rows):
        assert row.week > prev.week
        assert row.cut_prev == (prev.daily_mg - row.daily_mg) / prev.daily_mg
        assert row.cut_start == (start - row.daily_mg) / start


@given(any_plan)
def test_every_note_and_warning_has_words(plan):
    result = built(plan)
    for row in result.rows:
        assert all(words.notes(row, plan)) and all(words.warnings(row, plan))
        assert words.take(row)
    assert words.summary(result)


@given(direct_plans())
def test_holds_only_move_later_dates(plan):
    held, plain = built(plan).rows, build(replace(plan, holds=())).rows
    assert [(r.kind, r.doses, r.daily_mg) for r in held] == [(r.kind, r.doses, r.daily_mg) for r in plain]
    extra = 0
    weeks = _reader_held(held)
    for h, p in zip(held, plain, strict=True):
        assert h.week == p.week + extra
        extra += weeks.get(h.step, 0)


@given(crossover_plans())
def test_a_crossover_keeps_the_diazepam_equivalent_total_and_ends_on_diazepam_alone(plan):
    rows = built(plan).rows
    cross = plan.crossover
    total = sum((d * 10 / cross.mg_per_diazepam_10 for d in plan.start_doses), F(0))
    switching = [r for r in rows if r.kind in ("start", "crossover")]
    assert all(r.daily_mg == total for r in switching)
    assert len(switching) == len(plan.start_doses) + 1  # one dose of the day at a time
    for before, after in itertools.pairwise(switching):
        changed = [a for b, a in zip(before.doses, after.doses, strict=True) if a.drug != b.drug]
        assert len(changed) == 1 and changed[0].drug == "diazepam"
    assert all(d.drug == "diazepam" for r in rows[len(switching) - 1 :] for d in r.doses)


@given(any_plan)
def test_the_same_plan_always_gives_the_same_rows(plan):
    assert build(plan).rows == built(plan).rows  # a fresh build, and the one the strategy made earlier


@given(direct_plans(), st.integers(2, 6))
def test_a_pace_faster_than_the_limit_is_refused(plan, factor):
    fast = replace(plan, method="proportional", amount=min(F(99, 100), plan.max_cut * factor), interval_weeks=1)
    try:
        build(fast)
    except PlanError as exc:
        assert "pace above its limit" in str(exc)
    else:
        raise AssertionError("a pace above the limit was accepted")
