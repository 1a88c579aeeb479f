"""JSON Schema for each data file and for a page's front matter, from the models, so YAML editors
check while you type: every field that names another file's item lists the ids there are today
(`make schema` after adding one), so a typo is underlined before the build sees it."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from .dataset import Dataset
from .models import ROOT_MODELS, PageMeta
from .references import REF_KEY

FRONT_MATTER = "front-matter.schema.json"


def _with_known_ids(node: Any, used: set[str]) -> Any:
    """Point each reference marker at the list of the ids its file holds ($defs, written once)."""
    if isinstance(node, dict):
        out = {key: _with_known_ids(value, used) for key, value in node.items() if key != REF_KEY}
        if REF_KEY in node:
            used.add(node[REF_KEY])
            out["$ref"] = f"#/$defs/known-{node[REF_KEY]}"
        return out
    if isinstance(node, list):
        return [_with_known_ids(item, used) for item in node]
    return node


def _schema(model: type[BaseModel], title: str, ds: Dataset) -> str:
    used: set[str] = set()
    schema = _with_known_ids(model.model_json_schema(by_alias=True), used)
    for target in sorted(used):
        schema.setdefault("$defs", {})[f"known-{target}"] = {
            "enum": sorted(ds.ids(target)),
            "description": f"an id from data/{target}.yaml (after adding one there, run `make schema`)",
        }
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schemas(ds: Dataset) -> dict[str, str]:
    """File name → schema text; tests compare these with the committed files."""
    out = {
        name.replace(".yaml", ".schema.json"): _schema(model, f"data/{name}", ds) for name, model in ROOT_MODELS.items()
    }
    out[FRONT_MATTER] = _schema(PageMeta, "front matter of a page in docs/", ds)
    return out
