"""One medicine in HTML: its equivalents side by side, half-lives, strengths, brands, and its page."""

from __future__ import annotations

from collections.abc import Sequence

from ..data import Dataset
from ..data.equivalents import exact, find_equivalent, per_diazepam_10
from ..data.models import Equivalent, HalfLife, Medication
from ..data.vocabulary import DRUG_CLASS_LABELS, FORM_PLURALS, MARKET_LABELS
from ..engine import Result, fmt_mg
from .common import Cite, Column, fmt_amount, fmt_range, inert, scroll_box
from .schedules import schedule_parameters, schedule_table, taper_chart
from .tables import interactions_table


def equivalence_columns(ds: Dataset, medications: Sequence[Medication]) -> list[Column]:
    """Every (source, column) that gives a value for these drugs, in sources.yaml order."""
    used = {(e.source, e.column) for m in medications for e in m.equivalents}
    out: list[Column] = []
    for source in ds.sources:
        for column in [*(source.columns or {}), None]:
            if (source.id, column) in used:
                out.append((source.id, column))
    return out


def column_label(ds: Dataset, column: Column) -> str:
    source = ds.source(column[0])
    if column[1] and source.columns:
        return f"{source.short}: {source.columns[column[1]]}"
    return source.short


def equivalent_text(eq: Equivalent) -> str:
    low, high = per_diazepam_10(eq)
    text = inert(fmt_range(low, high))
    if eq.per_diazepam_mg != 10:
        published = fmt_amount(eq.mg, "mg")
        text += (
            f'<span class="sbw-published">published as {inert(published)} per diazepam '
            f"{inert(fmt_mg(exact(eq.per_diazepam_mg)))} mg</span>"
        )
    return text


def equivalence_table(
    ds: Dataset,
    medications: Sequence[Medication],
    columns: Sequence[Column],
    cite: Cite,
    table_id: str = "equivalence",
    row_prefix: str = "eq",
) -> str:
    caption_id = f"{table_id}-caption"
    head = "".join(f'<th scope="col">{inert(column_label(ds, c))} {cite(c[0])}</th>' for c in columns)
    rows = []
    for med in medications:
        cells = []
        for source_id, column in columns:
            eq = find_equivalent(med, source_id, column)
            if eq is None:
                cells.append(
                    '<td class="sbw-none"><span aria-hidden="true">—</span>'
                    '<span class="sbw-sr">no value given</span></td>'
                )
            else:
                cells.append(f"<td>{equivalent_text(eq)}</td>")
        kind = "z-drug" if med.drug_class == "z-drug" else ""
        label = inert(med.generic) + (f' <span class="sbw-tag">{kind}</span>' if kind else "")
        rows.append(f'<tr id="{inert(row_prefix)}-{inert(med.id)}"><th scope="row">{label}</th>{"".join(cells)}</tr>')
    caption = (
        "Dose approximately equal to diazepam 10 mg, by source (mg). "
        "Each column is one source; values are never averaged. A dash means the source gives no value."
    )
    table = (
        f'<table class="sbw-table sbw-equivalence" id="{inert(table_id)}">'
        f'<caption id="{caption_id}">{caption}</caption>'
        f'<thead><tr><th scope="col">Medicine</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return scroll_box(table, caption_id)


def half_life_text(hl: HalfLife) -> str:
    parts = []
    if hl.hours is not None:
        parts.append(fmt_amount(hl.hours, "hours"))
    if hl.metabolite is not None:
        name = hl.metabolite.name
        prefix = "" if "metabolite" in name else "active metabolite "
        parts.append(f"{prefix}{name}: {fmt_amount(hl.metabolite.hours, 'hours')}")
    text = "; ".join(parts)
    if hl.note:
        text += f" ({hl.note})"
    return inert(text)


def half_life(med: Medication, cite: Cite, source: str | None = None) -> str:
    entries = [h for h in med.half_life if source is None or h.source == source]
    if not entries:
        return '<span class="sbw-missing">no verified value yet</span>'
    return "; ".join(f"{half_life_text(h)}{cite(h.source)}" for h in entries)


def equivalent(med: Medication, cite: Cite, source: str, column: str | None = None) -> str:
    eq = find_equivalent(med, source, column)
    if eq is None:
        raise KeyError(
            f"{med.id} has no equivalent from source {source!r}"
            f"{' column ' + repr(column) if column else ''} in medications.yaml"
        )
    low, high = per_diazepam_10(eq)
    return f"{inert(fmt_range(low, high))}{cite(eq.source)}"


def strengths(med: Medication, cite: Cite, market: str | None = None) -> str:
    items = []
    for form in med.formulations:
        if market and market not in form.markets:
            continue
        where = ", ".join(MARKET_LABELS[m] for m in form.markets)
        if form.concentration is not None:
            per = "mL" if form.concentration.ml == 1 else f"{form.concentration.ml:g} mL"
            what = f"{form.concentration.mg:g} mg/{per} {FORM_PLURALS[form.form]}"
        else:
            mg = ", ".join(f"{s:g}" for s in form.strengths_mg or [])
            what = f"{mg} mg {FORM_PLURALS[form.form]}"
            if form.scored is True:
                what += " (scored)"
            elif isinstance(form.scored, list):
                what += f" ({', '.join(f'{s:g} mg' for s in form.scored)} scored)"
        items.append(f"{inert(what)} ({inert(where)}){cite(form.source)}")
    if not items:
        raise KeyError(f"{med.id} has no formulation for market {market!r}")
    return "; ".join(items)


def brands(med: Medication, cite: Cite) -> str:
    parts = []
    if med.brands.us:
        parts.append("US: " + ", ".join(med.brands.us))
    if med.brands.uk:
        parts.append("UK: " + ", ".join(med.brands.uk))
    if not parts:
        return "sold under its generic name"
    return inert("; ".join(parts)) + cite(*med.brands.sources)


def medicine_page(ds: Dataset, med: Medication, schedules: Sequence[tuple[str, str, Result]], cite: Cite) -> str:
    """The body of one medicine's page, as Markdown with stable heading ids, all from data."""
    kind = DRUG_CLASS_LABELS[med.drug_class]
    parts = [
        f"## What is {inert(med.generic)}? {{ #about }}",
        f"{inert(med.generic.capitalize())} is {kind}. Brand names: {brands(med, cite)}.",
        "Like other medicines of its kind, it should not be stopped suddenly after regular use. "
        "Any change is planned with the prescriber.",
        "## How long does it last in the body? { #half-life }",
        f"Half-life: {half_life(med, cite)}.",
        "## How much equals diazepam 10 mg? { #equivalents }",
    ]
    if med.equivalents:
        columns = equivalence_columns(ds, [med])
        parts.append(
            "Sources disagree, so each value is shown with its source and never averaged. "
            "These are estimates: people differ."
        )
        parts.append(equivalence_table(ds, [med], columns, cite, f"{med.id}-equivalence", f"{med.id}-eq"))
    else:
        parts.append("No source we have verified gives a value yet, so none is shown.")
    parts += ["## What strengths and liquids exist? { #strengths }", strengths(med, cite) + "."]
    parts.append("## How do people usually taper off it? { #tapering }")
    if schedules:
        parts.append("These worked examples are to discuss with a prescriber, not to follow alone.")
        for sid, title, result in schedules:
            parts += [
                f"### {inert(title)} {{ #{inert(sid)} }}",
                schedule_parameters(ds, sid, result, cite),
                taper_chart(result, sid, title),
                schedule_table(result, sid, title),
            ]
    else:
        parts.append(
            "There is no worked example for this medicine yet. The [tapering](../tapering.md) page explains the "
            "choices, including a direct taper or a switch to [diazepam](../switching-to-diazepam.md)."
        )
    parts.append("## What should I be careful about? { #cautions }")
    own = [i for i in ds.interactions if med.id in i.only_for]
    shared = [i for i in ds.interactions if not i.only_for]
    parts.append(interactions_table([*own, *shared], cite, table_id=f"{med.id}-interactions"))
    parts.append(
        "Older adults are more sensitive to these medicines: see [older adults](../older-adults.md). "
        "For warning signs, see [urgent help](../urgent-help.md)."
    )
    return "\n\n".join(parts)
