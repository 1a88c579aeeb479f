"""Load data/*.yaml, validate it, and check every cross-reference.

Any problem raises DataError whose message names the file, the line, the path
inside the file, what is wrong and what is allowed: the maintainer who made the
mistake at night should be able to fix it from the message alone.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .models import (
    ROOT_MODELS,
    ChangelogEntry,
    EmergencyNumber,
    Fact,
    Formulation,
    GlossaryTerm,
    Guideline,
    GuidelinesFile,
    Interaction,
    Medication,
    MedicationsFile,
    Schedule,
    SchedulesFile,
    Source,
    SourcesFile,
    Symptom,
)

Loc = tuple[str | int, ...]


class DataError(Exception):
    """Invalid data: the build must stop and say exactly where and why."""


@dataclass(frozen=True)
class Problem:
    file: str
    loc: Loc
    message: str
    line: int | None = None
    path: str = ""

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.path or '(top level)'}: {self.message}"


def _lines_by_loc(text: str) -> dict[Loc, int]:
    """Map each path in a YAML document to its 1-based line, for error messages."""
    lines: dict[Loc, int] = {}

    def walk(node: yaml.Node, loc: Loc) -> None:
        lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*loc, key.value))
                lines[(*loc, key.value)] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*loc, i))

    try:
        root = yaml.compose(text, Loader=_FastLoader)
    except yaml.YAMLError:
        return lines
    if root is not None:
        walk(root, ())
    return lines


def _display_path(raw: Any, loc: Loc) -> str:
    """Render a loc as `medications → alprazolam → formulations → 1 → strengths_mg`.

    List items that have an `id` are named by it, which is how maintainers think of them.
    """
    parts: list[str] = []
    node = raw
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            item = node[part]
            label = item.get("id") if isinstance(item, dict) else None
            parts.append(str(label) if isinstance(label, str) and label else str(part))
            node = item
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return " → ".join(parts)


def _schema_at(schema: dict[str, Any], loc: Loc) -> dict[str, Any] | None:
    """Follow loc through a JSON Schema, so messages can say what is allowed there."""
    defs = schema.get("$defs", {})

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = defs[node["$ref"].split("/")[-1]]
        if "anyOf" in node:
            options = [resolve(o) for o in node["anyOf"] if o.get("type") != "null"]
            if len(options) == 1:
                return {**options[0], **{k: v for k, v in node.items() if k not in ("anyOf",)}}
        return node

    node: dict[str, Any] | None = resolve(schema)
    for part in loc:
        if node is None:
            return None
        if isinstance(part, int):
            items = node.get("items")
            node = resolve(items) if isinstance(items, dict) else None
        else:
            # a number-or-range field is an anyOf: step into the branch that has this property
            branches = [resolve(o) for o in node.get("anyOf", [])] or [node]
            props = next((b["properties"] for b in branches if part in b.get("properties", {})), {})
            node = resolve(props[part]) if part in props else None
    return node


def _allowed(schema_node: dict[str, Any] | None) -> str:
    if not schema_node:
        return ""
    if "enum" in schema_node:
        return "one of " + ", ".join(repr(v) for v in schema_node["enum"])
    if "const" in schema_node:
        return repr(schema_node["const"])
    bits: list[str] = []
    kind = schema_node.get("type")
    if kind:
        bits.append(
            {
                "number": "a number",
                "integer": "a whole number",
                "string": "text",
                "array": "a list",
                "object": "a mapping",
                "boolean": "true or false",
            }.get(kind, kind)
        )
    for key, word in (
        ("exclusiveMinimum", "above"),
        ("minimum", "at least"),
        ("maximum", "at most"),
        ("exclusiveMaximum", "below"),
        ("minItems", "with at least this many items:"),
        ("maxItems", "with at most this many items:"),
        ("minLength", "at least this many characters:"),
        ("maxLength", "at most this many characters:"),
    ):
        if key in schema_node:
            bits.append(f"{word} {schema_node[key]}")
    if "pattern" in schema_node:
        bits.append(f"matching {schema_node['pattern']}")
    if "description" in schema_node and not bits:
        bits.append(schema_node["description"])
    elif "description" in schema_node:
        bits.append(f"({schema_node['description']})")
    return " ".join(bits)


_PLAIN = {
    "missing": "this field is required but missing",
    "extra_forbidden": "unknown field (a typo?)",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "string_type": "must be text",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a mapping of fields",
    "model_type": "must be a mapping of fields",
    "model_attributes_type": "must be a mapping of fields",
    "greater_than": "is too small",
    "greater_than_equal": "is too small",
    "less_than": "is too large",
    "less_than_equal": "is too large",
    "string_pattern_mismatch": "has characters or a form that is not allowed",
    "literal_error": "is not one of the allowed values",
    "too_short": "has too few items",
    "too_long": "has too many items",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long",
}


def _value_at(raw: Any, loc: Loc) -> Any:
    node = raw
    for part in loc:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _problems_from_validation(
    file: str, raw: Any, error: ValidationError, model: type, lines: dict[Loc, int]
) -> list[Problem]:
    schema = model.model_json_schema(by_alias=True)
    problems: list[Problem] = []
    seen: set[Loc] = set()
    for err in error.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p[:1].isupper()))
        loc = tuple(p for p in loc if p not in ("function-before[_scalar_to_range(), Range]",))
        if loc and loc[-1] in ("min", "max") and _is_number(_value_at(raw, loc[:-1])):
            loc = loc[:-1]  # the maintainer wrote one number; report it once, where they wrote it
        if loc in seen:
            continue  # one message per place: union branches repeat themselves
        seen.add(loc)
        kind = err["type"]
        if kind == "value_error":
            message = str(err["msg"]).removeprefix("Value error, ")
        else:
            message = _PLAIN.get(kind, str(err["msg"]))
            if kind != "missing" and kind != "extra_forbidden":
                message += f" (got {err.get('input')!r})"
            if kind == "extra_forbidden":
                parent = _schema_at(schema, loc[:-1]) or {}
                names = ", ".join(parent.get("properties", {}))
                if names:
                    message += f"; allowed fields here: {names}"
            else:
                allowed = _allowed(_schema_at(schema, loc))
                if allowed:
                    message += f"; allowed: {allowed}"
        line = lines.get(loc) or lines.get(loc[:-1])
        problems.append(Problem(file, loc, message, line, _display_path(raw, loc)))
    return problems


# libyaml's parser when PyYAML has it (about ten times faster); the pure-Python one otherwise.
_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_FastLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that refuses a key written twice in one mapping (YAML would keep the last silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"the key {key!r} appears twice in one mapping (first on line {seen[key]}); keep one",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _read(path: Path) -> tuple[Any, dict[Loc, int]]:
    name = path.name
    if not path.is_file():
        raise DataError(f"{name}: file is missing; expected it at {path}")
    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and start:  # e.g. an unclosed quote: say where it opened, not only where the file ended
            problem += f" ({context} that starts at line {start.line + 1}, column {start.column + 1})"
        raise DataError(f"{name}{where}: (top level): this is not valid YAML: {problem}") from None
    return raw, _lines_by_loc(text)


def _validate(path: Path, model: type) -> tuple[Any, Any, dict[Loc, int]]:
    """The validated model, the raw YAML and its line map (for cross-reference messages)."""
    raw, lines = _read(path)
    top = next(iter(model.model_fields))
    if not isinstance(raw, dict) or set(raw) != {top}:
        if raw is None:
            found = "nothing (the file is empty)"
        else:
            found = ", ".join(map(str, raw)) if isinstance(raw, dict) else type(raw).__name__
        raise DataError(f"{path.name}: (top level): expected exactly one top-level key '{top}', found: {found}")
    try:
        return model.model_validate(raw), raw, lines
    except ValidationError as exc:
        problems = _problems_from_validation(path.name, raw, exc, model, lines)
        raise DataError(_join(problems)) from None


def _join(problems: Sequence[Problem]) -> str:
    head = f"{len(problems)} problem(s) in the site's data; nothing was built:"
    return "\n".join([head, *(f"  - {p}" for p in problems)])


@dataclass(frozen=True)
class Dataset:
    """All validated data, cross-checked; the only thing the rest of the package reads."""

    sources: tuple[Source, ...]
    medications: tuple[Medication, ...]
    guidelines: tuple[Guideline, ...]
    schedules: tuple[Schedule, ...]
    facts: tuple[Fact, ...] = ()
    symptoms: tuple[Symptom, ...] = ()
    emergency: tuple[EmergencyNumber, ...] = ()
    interactions: tuple[Interaction, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()
    changelog: tuple[ChangelogEntry, ...] = ()

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
        try:
            return self.source_by_id[source_id]
        except KeyError:
            raise KeyError(f"unknown source id {source_id!r}; known: {', '.join(self.source_by_id)}") from None

    def medication(self, medication_id: str) -> Medication:
        try:
            return self.medication_by_id[medication_id]
        except KeyError:
            known = ", ".join(self.medication_by_id)
            raise KeyError(f"unknown medication {medication_id!r}; known: {known}") from None

    def schedule(self, schedule_id: str) -> Schedule:
        try:
            return self.schedule_by_id[schedule_id]
        except KeyError:
            known = ", ".join(self.schedule_by_id)
            raise KeyError(f"unknown schedule {schedule_id!r}; known: {known}") from None


def formulation(med: Medication, formulation_id: str) -> Formulation | None:
    return next((f for f in med.formulations if f.id == formulation_id), None)


def _duplicates(file: str, raw: Any, base: Loc, items: Iterable[Any], lines: dict[Loc, int]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.id in seen:
            loc: Loc = (*base, i, "id")
            problems.append(
                Problem(
                    file,
                    loc,
                    f"duplicate id {item.id!r}; ids must be unique (first used by item {seen[item.id] + 1})",
                    lines.get(loc),
                    _display_path(raw, loc),
                )
            )
        else:
            seen[item.id] = i
    return problems


def _suggest(wrong: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(wrong, list(known), n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""


def _check_references(ds: Dataset, raws: dict[str, Any], lines: dict[str, dict[Loc, int]]) -> list[Problem]:
    """Every id that points elsewhere must land somewhere real."""
    problems: list[Problem] = []

    def add(file: str, loc: Loc, message: str) -> None:
        problems.append(Problem(file, loc, message, lines[file].get(loc), _display_path(raws[file], loc)))

    def check_source(file: str, loc: Loc, source_id: str) -> None:
        if source_id not in ds.source_by_id:
            add(
                file,
                loc,
                f"unknown source id {source_id!r}; it must be an id in sources.yaml"
                f"{_suggest(source_id, ds.source_by_id)}",
            )

    def check_column(file: str, loc: Loc, source_id: str, column: str | None) -> None:
        source = ds.source_by_id.get(source_id)
        if source is None:
            return
        columns = source.columns or {}
        if columns and column is None:
            add(
                file,
                loc,
                f"source {source_id!r} has several columns; say which with column: one of {', '.join(columns)}",
            )
        elif column is not None and column not in columns:
            allowed = ", ".join(columns) or "none (this source declares no columns)"
            add(file, loc, f"unknown column {column!r} for source {source_id!r}; allowed: {allowed}")

    for name, key, items in (
        ("sources.yaml", "sources", ds.sources),
        ("medications.yaml", "medications", ds.medications),
        ("guidelines.yaml", "guidelines", ds.guidelines),
        ("schedules.yaml", "schedules", ds.schedules),
        ("facts.yaml", "facts", ds.facts),
        ("symptoms.yaml", "symptoms", ds.symptoms),
        ("emergency.yaml", "emergency", ds.emergency),
        ("interactions.yaml", "interactions", ds.interactions),
        ("glossary.yaml", "glossary", ds.glossary),
    ):
        problems += _duplicates(name, raws[name], (key,), items, lines[name])

    file = "medications.yaml"
    for i, med in enumerate(ds.medications):
        base: Loc = ("medications", i)
        for j, source_id in enumerate(med.brands.sources):
            check_source(file, (*base, "brands", "sources", j), source_id)
        for j, hl in enumerate(med.half_life):
            check_source(file, (*base, "half_life", j, "source"), hl.source)
        pairs: set[tuple[str, str | None]] = set()
        for j, eq in enumerate(med.equivalents):
            check_source(file, (*base, "equivalents", j, "source"), eq.source)
            check_column(file, (*base, "equivalents", j, "column"), eq.source, eq.column)
            if (eq.source, eq.column) in pairs:
                add(
                    file,
                    (*base, "equivalents", j, "source"),
                    f"a second equivalent from {eq.source!r}{'/' + eq.column if eq.column else ''}; "
                    "one value per source",
                )
            pairs.add((eq.source, eq.column))
        problems += _duplicates(file, raws[file], (*base, "formulations"), med.formulations, lines[file])
        for j, form in enumerate(med.formulations):
            check_source(file, (*base, "formulations", j, "source"), form.source)

    file = "guidelines.yaml"
    for i, guide in enumerate(ds.guidelines):
        check_source(file, ("guidelines", i, "source"), guide.source)
    for i, fact in enumerate(ds.facts):
        check_source("facts.yaml", ("facts", i, "source"), fact.source)
    for i, symptom in enumerate(ds.symptoms):
        for j, source_id in enumerate(symptom.sources):
            check_source("symptoms.yaml", ("symptoms", i, "sources", j), source_id)
    for i, number in enumerate(ds.emergency):
        check_source("emergency.yaml", ("emergency", i, "source"), number.source)
    for i, entry in enumerate(ds.glossary):
        if entry.source:
            check_source("glossary.yaml", ("glossary", i, "source"), entry.source)
    for i, interaction in enumerate(ds.interactions):
        for j, source_id in enumerate(interaction.sources):
            check_source("interactions.yaml", ("interactions", i, "sources", j), source_id)
        for j, med_id in enumerate(interaction.only_for):
            if med_id not in ds.medication_by_id:
                allowed = ", ".join(ds.medication_by_id)
                loc = ("interactions", i, "only_for", j)
                add("interactions.yaml", loc, f"unknown medication {med_id!r}; allowed: {allowed}")

    file = "schedules.yaml"
    for i, sched in enumerate(ds.schedules):
        base = ("schedules", i)
        for j, source_id in enumerate(sched.sources):
            check_source(file, (*base, "sources", j), source_id)
        med = ds.medication_by_id.get(sched.medication)
        if med is None:
            add(
                file,
                (*base, "medication"),
                f"unknown medication {sched.medication!r}; allowed: {', '.join(ds.medication_by_id)}",
            )
            continue
        if formulation(med, sched.formulation) is None:
            allowed = ", ".join(f.id for f in med.formulations)
            add(file, (*base, "formulation"), f"{med.id} has no formulation {sched.formulation!r}; allowed: {allowed}")
        guide = ds.guideline_by_id.get(sched.limit)
        if guide is None or guide.max_cut is None:
            allowed = ", ".join(g.id for g in ds.guidelines if g.max_cut)
            add(file, (*base, "limit"), f"{sched.limit!r} is not a guideline with a max_cut; allowed: {allowed}")
        taper_med = med
        if sched.crossover:
            cross = sched.crossover
            before = len(problems)
            check_source(file, (*base, "crossover", "equivalence", "source"), cross.equivalence.source)
            check_column(
                file, (*base, "crossover", "equivalence", "column"), cross.equivalence.source, cross.equivalence.column
            )
            choice_ok = len(problems) == before  # only then is "no value from this source" worth saying
            taper_med = ds.medication_by_id.get("diazepam")
            if taper_med is None:
                add(file, (*base, "crossover"), "a crossover needs 'diazepam' in medications.yaml")
                continue
            if formulation(taper_med, cross.diazepam_formulation) is None:
                allowed = ", ".join(f.id for f in taper_med.formulations)
                add(
                    file,
                    (*base, "crossover", "diazepam_formulation"),
                    f"diazepam has no formulation {cross.diazepam_formulation!r}; allowed: {allowed}",
                )
            if med.id == "diazepam":
                add(file, (*base, "strategy"), "a diazepam schedule cannot cross over to diazepam; taper it directly")
            has_value = any(
                e.source == cross.equivalence.source and e.column == cross.equivalence.column for e in med.equivalents
            )
            if choice_ok and not has_value:
                add(
                    file,
                    (*base, "crossover", "equivalence"),
                    f"medications.yaml gives no {med.id} equivalent from {cross.equivalence.source!r}"
                    f"{'/' + cross.equivalence.column if cross.equivalence.column else ''}; choose a source that does",
                )
        if sched.tail and formulation(taper_med, sched.tail.formulation) is None:
            allowed = ", ".join(f.id for f in taper_med.formulations)
            add(
                file,
                (*base, "tail", "formulation"),
                f"{taper_med.id} has no formulation {sched.tail.formulation!r}; allowed: {allowed}",
            )
    return problems


def load(data_dir: str | Path) -> Dataset:
    """Validate every data file, then every cross-reference; raise DataError on the first bad file."""
    data_dir = Path(data_dir)
    parsed: dict[str, Any] = {}
    raws: dict[str, Any] = {}
    lines: dict[str, dict[Loc, int]] = {}
    for name, model in ROOT_MODELS.items():
        parsed[name], raws[name], lines[name] = _validate(data_dir / name, model)
    sources: SourcesFile = parsed["sources.yaml"]
    meds: MedicationsFile = parsed["medications.yaml"]
    guides: GuidelinesFile = parsed["guidelines.yaml"]
    scheds: SchedulesFile = parsed["schedules.yaml"]
    ds = Dataset(
        tuple(sources.sources),
        tuple(meds.medications),
        tuple(guides.guidelines),
        tuple(scheds.schedules),
        tuple(parsed["facts.yaml"].facts),
        tuple(parsed["symptoms.yaml"].symptoms),
        tuple(parsed["emergency.yaml"].emergency),
        interactions=tuple(parsed["interactions.yaml"].interactions),
        glossary=tuple(parsed["glossary.yaml"].glossary),
        changelog=tuple(parsed["changelog.yaml"].changelog),
    )
    problems = _check_references(ds, raws, lines)
    if problems:
        raise DataError(_join(problems))
    return ds
