"""The data the taper planner page (docs/planner.md) needs, as one JSON document.

taper-engine.js runs the taper engine in the browser; this gives it the same exact numbers the
Python engine uses (schedules.plans.dosing, written as "n/d" fractions) and the help hints schedules.plans.help_hint
would give, so one algorithm in two runtimes reads one set of facts.
"""

from __future__ import annotations

import json
from itertools import chain
from typing import Any

from ..data import Dataset
from ..data.equivalents import equivalence_key, equivalence_label, exact, per_diazepam_10, single_value
from ..data.models import Medication
from ..data.vocabulary import MARKET_LABELS, SEVERITY_LABELS
from ..engine import Liquid, PlanError, Tablets
from ..engine.export import q
from ..schedules.plans import crossover_step_weeks, dosing, end_point, help_hint, switch_problem


def equivalents_data(ds: Dataset, med: Medication) -> list[dict[str, Any]]:
    """Each source's equivalent for a crossover, as the engine reads it; a range, or a value no diazepam
    tablets can meet (plans.switch_problem), is listed as unavailable with the reason.

    `label` is the source_label the engine prints in the rows (data.equivalents.equivalence_label), `option`
    what a visitor chooses from, naming the value and, for a UK table, the 5 mg it was stated against.
    """
    out = []
    for eq in med.equivalents:
        label = equivalence_label(ds, eq)
        value = single_value(eq)
        low, high = per_diazepam_10(eq)
        amount = f"{float(low):g}" if value is not None else f"{float(low):g}–{float(high):g}"
        unavailable = f"gives a range ({amount} mg), not one dose" if value is None else switch_problem(ds, med, eq)
        said = f"{eq.mg.min:g}" if eq.mg.single else f"{eq.mg.min:g}–{eq.mg.max:g}"
        stated = f" (stated as {said} mg ≈ diazepam {eq.per_diazepam_mg:g} mg)" if eq.per_diazepam_mg != 10 else ""
        out.append(
            {
                "id": equivalence_key(eq),
                "source": eq.source,
                "label": label,
                "option": f"{label}: {med.generic} {amount} mg ≈ diazepam 10 mg{stated}",
                "mg_per_diazepam_10": q(value) if value is not None and not unavailable else None,
                "range": [q(low), q(high)],  # mg per diazepam 10 mg, for the cautions' "about diazepam X–Y mg"
                "unavailable": unavailable or "",
            }
        )
    return out


def end_data(ds: Dataset, med: Medication) -> dict[str, str] | None:
    """The end point in this medicine's mg (schedules.plans.end_point); None if it has no equivalent."""
    try:
        end = end_point(ds, med)
    except PlanError:
        return None
    return {"mg": q(end.mg), "equivalence": end.equivalence}


def crossover_data(ds: Dataset) -> dict[str, Any]:
    """What a switch to diazepam needs besides each medicine's equivalents: the target and the step length."""
    weeks, source = crossover_step_weeks(ds)
    return {
        "medication": "diazepam",
        "step_weeks": weeks,
        "step_source": source,
        "step_fact": ds.settings.switch_step_fact,
    }


def planner_data(ds: Dataset) -> dict[str, Any]:
    guideline_id = ds.settings.planner_guideline
    measure_ml = ds.settings.measure_ml
    guide = ds.guideline_by_id[guideline_id]
    # the loader checks that settings.yaml's planner_guideline gives all three
    assert guide.max_cut is not None and guide.cut_percent is not None and guide.interval_weeks is not None
    meds = []
    hints: dict[str, str] = {}
    for med in ds.medications:
        forms = []
        for f in med.formulations:
            d = dosing(med, f, measure_ml)
            markets = ", ".join(MARKET_LABELS[m] for m in f.markets)
            entry: dict[str, Any] = {
                "id": f.id,
                "form": d.form,
                "liquid": f.liquid,
                "markets": markets,
                "market_ids": list(f.markets),
            }
            if isinstance(d, Liquid):
                entry |= {"mg": q(d.mg), "ml": q(d.ml), "label": f"{d.form}, {d.strength} ({markets})"}
            else:
                assert isinstance(d, Tablets)
                strengths = ", ".join(f"{s:g}" for s in sorted(f.strengths_mg or []))
                entry |= {
                    "strengths": [q(s) for s in d.strengths],
                    "halvable": [q(s) for s in d.halvable],
                    "label": f"{d.form}, {strengths} mg ({markets})",
                }
            forms.append(entry)
        liquids = [f for f in med.formulations if f.liquid]
        for f in med.formulations:
            for tail in chain([None], (lq for lq in liquids if lq.id != f.id)):
                in_use = {f.id} | ({tail.id} if tail else set())
                hint = help_hint(med, in_use)
                hints[f"{med.id}|{f.id}|{tail.id if tail else ''}"] = hint
        meds.append(
            {
                "id": med.id,
                "generic": med.generic,
                "formulations": forms,
                "equivalents": equivalents_data(ds, med),
                "end": end_data(ds, med),
            }
        )
    return {
        "guideline": {
            "id": guide.id,
            "name": guide.name,
            "source": guide.source,
            "cut_min": f"{guide.cut_percent.min:g}",
            "cut_max": f"{guide.cut_percent.max:g}",
            "interval_min": f"{guide.interval_weeks.min:g}",
            "interval_max": f"{guide.interval_weeks.max:g}",
            "max_cut": q(exact(guide.max_cut.percent) / 100),
            "max_cut_percent": f"{guide.max_cut.percent:g}",
            "max_cut_weeks": guide.max_cut.per_weeks,
        },
        "measure_ml": q(exact(measure_ml)),
        "end": {
            "diazepam_mg": q(exact(ds.fact_by_id[ds.settings.taper_end_fact].value.min)),
            "source_label": ds.source_by_id[ds.fact_by_id[ds.settings.taper_end_fact].source].short,
        },
        "medications": meds,
        "hints": hints,
        "crossover": crossover_data(ds),
        "interactions": interactions_data(ds),  # the appointment pack's medicine check
        "cautions": cautions_data(ds),
    }


def _fact_data(ds: Dataset, fact_id: str) -> dict[str, str]:
    fact = ds.fact_by_id[fact_id]
    return {"value": q(exact(fact.value.min)), "says": fact.says, "source": fact.source}


def cautions_data(ds: Dataset) -> dict[str, Any]:
    """settings.yaml's planner_cautions with each fact's value, sentence and source (checks.cautions read the units)."""
    c = ds.settings.planner_cautions
    return {
        "high": [_fact_data(ds, fid) for fid in sorted(c.high_dose_facts, key=lambda f: ds.fact_by_id[f].value.min)],
        "older": _fact_data(ds, c.older_adult_fact),
        "older_switch_source": c.older_switch_source,
        "syringe": _fact_data(ds, c.syringe_fact),
        "conversion_source": c.conversion_source,
        "spread_ratio": q(exact(c.spread_ratio)),
        "sources": {  # the short name each cited source shows on hover
            sid: ds.source_by_id[sid].short
            for sid in sorted(
                {c.older_switch_source, c.conversion_source}
                | {ds.fact_by_id[f].source for f in [*c.high_dose_facts, c.older_adult_fact, c.syringe_fact]}
            )
        },
    }


def named_sources(data: dict[str, Any]) -> list[str]:
    """Every source the planner's data can name (a plan's guideline, switch step and equivalent, a
    caution, the medicine check), in first-seen order: the page's reference list must hold each."""
    found = [data["guideline"]["source"], data["crossover"]["step_source"]]
    found += [eq["source"] for med in data["medications"] for eq in med["equivalents"]]
    found += list(data["cautions"]["sources"])
    found += [s["id"] for item in data["interactions"]["items"] for s in item["sources"]]
    return list(dict.fromkeys(found))


def planner_json(ds: Dataset) -> str:
    return script_json(planner_data(ds))


def script_json(data: dict[str, Any]) -> str:
    """The JSON for a <script type="application/json"> block: `<` escaped so no value can close it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def interactions_data(ds: Dataset) -> dict[str, Any]:
    """data/interactions.yaml for the planner's medicine check, with the names a reader might type.

    Each entry's `names`, `only_for` and `any_second_medicine` come from the data; an entry with
    `any_second_medicine` also matches every medicine in data/medications.yaml by generic or brand
    name (`medicines`).
    """
    medicines: dict[str, str] = {}
    for m in ds.medications:
        for name in [m.generic, *(m.brands.us or []), *(m.brands.uk or [])]:
            medicines.setdefault(name.lower(), m.id)
    items = []
    for ix in ds.interactions:
        items.append(
            {
                "id": ix.id,
                "with": ix.with_,
                "severity": ix.severity,
                "severity_label": SEVERITY_LABELS[ix.severity],
                "effect": ix.effect,
                "what_to_do": ix.what_to_do,
                "only_for": ix.only_for,
                "names": ix.names,
                "other_medicines": ix.any_second_medicine,
                "sources": [{"id": s, "short": ds.source_by_id[s].short} for s in ix.sources],
            }
        )
    return {"medicines": medicines, "items": items}
