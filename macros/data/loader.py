"""Load data/*.yaml: parse each file strictly, validate it with its model, then check the files
against each other. Any problem raises DataError naming the file, line, path and what is allowed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .checks import check
from .dataset import Dataset
from .errors import DataError, from_validation, join
from .models import ROOT_MODELS
from .references import Loc

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
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping

    def construct_impossible_date(self, node: yaml.ScalarNode) -> Any:
        """A date that looks like one but cannot be (2026-13-01) is named with its line, not a traceback."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a real date ({exc}); write it as YYYY-MM-DD", node.start_mark
            ) from None


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_impossible_date)


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


def _validate(path: Path, model: type[BaseModel]) -> tuple[BaseModel, Any, dict[Loc, int]]:
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
        problems = from_validation(path.name, raw, exc, model, lines)
        raise DataError(join(problems)) from None


def load(data_dir: str | Path) -> Dataset:
    """Validate every data file, then every cross-reference; raise DataError on the first bad file."""
    data_dir = Path(data_dir)
    parsed: dict[str, BaseModel] = {}
    raws: dict[str, Any] = {}
    lines: dict[str, dict[Loc, int]] = {}
    for name, model in ROOT_MODELS.items():
        parsed[name], raws[name], lines[name] = _validate(data_dir / name, model)
    ds = Dataset(**{key: _as_field(getattr(p, key)) for p in parsed.values() for key in type(p).model_fields})
    problems = check(ds, parsed, raws, lines)
    if problems:
        raise DataError(join(problems))
    return ds


def _as_field(value: Any) -> Any:
    """A file's list of items becomes a tuple (the Dataset is frozen); a single mapping stays as it is."""
    return tuple(value) if isinstance(value, list) else value
