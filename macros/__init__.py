"""mkdocs-macros adapter: loads the data once and names the macros pages may call.

Thin on purpose: each macro is one line into data.py, plans.py, render.py or
citations.py, which know nothing of MkDocs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

from . import host_files, pages_meta, render, theme_markup
from .citations import Citations
from .data import DataError, Dataset, load
from .planner_data import planner_json
from .plans import compute_all

__all__ = ["Dataset", "define_env", "load"]


def serving_locally(conf: Any) -> bool:
    """`mkdocs serve` points site_url at its own address (mkdocs/commands/serve.py)."""
    host, port = conf["dev_addr"]
    return urlsplit(conf["site_url"] or "").netloc == f"{host}:{port}"


def define_env(env: Any) -> None:
    root = Path(env.project_dir)
    try:
        ds = load(Path(os.environ.get("SBW_DATA_DIR", root / "data")))
        results = compute_all(ds)
    except DataError as exc:
        # PluginError makes MkDocs print the message alone (no traceback) and exit non-zero.
        raise PluginError(f"data/ is invalid.\n{exc}") from None
    pages: dict[str, Citations] = {}

    def check_page(env: Any) -> None:
        """Every article's front matter is validated before its macros run; a bad page stops the build."""
        page = env.page
        try:
            meta = pages_meta.validate(page.file.src_uri, page.meta, ds)
        except pages_meta.PageError as exc:
            raise PluginError(str(exc)) from None
        page.meta["sbw"] = pages_meta.theme_fields(meta, ds, page, env.conf)

    env.pre_macro_functions.append(check_page)

    tooltips = render.abbreviations(ds.glossary)

    def add_tooltips(env: Any) -> None:
        """Glossary terms become tooltips on every page (Markdown `abbr` definitions, from data)."""
        env.markdown = f"{env.markdown}\n\n{tooltips}\n"

    env.post_macro_functions.append(add_tooltips)

    # Security headers as <meta> for hosts that cannot set headers; `mkdocs serve` goes without,
    # because its live reload is an inline script that the policy would block.
    extra = env.conf["extra"]
    extra["sbw_csp"] = "" if serving_locally(env.conf) else host_files.content_security_policy(meta=True)
    extra["sbw_referrer"] = host_files.REFERRER_POLICY

    def write_host_files(env: Any) -> None:
        host_files.write_host_files(Path(env.conf["site_dir"]), env.conf["site_url"] or "/")

    def fix_theme_markup(env: Any) -> None:
        """Valid HTML where no block override reaches Material's markup (see theme_markup.py)."""
        theme_markup.fix_site(Path(env.conf["site_dir"]))

    env.post_build_functions.append(fix_theme_markup)
    env.post_build_functions.append(write_host_files)

    def citations() -> Citations:
        key = env.page.file.src_uri
        if key not in pages:
            pages[key] = Citations(ds.source_by_id)
        return pages[key]

    def cite(*source_ids: str) -> str:
        return citations().cite(*source_ids)

    def pick(ids: list[str] | str | None, known: dict[str, Any], what: str) -> list[Any]:
        if ids is None:
            return list(known.values())
        ids = [ids] if isinstance(ids, str) else ids
        missing = [i for i in ids if i not in known]
        if missing:
            raise KeyError(f"unknown {what} {', '.join(map(repr, missing))}; known: {', '.join(known)}")
        return [known[i] for i in ids]

    @env.macro
    def equivalence_table(
        drugs: list[str] | None = None,
        sources: list[str] | None = None,
        table_id: str = "equivalence",
        row_prefix: str = "eq",
    ) -> str:
        """All drugs and sources by default; `sources` takes ids or 'source/column'."""
        meds = pick(drugs, ds.medication_by_id, "medication")
        columns = render.equivalence_columns(ds, meds)
        if sources is not None:

            def matches(col: render.Column, wanted: str) -> bool:
                return wanted in (col[0], f"{col[0]}/{col[1]}")

            unknown = [w for w in sources if not any(matches(c, w) for c in columns)]
            if unknown:
                raise KeyError(
                    f"no equivalents from {', '.join(map(repr, unknown))} for these drugs; "
                    f"use a source id or 'source/column' from: "
                    f"{', '.join(c[0] + ('/' + c[1] if c[1] else '') for c in columns)}"
                )
            columns = [c for c in columns if any(matches(c, w) for w in sources)]
        return render.equivalence_table(ds, meds, columns, cite, table_id, row_prefix)

    @env.macro
    def med(
        drug: str, fact: str, source: str | None = None, column: str | None = None, market: str | None = None
    ) -> str:
        """A fact for prose: half_life, equivalent (needs source), strengths, brands, name."""
        m = ds.medication(drug)
        if fact == "half_life":
            return render.half_life(m, cite, source)
        if fact == "equivalent":
            if source is None:
                raise ValueError("med(..., 'equivalent') needs source=: sources disagree, so name one")
            return render.equivalent(m, cite, source, column)
        if fact == "strengths":
            return render.strengths(m, cite, market)
        if fact == "brands":
            return render.brands(m, cite)
        if fact == "name":
            return m.generic
        raise ValueError(f"unknown fact {fact!r}; allowed: half_life, equivalent, strengths, brands, name")

    def result(schedule_id: str):
        title = ds.schedule(schedule_id).title  # a clear error for an unknown id
        return results[schedule_id], title

    @env.macro
    def schedule_table(schedule_id: str) -> str:
        res, title = result(schedule_id)
        return render.schedule_table(res, schedule_id, title)

    @env.macro
    def taper_chart(schedule_id: str) -> str:
        res, title = result(schedule_id)
        return render.taper_chart(res, schedule_id, title)

    @env.macro
    def schedule_parameters(schedule_id: str) -> str:
        res, _ = result(schedule_id)
        return render.schedule_parameters(ds, schedule_id, res, cite)

    @env.macro
    def medication_ids() -> list[str]:
        return [m.id for m in ds.medications]

    @env.macro
    def schedule_ids() -> list[str]:
        return [s.id for s in ds.schedules]

    @env.macro
    def schedule_facts(schedule_id: str) -> dict[str, Any]:
        """What a schedule does, for prose that explains it: switches? liquid tail? warned steps?"""
        res, _ = result(schedule_id)
        return {
            "switches": res.plan.crossover is not None,
            "liquid_tail": res.plan.tail is not None,
            "warned_steps": sum(1 for r in res.rows if r.warnings),
            "weeks": res.weeks,
        }

    @env.macro
    def schedule_title(schedule_id: str) -> str:
        return result(schedule_id)[1]

    env.macro(cite, "cite")
    env.macro(lambda: planner_json(ds), "planner_data")

    @env.macro
    def references() -> str:
        declared = tuple(env.page.meta.get("sources", []) or [])
        html = citations().reference_list(declared)
        return html or "<p>No sources are cited on this page.</p>"

    @env.macro
    def fact(fact_id: str) -> str:
        """A sourced number for prose from data/facts.yaml."""
        return render.fact(pick(fact_id, ds.fact_by_id, "fact")[0], cite)

    @env.macro
    def symptoms_table(
        group: str | None = None, urgent: bool | None = None, table_id: str = "symptoms", caption: str | None = None
    ) -> str:
        chosen = [
            s for s in ds.symptoms if (group is None or s.group == group) and (urgent is None or s.urgent == urgent)
        ]
        if not chosen:
            raise ValueError(f"no symptoms match group={group!r}, urgent={urgent!r}")
        return render.symptoms_table(chosen, cite, table_id, caption)

    @env.macro
    def emergency_numbers() -> str:
        return render.emergency_table(ds.emergency, cite)

    @env.macro
    def interactions_table(ids: list[str] | None = None, table_id: str = "interactions-table") -> str:
        """Dangerous combinations from data/interactions.yaml: all, or the ids given, in that order."""
        by_id = {i.id: i for i in ds.interactions}
        return render.interactions_table(pick(ids, by_id, "interaction"), cite, table_id)

    @env.macro
    def guidelines_table(guidelines: list[str] | None = None) -> str:
        return render.guidelines_table(pick(guidelines, ds.guideline_by_id, "guideline"), cite)

    @env.macro
    def half_life_chart(drugs: list[str] | None = None) -> str:
        return render.half_life_chart(pick(drugs, ds.medication_by_id, "medication"))

    @env.macro
    def medicine_page(medication_id: str) -> str:
        """Everything the data knows about one medicine, with stable section ids."""
        med = ds.medication(medication_id)
        examples = [(s.id, s.title, results[s.id]) for s in ds.schedules if s.medication == med.id]
        return render.medicine_page(ds, med, examples, cite)

    @env.macro
    def medicine_links() -> str:
        return "\n".join(f"- [{m.generic.capitalize()}]({m.id}.md)" for m in ds.medications)

    @env.macro
    def changelog() -> str:
        """The change log from data, as Markdown, so MkDocs checks every page link in it."""
        here = env.page.file.src_uri
        return render.changelog(ds.changelog, here)

    @env.macro
    def glossary() -> str:
        return render.glossary_list(ds.glossary, cite)

    @env.macro
    def sources_list() -> str:
        return render.sources_list(ds)
