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
# (macros/site/) is source and is copied. Installed npm packages are skipped at any depth.
NOT_PROJECT = {".venv", "site", ".site-tmp", ".git", ".cache", ".pytest_cache", ".hypothesis", ".ruff_cache"}


def copy_project(dest: Path) -> Path:
    """A copy of the project to break on purpose, without its build outputs."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        return (NOT_PROJECT if Path(folder) == ROOT else set()) | ({"node_modules"} & set(names))

    shutil.copytree(ROOT, dest, ignore=ignore)
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


def _poison_front_matter(page: Path, poison: Any) -> None:
    """Every free-text field of a page's front matter (title, description, reviewed_by) made hostile."""
    from macros.data.models import PageMeta

    _, head, body = page.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.load(head, Loader=SAFE_LOADER)
    meta.setdefault("reviewed_by", ["A Reviewer"])
    poison.model(meta, PageMeta, f"docs/{page.name}")
    head = yaml.dump(meta, Dumper=SAFE_DUMPER, sort_keys=False, allow_unicode=True)
    page.write_text(f"---\n{head}---\n{body}", encoding="utf-8")


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path, dict[str, str]]:
    """One strict build of a copy of the project in which every free-text value of every data file
    and every page's front matter carries markup (tests/hostile.py): (the finished process, its site
    folder, each marker with the field it went into). The bad-input harness control and the
    escaping tests all read it, so this second whole-site build runs once."""
    from .hostile import Poisoner

    copy = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    poison = Poisoner()
    for path in sorted((copy / "data").glob("*.yaml")):
        redump(path, lambda doc, name=path.name: poison.data_file(name, doc))
    for page in sorted((copy / "docs").rglob("*.md")):
        _poison_front_matter(page, poison)
    site = copy / "site"
    return run_build(site, config=copy / "mkdocs.yml"), site, poison.markers
