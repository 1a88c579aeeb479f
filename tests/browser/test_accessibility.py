"""WCAG 2.2 AA in the browser: axe-core on every page in both palettes, and target sizes.

Material's own chrome failed several of these; the fixes live in overrides/ (see the
"Accessibility" block in overrides/assets/stylesheets/extra.css). No rule is switched off.
"""

from __future__ import annotations

from .conftest import ALL_PAGES, DESKTOP, PHONE, axe_violations, describe_violations, each_page, settle, switch_to_dark

# Rules about layout, which the phone width changes; the phone pass runs only these. Every rule,
# colour contrast included (most of axe's time), runs at desktop width in both palettes.
LAYOUT_RULES = ["target-size", "scrollable-region-focusable"]


@each_page(ALL_PAGES)
def test_no_serious_or_critical_axe_violations_in_light_and_dark(visit, site_page):
    seen = visit(site_page.url)
    page = seen.page
    assert page.evaluate("() => document.body.dataset.mdColorScheme") == "default"
    problems = [describe_violations("light, 1280px", axe_violations(page))]
    page.set_viewport_size(PHONE)  # the phone layout: drawer, wrapped tabs, smaller header
    settle(page)
    problems.append(describe_violations("light, 360px", axe_violations(page, LAYOUT_RULES)))
    page.set_viewport_size(DESKTOP)
    switch_to_dark(page)
    problems.append(describe_violations("dark, 1280px", axe_violations(page)))
    report = "\n".join(p for p in problems if p)
    assert not report, f"{site_page.url or '/'}:\n{report}"


def test_open_search_has_no_serious_or_critical_axe_violations(visit):
    page = visit("").page
    report = ""
    for scheme in ("light", "dark"):
        if scheme == "dark":
            page.keyboard.press("Escape")  # close search, then switch the palette as a reader would
            switch_to_dark(page)
        page.locator("input.md-search__input").click()
        if scheme == "light":
            page.keyboard.type("alprazolam")
        page.wait_for_selector(".md-search-result__link")
        settle(page)
        report += describe_violations(f"search open, {scheme}", axe_violations(page))
    # A best-practice rule, outside the WCAG tags, that Material's search dialog failed (overrides/main.html).
    report += describe_violations("search open", axe_violations(page, ["aria-dialog-name"]))
    assert not report, report


# Every visible control the page offers, for the target-size checks below.
_TARGETS_JS = """
({ strictScopes, contentScope }) => {
  const SELECTOR = 'a[href], button, input:not([type=hidden]), select, textarea, summary, label[for]';
  const MIN = 24;
  const shown = el => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.right <= 0 || r.left >= innerWidth) return false;
    // Closed <details> hide their content with content-visibility, which only checkVisibility sees.
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true })) {
      return false;
    }
    for (let e = el; e; e = e.parentElement) if (getComputedStyle(e).opacity === '0') return false;
    return getComputedStyle(el).pointerEvents !== 'none';
  };
  const name = el => {
    const text = (el.innerText || el.getAttribute('aria-label') || el.title || el.value || '').trim();
    const cls = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    const r = el.getBoundingClientRect();
    return `<${el.tagName.toLowerCase()}${cls}> "${text.slice(0, 40)}" ${r.width.toFixed(1)}×${r.height.toFixed(1)}px`;
  };
  const big = el => { const r = el.getBoundingClientRect(); return r.width >= MIN - 0.5 && r.height >= MIN - 0.5; };
  // WCAG 2.5.8 "inline" exception: a target in a sentence, or otherwise sized by the line-height of the
  // non-target text around it (a citation "[1, 5]" in a table cell).
  const inSentence = el => {
    if (!getComputedStyle(el).display.startsWith('inline')) return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    if (!block) return false;
    const targets = [...block.querySelectorAll(SELECTOR)].map(t => t.innerText || '').join('').replace(/\\s+/g, '');
    return (block.innerText || '').replace(/\\s+/g, '').length > targets.length;
  };
  const all = [...document.querySelectorAll(SELECTOR)].filter(shown);
  const centre = el => {
    const r = el.getBoundingClientRect();
    return [r.left + r.width / 2, r.top + r.height / 2, r];
  };
  // WCAG 2.5.8 "spacing" exception: a 24px circle on the target's centre meets no other target or circle.
  const spaced = el => {
    const [x, y] = centre(el);
    return all.every(other => {
      if (other === el || other.contains(el) || el.contains(other)) return true;
      const [ox, oy, r] = centre(other);
      if (!big(other)) return Math.hypot(x - ox, y - oy) >= MIN - 0.5;
      const dx = Math.max(r.left - x, 0, x - r.right), dy = Math.max(r.top - y, 0, y - r.bottom);
      return Math.hypot(dx, dy) >= MIN / 2 - 0.25;
    });
  };
  const strict = [...new Set(strictScopes.flatMap(s => [...document.querySelectorAll(s)]))].filter(shown);
  const content = [...document.querySelectorAll(contentScope)].flatMap(s => [...s.querySelectorAll(SELECTOR)])
    .filter(shown).filter(el => !strict.includes(el));
  return {
    checked: strict.length + content.length,
    small_controls: strict.filter(el => !big(el)).map(name),
    small_content_targets: content.filter(el => !big(el) && !inSentence(el) && !spaced(el)).map(name),
  };
}
"""
# Header and navigation controls are buttons or menu items, never part of a sentence: 24px, no exceptions.
_HEADER_AND_NAV = [
    ".md-header a[href]",
    ".md-header button",
    ".md-header label[for]",
    ".md-header input:not([type=hidden])",
    ".md-banner a[href]",
    ".md-tabs a[href]",
    ".md-sidebar a.md-nav__link",
    ".md-sidebar label.md-nav__link",
]


@each_page(ALL_PAGES)
def test_tap_targets_are_at_least_24px(visit, site_page):
    page = visit(site_page.url, viewport=PHONE).page
    failures = []
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        settle(page)
        found = page.evaluate(_TARGETS_JS, {"strictScopes": _HEADER_AND_NAV, "contentScope": ".md-content"})
        assert found["checked"] > 0
        width = viewport["width"]
        failures += [f"{width}px, header/nav control under 24×24: {t}" for t in found["small_controls"]]
        failures += [
            f"{width}px, content target under 24×24, not in a sentence, not spaced: {t}"
            for t in found["small_content_targets"]
        ]
    assert not failures, f"{site_page.url or '/'}:\n" + "\n".join(failures)
