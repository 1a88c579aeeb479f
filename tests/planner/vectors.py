"""Parity vectors: plans, and the rows macros/engine/taper.py builds for them (or the PlanError it raises).

tests/planner/test_planner.py generates them afresh in every test session (`generate()`), writes
them to a temporary vectors.json and checks that taper-engine.js gives byte-identical rows (or the
same PlanError message) for every vector; nothing is committed, so nothing can go stale. To look at
them by hand: `.venv/bin/python -m tests.planner.vectors /tmp/vectors.json`, then
`node tests/planner/run_vectors.mjs /tmp/vectors.json`.

Plans come straight from the engine's dataclasses: every formulation in data/medications.yaml
(through plans.dosing, as the site builds them) plus a few synthetic ones, several makeable
starting doses, proportional cuts of 5/10/15/25%, fixed steps, intervals of 1–4 weeks, the
planner guideline's limit (settings.yaml, read from data/guidelines.yaml) and a stricter one (10%
a week), with and without a liquid tail (below a dose, or for any dose the tablets cannot make),
reader holds, banded steps, a chosen stop, and the site's own example schedules. Plans the engine
refuses are vectors too. A vector's id names what it is made of (medicine, formulation, source ids)
and every choice sampled for it is seeded by that id, so new data adds vectors and changes no other.

Each row is compared as data (`row_data` in macros/engine/export.py: doses by time of day, exact
numbers as "n/d", note codes and their values) and as the words the site shows (`take`,
`notes_text`, `warnings_text`, and the plan's `summary`), so the JavaScript twin of words.py is
checked line by line too.
"""

from __future__ import annotations

import functools
import json
import random
import sys
import zlib
from fractions import Fraction
from pathlib import Path

from macros.data import Dataset, load
from macros.data.equivalents import equivalence_key, equivalence_label, single_value
from macros.engine import Crossover, Dosing, Liquid, Plan, PlanError, Tablets, build, fmt_mg, fmt_pct
from macros.engine.export import q, result_data
from macros.engine.taper import End
from macros.schedules.plans import dosing, end_point, plan_for

ROOT = Path(__file__).resolve().parents[2]
F = Fraction

STRICT_LIMIT = (F(1, 10), 1, "a strict test limit")
PERCENTS = (5, 10, 15, 25)
INTERVALS = (1, 2, 3, 4)
HINT = "a lower strength or a liquid form"
DILUTE = Liquid("diazepam", "oral solution", F("0.1"), F(5), F("0.1"))  # 0.002 mg per 0.1 mL


SYNTHETIC_END = End(F(1, 2), F(1), "a test end point", "a test equivalence")


DATA = ROOT / "data"  # a test may point this at an edited copy


@functools.cache
def _load(path: Path) -> Dataset:
    return load(path)


def dataset() -> Dataset:
    return _load(DATA)


def site_limit() -> tuple[Fraction, int, str]:
    """The planner guideline's limit (settings.yaml), as the site's plans use it: (max cut, weeks, name)."""
    ds = dataset()
    guide = ds.guideline_by_id[ds.settings.planner_guideline]
    assert guide.max_cut is not None
    return F(str(guide.max_cut.percent)) / 100, guide.max_cut.per_weeks, guide.name


def limits() -> tuple[tuple[Fraction, int, str], ...]:
    return (site_limit(), STRICT_LIMIT)


def variant(case_id: str) -> int:
    """A number fixed by a vector's id alone, so adding data adds vectors and reshuffles none."""
    return zlib.crc32(case_id.encode())


@functools.cache
def _ends(path: Path) -> dict[str, End]:
    ds = _load(path)
    out = {}
    for med in ds.medications:
        try:
            out[med.generic] = end_point(ds, med)
        except PlanError:
            continue
    return out


def end_for(drug: str) -> End:
    """The end point plans.end_point gives a medicine of the data (a made-up one for synthetic drugs)."""
    return _ends(DATA).get(drug, SYNTHETIC_END)


BANDS = ((F(20), F(2)), (F(10), F(1)), (F(0), F(1, 2)))


def dosing_spec(d: Dosing) -> dict:
    if isinstance(d, Liquid):
        return {"type": "liquid", "form": d.form, "mg": q(d.mg), "ml": q(d.ml), "measure_ml": q(d.measure_ml)}
    return {
        "type": "tablets",
        "form": d.form,
        "strengths": [q(s) for s in d.strengths],
        "halvable": [q(s) for s in d.halvable],
    }


def crossover_spec(cross: Crossover) -> dict:
    return {
        "from_drug": cross.from_drug,
        "from_dosing": dosing_spec(cross.from_dosing),
        "mg_per_diazepam_10": q(cross.mg_per_diazepam_10),
        "source_label": cross.source_label,
        "step_weeks": cross.step_weeks,
    }


def end_spec(end: End) -> dict:
    return {
        "mg": q(end.mg),
        "diazepam_mg": q(end.diazepam_mg),
        "source_label": end.source_label,
        "equivalence": end.equivalence,
    }


def plan_spec(plan: Plan) -> dict:
    return {
        "drug": plan.drug,
        "dosing": dosing_spec(plan.dosing),
        "tail": dosing_spec(plan.tail) if plan.tail is not None else None,
        "tail_below": q(plan.tail_below) if plan.tail_below is not None else None,
        "start_doses": [q(d) for d in plan.start_doses],
        "method": plan.method,
        "amount": q(plan.amount),
        "interval_weeks": plan.interval_weeks,
        "max_cut": q(plan.max_cut),
        "max_cut_weeks": plan.max_cut_weeks,
        "limit_label": plan.limit_label,
        "stop_at": q(plan.stop_at) if plan.stop_at is not None else None,
        "end": end_spec(plan.end),
        "bands": [[q(above), q(step)] for above, step in plan.bands],
        "holds": [[step, weeks] for step, weeks in plan.holds],
        "help_hint": plan.help_hint,
        "crossover": crossover_spec(plan.crossover) if plan.crossover is not None else None,
    }


def expected(plan: Plan) -> dict:
    """What taper-engine.js's run() must give: macros/engine/export.py's rows and summary, or the PlanError."""
    try:
        result = build(plan)
    except PlanError as exc:
        return {"error": {"message": str(exc), "field": exc.field}}
    return result_data(result)


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
        (
            "oddazepam",
            Tablets("oddazepam", "capsule", (F("0.3"), F("0.7"), F("3.75")), ()),
            [Liquid("oddazepam", "oral suspension", F("1.25"), F(5), F("0.05"))],
        ),
        (
            "thirdazepam",
            Tablets("thirdazepam", "tablet", (F("0.75"), F("2.25")), (F("0.75"), F("2.25"))),
            [Liquid("thirdazepam", "oral solution", F("0.1"), F(1), F("0.2"))],
        ),
    ]


def formulations() -> list[tuple[str, str, Dosing, list[Dosing]]]:
    """(key, drug, dosing, liquids of the same drug) for every formulation in the data, then synthetic
    ones; the key names the formulation by its ids, not its place in the file."""
    ds = dataset()
    out = []
    for med in ds.medications:
        forms = [(f, dosing(med, f, ds.settings.measure_ml)) for f in med.formulations]
        liquids = [d for f, d in forms if f.liquid]
        for f, d in forms:
            out.append((f"{med.id}/{f.id}", med.generic, d, [lq for lq in liquids if lq != d]))
        # a finer syringe for one liquid, as the older-adult example uses
        fine = [(f"{med.id}/{f.id}@0.05mL", med.generic, dosing(med, f, 0.05), []) for f, _ in forms if f.liquid]
        out += fine[:1]
    return out + [(f"synthetic/{drug}/{d.form}", drug, d, liquids) for drug, d, liquids in synthetic()]


def make_plans() -> list[tuple[str, Plan]]:
    plans: list[tuple[str, Plan]] = []
    ds = dataset()
    for sched in ds.schedules:
        plans.append((f"schedule:{sched.id}", plan_for(ds, sched)))
    for key, drug, d, liquids in formulations():
        for n, start in enumerate(start_doses(d)):
            case = f"{key}/{n}"
            paces = [("proportional", F(p, 100)) for p in PERCENTS]
            paces += [("fixed-step", d.unit * k) for k in (2, 8)] + [("fixed-step", start / 8)]
            combos = [(m, a, i, lim) for m, a in paces for i in INTERVALS for lim in limits()]
            # every pace once at the usual settings, plus a sample of the rest seeded by the case
            chosen = [c for c in combos if c[2] == 2 and c[3] == site_limit()]
            chosen += random.Random(case).sample([c for c in combos if c not in chosen], 3)
            if not d.makeable(start):
                chosen = chosen[:1]  # the start dose cannot be made: one vector shows the error
            for k, (method, amount, interval, (max_cut, per, label)) in enumerate(chosen):
                tail, below = None, F(0)
                if liquids and k % 2 == 0:
                    tail = liquids[k // 2 % len(liquids)]
                    below = [start / 2, start / 4, start, None][k // 2 % 4]
                stop_at = [None, None, None, start / 10][k % 4]
                plan = Plan(
                    drug=drug,
                    dosing=d,
                    start_doses=(start,),
                    method=method,
                    amount=amount,
                    interval_weeks=interval,
                    max_cut=max_cut,
                    max_cut_weeks=per,
                    limit_label=label,
                    tail=tail,
                    tail_below=below,
                    stop_at=stop_at,
                    end=end_for(drug),
                    holds=(((0, 1), (2, 3)) if k % 5 == 1 else ()) + (((9, 2),) if k % 7 == 3 else ()),
                    help_hint=HINT if k % 3 else f"{drug} liquid (UK)",
                )
                plans.append((f"{case}/{k}", plan))
            # split doses across the day (the engine sums them)
            if n == 0 and (start % 2 == 0 or isinstance(d, Liquid)):
                half = start / 2
                plans.append(
                    (
                        f"{case}/split",
                        Plan(
                            drug=drug,
                            dosing=d,
                            start_doses=(half, half),
                            method="proportional",
                            amount=F(1, 10),
                            interval_weeks=2,
                            max_cut=site_limit()[0],
                            max_cut_weeks=site_limit()[1],
                            end=end_for(drug),
                            tail=liquids[0] if liquids else None,
                            tail_below=None,
                        ),
                    )
                )
    # the engine's own guard rails
    d = Tablets("diazepam", "tablet", (F(2), F(5), F(10)), (F(10),))
    for name, kw in {
        "zero-cut": {"amount": F(0)},
        "whole-cut": {"amount": F(1)},
        "zero-interval": {"interval_weeks": 0},
        "too-fast-fixed": {"method": "fixed-step", "amount": F(6)},
        "too-many-steps": {
            "method": "fixed-step",
            "amount": F(1, 25),
            "max_cut": F(1),
            "dosing": Liquid("diazepam", "oral solution", F(2), F(5), F(1, 10)),
        },
        # a fine grid under a huge dose: both runtimes must answer at once, not walk 2.5 million doses
        "huge-dose-fine-liquid": {"start_doses": (F(5000),), "dosing": DILUTE},
        "huge-dose-fine-liquid-tiny-steps": {
            "start_doses": (F(5000),),
            "dosing": DILUTE,
            "method": "fixed-step",
            "amount": F(1),
        },
        "strengths-too-far-apart": {
            "start_doses": (F(1000),),
            "dosing": Tablets("diazepam", "tablet", (F("0.001"), F(1000)), ()),
        },
        "banded": {"method": "banded", "amount": F(0), "bands": BANDS, "start_doses": (F(15), F(10))},
        "banded-strict": {"method": "banded", "bands": BANDS, "max_cut": F(1, 10), "max_cut_weeks": 1},
        "banded-three": {"method": "banded", "bands": BANDS, "start_doses": (F(10), F(5), F(10)), "interval_weeks": 4},
        "banded-no-bands": {"method": "banded", "bands": ()},
        "banded-zero-band": {"method": "banded", "bands": ((F(10), F(0)),)},
        "held-stop-at": {"stop_at": F(5), "holds": ((1, 4), (1, 2), (3, 52))},
        "hold-too-long": {"holds": ((1, 53),)},
        "hold-past-end": {"holds": ((400, 1),)},
        "hold-negative": {"holds": ((-1, 1),)},
        "stop-at-zero": {"stop_at": F(0)},
        "end-above-start": {"end": End(F(30), F(30), "a test end point")},
        "zero-dose": {"start_doses": (F(10), F(0))},
        "five-doses": {"start_doses": (F(4),) * 5},
        "four-doses-liquid-any": {
            "start_doses": (F(5), F("2.5"), F(5), F("7.5")),
            "tail": Liquid("diazepam", "oral solution", F(2), F(5), F(1, 10)),
            "tail_below": None,
        },
        "tail-any-dose": {
            "start_doses": (F(3),),
            "dosing": Tablets("diazepam", "tablet", (F(2), F(5)), ()),
            "tail": Liquid("diazepam", "oral solution", F(2), F(5), F(1, 10)),
            "tail_below": None,
        },
        "wide-pace-warned": {
            "start_doses": (F(4),),
            "dosing": Tablets("diazepam", "tablet", (F(2), F(5)), ()),
            "max_cut": F(1, 10),
            "max_cut_weeks": 1,
        },
    }.items():
        base = {
            "drug": "diazepam",
            "dosing": d,
            "start_doses": (F(20),),
            "method": "proportional",
            "amount": F(1, 10),
            "interval_weeks": 2,
            "max_cut": F(1, 4),
            "max_cut_weeks": 2,
            "end": end_for("diazepam"),
        }
        plans.append((f"guard:{name}", Plan(**{**base, **kw})))
    return plans + crossover_plans()


def cross_paces() -> tuple[tuple[str, Fraction, int], ...]:
    """(method, amount, interval_weeks): slow paces, one exactly at the site's limit (read from data, so
    a new limit moves it) and one above it."""
    max_cut, per_weeks, _ = site_limit()
    return (
        ("proportional", F(1, 10), 2),
        ("proportional", F(1, 20), 4),
        ("proportional", max_cut, per_weeks),
        ("proportional", F(1, 10), 1),
        ("fixed-step", F(2), 2),
        ("fixed-step", F(1), 2),
        ("fixed-step", F(1, 2), 3),
        ("proportional", max_cut + F(1, 20), 1),
    )


def start_pieces(d: Dosing) -> list[Fraction]:
    """Doses of one intake that the starting form can make, smallest first."""
    if isinstance(d, Liquid):
        return [d.mg / 4, d.mg / 2, d.mg, d.mg * 2]
    return sorted({*d.strengths, *(s / 2 for s in d.halvable)})


def crossover_plans() -> list[tuple[str, Plan]]:
    """Every medicine × single-value equivalent × starting form × diazepam tablets, with varied splits,
    paces and liquid tails; then the error paths and the liquid tail reached during the crossover."""
    ds = dataset()
    diazepam = ds.medication("diazepam")
    dz_tablets = [(f.id, dosing(diazepam, f, ds.settings.measure_ml)) for f in diazepam.formulations if not f.liquid]
    dz_liquids = [dosing(diazepam, f, ds.settings.measure_ml) for f in diazepam.formulations if f.liquid]
    plans: list[tuple[str, Plan]] = []
    max_cut, per_weeks, limit_label = site_limit()
    paces = cross_paces()
    for med in ds.medications:
        if med.id == "diazepam":
            continue
        for eq in med.equivalents:
            per_10 = single_value(eq)
            if per_10 is None:
                continue  # a range: no crossover can use it
            for form in med.formulations:
                source = dosing(med, form, ds.settings.measure_ml)
                for dz_id, dz in dz_tablets:
                    case = f"cross:{med.id}/{equivalence_key(eq)}/{form.id}/{dz_id}"
                    i, rng = variant(case), random.Random(case)
                    pieces = [p for p in start_pieces(source) if source.makeable(p)]
                    fits = [p for p in pieces if dz.makeable(p * 10 / per_10)] or pieces
                    count = 1 + i % 4
                    doses = tuple(rng.choice(fits) for _ in range(count))
                    method, amount, interval = paces[i % len(paces)]
                    start_de = sum((d * 10 / per_10 for d in doses), F(0))
                    tail, below = None, F(0)
                    if i % 3:
                        tail = dz_liquids[i % len(dz_liquids)]
                        below = [F(5), start_de / 2, start_de, None][i % 4]
                    plan = Plan(
                        drug="diazepam",
                        dosing=dz,
                        start_doses=doses,
                        method=method,
                        amount=amount,
                        interval_weeks=interval,
                        max_cut=max_cut,
                        max_cut_weeks=per_weeks,
                        limit_label=limit_label,
                        crossover=Crossover(med.generic, source, per_10, equivalence_label(ds, eq), 1 + (i % 5 == 0)),
                        tail=tail,
                        tail_below=below,
                        stop_at=[None, F(1, 2)][i % 2],
                        end=end_for("diazepam"),
                        holds=((1, 1),) if i % 6 == 0 else (),
                        help_hint=HINT,
                    )
                    plans.append((case, plan))
    plans += crossover_edge_plans(ds, dz_tablets, dz_liquids)
    return plans


TEST_PER_10 = F(1, 2)  # mg per diazepam 10 mg: a test source's figure (alprazolam's usual one), not the data's


def crossover_edge_plans(
    ds: Dataset, dz_tablets: list[tuple[str, Dosing]], dz_liquids: list[Dosing]
) -> list[tuple[str, Plan]]:
    alp = ds.medication("alprazolam")
    lor = ds.medication("lorazepam")
    alp_tabs = dosing(alp, next(f for f in alp.formulations if f.id == "tablet-us"), ds.settings.measure_ml)
    lor_tabs = dosing(lor, next(f for f in lor.formulations if f.id == "tablet-us"), ds.settings.measure_ml)
    (_, dz_us), (_, dz_uk) = dz_tablets
    liquid = dz_liquids[-1]

    def plan(
        doses: list[Fraction],
        per_10: Fraction = TEST_PER_10,
        source: Dosing = alp_tabs,
        dz: Dosing = dz_us,
        **kw: object,
    ) -> Plan:
        base = {
            "drug": "diazepam",
            "dosing": dz,
            "start_doses": tuple(doses),
            "method": "proportional",
            "amount": F(1, 10),
            "interval_weeks": 2,
            "max_cut": site_limit()[0],
            "max_cut_weeks": site_limit()[1],
            "limit_label": site_limit()[2],
            "crossover": Crossover(source.drug, source, per_10, "a test source", 1),
            "end": end_for("diazepam"),
        }
        return Plan(**{**base, **kw})

    return [
        # task 1: the crossover ends at or below the liquid tail's threshold
        ("cross-edge:ends-below-tail", plan([F("0.25")], tail=liquid, tail_below=F(5))),
        ("cross-edge:ends-at-tail", plan([F("0.25"), F("0.25")], tail=liquid, tail_below=F(10))),
        (
            "cross-edge:ends-below-tail-fixed",
            plan([F("0.25")], tail=liquid, tail_below=F(8), method="fixed-step", amount=F(1, 2)),
        ),
        # errors: a dose the starting tablets cannot make, a diazepam dose the tablets cannot make,
        # too many doses in a day, a pace above the limit
        ("cross-edge:start-not-makeable", plan([F("0.3"), F("0.5")])),
        ("cross-edge:diazepam-not-makeable", plan([F("0.5"), F("0.5")], per_10=F(2), source=lor_tabs, dz=dz_uk)),
        ("cross-edge:five-doses", plan([F("0.25")] * 5)),
        ("cross-edge:too-fast", plan([F("0.5"), F("0.5")], amount=F(3, 10), interval_weeks=1)),
        ("cross-edge:too-fast-fixed", plan([F("0.5"), F("0.5")], method="fixed-step", amount=F(6))),
        ("cross-edge:four-doses", plan([F(1), F("0.5"), F("0.5"), F(1)], tail=liquid, tail_below=F(6))),
        ("cross-edge:four-doses-tail-any", plan([F(1), F("0.5"), F("0.5"), F(1)], tail=liquid, tail_below=None)),
        ("cross-edge:banded-held", plan([F("0.5"), F("0.5")], method="banded", bands=BANDS, holds=((0, 2), (4, 1)))),
    ]


def generate() -> dict:
    """Every vector and the number formats, as run_vectors.mjs reads them: {count, formats, vectors}."""
    vectors = []
    for vid, plan in make_plans():
        want = expected(plan)
        if "error" in want and want["error"]["message"].startswith("pace above") and variant(vid) % 4:
            continue  # the same check over and over: keep about one in four, chosen by id
        vectors.append({"id": vid, "plan": plan_spec(plan), "expected": want})
    # formatting alone, including exact ties (1/32 → '0.0312': Python rounds half to even)
    dens = (*range(1, 65), 80, 96, 125, 128, 160, 1000, 2048)
    fractions = sorted({F(n, d) for d in dens for n in range(0, 3 * d + 1, max(1, d // 16))})
    formats = [[q(x), fmt_mg(x), fmt_pct(x)] for x in fractions]
    ids = [v["id"] for v in vectors]
    assert len(ids) == len(set(ids)), "vector ids must be unique"
    return {"count": len(vectors), "formats": formats, "vectors": vectors}


def write(data: dict, out: Path) -> None:
    out.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.planner.vectors OUT.json", file=sys.stderr)
        return 2
    out = Path(argv[0])
    data = generate()
    write(data, out)
    errors = sum(1 for v in data["vectors"] if "error" in v["expected"])
    print(f"{data['count']} vectors ({errors} expect a PlanError) → {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
