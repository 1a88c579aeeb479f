/* The taper planner page (docs/planner.md): reads the form, asks taper-engine.js
 * (window.SBWTaper) for the plan and shows it. It sends nothing anywhere and stores nothing.
 */
(function () {
  "use strict";

  const { run, validate, FIELD_FOR } = globalThis.SBWTaper;

  const FIELDS = ["medication", "formulation", "dose", "percent", "interval", "tail", "tail_below", "start_date"];
  const controlId = (field) => `pl-${field.replace("_", "-")}`;

  function el(tag, props = {}, ...children) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  }

  function page(data) {
    const $ = (id) => document.getElementById(id);
    const form = $("planner-form"), out = $("planner-output");
    const med = $("pl-medication"), formulation = $("pl-formulation"), tail = $("pl-tail");
    const current = () => data.medications.find((m) => m.id === med.value);

    function fillTail() {
      const liquids = current().formulations.filter((f) => f.liquid && f.id !== formulation.value);
      tail.replaceChildren(new Option("No liquid", ""), ...liquids.map((f) => new Option(f.label, f.id)));
      tail.disabled = !liquids.length;
      $("pl-tail-below").disabled = !liquids.length;
    }
    function fillForms() {
      formulation.replaceChildren(...current().formulations.map((f) => new Option(f.label, f.id)));
      fillTail();
    }

    function showErrors(errors) {
      let first = null;
      for (const field of FIELDS) {
        const control = $(controlId(field)), message = $(`${controlId(field)}-error`);
        if (!control || !message) continue;
        message.textContent = errors[field] || "";
        control.setAttribute("aria-invalid", errors[field] ? "true" : "false");
        if (errors[field] && !first) first = control;
      }
      if (first) first.focus();
    }

    function dateOf(start, week) {
      if (!start) return null;
      const d = new Date(`${start}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + 7 * week);
      return d.toLocaleDateString(undefined, { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" });
    }

    function render(spec, rows, start) {
      const cell = (text) => el("td", { textContent: text });
      const heads = ["Step", "Week", ...(start ? ["Date"] : []), `Daily dose (${spec.drug} mg)`,
        "Cut from previous dose", "Cut from starting dose", "What to take in a day"];
      const body = rows.map((r) => {
        const take = el("td", { textContent: r.take });
        for (const n of r.notes) take.append(el("span", { className: "sbw-note", textContent: n }));
        for (const w of r.warnings) {
          take.append(el("span", { className: "sbw-warning" }, el("strong", { textContent: "Warning:" }), ` ${w}`));
        }
        const cut = (pct) => (r.kind === "start" ? "—" : `${pct}%`);
        const cls = r.warnings.length ? "sbw-warn" : r.kind === "final-stop" ? "sbw-final" : "";
        return el("tr", { className: cls },
          el("th", { scope: "row", textContent: String(r.step) }), cell(String(r.week)),
          ...(start ? [cell(dateOf(start, r.week))] : []), cell(r.daily_mg),
          cell(cut(r.cut_prev_pct)), cell(cut(r.cut_start_pct)), take);
      });
      const table = el("table", { className: "sbw-table sbw-schedule", id: "planner-table" },
        el("caption", { textContent: "Your draft plan: every step (to discuss with your prescriber)" }),
        el("thead", {}, el("tr", {}, ...heads.map((h) => el("th", { scope: "col", textContent: h })))),
        el("tbody", {}, ...body));
      const last = rows[rows.length - 1], warned = rows.filter((r) => r.warnings.length);
      const when = start ? ` (${dateOf(start, last.week)})` : "";
      $("pl-summary").textContent =
        `${rows.length - 1} steps over ${last.week} weeks${when}, about ${Math.round(last.week / 4.345)} months. ` +
        (warned.length ? `${warned.length} step(s) are bigger than the guideline allows: see the warnings.` :
          "No step is bigger than the guideline allows.");
      const list = $("pl-warnings");
      list.replaceChildren(...warned.map((r) => el("li", { textContent: `Step ${r.step}: ${r.warnings.join(" ")}` })));
      list.hidden = !warned.length;
      $("pl-table").replaceChildren(table);
      out.hidden = false;
    }

    function submit(event) {
      event.preventDefault();
      const values = Object.fromEntries(FIELDS.map((f) => [f, $(controlId(f)).disabled ? "" : $(controlId(f)).value]));
      const { errors, spec } = validate(data, values);
      let result = null;
      if (spec) {
        result = run(spec);
        if (result.error) errors[FIELD_FOR[result.error.field] || "percent"] = `This plan cannot be made: ${result.error.message}.`;
      }
      showErrors(errors);
      if (!spec || result.error) {
        out.hidden = true;
        $("pl-summary").textContent = "";
        return;
      }
      render(spec, result.rows, values.start_date);
    }

    const g = data.guideline;
    Object.assign($("pl-percent"), { min: g.cut_min, max: g.cut_max, step: "0.5" });
    Object.assign($("pl-interval"), { min: g.interval_min, max: g.interval_max, step: "1" });
    $("pl-percent-help").textContent =
      `${g.name}: ${g.cut_min}% to ${g.cut_max}% every ${g.interval_min} to ${g.interval_max} weeks to start with, ` +
      `and never more than ${g.max_cut_percent}% in ${g.max_cut_weeks} weeks. For another pace, ask your prescriber.`;
    med.addEventListener("change", fillForms);
    formulation.addEventListener("change", fillTail);
    form.addEventListener("submit", submit);
    form.addEventListener("reset", () => { out.hidden = true; showErrors({}); setTimeout(fillForms); });
    fillForms();
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
