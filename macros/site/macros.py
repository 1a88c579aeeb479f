"""The macros that pages call, as plain methods over the dataset and the computed schedules.

Callable without MkDocs: `SiteMacros(ds, results)`, then `start_page("tapering.md", sources)` for
each page (citations are numbered per page), then any macro. The adapter registers every method
marked `@macro` under its own name.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from ..data import Dataset
from ..engine import Result
from ..render import charts, medicines, schedules, tables, text
from ..render.citations import Citations
from ..render.common import Column, inert
from ..render.planner_data import named_sources, script_json
from ..render.planner_data import planner_data as planner_document

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def macro(fn: F) -> F:
    """Mark a method as a macro pages may call, under the method's name."""
    fn.__sbw_macro__ = True  # type: ignore[attr-defined]
    return fn


def macro_names() -> list[str]:
    return [name for name, value in vars(SiteMacros).items() if getattr(value, "__sbw_macro__", False)]


def pick(ids: Sequence[str] | str | None, known: Mapping[str, T], what: str) -> list[T]:
    """The items named (all, in data order, when none are), or a KeyError listing what is known."""
    if ids is None:
        return list(known.values())
    wanted = [ids] if isinstance(ids, str) else list(ids)
    missing = [i for i in wanted if i not in known]
    if missing:
        raise KeyError(f"unknown {what} {', '.join(map(repr, missing))}; known: {', '.join(known)}")
    return [known[i] for i in wanted]


def column_name(column: Column) -> str:
    """How a page names an equivalence column: 'ashton-manual' or 'jcpg-2025/va-dod'."""
    return column[0] + (f"/{column[1]}" if column[1] else "")


def select_columns(columns: Sequence[Column], wanted: Sequence[str]) -> list[Column]:
    """The columns a page asked for, by source id (all its columns) or 'source/column'."""

    def matches(col: Column, name: str) -> bool:
        return name in (col[0], column_name(col))

    unknown = [w for w in wanted if not any(matches(c, w) for c in columns)]
    if unknown:
        raise KeyError(
            f"no equivalents from {', '.join(map(repr, unknown))} for these drugs; "
            f"use a source id or 'source/column' from: {', '.join(column_name(c) for c in columns)}"
        )
    return [c for c in columns if any(matches(c, w) for w in wanted)]


class SiteMacros:
    """One instance per build: the dataset, every schedule's rows, and each page's citations."""

    def __init__(self, ds: Dataset, results: Mapping[str, Result]) -> None:
        self.ds = ds
        self.results = results
        self.start_page("")

    def start_page(self, src_uri: str, declared_sources: Sequence[str] = ()) -> None:
        """The page whose macros run next: its citations are numbered from 1, its sources listed."""
        self._page = src_uri
        self._declared = tuple(declared_sources)
        self._citations = Citations(self.ds.source_by_id)

    def _result(self, schedule_id: str) -> tuple[Result, str]:
        title = self.ds.schedule(schedule_id).title  # a clear error for an unknown id
        return self.results[schedule_id], title

    # --- citations ---------------------------------------------------------------------------

    @macro
    def cite(self, *source_ids: str) -> str:
        return self._citations.cite(*source_ids)

    @macro
    def references(self) -> str:
        html = self._citations.reference_list(self._declared)
        return html or "<p>No sources are cited on this page.</p>"

    # --- medicines -----------------------------------------------------------------------------

    @macro
    def equivalence_table(
        self,
        drugs: list[str] | None = None,
        sources: list[str] | None = None,
        table_id: str = "equivalence",
        row_prefix: str = "eq",
    ) -> str:
        """All drugs and sources by default; `sources` takes ids or 'source/column'."""
        meds = pick(drugs, self.ds.medication_by_id, "medication")
        columns = medicines.equivalence_columns(self.ds, meds)
        if sources is not None:
            columns = select_columns(columns, sources)
        return medicines.equivalence_table(self.ds, meds, columns, self.cite, table_id, row_prefix)

    @macro
    def med(
        self, drug: str, fact: str, source: str | None = None, column: str | None = None, market: str | None = None
    ) -> str:
        """A fact for prose: half_life, equivalent (needs source), strengths, brands, name."""
        m = self.ds.medication(drug)
        facts: dict[str, Callable[[], str]] = {
            "half_life": lambda: medicines.half_life(m, self.cite, source),
            "equivalent": lambda: medicines.equivalent(m, self.cite, _needed(source), column),
            "strengths": lambda: medicines.strengths(m, self.cite, market),
            "brands": lambda: medicines.brands(m, self.cite),
            "name": lambda: inert(m.generic),
        }
        if fact not in facts:
            close = difflib.get_close_matches(fact, list(facts), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ValueError(f"unknown fact {fact!r}; {hint}allowed: {', '.join(facts)}")
        return facts[fact]()

    @macro
    def medication_ids(self) -> list[str]:
        return [m.id for m in self.ds.medications]

    @macro
    def medicine_page(self, medication_id: str) -> str:
        """Everything the data knows about one medicine, with stable section ids."""
        med = self.ds.medication(medication_id)
        examples = [(s.id, s.title, self.results[s.id]) for s in self.ds.schedules if s.medication == med.id]
        return medicines.medicine_page(self.ds, med, examples, self.cite)

    @macro
    def medicine_links(self) -> str:
        return "\n".join(f"- [{inert(m.generic.capitalize())}]({m.id}.md)" for m in self.ds.medications)

    @macro
    def half_life_chart(self, drugs: list[str] | None = None) -> str:
        return charts.half_life_chart(pick(drugs, self.ds.medication_by_id, "medication"))

    # --- schedules -----------------------------------------------------------------------------

    @macro
    def schedule_table(self, schedule_id: str) -> str:
        res, title = self._result(schedule_id)
        return schedules.schedule_table(res, schedule_id, title)

    @macro
    def taper_chart(self, schedule_id: str) -> str:
        res, title = self._result(schedule_id)
        return schedules.taper_chart(res, schedule_id, title)

    @macro
    def schedule_parameters(self, schedule_id: str) -> str:
        res, _ = self._result(schedule_id)
        return schedules.schedule_parameters(self.ds, schedule_id, res, self.cite)

    @macro
    def schedule_ids(self) -> list[str]:
        return [s.id for s in self.ds.schedules]

    @macro
    def schedule_facts(self, schedule_id: str) -> dict[str, Any]:
        """What a schedule does, for prose that explains it: switches? liquid tail? warned steps?"""
        res, _ = self._result(schedule_id)
        return {
            "switches": res.plan.crossover is not None,
            "liquid_tail": res.plan.tail is not None,
            "warned_steps": sum(1 for r in res.rows if r.warnings),
            "weeks": res.weeks,
        }

    @macro
    def schedule_title(self, schedule_id: str) -> str:
        return inert(self._result(schedule_id)[1])

    @macro
    def planner_data(self) -> str:
        """The planner's JSON; every source it can name joins this page's reference list, so a new
        equivalence source needs no edit of the page."""
        data = planner_document(self.ds)
        for source_id in named_sources(data):
            self._citations.number(source_id)
        return script_json(data)

    # --- other tables and text -------------------------------------------------------------------

    @macro
    def fact(self, fact_id: str) -> str:
        """A sourced number for prose from data/facts.yaml."""
        return text.fact(pick(fact_id, self.ds.fact_by_id, "fact")[0], self.cite)

    @macro
    def symptoms_table(
        self,
        group: str | None = None,
        urgent: bool | None = None,
        table_id: str = "symptoms",
        caption: str | None = None,
    ) -> str:
        chosen = [
            s
            for s in self.ds.symptoms
            if (group is None or s.group == group) and (urgent is None or s.urgent == urgent)
        ]
        if not chosen:
            raise ValueError(f"no symptoms match group={group!r}, urgent={urgent!r}")
        return tables.symptoms_table(chosen, self.cite, table_id, caption)

    @macro
    def emergency_numbers(self) -> str:
        return tables.emergency_table(self.ds.emergency, self.cite)

    @macro
    def interactions_table(self, ids: list[str] | None = None, table_id: str = "interactions-table") -> str:
        """Dangerous combinations from data/interactions.yaml: all, or the ids given, in that order."""
        by_id = {i.id: i for i in self.ds.interactions}
        return tables.interactions_table(pick(ids, by_id, "interaction"), self.cite, table_id)

    @macro
    def guidelines_table(self, guidelines: list[str] | None = None) -> str:
        return tables.guidelines_table(pick(guidelines, self.ds.guideline_by_id, "guideline"), self.cite)

    @macro
    def changelog(self) -> str:
        """The change log from data, as Markdown, so MkDocs checks every page link in it."""
        return text.changelog(self.ds.changelog, self._page)

    @macro
    def glossary(self) -> str:
        return text.glossary_list(self.ds.glossary, self.cite)

    @macro
    def sources_list(self) -> str:
        return text.sources_list(self.ds)

    def tooltips(self) -> str:
        """Glossary terms as Markdown `abbr` definitions, appended to every page."""
        return text.abbreviations(self.ds.glossary)


def _needed(source: str | None) -> str:
    if source is None:
        raise ValueError("med(..., 'equivalent') needs source=: sources disagree, so name one")
    return source
