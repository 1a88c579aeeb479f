"""Renderers: escaped HTML, accessible tables, and citations numbered by first use."""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup

from macros.data.models import Source
from macros.render import medicines, schedules
from macros.render.citations import Citations, format_source
from macros.render.common import inert
from macros.schedules import compute_all

from .conftest import ROOT


@pytest.fixture
def cites(dataset):
    return Citations(dataset.source_by_id)


def test_citations_are_numbered_by_first_use_and_reused(cites):
    first = cites.cite("who-2009")
    cites.cite("jcpg-2025")
    again = cites.cite("who-2009")
    assert ">1<" in first and ">1<" in again
    assert cites.number("jcpg-2025") == 2


def test_an_unknown_source_id_is_an_error_that_says_where_to_add_it(cites):
    with pytest.raises(KeyError, match=r"data/sources\.yaml"):
        cites.cite("no-such-source")


def test_reference_list_adds_declared_sources_after_cited_ones(cites):
    cites.cite("who-2009")
    html = cites.reference_list(("jcpg-2025",))
    ids = [li["id"] for li in BeautifulSoup(html, "html.parser").find_all("li")]
    assert ids == ["ref-who-2009", "ref-jcpg-2025"]


def test_a_source_url_with_quotes_becomes_a_valid_href_for_the_same_address():
    source = Source(
        id="fda-q",
        kind="label",
        short="FDA",
        authors="FDA",
        title="Label",
        url='https://api.fda.gov/drug/label.json?search=set_id:"abc"&limit=1',
        doi="10.1002/(SICI)1097-4679<1>3.0.CO;2-X",
    )
    links = BeautifulSoup(format_source(source), "html.parser").find_all("a")
    hrefs = [a["href"] for a in links]
    assert hrefs == [
        "https://doi.org/10.1002/(SICI)1097-4679%3C1%3E3.0.CO;2-X",
        "https://api.fda.gov/drug/label.json?search=set_id:%22abc%22&limit=1",
    ]


def test_equivalence_table_has_one_column_per_source_and_a_row_id_per_drug(dataset, cites):
    meds = [dataset.medication("alprazolam"), dataset.medication("lorazepam")]
    columns = medicines.equivalence_columns(dataset, meds)
    html = medicines.equivalence_table(dataset, meds, columns, cites.cite)
    doc = BeautifulSoup(html, "html.parser")
    assert [tr["id"] for tr in doc.select("tbody tr")] == ["eq-alprazolam", "eq-lorazepam"]
    assert len(doc.select("thead th")) == 1 + len(columns)
    assert doc.find(attrs={"role": "region", "tabindex": "0"})


def test_a_missing_value_is_shown_as_a_dash_with_words_for_screen_readers(dataset, cites):
    meds = [dataset.medication("bromazepam")]
    html = medicines.equivalence_table(dataset, meds, [("jcpg-2025", "va-dod")], cites.cite)
    assert "no value given" in html


def test_strengths_list_each_formulation_with_its_market_and_source(dataset, cites):
    text = medicines.strengths(dataset.medication("diazepam"), cites.cite, market="uk")
    assert "2 mg/5 mL oral solution (UK)" in text
    assert "(US)" not in text


def test_a_range_equivalent_is_shown_as_a_range_not_a_midpoint(dataset, cites):
    text = medicines.equivalent(dataset.medication("estazolam"), cites.cite, "ashton-manual")
    assert text.startswith("1–2 mg")


def test_schedule_table_shows_every_row_with_a_stable_id(dataset):
    results = compute_all(dataset)
    res = results["diazepam-proportional"]
    doc = BeautifulSoup(schedules.schedule_table(res, "diazepam-proportional", "T"), "html.parser")
    rows = doc.select("tbody tr")
    assert len(rows) == len(res.rows)
    assert rows[-1]["id"] == f"diazepam-proportional-step-{len(res.rows) - 1}"


def test_warning_rows_are_marked_and_say_why(dataset):
    res = compute_all(dataset)["clonazepam-direct-tablets"]
    doc = BeautifulSoup(schedules.schedule_table(res, "c", "T"), "html.parser")
    warned = doc.select("tr.sbw-warn")
    assert warned and all("Warning:" in tr.get_text() for tr in warned)


def test_chart_is_an_accessible_inline_svg(dataset):
    res = compute_all(dataset)["lorazepam-via-diazepam"]
    doc = BeautifulSoup(schedules.taper_chart(res, "l", "Lorazepam"), "html.parser")
    svg = doc.find("svg")
    assert svg["role"] == "img"
    assert svg.find("title").text == "Lorazepam"
    assert doc.find("polyline")["points"].count(",") >= len(res.rows)


def test_renderers_escape_html_in_data(dataset, cites):
    med = dataset.medication("alprazolam").model_copy(update={"generic": "<b>x</b>"})
    html = medicines.equivalence_table(dataset, [med], medicines.equivalence_columns(dataset, [med]), cites.cite)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def _site_markdown(text: str) -> str:
    from mkdocs.config import load_config  # how MkDocs itself reads mkdocs.yml (its !ENV tags)

    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.markdown(text, extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


@pytest.mark.parametrize(
    "value",
    [
        "[x](javascript:alert(1))",
        "![x](y.png)",
        "*emphasis* and __strong__ and `code`",
        "{: onclick=alert(1)}",
        "a [^note] and *[abbr]: defined",
        "<b>bold</b> & 'quotes' \"double\"",
        "| a | b |",
    ],
)
def test_text_from_data_stays_text_inside_markdown(value):
    """`inert` is the one escaping rule: inside a sentence Markdown reads, no link, emphasis,
    attribute or element comes of it, and the reader sees the value as typed."""
    html = _site_markdown(f"Before {inert(value)} after.")
    doc = BeautifulSoup(html, "html.parser")
    assert [el.name for el in doc.find_all(True)] == ["p"], html
    assert doc.get_text() == f"Before {value} after."
