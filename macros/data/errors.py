"""Messages for invalid data: each names the file, the line, the path inside the file, what is
wrong and what is allowed, so the maintainer who made the mistake at night can fix it from the
message alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from .references import Loc


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


def problem(file: str, raw: Any, lines: dict[Loc, int], loc: Loc, message: str) -> Problem:
    """A Problem at `loc`, with its line and the path as a maintainer reads it."""
    return Problem(file, loc, message, lines.get(loc), display_path(raw, loc))


def join(problems: Sequence[Problem]) -> str:
    head = f"{len(problems)} problem(s) in the site's data; nothing was built:"
    return "\n".join([head, *(f"  - {p}" for p in problems)])


def display_path(raw: Any, loc: Loc) -> str:
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
            props: dict[str, Any] = next((b["properties"] for b in branches if part in b.get("properties", {})), {})
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


def from_validation(
    file: str, raw: Any, error: ValidationError, model: type[BaseModel], lines: dict[Loc, int]
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
        problems.append(Problem(file, loc, message, line, display_path(raw, loc)))
    return problems
