"""Write JSON Schema for each data file (`make schema`), so YAML editors check while you type."""

from __future__ import annotations

import json
import sys
from pathlib import Path

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


def main(target: str) -> None:
    folder = Path(target)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in schemas().items():
        (folder / name).write_text(text, encoding="utf-8")
        print(f"wrote {folder / name}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "schemas")
