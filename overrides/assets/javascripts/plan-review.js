/* What the planner says about a plan besides its rows (docs/planner.md): the cautions that
 * data/settings.yaml's planner_cautions asks for, each in words from data/facts.yaml with its
 * source, and the same start tapered by fixed steps, side by side. DOM-free like taper-engine.js
 * (window.SBWTaper), which it reads; node tests (tests/planner/review_cases.mjs) run it too.
 */
// @ts-check

/** @typedef {import("./taper-engine.js").PlannerData} PlannerData */
/** @typedef {import("./taper-engine.js").Medication} Medication */
/** @typedef {import("./taper-engine.js").Formulation} Formulation */
/** @typedef {import("./taper-engine.js").FormValues} FormValues */
/** @typedef {import("./taper-engine.js").PlanSpec} PlanSpec */
/** @typedef {import("./taper-engine.js").Row} Row */
/**
 * One caution shown above a plan: a code tests can find, the words, and the source ids it cites.
 * @typedef {{code: string, text: string, sources: string[]}} Caution
 */
/**
 * One way to taper from the same start, as the comparison table shows it ("n/d" numbers).
 * @typedef {{way: "yours" | "fixed", amount: string, steps: number, weeks: number, largest: string,
 *   last: string, warnings: number} | {way: "yours" | "fixed", amount: string, error: string}} Way
 */

(function () {
  "use strict";

  const { Q, fmtMg, runWithCells } = globalThis.SBWTaper;
  /** @typedef {InstanceType<typeof Q>} Q */
  const ZERO = Q.of(0);
  const sum = (/** @type {Q[]} */ xs) => xs.reduce((a, b) => a.add(b), ZERO);
  const byId = (/** @type {PlannerData} */ data, /** @type {string} */ id) => data.medications.find((m) => m.id === id);

  /**
   * The lowest and highest diazepam mg that `mg` of this medicine equals by the sources on the site
   * (each source's own value or range), or null when no source gives one.
   * @param {PlannerData} data @param {Medication} med @param {Q} mg
   * @returns {[Q, Q] | null}
   */
  function diazepamRange(data, med, mg) {
    if (med.id === data.crossover.medication) return [mg, mg];
    if (!med.equivalents.length) return null;
    const per10 = med.equivalents.flatMap((e) => e.range.map(Q.of));
    const most = per10.reduce((a, b) => (a.gt(b) ? a : b)), least = per10.reduce((a, b) => (a.lt(b) ? a : b));
    return [mg.mul(10).div(most), mg.mul(10).div(least)];
  }
  const rangeText = (/** @type {[Q, Q]} */ [lo, hi]) => (lo.eq(hi) ? fmtMg(lo) : `${fmtMg(lo)}–${fmtMg(hi)}`);
  /** A ratio as people say it: 2, 1.5, 2.4 ("-fold"). @param {Q} r */
  const foldText = (r) => String(Math.round(r.toNumber() * 10) / 10);

  /**
   * A high starting dose: each threshold it is above, from data, and advice to plan with a specialist.
   * The dose counts as above when any source puts it there (the highest estimate).
   * @param {PlannerData} data @param {Medication} med @param {Q} mg @param {Row} start
   * @returns {Caution | null}
   */
  function highDose(data, med, mg, start) {
    const range = diazepamRange(data, med, mg);
    if (!range) return null;
    const above = data.cautions.high.filter((f) => range[1].gt(Q.of(f.value)));
    if (!above.length) return null;
    const isDiazepam = med.id === data.crossover.medication;
    const dose = isDiazepam
      ? `Diazepam ${fmtMg(mg)} mg a day is a high dose.`
      : `By the sources on this site, ${med.generic} ${fmtMg(mg)} mg a day is about diazepam ${rangeText(range)} mg a day` +
        (start.notes.some((n) => n.code === "equivalence") ? ` (${fmtMg(start.daily)} mg by the source this plan uses).` : ".");
    return {
      code: "high-dose",
      text: `${dose} ${above.map((f) => f.says).join(" ")} Plan this taper with a specialist service; this draft is not enough on its own.`,
      sources: above.map((f) => f.source),
    };
  }

  /**
   * Sources that disagree by spread_ratio or more, while the reader switches using one of them.
   * @param {PlannerData} data @param {Medication} med @param {Q} mg @param {PlanSpec} spec
   * @returns {Caution | null}
   */
  function spread(data, med, mg, spec) {
    if (!spec.crossover) return null;
    const range = /** @type {[Q, Q]} */ (diazepamRange(data, med, mg)); // a switch has at least one source
    const ratio = range[1].div(range[0]);
    if (ratio.lt(Q.of(data.cautions.spread_ratio))) return null;
    const chosen = mg.mul(10).div(Q.of(spec.crossover.mg_per_diazepam_10));
    return {
      code: "equivalence-spread",
      text: `The sources on this site differ up to ${foldText(ratio)}-fold for ${med.generic}: by them, ${fmtMg(mg)} mg a day ` +
        `is about diazepam ${rangeText(range)} mg a day. This plan uses ${spec.crossover.source_label} (diazepam ${fmtMg(chosen)} mg). ` +
        "Equivalent doses are estimates, and the right dose depends on the person: some people need more, some less. " +
        "Ask your prescriber which figure to start from, and what to do if you feel too drowsy or have withdrawal symptoms after a switch.",
      sources: [data.cautions.conversion_source],
    };
  }

  /**
   * Someone older switching to diazepam: the site's caution, with its source.
   * @param {PlannerData} data @param {FormValues} values @param {PlanSpec} spec
   * @returns {Caution | null}
   */
  function olderSwitch(data, values, spec) {
    if (!values.older || !spec.crossover) return null;
    const older = data.cautions.older;
    return {
      code: "older-switch",
      text: `For someone aged ${fmtMg(older.value)} or older: diazepam stays in the body a long time, and older or frail people ` +
        "may feel drowsy the next day. Ask the prescriber whether a switch suits you, or whether to taper the medicine you take now.",
      sources: [older.source, data.cautions.older_switch_source],
    };
  }

  /**
   * The smallest measured volume of the plan, when it is at or below the syringe fact.
   * @param {PlannerData} data @param {Row[]} rows
   * @returns {Caution | null}
   */
  function smallVolume(data, rows) {
    const volumes = rows.flatMap((r) => r.doses).filter((d) => d.ml !== null && Q.of(d.mg).gt(ZERO)).map((d) => Q.of(/** @type {string} */ (d.ml)));
    if (!volumes.length) return null;
    const least = volumes.reduce((a, b) => (a.lt(b) ? a : b));
    const fact = data.cautions.syringe;
    if (least.gt(Q.of(fact.value))) return null;
    return {
      code: "small-volume",
      text: `Some doses in this plan are as small as ${fmtMg(least)} mL of liquid. ${fact.says} ` +
        "Ask your pharmacist which syringe to use and how to measure these doses.",
      sources: [fact.source],
    };
  }

  /**
   * Forms in one plan that the data lists for no common market (a UK tablet with a US liquid).
   * @param {Formulation[]} forms
   * @returns {Caution | null}
   */
  function mixedMarkets(forms) {
    const shared = forms.slice(1).reduce((set, f) => set.filter((m) => f.market_ids.includes(m)), forms[0].market_ids);
    if (shared.length || forms.length < 2) return null;
    return {
      code: "mixed-markets",
      text: `This plan mixes forms sold in different countries: ${forms.map((f) => f.label).join("; and ")}. ` +
        "Check with your pharmacist that you can get each one where you live.",
      sources: [],
    };
  }

  /**
   * Every caution for a plan the reader made: validate()'s values and spec, and run()'s rows.
   * @param {PlannerData} data @param {FormValues} values @param {PlanSpec} spec @param {Row[]} rows
   * @returns {Caution[]}
   */
  function cautions(data, values, spec, rows) {
    const med = /** @type {Medication} */ (byId(data, values.medication)); // validate() found it
    const mg = sum(spec.start_doses.map(Q.of));
    const taken = /** @type {Formulation} */ (med.formulations.find((f) => f.id === values.formulation));
    const target = spec.crossover ? /** @type {Medication} */ (byId(data, data.crossover.medication)) : med;
    const forms = [taken];
    if (spec.crossover) forms.push(/** @type {Formulation} */ (target.formulations.find((f) => f.id === values.diazepam_formulation)));
    if (spec.tail) forms.push(/** @type {Formulation} */ (target.formulations.find((f) => f.id === values.tail)));
    return [highDose(data, med, mg, rows[0]), spread(data, med, mg, spec), olderSwitch(data, values, spec),
      smallVolume(data, rows), mixedMarkets(forms)].filter((c) => c !== null);
  }

  /**
   * The reader's plan and the same start by fixed steps: the first cut's mg at every cut
   * (the asked share of the starting dose), same interval and limit, no holds.
   * @param {PlanSpec} spec a proportional plan from validate()
   * @param {Q} start the day's total the taper starts from (diazepam mg after a switch)
   * @returns {Way[]}
   */
  function compare(spec, start) {
    const fixedMg = start.mul(Q.of(spec.amount));
    /** @type {[Way["way"], PlanSpec, string][]} */
    const ways = [["yours", { ...spec, holds: [] }, spec.amount], ["fixed", { ...spec, method: "fixed-step", amount: String(fixedMg), holds: [] }, String(fixedMg)]];
    return ways.map(([way, s, amount]) => {
      const out = runWithCells(s);
      if (out.error) return { way, amount, error: out.error.message };
      const last = out.rows[out.rows.length - 1];
      return { way, amount, steps: out.rows.length - 1, weeks: last.week, largest: out.largest, last: out.last,
        warnings: out.rows.reduce((n, r) => n + r.warnings.length, 0) };
    });
  }

  /**
   * A dose as the reader would type it: the exact decimal ("0.125"), or null if it has none.
   * @param {Q} q
   */
  function decimalOf(q) {
    for (let digits = 0n, scale = 1n; digits <= 8n; digits++, scale *= 10n) {
      const n = q.mul(scale);
      if (n.isInt()) return n.n === 0n ? "0" : (digits ? `${n.n / scale}.${String(n.n % scale).padStart(Number(digits), "0")}` : String(n.n));
    }
    return null;
  }

  const api = { cautions, compare, decimalOf, diazepamRange };
  if (typeof module === "object" && module.exports) module.exports = api;
  else globalThis.SBWPlanReview = api;
})();
