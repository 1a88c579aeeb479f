"""Helpers shared by the benchmarks: build the site, time it, summarise."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(site_dir: Path, config: Path = ROOT / "mkdocs.yml") -> float:
    """Seconds for one `mkdocs build --strict` in a fresh process (what a maintainer waits for)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "--site-dir",
            str(site_dir),
            "--config-file",
            str(config),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return time.perf_counter() - start


def median_of(runs: int, fn) -> tuple[float, list[float]]:
    times = [fn() for _ in range(runs)]
    return statistics.median(times), times
