"""Front matter: validate it, and derive what the theme shows (review line, JSON-LD, citation).

Kept out of the theme so the rules live in Python, are tested, and fail the build
with a message that names the page and the field.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from typing import Any

from markupsafe import Markup, escape
from pydantic import ValidationError

from ..data import Dataset
from ..data.loader import YamlProblem, parse
from ..data.models import PageMeta
from ..data.references import find_refs
from ..data.vocabulary import Audience

log = logging.getLogger("mkdocs.plugins.sbw")

AUDIENCE: dict[Audience, list[dict[str, str]]] = {  # schema.org audience of each page
    "patients": [{"@type": "Patient"}],
    "clinicians": [{"@type": "MedicalAudience", "audienceType": "Clinician"}],
    "both": [{"@type": "Patient"}, {"@type": "MedicalAudience", "audienceType": "Clinician"}],
}


class PageError(ValueError):
    """Front matter that is missing or wrong: the build stops and names the page and field."""


FENCE = "---"


def read(source: str, src: str) -> dict[str, Any]:
    """The front matter as written, parsed as strictly as data/ is (a key twice, an impossible date).

    MkDocs' own reading drops a block it cannot parse without a word, which then reads as six
    missing fields; here the maintainer gets the YAML problem and its line in the file.
    """
    lines = source.splitlines()
    if not lines or lines[0].rstrip() != FENCE:
        return {}
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in (FENCE, "...")), None)
    if end is None:
        raise PageError(f"docs/{src}, line 1: the front matter opened with --- is never closed; end it with ---")
    try:
        # An empty first line in place of the opening ---, so every line YAML names is the file's.
        meta = parse("\n" + "\n".join(lines[1:end]))  # as strict, and as limited, as data/ is
    except YamlProblem as exc:
        problem = exc.problem.replace("this is not valid YAML", "front matter is not valid YAML")
        if not problem.startswith("front matter"):
            problem = f"front matter: {problem}"
        raise PageError(f"docs/{src}{exc.where().split(', column')[0]}: {problem}") from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise PageError(f"docs/{src}, line 2: front matter must be `field: value` lines, found {type(meta).__name__}")
    return meta


def _quoted_dates(meta: dict[str, Any]) -> list[str]:
    """A date in quotes is text to YAML: say so, rather than pydantic's "not a valid date"."""
    problems = []
    for name, info in PageMeta.model_fields.items():
        value = meta.get(name)
        if info.annotation is dt.date and isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                continue
            problems.append(f"{name}: {value!r} is in quotes, so it is text, not a date; write {name}: {value}")
    return problems


def validate(src: str, meta: dict[str, Any], ds: Dataset, today: dt.date | None = None) -> PageMeta:
    fields = {k: v for k, v in meta.items() if k in PageMeta.model_fields}
    # Keys that plugins add to page.meta (git dates, our own "sbw") are not the author's typos.
    unknown = sorted(k for k in set(meta) - set(PageMeta.model_fields) if not k.startswith(("git_", "sbw")))
    problems = [f"{k}: unknown front matter field; allowed: {', '.join(PageMeta.model_fields)}" for k in unknown]
    problems += _quoted_dates(fields)
    quoted = {p.split(":", 1)[0] for p in problems}
    try:
        page = PageMeta.model_validate(fields)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            if err["loc"] and err["loc"][0] in quoted:
                continue
            where = ".".join(map(str, err["loc"])) or "(front matter)"
            problems.append(f"{where}: {str(err['msg']).removeprefix('Value error, ')}")
        page = None
    day = today or dt.date.today()
    if page is not None and page.reviewed > day:
        problems.append(f"reviewed: {page.reviewed} is after today ({day}); a page is checked before it says so")
    if page is not None:
        for loc, ref, value in find_refs(page):
            if value not in ds.ids(ref.target):
                what = ref.target.removesuffix("s")
                problems.append(f"{loc[0]}: unknown {what} id {value!r}; add it to data/{ref.target}.yaml first")
    if problems:
        lines = "\n".join(f"  - docs/{src}: front matter → {p}" for p in problems)
        raise PageError(f"{len(problems)} problem(s) in a page's front matter; nothing was built:\n{lines}")
    assert page is not None
    overdue = day > page.next_review
    if overdue:
        message = f"docs/{src}: review overdue (next_review was {page.next_review}); check it against its sources"
        if os.environ.get("SBW_FAIL_OVERDUE_REVIEWS") == "1":
            raise PageError(message)
        log.info(message)
    return page


def theme_meta(page: PageMeta) -> dict[str, Markup]:
    """Title and description for page.meta, escaped once: Material prints them unescaped (in <title>,
    the description <meta>, the header, the navigation), and Markup is not escaped again by `| e`."""
    return {"title": escape(page.title), "description": escape(page.description)}


def theme_fields(page: PageMeta, ds: Dataset, page_url: str, site_url: str | None, site_name: str) -> dict[str, Any]:
    """What overrides/main.html needs: a review line, a ready citation and schema.org JSON-LD."""
    site = (site_url or "").rstrip("/") + "/"
    url = site + (page_url or "")
    reviewed = page.reviewed.isoformat()
    jsonld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": page.title,
        "description": page.description,
        "url": url,
        "lastReviewed": reviewed,
        "inLanguage": "en",
        "audience": AUDIENCE[page.audience],
        "about": {"@type": "MedicalCondition", "name": "Benzodiazepine withdrawal"},
        "citation": [
            {"@type": "CreativeWork", "name": ds.source(s).title, "url": _source_url(ds, s)} for s in page.sources
        ],
    }
    if page.reviewed_by:
        jsonld["reviewedBy"] = [{"@type": "Person", "name": n} for n in page.reviewed_by]
    return {
        "reviewed": reviewed,
        "next_review": page.next_review.isoformat(),
        "reviewed_by": page.reviewed_by,
        "audience": page.audience,
        "canonical": url,
        "citation": f"{site_name}. {page.title}. {url} (last reviewed {reviewed}).",
        # <, > and & as JSON escapes: data cannot close the <script> element or smuggle markup.
        "jsonld": json.dumps(jsonld, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026"),
    }


def _source_url(ds: Dataset, source_id: str) -> str:
    s = ds.source(source_id)
    if s.doi:
        return f"https://doi.org/{s.doi}"
    if s.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{s.pmid}/"
    return s.url or ""
