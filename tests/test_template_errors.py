"""A mistake in a page's macros is told with the file's own line, a close name and no traceback."""

from __future__ import annotations

import jinja2

from macros.site import template_errors
from macros.site.macros import macro_names

from .conftest import copy_project, run_build

PAGE = "Intro line.\n\n## Heading { #ok }\n\n{body}\n"


def render_error(body: str, **names) -> Exception:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    try:
        env.from_string(PAGE.replace("{body}", body)).render(**names)
    except Exception as exc:  # what mkdocs-macros hands format_error
        return exc
    raise AssertionError("the template rendered")


def describe(error: Exception, body: str, lines_before: int = 9) -> str:
    names = [*macro_names(), "config", "page"]
    return template_errors.describe(error, PAGE.replace("{body}", body), lines_before, "x.md", names)


def test_a_misspelt_macro_is_named_with_the_file_line_and_the_close_name():
    body = "{{ equivalance_table() }}"
    message = describe(render_error(body), body)
    assert message == "docs/x.md, line 14: 'equivalance_table' is undefined; did you mean 'equivalence_table'?"


def test_a_name_close_to_nothing_says_so():
    body = "{{ zzqqx() }}"
    assert describe(render_error(body), body).endswith("'zzqqx' is undefined; no macro or variable has that name")


def test_a_heading_id_without_its_space_is_explained_at_the_heading():
    body = "## How fast {#how-fast}\n\nMore text."
    message = describe(render_error(body), body)
    assert message.startswith("docs/x.md, line 14: Missing end of comment tag")
    assert "`## Heading { #id }`" in message


def test_an_error_raised_inside_a_macro_keeps_its_message_and_the_line_of_the_call():
    def med(drug: str, fact: str) -> str:
        raise KeyError(f"unknown medication {drug!r}; did you mean 'lorazepam'? known: …")

    body = 'Text.\n\nMore {{ med("lorazepm", "name") }} here.'
    message = describe(render_error(body, med=med), body)
    assert message == "docs/x.md, line 16: unknown medication 'lorazepm'; did you mean 'lorazepam'? known: …"


def test_the_real_build_prints_the_message_without_a_traceback(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "tapering.md"
    text = page.read_text(encoding="utf-8")
    first = next(i for i, line in enumerate(text.splitlines(), 1) if "{{" in line)
    page.write_text(text.replace("{{ ", '{{ med("lorazepm", "name") }} {{ ', 1), encoding="utf-8")
    result = run_build(tmp_path / "site", config=project / "mkdocs.yml")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output, output
    assert f"docs/tapering.md, line {first}: unknown medication 'lorazepm'; did you mean 'lorazepam'?" in output
