"""Phone layout: at 360px the page never scrolls sideways (wide tables scroll inside their own box)."""

from __future__ import annotations

from .conftest import ALL_PAGES, PHONE, assert_rows_read_as_labelled_cards, each_page
from .page_record import OVERFLOW_PHONE


@each_page(ALL_PAGES)
def test_no_horizontal_scroll_at_360px_outside_tables(page_record, site_page):
    found = page_record(site_page)[OVERFLOW_PHONE]  # measured in a 360px window (page_record.py, step 3)
    assert found["scrollWidth"] <= found["innerWidth"] + 1, (
        f"{site_page.url or '/'} is {found['scrollWidth']}px wide in a {found['innerWidth']}px window; "
        "wrap wide content in a scrolling box (.sbw-scroll):\n" + "\n".join(found["culprits"])
    )


def test_on_a_phone_every_example_schedule_step_shows_what_to_take_labelled_in_view(visit):
    page = visit("schedules/", viewport=PHONE).page
    tables = [f"#{t.get_attribute('id')}" for t in page.query_selector_all("table.sbw-schedule")]
    assert len(tables) >= 2, "the schedules page no longer shows its example schedules"
    for table in tables:
        assert_rows_read_as_labelled_cards(page, table)
    # Shown as cards, a schedule is still a table to a screen reader, headers and all.
    caption = page.locator(f"{tables[0]} caption").inner_text()
    first = page.get_by_role("table", name=caption, exact=True)
    assert first.get_by_role("columnheader", name="Morning", exact=True).count() == 1
