"""JSON Schema for each data file, from the models, so YAML editors check while you type."""

from __future__ import annotations

import json

from .models import ROOT_MODELS


def schemas() -> dict[str, str]:
    """File name → schema text; tests compare these with the committed files."""
    out = {}
    for name, model in ROOT_MODELS.items():
        schema = model.model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"data/{name}"
        out[name.replace(".yaml", ".schema.json")] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out
