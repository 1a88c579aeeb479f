"""The validated, cross-checked data: the only thing the rest of the package reads."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from .models import (
    ChangelogEntry,
    EmergencyNumber,
    Fact,
    Formulation,
    GlossaryTerm,
    Guideline,
    Interaction,
    Medication,
    Schedule,
    Settings,
    Source,
    Symptom,
)


@dataclass(frozen=True)
class Dataset:
    """All validated data, one tuple per file (named by its top-level key)."""

    sources: tuple[Source, ...]
    medications: tuple[Medication, ...]
    guidelines: tuple[Guideline, ...]
    schedules: tuple[Schedule, ...]
    facts: tuple[Fact, ...]
    symptoms: tuple[Symptom, ...]
    emergency: tuple[EmergencyNumber, ...]
    interactions: tuple[Interaction, ...]
    glossary: tuple[GlossaryTerm, ...]
    changelog: tuple[ChangelogEntry, ...]
    settings: Settings

    @cached_property
    def fact_by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.facts}

    @cached_property
    def source_by_id(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}

    @cached_property
    def medication_by_id(self) -> dict[str, Medication]:
        return {m.id: m for m in self.medications}

    @cached_property
    def guideline_by_id(self) -> dict[str, Guideline]:
        return {g.id: g for g in self.guidelines}

    @cached_property
    def schedule_by_id(self) -> dict[str, Schedule]:
        return {s.id: s for s in self.schedules}

    def source(self, source_id: str) -> Source:
        return _named(self.source_by_id, "source id", source_id)

    def medication(self, medication_id: str) -> Medication:
        return _named(self.medication_by_id, "medication", medication_id)

    def schedule(self, schedule_id: str) -> Schedule:
        return _named(self.schedule_by_id, "schedule", schedule_id)

    def ids(self, target: str) -> Mapping[str, Any]:
        """The items of one file by id, for a reference whose Ref names that file's key."""
        indexes: dict[str, Mapping[str, Any]] = {
            "sources": self.source_by_id,
            "medications": self.medication_by_id,
            "guidelines": self.guideline_by_id,
            "facts": self.fact_by_id,
            "schedules": self.schedule_by_id,
        }
        return indexes[target]


def formulation(med: Medication, formulation_id: str) -> Formulation | None:
    return next((f for f in med.formulations if f.id == formulation_id), None)


T = TypeVar("T")


def _named(index: Mapping[str, T], what: str, key: str) -> T:
    """The item with this id, or a KeyError that lists the ids there are (for a typo in a page's macro)."""
    try:
        return index[key]
    except KeyError:
        close = difflib.get_close_matches(str(key), list(index), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise KeyError(f"unknown {what} {key!r}; {hint}known: {', '.join(index)}") from None
