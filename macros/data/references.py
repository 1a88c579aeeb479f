"""Fields that point at another file's items, declared once in the types and checked by one walk.

A model field typed `SourceId`, `MedicationId`, `GuidelineId` or `FactId` (models.py) carries a
`Ref`; `find_refs` walks any validated model and yields every such value with its path, so adding a
reference field to a data file's model is the whole change: the loader checks it without being told,
and so does the front-matter check for `PageMeta`.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel

Loc = tuple[str | int, ...]


REF_KEY = "x-sbw-ref"  # in the JSON Schema: which file's ids this field takes (schema.py lists them)


@dataclass(frozen=True)
class Ref:
    """Marks an id that must name an item of another data file (`target` is its top-level key)."""

    target: str

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        schema: dict[str, Any] = handler(core_schema)
        return {**schema, REF_KEY: self.target}


@cache
def _hints(model: type[BaseModel]) -> dict[str, Any]:
    return get_type_hints(model, include_extras=True)


def _ref_of(hint: Any) -> Ref | None:
    """The Ref on a scalar field's type, looking through Annotated layers and `X | None`."""
    if get_origin(hint) is Annotated:
        base, *meta = get_args(hint)
        found = next((m for m in meta if isinstance(m, Ref)), None)
        return found or _ref_of(base)
    if get_origin(hint) in (Union, types.UnionType):
        return next((r for r in map(_ref_of, get_args(hint)) if r), None)
    return None


def _item_hint(hint: Any) -> Any:
    """The element type of a list field, looking through Annotated layers and `X | None`."""
    if get_origin(hint) is Annotated:
        return _item_hint(get_args(hint)[0])
    if get_origin(hint) in (Union, types.UnionType):
        return next((h for h in map(_item_hint, get_args(hint)) if h is not None), None)
    if get_origin(hint) in (list, tuple):
        return get_args(hint)[0]
    return None


def key_of(model: type[BaseModel], name: str) -> str:
    """The field's name as written in YAML (its alias where it has one, e.g. `with`, `class`)."""
    return model.model_fields[name].alias or name


def find_refs(value: Any, loc: Loc = (), hint: Any = None) -> Iterator[tuple[Loc, Ref, str]]:
    """Every reference id inside `value` (a validated model, or a list of them), with its path."""
    if isinstance(value, BaseModel):
        model = type(value)
        for name in model.model_fields:
            yield from find_refs(getattr(value, name), (*loc, key_of(model, name)), _hints(model)[name])
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from find_refs(item, (*loc, i), _item_hint(hint))
    elif isinstance(value, str) and (ref := _ref_of(hint)) is not None:
        yield loc, ref, value


def find_id_lists(value: Any, loc: Loc = ()) -> Iterator[tuple[Loc, list[Any]]]:
    """Every list of items that have an `id` (whose ids must be unique), with its path."""
    if isinstance(value, BaseModel):
        model = type(value)
        for name in model.model_fields:
            yield from find_id_lists(getattr(value, name), (*loc, key_of(model, name)))
    elif isinstance(value, list | tuple):
        if value and all(isinstance(v, BaseModel) and "id" in type(v).model_fields for v in value):
            yield loc, list(value)
        for i, item in enumerate(value):
            yield from find_id_lists(item, (*loc, i))
