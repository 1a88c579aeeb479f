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

  const { run, validate, FIELD_FOR } = globalThis.SBWTaper;

  /** @type {FieldName[]} */
  const FIELDS = ["medication", "formulation", "dose", "doses", "crossover", "equivalence_source", "diazepam_formulation",
    "percent", "interval", "tail", "tail_below", "start_date"];
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
   * macros/render.py taper_chart, so the planner's chart looks like the example schedules'.
   * @param {Row[]} rows @param {string} unit @param {string} title @param {string} id
   */
  function taperChart(rows, unit, title, id) {
    const width = 640, height = 280, left = 56, right = 16, top = 16, bottom = 44;
    const plotW = width - left - right, plotH = height - top - bottom;
    const mg = rows.map((r) => Q.of(r.daily_exact).toNumber());
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
    const desc = `Daily dose falls from ${rows[0].daily_mg} ${unit} at week 0 to 0 at week ` +
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
        r.kind === "crossover" ? "switch a dose to diazepam" : `${drug} ${r.daily_mg} mg a day`;
      const details = [`What to take in a day: ${r.take}`, ...r.notes, ...r.warnings.map((w) => `Warning: ${w}`),
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

  const STORE_KEY = "sbw-planner"; // localStorage, only after the reader ticks "Remember my answers"

  function page(data) {
    const $ = (id) => document.getElementById(id);
    const form = $("planner-form"), out = $("planner-output");
    const med = $("pl-medication"), formulation = $("pl-formulation"), tail = $("pl-tail");
    const current = () => data.medications.find((m) => m.id === med.value);

    function fillTail() {
      const liquids = switching()
        ? dzMed().formulations.filter((f) => f.liquid)
        : current().formulations.filter((f) => f.liquid && f.id !== formulation.value);
      tail.replaceChildren(new Option("No liquid", ""), ...liquids.map((f) => new Option(f.label, f.id)));
      tail.disabled = !liquids.length;
      $("pl-tail-below").disabled = !liquids.length;
      $("pl-tail-below-unit").textContent = tailUnit(); // after a switch the liquid is diazepam's
    }
    const tailUnit = () => `mg of ${switching() ? dzMed().generic : current().generic}`;
    // ------------------------------------------------------------ the switch to diazepam
    const crossBox = $("pl-crossover"), eqSelect = $("pl-equivalence-source"), dzSelect = $("pl-diazepam-formulation");
    const dzMed = () => data.medications.find((m) => m.id === data.crossover.medication);
    const switching = () => crossBox.checked && !crossBox.disabled;
    const apart = (weeks) => (weeks === 1 ? "a week apart" : `${weeks} weeks apart`);

    /** Offer the switch only for another medicine with a single-value equivalent; list every source. */
    function fillSwitch() {
      const m = current(), dz = dzMed(), usable = m.equivalents.filter((e) => e.mg_per_diazepam_10);
      crossBox.disabled = m.id === dz.id || !usable.length;
      if (crossBox.disabled) crossBox.checked = false;
      $("pl-crossover-help").textContent = m.id === dz.id
        ? `You take ${dz.generic} already, so there is nothing to switch.`
        : !usable.length
          ? `No source on this site gives one dose of ${m.generic} equal to ${dz.generic} 10 mg, so the planner cannot work out a switch.`
          : `Changes one dose of the day at a time to ${dz.generic}, ${apart(data.crossover.step_weeks)}, ` +
            `last dose first, then tapers ${dz.generic}. Ask your prescriber whether a switch suits you.`;
      const keep = eqSelect.value;
      eqSelect.replaceChildren(new Option("Choose a source", ""), ...m.equivalents.map((e) =>
        Object.assign(new Option(e.unavailable ? `${e.option}: ${e.unavailable}` : e.option, e.id), { disabled: Boolean(e.unavailable) })));
      eqSelect.value = usable.some((e) => e.id === keep) ? keep : "";
      const tablets = dz.formulations.filter((f) => !f.liquid);
      const market = (current().formulations.find((f) => f.id === formulation.value) || {}).markets;
      dzSelect.replaceChildren(...tablets.map((f) => new Option(f.label, f.id)));
      dzSelect.value = (tablets.find((f) => f.markets === market) || tablets[0]).id;
      showSwitch();
    }
    function showSwitch() {
      const on = switching();
      for (const id of ["pl-switch-source", "pl-switch-form"]) $(id).hidden = !on;
      eqSelect.disabled = dzSelect.disabled = !on;
      fillTail();
    }

    function fillForms() {
      formulation.replaceChildren(...current().formulations.map((f) => new Option(f.label, f.id)));
      fillSwitch(); // and the tail
    }

    function showErrors(errors, focus = true) {
      let first = null;
      for (const field of FIELDS) {
        const control = $(controlId(field)), message = $(`${controlId(field)}-error`);
        if (!control || !message) continue;
        message.textContent = errors[field] || "";
        control.setAttribute("aria-invalid", errors[field] ? "true" : "false");
        if (errors[field] && !first) first = control;
      }
      if (first && focus) first.focus();
    }

    function dateOf(start, week) {
      if (!start) return null;
      const d = new Date(`${start}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + 7 * week);
      return d.toLocaleDateString(undefined, { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" });
    }

    /** A date for people, with the ISO date for machines (and tests): <time datetime="2026-12-15">. */
    const timeOf = (start, week) =>
      el("time", { dateTime: addWeeks(start, week).toISOString().slice(0, 10), textContent: dateOf(start, week) });

    function render(spec, rows, start) {
      const cell = (text) => el("td", { textContent: text });
      const heads = ["Step", "Week", ...(start ? ["Date"] : []), `Daily dose (${unitOf(spec)})`,
        "Cut from previous dose", "Cut from starting dose", "What to take in a day"];
      const body = rows.map((r) => {
        const take = el("td", { textContent: r.take });
        for (const n of r.notes) take.append(el("span", { className: "sbw-note", textContent: n }));
        for (const w of r.warnings) {
          take.append(el("span", { className: "sbw-warning" }, el("strong", { textContent: "Warning:" }), ` ${w}`));
        }
        const cut = (pct) => (r.kind === "start" || r.kind === "crossover" ? "—" : `${pct}%`);
        const cls = r.warnings.length ? "sbw-warn" : { "final-stop": "sbw-final", crossover: "sbw-cross" }[r.kind] || "";
        return el("tr", { className: cls },
          el("th", { scope: "row", textContent: String(r.step) }), cell(String(r.week)),
          ...(start ? [el("td", {}, timeOf(start, r.week))] : []), cell(r.daily_mg),
          cell(cut(r.cut_prev_pct)), cell(cut(r.cut_start_pct)), take);
      });
      const table = el("table", { className: "sbw-table sbw-schedule sbw-stack", id: "planner-table" },
        el("caption", { id: "planner-table-caption", textContent: "Your draft plan: every step (to discuss with your prescriber)" }),
        el("thead", {}, el("tr", {}, ...heads.map((h) => el("th", { scope: "col", textContent: h })))),
        el("tbody", {}, ...body));
      stackable(table, heads);
      const last = rows[rows.length - 1], warned = rows.filter((r) => r.warnings.length);
      const when = start ? ` (${dateOf(start, last.week)})` : "";
      $("pl-summary").textContent =
        `${rows.length - 1} steps over ${last.week} weeks${when}, about ${Math.round(last.week / 4.345)} months. ` +
        (warned.length ? `${warned.length} step(s) are bigger than the guideline allows: see the warnings.` :
          "No step is bigger than the guideline allows.");
      const list = $("pl-warnings");
      list.replaceChildren(...warned.map((r) => el("li", { textContent: `Step ${r.step}: ${r.warnings.join(" ")}` })));
      list.hidden = !warned.length;
      $("pl-table").replaceChildren(scrollBox(table, "planner-table-caption"));
      out.hidden = false;
      showPack(spec, rows, start);
    }

    function submit(event) {
      event.preventDefault();
      const valueOf = (c) => (c.disabled ? "" : c.type === "checkbox" ? (c.checked ? c.value : "") : c.value);
      const values = Object.fromEntries(FIELDS.map((f) => [f, valueOf($(controlId(f)))]));
      const { errors, spec } = validate(data, values);
      let result = null;
      if (spec) {
        result = run(spec);
        if (result.error) errors[FIELD_FOR[result.error.field] || "percent"] = `This plan cannot be made: ${result.error.message}.`;
      }
      showErrors(errors, event.type === "submit");
      if (!spec || result.error) {
        out.hidden = true;
        hidePack();
        $("pl-summary").textContent = "";
        return;
      }
      render(spec, result.rows, values.start_date);
    }

    // ------------------------------------------------------------ the appointment pack
    let shown = null; // the plan on screen: {spec, rows, start, medId}
    let medicines = []; // what the reader listed: other medicines, drinks and drugs
    let icsUrl = null;
    const combos = data.interactions;
    const chosenText = (id) => {
      const c = $(id);
      return c && !c.disabled && c.selectedOptions && c.selectedOptions[0] ? c.selectedOptions[0].text : "";
    };

    // The reference list keeps its numbers when print shows only the sources the pack cites.
    const refs = [...document.querySelectorAll("ol.sbw-references > li[id^='ref-']")];
    refs.forEach((li, i) => { li.value = i + 1; });
    const markCited = (ids) => refs.forEach((li) => li.classList.toggle("sbw-pack-cited", ids.has(li.id.slice(4))));

    /** Citations as the rest of the site shows them: [n] linking to this page's reference list. */
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

    function packHead(spec, rows, start) {
      const items = [
        ["Medicine", [chosenText("pl-medication"), chosenText("pl-formulation")].filter(Boolean).join(", ")],
        [`Daily dose at the start (${unitOf(spec)})`, `${rows[0].daily_mg}, taken as ${rows[0].take}`],
        ["Pace", `cut ${$("pl-percent").value}% of the dose every ${spec.interval_weeks} week(s)`],
      ];
      if (spec.crossover) {
        items.splice(2, 0, ["Switch to diazepam", `one dose at a time, every ${spec.crossover.step_weeks} week(s), last dose ` +
          `of the day first, using ${spec.crossover.source_label}; then diazepam ${chosenText("pl-diazepam-formulation")}`]);
      }
      if (spec.tail) items.push(["Liquid for small doses", `${chosenText("pl-tail")}, from ${$("pl-tail-below").value} ${tailUnit()} a day`]);
      items.push(["Start date", start ? dateOf(start, 0) : "not chosen yet"]);
      const today = new Date().toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
      const canonical = document.querySelector("link[rel=canonical]"); // the public address, not a local file path
      items.push(["Made", `${today}, with the taper planner at ${canonical ? canonical.href : location.href.split("#")[0]}`]);
      $("pl-pack-inputs").replaceChildren(...items.flatMap(([k, v]) => [el("dt", { textContent: k }), el("dd", { textContent: v })]));
    }

    /** A blank symptom diary for the first weeks, one row a week, with the planned dose (and date). */
    function diary(spec, rows, start) {
      const weeks = Math.min(8, rows[rows.length - 1].week + 1);
      const heads = ["Week", "Date", `Planned dose a day (${unitOf(spec)})`, "Sleep (hours, and 0–10)",
        "Anxiety (0–10)", "Other symptoms (0–10)"];
      const body = [];
      for (let week = 0; week < weeks; week++) {
        const r = rows.filter((row) => row.week <= week).pop();
        const dose = (r.week === week && r.step ? `Step ${r.step}: ` : "") + r.daily_mg;
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

    function matchesOf(item) {
      return shown ? medicines.filter((m) => interactionMatches(item, m, shown.medId, combos.medicines)) : [];
    }

    function planQuestions(rows) {
      const items = [];
      const warned = rows.filter((r) => r.warnings.length).map((r) => r.step);
      if (warned.length) {
        items.push(`Step(s) ${warned.join(", ")} cut more than the guideline suggests (see the warnings). ` +
          "What would make a smaller step possible?");
      }
      const found = medicines.filter((m) => combos.items.some((item) => matchesOf(item).includes(m)));
      if (found.length) items.push(`I also take ${found.join(", ")}. Is that safe with my taper, and what should we watch for?`);
      $("pl-q-switch").hidden = Boolean(shown && (shown.spec.crossover || shown.spec.drug === "diazepam"));
      const list = $("pl-questions-plan");
      list.replaceChildren(...items.map((t) => el("li", { textContent: t })));
      list.hidden = !items.length;
    }

    function fillPick() {
      const medId = shown ? shown.medId : med.value;
      $("pl-meds-pick").replaceChildren(new Option("Nothing from the list", ""),
        ...combos.items.filter((item) => !item.only_for.length || item.only_for.includes(medId))
          .map((item) => new Option(item.with, item.with)));
    }

    /** The reader's list, and each dangerous combination in data/interactions.yaml that it matches. */
    function checkMedicines() {
      const hits = combos.items.map((item) => [item, matchesOf(item)]).filter(([, listed]) => listed.length);
      const status = !medicines.length ? "" : hits.length ?
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
      markCited(new Set([data.guideline.source, ...hits.flatMap(([item]) => item.sources.map((s) => s.id))]));
      planQuestions(shown ? shown.rows : []);
    }

    function showMedicines() {
      const list = $("pl-meds-list");
      list.replaceChildren(...medicines.map((m, i) => {
        const remove = el("button", { type: "button", className: "md-button sbw-remove", textContent: "Remove" });
        remove.setAttribute("aria-label", `Remove ${m}`);
        remove.addEventListener("click", () => {
          medicines.splice(i, 1);
          showMedicines();
          save();
          $("pl-meds-text").focus();
        });
        return el("li", {}, el("span", { textContent: m }), " ", remove);
      }));
      list.hidden = !medicines.length;
      checkMedicines();
    }

    function showPack(spec, rows, start) {
      shown = { spec, rows, start, medId: med.value };
      packHead(spec, rows, start);
      $("pl-chart").replaceChildren(taperChart(rows, unitOf(spec), "Your draft plan: the daily dose week by week", "planner"));
      $("pl-diary").replaceChildren(diary(spec, rows, start));
      fillPick();
      showMedicines();
      const link = $("pl-ics");
      if (icsUrl) URL.revokeObjectURL(icsUrl);
      icsUrl = null;
      link.removeAttribute("href");
      if (start) {
        icsUrl = URL.createObjectURL(new Blob([calendar(spec, rows, start)], { type: "text/calendar;charset=utf-8" }));
        Object.assign(link, { href: icsUrl, download: `taper-plan-${start}.ics` });
      }
      link.hidden = !start;
      $("pl-ics-none").hidden = Boolean(start);
      document.body.classList.add("sbw-has-plan");
    }

    function hidePack() {
      shown = null;
      document.body.classList.remove("sbw-has-plan");
    }

    $("pl-meds-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const pick = $("pl-meds-pick"), typed = $("pl-meds-text"), error = $("pl-meds-text-error");
      const add = [pick.value, typed.value.trim()].filter(Boolean);
      error.textContent = add.length ? "" : "Choose an item from the list or type a name first.";
      typed.setAttribute("aria-invalid", add.length ? "false" : "true");
      if (!add.length) {
        typed.focus();
        return;
      }
      for (const m of add) if (!medicines.includes(m)) medicines.push(m);
      pick.value = "";
      typed.value = "";
      showMedicines();
      save();
    });
    $("pl-print").addEventListener("click", () => window.print());

    // ------------------------------------------------------------ remembering (opt-in)
    const rememberBox = $("pl-remember");
    let restoring = false;
    const say = (text) => { $("pl-remember-status").textContent = text; };
    const store = {
      get() { try { return JSON.parse(localStorage.getItem(STORE_KEY) || "null"); } catch { return null; } },
      set(value) { try { localStorage.setItem(STORE_KEY, JSON.stringify(value)); return true; } catch { return false; } },
      clear() { try { localStorage.removeItem(STORE_KEY); } catch { /* storage is off: nothing was kept */ } },
    };
    /** Keep the form and the medicine list in localStorage, only while the reader has ticked the box. */
    function save() {
      if (restoring || !rememberBox.checked) return;
      const values = {};
      for (const field of FIELDS) {
        const c = $(controlId(field));
        if (c) values[field] = c.type === "checkbox" ? (c.checked ? c.value : "") : c.value;
      }
      if (!store.set({ version: 1, values, medicines })) say("This browser does not let the page keep your answers.");
    }
    function restore() {
      const saved = store.get();
      if (!saved || typeof saved.values !== "object" || saved.values === null) return;
      restoring = true;
      for (const field of FIELDS) { // in order: a medicine's forms are filled before one is chosen
        const c = $(controlId(field)), value = saved.values[field];
        if (!c || value == null) continue;
        if (c.type === "checkbox") c.checked = Boolean(value);
        else c.value = String(value);
        c.dispatchEvent(new Event("change", { bubbles: true }));
      }
      medicines = Array.isArray(saved.medicines) ? saved.medicines.filter((m) => typeof m === "string").slice(0, 50) : [];
      rememberBox.checked = true;
      restoring = false;
      say("Your saved answers are filled in.");
      submit(new Event("restore", { cancelable: true }));
    }
    rememberBox.addEventListener("change", () => {
      if (rememberBox.checked) {
        save();
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
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("reset", () => {
      hidePack();
      setTimeout(save);
    });

    const g = data.guideline;
    Object.assign($("pl-percent"), { min: g.cut_min, max: g.cut_max, step: "0.5" });
    Object.assign($("pl-interval"), { min: g.interval_min, max: g.interval_max, step: "1" });
    $("pl-percent-help").textContent =
      `${g.name}: ${g.cut_min}% to ${g.cut_max}% every ${g.interval_min} to ${g.interval_max} weeks to start with, ` +
      `and never more than ${g.max_cut_percent}% in ${g.max_cut_weeks} weeks. For another pace, ask your prescriber.`;
    med.addEventListener("change", fillForms);
    formulation.addEventListener("change", fillSwitch); // diazepam tablets of the same market, and the tail
    crossBox.addEventListener("change", showSwitch);
    form.addEventListener("submit", submit);
    form.addEventListener("reset", () => { out.hidden = true; showErrors({}); setTimeout(fillForms); });
    fillForms();
    restore();
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
