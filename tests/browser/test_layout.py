"""Phone layout: at 360px the page never scrolls sideways (wide tables scroll inside their own box)."""

from __future__ import annotations

from .conftest import ALL_PAGES, PHONE, each_page

_OVERFLOW_JS = """
() => {
  const width = innerWidth;
  const clipped = el => {
    if (['absolute', 'fixed'].includes(getComputedStyle(el).position)) return false;  // may escape its box
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(e).overflowX)) return true;
    }
    return false;
  };
  const culprits = [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > width + 1 && !clipped(el))
    .slice(0, 8)
    .map(el => `<${el.tagName.toLowerCase()} class="${el.className}"> ends at ${el.getBoundingClientRect().right}px`);
  return { scrollWidth: document.scrollingElement.scrollWidth, innerWidth: width, culprits };
}
"""


@each_page(ALL_PAGES)
def test_no_horizontal_scroll_at_360px_outside_tables(visit, site_page):
    page = visit(site_page.url, viewport=PHONE).page
    found = page.evaluate(_OVERFLOW_JS)
    assert found["scrollWidth"] <= found["innerWidth"] + 1, (
        f"{site_page.url or '/'} is {found['scrollWidth']}px wide in a {found['innerWidth']}px window; "
        "wrap wide content in a scrolling box (.sbw-scroll):\n" + "\n".join(found["culprits"])
    )
