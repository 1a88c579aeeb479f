"""The real data files: complete, cross-referenced, and honest about what each source says."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from fractions import Fraction
from typing import Any

import jsonschema
import pytest
import yaml

from macros.data import DataError, load
from macros.data.equivalents import per_diazepam_10
from macros.data.models import ROOT_MODELS
from macros.data.schema import FRONT_MATTER, schemas

from .conftest import ROOT, SAFE_LOADER, read_yaml, redump

REQUIRED_MEDICATIONS = [
    "alprazolam",
    "bromazepam",
    "chlordiazepoxide",
    "clobazam",
    "clonazepam",
    "clorazepate",
    "diazepam",
    "estazolam",
    "flurazepam",
    "lorazepam",
    "lormetazepam",
    "nitrazepam",
    "oxazepam",
    "temazepam",
    "triazolam",
    "zolpidem",
    "zopiclone",
    "eszopiclone",
    "zaleplon",
]


def test_every_required_medication_is_in_the_data(dataset):
    assert set(REQUIRED_MEDICATIONS) <= set(dataset.medication_by_id)


def test_every_medication_has_at_least_one_real_formulation_with_a_source(dataset):
    for med in dataset.medications:
        assert med.formulations, med.id
        for form in med.formulations:
            assert form.source in dataset.source_by_id


def test_equivalents_are_kept_per_source_and_never_merged(dataset):
    for med in dataset.medications:
        keys = [(e.source, e.column) for e in med.equivalents]
        assert len(keys) == len(set(keys)), med.id


def test_the_required_equivalence_sources_all_appear(dataset):
    used = {(e.source, e.column) for m in dataset.medications for e in m.equivalents}
    for key in [
        ("ashton-manual", None),
        ("jcpg-2025", "va-dod"),
        ("jcpg-2025", "ashton"),
        ("scotland-2024", None),
        ("who-2009", None),
    ]:
        assert key in used, key


def test_diazepam_is_ten_mg_in_every_source_that_lists_it(dataset):
    for eq in dataset.medication("diazepam").equivalents:
        assert per_diazepam_10(eq) == (Fraction(10), Fraction(10)), eq.source


def test_values_published_per_five_mg_are_scaled_to_ten(dataset):
    eq = next(e for e in dataset.medication("lorazepam").equivalents if e.source == "scotland-2024")
    assert eq.per_diazepam_mg == 5
    assert per_diazepam_10(eq) == (Fraction(1), Fraction(1))


def test_the_sources_disagree_where_the_reference_says_they_do(dataset):
    def value(drug: str, source: str, column: str | None = None) -> Fraction:
        eq = next(e for e in dataset.medication(drug).equivalents if (e.source, e.column) == (source, column))
        return per_diazepam_10(eq)[0]

    assert value("lorazepam", "jcpg-2025", "va-dod") == 2 * value("lorazepam", "ashton-manual")
    assert value("alprazolam", "jcpg-2025", "va-dod") == 2 * value("alprazolam", "ashton-manual")


def test_schedules_cover_every_strategy_and_the_required_examples(dataset):
    scheds = dataset.schedules
    assert len(scheds) >= 6
    assert {s.strategy for s in scheds} >= {"proportional", "crossover-to-diazepam"}
    assert any(s.reduction.step_mg is not None for s in scheds), "a fixed-step example"
    assert any(s.medication == "diazepam" and s.strategy == "proportional" for s in scheds)
    assert any(s.medication == "alprazolam" and s.crossover for s in scheds)
    assert any(s.medication == "lorazepam" and s.crossover for s in scheds)
    assert any(s.medication == "lorazepam" and not s.crossover for s in scheds)
    assert any(s.medication == "clonazepam" and not s.crossover for s in scheds)
    assert any(dataset.medication(s.medication).drug_class == "z-drug" for s in scheds)
    assert any(s.tail for s in scheds), "an example that moves to a liquid"


def test_each_data_file_names_its_json_schema():
    for name in ROOT_MODELS:
        first = (ROOT / "data" / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../schemas/{name.replace('.yaml', '.schema.json')}"


def test_committed_json_schemas_match_the_models(dataset):
    for name, text in schemas(dataset).items():
        committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert committed == text, f"schemas/{name} is stale: run `make schema`"


def test_main_py_imports_the_macros_package_by_absolute_name():
    """In a process of its own: main.py drops every loaded macros module (for `mkdocs serve`), which
    would leave this test session holding two copies of each class."""
    code = (
        "import importlib.util, sys; spec = importlib.util.spec_from_file_location('main_smoke', sys.argv[1]); "
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m); print(m.define_env.__module__)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(ROOT / "main.py")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "macros.adapter"


def test_a_misspelt_id_in_a_page_macro_is_answered_with_the_nearest_id(dataset):
    with pytest.raises(KeyError, match="unknown medication 'lorazepm'; did you mean 'lorazepam'\\?"):
        dataset.medication("lorazepm")


def test_an_id_renamed_into_a_duplicate_is_the_only_problem_reported(tmp_path, dataset):
    """Renaming one medicine to another's id leaves what referred to the old id dangling; those
    follow from the one mistake, so the message names the duplicate alone."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    used = {s.medication for s in dataset.schedules}
    first, renamed = [m.id for m in dataset.medications if m.id in used][:2]  # each used by a schedule

    def rename(doc):
        next(m for m in doc["medications"] if m["id"] == renamed)["id"] = first

    redump(data / "medications.yaml", rename)
    with pytest.raises(DataError) as caught:
        load(data)
    assert "1 problem(s)" in str(caught.value)
    assert f"duplicate id {first!r}" in str(caught.value)


def as_editors_see(doc: Any) -> Any:
    """A YAML editor checks a date as the text it is written as."""
    return json.loads(json.dumps(doc, default=str))


def _schema_for(name: str) -> Any:
    return json.loads((ROOT / "schemas" / name.replace(".yaml", ".schema.json")).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(ROOT_MODELS))
def test_each_data_file_passes_its_json_schema_as_an_editor_checks_it(name):
    jsonschema.validate(as_editors_see(read_yaml(ROOT / "data" / name)), _schema_for(name))


def test_the_json_schema_underlines_an_unknown_source_id_while_typing():
    doc = read_yaml(ROOT / "data" / "facts.yaml")
    doc["facts"][0]["source"] = "jcpg-2052"
    with pytest.raises(jsonschema.ValidationError, match="'jcpg-2052' is not one of"):
        jsonschema.validate(doc, _schema_for("facts.yaml"))


def test_every_page_front_matter_passes_the_front_matter_schema():
    schema = json.loads((ROOT / "schemas" / FRONT_MATTER).read_text(encoding="utf-8"))
    for md in sorted((ROOT / "docs").rglob("*.md")):
        meta = yaml.load(md.read_text(encoding="utf-8").split("---\n", 2)[1], Loader=SAFE_LOADER)
        jsonschema.validate(as_editors_see(meta), schema)
