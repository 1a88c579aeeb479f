"""Refresh every generated file after an edit to data/ or the engine (`make update`), then say
which files it created, changed or removed, so the maintainer knows what to read before committing.

The steps are the ones a maintainer would otherwise have to remember: a page for a new medicine,
the JSON Schemas (they list the ids an editor accepts), the golden schedules, and the stable-URL
contract (it only ever adds). The planner's parity vectors are not files: every test run makes them.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What each step writes; anything else that changes is not this command's doing.
WRITES = ("docs/medicines", "schemas", "tests/golden", "tests/stable_urls.txt")
READ_IT = {
    "docs/medicines": "a new medicine's page: check its title and 'In short' box",
    "tests/golden": "a changed example schedule that readers will see: read every row of the diff",
    "tests/stable_urls.txt": "new pages and ids clinicians may link to (lines are never removed)",
    "schemas": "the ids editors accept while typing",
}


def snapshot() -> dict[str, str]:
    """A hash of every file the steps may write, by its path from the project root."""
    out: dict[str, str] = {}
    for name in WRITES:
        path = ROOT / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for f in files:
            out[f.relative_to(ROOT).as_posix()] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


# (what, the module `python -m` runs): each is also a make target of its own
STEPS = (
    ("medicine pages", "scripts.new_medicine_pages"),
    ("JSON Schemas", "scripts.write_schemas"),
    ("golden schedules", "tests.golden_update"),
    ("stable URLs (a strict build)", "tests.stable_urls"),
)


def changes(before: dict[str, str], after: dict[str, str]) -> list[tuple[str, str]]:
    """(what happened, path) for each file created, changed or removed, in path order."""
    out = []
    for path in sorted(before.keys() | after.keys()):
        if path not in before:
            out.append(("created", path))
        elif path not in after:
            out.append(("removed", path))
        elif before[path] != after[path]:
            out.append(("changed", path))
    return out


def why(path: str) -> str:
    return next(text for name, text in READ_IT.items() if path == name or path.startswith(name + "/"))


def main() -> int:
    before = snapshot()
    for name, module in STEPS:
        print(f"- {name} …", flush=True)
        run = subprocess.run([sys.executable, "-m", module], cwd=ROOT, capture_output=True, text=True, check=False)
        if run.returncode:  # a data mistake: its own message says where
            print(f"make update stopped at '{name}':\n{run.stdout}{run.stderr}", file=sys.stderr)
            return 1
    done = changes(before, snapshot())
    if not done:
        print("Nothing changed: every generated file already matches data/ and the engine.")
        return 0
    print(f"{len(done)} file(s) changed; read them before you commit (git diff shows how):")
    for what, path in done:
        print(f"  {what:8} {path}  ({why(path)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
