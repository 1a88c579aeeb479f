"""Write tests/golden/<schedule-id>.json for every example schedule (`make golden`).

Run it only after a deliberate change to the engine or to data/schedules.yaml, then read the
diff: every changed row is a changed example that readers will see.
"""

from __future__ import annotations

import json
from pathlib import Path

from macros.data import load
from macros.engine import Result
from macros.engine.export import result_data
from macros.schedules import compute_all

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"


def render(result: Result) -> str:
    """Exact, stable data and text for every row (macros/engine/export.py): fractions as 'n/d'."""
    return json.dumps(result_data(result), indent=1, ensure_ascii=False) + "\n"


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    results = compute_all(load(ROOT / "data"))
    for old in GOLDEN.glob("*.json"):
        if old.stem not in results:
            old.unlink()
            print(f"removed {old.name}")
    for schedule_id, result in results.items():
        (GOLDEN / f"{schedule_id}.json").write_text(render(result), encoding="utf-8")
        print(f"wrote tests/golden/{schedule_id}.json ({len(result.rows)} rows)")


if __name__ == "__main__":
    main()
