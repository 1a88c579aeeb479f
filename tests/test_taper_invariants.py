"""The taper engine's invariants (design.md), proved over random plans with hypothesis.

Each property is one promise the site makes about every schedule it prints. Plans are drawn
from realistic tablet strengths and liquids; the conftest profiles run 1,000 examples each in CI
(CI set) and 50 locally.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from fractions import Fraction as F

from hypothesis import assume, given
from hypothesis import strategies as st

from macros.engine import Crossover, Liquid, Plan, PlanError, Result, Tablets, build

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


@st.composite
def direct_plans(draw):
    tabs = draw(tablets())
    start = start_from(draw, tabs)
    max_cut, weeks = draw(st.sampled_from(LIMITS))
    interval = draw(st.integers(1, 4))
    # Only paces within the limit (1-50% or 1-8 units, as the cuts due in one window add up: the
    # engine's own rule). A faster one is refused, which the last test covers, so drawing it here was
    # only thrown away (two draws in five); which plans reach the properties does not change.
    cuts = math.ceil(weeks / interval)
    units = math.floor(max_cut * start / (tabs.unit * cuts))  # the most units a fixed step may take
    if units < 1 or draw(st.booleans()):
        top = max((p for p in range(1, 51) if 1 - (1 - F(p, 100)) ** cuts <= max_cut), default=1)
        method, amount = "proportional", F(draw(st.integers(1, top)), 100)
    else:
        method, amount = "fixed-step", tabs.unit * draw(st.integers(1, min(8, units)))
    tail = draw(st.one_of(st.none(), liquids()))
    below = start * F(draw(st.integers(1, 9)), 10) if tail else F(0)
    plan = Plan(
        "med",
        tabs,
        (start,),
        method,
        amount,
        interval,
        max_cut,
        weeks,
        "the limit",
        tail=tail,
        tail_below=below,
    )
    try:
        built(plan)
    except PlanError:
        assume(False)  # a declared pace above the limit, or a dose the forms cannot make: refused, tested below
    return plan


@st.composite
def crossover_plans(draw):
    source = Tablets("alprazolam", "tablet", (F("0.25"), F("0.5"), F("1"), F("2")), (F("2"),))
    diazepam = Tablets("diazepam", "tablet", (F(2), F(5), F(10)), (F(10),))
    doses = tuple(draw(st.lists(st.sampled_from([F("0.25"), F("0.5"), F("1")]), min_size=1, max_size=3)))
    per_10 = draw(st.sampled_from([F("0.5"), F("1")]))
    cross = Crossover("alprazolam", source, per_10, "a source", draw(st.integers(1, 2)))
    plan = Plan(
        "diazepam",
        diazepam,
        doses,
        "proportional",
        F(draw(st.integers(5, 25)), 100),
        2,
        F(1, 4),
        2,
        "the limit",
        crossover=cross,
    )
    try:
        built(plan)
    except PlanError:
        assume(False)
    return plan


any_plan = st.one_of(direct_plans(), crossover_plans())


@given(any_plan)
def test_doses_never_rise_each_reduction_lowers_the_dose_and_the_last_dose_is_zero(plan):
    rows = built(plan).rows
    for prev, row in itertools.pairwise(rows):
        assert row.daily_mg <= prev.daily_mg
        if row.kind in ("reduction", "final-stop"):
            assert row.daily_mg < prev.daily_mg
    assert rows[-1].daily_mg == 0 and rows[-1].kind == "final-stop"
    assert all(r.daily_mg > 0 for r in rows[:-1])


TAKE = re.compile(r"(\d*)(½?) × ([\d.]+) mg (?:tablet|capsule)s?")
LIQUID = re.compile(r"^([\d.]+) mL of ([\d.]+) mg/([\d.]+ )?mL ")


def taken(text: str, plan: Plan) -> F:
    """What the row's words say to take, added up independently of the engine."""
    if (m := LIQUID.match(text)) is not None:
        liquid = plan.tail if isinstance(plan.tail, Liquid) else plan.dosing
        volume = F(m.group(1))
        assert volume % liquid.measure_ml == 0, f"{volume} mL is not measurable to {liquid.measure_ml} mL"
        return volume * F(m.group(2)) / F(m.group(3) or "1")
    total = F(0)
    tabs = plan.dosing
    for whole, half, strength in TAKE.findall(text):
        s = F(strength)
        assert s in tabs.strengths, f"{s} mg is not a real strength"
        if half:
            assert s in tabs.halvable, f"{s} mg tablets are halved but the label does not allow it"
        total += (int(whole) if whole else 0) * s + (s / 2 if half else 0)
    return total


@given(direct_plans())
def test_every_dose_can_be_taken_with_the_stated_formulation(plan):
    for row in built(plan).rows[:-1]:
        assert taken(row.take, plan) == row.daily_mg, row.take


@given(any_plan)
def test_no_cut_exceeds_the_limit_unless_it_is_the_labelled_final_stop_or_carries_a_warning(plan):
    result = built(plan)
    rows = result.rows
    changes = [r for r in rows if r.kind in ("start", "reduction", "final-stop")]
    start_week = changes[0].week if changes[0].kind == "start" else 0
    crossover_end = max((r.week for r in rows if r.kind == "crossover"), default=start_week)
    history = [(crossover_end, rows[0].daily_mg)]
    for row in rows:
        if row.kind not in ("reduction", "final-stop"):
            continue
        window_start = max(row.week - plan.max_cut_weeks, history[0][0])
        base = next(d for w, d in reversed(history) if w <= window_start)
        within = base - row.daily_mg <= plan.max_cut * base
        if row.kind == "final-stop":
            assert row.notes and row.notes[0].startswith("Final step")
        elif not within:
            assert row.warnings and "limit" in row.warnings[0], f"silent jump at step {row.step}"
        history.append((row.week, row.daily_mg))


@given(any_plan)
def test_each_row_reports_its_cut_from_the_previous_and_the_starting_dose(plan):
    rows = built(plan).rows
    start = rows[0].daily_mg
    assert [r.step for r in rows] == list(range(len(rows)))
    for prev, row in itertools.pairwise(rows):
        assert row.week > prev.week
        assert row.cut_prev == (prev.daily_mg - row.daily_mg) / prev.daily_mg
        assert row.cut_start == (start - row.daily_mg) / start


@given(crossover_plans())
def test_a_crossover_keeps_the_diazepam_equivalent_total_and_ends_on_diazepam_alone(plan):
    rows = built(plan).rows
    cross = plan.crossover
    total = sum((d * 10 / cross.mg_per_diazepam_10 for d in plan.start_doses), F(0))
    switching = [r for r in rows if r.kind in ("start", "crossover")]
    assert all(r.daily_mg == total for r in switching)
    assert len(switching) == len(plan.start_doses) + 1  # one dose of the day at a time
    assert "alprazolam" not in switching[-1].take.replace("diazepam", "")
    assert all("alprazolam" not in r.take for r in rows[len(switching) :])


@given(any_plan)
def test_the_same_plan_always_gives_the_same_rows(plan):
    assert build(plan).rows == built(plan).rows  # a fresh build, and the one the strategy made earlier


@given(direct_plans(), st.integers(2, 6))
def test_a_pace_faster_than_the_limit_is_refused(plan, factor):
    fast = Plan(
        plan.drug,
        plan.dosing,
        plan.start_doses,
        "proportional",
        min(F(99, 100), plan.max_cut * factor),
        1,
        plan.max_cut,
        plan.max_cut_weeks,
        "the limit",
    )
    try:
        build(fast)
    except PlanError as exc:
        assert "pace above its limit" in str(exc)
    else:
        raise AssertionError("a pace above the limit was accepted")
