"""The words of a schedule: every note, warning, dose and summary the engine's rows stand for.

The engine returns codes and numbers; this is the one place (taper-engine.js has its twin)
that turns them into sentences, so a wording change is made once and the golden files show it.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

from .fmt import fmt_mg, fmt_pct
from .taper import Dose, Note, Plan, Result, Row

TIME_LABELS = {"once": "Once a day", "morning": "Morning", "midday": "Midday", "evening": "Evening", "night": "Night"}
ASK = "ask the prescriber or pharmacist"


def _mg(value: object) -> str:
    assert isinstance(value, Fraction | int)
    return fmt_mg(Fraction(value))


def _pct(value: object) -> str:
    assert isinstance(value, Fraction | int)
    return fmt_pct(Fraction(value))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _weeks(n: object) -> str:
    return f"{n} week" if n == 1 else f"{n} weeks"


def how(dose: Dose) -> str:
    """What to take for one dose: '4½ × 2 mg tablets', '2.5 mL of 2 mg/5 mL oral solution', 'none'."""
    if dose.mg == 0 or dose.form is None:
        return "none"
    return dose.form.describe(dose.mg)


def dose_text(dose: Dose, with_drug: bool = False) -> str:
    """'9 mg (4½ × 2 mg tablets)' (with the drug's name during a switch), or 'none'."""
    if dose.mg == 0:
        return "none"
    drug = f"{dose.drug} " if with_drug else ""
    return f"{drug}{fmt_mg(dose.mg)} mg ({how(dose)})"


def take(row: Row, with_drug: bool = False) -> str:
    """Every dose of the row's day, by time: 'Morning: 9 mg (…); Night: 10 mg (…)'."""
    if row.kind == "final-stop":
        return "Nothing: the taper is complete."
    return "; ".join(f"{TIME_LABELS[d.time]}: {dose_text(d, with_drug)}" for d in row.doses)


def end_words(plan: Plan) -> str:
    """'diazepam 1 mg (NHS Scotland 2024)', or for another drug 'lorazepam 0.05 mg (≈ diazepam 1 mg by …; …)'."""
    end = plan.end
    if not end.equivalence:
        return f"{plan.drug} {fmt_mg(end.mg)} mg a day ({end.source_label})"
    return (
        f"{plan.drug} {fmt_mg(end.mg)} mg a day (≈ diazepam {fmt_mg(end.diazepam_mg)} mg by {end.equivalence}; "
        f"end point from {end.source_label})"
    )


def note_text(note: Note, plan: Plan) -> str:
    c = note.code
    if c == "equivalence":
        return f"{note['drug']} {_mg(note['mg'])} mg a day ≈ diazepam {_mg(note['diazepam'])} mg by {note['source']}"
    if c == "switched":
        return f"{TIME_LABELS[str(note['time'])]} dose switched to diazepam; total unchanged."
    if c == "tail":
        return f"{TIME_LABELS[str(note['time'])]} dose: from here, {note['form']}."
    if c == "dose-stopped":
        return f"The {TIME_LABELS[str(note['time'])].lower()} dose stops here; the other doses go on."
    if c == "held":
        return (
            f"This cut comes after {_weeks(note['weeks'])} at the previous dose, not {note['usual']}: the forms in "
            f"this plan cannot make a smaller cut, and waiting keeps the pace within what was asked."
        )
    if c == "step-capped":
        return (
            f"Step made smaller than {_mg(note['step'])} mg to stay within {fmt_pct(plan.max_cut)}% in "
            f"{_weeks(plan.max_cut_weeks)}."
        )
    if c == "stop":
        return (
            f"Final step: stop from {_mg(note['mg'])} mg a day "
            f"(the end point of this plan: {_mg(note['end'])} mg or less)."
        )
    if c == "reader-hold":
        return f"You chose to stay at this dose {_weeks(note['weeks'])} longer; the later dates move."
    if c == "cut-above-limit":
        return (
            f"This cut ({_mg(note['before'])} → {_mg(note['after'])} mg a day, {_pct(note['cut'])}%) is bigger than "
            f"the limit of {_pct(note['limit'])}% in {_weeks(note['weeks'])} ({note['limit_label']}), because "
            f"{note['form']} cannot make a dose between {_mg(note['floor'])} and {_mg(note['before'])} mg. "
            f"{_cap(str(note['hint']))} would allow a smaller step: {ASK}."
        )
    if c == "stop-above-end":
        why = (
            "the forms in this plan make no smaller dose"
            if note["smallest"]
            else "the plan was set to stop from a higher dose"
        )
        return (
            f"This stop, from {_mg(note['mg'])} mg a day, is bigger than the end point of {end_words(plan)}: "
            f"{why}. {_cap(str(note['hint']))} would allow smaller last steps: {ASK}."
        )
    raise ValueError(f"no words for note code {c!r}")


def notes(row: Row, plan: Plan) -> list[str]:
    return [note_text(n, plan) for n in row.notes]


def warnings(row: Row, plan: Plan) -> list[str]:
    return [note_text(n, plan) for n in row.warnings]


def _span(values: list[Fraction] | list[int], fmt: object) -> str:
    assert callable(fmt)
    lo, hi = min(values), max(values)
    return fmt(lo) if lo == hi else f"{fmt(lo)}–{fmt(hi)}"


def diazepam_equivalent(result: Result, mg: Fraction) -> Fraction:
    """A daily dose of the plan's drug in diazepam mg, by the equivalence its end point uses."""
    end = result.plan.end
    return mg * end.diazepam_mg / end.mg


def summary(result: Result) -> str:
    """What the rows do, in one paragraph: steps, weeks, the cuts as computed, the last dose, warnings."""
    plan, rows = result.plan, result.rows
    cuts = [r.cut_prev for r in result.reductions()]
    gaps = [b.week - a.week for a, b in itertools.pairwise(rows) if b.kind == "reduction"]
    parts = [f"{len(rows) - 1} steps over {result.weeks} weeks."]
    if cuts:
        parts.append(
            f"Cuts of {_span(cuts, fmt_pct)}% of the daily dose, every {_span(gaps, str)} weeks; at most "
            f"{fmt_pct(result.largest_window_cut(plan.max_cut_weeks))}% in any {_weeks(plan.max_cut_weeks)}."
        )
    last = result.last_dose
    de = ""
    if result.unit_drug != "diazepam":
        de = f" (≈ diazepam {fmt_mg(diazepam_equivalent(result, last))} mg by {plan.end.equivalence})"
    parts.append(f"Last daily dose before stopping: {result.unit_drug} {fmt_mg(last)} mg{de}.")
    count = len(result.warnings)
    parts.append("No step carries a warning." if not count else f"{count} step(s) carry a warning.")
    return " ".join(parts)
