"""Tables of symptoms, emergency numbers, dangerous combinations and guidelines' pace."""

from __future__ import annotations

from collections.abc import Sequence

from ..data.models import EmergencyNumber, Guideline, Interaction, Range, Symptom
from ..data.vocabulary import SEVERITY_LABELS
from .common import Cite, fmt_amount, inert, scroll_box


def symptoms_table(
    symptoms: Sequence[Symptom], cite: Cite, table_id: str = "symptoms", caption: str | None = None
) -> str:
    caption_id = f"{table_id}-caption"
    rows = "".join(
        f'<tr id="symptom-{inert(s.id)}"{" class=sbw-urgent-row" if s.urgent else ""}>'
        f'<th scope="row">{inert(s.name)}</th><td>{inert(s.plain)}</td>'
        f"<td>{'Get urgent help' if s.urgent else ('Common' if s.common else 'Less common')}"
        f"{cite(*s.sources)}</td></tr>"
        for s in symptoms
    )
    table = (
        f'<table class="sbw-table sbw-symptoms" id="{inert(table_id)}">'
        f'<caption id="{caption_id}">{inert(caption or "Withdrawal symptoms and what they can feel like")}</caption>'
        f'<thead><tr><th scope="col">Symptom</th><th scope="col">What it can feel like</th>'
        f'<th scope="col">How common</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    return scroll_box(table, caption_id)


def emergency_table(numbers: Sequence[EmergencyNumber], cite: Cite) -> str:
    rows = "".join(
        f'<tr id="call-{inert(n.id)}"><th scope="row">{inert(n.region)}</th>'
        f'<td><a href="tel:{inert(n.number.replace(" ", ""))}"><strong>{inert(n.number)}</strong></a></td>'
        f"<td>{inert(n.purpose)}{cite(n.source)}</td></tr>"
        for n in numbers
    )
    table = (
        '<table class="sbw-table sbw-emergency" id="emergency-numbers">'
        '<caption id="emergency-numbers-caption">Emergency and crisis numbers</caption>'
        '<thead><tr><th scope="col">Where</th><th scope="col">Number</th><th scope="col">For</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    return scroll_box(table, "emergency-numbers-caption")


def interactions_table(items: Sequence[Interaction], cite: Cite, table_id: str = "interactions-table") -> str:
    """Dangerous combinations: plain words for patients, the mechanism in small print for clinicians."""
    caption_id = f"{table_id}-caption"
    rows = "".join(
        f'<tr id="ix-{inert(i.id)}" class="sbw-ix-{inert(i.severity)}">'
        f'<th scope="row">{inert(i.with_)}</th>'
        f'<td><span class="sbw-severity">{inert(SEVERITY_LABELS[i.severity])}</span></td>'
        f"<td>{inert(i.effect)}</td><td>{inert(i.what_to_do)}</td>"
        f'<td><small class="sbw-mechanism">{inert(i.mechanism)}</small>{cite(*i.sources)}</td></tr>'
        for i in items
    )
    table = (
        f'<table class="sbw-table sbw-interactions" id="{inert(table_id)}">'
        f'<caption id="{inert(caption_id)}">Dangerous combinations: what can happen and what to do. '
        "Plan any change with your prescriber.</caption>"
        '<thead><tr><th scope="col">Combined with</th><th scope="col">Severity</th>'
        '<th scope="col">What can happen</th><th scope="col">What to do</th>'
        '<th scope="col">Why (mechanism)</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    return scroll_box(table, inert(caption_id))


def guidelines_table(guides: Sequence[Guideline], cite: Cite) -> str:
    def amount(value: Range | None, unit: str) -> str:
        return inert(fmt_amount(value, unit)) if value else '<span class="sbw-sr">not stated</span>—'

    rows = []
    for g in guides:
        limit = f"{g.max_cut.percent:g}% in {g.max_cut.per_weeks} weeks" if g.max_cut else None
        rows.append(
            f'<tr id="pace-{inert(g.id)}"><th scope="row">{inert(g.name)}{cite(g.source)}</th>'
            f"<td>{inert(g.pace)}</td><td>{amount(g.cut_percent, '%').replace(' %', '%')}</td>"
            f"<td>{amount(g.interval_weeks, 'weeks')}</td>"
            f"<td>{inert(limit) if limit else amount(None, '')}</td>"
            f"<td>{inert(g.holds) if g.holds else amount(None, '')}</td></tr>"
        )
    table = (
        '<table class="sbw-table sbw-pace" id="pace-by-guideline">'
        '<caption id="pace-caption">How fast to taper, guideline by guideline (in each source\'s own terms)</caption>'
        '<thead><tr><th scope="col">Source</th><th scope="col">What it says</th><th scope="col">Usual cut</th>'
        '<th scope="col">How often</th><th scope="col">Upper limit</th><th scope="col">If withdrawal is hard</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return scroll_box(table, "pace-caption")
