"""An example schedule in HTML: its parameters in words, the table of every step, and an SVG chart."""

from __future__ import annotations

from ..data import Dataset
from ..data.vocabulary import CROSSOVER_UNIT
from ..engine import Result, fmt_mg, fmt_pct, words
from .common import Cite, inert, scroll_box


def schedule_table(result: Result, schedule_id: str, title: str) -> str:
    """One column per time of day, then the day's total and the cuts; notes and warnings under the doses.

    On a phone each row shows as a card of labelled lines (.sbw-stack in extra.css, the planner's too),
    each cell named by its data-label. No ARIA roles: HTML forbids them inside a table, and
    tests/browser checks that Chromium still exposes the cards as a table."""
    plan = result.plan
    caption_id = f"sched-{schedule_id}-caption"
    unit = CROSSOVER_UNIT if plan.crossover else f"{result.unit_drug} mg"
    crossing = plan.crossover is not None
    times = [words.TIME_LABELS[d.time] for d in result.rows[0].doses]
    heads = ["Step", "Week", *times, f"Day's total ({unit})", "Cut from previous dose", "Cut from starting dose"]
    rows = []
    for row in result.rows:
        cls = {"final-stop": ' class="sbw-final"', "crossover": ' class="sbw-cross"'}.get(row.kind, "")
        if row.warnings:
            cls = ' class="sbw-warn"'
        extra = "".join(f'<span class="sbw-note">{inert(n)}</span>' for n in words.notes(row, plan))
        extra += "".join(
            f'<span class="sbw-warning"><strong>Warning:</strong> {inert(w)}</span>' for w in words.warnings(row, plan)
        )
        cut_prev = "—" if row.kind in ("start", "crossover") else f"{fmt_pct(row.cut_prev)}%"
        cut_start = "—" if row.kind in ("start", "crossover") else f"{fmt_pct(row.cut_start)}%"
        if row.kind == "final-stop":
            doses = ["none"] * len(times)
        else:
            doses = [inert(words.dose_text(d, crossing)) for d in row.doses]
        values = [str(row.week), *doses, inert(fmt_mg(row.daily_mg)), cut_prev, cut_start]
        cells = f'<th scope="row" data-label="{heads[0]}">{row.step}</th>' + "".join(
            f'<td data-label="{inert(head)}">{value}</td>' for head, value in zip(heads[1:], values, strict=True)
        )
        if extra:
            cells += f'<td class="sbw-row-notes" data-label="Notes">{extra}</td>'
        else:
            cells += '<td class="sbw-row-notes" data-label="Notes"></td>'
        rows.append(f'<tr id="{inert(schedule_id)}-step-{row.step}"{cls}>{cells}</tr>')
    header = "".join(f'<th scope="col">{inert(head)}</th>' for head in [*heads, "Notes"])
    table = (
        f'<table class="sbw-table sbw-schedule sbw-stack" id="sched-{inert(schedule_id)}-table">'
        f'<caption id="{caption_id}">{inert(title)}: every step, computed from the parameters above</caption>'
        f"<thead><tr>{header}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    summary = f'<p class="sbw-summary" id="sched-{inert(schedule_id)}-summary">{inert(words.summary(result))}</p>'
    return summary + scroll_box(table, caption_id)


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
    unit = CROSSOVER_UNIT if result.plan.crossover else f"{result.unit_drug} mg"
    start, end = rows[0], rows[-1]
    desc = (
        f"Daily dose falls from {fmt_mg(start.daily_mg)} {unit} at week 0 to 0 at week {end.week}, "
        f"in {len(rows) - 1} steps. {len(result.warnings)} step(s) carry a warning."
    )
    title_id, desc_id = f"chart-{schedule_id}-title", f"chart-{schedule_id}-desc"
    return (
        f'<figure class="sbw-chart" id="chart-{inert(schedule_id)}">'
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{inert(title)}</title><desc id="{desc_id}">{inert(desc)}</desc>'
        f'<g class="sbw-chart-grid">{"".join(grid)}</g>'
        f'<polyline class="sbw-chart-line" points="{" ".join(points)}"/>{warn}'
        f'<g class="sbw-chart-labels">{"".join(labels)}'
        f'<text x="{left + plot_w / 2}" y="{height - 6}" text-anchor="middle">Week</text>'
        f'<text transform="translate(14 {top + plot_h / 2}) rotate(-90)" text-anchor="middle">'
        f"Daily dose ({inert(unit)})</text></g></svg>"
        f"<figcaption>{inert(desc)}</figcaption></figure>"
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
    how += ", one dose of the day at a time, the earliest first (as NHS Scotland's example does)"
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
    items.append(("Reduction", f"{how}, every {red.interval_weeks} weeks"))
    assert guide.max_cut is not None
    items.append(
        ("Limit", f"no more than {guide.max_cut.percent:g}% in {guide.max_cut.per_weeks} weeks ({guide.name})")
    )
    if plan.tail:
        which = "any dose" if plan.tail_below is None else f"a dose of {fmt_mg(plan.tail_below)} mg or less"
        items.append(("Small doses", f"{plan.tail.label}, for {which} the first form cannot make within the pace"))
    items.append(
        (
            "End point",
            f"stop from {words.end_words(plan)} or less"
            if plan.stop_at is None
            else f"stop from {result.unit_drug} {fmt_mg(plan.stop_at)} mg a day or less",
        )
    )
    items.append(("Who it might suit", sched.suits))
    body = "".join(f"<dt>{inert(k)}</dt><dd>{inert(v)}</dd>" for k, v in items)
    sources = cite(*sched.sources)
    return f'<dl class="sbw-params">{body}<dt>Based on</dt><dd>{sources}</dd></dl>'
