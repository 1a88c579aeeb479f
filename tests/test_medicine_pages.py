"""One page per medicine, generated from data: adding a medicine to data adds its page content."""

from __future__ import annotations

from .conftest import ROOT, parsed

SECTIONS = ["about", "half-life", "equivalents", "strengths", "tapering", "cautions", "references"]


def test_every_medicine_in_the_data_has_a_page_built_from_the_template_macro(dataset):
    for med in dataset.medications:
        page = ROOT / "docs" / "medicines" / f"{med.id}.md"
        assert page.is_file(), f"no page for {med.id}: run `make medicine-pages`"
        assert f'{{{{ medicine_page("{med.id}") }}}}' in page.read_text(encoding="utf-8")


def test_every_medicine_page_has_the_same_stable_section_ids(built_site, dataset):
    for med in dataset.medications:
        doc = parsed(built_site / "medicines" / med.id / "index.html")
        ids = {el["id"] for el in doc.select("article [id]")}
        assert set(SECTIONS) <= ids, f"{med.id}: missing {set(SECTIONS) - ids}"


def test_a_medicine_page_shows_its_worked_example_when_the_data_has_one(built_site, dataset):
    for schedule in dataset.schedules:
        html = (built_site / "medicines" / schedule.medication / "index.html").read_text()
        assert f'id="sched-{schedule.id}-table"' in html


def test_a_medicine_without_verified_equivalents_says_so_rather_than_showing_a_number(built_site, dataset):
    for med in dataset.medications:
        if med.equivalents:
            continue
        text = parsed(built_site / "medicines" / med.id / "index.html").get_text()
        assert "No source we have verified gives a value yet" in text


def test_the_medicines_index_links_every_medicine(built_site, dataset):
    doc = parsed(built_site / "medicines" / "index.html")
    hrefs = {a["href"] for a in doc.select("article a[href]")}
    assert {f"{m.id}/" for m in dataset.medications} <= hrefs


def test_each_medicine_page_lists_the_combinations_for_every_medicine_and_its_own(built_site, dataset):
    for med in dataset.medications:
        html = (built_site / "medicines" / med.id / "index.html").read_text(encoding="utf-8")
        for ix in dataset.interactions:
            row = f'id="ix-{ix.id}"'
            if not ix.only_for or med.id in ix.only_for:
                assert row in html, f"medicines/{med.id}: the {ix.id} combination is missing"
            else:
                assert row not in html, f"medicines/{med.id}: the {ix.id} combination is about {ix.only_for} only"
