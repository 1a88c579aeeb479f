"""The GitHub Pages workflow: tests before anything is published, pinned actions, least privilege,
pull requests tested but never deployed."""

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


class Text(str):
    """A string that compares as GitHub's expressions do: ignoring case."""

    def __eq__(self, other):
        return isinstance(other, str) and self.lower() == other.lower()

    def __ne__(self, other):
        return not self == other

    __hash__ = str.__hash__


TOKEN = re.compile(r"\s+|(?P<str>'(?:[^']|'')*')|(?P<op>&&|\|\||==|!=|!|\(|\))|(?P<name>[A-Za-z_][\w.-]*)")
PYTHON_OP = {"&&": " and ", "||": " or ", "==": " == ", "!=": " != ", "!": " not ", "(": "(", ")": ")"}


def evaluate(expression: str | bool | None, context: dict[str, str]):
    """A GitHub Actions expression (the subset this workflow uses) with `github.*` values from context.

    Anything outside that subset (a function, a number, an unknown name) fails the test, so a new
    condition is checked by updating this, not by being silently read as true.
    """
    if expression is None or isinstance(expression, bool):
        return True if expression is None else expression
    expression = expression.strip()
    if expression.startswith("${{") and expression.endswith("}}"):
        expression = expression[3:-2]
    python, at = [], 0
    while at < len(expression):
        match = TOKEN.match(expression, at)
        assert match, f"unsupported expression syntax at {expression[at:]!r}"
        if match["str"]:
            literal = match["str"][1:-1].replace("''", "'")
            python.append(f"Text({literal!r})")
        elif match["op"]:
            python.append(PYTHON_OP[match["op"]])
        elif match["name"] in ("true", "false"):
            python.append(str(match["name"] == "true"))
        elif match["name"]:
            assert match["name"] in context, f"the test knows no value for {match['name']}"
            python.append(f"_[{match['name']!r}]")
        at = match.end()
    namespace = {"__builtins__": {}, "Text": Text, "_": {name: Text(value) for name, value in context.items()}}
    return eval("".join(python), namespace)


def interpolate(template: str, context: dict[str, str]) -> str:
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(evaluate(m[1], context)), template)


PUSH_TO_MAIN = {"github.event_name": "push", "github.ref": "refs/heads/main"}
MANUAL_RUN_ON_MAIN = {"github.event_name": "workflow_dispatch", "github.ref": "refs/heads/main"}
NOT_DEPLOYED = {
    "a pull request": {"github.event_name": "pull_request", "github.ref": "refs/pull/7/merge"},
    "a pull request whose ref reads main": {"github.event_name": "pull_request", "github.ref": "refs/heads/main"},
    "pull_request_target": {"github.event_name": "pull_request_target", "github.ref": "refs/heads/main"},
    "a manual run on a branch": {"github.event_name": "workflow_dispatch", "github.ref": "refs/heads/draft"},
    "a push to a branch": {"github.event_name": "push", "github.ref": "refs/heads/draft"},
}


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


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as true


def test_pull_requests_run_the_tests(workflow):
    on = triggers(workflow)
    assert "pull_request" in on
    assert on["push"] == {"branches": ["main"]}
    tests = workflow["jobs"]["test-and-build"]
    assert evaluate(tests.get("if"), NOT_DEPLOYED["a pull request"]) is True
    assert any(
        ".ci/run" in s.get("run", "") and evaluate(s.get("if"), NOT_DEPLOYED["a pull request"]) for s in tests["steps"]
    )


def test_only_main_is_deployed_and_never_a_pull_request(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert "if" in deploy, "without a condition the deploy job runs on pull requests too"
    assert evaluate(deploy["if"], PUSH_TO_MAIN) is True
    assert evaluate(deploy["if"], MANUAL_RUN_ON_MAIN) is True
    for what, context in NOT_DEPLOYED.items():
        assert evaluate(deploy["if"], context) is False, f"{what} would be deployed"


def test_a_pull_request_uploads_nothing_to_pages(workflow):
    """configure-pages and upload-pages-artifact; the deploy job's own condition is tested above."""
    pr = NOT_DEPLOYED["a pull request"]
    for job_name, step in steps(workflow):
        if job_name == "test-and-build" and "pages" in step.get("uses", ""):
            assert evaluate(step.get("if"), pr) is False, step["uses"]
            assert evaluate(step.get("if"), PUSH_TO_MAIN) is True, step["uses"]


def test_a_pull_request_never_queues_behind_or_cancels_a_deploy(workflow):
    concurrency = workflow["concurrency"]
    main = interpolate(concurrency["group"], PUSH_TO_MAIN)
    assert interpolate(concurrency["group"], NOT_DEPLOYED["a pull request"]) != main
    assert interpolate(concurrency["group"], MANUAL_RUN_ON_MAIN) == main  # deploys of main never overlap
    assert evaluate(concurrency["cancel-in-progress"], PUSH_TO_MAIN) is False


def test_the_site_is_built_from_the_runtime_lock_with_hashes(workflow):
    build = next(s for _, s in steps(workflow) if "make build" in s.get("run", ""))
    assert "LOCK=requirements.lock" in build["run"]
    assert re.search(r"VENV=(?!\.venv\b)\S+", build["run"]), "the tests' .venv already holds the dev lock"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nLOCK ?= requirements-dev.lock\n" in makefile
    stamp_recipe = makefile.split("\n$(STAMP):", 1)[1].split("\n\n", 1)[0]
    assert "pip install" in stamp_recipe
    assert "--require-hashes -r $(LOCK)" in stamp_recipe
