"""HTML for tables, facts and charts. Pure: data in, escaped HTML out.

Output is a single block with no blank lines, so Markdown passes it through as
raw HTML. Every value that came from data goes through `escape`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from html import escape

from .citations import format_source
from .data import Dataset
from .models import (
    ChangelogEntry,
    EmergencyNumber,
    Equivalent,
    Fact,
    GlossaryTerm,
    Guideline,
    HalfLife,
    Interaction,
    Medication,
    Range,
    Symptom,
)
from .plans import exact, find_equivalent, per_diazepam_10
from .taper import Result, fmt_mg, fmt_pct

Cite = Callable[..., str]
Column = tuple[str, str | None]  # (source id, column id)

FORM_WORDS = {
    "tablet": "tablets",
    "capsule": "capsules",
    "orally-disintegrating-tablet": "orally disintegrating tablets",
    "oral-solution": "oral solution",
    "oral-suspension": "oral suspension",
}
MARKET_WORDS = {"us": "US", "uk": "UK", "ie": "Ireland"}


def fmt_range(low: Fraction, high: Fraction, unit: str = "mg") -> str:
    text = fmt_mg(low) if low == high else f"{fmt_mg(low)}–{fmt_mg(high)}"
    return f"{text} {unit}"


def fmt_amount(amount: Range, unit: str) -> str:
    return fmt_range(exact(amount.min), exact(amount.max), unit)


def _scroll(table: str, label_id: str) -> str:
    # A focusable, labelled region so keyboard users can scroll a wide table (WCAG 2.1.1).
    return f'<div class="sbw-scroll" role="region" aria-labelledby="{label_id}" tabindex="0">{table}</div>'


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
    text = escape(fmt_range(low, high))
    if eq.per_diazepam_mg != 10:
        published = fmt_amount(eq.mg, "mg")
        text += (
            f'<span class="sbw-published">published as {escape(published)} per diazepam '
            f"{escape(fmt_mg(exact(eq.per_diazepam_mg)))} mg</span>"
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
    head = "".join(f'<th scope="col">{escape(column_label(ds, c))} {cite(c[0])}</th>' for c in columns)
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
        label = escape(med.generic) + (f' <span class="sbw-tag">{kind}</span>' if kind else "")
        rows.append(f'<tr id="{escape(row_prefix)}-{escape(med.id)}"><th scope="row">{label}</th>{"".join(cells)}</tr>')
    caption = (
        "Dose approximately equal to diazepam 10 mg, by source (mg). "
        "Each column is one source; values are never averaged. A dash means the source gives no value."
    )
    table = (
        f'<table class="sbw-table sbw-equivalence" id="{escape(table_id)}">'
        f'<caption id="{caption_id}">{caption}</caption>'
        f'<thead><tr><th scope="col">Medicine</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return _scroll(table, caption_id)


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
    return escape(text)


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
    return f"{escape(fmt_range(low, high))}{cite(eq.source)}"


def strengths(med: Medication, cite: Cite, market: str | None = None) -> str:
    items = []
    for form in med.formulations:
        if market and market not in form.markets:
            continue
        where = ", ".join(MARKET_WORDS[m] for m in form.markets)
        if form.concentration is not None:
            per = "mL" if form.concentration.ml == 1 else f"{form.concentration.ml:g} mL"
            what = f"{form.concentration.mg:g} mg/{per} {FORM_WORDS[form.form]}"
        else:
            mg = ", ".join(f"{s:g}" for s in form.strengths_mg or [])
            what = f"{mg} mg {FORM_WORDS[form.form]}"
            if form.scored is True:
                what += " (scored)"
            elif isinstance(form.scored, list):
                what += f" ({', '.join(f'{s:g} mg' for s in form.scored)} scored)"
        items.append(f"{escape(what)} ({escape(where)}){cite(form.source)}")
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
    return escape("; ".join(parts)) + cite(*med.brands.sources)


def schedule_table(result: Result, schedule_id: str, title: str) -> str:
    """On a phone each row shows as a card of labelled lines (.sbw-stack in extra.css, the planner's too),
    each cell named by its data-label. No ARIA roles: HTML forbids them inside a table, and
    tests/browser checks that Chromium still exposes the cards as a table."""
    caption_id = f"sched-{schedule_id}-caption"
    unit = "diazepam mg (or equivalent)" if result.plan.crossover else f"{result.unit_drug} mg"
    heads = [
        "Step",
        "Week",
        f"Daily dose ({unit})",
        "Cut from previous dose",
        "Cut from starting dose",
        "What to take in a day",
    ]
    rows = []
    for row in result.rows:
        cls = {"final-stop": ' class="sbw-final"', "crossover": ' class="sbw-cross"'}.get(row.kind, "")
        if row.warnings:
            cls = ' class="sbw-warn"'
        extra = "".join(f'<span class="sbw-note">{escape(n)}</span>' for n in row.notes)
        extra += "".join(
            f'<span class="sbw-warning"><strong>Warning:</strong> {escape(w)}</span>' for w in row.warnings
        )
        cut_prev = "—" if row.kind in ("start", "crossover") else f"{fmt_pct(row.cut_prev)}%"
        cut_start = "—" if row.kind in ("start", "crossover") else f"{fmt_pct(row.cut_start)}%"
        values = [str(row.week), escape(fmt_mg(row.daily_mg)), cut_prev, cut_start, escape(row.take) + extra]
        cells = f'<th scope="row" data-label="{heads[0]}">{row.step}</th>' + "".join(
            f'<td data-label="{escape(head)}">{value}</td>' for head, value in zip(heads[1:], values, strict=True)
        )
        rows.append(f'<tr id="{escape(schedule_id)}-step-{row.step}"{cls}>{cells}</tr>')
    header = "".join(f'<th scope="col">{escape(head)}</th>' for head in heads)
    table = (
        f'<table class="sbw-table sbw-schedule sbw-stack" id="sched-{escape(schedule_id)}-table">'
        f'<caption id="{caption_id}">{escape(title)}: every step, computed from the parameters above</caption>'
        f"<thead><tr>{header}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return _scroll(table, caption_id)


def _nice_step(top: float, ticks: int = 5) -> float:
    raw = top / ticks
    for step in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200):
        if step >= raw:
            return step
    return 500.0


def taper_chart(result: Result, schedule_id: str, title: str) -> str:
    """An inline SVG step chart of the daily dose by week: no JavaScript, prints cleanly."""
    width, height = 640, 280
    left, right, top, bottom = 56, 16, 16, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    rows = result.rows
    weeks = max(rows[-1].week, 1)
    y_max = float(max(r.daily_mg for r in rows))
    y_step = _nice_step(y_max)
    y_top = y_step * -(-y_max // y_step)
    x_step = _nice_step(weeks, 8)
    x_step = max(1.0, float(round(x_step)))

    def x(week: float) -> float:
        return round(left + plot_w * week / weeks, 2)

    def y(mg: float) -> float:
        return round(top + plot_h * (1 - mg / y_top), 2)

    points: list[str] = []
    for i, row in enumerate(rows):
        if i:
            points.append(f"{x(row.week)},{y(float(rows[i - 1].daily_mg))}")
        points.append(f"{x(row.week)},{y(float(row.daily_mg))}")
    grid, labels = [], []
    value = 0.0
    while value <= y_top + 1e-9:
        grid.append(f'<line x1="{left}" x2="{width - right}" y1="{y(value)}" y2="{y(value)}"/>')
        labels.append(f'<text x="{left - 6}" y="{y(value) + 4}" text-anchor="end">{value:g}</text>')
        value += y_step
    week = 0.0
    while week <= weeks + 1e-9:
        labels.append(f'<text x="{x(week)}" y="{height - bottom + 16}" text-anchor="middle">{week:g}</text>')
        week += x_step
    warn = "".join(
        f'<circle class="sbw-chart-warn" cx="{x(r.week)}" cy="{y(float(r.daily_mg))}" r="4"/>'
        for r in rows
        if r.warnings
    )
    unit = "diazepam mg (or equivalent)" if result.plan.crossover else f"{result.unit_drug} mg"
    start, end = rows[0], rows[-1]
    desc = (
        f"Daily dose falls from {fmt_mg(start.daily_mg)} {unit} at week 0 to 0 at week {end.week}, "
        f"in {len(rows) - 1} steps. {len(result.warnings)} step(s) carry a warning."
    )
    title_id, desc_id = f"chart-{schedule_id}-title", f"chart-{schedule_id}-desc"
    return (
        f'<figure class="sbw-chart" id="chart-{escape(schedule_id)}">'
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(desc)}</desc>'
        f'<g class="sbw-chart-grid">{"".join(grid)}</g>'
        f'<polyline class="sbw-chart-line" points="{" ".join(points)}"/>{warn}'
        f'<g class="sbw-chart-labels">{"".join(labels)}'
        f'<text x="{left + plot_w / 2}" y="{height - 6}" text-anchor="middle">Week</text>'
        f'<text transform="translate(14 {top + plot_h / 2}) rotate(-90)" text-anchor="middle">'
        f"Daily dose ({escape(unit)})</text></g></svg>"
        f"<figcaption>{escape(desc)}</figcaption></figure>"
    )


def schedule_parameters(ds: Dataset, schedule_id: str, result: Result, cite: Cite) -> str:
    """The schedule's inputs in words, so a clinician can check the arithmetic."""
    sched = ds.schedule(schedule_id)
    med = ds.medication(sched.medication)
    guide = ds.guideline_by_id[sched.limit]
    plan = result.plan
    doses = " + ".join(f"{d:g} mg" for d in sched.start_doses_mg)
    red = sched.reduction
    how = f"cut {red.percent:g}% of the current dose" if red.percent is not None else f"cut {red.step_mg:g} mg"
    start_form = plan.crossover.from_dosing if plan.crossover else plan.dosing
    items = [("Starting dose", f"{med.generic} {doses} a day ({start_form.label})")]
    if plan.crossover:
        items.append(
            (
                "Switch",
                f"one dose at a time, every {plan.crossover.step_weeks} week(s), last dose of the day "
                f"first, using {plan.crossover.source_label}; then diazepam ({plan.dosing.label})",
            )
        )
    items.append(("Reduction", f"{how} every {red.interval_weeks} weeks"))
    assert guide.max_cut is not None
    items.append(
        ("Limit", f"no more than {guide.max_cut.percent:g}% in {guide.max_cut.per_weeks} weeks ({guide.name})")
    )
    if plan.tail:
        items.append(("Small doses", f"{plan.tail.label} from {fmt_mg(plan.tail_below)} mg a day"))
    items.append(("Who it might suit", sched.suits))
    body = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in items)
    sources = cite(*sched.sources)
    return f'<dl class="sbw-params">{body}<dt>Based on</dt><dd>{sources}</dd></dl>'


def sources_list(ds: Dataset) -> str:
    kinds = {}
    for source in ds.sources:
        kinds.setdefault(source.kind, []).append(source)
    out = []
    for kind, items in kinds.items():
        lis = "".join(f'<li id="src-{escape(s.id)}"><code>{escape(s.id)}</code> {format_source(s)}</li>' for s in items)
        heading = escape(kind.replace("-", " ").capitalize()) + "s"
        out.append(f'## {heading} {{ #kind-{escape(kind)} }}\n\n<ul class="sbw-sources">{lis}</ul>\n')
    return "\n".join(out)


ONE = {"hours": "an hour", "days": "a day", "weeks": "a week", "months": "a month", "years": "a year"}


def fact(f: Fact, cite: Cite) -> str:
    """A sourced number for prose, e.g. 'up to 15%' or 'within a day', with its citation."""
    value = fmt_amount(f.value, "").strip()
    if f.unit == "%":
        text = f"{value}%"
    elif not f.unit:
        text = value
    elif f.value.min == f.value.max == 1 and f.unit in ONE:
        text = ONE[f.unit]
    else:
        text = f"{value} {f.unit}"
    if f.prefix:
        text = f"{f.prefix} {text}"
    return f"{escape(text)}{cite(f.source)}"


def symptoms_table(
    symptoms: Sequence[Symptom], cite: Cite, table_id: str = "symptoms", caption: str | None = None
) -> str:
    caption_id = f"{table_id}-caption"
    rows = "".join(
        f'<tr id="symptom-{escape(s.id)}"{" class=sbw-urgent-row" if s.urgent else ""}>'
        f'<th scope="row">{escape(s.name)}</th><td>{escape(s.plain)}</td>'
        f"<td>{'Get urgent help' if s.urgent else ('Common' if s.common else 'Less common')}"
        f"{cite(*s.sources)}</td></tr>"
        for s in symptoms
    )
    table = (
        f'<table class="sbw-table sbw-symptoms" id="{escape(table_id)}">'
        f'<caption id="{caption_id}">{escape(caption or "Withdrawal symptoms and what they can feel like")}</caption>'
        f'<thead><tr><th scope="col">Symptom</th><th scope="col">What it can feel like</th>'
        f'<th scope="col">How common</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    return _scroll(table, caption_id)


def emergency_table(numbers: Sequence[EmergencyNumber], cite: Cite) -> str:
    rows = "".join(
        f'<tr id="call-{escape(n.id)}"><th scope="row">{escape(n.region)}</th>'
        f'<td><a href="tel:{escape(n.number.replace(" ", ""))}"><strong>{escape(n.number)}</strong></a></td>'
        f"<td>{escape(n.purpose)}{cite(n.source)}</td></tr>"
        for n in numbers
    )
    table = (
        '<table class="sbw-table sbw-emergency" id="emergency-numbers">'
        '<caption id="emergency-numbers-caption">Emergency and crisis numbers</caption>'
        '<thead><tr><th scope="col">Where</th><th scope="col">Number</th><th scope="col">For</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    return _scroll(table, "emergency-numbers-caption")


SEVERITY_WORDS = {"boxed-warning": "FDA boxed warning", "major": "Major", "moderate": "Moderate"}


def interactions_table(items: Sequence[Interaction], cite: Cite, table_id: str = "interactions-table") -> str:
    """Dangerous combinations: plain words for patients, the mechanism in small print for clinicians."""
    caption_id = f"{table_id}-caption"
    rows = "".join(
        f'<tr id="ix-{escape(i.id)}" class="sbw-ix-{escape(i.severity)}">'
        f'<th scope="row">{escape(i.with_)}</th>'
        f'<td><span class="sbw-severity">{escape(SEVERITY_WORDS[i.severity])}</span></td>'
        f"<td>{escape(i.effect)}</td><td>{escape(i.what_to_do)}</td>"
        f'<td><small class="sbw-mechanism">{escape(i.mechanism)}</small>{cite(*i.sources)}</td></tr>'
        for i in items
    )
    table = (
        f'<table class="sbw-table sbw-interactions" id="{escape(table_id)}">'
        f'<caption id="{escape(caption_id)}">Dangerous combinations: what can happen and what to do. '
        "Plan any change with your prescriber.</caption>"
        '<thead><tr><th scope="col">Combined with</th><th scope="col">Severity</th>'
        '<th scope="col">What can happen</th><th scope="col">What to do</th>'
        '<th scope="col">Why (mechanism)</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    return _scroll(table, escape(caption_id))


def guidelines_table(guides: Sequence[Guideline], cite: Cite) -> str:
    def amount(value: Range | None, unit: str) -> str:
        return escape(fmt_amount(value, unit)) if value else '<span class="sbw-sr">not stated</span>—'

    rows = []
    for g in guides:
        limit = f"{g.max_cut.percent:g}% in {g.max_cut.per_weeks} weeks" if g.max_cut else None
        rows.append(
            f'<tr id="pace-{escape(g.id)}"><th scope="row">{escape(g.name)}{cite(g.source)}</th>'
            f"<td>{escape(g.pace)}</td><td>{amount(g.cut_percent, '%').replace(' %', '%')}</td>"
            f"<td>{amount(g.interval_weeks, 'weeks')}</td>"
            f"<td>{escape(limit) if limit else amount(None, '')}</td>"
            f"<td>{escape(g.holds) if g.holds else amount(None, '')}</td></tr>"
        )
    table = (
        '<table class="sbw-table sbw-pace" id="pace-by-guideline">'
        '<caption id="pace-caption">How fast to taper, guideline by guideline (in each source\'s own terms)</caption>'
        '<thead><tr><th scope="col">Source</th><th scope="col">What it says</th><th scope="col">Usual cut</th>'
        '<th scope="col">How often</th><th scope="col">Upper limit</th><th scope="col">If withdrawal is hard</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return _scroll(table, "pace-caption")


def half_life_chart(meds: Sequence[Medication]) -> str:
    """Half-life ranges on a log scale: why symptoms start sooner after short-acting medicines."""
    import math

    entries = []
    for med in meds:
        hl = next((h for h in med.half_life), None)
        if hl is None:
            continue
        own = (float(hl.hours.min), float(hl.hours.max)) if hl.hours else None
        meta = (float(hl.metabolite.hours.min), float(hl.metabolite.hours.max)) if hl.metabolite else None
        entries.append((med.generic, own, meta))
    width, row_h, left, right, top = 640, 22, 130, 16, 24
    height = top + row_h * len(entries) + 40
    lo, hi = 1.0, 300.0

    def x(hours: float) -> float:
        frac = (math.log10(max(hours, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        return round(left + (width - left - right) * frac, 1)

    parts = []
    for tick in (1, 2, 5, 10, 24, 48, 100, 200):
        parts.append(
            f'<line class="sbw-chart-gridline" x1="{x(tick)}" x2="{x(tick)}" y1="{top - 6}" '
            f'y2="{height - 34}"/><text x="{x(tick)}" y="{height - 20}" text-anchor="middle">{tick}</text>'
        )
    for i, (name, own, meta) in enumerate(entries):
        y = top + i * row_h
        parts.append(f'<text x="{left - 8}" y="{y + 12}" text-anchor="end">{escape(name)}</text>')
        if meta:
            parts.append(
                f'<rect class="sbw-bar-meta" x="{x(meta[0])}" y="{y + 3}" '
                f'width="{max(x(meta[1]) - x(meta[0]), 3)}" height="12"/>'
            )
        if own:
            parts.append(
                f'<rect class="sbw-bar" x="{x(own[0])}" y="{y + 3}" '
                f'width="{max(x(own[1]) - x(own[0]), 3)}" height="12"/>'
            )
    parts.append(
        f'<text x="{left + (width - left - right) / 2}" y="{height - 4}" text-anchor="middle">'
        "Half-life in hours (log scale)</text>"
    )
    desc = "; ".join(
        f"{name}: {fmt_range(Fraction(str(own[0])), Fraction(str(own[1])), 'hours') if own else 'prodrug'}"
        + (f", active metabolite {fmt_range(Fraction(str(meta[0])), Fraction(str(meta[1])), 'hours')}" if meta else "")
        for name, own, meta in entries
    )
    return (
        '<figure class="sbw-chart" id="half-life-chart">'
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="hl-title hl-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="hl-title">Half-lives of benzodiazepines and z-drugs</title>'
        f'<desc id="hl-desc">{escape(desc)}</desc><g class="sbw-chart-labels">{"".join(parts)}</g></svg>'
        "<figcaption>Dark bars: the medicine itself. Light bars: an active metabolite, which keeps working "
        "after the medicine has gone. Values and sources are in the equivalence and half-life tables.</figcaption>"
        "</figure>"
    )


def abbreviations(terms: Sequence[GlossaryTerm]) -> str:
    """Markdown `abbr` definitions: each term and form gets its plain-language tooltip."""
    lines = []
    for t in terms:
        for form in [t.term, *t.forms]:
            lines.append(f"*[{form}]: {t.definition}")
    return "\n".join(lines)


def glossary_list(terms: Sequence[GlossaryTerm], cite: Cite) -> str:
    items = "".join(
        f'<dt id="term-{escape(t.id)}">{escape(t.term)}</dt>'
        f"<dd>{escape(t.definition)}{cite(t.source) if t.source else ''}</dd>"
        for t in sorted(terms, key=lambda t: t.term.lower())
    )
    return f'<dl class="sbw-glossary">{items}</dl>'


def medicine_page(ds: Dataset, med: Medication, schedules: Sequence[tuple[str, str, Result]], cite: Cite) -> str:
    """The body of one medicine's page, as Markdown with stable heading ids, all from data."""
    kind = "a z-drug, a sleeping pill" if med.drug_class == "z-drug" else "a benzodiazepine"
    parts = [
        f"## What is {escape(med.generic)}? {{ #about }}",
        f"{escape(med.generic.capitalize())} is {kind}. Brand names: {brands(med, cite)}.",
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
                f"### {escape(title)} {{ #{escape(sid)} }}",
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


def changelog(entries: Sequence[ChangelogEntry], from_page: str) -> str:
    """Entries grouped under a dated heading (stable id changes-YYYY-MM-DD), as Markdown.

    Links are relative to the page, so the strict build checks every one of them.
    """
    up = "../" * from_page.count("/")
    out: list[str] = []
    for day in dict.fromkeys(e.date for e in entries):
        out.append(f"## {day.day} {day.strftime('%B %Y')} {{ #changes-{day.isoformat()} }}\n")
        for e in (e for e in entries if e.date == day):
            links = ", ".join(f"[{escape(p.removesuffix('.md'))}]({up}{p})" for p in e.pages)
            out.append(f"- {escape(e.summary)} Pages: {links}.")
        out.append("")
    return "\n".join(out)
