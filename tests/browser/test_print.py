"""Patient pages print cleanly: no site chrome, nothing wider than an A4 page."""

from __future__ import annotations

import json
import re

from .conftest import PATIENT_PAGES, each_page
from .page_record import PRINT, PRINT_MARGIN_MM, PRINT_WINDOW, PRINTABLE_PX


def _audience(html: str) -> list[str]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert match, "no JSON-LD on the page"
    return [a.get("@type") for a in json.loads(match.group(1)).get("audience", [])]


@each_page(PATIENT_PAGES)
def test_patient_pages_print_cleanly_to_a4(page_record, served_site, site_page):
    html = (served_site.root / site_page.url / "index.html").read_text(encoding="utf-8")
    assert "Patient" in _audience(html), f"docs/{site_page.source} says patients, the built JSON-LD does not"
    # Print media in a window as wide as A4's printable width (_PRINT_JS in page_record.py, step 4).
    found = page_record(site_page)[PRINT]
    where = site_page.url
    assert {".md-header", ".md-sidebar", ".md-footer", "nav"} <= set(found["present"]), found["present"]
    assert not found["shown"], f"{where}: site chrome still shows in print: {found['shown']}"
    assert found["contentText"] > 200, f"{where}: the article itself does not print"
    assert not found["wideTables"], f"{where}: tables wider than A4's {PRINTABLE_PX}px:\n" + "\n".join(
        found["wideTables"]
    )
    assert found["scrollWidth"] <= PRINTABLE_PX + 1, f"{where}: print layout is {found['scrollWidth']}px wide"


def test_a_patient_page_prints_to_an_a4_pdf(visit):
    page = visit("schedules/").page  # the widest tables on the site
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000, f"{len(pdf)} bytes"
    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert sizes, "no page in the PDF"
    for width, height in sizes:  # A4 is 595 × 842 points
        assert abs(float(width) - 595.3) < 2 and abs(float(height) - 841.9) < 2, (width, height)


A4_HEIGHT_MM = 297
PRINTABLE_HEIGHT_PX = int((A4_HEIGHT_MM - 2 * PRINT_MARGIN_MM) / 25.4 * 96)  # 1031

_SECTION_HEIGHT_JS = """
(id) => {
  const start = document.getElementById(id);
  let end = start.nextElementSibling;
  while (end && end.tagName !== 'H2') end = end.nextElementSibling;
  const top = start.getBoundingClientRect().top;
  const last = document.querySelector('.md-content').getBoundingClientRect().bottom;
  const bottom = end ? end.getBoundingClientRect().top : last;
  return bottom - top;
}
"""


def test_the_clinicians_one_page_summary_fits_one_a4_page(visit):
    page = visit("clinicians/", viewport=PRINT_WINDOW).page
    page.emulate_media(media="print")
    height = page.evaluate(_SECTION_HEIGHT_JS, "summary")
    assert 0 < height <= PRINTABLE_HEIGHT_PX, (
        f"the one-page summary is {height:.0f}px tall in print (A4 fits {PRINTABLE_HEIGHT_PX}px)"
    )


def test_printed_references_show_each_sources_full_address(visit):
    page = visit("dependence/").page
    page.emulate_media(media="print")
    link = page.locator(".sbw-references a[href^='http']").first
    href = link.get_attribute("href")
    printed = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert href and href in printed, f"the printed reference shows {printed!r}, not its address {href!r}"
