// Input-validation unit tests for taper-engine.js, run by tests/planner/test_planner.py with node's
// test runner. The site's planner data (macros/planner_data.py, real data/) comes in on a file
// named by PLANNER_DATA.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";

const require = createRequire(import.meta.url);
const planner = require("../../overrides/assets/javascripts/taper-engine.js");
const data = JSON.parse(readFileSync(process.env.PLANNER_DATA, "utf8"));

const good = {
  medication: "diazepam", formulation: "tablet-uk", dose: "20", percent: "10", interval: "2",
  tail: "", tail_below: "", start_date: "",
};
const check = (changes) => planner.validate(data, { ...good, ...changes });

test("a complete, sensible form gives a plan spec and no errors", () => {
  const { errors, spec } = check({});
  assert.deepEqual(errors, {});
  assert.equal(spec.amount, "1/10");
  assert.equal(spec.max_cut, data.guideline.max_cut);
  const result = planner.run(spec);
  assert.ok(result.rows, JSON.stringify(result.error));
  assert.equal(result.rows.at(-1).daily_mg, "0");
});

test("an empty field is named next to that field", () => {
  for (const field of ["dose", "percent", "interval"]) {
    const { errors, spec } = check({ [field]: "  " });
    assert.equal(spec, null);
    assert.match(errors[field], /^Enter /, field);
    assert.deepEqual(Object.keys(errors), [field]);
  }
});

test("text, zero and negative numbers are refused", () => {
  for (const dose of ["abc", "0", "-5", "1,5", "2mg", "1e3"]) {
    assert.match(check({ dose }).errors.dose, /as a number above 0/, dose);
  }
});

test("a dose no strength can make says so and offers the nearest doses", () => {
  const { errors } = check({ dose: "3.3" });
  assert.match(errors.dose, /No mix of diazepam 2 mg, 5 mg, 10 mg tablets \(10 mg can be halved\) makes exactly 3\.3 mg/);
  assert.match(errors.dose, /nearest doses it can make are 2 mg and 4 mg/);
  // with a liquid for small doses the same dose can be measured
  assert.deepEqual(check({ dose: "3.2", tail: "solution-uk", tail_below: "4" }).errors, {});
});

test("a dose far above the usual range is refused before any arithmetic", () => {
  const { errors } = check({ dose: "150" });
  assert.match(errors.dose, /far above the usual range/);
  assert.match(errors.dose, /100 mg a day/);
  assert.equal(check({ dose: "100" }).errors.dose, undefined);
});

test("a pace above the data's maximum is refused; the range comes from the guideline", () => {
  const { cut_max, interval_min, name } = data.guideline;
  assert.equal(cut_max, "10");
  const tooFast = check({ percent: "25" }).errors.percent;
  assert.ok(tooFast.startsWith(name), tooFast);
  assert.match(tooFast, /5% to 10%/);
  assert.match(check({ percent: "10.5" }).errors.percent, /5% to 10%/);
  assert.deepEqual(check({ percent: "7.5" }).errors, {});
  assert.match(check({ interval: String(Number(interval_min) - 1) }).errors.interval, /every 2 to 4 weeks/);
  assert.match(check({ interval: "2.5" }).errors.interval, /whole number/);
});

test("the engine refuses a pace over the max cut, with the Python message", () => {
  const { spec } = check({});
  const result = planner.run({ ...spec, amount: "3/10", interval_weeks: 1 });
  assert.equal(result.error.field, "reduction");
  assert.match(result.error.message, /^pace above its limit: 51\.0% in 2 weeks, but 2025 joint guideline allows at most 25\.0%/);
  assert.equal(planner.FIELD_FOR[result.error.field], "percent");
});

test("a liquid tail must be a liquid of the same medicine, with a dose to switch at", () => {
  assert.match(check({ tail: "tablet-us" }).errors.tail, /liquid of the same medicine/);
  assert.match(check({ tail: "solution-uk", tail_below: "" }).errors.tail_below, /^Enter /);
  const { spec } = check({ tail: "solution-uk", tail_below: "4" });
  assert.equal(spec.tail.type, "liquid");
  assert.equal(spec.help_hint, data.hints["diazepam|tablet-uk|solution-uk"]);
});

test("unknown medicine, form or date", () => {
  assert.ok(check({ medication: "nope" }).errors.medication);
  assert.ok(check({ formulation: "nope" }).errors.formulation);
  assert.ok(check({ start_date: "next week" }).errors.start_date);
  assert.deepEqual(check({ start_date: "2027-01-04" }).errors, {});
});

test("every formulation in the data builds a plan from its largest strength or 1 mL", () => {
  for (const med of data.medications) {
    for (const f of med.formulations) {
      const dose = f.liquid ? planner.Q.of(f.mg).div(f.ml) : planner.Q.of(f.strengths.at(-1));
      const { errors, spec } = check({ medication: med.id, formulation: f.id, dose: planner.fmtMg(dose) });
      assert.deepEqual(errors, {}, `${med.id} ${f.id}`);
      const result = planner.run(spec);
      assert.ok(result.rows, `${med.id} ${f.id}: ${JSON.stringify(result.error)}`);
    }
  }
});
