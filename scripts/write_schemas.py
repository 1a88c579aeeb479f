"""Write schemas/*.schema.json from the models (`make schema`); commit the result."""

from __future__ import annotations

import sys
from pathlib import Path

from macros.data import load
from macros.data.schema import schemas


def main(target: str = "schemas", data: str = "data") -> None:
    """The ids come from data/ as it is: a data file that does not load stops here with its message."""
    folder = Path(target)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in schemas(load(data)).items():
        (folder / name).write_text(text, encoding="utf-8")
        print(f"wrote {folder / name}")


if __name__ == "__main__":
    main(*sys.argv[1:])
