"""`make update`: one command refreshes every generated file and says which it touched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scripts.update import changes

from .conftest import copy_project, redump
from .planner.test_planner import NEW_MEDICINE, NEW_SOURCE


def update(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scripts.update"], cwd=project, capture_output=True, text=True, timeout=600
    )


def test_update_names_each_file_it_created_changed_or_removed() -> None:
    before = {"a": "1", "b": "2", "c": "3"}
    after = {"a": "1", "b": "9", "d": "4"}
    assert changes(before, after) == [("changed", "b"), ("removed", "c"), ("created", "d")]


@pytest.mark.slow  # a strict build of a copy of the project
def test_every_generated_file_matches_the_data_and_engine_as_committed(tmp_path: Path) -> None:
    run = update(copy_project(tmp_path / "project"))
    assert run.returncode == 0, run.stderr
    assert "Nothing changed" in run.stdout, run.stdout


@pytest.mark.slow
def test_a_new_medicine_gets_its_page_schema_id_and_stable_urls_from_one_command(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    redump(project / "data" / "sources.yaml", lambda doc: doc["sources"].append(NEW_SOURCE))
    redump(project / "data" / "medications.yaml", lambda doc: doc["medications"].append(NEW_MEDICINE))
    run = update(project)
    assert run.returncode == 0, run.stderr
    listed = {line.split()[1]: line.split()[0] for line in run.stdout.splitlines() if line.startswith("  ")}
    assert listed[f"docs/medicines/{NEW_MEDICINE['id']}.md"] == "created"
    assert listed["schemas/medications.schema.json"] == "changed"  # the new id is one an editor accepts
    assert listed["tests/stable_urls.txt"] == "changed"
    assert f"/medicines/{NEW_MEDICINE['id']}/" in (project / "tests" / "stable_urls.txt").read_text(encoding="utf-8")
