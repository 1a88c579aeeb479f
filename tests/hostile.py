"""Hostile text in every free-text field: what the escaping tests feed the build.

A free-text field is one whose type carries models.Printable (Text and its kin); ids, dates, numbers,
URLs and vocabularies have patterns of their own. Each field gets its own numbered marker followed by
markup that would act if any renderer let it through: an element, a `javascript:` link, attr_list
braces with an event handler, emphasis and quotes. The value keeps its start, so cross-checks that
look for words in it (an interaction's names in its `with`) still hold.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any

from annotated_types import MaxLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from macros.data.models import ROOT_MODELS, Printable

# The dangerous part first, so a tight length limit still keeps an element and a link.
HOSTILE = "<b id=pwn>[x](javascript:alert(1)){: onclick=alert(1)}'\"*y*</b>"


def marker(n: int) -> str:
    return f"⟦{n}⟧"


def _inner(annotation: Any) -> Iterator[Any]:
    """The annotation and every type inside it (list[...], X | None, Annotated[...])."""
    yield annotation
    for arg in typing.get_args(annotation):
        yield from _inner(arg)


def _text_limit(info: FieldInfo) -> int | None:
    """The field's max length if it is free text, else None."""
    metadata = [*info.metadata]
    for t in _inner(info.annotation):
        metadata += getattr(t, "__metadata__", ())
    if Printable not in metadata:
        return None
    limits = [m.max_length for m in metadata if isinstance(m, MaxLen)]
    limits += [c.max_length for c in metadata if getattr(c, "max_length", None)]
    return min(limits, default=400)


def _models(info: FieldInfo) -> list[type[BaseModel]]:
    return [t for t in _inner(info.annotation) if isinstance(t, type) and issubclass(t, BaseModel)]


class Poisoner:
    """Walks a parsed file with its model and replaces every free-text value; counts what it did."""

    def __init__(self) -> None:
        self.markers: dict[str, str] = {}  # marker → where (file/path), for failure messages

    def text(self, value: str, limit: int, where: str) -> str:
        mark = marker(len(self.markers))
        self.markers[mark] = where
        hostile = f"{mark}{HOSTILE}"
        keep = max(0, min(len(value), limit - len(hostile)))
        return (value[:keep] + hostile)[:limit]

    def model(self, doc: Any, model: type[BaseModel], where: str) -> None:
        if not isinstance(doc, dict):
            return
        by_key = {(f.alias or name): f for name, f in model.model_fields.items()}
        for key, value in doc.items():
            info = by_key.get(key)
            if info is None:
                continue
            path = f"{where}/{key}"
            limit = _text_limit(info)
            if limit is not None:
                if isinstance(value, str):
                    doc[key] = self.text(value, limit, path)
                elif isinstance(value, list):
                    doc[key] = [self.text(v, limit, f"{path}/{i}") for i, v in enumerate(value)]
                continue
            for nested in _models(info):
                items = value if isinstance(value, list) else [value]
                for i, item in enumerate(items):
                    if isinstance(item, dict) and set(item) <= {(f.alias or n) for n, f in nested.model_fields.items()}:
                        self.model(item, nested, f"{path}/{item.get('id', i)}")

    def data_file(self, name: str, doc: Any) -> None:
        self.model(doc, ROOT_MODELS[name], name)
