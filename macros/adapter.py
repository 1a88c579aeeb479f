"""mkdocs-macros adapter: the only module that imports MkDocs.

It loads the data once, computes every schedule (a schedule that cannot work stops the build),
and wires the site's parts into the build: the macros of site/macros.py by name, front matter
checked before each page's macros run, glossary tooltips after, host files and theme fix-ups
after the build. Everything it calls knows nothing of MkDocs.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import mkdocs_macros.plugin
from mkdocs.exceptions import PluginError

from .data import DataError, load
from .schedules import compute_all, unswitchable
from .site import front_matter, host_files, prose, revisions, template_errors, theme_markup
from .site.macros import SiteMacros, macro_names

TYPED_DOSE = (
    "a dose typed into prose ({where}); numbers come from data/: "
    "use med(), fact() or a schedule macro (CONTRIBUTING.md, 'Numbers in prose')"
)
ACTIVE_HTML = (
    "HTML that could run or load something ({where}); articles may not carry scripts, frames, "
    "<meta>, <link>, <style>, event handlers or javascript:/data: links (CONTRIBUTING.md, 'HTML in articles')"
)


def _source(page: Any) -> str:
    return Path(page.file.abs_src_path).read_text(encoding="utf-8")


def _refuse(page: Any, markdown: str, found: list[tuple[int, str]], why: str) -> None:
    """Stop the build at a page's line(s), counted as the maintainer's editor counts them."""
    if not found:
        return
    offset = prose.lines_before(_source(page), markdown)
    where = "; ".join(f"line {line + offset}: {text!r}" for line, text in found)
    raise PluginError(f"docs/{page.file.src_uri}: {why.format(where=where)}")


def _describe_macro_errors(env: Any) -> None:
    """mkdocs-macros prints its format_error's text and stops the build: ours names the file's line,
    suggests a close name and leaves out the traceback (its one place for error text)."""

    def describe(error: Exception, markdown: str, page: Any) -> str:
        names = [*env.variables, *env.macros, *env.filters]
        offset = prose.lines_before(_source(page), markdown)
        return template_errors.describe(error, markdown, offset, page.file.src_uri, names)

    setattr(mkdocs_macros.plugin, "format_error", describe)  # noqa: B010 (mypy: not exported, replaced)


def define_env(env: Any) -> None:
    root = Path(env.project_dir)
    try:
        ds = load(Path(os.environ.get("SBW_DATA_DIR", root / "data")))
        site = SiteMacros(ds, compute_all(ds))
    except DataError as exc:
        # PluginError makes MkDocs print the message alone (no traceback) and exit non-zero.
        raise PluginError(f"data/ is invalid.\n{exc}") from None
    for line in unswitchable(ds):  # sourced data the planner cannot use: said, not refused
        logging.getLogger("mkdocs.plugins.sbw").info(line)

    def check_page(env: Any) -> None:
        """Every article's front matter is validated before its macros run; a bad page stops the build."""
        page, conf = env.page, env.conf
        try:
            written = front_matter.read(_source(page), page.file.src_uri)
            meta = front_matter.validate(page.file.src_uri, written, ds)
        except front_matter.PageError as exc:
            raise PluginError(str(exc)) from None
        _refuse(page, env.markdown, prose.typed_doses(env.markdown), TYPED_DOSE)
        _refuse(page, env.markdown, prose.active_html(env.markdown), ACTIVE_HTML)
        page.meta.update(front_matter.theme_meta(meta))
        page.meta["sbw"] = front_matter.theme_fields(meta, ds, page.url, conf["site_url"], conf["site_name"])
        site.start_page(page.file.src_uri, page.meta.get("sources", []) or [])

    changed = revisions.last_changed(root)

    def add_revision_date(env: Any) -> None:
        day = changed.get(env.page.file.src_uri)
        if day is not None:
            env.page.meta["git_revision_date_localized"] = revisions.date_markup(day)

    tooltips = site.tooltips()

    def add_tooltips(env: Any) -> None:
        env.markdown = f"{env.markdown}\n\n{tooltips}\n"

    def fix_theme_markup(env: Any) -> None:
        theme_markup.fix_site(Path(env.conf["site_dir"]))

    def write_host_files(env: Any) -> None:
        host_files.write_host_files(Path(env.conf["site_dir"]), env.conf["site_url"] or "/")

    env.pre_macro_functions.append(check_page)
    env.pre_macro_functions.append(add_revision_date)
    env.post_macro_functions.append(add_tooltips)
    env.post_build_functions.append(fix_theme_markup)
    env.post_build_functions.append(write_host_files)

    # Security headers as <meta> for hosts that cannot set headers; `mkdocs serve` goes without,
    # because its live reload is an inline script that the policy would block.
    extra = env.conf["extra"]
    serving = host_files.serving_locally(env.conf["site_url"], env.conf["dev_addr"])
    extra["sbw_csp"] = "" if serving else host_files.content_security_policy(meta=True)
    extra["sbw_referrer"] = host_files.REFERRER_POLICY

    for name in macro_names():
        env.macro(getattr(site, name), name)

    _describe_macro_errors(env)
