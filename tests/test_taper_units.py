"""Unit tests for single taper-engine behaviours that the hypothesis properties do not pin down."""

from __future__ import annotations

from fractions import Fraction as F

from macros.taper import Crossover, Liquid, Plan, Tablets, build

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
