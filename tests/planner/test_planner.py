"""One algorithm, two runtimes: taper-engine.js must give exactly the rows macros/taper.py gives.

- vectors.py builds many plans and what the Python engine builds for each, afresh in every test
  session (the `vectors` fixture writes them to a temporary vectors.json); run_vectors.mjs runs
  every one through taper-engine.js and reports any difference.
- validate_cases.mjs unit-tests the planner form's input checks against the site's real data.

Both need node. Without it the tests are skipped locally, and fail in CI (CI=true).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

import pytest

from macros.data import load
from macros.data.equivalents import equivalence_key, equivalence_label, single_value
from macros.render.planner_data import planner_data, planner_json
from macros.schedules import unswitchable
from tests.conftest import redump
from tests.planner import vectors as generator

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NODE = shutil.which("node")


class Vectors(NamedTuple):
    data: dict  # {count, formats, vectors}, as vectors.py generates them
    file: Path  # the same, as the vectors.json node reads


@pytest.fixture(scope="module")
def vectors(tmp_path_factory) -> Vectors:
    """Every parity vector, generated from macros/engine/taper.py in this session (all of them, in every profile)."""
    data = generator.generate()
    file = tmp_path_factory.mktemp("planner-vectors") / "vectors.json"
    generator.write(data, file)
    return Vectors(data, file)


@pytest.fixture(scope="module")
def node() -> str:
    if NODE is None:
        if os.environ.get("CI"):
            pytest.fail("node is required in CI for the planner parity tests (install Node 20 or later)")
        pytest.skip("node is not installed: the taper-engine.js parity tests need it (they run in CI)")
    return NODE


def run_node(node: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [node, *args], cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})}
    )


def test_vectors_are_plentiful_and_cover_both_outcomes(vectors):
    """What node reads is what the generator built from macros/taper.py today, and there is plenty of it."""
    assert json.loads(vectors.file.read_text(encoding="utf-8")) == vectors.data
    assert vectors.data["count"] == len(vectors.data["vectors"]) >= 200
    kinds = {"error" if "error" in v["expected"] else "rows" for v in vectors.data["vectors"]}
    assert kinds == {"error", "rows"}


def test_vectors_cover_crossovers_and_the_liquid_tail_after_one(vectors):
    stored = vectors.data["vectors"]
    crossing = [v for v in stored if v["plan"]["crossover"] and "rows" in v["expected"]]
    assert len(crossing) >= 150
    assert {len(v["plan"]["start_doses"]) for v in crossing} == {1, 2, 3, 4}
    assert any(v["plan"]["crossover"] and "error" in v["expected"] for v in stored)
    switched_late = [
        v
        for v in crossing
        if any(n["code"] == "tail" for r in v["expected"]["rows"] if r["kind"] == "reduction" for n in r["notes"])
    ]
    assert switched_late, "no vector shows the liquid tail's note after a crossover"


def test_vectors_cover_every_note_holds_bands_and_a_tail_for_any_dose(vectors):
    """Every note code words.py knows, reader holds, banded steps and tail_below None reach the parity test."""
    stored = vectors.data["vectors"]
    built = [v for v in stored if "rows" in v["expected"]]
    codes = {n["code"] for v in built for r in v["expected"]["rows"] for n in r["notes"] + r["warnings"]}
    assert codes == {
        "equivalence",
        "switched",
        "tail",
        "dose-stopped",
        "held",
        "step-capped",
        "stop",
        "reader-hold",
        "cut-above-limit",
        "stop-above-end",
    }
    assert any(v["plan"]["holds"] for v in built)
    assert any(v["plan"]["holds"] and "error" in v["expected"] for v in stored)
    assert any(v["plan"]["method"] == "banded" for v in built)
    assert any(v["plan"]["tail"] and v["plan"]["tail_below"] is None for v in built)
    assert all(v["expected"]["summary"] for v in built)
    assert {len(r["doses"]) for v in built for r in v["expected"]["rows"]} == {1, 2, 3, 4}


def test_planner_js_matches_the_python_engine_on_every_vector(node, vectors):
    result = run_node(node, "tests/planner/run_vectors.mjs", str(vectors.file))
    assert result.returncode == 0, f"taper-engine.js differs from macros/taper.py:\n{result.stdout}\n{result.stderr}"
    assert " 0 mismatch;" in result.stdout, result.stdout
    assert f"of {vectors.data['count']} vectors match" in result.stdout, result.stdout


def test_planner_form_validation(node, vectors, tmp_path):
    data = tmp_path / "planner-data.json"
    data.write_text(json.dumps(planner_data(load(ROOT / "data"))))
    env = {"PLANNER_DATA": str(data), "PLANNER_VECTORS": str(vectors.file)}
    result = run_node(node, "--test", "tests/planner/validate_cases.mjs", env=env)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert "# fail 0" in result.stdout


def test_planner_cautions_and_comparison(node, tmp_path):
    data = tmp_path / "planner-data.json"
    data.write_text(json.dumps(planner_data(load(ROOT / "data"))))
    result = run_node(node, "--test", "tests/planner/review_cases.mjs", env={"PLANNER_DATA": str(data)})
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert "# fail 0" in result.stdout


def test_planner_data_cannot_break_out_of_its_script_block(dataset):
    text = planner_json(dataset)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == planner_data(dataset)


def test_planner_data_is_exact_and_from_the_guideline(dataset):
    data = planner_data(dataset)
    guide = dataset.guideline_by_id["jcpg-2025"]
    assert "." not in data["guideline"]["max_cut"]
    assert Fraction(data["guideline"]["max_cut"]) == Fraction(guide.max_cut.percent) / 100
    ids = {(m["id"], f["id"]) for m in data["medications"] for f in m["formulations"]}
    assert ids == {(m.id, f.id) for m in dataset.medications for f in m.formulations}
    for med in data["medications"]:
        for f in med["formulations"]:
            numbers = [f["mg"], f["ml"]] if f["liquid"] else f["strengths"] + f["halvable"]
            assert all("/" in n and "." not in n for n in numbers), (med["id"], f["id"])


def test_planner_equivalents_are_each_sources_own_value_and_ranges_are_unavailable(dataset):
    data = planner_data(dataset)
    for med, entry in zip(dataset.medications, data["medications"], strict=True):
        assert [e["id"] for e in entry["equivalents"]] == [equivalence_key(e) for e in med.equivalents]
        for eq, out in zip(med.equivalents, entry["equivalents"], strict=True):
            assert out["source"] in dataset.source_by_id
            assert out["label"] == equivalence_label(dataset, eq)  # the source_label the engine prints
            value = single_value(eq)
            if value is None:
                assert out["mg_per_diazepam_10"] is None and "range" in out["unavailable"]
            else:
                assert Fraction(out["mg_per_diazepam_10"]) == value and out["unavailable"] == ""
    lorazepam = next(m for m in data["medications"] if m["id"] == "lorazepam")
    scotland = next(e for e in lorazepam["equivalents"] if e["id"] == "scotland-2024")
    assert scotland["mg_per_diazepam_10"] == "1/1"  # 0.5 mg per diazepam 5 mg, scaled, never averaged
    assert scotland["option"] == "NHS Scotland 2024: lorazepam 1 mg ≈ diazepam 10 mg (stated as 0.5 mg ≈ diazepam 5 mg)"


def test_planner_crossover_step_comes_from_a_sourced_fact_and_matches_the_examples(dataset):
    cross = planner_data(dataset)["crossover"]
    fact = dataset.fact_by_id[cross["step_fact"]]
    assert cross["step_source"] == fact.source and fact.source in dataset.source_by_id
    assert cross["step_weeks"] * 7 >= fact.value.max  # each switch is reviewed before the next
    assert {s.crossover.step_weeks for s in dataset.schedules if s.crossover} == {cross["step_weeks"]}
    assert any(m["id"] == cross["medication"] for m in planner_data(dataset)["medications"])


# A plausible source a maintainer adds, with one lorazepam equivalent and a new medicine; the ids are
# ones real data will not take.
NEW_SOURCE = {
    "id": "test-only-table",
    "kind": "review",
    "short": "Test-only table",
    "authors": "Example A",
    "title": "An equivalence table",
    "year": 2026,
    "url": "https://example.org/table",
    "note": "A test source.",
}
NEW_MEDICINE = {
    "id": "testonlyzolam",
    "generic": "testonlyzolam",
    "class": "benzodiazepine",
    "brands": {},
    "half_life": [{"hours": {"min": 10, "max": 20}, "source": "test-only-table"}],
    "equivalents": [{"source": "test-only-table", "mg": 1.5}],
    "formulations": [
        {
            "id": "tablet-uk",
            "form": "tablet",
            "strengths_mg": [1],
            "scored": False,
            "markets": ["uk"],
            "source": "test-only-table",
        }
    ],
}


@pytest.mark.slow  # a second generation of every vector
def test_new_data_adds_vectors_and_changes_no_other(vectors, tmp_path, monkeypatch):
    """A new source with a lorazepam equivalent and a new medicine: each vector that names neither
    is as it was (ids and sampled choices come from the vector's own ids, not from its place)."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    redump(data / "sources.yaml", lambda doc: doc["sources"].append(NEW_SOURCE))

    def add(doc: dict) -> None:
        lorazepam = next(m for m in doc["medications"] if m["id"] == "lorazepam")
        lorazepam["equivalents"].append({"source": NEW_SOURCE["id"], "mg": 1.5})
        doc["medications"].append(NEW_MEDICINE)

    redump(data / "medications.yaml", add)
    monkeypatch.setattr(generator, "DATA", data)
    after = {v["id"]: v for v in generator.generate()["vectors"]}
    before = {v["id"]: v for v in vectors.data["vectors"]}
    assert set(before) <= set(after)
    named = ("lorazepam", NEW_MEDICINE["id"])
    changed = [i for i, v in before.items() if not any(n in i for n in named) and after[i] != v]
    assert changed == []
    added = set(after) - set(before)
    assert any(NEW_MEDICINE["id"] in i for i in added)
    assert any(NEW_SOURCE["id"] in i and "lorazepam" in i for i in added)


def _with_new_medicine(tmp_path: Path, mg_per_diazepam_10: float) -> Path:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    redump(data / "sources.yaml", lambda doc: doc["sources"].append(NEW_SOURCE))
    medicine = {**NEW_MEDICINE, "equivalents": [{"source": NEW_SOURCE["id"], "mg": mg_per_diazepam_10}]}
    redump(data / "medications.yaml", lambda doc: doc["medications"].append(medicine))
    return data


def test_a_switch_no_diazepam_tablets_can_make_is_offered_disabled_with_its_reason(tmp_path):
    """1 mg tablets at 1.7 mg ≈ diazepam 10 mg: no dose up to diazepam 40 mg converts to one diazepam
    tablets make. The data is sourced, so it builds; the planner shows the source, disabled, and why."""
    ds = load(_with_new_medicine(tmp_path, 1.7))
    (eq,) = next(m for m in planner_data(ds)["medications"] if m["id"] == NEW_MEDICINE["id"])["equivalents"]
    assert eq["mg_per_diazepam_10"] is None
    assert eq["unavailable"].startswith("gives testonlyzolam 1 mg ≈ diazepam 5.88 mg, and no dose of testonlyzolam")
    (line,) = unswitchable(ds)
    assert line.startswith(
        f"medications.yaml: testonlyzolam: the planner offers no switch to diazepam by {eq['label']}"
    )


def test_a_switch_some_dose_can_make_is_offered(tmp_path):
    """1.5 mg ≈ diazepam 10 mg with 1 mg tablets: 3 mg is diazepam 20 mg, so the switch is offered."""
    ds = load(_with_new_medicine(tmp_path, 1.5))
    (eq,) = next(m for m in planner_data(ds)["medications"] if m["id"] == NEW_MEDICINE["id"])["equivalents"]
    assert (eq["mg_per_diazepam_10"], eq["unavailable"]) == ("3/2", "")
    assert unswitchable(ds) == []
