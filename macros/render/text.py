"""Text from data: facts for prose, the sources page, glossary tooltips and list, the change log."""

from __future__ import annotations

from collections.abc import Sequence

from ..data import Dataset
from ..data.models import ChangelogEntry, Fact, GlossaryTerm, Source
from ..data.vocabulary import FACT_UNIT_ONE, SOURCE_KIND_HEADINGS, SourceKind
from .citations import format_source
from .common import Cite, fmt_amount, inert


def sources_list(ds: Dataset) -> str:
    kinds: dict[SourceKind, list[Source]] = {}
    for source in ds.sources:
        kinds.setdefault(source.kind, []).append(source)
    out = []
    for kind, items in kinds.items():
        lis = "".join(f'<li id="src-{inert(s.id)}"><code>{inert(s.id)}</code> {format_source(s)}</li>' for s in items)
        heading = inert(SOURCE_KIND_HEADINGS[kind])
        out.append(f'## {heading} {{ #kind-{inert(kind)} }}\n\n<ul class="sbw-sources">{lis}</ul>\n')
    return "\n".join(out)


def fact(f: Fact, cite: Cite) -> str:
    """A sourced number for prose, e.g. 'up to 15%' or 'within a day', with its citation."""
    value = fmt_amount(f.value, "").strip()
    if f.unit == "%":
        text = f"{value}%"
    elif not f.unit:
        text = value
    elif f.value.min == f.value.max == 1 and (one := FACT_UNIT_ONE[f.unit]):
        text = one
    else:
        text = f"{value} {f.unit}"
    if f.prefix:
        text = f"{f.prefix} {text}"
    return f"{inert(text)}{cite(f.source)}"


def abbreviations(terms: Sequence[GlossaryTerm]) -> str:
    """Markdown `abbr` definitions: each term and form gets its plain-language tooltip.

    A definition is one line whatever its YAML held, so it stays the tooltip's text (Markdown puts it
    in a title attribute, escaped) and cannot start a block of its own below the page.
    """
    lines = []
    for t in terms:
        definition = " ".join(t.definition.split())
        for form in [t.term, *t.forms]:
            lines.append(f"*[{form}]: {definition}")
    return "\n".join(lines)


def glossary_list(terms: Sequence[GlossaryTerm], cite: Cite) -> str:
    items = "".join(
        f'<dt id="term-{inert(t.id)}">{inert(t.term)}</dt>'
        f"<dd>{inert(t.definition)}{cite(t.source) if t.source else ''}</dd>"
        for t in sorted(terms, key=lambda t: t.term.lower())
    )
    return f'<dl class="sbw-glossary">{items}</dl>'


def changelog(entries: Sequence[ChangelogEntry], from_page: str) -> str:
    """Entries grouped under a dated heading (stable id changes-YYYY-MM-DD), as Markdown.

    Links are relative to the page, so the strict build checks every one of them.
    """
    up = "../" * from_page.count("/")
    out: list[str] = []
    for day in dict.fromkeys(e.date for e in entries):
        out.append(f"## {day.day} {day.strftime('%B %Y')} {{ #changes-{day.isoformat()} }}\n")
        for e in (e for e in entries if e.date == day):
            links = ", ".join(f"[{inert(p.removesuffix('.md'))}]({up}{p})" for p in e.pages)
            out.append(f"- {inert(e.summary)} Pages: {links}.")
        out.append("")
    return "\n".join(out)
