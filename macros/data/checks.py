"""Cross-file checks, after every file has validated on its own: every id that points elsewhere
lands somewhere real, ids are unique, and each schedule's choices fit its medicine.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from .dataset import Dataset, formulation
from .equivalents import find_equivalent
from .errors import Problem, problem
from .models import Guideline
from .references import Loc, Ref, find_id_lists, find_refs


def _suggest(wrong: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(wrong, list(known), n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""


def unknown_ref(ref: Ref, value: str, known: Iterable[str]) -> str:
    """What to say about an id that names nothing, by what it should name."""
    if ref.target == "sources":
        return f"unknown source id {value!r}; it must be an id in sources.yaml{_suggest(value, known)}"
    return f"unknown {ref.target.removesuffix('s')} {value!r}; allowed: {', '.join(known)}"


_NUMBER = r"(\d+(?:\.\d+)?)(?:\s*[–-]\s*(\d+(?:\.\d+)?))?\s*"


def _numbers_before(text: str, unit: str) -> set[float]:
    """Every number, or both ends of a range, written just before `unit` ("5–10%", "every 2 weeks")."""
    found: set[float] = set()
    for low, high in re.findall(_NUMBER + unit, text):
        found |= {float(low), *([float(high)] if high else [])}
    return found


_PACE_FIELDS = {"%": "cut_percent and max_cut.percent", "weeks": "interval_weeks and max_cut.per_weeks"}


def pace_numbers(guide: Guideline) -> dict[str, set[float]] | None:
    """The percentages and weeks a guideline's numeric fields give, or None when it has none."""
    if guide.cut_percent is None and guide.interval_weeks is None and guide.max_cut is None:
        return None
    percent: set[float] = set()
    weeks: set[float] = set()
    if guide.cut_percent:
        percent |= {guide.cut_percent.min, guide.cut_percent.max}
    if guide.interval_weeks:
        weeks |= {guide.interval_weeks.min, guide.interval_weeks.max}
    if guide.max_cut:
        percent.add(guide.max_cut.percent)
        weeks.add(guide.max_cut.per_weeks)
    return {"%": percent, "weeks": weeks}


class Checker:
    """Collects the problems of one dataset, each placed at its file, line and path."""

    def __init__(self, ds: Dataset, raws: dict[str, Any], lines: dict[str, dict[Loc, int]]) -> None:
        self.ds, self.raws, self.lines = ds, raws, lines
        self.problems: list[Problem] = []

    def add(self, file: str, loc: Loc, message: str) -> None:
        self.problems.append(problem(file, self.raws[file], self.lines[file], loc, message))

    def references(self, file: str, parsed: BaseModel) -> None:
        for loc, ref, value in find_refs(parsed):
            known = self.ds.ids(ref.target)
            if value not in known:
                self.add(file, loc, unknown_ref(ref, value, known))

    def duplicates(self, file: str, parsed: BaseModel) -> None:
        for base, items in find_id_lists(parsed):
            seen: dict[str, int] = {}
            for i, item in enumerate(items):
                if item.id in seen:
                    message = f"duplicate id {item.id!r}; ids must be unique (first used by item {seen[item.id] + 1})"
                    self.add(file, (*base, i, "id"), message)
                else:
                    seen[item.id] = i

    def column(self, file: str, loc: Loc, source_id: str, column: str | None) -> bool:
        """A source with named columns needs one of them; a source without has none. False if not."""
        source = self.ds.source_by_id.get(source_id)
        if source is None:
            return False
        columns = source.columns or {}
        if columns and column is None:
            message = f"source {source_id!r} has several columns; say which with column: one of {', '.join(columns)}"
            self.add(file, loc, message)
            return False
        if column is not None and column not in columns:
            allowed = ", ".join(columns) or "none (this source declares no columns)"
            self.add(file, loc, f"unknown column {column!r} for source {source_id!r}; allowed: {allowed}")
            return False
        return True

    def equivalents(self) -> None:
        file = "medications.yaml"
        for i, med in enumerate(self.ds.medications):
            pairs: set[tuple[str, str | None]] = set()
            for j, eq in enumerate(med.equivalents):
                loc: Loc = ("medications", i, "equivalents", j)
                self.column(file, (*loc, "column"), eq.source, eq.column)
                if (eq.source, eq.column) in pairs:
                    self.add(
                        file,
                        (*loc, "source"),
                        f"a second equivalent from {eq.source!r}{'/' + eq.column if eq.column else ''}; "
                        "one value per source",
                    )
                pairs.add((eq.source, eq.column))

    def schedules(self) -> None:
        """Each schedule's formulation, limit, switch and tail must fit the medicines it names."""
        ds, file = self.ds, "schedules.yaml"
        for i, sched in enumerate(ds.schedules):
            base: Loc = ("schedules", i)
            med = ds.medication_by_id.get(sched.medication)
            if med is None:
                continue  # already reported as an unknown medication
            if formulation(med, sched.formulation) is None:
                allowed = ", ".join(f.id for f in med.formulations)
                self.add(
                    file,
                    (*base, "formulation"),
                    f"{med.id} has no formulation {sched.formulation!r}; allowed: {allowed}",
                )
            guide = ds.guideline_by_id.get(sched.limit)
            if guide is None or guide.max_cut is None:
                allowed = ", ".join(g.id for g in ds.guidelines if g.max_cut)
                self.add(
                    file, (*base, "limit"), f"{sched.limit!r} is not a guideline with a max_cut; allowed: {allowed}"
                )
            taper_med = med
            if sched.crossover:
                cross = sched.crossover
                choice = cross.equivalence
                choice_ok = choice.source in ds.source_by_id and self.column(
                    file, (*base, "crossover", "equivalence", "column"), choice.source, choice.column
                )
                diazepam = ds.medication_by_id.get("diazepam")
                if diazepam is None:
                    self.add(file, (*base, "crossover"), "a crossover needs 'diazepam' in medications.yaml")
                    continue
                taper_med = diazepam
                if formulation(diazepam, cross.diazepam_formulation) is None:
                    allowed = ", ".join(f.id for f in diazepam.formulations)
                    self.add(
                        file,
                        (*base, "crossover", "diazepam_formulation"),
                        f"diazepam has no formulation {cross.diazepam_formulation!r}; allowed: {allowed}",
                    )
                if med.id == "diazepam":
                    message = "a diazepam schedule cannot cross over to diazepam; taper it directly"
                    self.add(file, (*base, "strategy"), message)
                if choice_ok and find_equivalent(med, choice.source, choice.column) is None:
                    self.add(
                        file,
                        (*base, "crossover", "equivalence"),
                        f"medications.yaml gives no {med.id} equivalent from {choice.source!r}"
                        f"{'/' + choice.column if choice.column else ''}; choose a source that does",
                    )
            if sched.tail and formulation(taper_med, sched.tail.formulation) is None:
                allowed = ", ".join(f.id for f in taper_med.formulations)
                self.add(
                    file,
                    (*base, "tail", "formulation"),
                    f"{taper_med.id} has no formulation {sched.tail.formulation!r}; allowed: {allowed}",
                )

    def guidelines(self) -> None:
        """A guideline's pace text and its numbers say the same: the planner reads the numbers, readers
        read the text, and an edit to one alone would show two paces."""
        for i, guide in enumerate(self.ds.guidelines):
            numbers = pace_numbers(guide)
            if numbers is None:
                continue
            written = {"%": _numbers_before(guide.pace, "%"), "weeks": _numbers_before(guide.pace, r"weeks?\b")}
            for unit, field_says in numbers.items():
                if written[unit] != field_says:
                    text = ", ".join(f"{n:g}" for n in sorted(written[unit])) or "none"
                    want = ", ".join(f"{n:g}" for n in sorted(field_says)) or "none"
                    fields = (
                        "cut_percent and max_cut.percent" if unit == "%" else "interval_weeks and max_cut.per_weeks"
                    )
                    self.add(
                        "guidelines.yaml",
                        ("guidelines", i, "pace"),
                        f"the text gives {text} ({unit}) but {fields} give {want}; make the pace text and the "
                        "numbers agree",
                    )

    def settings(self) -> None:
        """The planner offers its guideline's usual cut, interval and limit, so it needs all three; the
        switch step is read in days."""
        ds = self.ds
        fact = ds.fact_by_id.get(ds.settings.switch_step_fact)
        if fact is not None and fact.unit != "days":
            message = f"fact {fact.id!r} is in {fact.unit!r}; the switch step needs a fact in days"
            self.add("settings.yaml", ("settings", "switch_step_fact"), message)
        end = ds.fact_by_id.get(ds.settings.taper_end_fact)
        if end is not None and (end.unit != "mg" or not end.value.single):
            message = f"fact {end.id!r} is {end.value} {end.unit!r}; the end point needs one value in mg (diazepam)"
            self.add("settings.yaml", ("settings", "taper_end_fact"), message)
        self.cautions()
        guide = ds.guideline_by_id.get(ds.settings.planner_guideline)
        if guide is not None and (guide.max_cut is None or guide.cut_percent is None or guide.interval_weeks is None):
            allowed = ", ".join(g.id for g in ds.guidelines if g.max_cut and g.cut_percent and g.interval_weeks)
            self.add(
                "settings.yaml",
                ("settings", "planner_guideline"),
                f"{guide.id!r} lacks cut_percent, interval_weeks or max_cut (the planner needs them); "
                f"allowed: {allowed}",
            )

    def cautions(self) -> None:
        """Each caution's fact is read in one unit: diazepam mg a day, years, mL."""
        ds, c = self.ds, self.ds.settings.planner_cautions
        named: list[tuple[Loc, str, str]] = [
            *((("high_dose_facts", i), fid, "mg") for i, fid in enumerate(c.high_dose_facts)),
            (("older_adult_fact",), c.older_adult_fact, "years"),
            (("syringe_fact",), c.syringe_fact, "mL"),
        ]
        for path, fid, unit in named:
            fact = ds.fact_by_id.get(fid)
            if fact is not None and (fact.unit != unit or not fact.value.single):
                message = f"fact {fid!r} is {fact.value} {fact.unit!r}; this caution needs one value in {unit!r}"
                self.add("settings.yaml", ("settings", "planner_cautions", *path), message)


def check(
    ds: Dataset, parsed: dict[str, BaseModel], raws: dict[str, Any], lines: dict[str, dict[Loc, int]]
) -> list[Problem]:
    """Every problem that needs more than one file to see."""
    checker = Checker(ds, raws, lines)
    for file, model in parsed.items():
        checker.duplicates(file, model)
    if checker.problems:  # an id written twice is often one renamed by mistake: what refers to the old
        return checker.problems  # name would be reported too, as if it were a second mistake
    for file, model in parsed.items():
        checker.references(file, model)
    checker.equivalents()
    checker.schedules()
    checker.guidelines()
    checker.settings()
    return checker.problems
