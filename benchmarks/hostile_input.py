"""How long the loader takes to refuse the worst inputs a contributor could send.

Each case replaces data/glossary.yaml in a copy of data/ and times `macros.data.load` until it
raises (the median of 5 runs, and the time to load the real data for scale). Before the limits in
macros/data/loader.py, the alias bomb hung the build and 100,000 brackets crashed Python.
Prints numbers; never fails a test.
"""

from __future__ import annotations

import contextlib
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from macros.data import DataError, load

ROOT = Path(__file__).resolve().parent.parent
BOMB = "glossary:\n  - &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"  - &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)
CASES: dict[str, bytes] = {
    "alias bomb (9 levels, 9^9 nodes)": BOMB.encode(),
    "self-referencing alias": b"glossary: &g [*g]\n",
    "100,000 nested brackets": b"glossary: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "1 MB of comments": b"glossary: []\n" + b"# padding\n" * 100_001,
    "a byte that is not UTF-8": b"glossary:\n# caf\xe9\n",
}


def seconds(data: Path) -> float:
    start = time.perf_counter()
    with contextlib.suppress(DataError):  # each case is refused; the real data loads
        load(data)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", data)
        real = statistics.median(seconds(data) for _ in range(5))
        print(f"{'the real data, loaded':<36} {real * 1000:8.1f} ms")
        for name, content in CASES.items():
            (data / "glossary.yaml").write_bytes(content)
            print(f"{name + ', refused':<36} {statistics.median(seconds(data) for _ in range(5)) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
