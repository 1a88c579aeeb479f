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


# Limits no real file comes near (the largest is ~60 KB, nested 8 levels, with no anchors): past
# them a file is refused before YAML builds anything, so no input can hang, exhaust memory or
# recurse the parser into a crash (an alias "bomb", a self-referencing alias, 100,000 brackets).
MAX_BYTES = 1_000_000
MAX_DEPTH = 40
EXCERPT = 60


class YamlProblem(ValueError):
    """A file that cannot be read as data: where (1-based line and column, when known) and what."""

    def __init__(self, line: int | None, problem: str, column: int | None = None) -> None:
        super().__init__(problem)
        self.line, self.column, self.problem = line, column, problem

    def where(self) -> str:
        """ ", line 3, column 7" (as much of it as is known), to follow a file name."""
        line = f", line {self.line}" if self.line else ""
        return line + (f", column {self.column}" if self.line and self.column else "")


def excerpt(text: str) -> str:
    """What was typed, at most a short piece of it, for a message."""
    return repr(text if len(text) <= EXCERPT else text[:EXCERPT] + "…")


def decode(data: bytes) -> str:
    """UTF-8 text, or the line and column of the first byte that is not."""
    if len(data) > MAX_BYTES:
        raise YamlProblem(None, f"the file is {len(data):,} bytes; data files are at most {MAX_BYTES:,}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problem = f"byte 0x{data[exc.start]:02X} is not UTF-8; save the file as UTF-8"
        raise YamlProblem(line, problem, column) from None


def _check_shape(text: str) -> None:
    """Refuse control characters, aliases and deep nesting from the event stream, before composing."""
    for number, written in enumerate(text.split("\n"), 1):
        for place, char in enumerate(written, 1):
            if (char < " " and char not in "\t\r") or char == "\x7f":
                raise YamlProblem(number, f"a control character (U+{ord(char):04X}); remove it", place)
    depth = 0
    for event in yaml.parse(text, Loader=_FastLoader):
        mark = event.start_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            problem = "YAML anchors and aliases (&name, *name) are not allowed; write the value out"
            raise YamlProblem(line, problem, column)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                problem = f"nested more than {MAX_DEPTH} levels deep; data files need far fewer"
                raise YamlProblem(line, problem, column)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def parse(text: str) -> Any:
    """YAML text as data, strictly (a key twice, an impossible date, no objects), within the limits."""
    try:
        _check_shape(text)
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and start:  # e.g. an unclosed quote: say where it opened, not only where the file ended
            problem += f" ({context} that starts at line {start.line + 1}, column {start.column + 1})"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise YamlProblem(line, f"this is not valid YAML: {problem}", column) from None


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
    try:
        text = decode(path.read_bytes())
        raw = parse(text)
    except YamlProblem as exc:
        raise DataError(f"{name}{exc.where()}: (top level): {exc.problem}") from None
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
