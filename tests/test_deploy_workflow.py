"""The GitHub Pages workflow: tests before anything is published, pinned actions, least privilege."""

from __future__ import annotations

import re

import pytest
import yaml

from .conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "deploy.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(workflow: dict):
    for job_name, job in workflow["jobs"].items():
        for step in job["steps"]:
            yield job_name, step


def test_every_action_is_pinned_by_a_full_commit_sha(workflow):
    for job_name, step in steps(workflow):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), f"{job_name}: {step['uses']}"


def test_the_token_has_no_permissions_unless_a_job_asks(workflow):
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["test-and-build"]["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_the_site_is_deployed_only_after_every_test_passed(workflow):
    build = [s.get("run", "") or s.get("uses", "") for _, s in steps(workflow) if _ == "test-and-build"]
    tests_at = next(i for i, s in enumerate(build) if ".ci/run" in s)
    build_at = next(i for i, s in enumerate(build) if "make build" in s)
    assert tests_at < build_at
    assert workflow["jobs"]["deploy"]["needs"] == "test-and-build"


def test_the_build_is_strict():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    build_recipe = makefile.split("\nbuild:", 1)[1].split("\n\n", 1)[0]
    assert "mkdocs build --strict" in build_recipe
