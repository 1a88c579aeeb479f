"""The package's shape holds: the engine is standard library only, only the adapter imports MkDocs,
every closed set of values has its words, and every macro can be called without MkDocs."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest

from macros.data import vocabulary
from macros.site import front_matter
from macros.site.macros import SiteMacros, macro_names

from .conftest import ROOT

MACROS = ROOT / "macros"


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every absolute import in a file (relative imports stay in the package)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((MACROS / "engine").glob("*.py")), ids=lambda p: p.name)
def test_the_engine_imports_only_the_standard_library(path):
    outside = imported_modules(path) - set(sys.stdlib_module_names) - {"__future__"}
    assert not outside, f"{path.relative_to(ROOT)} imports {sorted(outside)}; the engine is standard library only"


def test_importing_the_engine_loads_no_third_party_package():
    code = "import sys, macros.engine; print(sorted({m.split('.')[0] for m in sys.modules}))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    loaded = set(ast.literal_eval(out))
    assert not loaded & {"pydantic", "yaml", "mkdocs", "jinja2", "markdown"}, loaded


def test_only_the_adapter_imports_mkdocs():
    importers = [p.relative_to(ROOT).as_posix() for p in MACROS.rglob("*.py") if "mkdocs" in imported_modules(p)]
    assert importers == ["macros/adapter.py"]


def test_the_runtime_package_holds_no_command_line_script():
    scripts = [p.relative_to(ROOT).as_posix() for p in MACROS.rglob("*.py") if "__main__" in p.read_text()]
    assert not scripts, f"maintainers' scripts belong in scripts/: {scripts}"


LABELLED = [
    (vocabulary.Market, vocabulary.MARKET_LABELS),
    (vocabulary.Form, vocabulary.FORM_NAMES),
    (vocabulary.Form, vocabulary.FORM_PLURALS),
    (vocabulary.DrugClass, vocabulary.DRUG_CLASS_LABELS),
    (vocabulary.SourceKind, vocabulary.SOURCE_KIND_HEADINGS),
    (vocabulary.FactUnit, vocabulary.FACT_UNIT_ONE),
    (vocabulary.Severity, vocabulary.SEVERITY_LABELS),
    (vocabulary.Audience, front_matter.AUDIENCE),
]


@pytest.mark.parametrize(("values", "labels"), LABELLED, ids=[next(iter(lab)) for _, lab in LABELLED])
def test_every_allowed_value_has_its_words(values, labels):
    assert set(get_args(values)) == set(labels), f"labels for {sorted(get_args(values))}: {sorted(labels)}"


def test_every_liquid_form_is_a_form():
    assert set(vocabulary.LIQUID_FORMS) <= set(get_args(vocabulary.Form))


def test_every_macro_runs_without_mkdocs(dataset):
    """Each registered macro is a plain method: called with no page context, the arg-free ones render."""
    from macros.schedules import compute_all

    site = SiteMacros(dataset, compute_all(dataset))
    site.start_page("example.md", ["jcpg-2025"])
    names = macro_names()
    assert {"med", "equivalence_table", "schedule_table", "cite", "references"} <= set(names)
    for name in ["equivalence_table", "symptoms_table", "guidelines_table", "emergency_numbers", "sources_list"]:
        assert getattr(site, name)().startswith(("<", "##")), name
    assert 'id="ref-jcpg-2025"' in site.references(), "a page's declared sources are listed"


def test_citations_are_numbered_per_page(dataset):
    site = SiteMacros(dataset, {})
    site.start_page("a.md", [])
    assert ">1</a>]" in site.cite("ashton-manual") and ">2</a>]" in site.cite("jcpg-2025")
    site.start_page("b.md", [])
    assert ">1</a>]" in site.cite("jcpg-2025"), "numbering starts again on the next page"
    assert 'id="ref-ashton-manual"' not in site.references()


def test_the_adapter_registers_every_macro_by_its_name():
    from macros.adapter import define_env

    class Env:
        project_dir = str(ROOT)

        def __init__(self) -> None:
            self.conf = {"extra": {}, "dev_addr": ("127.0.0.1", 8000), "site_url": "https://example.org/"}
            self.macros: dict = {}
            self.pre_macro_functions: list = []
            self.post_macro_functions: list = []
            self.post_build_functions: list = []

        def macro(self, fn, name):
            self.macros[name] = fn

    env = Env()
    define_env(env)
    assert sorted(env.macros) == sorted(macro_names())
    assert env.conf["extra"]["sbw_csp"], "the CSP <meta> is set when not serving locally"


def test_every_reference_target_has_an_index(dataset):
    """A new Ref("<key>") in the models needs Dataset.ids to know that file's items by id."""
    import re

    targets = set(re.findall(r'Ref\("([a-z]+)"\)', (MACROS / "data" / "models.py").read_text(encoding="utf-8")))
    assert targets, "no reference fields found"
    for target in targets:
        assert dataset.ids(target) == {item.id: item for item in getattr(dataset, target)}, target
