"""The lock files: every requirement pinned exactly with its hashes, and in step with the .txt files.

requirements*.txt are what people edit; `make lock` writes requirements*.lock from them (pip-compile
with hashes). These tests fail when a .txt was edited without `make lock`, or when the runtime lock
(what the deploy build installs) and the dev lock (what the tests run with) name different versions.
"""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT

LOCKS = {"requirements.txt": "requirements.lock", "requirements-dev.txt": "requirements-dev.lock"}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(name: str) -> dict[str, tuple[str, list[str]]]:
    """{package: (version, [sha256 hashes])} from a pip-compile --generate-hashes file."""
    entries: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith(" "):
            assert current is not None, f"{name}: {line!r} belongs to no requirement"
            entries[current][1].extend(re.findall(r"--hash=sha256:([0-9a-f]{64})", line))
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\", line)
        assert match, f"{name}: {line!r} is not `package==version \\` (an option line, or no hashes?)"
        current = normalise(match[1])
        assert current not in entries, f"{name}: {current} twice"
        entries[current] = (match[2], [])
    return entries


def read_pins(name: str) -> dict[str, str]:
    """{package: version} from a human-edited requirements file, following `-r`."""
    pins: dict[str, str] = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            pins.update(read_pins(line[3:].strip()))
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)", line)
        assert match, f"{name}: {line!r} is not an exact pin (package==version)"
        pins[normalise(match[1])] = match[2]
    return pins


@pytest.mark.parametrize("lock", LOCKS.values())
def test_every_package_in_a_lock_is_pinned_with_hashes(lock):
    entries = read_lock(lock)
    assert entries, f"{lock} names no package"
    for package, (_, hashes) in entries.items():
        assert hashes, f"{lock}: {package} has no --hash"


@pytest.mark.parametrize("lock", LOCKS.values())
def test_a_lock_names_no_index_of_this_machine(lock):
    """pip-compile copies index and find-links options from pip.conf; `make lock` keeps them out."""
    text = (ROOT / lock).read_text(encoding="utf-8")
    assert not re.search(r"^\s*--?(index-url|extra-index-url|find-links|i|f)\b", text, re.M)
    assert "#    make lock\n" in text, f"{lock} was not written by `make lock`"


@pytest.mark.parametrize(("source", "lock"), LOCKS.items())
def test_every_pin_in_a_requirements_file_is_in_its_lock(source, lock):
    entries = read_lock(lock)
    for package, version in read_pins(source).items():
        assert package in entries, f"{package} is in {source} but not in {lock}: run `make lock`"
        assert entries[package][0] == version, (
            f"{source} pins {package}=={version}, {lock} has {entries[package][0]}: run `make lock`"
        )


def test_the_deploy_build_gets_the_versions_the_tests_ran_with():
    runtime, dev = read_lock("requirements.lock"), read_lock("requirements-dev.lock")
    for package, (version, hashes) in runtime.items():
        assert package in dev, f"{package} is in requirements.lock but not in requirements-dev.lock"
        assert dev[package][0] == version, f"{package}: {version} deployed, {dev[package][0]} tested"
        assert set(hashes) == set(dev[package][1]), f"{package}: the two locks list different files"


def test_a_binary_package_has_a_hash_for_every_platform_file():
    """pip-compile lists every file of a version on PyPI, not only this machine's wheel."""
    dev = read_lock("requirements-dev.lock")
    for package in ("greenlet", "pydantic-core", "pyyaml"):
        assert len(dev[package][1]) > 5, f"{package}: only {len(dev[package][1])} hash(es)"
