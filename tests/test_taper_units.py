"""Unit tests for single taper-engine behaviours that the hypothesis properties do not pin down."""

from __future__ import annotations

import time
from fractions import Fraction as F

import pytest

from macros.engine import Crossover, Liquid, Plan, PlanError, Tablets, build

ALPRAZOLAM = Tablets("alprazolam", "tablet", (F("0.25"), F("0.5"), F(1), F(2)), (F(2),))
DIAZEPAM = Tablets("diazepam", "tablet", (F(2), F(5), F(10)), (F(10),))
DIAZEPAM_LIQUID = Liquid("diazepam", "oral solution", F(2), F(5), F("0.1"))
SWITCH = f"Switch to {DIAZEPAM_LIQUID.label} for the small doses."


def _plan(**changes) -> Plan:
    base = {
        "drug": "diazepam",
        "dosing": DIAZEPAM,
        "start_doses": (F(20),),
        "method": "proportional",
        "amount": F(1, 10),
        "interval_weeks": 2,
        "max_cut": F(1, 4),
        "max_cut_weeks": 2,
        "tail": DIAZEPAM_LIQUID,
        "tail_below": F(4),
    }
    return Plan(**{**base, **changes})


def _switch_rows(plan: Plan) -> list[int]:
    return [r.step for r in build(plan).rows if SWITCH in r.notes]


def _uses_liquid(take: str) -> bool:
    return " mL of " in take


def test_a_direct_taper_notes_the_switch_on_the_first_liquid_row():
    rows = build(_plan()).rows
    first = next(r for r in rows if _uses_liquid(r.take))
    assert _switch_rows(_plan()) == [first.step]


def test_a_crossover_ending_below_the_tail_threshold_still_notes_the_switch():
    """Alprazolam 0.25 mg ≈ diazepam 5 mg, already below a tail at 5 mg: the first reduction uses the liquid."""
    cross = Crossover("alprazolam", ALPRAZOLAM, F("0.5"), "Ashton Manual", 1)
    plan = _plan(start_doses=(F("0.25"),), crossover=cross, tail_below=F(5))
    rows = build(plan).rows
    first = next(r for r in rows if _uses_liquid(r.take))
    assert first.kind == "reduction" and rows[first.step - 1].kind == "crossover"
    assert _switch_rows(plan) == [first.step]


def test_a_direct_taper_that_starts_on_the_liquid_notes_it_on_the_start_row():
    plan = _plan(start_doses=(F(4),))
    rows = build(plan).rows
    assert _uses_liquid(rows[0].take)
    assert _switch_rows(plan) == [0]


def test_no_switch_note_without_a_tail():
    assert _switch_rows(_plan(tail=None, tail_below=F(0))) == []


DILUTE = Liquid("testazepam", "oral solution", F("0.1"), F(5), F("0.1"))  # 0.002 mg per 0.1 mL


def _timed_build(plan: Plan) -> float:
    began = time.perf_counter()
    try:
        build(plan)
    finally:
        elapsed = time.perf_counter() - began
    return elapsed


def test_a_huge_dose_on_a_fine_liquid_grid_fails_fast_with_a_clear_message():
    """5,000 mg in 0.002 mg measures is 2.5 million doses: the engine must not walk them."""
    plan = _plan(
        drug="testazepam",
        dosing=DILUTE,
        tail=None,
        tail_below=F(0),
        start_doses=(F(5000),),
        method="fixed-step",
        amount=F(1),
    )
    began = time.perf_counter()
    with pytest.raises(PlanError, match="more than 400 steps") as exc:
        build(plan)
    assert time.perf_counter() - began < 3
    assert exc.value.field == "reduction"


def test_a_huge_dose_on_a_fine_liquid_grid_that_can_work_builds_quickly():
    plan = _plan(drug="testazepam", dosing=DILUTE, tail=None, tail_below=F(0), start_doses=(F(5000),))
    assert _timed_build(plan) < 3
    assert build(plan).rows[-1].daily_mg == 0


def test_tablet_strengths_too_far_apart_to_combine_are_refused_fast():
    tabs = Tablets("testazepam", "tablet", (F("0.001"), F(1000)), ())
    plan = _plan(drug="testazepam", dosing=tabs, tail=None, tail_below=F(0), start_doses=(F(1000),))
    began = time.perf_counter()
    with pytest.raises(PlanError, match="too far apart to combine") as exc:
        build(plan)
    assert time.perf_counter() - began < 3
    assert exc.value.field == "formulation"
