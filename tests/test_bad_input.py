"""Bad input: every broken data file must stop the build with a clean message that says where and why.

Each case takes a copy of the real data/ folder and breaks one thing in one file. The message must
name the file and every expected fragment (the field, the item, the rule).

Every case runs in process through what the build runs (`macros.data.load`, then
`macros.schedules.compute_all` for the schedules), which checks each message in milliseconds. The build
turns any such DataError into that message, without a traceback (macros/adapter.py), so the real
`mkdocs build --strict` (conftest.run_build) runs once per *error path* (BUILDS): a missing file, a
YAML syntax error, a schema error (a file that fails its own model), a cross-reference error (files
that each pass but do not fit together) and a schedule the engine refuses. Each of those builds must
fail, print the message and no Python traceback, and write no page. The in-process test names each
case's path, so a case that takes a new path fails until BUILDS has a build for it. A page's bad
front matter is the last path: its build is in test_front_matter.py.

A case is declarative: the file it breaks, the change, and the words the message must contain.
The change is one of
- a function that edits the parsed YAML in place (the helpers `put`, `drop`, `dup`, `edit` below
  address items by path, naming list items by their `id`: "medications/alprazolam/formulations/tablet-us");
- Retext(old, new): a text edit of the real file, for what parsed YAML cannot show (a duplicate key);
- a string: the literal new text of the file (tests/bad_data/ holds the longer raw-text cases);
- bytes: the literal new content, for what is not even text (a byte that is not UTF-8);
- None: the file is deleted.

Known library gaps are listed with `bug=`: xfail(strict=True), so the fix makes them fail loudly until
the marker is removed.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from pydantic import ValidationError

from macros.data import DataError, load
from macros.data.loader import MAX_BYTES, MAX_DEPTH
from macros.data.models import ROOT_MODELS
from macros.schedules import compute_all

from .conftest import ROOT, read_yaml, redump, run_build

DATA = ROOT / "data"
BAD = Path(__file__).resolve().parent / "bad_data"


class Retext(NamedTuple):
    """Replace `old` (which must occur exactly once) in the real file's text: for changes a dict cannot express."""

    old: str
    new: str


Change = Callable[[dict[str, Any]], None] | Retext | str | bytes | None


class Case(NamedTuple):
    name: str
    file: str
    change: Change
    expect: tuple[str, ...]
    bug: str | None = None  # a known library gap: the case is marked xfail(strict=True) with this reason


# --- helpers that build the changes -----------------------------------------------------------


def at(doc: Any, path: str) -> Any:
    """Follow "a/b/c": mapping keys by name, list items by their `id` (or by index when numeric)."""
    node = doc
    for part in filter(None, path.split("/")):
        if isinstance(node, list):
            if part.isdigit():
                node = node[int(part)]
            else:
                matches = [item for item in node if isinstance(item, dict) and item.get("id") == part]
                assert matches, f"test setup: no item with id {part!r} in {path!r}"
                node = matches[0]
        else:
            assert part in node, f"test setup: no key {part!r} in {path!r}"
            node = node[part]
    return node


def put(path: str, **fields: Any) -> Callable[[dict[str, Any]], None]:
    """Set fields on the mapping at path (use **{"class": ...} for Python keywords)."""
    return lambda doc: at(doc, path).update(copy.deepcopy(fields))


def drop(path: str, *keys: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        node = at(doc, path)
        for key in keys:
            assert key in node, f"test setup: no key {key!r} at {path!r}"
            del node[key]

    return change


def dup(path: str, item_id: str) -> Callable[[dict[str, Any]], None]:
    """Append a copy of the list item `item_id` to the list at path: a duplicate id."""

    def change(doc: dict[str, Any]) -> None:
        items = at(doc, path)
        items.append(copy.deepcopy(at(items, item_id)))

    return change


def edit(*changes: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    """Several changes to one file, applied in order."""

    def change(doc: dict[str, Any]) -> None:
        for one in changes:
            one(doc)

    return change


def append(path: str, item: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    return lambda doc: at(doc, path).append(copy.deepcopy(item))


def rename_top(new: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        (old,) = doc
        doc[new] = doc.pop(old)

    return change


def bad_file(name: str) -> str:
    return (BAD / name).read_text(encoding="utf-8")


# What the 2025 guideline's limit reads as in the engine's message, from the data: a case about a pace
# above it must not fail because the limit itself was edited.
_JCPG_LIMIT = at(read_yaml(DATA / "guidelines.yaml"), "guidelines/jcpg-2025/max_cut")
AT_MOST = f"allows at most {_JCPG_LIMIT['percent']:.1f}% in {_JCPG_LIMIT['per_weeks']} weeks"

ALP = "medications/alprazolam"
ALP_TAB = "medications/alprazolam/formulations/tablet-us"
DZP_SCHED = "schedules/diazepam-proportional"
ALP_SCHED = "schedules/alprazolam-via-diazepam"

ESTAZOLAM_CROSSOVER = {
    "id": "estazolam-via-diazepam",
    "title": "Estazolam 2 mg at night, switched to diazepam",
    "suits": "Nobody: the Ashton Manual gives estazolam as a range, so the switch has no single dose.",
    "medication": "estazolam",
    "formulation": "tablet-us",
    "start_doses_mg": [2],
    "strategy": "crossover-to-diazepam",
    "crossover": {"equivalence": {"source": "ashton-manual"}, "diazepam_formulation": "tablet-us"},
    "reduction": {"percent": 10, "interval_weeks": 2},
    "limit": "jcpg-2025",
    "sources": ["ashton-manual"],
}

CLONAZEPAM_ODT_CROSSOVER = {
    "id": "clonazepam-odt-via-diazepam",
    "title": "Clonazepam 0.125 mg at night, switched to diazepam tablets",
    "suits": "Nobody: 0.125 mg clonazepam is diazepam 2.5 mg, which unscored 2/5/10 mg tablets cannot make.",
    "medication": "clonazepam",
    "formulation": "odt-us",
    "start_doses_mg": [0.125],
    "strategy": "crossover-to-diazepam",
    "crossover": {"equivalence": {"source": "ashton-manual"}, "diazepam_formulation": "tablet-us"},
    "reduction": {"percent": 10, "interval_weeks": 2},
    "limit": "jcpg-2025",
    "sources": ["ashton-manual"],
}


# The line of glossary.yaml's top-level key, below its comments: the raw-text cases add a line after it.
GLOSSARY_KEY_LINE = (DATA / "glossary.yaml").read_text(encoding="utf-8").splitlines().index("glossary:") + 1

CASES: list[Case] = [
    # --- the file itself ------------------------------------------------------------------------
    Case("missing-file", "guidelines.yaml", None, ("guidelines.yaml", "missing")),
    Case("empty-file", "sources.yaml", "", ("sources.yaml", "sources", "empty")),
    Case(
        "comments-only-file",
        "sources.yaml",
        bad_file("sources-comments-only.yaml"),
        ("sources.yaml", "sources", "empty"),
    ),
    Case(
        "malformed-yaml-unclosed-bracket",
        "medications.yaml",
        bad_file("medications-unclosed-bracket.yaml"),
        ("medications.yaml", "line 10", "not valid YAML", "flow sequence"),
    ),
    Case(
        "malformed-yaml-unclosed-quote",
        "sources.yaml",
        bad_file("sources-unclosed-quote.yaml"),
        ("sources.yaml", "not valid YAML", "quoted", "line 7"),
    ),
    Case(
        "impossible-date",
        "changelog.yaml",
        bad_file("changelog-impossible-date.yaml"),
        ("changelog.yaml", "line 6", "'2026-13-01' is not a real date", "month must be in 1..12", "YYYY-MM-DD"),
    ),
    Case(
        "malformed-yaml-tab-indent",
        "schedules.yaml",
        bad_file("schedules-tab-indent.yaml"),
        ("schedules.yaml", "line 4", "not valid YAML"),
    ),
    Case(
        "duplicate-yaml-key",
        "guidelines.yaml",
        Retext("  - id: jcpg-2025\n", "  - id: jcpg-2025\n    id: jcpg-2025\n"),
        ("guidelines.yaml", "line", "the key 'id' appears twice"),
    ),
    Case(
        "top-level-list",
        "guidelines.yaml",
        bad_file("guidelines-top-level-list.yaml"),
        ("guidelines.yaml", "top-level key 'guidelines'"),
    ),
    Case(
        "wrong-top-level-key",
        "sources.yaml",
        rename_top("source"),
        ("sources.yaml", "top-level key 'sources'", "found: source"),
    ),
    Case(
        "extra-top-level-key",
        "schedules.yaml",
        put("", notes="draft"),
        ("schedules.yaml", "top-level key 'schedules'", "notes"),
    ),
    Case(
        "empty-top-level-list",
        "medications.yaml",
        put("", medications=[]),
        ("medications.yaml", "medications", "too few items"),
    ),
    # --- sources.yaml ---------------------------------------------------------------------------
    Case(
        "source-without-doi-pmid-or-url",
        "sources.yaml",
        drop("sources/ashton-manual", "url"),
        ("sources.yaml", "ashton-manual", "doi, pmid or url"),
    ),
    Case(
        "duplicate-source-id", "sources.yaml", dup("sources", "who-2009"), ("sources.yaml", "duplicate id 'who-2009'")
    ),
    Case(
        "bad-id-capitals-and-spaces",
        "sources.yaml",
        put("sources/who-2009", id="WHO 2009"),
        ("sources.yaml", "WHO 2009", "id", "lower-case"),
    ),
    Case(
        "unknown-source-kind",
        "sources.yaml",
        put("sources/who-2009", kind="website"),
        ("sources.yaml", "who-2009", "kind", "'guideline'"),
    ),
    Case(
        "source-year-not-a-number",
        "sources.yaml",
        put("sources/who-2009", year="two thousand nine"),
        ("sources.yaml", "who-2009", "year", "whole number"),
    ),
    Case(
        "source-doi-not-a-doi",
        "sources.yaml",
        put("sources/jcpg-2025", doi="https://doi.org/10.1007/x"),
        ("sources.yaml", "jcpg-2025", "doi"),
    ),
    Case(
        "source-url-without-scheme",
        "sources.yaml",
        put("sources/who-2009", url="www.ncbi.nlm.nih.gov/books/"),
        ("sources.yaml", "who-2009", "url", "http"),
    ),
    Case(
        "source-field-typo",
        "sources.yaml",
        edit(drop("sources/who-2009", "title"), put("sources/who-2009", titel="Clinical Guidelines")),
        ("sources.yaml", "who-2009", "titel", "unknown field"),
    ),
    Case(
        "source-empty-title",
        "sources.yaml",
        put("sources/who-2009", title=""),
        ("sources.yaml", "who-2009", "title", "empty"),
    ),
    # --- medications.yaml: values ---------------------------------------------------------------
    Case(
        "negative-dose",
        "medications.yaml",
        put(ALP_TAB, strengths_mg=[-0.25, 0.5, 1, 2]),
        ("medications.yaml", "alprazolam", "tablet-us", "strengths_mg", "at least"),
    ),
    Case(
        "zero-concentration",
        "medications.yaml",
        put("medications/diazepam/formulations/solution-uk", concentration={"mg": 0, "ml": 5}),
        ("medications.yaml", "diazepam", "solution-uk", "concentration", "mg", "at least"),
    ),
    Case(
        "zero-equivalent",
        "medications.yaml",
        put(f"{ALP}/equivalents/0", mg=0),
        ("medications.yaml", "alprazolam", "equivalents", "mg", "above 0"),
    ),
    Case(
        "zero-range-end",
        "medications.yaml",
        put("medications/estazolam/equivalents/0", mg={"min": 0, "max": 2}),
        ("medications.yaml", "estazolam", "equivalents", "min", "above 0"),
    ),
    Case(
        "range-min-above-max-half-life",
        "medications.yaml",
        put(f"{ALP}/half_life/0", hours={"min": 26.9, "max": 6.3}),
        ("medications.yaml", "alprazolam", "half_life", "hours", "min (26.9) is above max (6.3)"),
    ),
    Case(
        "range-min-above-max-equivalent",
        "medications.yaml",
        put("medications/estazolam/equivalents/0", mg={"min": 2, "max": 1}),
        ("medications.yaml", "estazolam", "equivalents", "mg", "min (2) is above max (1)"),
    ),
    Case(
        "range-missing-max",
        "medications.yaml",
        put("medications/estazolam/equivalents/0", mg={"min": 1}),
        ("medications.yaml", "estazolam", "equivalents", "max", "required"),
    ),
    Case(
        "dose-with-unit-text",
        "medications.yaml",
        put(f"{ALP}/equivalents/0", mg="0.5 mg"),
        ("medications.yaml", "alprazolam", "equivalents", "mg", "number"),
    ),
    Case(
        "boolean-as-strength",
        "medications.yaml",
        put(ALP_TAB, strengths_mg=[0.25, 0.5, True, 2]),
        ("medications.yaml", "alprazolam", "tablet-us", "strengths_mg"),
    ),
    Case(
        "strengths-not-a-list",
        "medications.yaml",
        put(ALP_TAB, strengths_mg="0.25, 0.5, 1, 2"),
        ("medications.yaml", "alprazolam", "tablet-us", "strengths_mg", "must be a list"),
    ),
    Case(
        "same-strength-twice",
        "medications.yaml",
        put(ALP_TAB, strengths_mg=[0.25, 0.5, 0.5, 2]),
        ("medications.yaml", "alprazolam", "tablet-us", "strengths_mg", "twice"),
    ),
    Case(
        "per-diazepam-zero",
        "medications.yaml",
        put(f"{ALP}/equivalents/3", per_diazepam_mg=0),
        ("medications.yaml", "alprazolam", "equivalents", "per_diazepam_mg", "above 0"),
    ),
    Case(
        "unknown-drug-class",
        "medications.yaml",
        put(ALP, **{"class": "benzo"}),
        ("medications.yaml", "alprazolam", "class", "'benzodiazepine'", "'z-drug'"),
    ),
    Case(
        "invalid-market",
        "medications.yaml",
        put(ALP_TAB, markets=["fr"]),
        ("medications.yaml", "alprazolam", "tablet-us", "markets", "'us'", "'uk'"),
    ),
    Case(
        "no-market",
        "medications.yaml",
        put(ALP_TAB, markets=[]),
        ("medications.yaml", "alprazolam", "tablet-us", "markets", "too few items"),
    ),
    Case(
        "unknown-form",
        "medications.yaml",
        put(ALP_TAB, form="pill"),
        ("medications.yaml", "alprazolam", "tablet-us", "form", "'tablet'", "'oral-solution'"),
    ),
    # --- medications.yaml: shape rules ----------------------------------------------------------
    Case(
        "missing-generic-name",
        "medications.yaml",
        drop(ALP, "generic"),
        ("medications.yaml", "alprazolam", "generic", "required"),
    ),
    Case(
        "missing-formulations",
        "medications.yaml",
        drop(ALP, "formulations"),
        ("medications.yaml", "alprazolam", "formulations", "required"),
    ),
    Case(
        "medication-field-typo",
        "medications.yaml",
        edit(drop(ALP, "half_life"), put(ALP, halflife=[])),
        ("medications.yaml", "alprazolam", "halflife", "unknown field", "half_life"),
    ),
    Case(
        "liquid-with-strengths-instead-of-concentration",
        "medications.yaml",
        edit(
            drop("medications/diazepam/formulations/solution-uk", "concentration"),
            put("medications/diazepam/formulations/solution-uk", strengths_mg=[2]),
        ),
        ("medications.yaml", "diazepam", "solution-uk", "strengths_mg", "concentration"),
    ),
    Case(
        "liquid-with-strengths-and-concentration",
        "medications.yaml",
        put("medications/diazepam/formulations/solution-uk", strengths_mg=[2]),
        ("medications.yaml", "diazepam", "solution-uk", "strengths_mg", "concentration"),
    ),
    Case(
        "liquid-marked-scored",
        "medications.yaml",
        put("medications/diazepam/formulations/solution-uk", scored=True),
        ("medications.yaml", "diazepam", "solution-uk", "scored", "tablets only"),
    ),
    Case(
        "tablet-with-concentration",
        "medications.yaml",
        edit(drop(ALP_TAB, "strengths_mg"), put(ALP_TAB, concentration={"mg": 1, "ml": 1})),
        ("medications.yaml", "alprazolam", "tablet-us", "strengths_mg"),
    ),
    Case(
        "tablet-without-scored",
        "medications.yaml",
        drop(ALP_TAB, "scored"),
        ("medications.yaml", "alprazolam", "tablet-us", "scored"),
    ),
    Case(
        "scored-strength-not-in-strengths",
        "medications.yaml",
        put(ALP_TAB, scored=[3]),
        ("medications.yaml", "alprazolam", "tablet-us", "scored", "strengths_mg"),
    ),
    Case(
        "capsule-marked-scored",
        "medications.yaml",
        put("medications/temazepam/formulations/capsule-us", scored=True),
        ("medications.yaml", "temazepam", "capsule-us", "scored", "tablets only"),
    ),
    Case(
        "half-life-without-hours-or-metabolite",
        "medications.yaml",
        drop(f"{ALP}/half_life/0", "hours"),
        ("medications.yaml", "alprazolam", "half_life", "hours", "metabolite"),
    ),
    Case(
        "brands-without-sources",
        "medications.yaml",
        put(f"{ALP}/brands", sources=[]),
        ("medications.yaml", "alprazolam", "brands", "sources"),
    ),
    # --- medications.yaml: references -----------------------------------------------------------
    Case(
        "equivalent-without-source",
        "medications.yaml",
        drop(f"{ALP}/equivalents/0", "source"),
        ("medications.yaml", "alprazolam", "equivalents", "source", "required"),
    ),
    Case(
        "unknown-source-in-half-life",
        "medications.yaml",
        put(f"{ALP}/half_life/0", source="xanax-label"),
        ("medications.yaml", "alprazolam", "half_life", "unknown source id 'xanax-label'", "sources.yaml"),
    ),
    Case(
        "unknown-source-in-formulation",
        "medications.yaml",
        put(ALP_TAB, source="fda-alprazolam"),
        ("medications.yaml", "alprazolam", "tablet-us", "source", "unknown source id 'fda-alprazolam'"),
    ),
    Case(
        "unknown-source-in-brands",
        "medications.yaml",
        put(f"{ALP}/brands", sources=["xanax-box"]),
        ("medications.yaml", "alprazolam", "brands", "unknown source id 'xanax-box'"),
    ),
    Case(
        "unknown-source-in-equivalent",
        "medications.yaml",
        put(f"{ALP}/equivalents/0", source="ashton"),
        ("medications.yaml", "alprazolam", "equivalents", "unknown source id 'ashton'"),
    ),
    Case(
        "equivalent-column-not-declared-by-source",
        "medications.yaml",
        put(f"{ALP}/equivalents/0", column="table-1"),
        ("medications.yaml", "alprazolam", "equivalents", "column", "'table-1'", "ashton-manual"),
    ),
    Case(
        "jcpg-equivalent-without-column",
        "medications.yaml",
        drop(f"{ALP}/equivalents/1", "column"),
        ("medications.yaml", "alprazolam", "equivalents", "column", "jcpg-2025", "va-dod", "ashton"),
    ),
    Case(
        "two-equivalents-from-one-source",
        "medications.yaml",
        append(f"{ALP}/equivalents", {"source": "ashton-manual", "mg": 1}),
        ("medications.yaml", "alprazolam", "equivalents", "ashton-manual", "one value per source"),
    ),
    Case(
        "duplicate-medication-id",
        "medications.yaml",
        dup("medications", "zopiclone"),
        ("medications.yaml", "duplicate id 'zopiclone'"),
    ),
    Case(
        "duplicate-formulation-id",
        "medications.yaml",
        dup(f"{ALP}/formulations", "tablet-uk"),
        ("medications.yaml", "alprazolam", "formulations", "duplicate id 'tablet-uk'"),
    ),
    Case(
        "bad-medication-id",
        "medications.yaml",
        put(ALP, id="Alprazolam"),
        ("medications.yaml", "Alprazolam", "id", "lower-case"),
    ),
    # --- guidelines.yaml ------------------------------------------------------------------------
    Case(
        "guideline-max-cut-zero",
        "guidelines.yaml",
        put("guidelines/jcpg-2025/max_cut", percent=0),
        ("guidelines.yaml", "jcpg-2025", "max_cut", "percent", "above 0"),
    ),
    Case(  # the limit changed in the numbers alone: the text readers see would still say 25%
        "guideline-pace-text-disagrees",
        "guidelines.yaml",
        put("guidelines/jcpg-2025/max_cut", percent=_JCPG_LIMIT["percent"] - 1),
        ("guidelines.yaml", "jcpg-2025", "pace", "max_cut.percent give", str(_JCPG_LIMIT["percent"] - 1), "agree"),
    ),
    Case(
        "guideline-weeks-not-whole",
        "guidelines.yaml",
        put("guidelines/jcpg-2025/max_cut", per_weeks=1.5),
        ("guidelines.yaml", "jcpg-2025", "max_cut", "per_weeks", "whole number"),
    ),
    Case(
        "guideline-unknown-source",
        "guidelines.yaml",
        put("guidelines/jcpg-2025", source="asam-2025"),
        ("guidelines.yaml", "jcpg-2025", "source", "unknown source id 'asam-2025'"),
    ),
    Case(
        "duplicate-guideline-id",
        "guidelines.yaml",
        dup("guidelines", "jcpg-2025"),
        ("guidelines.yaml", "duplicate id 'jcpg-2025'"),
    ),
    # --- schedules.yaml: values and shape -------------------------------------------------------
    Case(
        "schedule-missing-field",
        "schedules.yaml",
        drop(DZP_SCHED, "start_doses_mg"),
        ("schedules.yaml", "diazepam-proportional", "start_doses_mg", "required"),
    ),
    Case(
        "schedule-field-typo",
        "schedules.yaml",
        put(DZP_SCHED, stop_at=0.5),
        ("schedules.yaml", "diazepam-proportional", "stop_at", "unknown field", "stop_at_mg"),
    ),
    Case(
        "schedule-negative-start-dose",
        "schedules.yaml",
        put(DZP_SCHED, start_doses_mg=[10, -10]),
        ("schedules.yaml", "diazepam-proportional", "start_doses_mg", "above 0"),
    ),
    Case(
        "schedule-five-doses-a-day",
        "schedules.yaml",
        put(DZP_SCHED, start_doses_mg=[2, 2, 2, 2, 2]),
        ("schedules.yaml", "diazepam-proportional", "start_doses_mg", "too many items"),
    ),
    Case(
        "schedule-unknown-strategy",
        "schedules.yaml",
        put(DZP_SCHED, strategy="hyperbolic"),
        ("schedules.yaml", "diazepam-proportional", "strategy", "'proportional'", "'fixed-step'"),
    ),
    Case(
        "schedule-interval-zero",
        "schedules.yaml",
        put(f"{DZP_SCHED}/reduction", interval_weeks=0),
        ("schedules.yaml", "diazepam-proportional", "reduction", "interval_weeks", "at least 1"),
    ),
    Case(
        "schedule-interval-not-whole",
        "schedules.yaml",
        put(f"{DZP_SCHED}/reduction", interval_weeks=2.5),
        ("schedules.yaml", "diazepam-proportional", "reduction", "interval_weeks", "whole number"),
    ),
    Case(
        "schedule-reduction-percent-zero",
        "schedules.yaml",
        put(f"{DZP_SCHED}/reduction", percent=0),
        ("schedules.yaml", "diazepam-proportional", "reduction", "percent", "above 0"),
    ),
    Case(
        "schedule-measure-ml-zero",
        "schedules.yaml",
        put(DZP_SCHED, measure_ml=0),
        ("schedules.yaml", "diazepam-proportional", "measure_ml", "at least"),
    ),
    Case(
        "schedule-empty-sources",
        "schedules.yaml",
        put(DZP_SCHED, sources=[]),
        ("schedules.yaml", "diazepam-proportional", "sources", "too few items"),
    ),
    Case(
        "schedule-empty-title",
        "schedules.yaml",
        put(DZP_SCHED, title="  "),
        ("schedules.yaml", "diazepam-proportional", "title", "empty"),
    ),
    Case(
        "duplicate-schedule-id",
        "schedules.yaml",
        dup("schedules", "zopiclone-direct"),
        ("schedules.yaml", "duplicate id 'zopiclone-direct'"),
    ),
    Case(
        "bad-schedule-id",
        "schedules.yaml",
        put(DZP_SCHED, id="diazepam proportional"),
        ("schedules.yaml", "diazepam proportional", "id", "lower-case"),
    ),
    # --- schedules.yaml: strategy and reduction -------------------------------------------------
    Case(
        "proportional-with-step-mg",
        "schedules.yaml",
        put(DZP_SCHED, reduction={"step_mg": 2, "interval_weeks": 2}),
        ("schedules.yaml", "diazepam-proportional", "proportional", "reduction.percent"),
    ),
    Case(
        "fixed-step-with-percent",
        "schedules.yaml",
        put(ALP_SCHED, strategy="fixed-step", crossover=None, reduction={"percent": 10, "interval_weeks": 2}),
        ("schedules.yaml", "alprazolam-via-diazepam", "fixed-step", "reduction.step_mg"),
    ),
    Case(
        "reduction-percent-and-step-mg",
        "schedules.yaml",
        put(DZP_SCHED, reduction={"percent": 10, "step_mg": 2, "interval_weeks": 2}),
        ("schedules.yaml", "diazepam-proportional", "reduction", "percent", "step_mg", "exactly one"),
    ),
    Case(
        "crossover-strategy-without-crossover",
        "schedules.yaml",
        drop(ALP_SCHED, "crossover"),
        ("schedules.yaml", "alprazolam-via-diazepam", "crossover", "crossover-to-diazepam"),
    ),
    Case(
        "crossover-block-on-proportional",
        "schedules.yaml",
        put(DZP_SCHED, crossover={"equivalence": {"source": "ashton-manual"}, "diazepam_formulation": "tablet-uk"}),
        ("schedules.yaml", "diazepam-proportional", "crossover", "crossover-to-diazepam"),
    ),
    # --- schedules.yaml: pace -------------------------------------------------------------------
    Case(
        "pace-5-points-over-the-limit",
        "schedules.yaml",
        put(f"{DZP_SCHED}/reduction", percent=_JCPG_LIMIT["percent"] + 5),
        ("schedules.yaml", "diazepam-proportional", "reduction", "pace above its limit", AT_MOST),
    ),
    Case(
        "pace-25-percent-every-week",
        "schedules.yaml",
        put("schedules/zopiclone-direct/reduction", interval_weeks=1),
        ("schedules.yaml", "zopiclone-direct", "reduction", "pace above its limit", AT_MOST),
    ),
    Case(
        "pace-fixed-step-too-big",
        "schedules.yaml",
        put(f"{ALP_SCHED}/reduction", step_mg=6),
        ("schedules.yaml", "alprazolam-via-diazepam", "reduction", "pace above its limit", AT_MOST),
    ),
    Case(
        "reduction-too-small-to-finish",
        "schedules.yaml",
        edit(
            drop(DZP_SCHED, "tail"),
            put(DZP_SCHED, formulation="solution-us", measure_ml=0.01, reduction={"percent": 0.5, "interval_weeks": 2}),
        ),
        ("schedules.yaml", "diazepam-proportional", "reduction", "would run past"),
    ),
    # --- schedules.yaml: references -------------------------------------------------------------
    Case(
        "unknown-medication-in-schedule",
        "schedules.yaml",
        put(DZP_SCHED, medication="diazepan"),
        ("schedules.yaml", "diazepam-proportional", "medication", "'diazepan'"),
    ),
    Case(
        "unknown-formulation-in-schedule",
        "schedules.yaml",
        put(DZP_SCHED, formulation="tablet-fr"),
        ("schedules.yaml", "diazepam-proportional", "formulation", "'tablet-fr'", "tablet-uk"),
    ),
    Case(
        "formulation-of-another-drug",
        "schedules.yaml",
        put(DZP_SCHED, formulation="concentrate-us"),
        ("schedules.yaml", "diazepam-proportional", "formulation", "'concentrate-us'"),
    ),
    Case(
        "unknown-source-in-schedule",
        "schedules.yaml",
        put(DZP_SCHED, sources=["jcpg-2025", "horowitz-2019"]),
        ("schedules.yaml", "diazepam-proportional", "sources", "unknown source id 'horowitz-2019'"),
    ),
    Case(
        "limit-unknown-guideline",
        "schedules.yaml",
        put(DZP_SCHED, limit="nice-2022"),
        ("schedules.yaml", "diazepam-proportional", "limit", "'nice-2022'", "jcpg-2025"),
    ),
    Case(
        "limit-guideline-without-max-cut",
        "schedules.yaml",
        put(DZP_SCHED, limit="scotland-2024"),
        ("schedules.yaml", "diazepam-proportional", "limit", "'scotland-2024'", "max_cut"),
    ),
    Case(
        "tail-formulation-does-not-exist",
        "schedules.yaml",
        put(f"{DZP_SCHED}/tail", formulation="solution-ie"),
        ("schedules.yaml", "diazepam-proportional", "tail", "formulation", "'solution-ie'"),
    ),
    Case(
        "crossover-tail-not-a-diazepam-formulation",
        "schedules.yaml",
        put(f"{ALP_SCHED}/tail", formulation="concentrate-us"),
        ("schedules.yaml", "alprazolam-via-diazepam", "tail", "formulation", "diazepam", "'concentrate-us'"),
    ),
    Case(
        "tail-below-mg-negative",
        "schedules.yaml",
        put(f"{DZP_SCHED}/tail", below_mg=-4),
        ("schedules.yaml", "diazepam-proportional", "tail", "below_mg", "at least"),
    ),
    # --- schedules.yaml: crossover --------------------------------------------------------------
    Case(
        "crossover-on-diazepam-itself",
        "schedules.yaml",
        put(
            DZP_SCHED,
            strategy="crossover-to-diazepam",
            crossover={"equivalence": {"source": "ashton-manual"}, "diazepam_formulation": "tablet-uk"},
        ),
        ("schedules.yaml", "diazepam-proportional", "strategy", "cannot cross over to diazepam"),
    ),
    Case(
        "crossover-equivalence-is-a-range",
        "schedules.yaml",
        append("schedules", ESTAZOLAM_CROSSOVER),
        ("schedules.yaml", "estazolam-via-diazepam", "crossover", "equivalence", "ashton-manual", "range"),
    ),
    Case(
        "crossover-source-gives-no-value",
        "schedules.yaml",
        put(f"{ALP_SCHED}/crossover/equivalence", source="scotland-2024"),
        ("schedules.yaml", "alprazolam-via-diazepam", "crossover", "equivalence", "scotland-2024", "alprazolam"),
    ),
    Case(
        "crossover-unknown-source",
        "schedules.yaml",
        put(f"{ALP_SCHED}/crossover/equivalence", source="ashton"),
        ("schedules.yaml", "alprazolam-via-diazepam", "crossover", "unknown source id 'ashton'"),
    ),
    Case(
        "crossover-jcpg-without-column",
        "schedules.yaml",
        put(f"{ALP_SCHED}/crossover/equivalence", source="jcpg-2025"),
        ("schedules.yaml", "alprazolam-via-diazepam", "crossover", "column", "va-dod", "ashton"),
    ),
    Case(
        "crossover-unknown-diazepam-formulation",
        "schedules.yaml",
        put(f"{ALP_SCHED}/crossover", diazepam_formulation="tablet-ie"),
        ("schedules.yaml", "alprazolam-via-diazepam", "diazepam_formulation", "'tablet-ie'"),
    ),
    Case(
        "crossover-step-weeks-zero",
        "schedules.yaml",
        put(f"{ALP_SCHED}/crossover", step_weeks=0),
        ("schedules.yaml", "alprazolam-via-diazepam", "crossover", "step_weeks", "at least 1"),
    ),
    Case(
        "crossover-diazepam-dose-not-makeable",
        "schedules.yaml",
        append("schedules", CLONAZEPAM_ODT_CROSSOVER),
        ("schedules.yaml", "clonazepam-odt-via-diazepam", "crossover", "2.5 mg", "cannot be made"),
    ),
    # --- schedules.yaml: doses the formulation cannot make --------------------------------------
    Case(
        "start-dose-no-tablet-can-make",
        "schedules.yaml",
        put(DZP_SCHED, formulation="tablet-us", start_doses_mg=[0.3]),
        ("schedules.yaml", "diazepam-proportional", "start_doses_mg", "0.3 mg", "cannot be made"),
    ),
    Case(
        "crossover-start-dose-not-makeable",
        "schedules.yaml",
        put(ALP_SCHED, start_doses_mg=[0.3, 0.5]),
        ("schedules.yaml", "alprazolam-via-diazepam", "start_doses_mg", "0.3 mg", "cannot be made"),
    ),
    # --- interactions.yaml ----------------------------------------------------------------------
    Case(
        "interaction-for-an-unknown-medication",
        "interactions.yaml",
        put("interactions/diazepam-cyp-inhibitors", only_for=["diazepan"]),
        ("interactions.yaml", "only_for", "unknown medication 'diazepan'", "allowed:", "diazepam"),
    ),
    Case(
        "interaction-name-readers-cannot-see",
        "interactions.yaml",
        put("interactions/alcohol", names=["alcohol", "beer"]),
        ("interactions.yaml", "alcohol", "names", "'beer'", "must appear in `with`"),
    ),
    # settings.yaml: what the tools use must exist and fit its use
    Case(
        "settings-unknown-planner-guideline",
        "settings.yaml",
        put("settings", planner_guideline="jcpg-2052"),
        ("settings.yaml", "settings → planner_guideline", "unknown guideline 'jcpg-2052'", "allowed:"),
    ),
    Case(
        "settings-planner-guideline-without-a-pace",
        "settings.yaml",
        put("settings", planner_guideline="scotland-2024"),
        ("settings.yaml", "planner_guideline", "'scotland-2024' lacks", "max_cut", "allowed: jcpg-2025"),
    ),
    Case(
        "settings-switch-step-fact-not-in-days",
        "settings.yaml",
        put("settings", switch_step_fact="protracted-scotland"),
        ("settings.yaml", "switch_step_fact", "'protracted-scotland'", "needs a fact in days"),
    ),
    # --- hostile files: refused before YAML builds anything, with line and column ------------------
    Case(
        "alias-bomb",
        "glossary.yaml",
        "glossary:\n  - &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"  - &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)),
        ("glossary.yaml, line 2, column 5", "anchors and aliases", "write the value out"),
    ),
    Case(
        "self-referencing-alias",
        "glossary.yaml",
        "glossary: &g [*g]\n",
        ("glossary.yaml, line 1, column 11", "anchors and aliases"),
    ),
    Case(
        "nested-1000-deep",
        "glossary.yaml",
        "glossary: " + "[" * 1_000 + "]" * 1_000 + "\n",
        ("glossary.yaml, line 1", f"nested more than {MAX_DEPTH} levels deep"),
    ),
    Case(
        "nested-100000-deep",
        "glossary.yaml",
        "glossary: " + "[" * 100_000 + "]" * 100_000 + "\n",
        ("glossary.yaml, line 1", f"nested more than {MAX_DEPTH} levels deep"),
    ),
    Case(
        "file-too-large",
        "glossary.yaml",
        "glossary: []\n" + "# padding\n" * (MAX_BYTES // 10 + 1),
        ("glossary.yaml", "bytes; data files are at most", f"{MAX_BYTES:,}"),
    ),
    Case(
        "byte-not-utf8",
        "glossary.yaml",
        (DATA / "glossary.yaml").read_bytes().replace(b"glossary:\n", b"glossary:\n# caf\xe9\n", 1),
        (f"glossary.yaml, line {GLOSSARY_KEY_LINE + 1}, column 6", "byte 0xE9 is not UTF-8", "save the file as UTF-8"),
    ),
    Case(
        "nul-byte",
        "glossary.yaml",
        Retext("glossary:\n", "glossary:\n# a\x00b\n"),
        (f"glossary.yaml, line {GLOSSARY_KEY_LINE + 1}, column 4", "control character (U+0000)"),
    ),
    Case(
        "right-to-left-override-in-a-name",
        "medications.yaml",
        put("medications/alprazolam", generic="alpra\u202ezolam"),
        ("medications.yaml", "alprazolam", "generic", "U+202E", "RIGHT-TO-LEFT OVERRIDE", "readers cannot see"),
    ),
    Case(
        "zero-width-space-in-a-title",
        "sources.yaml",
        put("sources/jcpg-2025", title="Joint\u200bguideline"),
        ("sources.yaml", "jcpg-2025", "title", "U+200B", "ZERO WIDTH SPACE"),
    ),
    Case(
        "markup-in-a-glossary-term",
        "glossary.yaml",
        put("glossary/taper", term="taper]: <script>"),
        ("glossary.yaml", "taper", "term", "letters, digits, spaces"),
    ),
    # --- numbers that pass as numbers but no medicine, syringe or calendar allows -----------------
    Case(
        "measure-finer-than-a-syringe",
        "settings.yaml",
        put("settings", measure_ml=1.0e-12),
        ("settings.yaml", "settings → measure_ml", "0.01"),
    ),
    Case(
        "tablet-strength-far-too-small",
        "medications.yaml",
        put("medications/alprazolam/formulations/tablet-us", strengths_mg=[0.0001, 0.5]),
        ("medications.yaml", "alprazolam", "strengths_mg", "0.1"),
    ),
    Case(
        "liquid-1000-mg-in-a-drop",
        "medications.yaml",
        put("medications/diazepam/formulations/solution-uk", concentration={"mg": 1000, "ml": 0.0001}),
        ("medications.yaml", "diazepam", "concentration", "0.5"),
    ),
    Case(
        "liquid-concentration-no-product-has",
        "medications.yaml",
        put("medications/diazepam/formulations/solution-uk", concentration={"mg": 100, "ml": 1}),
        ("medications.yaml", "diazepam", "concentration", "100 mg per mL", "0.01 to 10"),
    ),
    Case(
        "fixed-step-of-a-ten-thousandth-mg",
        "schedules.yaml",
        put("schedules/alprazolam-via-diazepam/reduction", step_mg=0.0001),
        ("schedules.yaml", "alprazolam-via-diazepam", "step_mg", "0.01"),
    ),
    Case(
        "stop-at-a-billionth-mg",
        "schedules.yaml",
        put("schedules/diazepam-proportional", stop_at_mg=1.0e-9),
        ("schedules.yaml", "diazepam-proportional", "stop_at_mg", "0.01"),
    ),
    Case(
        "changelog-entry-in-2099",
        "changelog.yaml",
        put("changelog/0", date=dt.date(2099, 1, 1)),
        ("changelog.yaml", "date", "2099-01-01 is after today"),
    ),
    Case(
        "settings-measure-zero",
        "settings.yaml",
        put("settings", measure_ml=0),
        ("settings.yaml", "settings → measure_ml", "is too small", "at least"),
    ),
]


# The one case per error path that also goes through the real build (see error_path).
BUILDS = {
    "missing-file": "missing-file",
    "yaml-syntax": "malformed-yaml-unclosed-bracket",
    "unreadable": "nested-100000-deep",
    "schema": "negative-dose",
    "cross-reference": "unknown-source-in-schedule",
    "schedule": "pace-5-points-over-the-limit",
}
CASE_BY_NAME = {case.name: case for case in CASES}


def _params(cases: list[Case]) -> list[Any]:
    params = []
    for case in cases:
        marks = [pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


def broken_copy(case: Case, into: Path) -> Path:
    """A copy of data/ with this case's one change applied; the other files stay byte for byte."""
    data = into / "data"
    shutil.copytree(DATA, data)
    target = data / case.file
    if case.change is None:
        target.unlink()
    elif isinstance(case.change, Retext):
        text = target.read_text(encoding="utf-8")
        assert text.count(case.change.old) == 1, f"test setup: {case.change.old!r} is not in {case.file} once"
        target.write_text(text.replace(case.change.old, case.change.new), encoding="utf-8")
    elif isinstance(case.change, str):
        target.write_text(case.change, encoding="utf-8")
    elif isinstance(case.change, bytes):
        target.write_bytes(case.change)
    else:
        redump(target, case.change)
    return data


def missing(text: str, case: Case) -> list[str]:
    return [fragment for fragment in (case.file, *case.expect) if fragment not in text]


def error_path(case: Case, data: Path, loaded: bool, message: str) -> str:
    """Which step refused the broken copy: the file is missing, is not YAML, fails its own model,
    does not fit the other files, or loads but describes a schedule the engine refuses."""
    if loaded:
        return "schedule"
    if case.change is None:
        return "missing-file"
    if "this is not valid YAML" in message:
        return "yaml-syntax"
    if ": (top level): " in message and "expected exactly one top-level key" not in message and "empty" not in message:
        return "unreadable"  # refused before parsing: size, encoding, control characters, aliases, depth
    try:
        ROOT_MODELS[case.file].model_validate(read_yaml(data / case.file))
    except ValidationError:
        return "schema"
    return "cross-reference"


@pytest.fixture(scope="module")
def valid_base() -> None:
    """Every case breaks ONE thing in a copy of data/; that only means something if data/ itself is valid."""
    try:
        compute_all(load(DATA))
    except DataError as exc:
        pytest.fail(f"data/ itself is invalid, so no bad-input case can be judged; fix it first:\n{exc}")


# --- every case in process: the loader refuses it with the message ---------------------------


@pytest.mark.parametrize("case", _params(CASES))
def test_loader_refuses(case: Case, tmp_path: Path, valid_base: None) -> None:
    data = broken_copy(case, tmp_path)
    loaded = False
    with pytest.raises(DataError) as caught:
        dataset = load(data)
        loaded = True
        compute_all(dataset)
    message = str(caught.value)
    assert not missing(message, case), f"the message lacks {missing(message, case)}:\n{message}"
    path = error_path(case, data, loaded, message)
    assert path in BUILDS, f"{case.name} takes an error path no build covers ({path}): add a case for it to BUILDS"
    if case.name in BUILDS.values():
        assert BUILDS[path] == case.name, f"BUILDS runs {case.name} for another path than its own ({path})"


# --- one real build per error path: it fails cleanly -----------------------------------------


@pytest.mark.parametrize("case", _params([CASE_BY_NAME[name] for name in BUILDS.values()]))
def test_build_refuses(case: Case, tmp_path: Path, valid_base: None) -> None:
    data = broken_copy(case, tmp_path)
    site = tmp_path / "site"
    result = run_build(site, data_dir=data)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the build accepted broken data ({case.name}):\n{output}"
    assert "Traceback" not in output, f"a traceback leaked instead of a clean message:\n{output}"
    assert not missing(output, case), f"the message lacks {missing(output, case)}:\n{output}"
    assert not (site / "index.html").exists(), "a page was written from bad data"


@pytest.mark.slow  # a second whole-site build: `make test` runs it, `make check` does not
def test_round_trip_copy_still_builds(hostile_build) -> None:
    """Control: the harness itself (a copy of the project, every data file re-dumped through yaml as
    the dict-based changes write it) builds. The build is shared with test_site's escaping tests, so
    its only edits are the hostile text they look for, which must not stop a build either."""
    result, site, _ = hostile_build
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site / "index.html").is_file()


def test_round_trip_copy_is_the_same_data(tmp_path: Path, valid_base: None) -> None:
    """Control for the dict-based changes: an unmodified copy, every file re-dumped through yaml, is
    the same dataset (so it builds the same site) and gives the same schedules."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    for path in data.glob("*.yaml"):
        redump(path)
    copy, real = load(data), load(DATA)
    assert copy == real
    assert compute_all(copy) == compute_all(real)


def test_case_names_are_unique() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    assert len(CASES) >= 30


def test_every_bad_data_file_is_used() -> None:
    used = {case.change for case in CASES if isinstance(case.change, str)}
    for path in BAD.glob("*.yaml"):
        assert path.read_text(encoding="utf-8") in used, f"{path.name} is not used by any case"
