"""The taper planner page in the browser: the plan against the Python engine, the appointment pack.

Each test fills the form on the built page (docs/planner.md, planner.js, taper-engine.js) as a reader
would, and checks one behaviour. Expected rows come from macros/engine/taper.py, built here from the same
inputs the way validate() in taper-engine.js turns the form into a plan (tests/planner/ proves the
two engines agree on many plans; this proves the page shows what the engine gives).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from fractions import Fraction

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Page

from macros.data import formulation
from macros.data.equivalents import equivalence_label, single_value
from macros.data.vocabulary import SEVERITY_LABELS
from macros.engine import Crossover, Plan, Result, build, fmt_mg, fmt_pct, words
from macros.render import schedules
from macros.render.planner_data import planner_data
from macros.schedules.plans import crossover_step_weeks, dosing, end_point

from .conftest import (
    DESKTOP,
    PHONE,
    assert_rows_read_as_labelled_cards,
    axe_violations,
    describe_violations,
    settle,
    switch_to_dark,
)

PATH = "planner/"
STORE_KEY = "sbw-planner"

DIAZEPAM = {
    "medication": "diazepam",
    "formulation": "tablet-uk",
    "dose": "20",
    "percent": "10",
    "interval": "2",
    "start_date": "2026-12-01",
}
ALPRAZOLAM_SWITCH = {
    "medication": "alprazolam",
    "formulation": "tablet-us",
    "dose": "1",
    "doses": "0.5, 0.5",
    "crossover": "diazepam",
    "equivalence_source": "ashton-manual",
    "diazepam_formulation": "tablet-us",
    "percent": "10",
    "interval": "2",
}
LORAZEPAM_LIQUID_TAIL = {
    "medication": "lorazepam",
    "formulation": "tablet-us",
    "dose": "3",
    "percent": "10",
    "interval": "2",
    "tail": "concentrate-us",
    "tail_below": "0.5",
}


# --- Helpers ---------------------------------------------------------------------------------------


def fill_form(page: Page, case: dict) -> None:
    """Fill the planner's form from a case (field → value) and make the plan."""
    page.select_option("#pl-medication", case["medication"])
    page.select_option("#pl-formulation", case["formulation"])
    page.fill("#pl-dose", case["dose"])
    page.fill("#pl-doses", case.get("doses", ""))
    if case.get("crossover"):
        page.check("#pl-crossover")
        page.select_option("#pl-equivalence-source", case["equivalence_source"])
        page.select_option("#pl-diazepam-formulation", case["diazepam_formulation"])
    page.fill("#pl-percent", case["percent"])
    page.fill("#pl-interval", case["interval"])
    page.select_option("#pl-tail", case.get("tail", ""))
    if case.get("tail"):
        page.fill("#pl-tail-below", case["tail_below"])
    page.fill("#pl-stop-at", case.get("stop_at", ""))
    page.set_checked("#pl-older", bool(case.get("older")))
    page.fill("#pl-start-date", case.get("start_date", ""))
    page.click("#planner-form button[type=submit]")


def make_plan(visit, case: dict, **kwargs) -> Page:
    page = visit(PATH, **kwargs).page
    fill_form(page, case)
    page.wait_for_selector("#planner-table")
    return page


def python_result(dataset, case: dict, holds: tuple[tuple[int, int], ...] = ()) -> Result:
    """What macros/engine/taper.py builds for the same inputs (the plan validate() makes from the form)."""
    data = planner_data(dataset)
    med = dataset.medication(case["medication"])
    form = formulation(med, case["formulation"])
    guide = dataset.guideline_by_id[data["guideline"]["id"]]
    doses = tuple(Fraction(d) for d in case.get("doses", case["dose"]).split(","))
    cross = None
    if case.get("crossover"):
        eq = next(e for e in med.equivalents if e.source == case["equivalence_source"] and e.column is None)
        cross = Crossover(
            med.generic,
            dosing(med, form, dataset.settings.measure_ml),
            single_value(eq),
            equivalence_label(dataset, eq),
            crossover_step_weeks(dataset)[0],
        )
        med = dataset.medication(case["crossover"])
        form = formulation(med, case["diazepam_formulation"])
    tail = formulation(med, case["tail"]) if case.get("tail") else None
    plan = Plan(
        drug=med.generic,
        dosing=dosing(med, form, dataset.settings.measure_ml),
        start_doses=doses,
        crossover=cross,
        method="proportional",
        amount=Fraction(case["percent"]) / 100,
        interval_weeks=int(case["interval"]),
        max_cut=Fraction(data["guideline"]["max_cut"]),
        max_cut_weeks=data["guideline"]["max_cut_weeks"],
        limit_label=guide.name,
        tail=dosing(med, tail, dataset.settings.measure_ml) if tail else None,
        tail_below=Fraction(case["tail_below"]) if tail and case.get("tail_below") else None,
        end=end_point(dataset, med),
        help_hint=data["hints"][f"{med.id}|{form.id}|{tail.id if tail else ''}"],
        stop_at=Fraction(case["stop_at"]) if case.get("stop_at") else None,
        holds=holds,
    )
    return build(plan)


_TABLE_JS = """
() => [...document.querySelectorAll('#planner-table tbody tr')].map(tr => {
  const cells = [...tr.children].filter(c => !c.classList.contains('sbw-row-actions'));
  const notes = cells[cells.length - 1];
  const time = tr.querySelector('time');
  return {
    cells: cells.slice(0, -1).map(c => c.textContent.trim()),
    date: time ? time.dateTime : null,
    notes: [...notes.querySelectorAll('.sbw-note')].map(n => n.textContent),
    warnings: [...notes.querySelectorAll('.sbw-warning')].map(n => n.textContent.replace(/^Warning: /, '')),
  };
})
"""


def expected_rows(result: Result, start: str | None) -> list[dict]:
    """As macros/render/schedules.py schedule_table shows them: a column per time of day, then the total and cuts."""
    plan, crossing = result.plan, result.plan.crossover is not None
    out = []
    for r in result.rows:
        cut = r.kind in ("start", "crossover")
        cells = [str(r.step), str(r.week)]
        day = None
        if start:
            day = (dt.date.fromisoformat(start) + dt.timedelta(weeks=r.week)).isoformat()
        cells += [] if not start else [None]  # the date cell: compared through its <time datetime>
        cells += ["none" if r.kind == "final-stop" else words.dose_text(d, crossing) for d in r.doses]
        cells += [
            fmt_mg(r.daily_mg),
            "—" if cut else f"{fmt_pct(r.cut_prev)}%",
            "—" if cut else f"{fmt_pct(r.cut_start)}%",
        ]
        out.append({"cells": cells, "date": day, "notes": words.notes(r, plan), "warnings": words.warnings(r, plan)})
    return out


def shown_rows(page: Page) -> list[dict]:
    rows = page.evaluate(_TABLE_JS)
    for row in rows:
        if row["date"] is not None:
            row["cells"][2] = None
    return rows


def storage(page: Page) -> str | None:
    return page.evaluate("key => localStorage.getItem(key)", STORE_KEY)


def visible(page: Page, selector: str) -> bool:
    return page.evaluate("s => { const e = document.querySelector(s); return !!e && e.checkVisibility(); }", selector)


def unfold(text: str) -> list[str]:
    """RFC 5545 3.1: a CRLF followed by one space or tab continues the line before."""
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")


def download_calendar(page: Page) -> bytes:
    with page.expect_download() as info:
        page.click("#pl-ics")
    return info.value.path().read_bytes()


# --- The plan is the Python engine's plan ----------------------------------------------------------


ROW_BY_ROW = {
    # case id: (form inputs, what the case is meant to exercise in the engine's rows)
    "diazepam-forced-cut-with-dates": (DIAZEPAM, lambda rows: any(r.warnings for r in rows)),
    "alprazolam-switch-from-split-doses": (
        ALPRAZOLAM_SWITCH,
        lambda rows: sum(r.kind == "crossover" for r in rows) == 2,
    ),
    "lorazepam-liquid-tail": (
        LORAZEPAM_LIQUID_TAIL,
        lambda rows: any(" mL of " in words.take(r) for r in rows),
    ),
}


@pytest.mark.parametrize("case_id", ROW_BY_ROW)
def test_the_plan_shown_matches_the_python_engine_row_by_row(visit, dataset, case_id):
    case, exercises = ROW_BY_ROW[case_id]
    result = python_result(dataset, case)
    assert exercises(result.rows), f"{case_id}: the case no longer exercises what it is named for"
    page = make_plan(visit, case)
    expected = expected_rows(result, case.get("start_date"))
    shown = shown_rows(page)
    assert len(shown) == len(expected)
    for step, (got, want) in enumerate(zip(shown, expected, strict=True)):
        assert got == want, f"step {step}"


def test_the_liquid_threshold_is_in_mg_of_the_medicine_the_liquid_is_for(visit):
    """After a switch, the tail is diazepam liquid, so the threshold a reader types is diazepam mg."""
    page = visit(PATH).page
    page.select_option("#pl-medication", "alprazolam")
    assert page.text_content("label[for=pl-tail-below]").count("mg of alprazolam") == 1
    page.check("#pl-crossover")
    assert page.text_content("label[for=pl-tail-below]").count("mg of diazepam") == 1
    page.uncheck("#pl-crossover")
    assert "mg of alprazolam" in page.text_content("label[for=pl-tail-below]")


def test_the_summary_and_warning_list_name_the_steps_the_engine_warns_about(visit, dataset):
    page = make_plan(visit, DIAZEPAM)
    result = python_result(dataset, DIAZEPAM)
    warned = [r for r in result.rows if r.warnings]
    summary = page.inner_text("#pl-summary")
    assert summary.startswith(words.summary(result))  # the engine's own account, then the last date
    assert f"{len(warned)} step(s) carry a warning" in summary
    items = page.locator("#pl-warnings li").all_inner_texts()
    assert items == [f"Step {r.step}: {' '.join(words.warnings(r, result.plan))}" for r in warned]


# --- The form: keyboard, errors --------------------------------------------------------------------


def test_the_form_can_be_filled_and_sent_with_the_keyboard_alone(visit, dataset):
    page = visit(PATH).page
    page.focus("#pl-medication")
    page.keyboard.type("diazepam")  # a closed <select> picks the option a reader types
    assert page.input_value("#pl-medication") == "diazepam"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "pl-formulation"
    page.keyboard.press("Tab")
    page.keyboard.type("20")
    for _ in range(9):  # split, cut %, weeks, liquid, liquid from, stop from, older, its link, start date (no switch)
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "pl-start-date"
    for _ in range(4):  # the date box has a stop for each of its parts (month, day, year)
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") != "pl-start-date":
            break
    assert page.evaluate("document.activeElement.textContent") == "Make a draft plan"
    page.keyboard.press("Enter")
    page.wait_for_selector("#planner-table")
    case = {**DIAZEPAM, "formulation": page.input_value("#pl-formulation"), "start_date": ""}
    assert len(shown_rows(page)) == len(python_result(dataset, case).rows)


def test_an_invalid_dose_is_named_next_to_its_field_and_no_table_is_shown(visit):
    page = visit(PATH).page
    fill_form(page, {**DIAZEPAM, "dose": "3.3"})
    message = page.locator("#pl-dose-error")
    message.wait_for()
    assert "No mix of" in message.inner_text() and "3.3 mg" in message.inner_text()
    assert page.get_attribute("#pl-dose", "aria-invalid") == "true"
    assert page.get_attribute("#pl-dose-error", "aria-live") == "polite"
    assert "pl-dose-error" in page.get_attribute("#pl-dose", "aria-describedby").split()
    assert page.evaluate("document.activeElement.id") == "pl-dose"
    assert not visible(page, "#planner-output") and page.locator("#planner-table").count() == 0


def test_an_invalid_dose_after_a_plan_takes_the_plan_and_the_pack_away(visit):
    page = make_plan(visit, DIAZEPAM)
    fill_form(page, {**DIAZEPAM, "dose": ""})
    page.wait_for_function("() => document.getElementById('planner-output').hidden")
    assert page.inner_text("#pl-dose-error").startswith("Enter ")
    assert not page.evaluate("document.body.classList.contains('sbw-has-plan')")


# --- The chart --------------------------------------------------------------------------------------

_CHART_JS = """
() => {
  const svg = document.querySelector('#chart-planner svg');
  return {
    role: svg.getAttribute('role'),
    labelledby: svg.getAttribute('aria-labelledby').split(' ').map(id => document.getElementById(id).textContent),
    points: svg.querySelector('polyline.sbw-chart-line').getAttribute('points'),
    warn: [...svg.querySelectorAll('circle.sbw-chart-warn')].map(c => [+c.getAttribute('cx'), +c.getAttribute('cy')]),
    grid: svg.querySelectorAll('.sbw-chart-grid line').length,
    labels: [...svg.querySelectorAll('.sbw-chart-labels text')].map(t => t.textContent),
    caption: document.querySelector('#chart-planner figcaption').textContent,
  };
}
"""


def _points(text: str) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for p in text.split()]


def test_the_chart_is_the_build_time_chart_for_the_same_plan(visit, dataset):
    page = make_plan(visit, DIAZEPAM)
    shown = page.evaluate(_CHART_JS)
    title = "Your draft plan: the daily dose week by week"
    svg = BeautifulSoup(schedules.taper_chart(python_result(dataset, DIAZEPAM), "planner", title), "html.parser")
    assert shown["role"] == "img"
    assert shown["labelledby"] == [title, svg.find("desc").text]
    assert shown["caption"] == svg.find("figcaption").text
    want = _points(svg.find("polyline")["points"])
    got = _points(shown["points"])
    assert len(got) == len(want)
    assert all(abs(a - b) < 0.011 for p, q in zip(got, want, strict=True) for a, b in zip(p, q, strict=True))
    assert shown["warn"] == [[float(c["cx"]), float(c["cy"])] for c in svg.find_all("circle")]
    assert shown["grid"] == len(svg.select(".sbw-chart-grid line"))
    assert shown["labels"] == [t.text for t in svg.select(".sbw-chart-labels text")]


# --- The appointment pack in print -----------------------------------------------------------------

# Printable width at the site's 12 mm print margins (extra.css), in CSS px (96 per inch).
PRINTABLE_PX = {"A4": int((210 - 24) / 25.4 * 96), "Letter": int((8.5 * 25.4 - 24) / 25.4 * 96)}

_PRINT_JS = """
() => {
  const shown = s => [...document.querySelectorAll(s)].some(e => e.checkVisibility());
  return {
    hidden: ['#planner-form', '.sbw-remember', '#pl-print', '#pl-ics', '#pl-meds-form', '.sbw-remove', '.md-header',
             '.md-sidebar', '.md-footer', '#how', '#next', '.sbw-row-actions', '#pl-compare-part'].filter(shown),
    missing: ['.sbw-pack-head', '#pl-summary', '#chart-planner', '#planner-table', '#pl-diary-table',
              '#pl-questions li', '#pl-questions-plan li', '#pl-meds-list li', '#pl-ix-opioids', '#references',
              '.sbw-page-info'].filter(s => !shown(s)),
    head: document.querySelector('.sbw-pack-head').innerText,
    scrollWidth: document.scrollingElement.scrollWidth,
  };
}
"""


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_appointment_pack_prints_on_a4_and_letter(visit, paper):
    width = PRINTABLE_PX[paper]
    page = make_plan(visit, DIAZEPAM, viewport={"width": width, "height": 1000})
    page.fill("#pl-meds-text", "codeine")
    page.press("#pl-meds-text", "Enter")
    page.emulate_media(media="print")
    found = page.evaluate(_PRINT_JS)
    assert not found["hidden"], f"screen-only parts print: {found['hidden']}"
    assert not found["missing"], f"pack parts that do not print: {found['missing']}"
    assert "draft to discuss with my prescriber" in found["head"] and "not a prescription" in found["head"]
    assert found["scrollWidth"] <= width + 1, f"the pack is {found['scrollWidth']}px wide on {paper} ({width}px)"
    pdf = page.pdf(format=paper)
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert 3 <= pages <= 10, f"{pages} pages on {paper}"
    size = {"A4": (595.9, 842.9), "Letter": (612.0, 792.0)}[paper]
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box and all(abs(float(v) - s) < 2 for v, s in zip(box.groups(), size, strict=True)), box


def test_the_symptom_diary_has_the_first_weeks_with_their_dates_and_planned_doses(visit, dataset):
    page = make_plan(visit, DIAZEPAM)
    result = python_result(dataset, DIAZEPAM)
    start = dt.date.fromisoformat(DIAZEPAM["start_date"])
    rows = page.evaluate("""() => [...document.querySelectorAll('#pl-diary-table tbody tr')].map(tr =>
      [...tr.children].map(c => c.querySelector('time') ? c.querySelector('time').dateTime : c.textContent))""")
    assert len(rows) == min(8, result.weeks + 1)
    for week, row in enumerate(rows):
        current = [r for r in result.rows if r.week <= week][-1]
        label = (f"Step {current.step}: " if current.week == week and current.step else "") + fmt_mg(current.daily_mg)
        assert row == [str(week), (start + dt.timedelta(weeks=week)).isoformat(), label, "", "", ""]


def test_the_pack_lists_questions_for_the_prescriber_with_one_for_each_warned_step(visit, dataset):
    page = make_plan(visit, DIAZEPAM)
    warned = [str(r.step) for r in python_result(dataset, DIAZEPAM).rows if r.warnings]
    questions = page.evaluate(
        "[...document.querySelectorAll('#pl-questions li')].filter(li => li.checkVisibility())"
        ".map(li => li.textContent)"
    )
    assert "What pace do you suggest, and why?" in questions and all(q.endswith("?") for q in questions)
    assert "Should I switch to diazepam, or taper my own medicine?" not in questions  # a diazepam plan
    plan_questions = page.locator("#pl-questions-plan li").all_inner_texts()
    assert plan_questions[0].startswith(f"Step(s) {', '.join(warned)} carry a warning: a cut bigger than the guideline")


# --- The medicine check ----------------------------------------------------------------------------


def add_medicine(page: Page, name: str = "", pick: str = "") -> None:
    if pick:
        page.select_option("#pl-meds-pick", pick)
    page.fill("#pl-meds-text", name)
    page.click("#pl-meds-form button[type=submit]")


def test_listed_medicines_show_each_matching_dangerous_combination_with_its_sources(visit, dataset):
    page = make_plan(visit, DIAZEPAM)
    by_id = {i.id: i for i in dataset.interactions}
    add_medicine(page, "Codeine linctus")
    add_medicine(page, pick=by_id["alcohol"].with_)
    add_medicine(page, "omeprazole")  # named in "Diazepam with …": applies to a diazepam plan
    add_medicine(page, "vitamin D")
    assert page.locator("#pl-meds-list li").count() == 4
    shown = page.evaluate("""() => [...document.querySelectorAll('#pl-meds-check .sbw-ix-found')].map(d => ({
      id: d.id.replace('pl-ix-', ''), text: d.innerText,
      refs: [...d.querySelectorAll('.sbw-cite a')].map(a => [a.getAttribute('href'), a.textContent,
        !!document.querySelector(a.getAttribute('href'))]) }))""")
    assert [s["id"] for s in shown] == ["opioids", "alcohol", "diazepam-cyp-inhibitors"]
    refs = page.evaluate("() => [...document.querySelectorAll('ol.sbw-references > li')].map(li => li.id)")
    for item in shown:
        ix = by_id[item["id"]]
        assert ix.effect in item["text"] and ix.what_to_do in item["text"]
        assert SEVERITY_LABELS[ix.severity] in item["text"]
        assert [r[0] for r in item["refs"]] == [f"#ref-{s}" for s in ix.sources]
        assert all(exists and number == str(refs.index(href[1:]) + 1) for href, number, exists in item["refs"])
    assert "Codeine linctus" in page.inner_text("#pl-ix-opioids")
    assert page.inner_text("#pl-meds-status").startswith("Your list matches 3 of the dangerous combinations")


def test_a_medicine_check_for_another_drug_leaves_out_combinations_named_for_diazepam(visit):
    page = make_plan(visit, LORAZEPAM_LIQUID_TAIL)
    add_medicine(page, "omeprazole")
    assert page.locator("#pl-meds-check .sbw-ix-found").count() == 0
    assert page.inner_text("#pl-meds-status").startswith("Nothing on your list matches")
    options = page.locator("#pl-meds-pick option").all_inner_texts()
    assert not any(o.startswith(("Diazepam with", "Triazolam with")) for o in options)


def test_another_benzodiazepine_by_brand_name_matches_the_second_benzodiazepine_combination(visit):
    page = make_plan(visit, DIAZEPAM)
    add_medicine(page, "Xanax")
    assert page.locator("#pl-ix-z-drugs-during-taper").count() == 1


def test_a_medicine_can_be_removed_from_the_list(visit):
    page = make_plan(visit, DIAZEPAM)
    add_medicine(page, "alcohol")
    page.click("#pl-meds-list button[aria-label='Remove alcohol']")
    assert page.locator("#pl-meds-list li").count() == 0
    assert page.locator("#pl-meds-check .sbw-ix-found").count() == 0
    assert page.evaluate("document.activeElement.id") == "pl-meds-text"


def test_adding_nothing_to_the_medicine_list_says_so_next_to_the_field(visit):
    page = make_plan(visit, DIAZEPAM)
    add_medicine(page, "")
    assert page.inner_text("#pl-meds-text-error").startswith("Choose an item from the list or type a name")
    assert page.get_attribute("#pl-meds-text", "aria-invalid") == "true"


# --- The calendar file -----------------------------------------------------------------------------


def test_the_calendar_file_has_one_all_day_event_per_dose_change(visit, dataset):
    page = make_plan(visit, DIAZEPAM)
    raw = download_calendar(page)
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "a line is longer than 75 octets"
    lines = unfold(raw.decode("utf-8"))[:-1]
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"] and lines[-1] == "END:VCALENDAR"
    assert any(line.startswith("PRODID:") for line in lines)
    events = "\r\n".join(lines).split("BEGIN:VEVENT\r\n")[1:]
    result = python_result(dataset, DIAZEPAM)
    changes = result.rows[1:]
    assert len(events) == len(changes)
    start = dt.date.fromisoformat(DIAZEPAM["start_date"])
    uids = set()
    for event, row in zip(events, changes, strict=True):
        fields = dict(line.split(":", 1) for line in event.split("\r\n") if ":" in line and line != "END:VEVENT")
        day = start + dt.timedelta(weeks=row.week)
        assert fields["DTSTART;VALUE=DATE"] == day.strftime("%Y%m%d")
        assert fields["DTEND;VALUE=DATE"] == (day + dt.timedelta(days=1)).strftime("%Y%m%d")
        assert re.fullmatch(r"\d{8}T\d{6}Z", fields["DTSTAMP"])
        uids.add(fields["UID"])
        if row.kind == "reduction":
            assert fields["SUMMARY"] == (
                f"Taper step {row.step}: diazepam {fmt_mg(row.daily_mg)} mg a day (talk to your prescriber first)"
            )
        assert fields["DESCRIPTION"].startswith(f"What to take in a day: {words.take(row)}".replace(",", "\\,"))
    assert len(uids) == len(events)


def test_calendar_text_is_escaped(visit):
    page = make_plan(visit, DIAZEPAM)
    lines = unfold(download_calendar(page).decode("utf-8"))
    warned = next(line for line in lines if line.startswith("DESCRIPTION:") and "Warning" in line)
    body = warned.removeprefix("DESCRIPTION:")
    assert "\\n" in body and "\\," in body
    assert not re.search(r"(?<!\\)[,;]", body), "an unescaped comma or semicolon"


def test_no_calendar_file_is_offered_without_a_start_date(visit):
    page = make_plan(visit, {**DIAZEPAM, "start_date": ""})
    assert not visible(page, "#pl-ics") and page.get_attribute("#pl-ics", "href") is None
    assert visible(page, "#pl-ics-none")


# --- Remembering answers (opt-in) ------------------------------------------------------------------


def test_nothing_is_stored_unless_the_reader_asks(visit):
    page = make_plan(visit, DIAZEPAM)
    add_medicine(page, "alcohol")
    assert not page.is_checked("#pl-remember")
    assert page.evaluate("() => Object.keys(localStorage).filter(k => !k.endsWith('__palette'))") == []


def test_remembered_answers_are_stored_and_come_back_after_a_reload(visit):
    page = make_plan(visit, LORAZEPAM_LIQUID_TAIL)
    add_medicine(page, "alcohol")
    page.check("#pl-remember")
    saved = json.loads(storage(page))
    assert saved["values"]["medication"] == "lorazepam" and saved["values"]["tail"] == "concentrate-us"
    assert saved["medicines"] == ["alcohol"]
    page.fill("#pl-dose", "2")  # a change while remembering is kept too
    assert json.loads(storage(page))["values"]["dose"] == "2"
    page.reload()
    page.wait_for_selector("#planner-table")
    assert page.is_checked("#pl-remember")
    assert page.input_value("#pl-dose") == "2" and page.input_value("#pl-tail") == "concentrate-us"
    assert page.locator("#pl-ix-alcohol").count() == 1


def test_forget_my_answers_clears_what_was_stored(visit):
    page = make_plan(visit, DIAZEPAM)
    page.check("#pl-remember")
    assert storage(page) is not None
    page.click("#pl-forget")
    assert storage(page) is None and not page.is_checked("#pl-remember")
    assert "removed" in page.inner_text("#pl-remember-status")
    page.fill("#pl-dose", "10")  # no longer remembering: nothing is written again
    assert storage(page) is None
    page.reload()
    assert page.input_value("#pl-dose") == "" and not page.is_checked("#pl-remember")


def test_unticking_remember_also_clears_what_was_stored(visit):
    page = make_plan(visit, DIAZEPAM)
    page.check("#pl-remember")
    page.uncheck("#pl-remember")
    assert storage(page) is None


def reload_with_saved(seen, record: object | str) -> Page:
    """Put a record in the planner's storage as an earlier visit (or an older site) left it, and reload."""
    text = record if isinstance(record, str) else json.dumps(record)
    seen.page.evaluate("([key, text]) => localStorage.setItem(key, text)", [STORE_KEY, text])
    seen.page.reload(wait_until="load")
    seen.page.wait_for_selector("#planner:not([hidden])")
    return seen.page


def saved_record(**values: str) -> dict:
    return {"version": 1, "values": values, "medicines": ["alcohol"], "holds": [], "holdsFor": ""}


def options(page: Page, select: str) -> list[str]:
    return page.eval_on_selector_all(f"{select} option", "os => os.map((o) => o.value)")


def test_a_saved_medicine_the_site_no_longer_has_is_left_out_and_the_reader_told(visit, dataset):
    """After a site update the saved medicine id may be gone: no error, a full form, a plain note."""
    seen = visit(PATH)
    medicines = [m["id"] for m in planner_data(dataset)["medications"]]
    page = reload_with_saved(seen, saved_record(medication="no-such-medicine", dose="20", percent="10", interval="2"))
    assert not seen.console_errors, seen.console_errors
    assert options(page, "#pl-medication") == medicines
    assert page.input_value("#pl-medication") == medicines[0]
    assert options(page, "#pl-formulation")  # the forms of the medicine the page shows
    assert page.input_value("#pl-dose") == ""  # a dose in mg of a medicine that is gone would mislead
    assert page.input_value("#pl-percent") == "10"  # what does not depend on the medicine is put back
    status = page.inner_text("#pl-remember-status")
    assert "no longer match this site's medicines and were left out: the medicine, with its doses and forms." in status
    assert page.locator("#planner-table").count() == 0  # no plan until the reader has checked the form
    kept = json.loads(storage(page))
    assert "no-such-medicine" not in storage(page) and "medication" not in kept["values"]
    assert "dose" not in kept["values"] and kept["values"]["percent"] == "10" and kept["medicines"] == ["alcohol"]


def test_a_saved_form_the_medicine_no_longer_has_is_left_out_and_the_medicine_kept(visit):
    seen = visit(PATH)
    page = reload_with_saved(
        seen, saved_record(medication="lorazepam", formulation="no-such-form", dose="3", percent="10", interval="2")
    )
    assert not seen.console_errors, seen.console_errors
    assert page.input_value("#pl-medication") == "lorazepam"
    assert page.input_value("#pl-formulation") == options(page, "#pl-formulation")[0] == "tablet-us"
    status = page.inner_text("#pl-remember-status")
    assert "left out: the form you take." in status and "the medicine" not in status
    kept = json.loads(storage(page))["values"]
    assert kept["medication"] == "lorazepam" and "formulation" not in kept and "no-such-form" not in storage(page)
    page.click("#planner-form button[type=submit]")  # the reader looks, then makes the plan
    page.wait_for_selector("#planner-table")
    assert not seen.console_errors, seen.console_errors


def test_each_saved_choice_not_on_offer_is_named_and_the_others_come_back(visit):
    seen = visit(PATH)
    record = saved_record(
        **{**ALPRAZOLAM_SWITCH, "equivalence_source": "no-such-source", "tail": "no-such-liquid", "tail_below": "0.25"}
    )
    page = reload_with_saved(seen, record)
    assert not seen.console_errors, seen.console_errors
    status = page.inner_text("#pl-remember-status")
    assert "left out: the equivalent dose for the switch and the liquid for the smallest doses." in status
    assert page.is_checked("#pl-crossover") and page.input_value("#pl-diazepam-formulation") == "tablet-us"
    assert page.input_value("#pl-equivalence-source") == "" and page.input_value("#pl-tail") == ""
    kept = json.loads(storage(page))["values"]
    assert "equivalence_source" not in kept and "tail" not in kept
    assert kept["tail_below"] == "0.25" and kept["formulation"] == "tablet-us"


@pytest.mark.parametrize(
    "text",
    ["{not json", "null", "[1, 2]", '"answers"', '{"version": 2, "values": {}}', '{"version": 1, "values": null}'],
    ids=["not-json", "null", "array", "string", "another-version", "no-values"],
)
def test_a_saved_record_that_cannot_be_read_is_removed_with_a_note(visit, text):
    seen = visit(PATH)
    page = reload_with_saved(seen, text)
    assert not seen.console_errors, seen.console_errors
    assert storage(page) is None and not page.is_checked("#pl-remember")
    assert "could not be read, so they were removed" in page.inner_text("#pl-remember-status")
    assert options(page, "#pl-medication") and options(page, "#pl-formulation")


# --- Accessibility, phones, privacy ----------------------------------------------------------------


def test_the_page_with_a_plan_and_a_medicine_check_has_no_serious_axe_violations_in_light_and_dark(visit):
    page = make_plan(visit, DIAZEPAM)
    add_medicine(page, "codeine")
    settle(page)
    report = describe_violations("plan shown, 1280px", axe_violations(page))
    page.set_viewport_size(PHONE)
    settle(page)
    layout = axe_violations(page, ["target-size", "scrollable-region-focusable"])
    report += describe_violations("plan shown, 360px", layout)
    page.set_viewport_size(DESKTOP)
    switch_to_dark(page)
    report += describe_violations("plan shown, dark, 1280px", axe_violations(page))
    assert not report, report


_SMALL_CONTROLS_JS = """
() => [...document.querySelectorAll('#planner :is(button, input, select, a.md-button)')]
  .filter(e => e.checkVisibility()).map(e => [e.id || e.textContent, e.getBoundingClientRect()])
  .filter(([, r]) => r.width < 24 || r.height < 24).map(([n, r]) => `${n} ${r.width}x${r.height}`)
"""


def test_the_planner_with_a_plan_fits_a_360px_phone(visit):
    page = make_plan(visit, LORAZEPAM_LIQUID_TAIL, viewport=PHONE)
    add_medicine(page, pick=page.locator("#pl-meds-pick option").nth(1).get_attribute("value"))
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide at 360px"
    small = page.evaluate(_SMALL_CONTROLS_JS)
    assert not small, f"targets under 24×24px: {small}"


def test_on_a_phone_each_step_shows_what_to_take_labelled_and_without_sideways_scrolling(visit):
    page = make_plan(visit, DIAZEPAM, viewport=PHONE)
    assert_rows_read_as_labelled_cards(page, "#planner-table")
    # Shown as cards, it is still a table to a screen reader, headers and all.
    table = page.get_by_role("table", name="Your draft plan")
    assert table.get_by_role("columnheader", name="Once a day").count() == 1  # a column per time of day
    assert table.get_by_role("columnheader", name="Notes").count() == 1
    assert table.get_by_role("row").count() == len(page.query_selector_all("#planner-table tr"))


def test_making_a_plan_and_its_pack_sends_nothing_to_any_other_host(visit, served_site):
    seen = visit(PATH, viewport=DESKTOP)
    fill_form(seen.page, DIAZEPAM)
    seen.page.wait_for_selector("#planner-table")
    add_medicine(seen.page, "alcohol")
    download_calendar(seen.page)
    others = [u for u in seen.requests if not u.startswith((served_site.origin, "blob:", "data:"))]
    assert not others, others
    assert not seen.console_errors, seen.console_errors


# --- Holds, re-planning, the end point, cautions, the comparison -----------------------------------


def test_staying_longer_at_a_step_moves_only_the_later_dates(visit, dataset):
    page = make_plan(visit, DIAZEPAM)
    step, weeks = 2, int(DIAZEPAM["interval"])
    page.click(f"#planner-step-{step} button:has-text('more weeks')")
    assert shown_rows(page) == expected_rows(python_result(dataset, DIAZEPAM, ((step, weeks),)), DIAZEPAM["start_date"])
    before = expected_rows(python_result(dataset, DIAZEPAM), DIAZEPAM["start_date"])
    after = shown_rows(page)
    assert [r["cells"][3:] for r in after] == [r["cells"][3:] for r in before]  # every dose and cut as it was
    assert [r["cells"][1] for r in after[: step + 1]] == [r["cells"][1] for r in before[: step + 1]]
    assert [int(r["cells"][1]) for r in after[step + 1 :]] == [int(r["cells"][1]) + weeks for r in before[step + 1 :]]
    assert page.locator("#pl-holds-list li").all_inner_texts()[0].startswith(f"Step {step}")
    assert "No dose changed" in page.inner_text("#pl-change-status")


def test_a_hold_can_be_removed_and_the_dates_move_back(visit, dataset):
    page = make_plan(visit, DIAZEPAM)
    page.click("#planner-step-1 button:has-text('more weeks')")
    page.click("#pl-holds-list button:has-text('Remove')")
    assert shown_rows(page) == expected_rows(python_result(dataset, DIAZEPAM), DIAZEPAM["start_date"])
    assert not visible(page, "#pl-holds")


def test_changing_the_plan_clears_the_holds_and_says_so(visit, dataset):
    page = make_plan(visit, DIAZEPAM)
    page.click("#planner-step-1 button:has-text('more weeks')")
    page.fill("#pl-dose", "10")
    page.click("#planner-form button[type=submit]")
    assert shown_rows(page) == expected_rows(python_result(dataset, {**DIAZEPAM, "dose": "10"}), DIAZEPAM["start_date"])
    assert "cleared" in page.inner_text("#pl-change-status")


def test_replanning_from_a_step_after_a_switch_starts_today_from_that_steps_diazepam_doses(visit, dataset):
    page = make_plan(visit, ALPRAZOLAM_SWITCH)
    result = python_result(dataset, ALPRAZOLAM_SWITCH)
    row = next(r for r in result.rows if r.kind == "reduction" and r.step > 4)
    page.click(f"#planner-step-{row.step} button:has-text('Re-plan')")
    doses = [d.mg for d in row.doses if d.mg]
    today = page.evaluate("() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]; }")
    assert page.input_value("#pl-start-date") == dt.date(*today).isoformat()
    assert page.input_value("#pl-medication") == "diazepam" and not page.is_checked("#pl-crossover")
    assert page.input_value("#pl-formulation") == ALPRAZOLAM_SWITCH["diazepam_formulation"]
    case = {
        **DIAZEPAM,
        "formulation": ALPRAZOLAM_SWITCH["diazepam_formulation"],
        "dose": fmt_mg(row.daily_mg),
        "doses": ", ".join(fmt_mg(d) for d in doses) if len(doses) > 1 else "",
        "start_date": page.input_value("#pl-start-date"),
    }
    assert shown_rows(page) == expected_rows(python_result(dataset, case), case["start_date"])
    assert f"from step {row.step}" in page.inner_text("#pl-change-status")


def test_a_chosen_stop_dose_ends_the_plan_there_and_the_sourced_end_is_the_default(visit, dataset):
    page = visit(PATH).page
    page.select_option("#pl-medication", "diazepam")
    end = end_point(dataset, dataset.medication("diazepam"))
    help_text = page.inner_text("#pl-stop-at-help")
    assert f"stop from {fmt_mg(end.mg)} mg of diazepam a day" in help_text and end.source_label in help_text
    case = {**DIAZEPAM, "stop_at": "4"}
    fill_form(page, case)
    page.wait_for_selector("#planner-table")
    result = python_result(dataset, case)
    assert shown_rows(page) == expected_rows(result, case["start_date"])
    assert result.last_dose <= Fraction(case["stop_at"]) and any(w.code == "stop-above-end" for w in result.warnings)


def test_a_high_dose_is_flagged_above_the_plan_with_its_sources_and_still_planned(visit, dataset):
    case = {**DIAZEPAM, "formulation": "tablet-us", "dose": "60"}
    page = make_plan(visit, case)
    cautions = planner_data(dataset)["cautions"]
    flag = page.locator(".sbw-caution-high-dose")
    text = flag.inner_text()
    for fact in cautions["high"]:
        assert fact["says"] in text
        assert flag.locator(f"a[href='#ref-{fact['source']}']").count() == 1
    assert page.locator("#pl-cautions").is_visible()
    assert shown_rows(page) == expected_rows(python_result(dataset, case), case["start_date"])


def test_an_older_adult_switching_sees_the_caution_with_its_source(visit, dataset):
    page = make_plan(visit, {**ALPRAZOLAM_SWITCH, "older": True})
    flag = page.locator(".sbw-caution-older-switch")
    source = planner_data(dataset)["cautions"]["older_switch_source"]
    assert flag.locator(f"a[href='#ref-{source}']").count() == 1
    fill_form(page, ALPRAZOLAM_SWITCH)
    assert page.locator(".sbw-caution-older-switch").count() == 0


def test_the_comparison_shows_the_plan_beside_fixed_steps_as_the_engine_makes_them(visit, dataset):
    page = make_plan(visit, DIAZEPAM)
    mine = python_result(dataset, DIAZEPAM)
    step = mine.rows[0].daily_mg * Fraction(DIAZEPAM["percent"]) / 100
    fixed = build(replace(mine.plan, method="fixed-step", amount=step))
    rows = page.locator("#pl-compare-table tbody tr").all()
    assert len(rows) == 2
    weeks = mine.plan.max_cut_weeks
    for row, result in zip(rows, (mine, fixed), strict=True):
        cells = row.locator("td").all_inner_texts()
        expected = [str(len(result.rows) - 1), str(result.weeks), f"{fmt_pct(result.largest_window_cut(weeks))}%"]
        assert cells[:3] == expected
        assert cells[3] == fmt_mg(result.last_dose) and cells[4] == str(len(result.warnings))
    assert fmt_mg(step) in rows[1].locator("th").inner_text()
