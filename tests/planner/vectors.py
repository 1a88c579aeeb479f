"""Generate tests/planner/vectors.json: plans and the rows macros/taper.py builds for them.

Run `.venv/bin/python -m tests.planner.vectors` after a deliberate change to the engine or the
data; tests/planner/test_planner.py fails while the file is stale, and checks that taper-engine.js
gives byte-identical rows (or the same PlanError message) for every vector.

Plans come straight from the engine's dataclasses: every formulation in data/medications.yaml
(through plans.dosing, as the site builds them) plus a few synthetic ones, several makeable
starting doses, proportional cuts of 5/10/15/25%, fixed steps, intervals of 1–4 weeks, the
2025 joint guideline's limit (25% in 2 weeks) and a stricter one (10% a week), with and without
a liquid tail, and the site's own direct example schedules. Plans the engine refuses are vectors too.
"""

from __future__ import annotations

import json
import random
import sys
from fractions import Fraction
from pathlib import Path

from macros.data import load
from macros.plans import dosing, plan_for
from macros.taper import Dosing, Liquid, Plan, PlanError, Tablets, build, fmt_mg, fmt_pct

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).with_name("vectors.json")
F = Fraction

LIMITS = ((F(1, 4), 2, "2025 joint guideline"), (F(1, 10), 1, "a strict test limit"))
PERCENTS = (5, 10, 15, 25)
INTERVALS = (1, 2, 3, 4)
HINT = "a lower strength or a liquid form"
DILUTE = Liquid("diazepam", "oral solution", F("0.1"), F(5), F("0.1"))  # 0.002 mg per 0.1 mL


def q(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def dosing_spec(d: Dosing) -> dict:
    if isinstance(d, Liquid):
        return {"type": "liquid", "form": d.form, "mg": q(d.mg), "ml": q(d.ml), "measure_ml": q(d.measure_ml)}
    return {"type": "tablets", "form": d.form, "strengths": [q(s) for s in d.strengths],
            "halvable": [q(s) for s in d.halvable]}


def plan_spec(plan: Plan) -> dict:
    assert plan.crossover is None, "the planner ports direct tapers only"
    return {
        "drug": plan.drug,
        "dosing": dosing_spec(plan.dosing),
        "tail": dosing_spec(plan.tail) if plan.tail is not None else None,
        "tail_below": q(plan.tail_below),
        "start_doses": [q(d) for d in plan.start_doses],
        "method": plan.method,
        "amount": q(plan.amount),
        "interval_weeks": plan.interval_weeks,
        "max_cut": q(plan.max_cut),
        "max_cut_weeks": plan.max_cut_weeks,
        "limit_label": plan.limit_label,
        "stop_at": q(plan.stop_at) if plan.stop_at is not None else None,
        "help_hint": plan.help_hint,
    }


def expected(plan: Plan) -> dict:
    try:
        result = build(plan)
    except PlanError as exc:
        return {"error": {"message": str(exc), "field": exc.field}}
    return {
        "rows": [
            {
                "step": r.step,
                "week": r.week,
                "kind": r.kind,
                "daily_mg": fmt_mg(r.daily_mg),
                "daily_exact": q(r.daily_mg),
                "cut_prev": q(r.cut_prev),
                "cut_start": q(r.cut_start),
                "cut_prev_pct": fmt_pct(r.cut_prev),
                "cut_start_pct": fmt_pct(r.cut_start),
                "take": r.take,
                "warnings": list(r.warnings),
                "notes": list(r.notes),
            }
            for r in result.rows
        ]
    }


def start_doses(d: Dosing) -> list[Fraction]:
    """A few realistic makeable doses (and one the form cannot make, for the error path)."""
    if isinstance(d, Liquid):
        return [d.mg, d.mg * 2, d.mg / 2 + d.unit, d.unit / 2]
    top = max(d.strengths)
    picks = [top, top * 2, min(d.strengths) + top, *(s / 2 for s in d.halvable[:1]), d.unit / 3]
    return list(dict.fromkeys(picks))


def synthetic() -> list[tuple[str, Dosing, list[Dosing]]]:
    return [
        ("testazepam", Tablets("testazepam", "tablet", (F("0.125"), F("1.5")), (F("1.5"),)), []),
        ("oddazepam", Tablets("oddazepam", "capsule", (F("0.3"), F("0.7"), F("3.75")), ()),
         [Liquid("oddazepam", "oral suspension", F("1.25"), F(5), F("0.05"))]),
        ("thirdazepam", Tablets("thirdazepam", "tablet", (F("0.75"), F("2.25")), (F("0.75"), F("2.25"))),
         [Liquid("thirdazepam", "oral solution", F("0.1"), F(1), F("0.2"))]),
    ]


def formulations() -> list[tuple[str, Dosing, list[Dosing]]]:
    """(drug, dosing, liquids of the same drug) for every formulation in the data, then synthetic ones."""
    ds = load(ROOT / "data")
    out = []
    for med in ds.medications:
        forms = [(f, dosing(med, f)) for f in med.formulations]
        liquids = [d for f, d in forms if f.liquid]
        for _f, d in forms:
            out.append((med.generic, d, [lq for lq in liquids if lq != d]))
        # a finer syringe for one liquid, as the older-adult example uses
        out += [(med.generic, dosing(med, f, 0.05), []) for f, _ in forms if f.liquid][:1]
    return out + synthetic()


def make_plans() -> list[tuple[str, Plan]]:
    rng = random.Random(20261125)
    plans: list[tuple[str, Plan]] = []
    ds = load(ROOT / "data")
    for sched in ds.schedules:
        plan = plan_for(ds, sched)
        if plan.crossover is None:
            plans.append((f"schedule:{sched.id}", plan))
    for fi, (drug, d, liquids) in enumerate(formulations()):
        for n, start in enumerate(start_doses(d)):
            paces = [("proportional", F(p, 100)) for p in PERCENTS]
            paces += [("fixed-step", d.unit * k) for k in (2, 8)] + [("fixed-step", start / 8)]
            combos = [(m, a, i, lim) for m, a in paces for i in INTERVALS for lim in LIMITS]
            # every pace once at the usual settings, plus a deterministic sample of the rest
            chosen = [c for c in combos if c[2] == 2 and c[3] is LIMITS[0]]
            chosen += rng.sample([c for c in combos if c not in chosen], 3)
            if not d.makeable(start):
                chosen = chosen[:1]  # the start dose cannot be made: one vector shows the error
            for k, (method, amount, interval, (max_cut, per, label)) in enumerate(chosen):
                tail, below = None, F(0)
                if liquids and k % 2 == 0:
                    tail = liquids[k // 2 % len(liquids)]
                    below = [start / 2, start / 4, start][k // 2 % 3]
                stop_at = [None, None, None, start / 10][k % 4]
                plan = Plan(
                    drug=drug, dosing=d, start_doses=(start,), method=method, amount=amount,
                    interval_weeks=interval, max_cut=max_cut, max_cut_weeks=per, limit_label=label,
                    tail=tail, tail_below=below, stop_at=stop_at,
                    help_hint=HINT if k % 3 else f"{drug} liquid (UK)",
                )
                plans.append((f"{fi}:{drug}/{d.form}/{fmt_mg(d.unit)}/{n}/{k}", plan))
            # split doses across the day (the engine sums them)
            if n == 0 and (start % 2 == 0 or isinstance(d, Liquid)):
                half = start / 2
                plans.append((f"{fi}:{drug}/{d.form}/{fmt_mg(d.unit)}/{n}/split", Plan(
                    drug=drug, dosing=d, start_doses=(half, half), method="proportional", amount=F(1, 10),
                    interval_weeks=2, max_cut=F(1, 4), max_cut_weeks=2)))
    # the engine's own guard rails
    d = Tablets("diazepam", "tablet", (F(2), F(5), F(10)), (F(10),))
    for name, kw in {
        "zero-cut": {"amount": F(0)},
        "whole-cut": {"amount": F(1)},
        "zero-interval": {"interval_weeks": 0},
        "too-fast-fixed": {"method": "fixed-step", "amount": F(6)},
        "too-many-steps": {"method": "fixed-step", "amount": F(1, 25), "max_cut": F(1),
                           "dosing": Liquid("diazepam", "oral solution", F(2), F(5), F(1, 10))},
        # a fine grid under a huge dose: both runtimes must answer at once, not walk 2.5 million doses
        "huge-dose-fine-liquid": {"start_doses": (F(5000),), "dosing": DILUTE},
        "huge-dose-fine-liquid-tiny-steps": {"start_doses": (F(5000),), "dosing": DILUTE, "method": "fixed-step",
                                             "amount": F(1)},
        "strengths-too-far-apart": {"start_doses": (F(1000),),
                                    "dosing": Tablets("diazepam", "tablet", (F("0.001"), F(1000)), ())},
    }.items():
        base = {"drug": "diazepam", "dosing": d, "start_doses": (F(20),), "method": "proportional",
                "amount": F(1, 10), "interval_weeks": 2, "max_cut": F(1, 4), "max_cut_weeks": 2}
        plans.append((f"guard:{name}", Plan(**{**base, **kw})))
    return plans


def main() -> int:
    vectors, paced = [], 0
    for vid, plan in make_plans():
        want = expected(plan)
        if "error" in want and want["error"]["message"].startswith("pace above"):
            paced += 1
            if paced % 4:
                continue  # the same check over and over: keep one in four
        vectors.append({"id": vid, "plan": plan_spec(plan), "expected": want})
    # formatting alone, including exact ties (1/32 → '0.0312': Python rounds half to even)
    dens = (*range(1, 65), 80, 96, 125, 128, 160, 1000, 2048)
    fractions = sorted({F(n, d) for d in dens for n in range(0, 3 * d + 1, max(1, d // 16))})
    formats = [[q(x), fmt_mg(x), fmt_pct(x)] for x in fractions]
    ids = [v["id"] for v in vectors]
    assert len(ids) == len(set(ids)), "vector ids must be unique"
    data = {"count": len(vectors), "formats": formats, "vectors": vectors}
    OUT.write_text(json.dumps(data, ensure_ascii=False) + "\n")
    errors = sum(1 for v in vectors if "error" in v["expected"])
    print(f"{len(vectors)} vectors ({errors} expect a PlanError) → {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
