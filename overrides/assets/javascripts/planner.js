/* The taper planner page (docs/planner.md): reads the form, asks taper-engine.js
 * (window.SBWTaper) for the plan and shows it, with the appointment pack (print, chart, .ics calendar
 * file, medicine check). It sends nothing anywhere, and stores answers only if the reader asks.
 */
// @ts-check

/** @typedef {import("./taper-engine.js").PlannerData} PlannerData */
/** @typedef {import("./taper-engine.js").Interaction} Interaction */
/** @typedef {import("./taper-engine.js").FieldName} FieldName */
/** @typedef {import("./taper-engine.js").FormValues} FormValues */
/** @typedef {import("./taper-engine.js").FormErrors} FormErrors */
/** @typedef {import("./taper-engine.js").PlanSpec} PlanSpec */
/** @typedef {import("./taper-engine.js").Row} Row */

(function () {
  "use strict";

  const { runWithCells, validate, FIELD_FOR, MAX_HOLD_WEEKS, fmtMg, fmtPct, words: engineWords } = globalThis.SBWTaper;
  const review = globalThis.SBWPlanReview;
  /** The day's total as people read it (taper.fmt_mg of the row's exact "n/d"). @param {Row} r */
  const dailyOf = (r) => fmtMg(r.daily);

  /** @type {FieldName[]} */
  const FIELDS = ["medication", "formulation", "dose", "doses", "crossover", "equivalence_source", "diazepam_formulation",
    "percent", "interval", "tail", "tail_below", "stop_at", "older", "start_date"];
  /** @type {(field: FieldName) => string} */
  const controlId = (field) => `pl-${field.replace("_", "-")}`;

  /**
   * An HTML element with these properties and children.
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag
   * @param {Partial<Omit<HTMLElementTagNameMap[K], "textContent">> & {textContent?: string | null}} [props]
   * @param {...(Node | string)} children
   * @returns {HTMLElementTagNameMap[K]}
   */
  function el(tag, props = {}, ...children) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  }

  // ---------------------------------------------------------------- the chart (as render.taper_chart)
  const { Q } = globalThis.SBWTaper;
  const SVG_NS = "http://www.w3.org/2000/svg";
  /**
   * An SVG element with these attributes and children.
   * @param {string} tag
   * @param {Record<string, string | number>} [attrs]
   * @param {...(Node | string)} children
   */
  function svg(tag, attrs = {}, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
    node.append(...children);
    return node;
  }
  const round2 = (/** @type {number} */ v) => Math.round(v * 100) / 100;
  const fmtG = (/** @type {number} */ v) => String(Number(v.toPrecision(6))); // Python's f"{v:g}" at these sizes
  const roundHalfEven = (/** @type {number} */ v) => {
    const f = Math.floor(v), d = v - f;
    return d > 0.5 || (d === 0.5 && f % 2) ? f + 1 : f;
  };
  /** The axis step, as render.taper_chart picks it. @param {number} top @param {number} [ticks] */
  function niceStep(top, ticks = 5) {
    const raw = top / ticks;
    for (const step of [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200]) {
      if (step >= raw) return step;
    }
    return 500;
  }
  /** "diazepam mg" or, for a switch to diazepam, "diazepam mg (or equivalent)", as the build-time pages say. */
  const unitOf = (/** @type {PlanSpec} */ spec) => (spec.crossover ? "diazepam mg (or equivalent)" : `${spec.drug} mg`);

  /** The daily dose by week as an inline SVG step chart: the same drawing, markup and classes as
   * macros/render/schedules.py taper_chart, so the planner's chart looks like the example schedules'.
   * @param {Row[]} rows @param {string} unit @param {string} title @param {string} id
   */
  function taperChart(rows, unit, title, id) {
    const width = 640, height = 280, left = 56, right = 16, top = 16, bottom = 44;
    const plotW = width - left - right, plotH = height - top - bottom;
    const mg = rows.map((r) => Q.of(r.daily).toNumber());
    const weeks = Math.max(rows[rows.length - 1].week, 1);
    const yMax = Math.max(...mg), yStep = niceStep(yMax), yTop = yStep * Math.ceil(yMax / yStep);
    const xStep = Math.max(1, roundHalfEven(niceStep(weeks, 8)));
    const x = (/** @type {number} */ week) => round2(left + (plotW * week) / weeks);
    const y = (/** @type {number} */ value) => round2(top + plotH * (1 - value / yTop));
    /** @type {string[]} */
    const points = [];
    rows.forEach((r, i) => {
      if (i) points.push(`${x(r.week)},${y(mg[i - 1])}`);
      points.push(`${x(r.week)},${y(mg[i])}`);
    });
    const grid = svg("g", { class: "sbw-chart-grid" }), labels = svg("g", { class: "sbw-chart-labels" });
    for (let value = 0; value <= yTop + 1e-9; value += yStep) {
      grid.append(svg("line", { x1: left, x2: width - right, y1: y(value), y2: y(value) }));
      labels.append(svg("text", { x: left - 6, y: y(value) + 4, "text-anchor": "end" }, fmtG(value)));
    }
    for (let week = 0; week <= weeks + 1e-9; week += xStep) {
      labels.append(svg("text", { x: x(week), y: height - bottom + 16, "text-anchor": "middle" }, fmtG(week)));
    }
    labels.append(
      svg("text", { x: left + plotW / 2, y: height - 6, "text-anchor": "middle" }, "Week"),
      svg("text", { transform: `translate(14 ${top + plotH / 2}) rotate(-90)`, "text-anchor": "middle" },
        `Daily dose (${unit})`));
    const warns = rows.map((r, i) => /** @type {[Row, number]} */ ([r, i])).filter(([r]) => r.warnings.length)
      .map(([r, i]) => svg("circle", { class: "sbw-chart-warn", cx: x(r.week), cy: y(mg[i]), r: 4 }));
    const count = rows.reduce((n, r) => n + r.warnings.length, 0);
    const desc = `Daily dose falls from ${dailyOf(rows[0])} ${unit} at week 0 to 0 at week ` +
      `${rows[rows.length - 1].week}, in ${rows.length - 1} steps. ${count} step(s) carry a warning.`;
    const titleId = `chart-${id}-title`, descId = `chart-${id}-desc`;
    const picture = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${titleId} ${descId}` },
      svg("title", { id: titleId }, title), svg("desc", { id: descId }, desc), grid,
      svg("polyline", { class: "sbw-chart-line", points: points.join(" ") }), ...warns, labels);
    return el("figure", { className: "sbw-chart", id: `chart-${id}` }, picture, el("figcaption", { textContent: desc }));
  }

  /** On a phone, CSS shows each row as a card of "heading: value" lines (.sbw-stack in extra.css);
   *  data-label gives each cell its heading. No ARIA roles: HTML forbids them inside a table.
   * @param {HTMLTableElement} table @param {string[]} heads
   */
  function stackable(table, heads) {
    for (const row of table.tBodies[0].rows) [...row.cells].forEach((c, i) => { c.dataset.label = heads[i]; });
  }

  /** A wide table in a focusable, labelled box that scrolls sideways on a phone (render._scroll). @param {HTMLTableElement} table @param {string} labelId */
  function scrollBox(table, labelId) {
    const box = el("div", { className: "sbw-scroll", tabIndex: 0 }, table);
    box.setAttribute("role", "region");
    box.setAttribute("aria-labelledby", labelId);
    return box;
  }

  // ---------------------------------------------------------------- the calendar file (RFC 5545)
  /** The day `weeks` weeks after an ISO date (YYYY-MM-DD), as a UTC Date (no time-zone drift). @param {string} start @param {number} weeks */
  function addWeeks(start, weeks) {
    const d = new Date(`${start}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 7 * weeks);
    return d;
  }
  const icsDate = (/** @type {Date} */ d) => d.toISOString().slice(0, 10).replace(/-/g, "");
  /** TEXT values: backslash, semicolon and comma escaped, new lines as \n (RFC 5545 3.3.11). */
  const icsText = (/** @type {string} */ s) => String(s).replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
  /** Lines longer than 75 octets are folded with CRLF and a space, never inside a UTF-8 character (3.1). @param {string} line */
  function icsFold(line) {
    const encoder = new TextEncoder(), parts = /** @type {string[]} */ ([]);
    let part = "", size = 0;
    for (const ch of line) {
      const n = encoder.encode(ch).length;
      if (size + n > (parts.length ? 74 : 75)) { // a continuation line starts with a space
        parts.push(part);
        part = "";
        size = 0;
      }
      part += ch;
      size += n;
    }
    parts.push(part);
    return parts.join("\r\n ");
  }
  /**
   * One all-day event per dose change (every row after the start), CRLF line ends.
   * @param {PlanSpec} spec @param {Row[]} rows @param {string} start the ISO start date @param {Date} [now]
   */
  function calendar(spec, rows, start, now = new Date()) {
    const stamp = now.toISOString().replace(/\.\d+/, "").replace(/[-:]/g, "");
    const random = Array.from(crypto.getRandomValues(new Uint32Array(2)), (n) => n.toString(16)).join("");
    const host = (typeof location !== "undefined" && location.hostname) || "planner.invalid";
    const drug = spec.crossover ? "diazepam" : spec.drug;
    const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Safe Benzo Withdrawal//Taper planner//EN",
      "CALSCALE:GREGORIAN", "METHOD:PUBLISH"];
    for (const r of rows.slice(1)) {
      const day = addWeeks(start, r.week), next = new Date(day.getTime() + 86400000);
      const what = r.kind === "final-stop" ? `stop ${drug}` :
        r.kind === "crossover" ? "switch a dose to diazepam" : `${drug} ${dailyOf(r)} mg a day`;
      const details = [`What to take in a day: ${r.take}`, ...r.notes_text, ...r.warnings_text.map((w) => `Warning: ${w}`),
        "A draft from the taper planner, not a prescription. Change a dose only as agreed with your prescriber."];
      lines.push("BEGIN:VEVENT", `UID:${icsDate(addWeeks(start, 0))}-step-${r.step}-${random}@${host}`,
        `DTSTAMP:${stamp}`, `DTSTART;VALUE=DATE:${icsDate(day)}`, `DTEND;VALUE=DATE:${icsDate(next)}`,
        `SUMMARY:${icsText(`Taper step ${r.step}: ${what} (talk to your prescriber first)`)}`,
        `DESCRIPTION:${icsText(details.join("\n"))}`, "TRANSP:TRANSPARENT", "END:VEVENT");
    }
    lines.push("END:VCALENDAR");
    return lines.map(icsFold).join("\r\n") + "\r\n";
  }

  // ---------------------------------------------------------------- the medicine check
  /** Lower case, words only, a plural "s" dropped: "Opioids," and "opioid" compare equal. */
  const words = (/** @type {string} */ s) => String(s).toLowerCase().replace(/[^a-z0-9]+/g, " ").trim().split(" ")
    .map((w) => (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w)).join(" ");
  const contains = (/** @type {string} */ text, /** @type {string} */ name) => Boolean(name) && ` ${text} `.includes(` ${name} `);
  /**
   * Does what the reader listed match this entry of data/interactions.yaml for a plan of `medId`?
   * @param {Interaction} item @param {string} entry what the reader typed or picked @param {string} medId
   * @param {Record<string, string>} medicines every medicine's names → its id
   */
  function interactionMatches(item, entry, medId, medicines) {
    if (item.only_for.length && !item.only_for.includes(medId)) return false;
    const text = words(entry);
    if (!text) return false;
    if (text === words(item.with) || item.names.some((name) => contains(text, words(name)))) return true;
    return item.other_medicines &&
      Object.entries(medicines).some(([name, id]) => id !== medId && contains(text, words(name)));
  }

  // ---------------------------------------------------------------- the page's state
  const STORE_KEY = "sbw-planner"; // localStorage, only after the reader ticks "Remember my answers"

  /** @typedef {import("./taper-engine.js").Medication} Medication */
  /** @typedef {HTMLInputElement | HTMLSelectElement} Control a field's input or select */
  /** @typedef {{spec: PlanSpec, rows: Row[], start: string, medId: string}} Shown the plan on screen */
  /** @typedef {{spec: PlanSpec, rows: Row[], summary: string, cells: string[][], values: FormValues}} Made a plan and what the page shows of it */
  /**
   * What the page's functions share: the data, the controls they read again and again, and what
   * outlives one event (the plan on screen, the reader's list of medicines). page() makes it.
   * @typedef {object} Planner
   * @property {PlannerData} data
   * @property {HTMLFormElement} form
   * @property {HTMLElement} out the plan, hidden while there is none
   * @property {HTMLSelectElement} med
   * @property {HTMLSelectElement} formulation
   * @property {HTMLSelectElement} tail
   * @property {HTMLInputElement} crossBox
   * @property {HTMLSelectElement} eqSelect
   * @property {HTMLSelectElement} dzSelect
   * @property {HTMLInputElement} rememberBox
   * @property {HTMLLIElement[]} refs the page's reference list, in order
   * @property {Shown | null} shown
   * @property {string[]} medicines what the reader listed: other medicines, drinks and drugs
   * @property {string | null} icsUrl the calendar file on offer, let go when the plan changes
   * @property {boolean} restoring true while saved answers go back in, so they are not saved half-done
   * @property {[number, number][]} holds [step, extra weeks] the reader added with "Stay longer"
   * @property {string} holdsFor the plan the holds belong to (its spec without holds, as JSON)
   * @property {Set<string>} cited the sources the cautions on screen cite (the pack prints their references)
   */

  /** The element with this id: docs/planner.md has every one the planner names. */
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  /** A field's control, or null where the page has none. */
  const controlOf = (/** @type {FieldName} */ field) => /** @type {Control | null} */ (document.getElementById(controlId(field)));

  // ---------------------------------------------------------------- the form's choices
  // What the form offers (forms, sources, liquids) follows the medicine chosen and the switch.

  const current = (/** @type {Planner} */ p) =>
    /** @type {Medication} */ (p.data.medications.find((m) => m.id === p.med.value));
  /** The medicine a switch goes to (diazepam). */
  const dzMed = (/** @type {Planner} */ p) =>
    /** @type {Medication} */ (p.data.medications.find((m) => m.id === p.data.crossover.medication));
  /** A ticked box counts only while the switch is offered. */
  const switching = (/** @type {Planner} */ p) => p.crossBox.checked && !p.crossBox.disabled;
  const apart = (/** @type {number} */ weeks) => (weeks === 1 ? "a week apart" : `${weeks} weeks apart`);
  /** Whose mg the liquid threshold is in: after a switch the liquid is diazepam's. */
  const tailUnit = (/** @type {Planner} */ p) => `mg of ${switching(p) ? dzMed(p).generic : current(p).generic}`;

  /** The liquids for small doses: another form of the same medicine, or diazepam's after a switch. @param {Planner} p */
  function fillTail(p) {
    const liquids = switching(p)
      ? dzMed(p).formulations.filter((f) => f.liquid)
      : current(p).formulations.filter((f) => f.liquid && f.id !== p.formulation.value);
    p.tail.replaceChildren(new Option("No liquid", ""), ...liquids.map((f) => new Option(f.label, f.id)));
    p.tail.disabled = !liquids.length;
    /** @type {HTMLInputElement} */ ($("pl-tail-below")).disabled = !liquids.length;
    $("pl-tail-below-unit").textContent = tailUnit(p);
    showEnd(p);
  }

  /** The stop field's unit, and the end point the plan uses when it is left empty. @param {Planner} p */
  function showEnd(p) {
    const target = switching(p) ? dzMed(p) : current(p), end = target.end;
    $("pl-stop-at-unit").textContent = `mg of ${target.generic}`;
    $("pl-stop-at-help").textContent = end
      ? `Leave it empty to stop from ${fmtMg(end.mg)} mg of ${target.generic} a day or less: about diazepam ` +
        `${fmtMg(p.data.end.diazepam_mg)} mg, where ${p.data.end.source_label} ends. A higher dose means a bigger last ` +
        "step (the plan warns); a lower one, more small steps. Agree it with your prescriber."
      : "";
  }

  /** Offer the switch only for another medicine with a single-value equivalent; list every source. @param {Planner} p */
  function fillSwitch(p) {
    const { crossBox, eqSelect, dzSelect } = p;
    const m = current(p), dz = dzMed(p), usable = m.equivalents.filter((e) => e.mg_per_diazepam_10);
    crossBox.disabled = m.id === dz.id || !usable.length;
    if (crossBox.disabled) crossBox.checked = false;
    $("pl-crossover-help").textContent = m.id === dz.id
      ? `You take ${dz.generic} already, so there is nothing to switch.`
      : !usable.length
        ? `No source on this site gives one dose of ${m.generic} equal to ${dz.generic} 10 mg, so the planner cannot work out a switch.`
        : `Changes one dose of the day at a time to ${dz.generic}, ${apart(p.data.crossover.step_weeks)}, ` +
          `last dose first, then tapers ${dz.generic}. Ask your prescriber whether a switch suits you.`;
    const keep = eqSelect.value;
    eqSelect.replaceChildren(new Option("Choose a source", ""), ...m.equivalents.map((e) =>
      Object.assign(new Option(e.unavailable ? `${e.option}: ${e.unavailable}` : e.option, e.id), { disabled: Boolean(e.unavailable) })));
    eqSelect.value = usable.some((e) => e.id === keep) ? keep : "";
    // diazepam tablets of the same market as the form taken now
    const tablets = dz.formulations.filter((f) => !f.liquid);
    const market = (current(p).formulations.find((f) => f.id === p.formulation.value) || /** @type {{markets?: string}} */ ({})).markets;
    dzSelect.replaceChildren(...tablets.map((f) => new Option(f.label, f.id)));
    dzSelect.value = (tablets.find((f) => f.markets === market) || tablets[0]).id;
    showSwitch(p);
  }

  /** The switch's own choices show only while it is on; the liquids follow it. @param {Planner} p */
  function showSwitch(p) {
    const on = switching(p);
    for (const id of ["pl-switch-source", "pl-switch-form"]) $(id).hidden = !on;
    p.eqSelect.disabled = p.dzSelect.disabled = !on;
    fillTail(p);
  }

  /** A new medicine: its forms, then the switch and the liquids that depend on them. @param {Planner} p */
  function fillForms(p) {
    p.formulation.replaceChildren(...current(p).formulations.map((f) => new Option(f.label, f.id)));
    fillSwitch(p); // and the tail
  }

  /** The guideline's pace, as the limits and help of the cut and interval fields. @param {import("./taper-engine.js").Guideline} g */
  function setUpPace(g) {
    Object.assign($("pl-percent"), { min: g.cut_min, max: g.cut_max, step: "0.5" });
    Object.assign($("pl-interval"), { min: g.interval_min, max: g.interval_max, step: "1" });
    $("pl-percent-help").textContent =
      `${g.name}: ${g.cut_min}% to ${g.cut_max}% every ${g.interval_min} to ${g.interval_max} weeks to start with, ` +
      `and never more than ${g.max_cut_percent}% in ${g.max_cut_weeks} weeks. For another pace, ask your prescriber.`;
  }

  // ---------------------------------------------------------------- form → plan
  /** What the form holds, as validate() reads it: a disabled control counts as empty. */
  function readForm() {
    const valueOf = (/** @type {Control} */ c) =>
      (c.disabled ? "" : c.type === "checkbox" ? (/** @type {HTMLInputElement} */ (c).checked ? c.value : "") : c.value);
    return /** @type {FormValues} */ (Object.fromEntries(FIELDS.map((f) => [f, valueOf(/** @type {Control} */ (controlOf(f)))])));
  }

  /**
   * validate() then run(): the plan, or what is wrong by field (an engine error goes by the field it names).
   * holdsFor says which holds go with the plan validate() made (null: none could be made).
   * @param {PlannerData} data @param {FormValues} values @param {(spec: PlanSpec | null) => [number, number][]} holdsFor
   * @returns {{errors: FormErrors, plan: Made | null}}
   */
  function makePlan(data, values, holdsFor) {
    const { errors, spec } = validate(data, values);
    const holds = holdsFor(spec);
    if (!spec) return { errors, plan: null };
    spec.holds = holds;
    const result = runWithCells(spec);
    if (result.error) {
      errors[FIELD_FOR[result.error.field] || "percent"] = `This plan cannot be made: ${result.error.message}.`;
      return { errors, plan: null };
    }
    return { errors, plan: { spec, rows: result.rows, summary: result.summary, cells: result.cells, values } };
  }

  /** The plan a hold belongs to: the spec as validate() gives it, before any hold. @param {PlanSpec} spec */
  const planKey = (spec) => JSON.stringify({ ...spec, holds: [] });

  /** Each field's message (or none), marked for assistive technology; focus goes to the first problem. @param {FormErrors} errors */
  function showErrors(errors, focus = true) {
    /** @type {Control | null} */
    let first = null;
    for (const field of FIELDS) {
      const control = controlOf(field), message = document.getElementById(`${controlId(field)}-error`);
      if (!control || !message) continue;
      message.textContent = errors[field] || "";
      control.setAttribute("aria-invalid", errors[field] ? "true" : "false");
      if (errors[field] && !first) first = control;
    }
    if (first && focus) first.focus();
  }

  /**
   * Make the plan and show it, or show why not. Saved answers coming back call this too, and do
   * not move the focus.
   * @param {Planner} p @param {Event} event
   */
  function submit(p, event) {
    event.preventDefault();
    const values = readForm();
    const { errors, plan } = makePlan(p.data, values, (spec) => {
      if (p.holds.length && (!spec || planKey(spec) !== p.holdsFor)) { // holds name steps of the plan they were made on
        p.holds = [];
        $("pl-change-status").textContent = "The plan changed, so the steps you chose to stay on longer were cleared.";
      }
      return p.holds;
    });
    showErrors(errors, event.type === "submit");
    if (!plan) {
      p.out.hidden = true;
      hidePack(p);
      $("pl-summary").textContent = "";
      return;
    }
    p.holdsFor = planKey(plan.spec);
    render(p, plan, values.start_date);
    if (event.type === "submit") $("pl-summary").scrollIntoView({ block: "start" });
  }

  // ---------------------------------------------------------------- the plan on screen
  /** A date for people in their own language; UTC, so no time zone moves it a day. @param {string} start @param {number} week */
  function dateOf(start, week) {
    if (!start) return null;
    const d = new Date(`${start}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 7 * week);
    return d.toLocaleDateString(undefined, { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" });
  }

  /** A date for people, with the ISO date for machines (and tests): <time datetime="2026-12-15">. */
  const timeOf = (/** @type {string} */ start, /** @type {number} */ week) =>
    el("time", { dateTime: addWeeks(start, week).toISOString().slice(0, 10), textContent: dateOf(start, week) });

  /**
   * Every step, as the example schedules show them (macros/render/schedules.py schedule_table): one
   * column per time of day, the day's total, the cuts, then the notes; a Date column only with a start date.
   * The last column's buttons (not printed) add a hold or re-plan from that step.
   * @param {Planner} p @param {Made} plan @param {string} start
   */
  function planTable(p, plan, start) {
    const { spec, rows, cells } = plan;
    const times = rows[0].doses.map((d) => engineWords.TIME_LABELS[d.time]);
    const heads = ["Step", "Week", ...(start ? ["Date"] : []), ...times, `Day's total (${unitOf(spec)})`,
      "Cut from previous dose", "Cut from starting dose", "Notes", "Change this step"];
    const cell = (/** @type {string} */ text) => el("td", { textContent: text });
    const body = rows.map((r, i) => {
      const notes = el("td", { className: "sbw-row-notes" });
      for (const n of r.notes_text) notes.append(el("span", { className: "sbw-note", textContent: n }));
      for (const w of r.warnings_text) {
        notes.append(el("span", { className: "sbw-warning" }, el("strong", { textContent: "Warning:" }), ` ${w}`));
      }
      const cut = (/** @type {string} */ share) => (r.kind === "start" || r.kind === "crossover" ? "—" : `${fmtPct(share)}%`);
      const cls = r.warnings.length ? "sbw-warn" : /** @type {Record<string, string>} */ ({ "final-stop": "sbw-final", crossover: "sbw-cross" })[r.kind] || "";
      return el("tr", { className: cls, id: `planner-step-${r.step}` },
        el("th", { scope: "row", textContent: String(r.step) }), cell(String(r.week)),
        ...(start ? [el("td", {}, timeOf(start, r.week))] : []), ...cells[i].map(cell), cell(dailyOf(r)),
        cell(cut(r.cut_prev)), cell(cut(r.cut_start)), notes, rowActions(p, plan, r));
    });
    const table = el("table", { className: "sbw-table sbw-schedule sbw-stack", id: "planner-table" },
      el("caption", { id: "planner-table-caption", textContent: "Your draft plan: every step (to discuss with your prescriber)" }),
      el("thead", {}, el("tr", {}, ...heads.map((h, i) =>
        el("th", { scope: "col", textContent: h, className: i === heads.length - 1 ? "sbw-row-actions" : "" })))),
      el("tbody", {}, ...body));
    stackable(table, heads);
    return table;
  }

  /**
   * "Stay longer" (a hold: the later dates move, no dose changes) and "Re-plan from here" (this
   * step's doses become the start, from today). Neither is offered on the stop, nor re-planning
   * while a switch is half done.
   * @param {Planner} p @param {Made} plan @param {Row} r
   */
  function rowActions(p, plan, r) {
    const td = el("td", { className: "sbw-row-actions" });
    if (r.kind === "final-stop") return td;
    const weeks = plan.spec.interval_weeks;
    const held = p.holds.filter(([step]) => step === r.step).reduce((n, [, w]) => n + w, 0);
    const hold = el("button", { type: "button", className: "md-button sbw-small", textContent: `Stay ${weeks} more weeks` });
    hold.setAttribute("aria-label", `Stay on step ${r.step} ${weeks} more weeks`);
    hold.disabled = held + weeks > MAX_HOLD_WEEKS;
    hold.addEventListener("click", () => addHold(p, r.step, weeks));
    td.append(hold);
    const drugs = new Set(r.doses.filter((d) => Q.of(d.mg).gt(Q.of(0))).map((d) => d.drug));
    if (r.step > 0 && drugs.size === 1) {
      const again = el("button", { type: "button", className: "md-button sbw-small", textContent: "Re-plan from here" });
      again.setAttribute("aria-label", `Re-plan from step ${r.step}, starting today`);
      again.addEventListener("click", () => replanFrom(p, plan, r));
      td.append(" ", again);
    }
    return td;
  }

  /**
   * What the rows do, as the engine computed it (words.summary), and each step that carries a warning.
   * @param {Made} plan @param {string} start
   */
  function showSummary(plan, start) {
    const { rows } = plan;
    const last = rows[rows.length - 1], warned = rows.filter((r) => r.warnings.length);
    const when = start ? ` The last step falls on ${dateOf(start, last.week)}.` : "";
    $("pl-summary").textContent = `${plan.summary}${when}`;
    const list = $("pl-warnings");
    list.replaceChildren(...warned.map((r) => el("li", { textContent: `Step ${r.step}: ${r.warnings_text.join(" ")}` })));
    list.hidden = !warned.length;
  }

  /** @param {Planner} p @param {Made} plan @param {string} start */
  function render(p, plan, start) {
    const table = planTable(p, plan, start);
    showSummary(plan, start);
    showCautions(p, plan);
    $("pl-table").replaceChildren(scrollBox(table, "planner-table-caption"));
    showHolds(p, plan);
    showCompare(plan);
    p.out.hidden = false;
    showPack(p, plan.spec, plan.rows, start);
  }

  // ---------------------------------------------------------------- cautions, holds, re-planning, the comparison

  /** What plan-review.js flags for this plan, each with its citations, above the plan. @param {Planner} p @param {Made} plan */
  function showCautions(p, plan) {
    const found = review.cautions(p.data, plan.values, plan.spec, plan.rows);
    $("pl-cautions-list").replaceChildren(...found.map((c) => {
      const li = el("li", { className: `sbw-caution-${c.code}`, textContent: c.text });
      if (c.sources.length) li.append(cite(c.sources.map((id) => ({ id, short: p.data.cautions.sources[id] }))));
      return li;
    }));
    $("pl-cautions").hidden = !found.length;
    p.cited = new Set(found.flatMap((c) => c.sources));
  }

  /** The holds the reader added, each with a Remove button. @param {Planner} p @param {Made} plan */
  function showHolds(p, plan) {
    const list = $("pl-holds-list");
    list.replaceChildren(...p.holds.map(([step, weeks], i) => {
      const remove = el("button", { type: "button", className: "md-button sbw-remove", textContent: "Remove" });
      remove.setAttribute("aria-label", `Remove the hold at step ${step}`);
      remove.addEventListener("click", () => {
        p.holds.splice(i, 1);
        redraw(p, `The hold at step ${step} was removed; the later dates moved back.`);
      });
      const dose = plan.rows[step] ? `, at ${dailyOf(plan.rows[step])} ${unitOf(plan.spec)} a day` : "";
      return el("li", {}, el("span", { textContent: `Step ${step}${dose}: ${weeks} more weeks` }), " ", remove);
    }));
    $("pl-holds").hidden = !p.holds.length;
  }

  /** Make the plan again from the form (holds kept) and say what changed. @param {Planner} p @param {string} message */
  function redraw(p, message) {
    submit(p, new Event("redraw", { cancelable: true }));
    $("pl-change-status").textContent = message;
    save(p);
  }

  /** @param {Planner} p @param {number} step @param {number} weeks */
  function addHold(p, step, weeks) {
    p.holds.push([step, weeks]);
    redraw(p, `Step ${step} now lasts ${weeks} more weeks; every later step moved ${weeks} weeks later. No dose changed.`);
    const row = document.getElementById(`planner-step-${step}`);
    const button = row && row.querySelector("button");
    if (button) button.focus();
  }

  /** Today as YYYY-MM-DD, on this device's calendar. */
  const today = () => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  };

  /**
   * A new plan that starts today from this step's doses: after a switch the medicine becomes
   * diazepam with the tablets switched to; the pace, liquid and stop field stay; holds are cleared.
   * @param {Planner} p @param {Made} plan @param {Row} r
   */
  function replanFrom(p, plan, r) {
    const given = r.doses.filter((d) => Q.of(d.mg).gt(Q.of(0)));
    const typed = given.map((d) => review.decimalOf(Q.of(d.mg)));
    if (typed.includes(null)) return;
    const med = /** @type {Medication} */ (p.data.medications.find((m) => m.generic === given[0].drug));
    const keep = { tail: p.tail.value, form: plan.spec.crossover ? p.dzSelect.value : p.formulation.value };
    if (med.id !== p.med.value) {
      p.med.value = med.id;
      fillForms(p);
    }
    p.crossBox.checked = false;
    p.formulation.value = keep.form;
    fillSwitch(p);
    if ([...p.tail.options].some((o) => o.value === keep.tail)) p.tail.value = keep.tail;
    const set = (/** @type {string} */ id, /** @type {string} */ value) => { /** @type {HTMLInputElement} */ ($(id)).value = value; };
    set("pl-dose", /** @type {string} */ (review.decimalOf(Q.of(r.daily))));
    set("pl-doses", typed.length > 1 ? typed.join(", ") : "");
    set("pl-start-date", today());
    p.holds = [];
    redraw(p, `A new plan from step ${r.step} (${r.take}), starting today. The form above now holds that dose.`);
    $("pl-summary").scrollIntoView({ block: "start" });
  }

  /** The same start by fixed steps beside the reader's plan: how long, the largest cut, the last dose. @param {Made} plan */
  function showCompare(plan) {
    const { spec, rows } = plan;
    const ways = review.compare(spec, Q.of(rows[0].daily)); // the start row: diazepam-equivalent during a switch
    const unit = unitOf(spec);
    const name = (/** @type {import("./plan-review.js").Way} */ w) => (w.way === "yours"
      ? `Your plan: cut ${fmtPct(w.amount)}% of the dose you take then`
      : `Fixed steps: cut ${fmtMg(w.amount)} mg of ${spec.drug} each time`);
    const heads = ["Way to cut", "Steps", "Weeks", `Largest cut in any ${weeksWord(spec.max_cut_weeks)}`,
      `Last daily dose before stopping (${unit})`, "Steps with a warning"];
    const body = ways.map((w) => el("tr", {}, el("th", { scope: "row", textContent: name(w) }),
      ...("error" in w ? [el("td", { colSpan: 5, textContent: `Cannot be made: ${w.error}.` })]
        : [String(w.steps), String(w.weeks), `${fmtPct(w.largest)}%`, fmtMg(w.last), String(w.warnings)].map((t) => el("td", { textContent: t })))));
    const table = el("table", { className: "sbw-table sbw-stack", id: "pl-compare-table" },
      el("caption", { id: "pl-compare-caption", textContent: "Two ways to cut from the same start (your holds are not counted)" }),
      el("thead", {}, el("tr", {}, ...heads.map((h) => el("th", { scope: "col", textContent: h })))),
      el("tbody", {}, ...body));
    stackable(table, heads);
    $("pl-compare").replaceChildren(scrollBox(table, "pl-compare-caption"));
  }
  const weeksWord = (/** @type {number} */ n) => (n === 1 ? "week" : `${n} weeks`);

  // ---------------------------------------------------------------- the appointment pack
  /** The chosen option's text, or "" while the select is off or empty. */
  const chosenText = (/** @type {string} */ id) => {
    const c = /** @type {HTMLSelectElement | null} */ (document.getElementById(id));
    return c && !c.disabled && c.selectedOptions && c.selectedOptions[0] ? c.selectedOptions[0].text : "";
  };

  /** The reference list keeps its numbers when print shows only the sources the pack cites. */
  function numberReferences() {
    const refs = /** @type {HTMLLIElement[]} */ ([...document.querySelectorAll("ol.sbw-references > li[id^='ref-']")]);
    refs.forEach((li, i) => { li.value = i + 1; });
    return refs;
  }
  const markCited = (/** @type {Planner} */ p, /** @type {Set<string>} */ ids) =>
    p.refs.forEach((li) => li.classList.toggle("sbw-pack-cited", ids.has(li.id.slice(4))));

  /** Citations as the rest of the site shows them: [n] linking to this page's reference list. @param {Interaction["sources"]} sources */
  function cite(sources) {
    const sup = el("sup", { className: "sbw-cite" }, "[");
    sources.forEach((source, i) => {
      if (i) sup.append(", ");
      const ref = document.getElementById(`ref-${source.id}`);
      const n = ref && ref.parentElement ? [...ref.parentElement.children].indexOf(ref) + 1 : 0;
      sup.append(n ? el("a", { href: `#ref-${source.id}`, title: source.short, textContent: String(n) }) : source.short);
    });
    sup.append("]");
    return sup;
  }

  /** What the plan was made from, for the prescriber: the form's choices in words. @param {Planner} p @param {PlanSpec} spec @param {Row[]} rows @param {string} start */
  function packHead(p, spec, rows, start) {
    /** @type {[string, string | null][]} */
    const items = [
      ["Medicine", [chosenText("pl-medication"), chosenText("pl-formulation")].filter(Boolean).join(", ")],
      [`Daily dose at the start (${unitOf(spec)})`, `${dailyOf(rows[0])}, taken as ${rows[0].take}`],
      ["Pace", `cut ${/** @type {HTMLInputElement} */ ($("pl-percent")).value}% of the dose every ${spec.interval_weeks} week(s)`],
    ];
    if (spec.crossover) {
      items.splice(2, 0, ["Switch to diazepam", `one dose at a time, every ${spec.crossover.step_weeks} week(s), last dose ` +
        `of the day first, using ${spec.crossover.source_label}; then diazepam ${chosenText("pl-diazepam-formulation")}`]);
    }
    if (spec.tail) {
      items.push(["Liquid for small doses", spec.tail_below
        ? `${chosenText("pl-tail")}, for a dose of ${fmtMg(spec.tail_below)} ${tailUnit(p)} or less that the tablets cannot make`
        : `${chosenText("pl-tail")}, for any dose the tablets cannot make`]);
    }
    items.push(["Stop from", spec.stop_at // spec.drug is the medicine tapered: diazepam after a switch
      ? `${fmtMg(spec.stop_at)} mg of ${spec.drug} a day (chosen), where the sourced end point is ${fmtMg(spec.end.mg)} mg`
      : `${fmtMg(spec.end.mg)} mg of ${spec.drug} a day or less (${spec.end.source_label})`]);
    if (p.holds.length) items.push(["Steps held longer", p.holds.map(([step, weeks]) => `step ${step}: ${weeks} more weeks`).join("; ")]);
    items.push(["Start date", start ? dateOf(start, 0) : "not chosen yet"]);
    const today = new Date().toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
    const canonical = /** @type {HTMLLinkElement | null} */ (document.querySelector("link[rel=canonical]")); // the public address, not a local file path
    items.push(["Made", `${today}, with the taper planner at ${canonical ? canonical.href : location.href.split("#")[0]}`]);
    $("pl-pack-inputs").replaceChildren(...items.flatMap(([k, v]) => [el("dt", { textContent: k }), el("dd", { textContent: v })]));
  }

  /** A blank symptom diary for the first weeks, one row a week, with the planned dose (and date). @param {PlanSpec} spec @param {Row[]} rows @param {string} start */
  function diary(spec, rows, start) {
    const weeks = Math.min(8, rows[rows.length - 1].week + 1);
    const heads = ["Week", "Date", `Planned dose a day (${unitOf(spec)})`, "Sleep (hours, and 0–10)",
      "Anxiety (0–10)", "Other symptoms (0–10)"];
    const body = [];
    for (let week = 0; week < weeks; week++) {
      const r = /** @type {Row} */ (rows.filter((row) => row.week <= week).pop()); // the start row is week 0
      const dose = (r.week === week && r.step ? `Step ${r.step}: ` : "") + dailyOf(r);
      body.push(el("tr", {}, el("th", { scope: "row", textContent: String(week) }),
        el("td", {}, ...(start ? [timeOf(start, week)] : [])), el("td", { textContent: dose }),
        el("td"), el("td"), el("td")));
    }
    const table = el("table", { className: "sbw-table sbw-pack-diary", id: "pl-diary-table" },
      el("caption", { id: "pl-diary-caption",
        textContent: `Symptom diary: the first ${weeks} week(s) of the plan. Score 0 (none) to 10 (worst).` }),
      el("thead", {}, el("tr", {}, ...heads.map((h) => el("th", { scope: "col", textContent: h })))),
      el("tbody", {}, ...body));
    return scrollBox(table, "pl-diary-caption");
  }

  /** What the reader listed that this combination covers, for the medicine of the plan on screen. @param {Planner} p @param {Interaction} item */
  function matchesOf(p, item) {
    const shown = p.shown;
    return shown ? p.medicines.filter((m) => interactionMatches(item, m, shown.medId, p.data.interactions.medicines)) : [];
  }

  /** Questions for the prescriber that this plan raises: its big steps, the combinations found. @param {Planner} p @param {Row[]} rows */
  function planQuestions(p, rows) {
    const combos = p.data.interactions, shown = p.shown;
    const items = [];
    const warned = rows.filter((r) => r.warnings.length).map((r) => r.step);
    if (warned.length) {
      items.push(`Step(s) ${warned.join(", ")} carry a warning: a cut bigger than the guideline suggests, or a stop ` +
        "above the end point (see the warnings). What would make smaller steps possible?");
    }
    const found = p.medicines.filter((m) => combos.items.some((item) => matchesOf(p, item).includes(m)));
    if (found.length) items.push(`I also take ${found.join(", ")}. Is that safe with my taper, and what should we watch for?`);
    $("pl-q-switch").hidden = Boolean(shown && (shown.spec.crossover || shown.spec.drug === "diazepam"));
    const list = $("pl-questions-plan");
    list.replaceChildren(...items.map((t) => el("li", { textContent: t })));
    list.hidden = !items.length;
  }

  /** The combinations to pick from: those that can apply to this medicine. @param {Planner} p */
  function fillPick(p) {
    const medId = p.shown ? p.shown.medId : p.med.value;
    $("pl-meds-pick").replaceChildren(new Option("Nothing from the list", ""),
      ...p.data.interactions.items.filter((item) => !item.only_for.length || item.only_for.includes(medId))
        .map((item) => new Option(item.with, item.with)));
  }

  /** The reader's list, and each dangerous combination in data/interactions.yaml that it matches. @param {Planner} p */
  function checkMedicines(p) {
    const hits = p.data.interactions.items.map((item) => /** @type {[Interaction, string[]]} */ ([item, matchesOf(p, item)]))
      .filter(([, listed]) => listed.length);
    const status = !p.medicines.length ? "" : hits.length ?
      `Your list matches ${hits.length} of the dangerous combinations we list. Talk to your prescriber or ` +
        "pharmacist about each one. Do not stop or start anything on your own." :
      "Nothing on your list matches the dangerous combinations we list.";
    $("pl-meds-status").textContent = status;
    $("pl-meds-check").replaceChildren(...hits.map(([item, listed]) =>
      el("div", { className: `sbw-ix-found sbw-ix-${item.severity}`, id: `pl-ix-${item.id}` },
        el("p", {}, el("strong", { textContent: item.with }), " ",
          el("span", { className: "sbw-severity", textContent: `(${item.severity_label})` }), cite(item.sources)),
        el("p", { textContent: `You listed: ${listed.join(", ")}.` }),
        el("p", { textContent: `What can happen: ${item.effect}` }),
        el("p", { textContent: `What to do: ${item.what_to_do}` }))));
    markCited(p, new Set([p.data.guideline.source, ...p.cited, ...hits.flatMap(([item]) => item.sources.map((s) => s.id))]));
    planQuestions(p, p.shown ? p.shown.rows : []);
  }

  /** The reader's list with a Remove button each, then the check against it. @param {Planner} p */
  function showMedicines(p) {
    const list = $("pl-meds-list");
    list.replaceChildren(...p.medicines.map((m, i) => {
      const remove = el("button", { type: "button", className: "md-button sbw-remove", textContent: "Remove" });
      remove.setAttribute("aria-label", `Remove ${m}`);
      remove.addEventListener("click", () => {
        p.medicines.splice(i, 1);
        showMedicines(p);
        save(p);
        $("pl-meds-text").focus();
      });
      return el("li", {}, el("span", { textContent: m }), " ", remove);
    }));
    list.hidden = !p.medicines.length;
    checkMedicines(p);
  }

  /** Add what the reader picked or typed (or say that there is nothing to add). @param {Planner} p @param {Event} event */
  function addMedicines(p, event) {
    event.preventDefault();
    const pick = /** @type {HTMLSelectElement} */ ($("pl-meds-pick")), typed = /** @type {HTMLInputElement} */ ($("pl-meds-text"));
    const error = $("pl-meds-text-error");
    const add = [pick.value, typed.value.trim()].filter(Boolean);
    error.textContent = add.length ? "" : "Choose an item from the list or type a name first.";
    typed.setAttribute("aria-invalid", add.length ? "false" : "true");
    if (!add.length) {
      typed.focus();
      return;
    }
    for (const m of add) if (!p.medicines.includes(m)) p.medicines.push(m);
    pick.value = "";
    typed.value = "";
    showMedicines(p);
    save(p);
  }

  /** The .ics file, offered only with a start date; the last plan's file is let go. @param {Planner} p @param {PlanSpec} spec @param {Row[]} rows @param {string} start */
  function offerCalendar(p, spec, rows, start) {
    const link = /** @type {HTMLAnchorElement} */ ($("pl-ics"));
    if (p.icsUrl) URL.revokeObjectURL(p.icsUrl);
    p.icsUrl = null;
    link.removeAttribute("href");
    if (start) {
      p.icsUrl = URL.createObjectURL(new Blob([calendar(spec, rows, start)], { type: "text/calendar;charset=utf-8" }));
      Object.assign(link, { href: p.icsUrl, download: `taper-plan-${start}.ics` });
    }
    link.hidden = !start;
    $("pl-ics-none").hidden = Boolean(start);
  }

  /** The pack for the plan now on screen: inputs, chart, diary, medicine check, calendar file. @param {Planner} p @param {PlanSpec} spec @param {Row[]} rows @param {string} start */
  function showPack(p, spec, rows, start) {
    p.shown = { spec, rows, start, medId: p.med.value };
    packHead(p, spec, rows, start);
    $("pl-chart").replaceChildren(taperChart(rows, unitOf(spec), "Your draft plan: the daily dose week by week", "planner"));
    $("pl-diary").replaceChildren(diary(spec, rows, start));
    fillPick(p);
    showMedicines(p);
    offerCalendar(p, spec, rows, start);
    document.body.classList.add("sbw-has-plan");
  }

  /** No plan, no pack: print shows the blank form's page. @param {Planner} p */
  function hidePack(p) {
    p.shown = null;
    document.body.classList.remove("sbw-has-plan");
  }

  // ---------------------------------------------------------------- remembering (opt-in)
  /** localStorage may be off or full (private windows, settings): every call copes. */
  const store = {
    /** What is kept: undefined if nothing is (or storage is off), null if it is not JSON. @returns {unknown} */
    get() {
      let text;
      try { text = localStorage.getItem(STORE_KEY); } catch { return undefined; }
      if (text === null) return undefined;
      try { return JSON.parse(text); } catch { return null; }
    },
    set(/** @type {unknown} */ value) { try { localStorage.setItem(STORE_KEY, JSON.stringify(value)); return true; } catch { return false; } },
    clear() { try { localStorage.removeItem(STORE_KEY); } catch { /* storage is off: nothing was kept */ } },
  };
  const say = (/** @type {string} */ text) => { $("pl-remember-status").textContent = text; };

  /** Keep the form and the medicine list in localStorage, only while the reader has ticked the box. @param {Planner} p */
  function save(p) {
    if (p.restoring || !p.rememberBox.checked) return;
    /** @type {Partial<FormValues>} */
    const values = {};
    for (const field of FIELDS) {
      const c = controlOf(field);
      if (c) values[field] = c.type === "checkbox" ? (/** @type {HTMLInputElement} */ (c).checked ? c.value : "") : c.value;
    }
    if (!store.set({ version: 1, values, medicines: p.medicines, holds: p.holds, holdsFor: p.holdsFor })) say("This browser does not let the page keep your answers.");
  }

  /** The selects a saved answer names something in the data with, as the reader would hear them named. */
  const CHOICE_NAMES = /** @type {Partial<Record<FieldName, string>>} */ ({
    medication: "the medicine",
    formulation: "the form you take",
    equivalence_source: "the equivalent dose for the switch",
    diazepam_formulation: "the diazepam tablets to switch to",
    tail: "the liquid for the smallest doses",
  });
  /** Whether a select offers this value now (a disabled option is not on offer). */
  const offers = (/** @type {HTMLSelectElement} */ select, /** @type {string} */ value) =>
    [...select.options].some((o) => o.value === value && !o.disabled);
  /** "a", "a and b", "a, b and c" */
  const listOf = (/** @type {string[]} */ items) =>
    items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
  /**
   * What save() writes: an object of version 1 whose values are an object.
   * @param {unknown} saved
   * @returns {saved is {version: 1, values: Record<string, unknown>, medicines?: unknown, holds?: unknown, holdsFor?: unknown}}
   */
  function readable(saved) {
    const isObject = (/** @type {unknown} */ v) => typeof v === "object" && v !== null && !Array.isArray(v);
    return isObject(saved) && /** @type {{version?: unknown}} */ (saved).version === 1 &&
      isObject(/** @type {{values?: unknown}} */ (saved).values);
  }

  /** Answers that belong to the medicine chosen: left out with it when it is gone. */
  const OF_THE_MEDICINE = new Set(["formulation", "dose", "doses", "crossover", "equivalence_source",
    "diazepam_formulation", "tail", "tail_below", "stop_at"]);

  /**
   * Put saved answers back as if typed (each control's change handlers run), then make the plan.
   * Saved answers may name what the data no longer has (a medicine, a form, a source) after the
   * site changed: a choice the select does not offer at that moment is left out, the record is
   * kept without it, the reader is told, and no plan is made until they have looked at the form.
   * @param {Planner} p
   */
  function restore(p) {
    const saved = store.get();
    if (saved === undefined) return; // nothing kept, or storage is off
    if (!readable(saved)) {
      store.clear();
      say("Your saved answers could not be read, so they were removed from this device.");
      return;
    }
    const values = saved.values, kept = { ...values };
    /** @type {string[]} */
    const dropped = [];
    p.restoring = true;
    let medicineGone = false;
    for (const field of FIELDS) { // in order: a medicine's forms are filled before one is chosen
      const c = controlOf(field), value = values[field];
      if (!c || value == null) continue;
      if (medicineGone && OF_THE_MEDICINE.has(field)) { // a dose in mg of another medicine would mislead
        delete kept[field];
        continue;
      }
      if (c.type === "checkbox") /** @type {HTMLInputElement} */ (c).checked = Boolean(value);
      else if (c instanceof HTMLSelectElement && !offers(c, String(value))) {
        delete kept[field]; // not on offer now: the select keeps what the page chose
        medicineGone = field === "medication";
        dropped.push(medicineGone ? "the medicine, with its doses and forms" : CHOICE_NAMES[field] || field);
        continue;
      } else c.value = String(value);
      c.dispatchEvent(new Event("change", { bubbles: true }));
    }
    p.medicines = Array.isArray(saved.medicines) ? saved.medicines.filter((/** @type {unknown} */ m) => typeof m === "string").slice(0, 50) : [];
    const isHold = (/** @type {unknown} */ h) => Array.isArray(h) && h.length === 2 &&
      h.every((n) => Number.isInteger(n)) && h[0] >= 0 && h[1] >= 1 && h[1] <= MAX_HOLD_WEEKS;
    p.holds = Array.isArray(saved.holds) ? saved.holds.filter(isHold).slice(0, 100) : [];
    p.holdsFor = typeof saved.holdsFor === "string" ? saved.holdsFor : "";
    p.rememberBox.checked = true;
    p.restoring = false;
    if (dropped.length) {
      store.set({ version: 1, values: kept, medicines: p.medicines, holds: p.holds, holdsFor: p.holdsFor });
      say(`Some saved answers no longer match this site's medicines and were left out: ${listOf(dropped)}. ` +
        "Check the form, then make your plan.");
      return;
    }
    say("Your saved answers are filled in.");
    submit(p, new Event("restore", { cancelable: true }));
  }

  // ---------------------------------------------------------------- wiring
  // The order matters where two handlers share an element and event: see the form's "reset".

  /** @param {Planner} p */
  function wirePack(p) {
    $("pl-meds-form").addEventListener("submit", (event) => addMedicines(p, event));
    $("pl-print").addEventListener("click", () => window.print());
  }

  /** @param {Planner} p */
  function wireStorage(p) {
    const { rememberBox, form } = p;
    rememberBox.addEventListener("change", () => {
      if (rememberBox.checked) {
        save(p);
        say("Your answers will be kept on this device until you press \u201cForget my answers\u201d.");
      } else {
        store.clear();
        say("Your answers are no longer kept on this device.");
      }
    });
    $("pl-forget").addEventListener("click", () => {
      store.clear();
      rememberBox.checked = false;
      say("Your answers have been removed from this device.");
    });
    form.addEventListener("input", () => save(p));
    form.addEventListener("change", () => save(p));
    form.addEventListener("reset", () => {
      hidePack(p);
      setTimeout(() => save(p)); // once the browser has put the defaults back
    });
  }

  /** @param {Planner} p */
  function wireForm(p) {
    p.med.addEventListener("change", () => fillForms(p));
    p.formulation.addEventListener("change", () => fillSwitch(p)); // diazepam tablets of the same market, and the tail
    p.crossBox.addEventListener("change", () => showSwitch(p));
    p.form.addEventListener("submit", (event) => submit(p, event));
    p.form.addEventListener("reset", () => { p.out.hidden = true; p.holds = []; showErrors({}); setTimeout(() => fillForms(p)); });
  }

  /** The planner on docs/planner.md: set up the form from the data, put back saved answers, show it. @param {PlannerData} data */
  function page(data) {
    /** @type {Planner} */
    const p = {
      data,
      form: /** @type {HTMLFormElement} */ ($("planner-form")),
      out: $("planner-output"),
      med: /** @type {HTMLSelectElement} */ ($("pl-medication")),
      formulation: /** @type {HTMLSelectElement} */ ($("pl-formulation")),
      tail: /** @type {HTMLSelectElement} */ ($("pl-tail")),
      crossBox: /** @type {HTMLInputElement} */ ($("pl-crossover")),
      eqSelect: /** @type {HTMLSelectElement} */ ($("pl-equivalence-source")),
      dzSelect: /** @type {HTMLSelectElement} */ ($("pl-diazepam-formulation")),
      rememberBox: /** @type {HTMLInputElement} */ ($("pl-remember")),
      refs: numberReferences(),
      shown: null,
      medicines: [],
      icsUrl: null,
      restoring: false,
      holds: [],
      holdsFor: "",
      cited: new Set(),
    };
    wirePack(p);
    wireStorage(p); // its reset handler runs before the form's
    setUpPace(data.guideline);
    $("pl-older-age").textContent = fmtMg(data.cautions.older.value); // years, from the fact settings.yaml names
    wireForm(p);
    fillForms(p);
    restore(p);
    $("planner").hidden = false;
  }

  if (typeof document !== "undefined") {
    const go = () => {
      const node = document.getElementById("planner-data");
      if (node && document.getElementById("planner-form")) page(JSON.parse(node.textContent));
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
    else go();
  }
})();
