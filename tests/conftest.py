"""Shared fixtures: the real dataset, and one strict build of the whole site per test session.

Hypothesis runs the "dev" profile (50 examples per property) unless CI is set, when it runs
"ci" (the 1,000 examples per property the issue asks for). Pick one by hand with
`pytest --hypothesis-profile=ci` (or HYPOTHESIS_PROFILE=ci).

Markers (registered in pyproject.toml): everything under tests/browser/ is marked `browser`
here, and `slow` marks the few tests `make check` leaves for `make test`.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]

# The issue asks for at least 1,000 examples per property in CI; locally a quick 50 catch most slips.
# No deadline in either: a shared CI machine's pauses are not failures.
# too_slow only says the machine is busy (CI shares two cores); it never weakens a property.
QUIET = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", max_examples=1000, **QUIET)
settings.register_profile("dev", max_examples=50, **QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

BROWSER_TESTS = ROOT / "tests" / "browser"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the browser tests by their folder, so `-m "not browser"` works without editing them."""
    for item in items:
        if item.path.is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)


def run_build(site_dir: Path, data_dir: Path | None = None, config: Path | None = None) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` as a maintainer would run it; data_dir swaps in other data files."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    if data_dir is not None:
        env["SBW_DATA_DIR"] = str(data_dir)
    cmd = [
        *MKDOCS,
        "build",
        "--strict",
        "--site-dir",
        str(site_dir),
        "--config-file",
        str(config or ROOT / "mkdocs.yml"),
    ]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


# Build outputs and caches at the project's top level; a folder of the same name deeper down
# (macros/site/) is source and is copied.
NOT_PROJECT = {".venv", "site", ".site-tmp", ".git", ".cache", ".pytest_cache", ".hypothesis", ".ruff_cache"}


def copy_project(dest: Path) -> Path:
    """A copy of the project to break on purpose, without its build outputs."""
    shutil.copytree(ROOT, dest, ignore=lambda folder, names: NOT_PROJECT & set(names) if Path(folder) == ROOT else ())
    return dest


@pytest.fixture(scope="session")
def dataset():
    from macros.data import load

    return load(ROOT / "data")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The whole site, built once with --strict into a temporary folder."""
    site = tmp_path_factory.mktemp("site")
    result = run_build(site)
    assert result.returncode == 0, f"strict build failed:\n{result.stdout}\n{result.stderr}"
    assert "WARNING" not in result.stdout + result.stderr, result.stderr
    return site


@functools.cache
def parsed(page: Path) -> BeautifulSoup:
    """A built page, parsed (html.parser) once per session and shared by every test that reads it.
    Read it, never change it: a test that strips elements (test_content) parses its own copy."""
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


# libyaml's safe loader and dumper when PyYAML has them (the same safe types, several times quicker).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def read_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)


def redump(path: Path, change: Callable[[Any], None] | None = None) -> None:
    """Rewrite a data file through yaml (parse, optionally change, dump): how the tests edit data."""
    doc = read_yaml(path)
    if change is not None:
        change(doc)
    path.write_text(yaml.dump(doc, Dumper=SAFE_DUMPER, sort_keys=False, allow_unicode=True), encoding="utf-8")


# Markup in two data values, which the built pages must show as text (tests/test_site.py).
SCRIPT_IN_A_NAME = 'alprazolam<script>alert("x")</script>'
IMG_IN_A_TITLE = "<img src=x onerror=alert(1)>Guideline"


def _put_markup(name: str) -> Callable[[Any], None] | None:
    def medications(doc: Any) -> None:
        doc["medications"][0]["generic"] = SCRIPT_IN_A_NAME

    def sources(doc: Any) -> None:
        doc["sources"][0]["title"] = IMG_IN_A_TITLE

    return {"medications.yaml": medications, "sources.yaml": sources}.get(name)


@pytest.fixture(scope="session")
def copied_data_build(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """One strict build of a copy of data/ passed by SBW_DATA_DIR, every file re-dumped through yaml
    and two values carrying markup: (the finished process, its site folder). The bad-input harness
    control and the escaping test both read it, so the second whole-site build runs once."""
    tmp = tmp_path_factory.mktemp("copied-data")
    data = tmp / "data"
    shutil.copytree(ROOT / "data", data)
    for path in sorted(data.glob("*.yaml")):
        redump(path, _put_markup(path.name))
    site = tmp / "site"
    return run_build(site, data_dir=data), site
