"""Unit tests for single taper-engine behaviours that the hypothesis properties do not pin down."""

from __future__ import annotations

import time
from dataclasses import replace
from fractions import Fraction as F

import pytest

from macros.engine import Crossover, End, Liquid, Plan, PlanError, Tablets, build, words

ALPRAZOLAM = Tablets("alprazolam", "tablet", (F("0.25"), F("0.5"), F(1), F(2)), (F(2),))
DIAZEPAM = Tablets("diazepam", "tablet", (F(2), F(5), F(10)), (F(10),))
DIAZEPAM_LIQUID = Liquid("diazepam", "oral solution", F(2), F(5), F("0.1"))
END = End(F(1), F(1), "NHS Scotland 2024")


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
        "end": END,
        "tail": DIAZEPAM_LIQUID,
        "tail_below": F(4),
    }
    return Plan(**{**base, **changes})


def _tail_rows(plan: Plan) -> list[tuple[int, str]]:
    return [(r.step, str(n["time"])) for r in build(plan).rows for n in r.notes if n.code == "tail"]


def _liquid(row) -> bool:
    return any(isinstance(d.form, Liquid) for d in row.doses)


def test_a_direct_taper_notes_the_tail_on_the_first_row_that_uses_it():
    rows = build(_plan()).rows
    first = next(r for r in rows if _liquid(r))
    assert _tail_rows(_plan()) == [(first.step, "once")]


def test_a_crossover_ending_below_the_tail_threshold_notes_the_tail_on_its_first_reduction():
    """Alprazolam 0.25 mg ≈ diazepam 5 mg, already below a tail at 5 mg: the first reduction uses the liquid."""
    cross = Crossover("alprazolam", ALPRAZOLAM, F("0.5"), "Ashton Manual", 1)
    plan = _plan(start_doses=(F("0.25"),), crossover=cross, tail_below=F(5))
    rows = build(plan).rows
    first = next(r for r in rows if _liquid(r))
    assert first.kind == "reduction" and rows[first.step - 1].kind == "crossover"
    assert _tail_rows(plan) == [(first.step, "once")]


def test_a_direct_taper_that_starts_on_the_liquid_notes_it_on_the_start_row():
    plan = _plan(start_doses=(F("3.6"),))
    assert _liquid(build(plan).rows[0])
    assert _tail_rows(plan) == [(0, "once")]


def test_no_tail_note_without_a_tail():
    assert _tail_rows(_plan(tail=None, tail_below=None)) == []


def test_nhs_scotlands_lorazepam_example_is_reproduced_dose_by_dose_up_to_the_limit():
    """Lorazepam 1 mg twice a day → diazepam 10 mg + 10 mg, then 1 mg steps: the morning dose first,
    down to nothing, then the night dose, stopping from 1 mg (NHS Scotland's 22 steps). With tablets
    only, its last steps (3 → 2 → 1 mg) cut more than 25% in 2 weeks, which the rows must warn."""
    lorazepam = Tablets("lorazepam", "tablet", (F(1), F("2.5")), (F(1),))
    cross = Crossover("lorazepam", lorazepam, F(1), "NHS Scotland 2024", 1)
    diazepam = Tablets("diazepam", "tablet", (F(2), F(5), F(10)), (F(2),))  # UK 2 mg tablets can be halved
    plan = _plan(
        dosing=diazepam,
        start_doses=(F(1), F(1)),
        crossover=cross,
        method="fixed-step",
        amount=F(1),
        tail=None,
        tail_below=None,
    )
    rows = build(plan).rows
    pairs = [(r.doses[0].mg, r.doses[1].mg) for r in rows if r.kind == "reduction"]
    morning = [(F(m), F(10)) for m in range(9, -1, -1)]
    night = [(F(0), F(n)) for n in range(9, 0, -1)]
    assert pairs == morning + night
    assert len(rows) - 1 == 22 and rows[-2].daily_mg == 1
    warned = [r.daily_mg for r in rows if r.warnings]
    assert warned == [F(2), F(1)]  # 3 → 2 mg (33%) and 2 → 1 mg (50%)


def test_a_stop_from_above_the_end_point_is_warned_with_what_would_help():
    lorazepam = Tablets("lorazepam", "tablet", (F(1), F("2.5")), (F(1),))
    plan = _plan(
        drug="lorazepam",
        dosing=lorazepam,
        start_doses=(F(1), F(1)),
        tail=None,
        tail_below=None,
        end=End(F("0.1"), F(1), "NHS Scotland 2024", "Ashton Manual"),
        help_hint="switching to diazepam",
    )
    stop = build(plan).rows[-1]
    assert [w.code for w in stop.warnings] == ["stop-above-end"]
    assert "switching to diazepam" in words.warnings(stop, plan)[0].lower()


def test_a_reader_hold_moves_later_dates_and_is_refused_outside_the_plan():
    plan = _plan()
    plain = build(plan).rows
    held = build(replace(plan, holds=((3, 2),))).rows
    assert [r.week for r in held[:4]] == [r.week for r in plain[:4]]
    assert all(h.week == p.week + 2 for h, p in zip(held[4:], plain[4:], strict=True))
    with pytest.raises(PlanError, match="a hold must be at a step") as exc:
        build(replace(plan, holds=((len(plain), 2),)))
    assert exc.value.field == "holds"


def test_banded_steps_cut_the_band_s_mg_for_the_dose_in_that_band():
    bands = ((F(20), F(2)), (F(10), F(1)), (F(0), F(1, 2)))
    plan = _plan(
        start_doses=(F(24),),
        method="banded",
        bands=bands,
        tail=None,
        tail_below=None,
        dosing=Tablets("diazepam", "tablet", (F(2), F(5), F(10)), (F(2),)),
    )
    rows = build(plan).rows
    cuts = {r.daily_mg: rows[r.step - 1].daily_mg - r.daily_mg for r in rows[1:-1]}
    assert cuts[F(22)] == 2 and cuts[F(19)] == 1 and cuts[F(9)] == 1


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
        tail_below=None,
        start_doses=(F(5000),),
        method="fixed-step",
        amount=F(1),
    )
    began = time.perf_counter()
    with pytest.raises(PlanError, match=r"more than 400 steps|would run past") as exc:
        build(plan)
    assert time.perf_counter() - began < 3
    assert exc.value.field == "reduction"


def test_a_huge_dose_on_a_fine_liquid_grid_that_can_work_builds_quickly():
    plan = _plan(drug="testazepam", dosing=DILUTE, tail=None, tail_below=None, start_doses=(F(5000),))
    assert _timed_build(plan) < 3
    assert build(plan).rows[-1].daily_mg == 0


def test_tablet_strengths_too_far_apart_to_combine_are_refused_fast():
    tabs = Tablets("testazepam", "tablet", (F("0.001"), F(1000)), ())
    plan = _plan(drug="testazepam", dosing=tabs, tail=None, tail_below=None, start_doses=(F(1000),))
    began = time.perf_counter()
    with pytest.raises(PlanError, match="too far apart to combine") as exc:
        build(plan)
    assert time.perf_counter() - began < 3
    assert exc.value.field == "formulation"
