"""The appointment pack's medicine check: what macros/planner_data.py gives the page from interactions.yaml.

The browser test (tests/browser/test_planner.py) checks the page; these check the data it reads.
"""

from __future__ import annotations

import re

from macros.data.vocabulary import SEVERITY_LABELS
from macros.render.planner_data import interactions_data, planner_data
from macros.site.macros import SiteMacros


def test_every_interaction_reaches_the_page_in_its_own_words(dataset):
    items = planner_data(dataset)["interactions"]["items"]
    assert [i["id"] for i in items] == [i.id for i in dataset.interactions]
    for item, ix in zip(items, dataset.interactions, strict=True):
        assert (item["with"], item["effect"], item["what_to_do"]) == (ix.with_, ix.effect, ix.what_to_do)
        assert item["severity_label"] == SEVERITY_LABELS[ix.severity]
        assert [s["id"] for s in item["sources"]] == ix.sources
        assert all(s["short"] == dataset.source_by_id[s["id"]].short for s in item["sources"])


def test_the_medicine_check_reads_scope_and_names_from_the_data(dataset):
    by_id = {i["id"]: i for i in interactions_data(dataset)["items"]}
    for ix in dataset.interactions:
        item = by_id[ix.id]
        assert (item["only_for"], item["names"], item["other_medicines"]) == (
            ix.only_for,
            ix.names,
            ix.any_second_medicine,
        )


def test_every_medicine_is_known_by_its_generic_and_brand_names(dataset):
    medicines = interactions_data(dataset)["medicines"]
    for med in dataset.medications:
        for name in [med.generic, *(med.brands.us or []), *(med.brands.uk or [])]:
            assert name.lower() in medicines


def test_the_planner_page_lists_every_source_its_plans_cautions_and_medicine_check_can_name(dataset):
    """A plan names its guideline, switch step and equivalence source, and the checks cite theirs as
    [n] into the page's reference list: the planner_data macro puts each in it, whatever the page declares."""
    site = SiteMacros(dataset, {})
    site.start_page("planner.md", ())
    site.planner_data()
    listed = set(re.findall(r'<li id="ref-([^"]+)"', site.references()))
    data = planner_data(dataset)
    needed = {data["guideline"]["source"], data["crossover"]["step_source"], *data["cautions"]["sources"]}
    needed |= {eq["source"] for med in data["medications"] for eq in med["equivalents"]}
    needed |= {s["id"] for item in data["interactions"]["items"] for s in item["sources"]}
    assert needed <= listed, sorted(needed - listed)
