"""One visit per page, shared by the per-page browser checks.

Each page of the site is opened once (not once per check, as before), and what every per-page
test asserts is recorded from that one visit (the `page_record` fixture in
conftest.py keeps the records for the session). The page is served the way a host that reads
`_headers` serves it, security headers and all (test_csp.py), in a new browser context that blocks
service workers (test_offline.py tests those), in this order:

1. Loaded at 1280×800 in the light palette. Once the network has been quiet for 150 ms: the
   console errors (test_console.py) and every request from the page and its workers
   (test_privacy.py). At least 200 ms after Material's start-up ran: the policy sent and any
   `securitypolicyviolation` (test_csp.py). The palette shown.
2. At 1280px: axe-core with every WCAG 2.2 AA rule, and the tap targets (test_accessibility.py).
3. Resized to 360px: sideways scrolling (test_layout.py), the tap targets again, and axe's layout
   rules.
4. Patient pages only: print media in a window as wide as A4's printable width (test_print.py).
5. Back to 1280px on screen, the dark palette chosen with Material's toggle, and axe again.

The phone and print widths are reached by resizing the window, as the axe test always did for its
phone pass; when this was written, sideways scrolling, tap targets and the print layout measured
after a resize were the same on every page as after a fresh load at that width.

A step that fails is kept as its exception: the tests that need that step report it, naming the
page and the step; the other steps still run and their tests still pass or fail on their own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Browser, Page

from .conftest import (
    DESKTOP,
    PATIENT_PAGES,
    PHONE,
    ServedSite,
    SitePage,
    axe_violations,
    settle,
    switch_to_dark,
    wait_until_quiet,
    watch,
)

# --- What the steps run in the page -----------------------------------------------------------------

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} ` +
                              `(${e.sourceFile || ""}:${e.lineNumber || ""} ${e.sample || ""})`));
"""

# Rules about layout, which the phone width changes; the phone pass runs only these. Every rule,
# colour contrast included (most of axe's time), runs at desktop width in both palettes.
LAYOUT_RULES = ["target-size", "scrollable-region-focusable"]

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

# Every visible control the page offers, for the target-size checks.
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

# A4 is 210 mm wide; extra.css sets `@page { margin: 12mm }`. At CSS's 96 px per inch:
A4_WIDTH_MM, PRINT_MARGIN_MM = 210, 12
PRINTABLE_PX = int((A4_WIDTH_MM - 2 * PRINT_MARGIN_MM) / 25.4 * 96)  # 703
PRINT_WINDOW = {"width": PRINTABLE_PX, "height": 1000}
CHROME = [".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-top", ".md-search", "nav"]

_PRINT_JS = """
({ chrome, printable }) => {
  const hidden = el => {
    for (let e = el; e; e = e.parentElement) if (getComputedStyle(e).display === 'none') return true;
    return false;
  };
  const describe = el => `<${el.tagName.toLowerCase()} class="${el.className}">`;
  const content = document.querySelector('.md-content');
  return {
    present: chrome.filter(s => document.querySelector(s)),
    shown: chrome.flatMap(s => [...document.querySelectorAll(s)])
      .filter(el => !(content && content.contains(el)) && !hidden(el)).map(describe),
    contentText: content && !hidden(content) ? content.innerText.trim().length : 0,
    wideTables: [...document.querySelectorAll('.md-content table')].filter(t => !hidden(t))
      .map(t => [t, t.getBoundingClientRect()])
      .filter(([, r]) => r.right > printable + 1 || r.width > printable + 1)
      .map(([t, r]) => `${describe(t)} "${(t.caption ? t.caption.innerText : '').slice(0, 50)}"`
        + ` ${r.width.toFixed(0)}px wide, right edge at ${r.right.toFixed(0)}px`),
    scrollWidth: document.scrollingElement.scrollWidth,
  };
}
"""


def tap_targets(page: Page) -> dict:
    return page.evaluate(_TARGETS_JS, {"strictScopes": _HEADER_AND_NAV, "contentScope": ".md-content"})


# --- The record -----------------------------------------------------------------------------------

# Step names, as the tests ask for them and as a failure names them.
CONSOLE_ERRORS = "console errors"
REQUESTS = "requests"
CSP_HEADER = "Content-Security-Policy header"
CSP_VIOLATIONS = "CSP violations"
SCHEME_AT_LOAD = "palette at load"
AXE_LIGHT_DESKTOP = "light, 1280px"  # as describe_violations names them
AXE_LIGHT_PHONE = "light, 360px"
AXE_DARK_DESKTOP = "dark, 1280px"
TARGETS = {PHONE["width"]: "tap targets at 360px", DESKTOP["width"]: "tap targets at 1280px"}
OVERFLOW_PHONE = "width at 360px"
PRINT = "print layout"
STEPS = [
    CONSOLE_ERRORS,
    REQUESTS,
    CSP_HEADER,
    CSP_VIOLATIONS,
    SCHEME_AT_LOAD,
    AXE_LIGHT_DESKTOP,
    *TARGETS.values(),
    OVERFLOW_PHONE,
    AXE_LIGHT_PHONE,
    PRINT,
    AXE_DARK_DESKTOP,
]


class StepFailed(Exception):
    """A step of the shared visit could not be recorded; its cause is chained."""


@dataclass
class PageRecord:
    site_page: SitePage
    origin: str  # the server the page was loaded from
    found: dict[str, Any] = field(default_factory=dict, repr=False)  # step → what it found, or why it failed

    def __getitem__(self, step: str) -> Any:
        where = self.site_page.url or "/"
        if step not in self.found:
            raise StepFailed(f"{where}: the shared visit does not record {step!r} for this page")
        value = self.found[step]
        if isinstance(value, Exception):
            first_line = (str(value).strip().splitlines() or [""])[0]
            raise StepFailed(
                f"{where}: the shared visit could not record {step!r}: {type(value).__name__}: {first_line}"
            ) from value
        return value

    def run(self, step: str, measure: Callable[[], Any]) -> None:
        try:
            self.found[step] = measure()
        except Exception as exc:  # kept for the tests that need this step; the others go on
            self.found[step] = exc


def record_page(browser: Browser, site: ServedSite, site_page: SitePage) -> PageRecord:
    """Open the page once and record every step (module docstring) from that visit."""
    record = PageRecord(site_page, site.origin)
    context = browser.new_context(
        viewport=DESKTOP, color_scheme="light", reduced_motion="reduce", service_workers="block"
    )
    try:
        page = context.new_page()
        page.add_init_script(RECORD_VIOLATIONS)
        seen, in_flight = watch(context, page)
        try:
            response = page.goto(site.url(site_page.url), wait_until="load")
            assert response is not None and response.ok, f"{site_page.url}: HTTP {response and response.status}"
            started = _material_start(page)
            wait_until_quiet(page, seen, in_flight)
            settle(page)
        except Exception as exc:  # nothing to measure: every step reports why
            record.found = dict.fromkeys(STEPS, exc)
            return record

        # 1. As loaded.
        record.found[CONSOLE_ERRORS] = list(seen.console_errors)
        record.found[REQUESTS] = list(seen.requests)
        record.run(CSP_HEADER, lambda: response.headers.get("content-security-policy", ""))
        record.run(CSP_VIOLATIONS, lambda: _violations_200ms_after(page, started))
        record.run(SCHEME_AT_LOAD, lambda: page.evaluate("() => document.body.dataset.mdColorScheme"))
        # 2. Desktop.
        record.run(AXE_LIGHT_DESKTOP, lambda: axe_violations(page))
        record.run(TARGETS[DESKTOP["width"]], lambda: tap_targets(page))
        # 3. Phone: the drawer, wrapped tabs, a smaller header.
        try:
            page.set_viewport_size(PHONE)
            settle(page)
        except Exception as exc:  # nothing is measured at the wrong width
            record.found.update(dict.fromkeys([OVERFLOW_PHONE, TARGETS[PHONE["width"]], AXE_LIGHT_PHONE], exc))
        else:
            record.run(OVERFLOW_PHONE, lambda: page.evaluate(_OVERFLOW_JS))
            record.run(TARGETS[PHONE["width"]], lambda: tap_targets(page))
            record.run(AXE_LIGHT_PHONE, lambda: axe_violations(page, LAYOUT_RULES))
        # 4. Print.
        if site_page in PATIENT_PAGES:
            record.run(PRINT, lambda: _print_layout(page))
        # 5. Dark, on a desktop screen.
        record.run(AXE_DARK_DESKTOP, lambda: _axe_in_dark(page))
    finally:
        context.close()
    return record


def _material_start(page: Page) -> float | Exception:
    """When Material's own start-up was seen to have run: its inline script (allowed by hash) and its bundle."""
    try:
        page.wait_for_function("() => typeof window.__md_scope === 'object' && typeof window.document$ === 'object'")
    except Exception as exc:  # the CSP step reports it
        return exc
    return time.monotonic()


def _violations_200ms_after(page: Page, started: float | Exception) -> list[str]:
    if isinstance(started, Exception):
        raise started
    late = 0.2 - (time.monotonic() - started)  # let late scripts (search worker start-up) run
    if late > 0:
        page.wait_for_timeout(late * 1000)
    return page.evaluate("() => window.__cspViolations")


def _print_layout(page: Page) -> dict:
    page.set_viewport_size(PRINT_WINDOW)
    settle(page)
    page.emulate_media(media="print")
    try:
        return page.evaluate(_PRINT_JS, {"chrome": CHROME, "printable": PRINTABLE_PX})
    finally:
        page.emulate_media(media="null")


def _axe_in_dark(page: Page) -> list[dict]:
    page.set_viewport_size(DESKTOP)
    settle(page)
    switch_to_dark(page)
    return axe_violations(page)
