"""Golden files: every example schedule's rows are pinned, so any change to them is deliberate."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from macros.schedules import compute_all

from .golden_update import GOLDEN, render


@pytest.fixture(scope="module")
def results(dataset):
    return compute_all(dataset)


def test_every_schedule_has_a_golden_file_and_matches_it(results):
    for schedule_id, result in results.items():
        path = GOLDEN / f"{schedule_id}.json"
        assert path.is_file(), f"no golden file for {schedule_id}: run `make golden` and review the rows"
        assert render(result) == path.read_text(encoding="utf-8"), (
            f"{schedule_id} changed: if deliberate, run `make golden` and review the diff"
        )


def test_every_golden_file_belongs_to_a_schedule_that_exists(results):
    stale = [p.stem for p in GOLDEN.glob("*.json") if p.stem not in results]
    assert not stale, f"golden files for schedules no longer in data: {stale}"


def test_golden_files_start_at_the_starting_dose_and_end_at_zero(dataset):
    for schedule in dataset.schedules:
        rows = json.loads((GOLDEN / f"{schedule.id}.json").read_text(encoding="utf-8"))["rows"]
        assert rows[0]["kind"] == "start" and rows[-1]["kind"] == "final-stop"
        assert rows[-1]["daily"] == "0/1"
        if schedule.crossover is None:
            start = [Fraction(d["mg"]) for d in rows[0]["doses"]]
            assert start == [Fraction(str(d)) for d in schedule.start_doses_mg]
