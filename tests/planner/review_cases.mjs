// Unit tests for plan-review.js (the planner's cautions and its fixed-step comparison), run by
// tests/planner/test_planner.py with node's test runner on the site's planner data (real data/),
// named by PLANNER_DATA. Every expectation is worked out from that data, not from today's values.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";

const require = createRequire(import.meta.url);
const engine = require("../../overrides/assets/javascripts/taper-engine.js");
globalThis.SBWTaper = engine; // as the page loads it, before plan-review.js
const review = require("../../overrides/assets/javascripts/plan-review.js");
const data = JSON.parse(readFileSync(process.env.PLANNER_DATA, "utf8"));
const { Q } = engine;

const blank = {
  medication: "", formulation: "", dose: "", doses: "", crossover: "", equivalence_source: "", diazepam_formulation: "",
  percent: "10", interval: "2", tail: "", tail_below: "", stop_at: "", older: "", start_date: "",
};
const med = (id) => data.medications.find((m) => m.id === id);
const diazepam = med(data.crossover.medication);
const usable = (m) => m.equivalents.filter((e) => e.mg_per_diazepam_10);

/** validate() then run(): the values, the spec, the rows, and the cautions plan-review.js gives. */
function reviewed(values) {
  const v = { ...blank, ...values };
  const { errors, spec } = engine.validate(data, v);
  assert.deepEqual(errors, {}, JSON.stringify(v));
  const out = engine.runWithCells(spec);
  assert.ok(out.rows, JSON.stringify(out.error));
  return { values: v, spec, rows: out.rows, cautions: review.cautions(data, v, spec, out.rows) };
}
const codes = (r) => r.cautions.map((c) => c.code);
const caution = (r, code) => r.cautions.find((c) => c.code === code);
const solid = (m) => m.formulations.find((f) => !f.liquid);
/** A switch to diazepam that validate() accepts: the first source giving one dose, and a dose and
 * diazepam tablets that make it (or null when this medicine has none). */
function switchOf(m) {
  for (const eq of usable(m)) {
    for (const tablets of m.formulations.filter((f) => !f.liquid)) {
      for (const dz of diazepam.formulations.filter((f) => !f.liquid)) {
        for (const strength of tablets.strengths) {
          const values = { medication: m.id, formulation: tablets.id, dose: engine.fmtMg(strength), crossover: diazepam.id,
            equivalence_source: eq.id, diazepam_formulation: dz.id };
          if (engine.validate(data, { ...blank, ...values }).spec) return values;
        }
      }
    }
  }
  return null;
}
const smallest = (f) => f.strengths.map(Q.of).reduce((a, b) => (a.lt(b) ? a : b));

test("a diazepam dose at a high-dose threshold is not flagged, and one tablet more is, naming each threshold passed", () => {
  const tablets = solid(diazepam);
  const [low, ...rest] = data.cautions.high;
  const at = reviewed({ medication: diazepam.id, formulation: tablets.id, dose: engine.fmtMg(low.value) });
  assert.ok(!codes(at).includes("high-dose"));
  const top = data.cautions.high.at(-1);
  const above = reviewed({ medication: diazepam.id, formulation: tablets.id, dose: engine.fmtMg(Q.of(top.value).add(smallest(tablets))) });
  const flag = caution(above, "high-dose");
  assert.ok(flag, "a dose above every threshold gets the flag, and a plan (not a refusal)");
  for (const fact of [low, ...rest]) assert.ok(flag.text.includes(fact.says), fact.says);
  assert.deepEqual(flag.sources, data.cautions.high.map((f) => f.source));
  assert.match(flag.text, /specialist/);
});

test("another medicine's dose is flagged when any source on the site puts it above the lowest threshold", () => {
  const alprazolam = med("alprazolam"), tablets = solid(alprazolam);
  const threshold = Q.of(data.cautions.high[0].value);
  for (const dose of ["1", "2", "3", "6"]) {
    const r = reviewed({ medication: alprazolam.id, formulation: tablets.id, dose });
    const [lo, hi] = review.diazepamRange(data, alprazolam, Q.of(dose));
    assert.equal(codes(r).includes("high-dose"), hi.gt(threshold), dose);
    if (hi.gt(threshold)) {
      const range = lo.eq(hi) ? engine.fmtMg(lo) : `${engine.fmtMg(lo)}–${engine.fmtMg(hi)}`;
      assert.ok(caution(r, "high-dose").text.includes(`about diazepam ${range} mg a day`), dose);
    }
  }
});

test("each medicine's diazepam range spans its sources' own values, lowest to highest", () => {
  for (const m of data.medications.filter((x) => x.equivalents.length && x.id !== diazepam.id)) {
    const per10 = m.equivalents.flatMap((e) => e.range.map(Q.of)).map((x) => x.toNumber());
    const [lo, hi] = review.diazepamRange(data, m, Q.of(10));
    assert.equal(lo.toNumber(), 100 / Math.max(...per10), m.id);
    assert.equal(hi.toNumber(), 100 / Math.min(...per10), m.id);
  }
  assert.equal(review.diazepamRange(data, { ...med("alprazolam"), equivalents: [] }, Q.of(1)), null);
});

test("a switch between sources that differ by the set ratio or more is explained; one that does not differ is not", () => {
  const ratio = Q.of(data.cautions.spread_ratio);
  const spreadOf = (m) => { const [lo, hi] = review.diazepamRange(data, m, Q.of(1)); return hi.div(lo); };
  const candidates = data.medications.filter((m) => m.id !== diazepam.id && switchOf(m));
  const wide = candidates.find((m) => !spreadOf(m).lt(ratio));
  const narrow = candidates.find((m) => spreadOf(m).lt(ratio));
  assert.ok(wide && narrow, "the data has medicines on both sides of the ratio");
  for (const [m, expected] of [[wide, true], [narrow, false]]) {
    const values = switchOf(m);
    assert.equal(codes(reviewed(values)).includes("equivalence-spread"), expected, m.id);
    const direct = reviewed({ medication: m.id, formulation: values.formulation, dose: values.dose });
    assert.ok(!codes(direct).includes("equivalence-spread"), `${m.id}: no switch, no source to choose`);
  }
  const values = switchOf(wide), flag = caution(reviewed(values), "equivalence-spread");
  assert.deepEqual(flag.sources, [data.cautions.conversion_source]);
  assert.ok(flag.text.includes(usable(wide).find((e) => e.id === values.equivalence_source).label));
});

test("an older adult switching to diazepam sees the caution; without the switch or the box it is not shown", () => {
  const m = data.medications.find((x) => x.id !== diazepam.id && switchOf(x));
  const switching = switchOf(m);
  const base = { medication: m.id, formulation: switching.formulation, dose: switching.dose };
  const older = reviewed({ ...switching, older: "yes" });
  const flag = caution(older, "older-switch");
  assert.ok(flag);
  assert.ok(flag.text.startsWith(`For someone aged ${engine.fmtMg(data.cautions.older.value)} or older`));
  assert.deepEqual(flag.sources, [data.cautions.older.source, data.cautions.older_switch_source]);
  assert.ok(!codes(reviewed({ ...base, older: "yes" })).includes("older-switch"));
  assert.ok(!codes(reviewed(switching)).includes("older-switch"));
});

test("a plan measuring the syringe fact's volume or less gets a measuring note naming its smallest volume", () => {
  const limit = Q.of(data.cautions.syringe.value);
  let checked = 0;
  for (const m of data.medications) {
    for (const tablets of m.formulations.filter((f) => !f.liquid)) {
      for (const liquid of m.formulations.filter((f) => f.liquid)) {
        const dose = engine.fmtMg(Q.of(tablets.strengths.at(-1)));
        const { errors, spec } = engine.validate(data, { ...blank, medication: m.id, formulation: tablets.id, dose, tail: liquid.id });
        if (!spec) { assert.ok(Object.keys(errors).length); continue; }
        const out = engine.runWithCells(spec);
        if (!out.rows) continue;
        const volumes = out.rows.flatMap((r) => r.doses).filter((d) => d.ml && Q.of(d.mg).gt(Q.of(0))).map((d) => Q.of(d.ml));
        const least = volumes.length ? volumes.reduce((a, b) => (a.lt(b) ? a : b)) : null;
        const note = review.cautions(data, { ...blank, medication: m.id, formulation: tablets.id, tail: liquid.id }, spec, out.rows)
          .find((c) => c.code === "small-volume");
        assert.equal(Boolean(note), Boolean(least && !least.gt(limit)), `${m.id} ${tablets.id} + ${liquid.id}`);
        if (note) assert.ok(note.text.includes(`as small as ${engine.fmtMg(least)} mL`) && note.text.includes(data.cautions.syringe.says));
        checked += 1;
      }
    }
  }
  assert.ok(checked > 3, `only ${checked} tablet and liquid pairs could be checked`);
});

test("forms the data lists for no common market are questioned; forms of one market are not", () => {
  let mixed = 0, same = 0;
  for (const m of data.medications) {
    for (const tablets of m.formulations.filter((f) => !f.liquid)) {
      for (const liquid of m.formulations.filter((f) => f.liquid)) {
        const values = { medication: m.id, formulation: tablets.id, dose: tablets.strengths.at(-1), tail: liquid.id };
        const { spec } = engine.validate(data, { ...blank, ...values });
        const out = spec && engine.runWithCells(spec);
        if (!out || !out.rows) continue;
        const disjoint = !tablets.market_ids.some((x) => liquid.market_ids.includes(x));
        const found = review.cautions(data, { ...blank, ...values }, spec, out.rows).some((c) => c.code === "mixed-markets");
        assert.equal(found, disjoint, `${m.id}: ${tablets.id} + ${liquid.id}`);
        if (disjoint) mixed += 1; else same += 1;
      }
    }
  }
  assert.ok(mixed && same, `pairs checked: ${mixed} from two markets, ${same} from one`);
});

test("the comparison tapers the same start by the asked share of it in fixed steps, and leaves the holds out", () => {
  const tablets = solid(diazepam);
  const r = reviewed({ medication: diazepam.id, formulation: tablets.id, dose: "20" });
  const start = Q.of(r.rows[0].daily);
  const held = { ...r.spec, holds: [[1, 4]] };
  const [yours, fixed] = review.compare(held, start);
  assert.equal(yours.way, "yours");
  assert.equal(fixed.amount, String(start.mul(Q.of(r.spec.amount))));
  const plain = engine.runWithCells(r.spec);
  assert.deepEqual([yours.steps, yours.weeks, yours.largest, yours.last], [plain.rows.length - 1, plain.rows.at(-1).week, plain.largest, plain.last]);
  const steps = engine.runWithCells({ ...r.spec, method: "fixed-step", amount: fixed.amount });
  assert.deepEqual([fixed.steps, fixed.weeks], [steps.rows.length - 1, steps.rows.at(-1).week]);
  for (const row of steps.rows.filter((x) => x.kind === "reduction")) {
    const cut = Q.of(row.daily), prev = steps.rows[row.step - 1];
    const mg = Q.of(prev.daily).sub(cut);
    // a fixed step cuts at most the asked mg, or says why it cuts more (held longer, or warned)
    assert.ok(!mg.gt(Q.of(fixed.amount)) || row.notes.length || row.warnings.length, `step ${row.step}: ${engine.fmtMg(mg)} mg`);
  }
});

test("a dose is typed back as its exact decimal, or not at all", () => {
  assert.equal(review.decimalOf(Q.of("1/8")), "0.125");
  assert.equal(review.decimalOf(Q.of("15/2")), "7.5");
  assert.equal(review.decimalOf(Q.of(12)), "12");
  assert.equal(review.decimalOf(Q.of("1/3")), null);
});

test("a chosen stop dose goes into the plan; one at or above the start is named next to its field", () => {
  const tablets = solid(diazepam);
  const ok = engine.validate(data, { ...blank, medication: diazepam.id, formulation: tablets.id, dose: "20", stop_at: "2" });
  assert.equal(ok.spec.stop_at, "2/1");
  const rows = engine.run(ok.spec).rows;
  assert.equal(rows.at(-2).daily, "2/1");
  const high = engine.validate(data, { ...blank, medication: diazepam.id, formulation: tablets.id, dose: "20", stop_at: "20" });
  assert.equal(high.spec, null);
  assert.match(high.errors.stop_at, /below the 20 mg a day/);
  const m = data.medications.find((x) => x.id !== diazepam.id && switchOf(x));
  const values = { ...blank, ...switchOf(m) };
  const per10 = usable(m).find((e) => e.id === values.equivalence_source).mg_per_diazepam_10;
  const switched = Q.of(values.dose).mul(10).div(Q.of(per10));
  const across = engine.validate(data, { ...values, stop_at: engine.fmtMg(switched) });
  assert.match(across.errors.stop_at, new RegExp(`diazepam dose below the ${engine.fmtMg(switched).replace(".", "\\.")} mg`));
});
