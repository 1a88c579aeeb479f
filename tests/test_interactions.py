"""Dangerous combinations: sourced data, an escaped table with linkable rows, and the quick reference."""

from __future__ import annotations

import copy
import re
import shutil

import pytest
import yaml
from bs4 import BeautifulSoup

from macros.data import DataError, load
from macros.data.models import Interaction
from macros.render import tables
from macros.render.citations import Citations
from macros.site.macros import SiteMacros

from .conftest import ROOT, parsed

# What a reader must never be told: to stop or change a medicine on their own.
STOP_ALONE = re.compile(r"\b(stop|quit|halve|cut down)\b[^.;]*\b(your|the)\b[^.;]*\bmedicine\b", re.I)


def cite_with(dataset):
    return Citations(dataset.source_by_id).cite


def test_the_interactions_load_with_the_required_combinations(dataset):
    ids = {i.id for i in dataset.interactions}
    assert {"opioids", "gabapentinoids", "alcohol", "z-drugs-during-taper", "diazepam-cyp-inhibitors"} <= ids
    assert next(i for i in dataset.interactions if i.id == "opioids").severity == "boxed-warning"


def test_every_interaction_cites_a_known_source(dataset):
    for interaction in dataset.interactions:
        assert interaction.sources, interaction.id
        for source_id in interaction.sources:
            assert source_id in dataset.source_by_id, (interaction.id, source_id)


def test_what_to_do_never_tells_readers_to_stop_a_medicine_alone(dataset):
    for interaction in dataset.interactions:
        assert not STOP_ALONE.search(interaction.what_to_do), interaction.id
        assert "prescriber" in interaction.what_to_do or "pharmacist" in interaction.what_to_do, interaction.id


def test_the_table_gives_every_row_an_id_and_scoped_headers(dataset):
    html = tables.interactions_table(dataset.interactions, cite_with(dataset))
    doc = BeautifulSoup(html, "html.parser")
    table = doc.find("table", class_="sbw-table")
    assert table.find("caption")
    rows = table.find("tbody").find_all("tr")
    assert [r["id"] for r in rows] == [f"ix-{i.id}" for i in dataset.interactions]
    assert all(th.get("scope") in ("col", "row") for th in table.find_all("th"))
    headers = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    assert headers == ["Combined with", "Severity", "What can happen", "What to do", "Why (mechanism)"]
    assert all(row.select("sup.sbw-cite a") for row in rows), "every row carries its citation"


def test_the_table_escapes_every_value_from_data(dataset):
    evil = Interaction.model_validate(
        {
            "id": "evil",
            "with": '<script>alert("x")</script>',
            "severity": "major",
            "effect": "<img src=x onerror=alert(1)>",
            "what_to_do": "Ask your prescriber & pharmacist <b>first</b>.",
            "mechanism": '"quoted" <i>mechanism</i>',
            "sources": ["jcpg-2025"],
        }
    )
    html = tables.interactions_table([evil], cite_with(dataset))
    assert "<script>" not in html and "<img" not in html and "<b>first" not in html and "<i>" not in html
    text = BeautifulSoup(html, "html.parser").get_text()
    for value in (evil.with_, evil.effect, evil.what_to_do, evil.mechanism):
        assert value in text, f"{value!r} is not shown as the text it is"


def test_the_macro_rejects_an_unknown_interaction_id(dataset):
    """The macros' `pick` is shared; an unknown id must name the known ones."""
    with pytest.raises(KeyError, match="unknown interaction 'nope'; known: opioids"):
        SiteMacros(dataset, {}).interactions_table(["nope"])


def write_interactions(data, mutate) -> None:
    path = data / "interactions.yaml"
    text = path.read_text(encoding="utf-8")
    header = text.splitlines()[0]
    raw = yaml.safe_load(text)
    mutate(raw["interactions"])
    path.write_text(header + "\n" + yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_an_unknown_source_id_is_a_data_error_naming_the_file_and_field(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)

    def mutate(items):
        items[1]["sources"] = ["fda-2019-gabapentinoid"]  # a typo for fda-2019-gabapentinoids

    write_interactions(data, mutate)
    with pytest.raises(DataError) as err:
        load(data)
    message = str(err.value)
    assert "interactions.yaml" in message
    assert "interactions → gabapentinoids → sources → 0" in message
    assert "unknown source id 'fda-2019-gabapentinoid'" in message
    assert "did you mean 'fda-2019-gabapentinoids'" in message


def test_a_duplicate_id_and_a_bad_severity_are_data_errors(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    write_interactions(data, lambda items: items.append(copy.deepcopy(items[0])))  # no shared lists: no YAML aliases
    with pytest.raises(DataError, match=r"interactions\.yaml.*duplicate id 'opioids'"):
        load(data)

    def bad_severity(items):
        items[0]["severity"] = "deadly"

    write_interactions(data, lambda items: items.pop())
    write_interactions(data, bad_severity)
    with pytest.raises(DataError, match=r"interactions\.yaml.*severity.*boxed-warning"):
        load(data)


def test_the_quick_reference_page_has_every_interaction_row(built_site, dataset):
    page = built_site / "clinicians" / "index.html"
    doc = parsed(page)
    ids = {el["id"] for el in doc.find_all(id=True)}
    missing = [i.id for i in dataset.interactions if f"ix-{i.id}" not in ids]
    assert not missing
    for section in ("equivalence", "pace", "schedules", "interactions", "refer", "summary"):
        assert section in ids, section
    assert doc.find("table", id="qr-equivalence"), "its own equivalence table id"
    all_ids = [el["id"] for el in doc.find_all(id=True)]
    assert len(all_ids) == len(set(all_ids)), "ids on the page are unique"
