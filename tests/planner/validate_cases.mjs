// Input-validation unit tests for taper-engine.js, run by tests/planner/test_planner.py with node's
// test runner. The site's planner data (macros/planner_data.py, real data/) comes in on a file
// named by PLANNER_DATA, and the session's parity vectors (tests/planner/vectors.py) on one named
// by PLANNER_VECTORS.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";

const require = createRequire(import.meta.url);
const planner = require("../../overrides/assets/javascripts/taper-engine.js");
const data = JSON.parse(readFileSync(process.env.PLANNER_DATA, "utf8"));

const good = {
  medication: "diazepam", formulation: "tablet-uk", dose: "20", percent: "10", interval: "2",
  tail: "", tail_below: "", start_date: "", doses: "", crossover: "", equivalence_source: "", diazepam_formulation: "",
};
const check = (changes) => planner.validate(data, { ...good, ...changes });
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const medicine = (id) => data.medications.find((m) => m.id === id);
const oneDose = (med) => med.equivalents.filter((e) => e.mg_per_diazepam_10 !== null);

test("a complete, sensible form gives a plan spec and no errors", () => {
  const { errors, spec } = check({});
  assert.deepEqual(errors, {});
  assert.equal(spec.amount, "1/10");
  assert.equal(spec.max_cut, data.guideline.max_cut);
  const result = planner.run(spec);
  assert.ok(result.rows, JSON.stringify(result.error));
  assert.equal(result.rows.at(-1).daily, "0/1");
  assert.equal(result.rows.at(-1).take, "Nothing: the taper is complete.");
  assert.match(result.summary, /^\d+ steps over \d+ weeks\. /);
  assert.deepEqual(spec.end, { mg: "1/1", diazepam_mg: data.end.diazepam_mg, source_label: data.end.source_label, equivalence: "" });
  assert.deepEqual([spec.holds, spec.bands, spec.tail_below, spec.stop_at], [[], [], null, null]);
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
  const { cut_min, cut_max, interval_min, interval_max, name } = data.guideline;
  const cuts = new RegExp(`${escape(cut_min)}% to ${escape(cut_max)}%`);
  const tooFast = check({ percent: String(Number(cut_max) * 2) }).errors.percent;
  assert.ok(tooFast.startsWith(name), tooFast);
  assert.match(tooFast, cuts);
  assert.match(check({ percent: String(Number(cut_max) + 0.5) }).errors.percent, cuts);
  assert.deepEqual(check({ percent: String((Number(cut_min) + Number(cut_max)) / 2) }).errors, {});
  const weeks = new RegExp(`every ${interval_min} to ${interval_max} weeks`);
  assert.match(check({ interval: String(Number(interval_min) - 1) }).errors.interval, weeks);
  assert.match(check({ interval: "2.5" }).errors.interval, /whole number/);
});

test("the engine refuses a pace over the max cut, with the Python message", () => {
  const { spec } = check({});
  const { max_cut_percent, max_cut_weeks, name } = data.guideline;
  // a little more than the whole limit every week
  const amount = planner.Q.of(data.guideline.max_cut).add("1/100").toString();
  const result = planner.run({ ...spec, amount, interval_weeks: 1 });
  assert.equal(result.error.field, "reduction");
  const limit = `${name} allows at most ${Number(max_cut_percent).toFixed(1)}% in ${max_cut_weeks} weeks`;
  assert.match(result.error.message, new RegExp(`^pace above its limit: .* in ${max_cut_weeks} weeks, but ${escape(limit)}`));
  assert.equal(planner.FIELD_FOR[result.error.field], "percent");
});

test("a liquid tail must be a liquid of the same medicine; the dose to switch at may be left empty", () => {
  assert.match(check({ tail: "tablet-us" }).errors.tail, /liquid of the same medicine/);
  assert.match(check({ tail: "solution-uk", tail_below: "x" }).errors.tail_below, /^Enter /);
  const any = check({ tail: "solution-uk", tail_below: "" });
  assert.deepEqual(any.errors, {});
  assert.equal(any.spec.tail_below, null); // the liquid for any dose the tablets cannot make
  assert.equal(check({ tail: "solution-uk", tail_below: "4" }).spec.tail_below, "4/1");
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
      if (med.end === null) {
        // no equivalent dose, so no end point in this medicine's mg: the planner says so, next to the medicine
        assert.match(errors.medication ?? "", /cannot work out where the taper ends/, `${med.id} ${f.id}`);
        continue;
      }
      assert.deepEqual(errors, {}, `${med.id} ${f.id}`);
      const result = planner.run(spec);
      assert.ok(result.rows, `${med.id} ${f.id}: ${JSON.stringify(result.error)}`);
    }
  }
});

// ---------------------------------------------------------------- each dose of the day
test("the day's doses, split by commas, plus signs or spaces, become the plan's start doses", () => {
  for (const doses of ["10, 10", "10 + 10", " 10  10 ", "10,10"]) {
    const { errors, spec } = check({ doses });
    assert.deepEqual(errors, {}, doses);
    assert.deepEqual(spec.start_doses, ["10/1", "10/1"], doses);
  }
  assert.deepEqual(check({ doses: "" }).spec.start_doses, ["20/1"]);
  assert.deepEqual(check({ doses: "5, 5, 5, 5" }).spec.start_doses, ["5/1", "5/1", "5/1", "5/1"]);
});

test("doses that do not add up to the daily dose say what they add up to", () => {
  const { errors, spec } = check({ doses: "10, 5" });
  assert.equal(spec, null);
  assert.equal(errors.doses, "These doses add up to 15 mg, not the 20 mg a day above. Check both numbers.");
  assert.deepEqual(Object.keys(errors), ["doses"]);
});

test("each dose must be makeable with the chosen form", () => {
  const { errors } = check({ doses: "19, 1" });
  assert.equal(errors.doses, "No mix of diazepam 2 mg, 5 mg, 10 mg tablets (10 mg can be halved) makes exactly 1 mg, one of the doses above.");
});

test("doses that are not numbers above 0, or more than 4 of them, are refused", () => {
  for (const doses of ["ten, 10", "10, -1", "10, 0, 10", "10; 10", "10 mg, 10 mg"]) {
    assert.match(check({ doses }).errors.doses ?? "", /separated by commas or \+/, doses);
  }
  assert.match(check({ doses: "4, 4, 4, 4, 4" }).errors.doses, /1 to 4 doses a day \(you entered 5\)/);
});

// ---------------------------------------------------------------- switching to diazepam first
const lorazepam = {
  medication: "lorazepam", formulation: "tablet-uk", dose: "2", doses: "1, 1", crossover: "diazepam",
  equivalence_source: "scotland-2024", diazepam_formulation: "tablet-uk", tail: "solution-uk", tail_below: "",
};

test("a crossover gives the same plan as the site's lorazepam-via-diazepam example (bar its pace and stop dose)", () => {
  const { vectors } = JSON.parse(readFileSync(process.env.PLANNER_VECTORS, "utf8"));
  const example = vectors.find((v) => v.id === "schedule:lorazepam-via-diazepam").plan;
  const { errors, spec } = check(lorazepam);
  assert.deepEqual(errors, {});
  // the example cuts a fixed 1 mg; the planner's form asks for a percentage
  assert.deepEqual(spec, { ...example, stop_at: null, method: "proportional", amount: "1/10" });
  assert.equal(spec.crossover.step_weeks, data.crossover.step_weeks);
  const rows = planner.run(spec).rows;
  assert.deepEqual(rows.map((r) => r.kind).slice(0, 4), ["start", "crossover", "crossover", "reduction"]);
  assert.match(rows[1].take, /^Morning: lorazepam 1 mg .*; Night: diazepam 10 mg /);
});

test("no switch is offered to someone already on diazepam, and the box takes only 'diazepam'", () => {
  const { errors } = check({ crossover: "diazepam", equivalence_source: "ashton-manual", diazepam_formulation: "tablet-uk" });
  assert.match(errors.crossover, /already take diazepam/);
  assert.match(check({ ...lorazepam, crossover: "yes" }).errors.crossover, /Tick the box to switch to diazepam/);
});

test("without the switch, the switch's own fields are ignored", () => {
  assert.deepEqual(check({ equivalence_source: "nope", diazepam_formulation: "nope" }).errors, {});
  assert.equal(check({}).spec.crossover, null);
});

test("the equivalence source is required, must be one of the medicine's single values, and the error names them", () => {
  const labels = oneDose(medicine("lorazepam")).map((e) => e.label);
  const missing = check({ ...lorazepam, equivalence_source: "" }).errors.equivalence_source;
  assert.ok(missing.startsWith("Choose which source's equivalent dose to use. Sources with one dose for lorazepam: "), missing);
  assert.ok(missing.endsWith(`${labels.length > 1 ? "or " : ": "}${labels.at(-1)}.`), missing);
  const named = labels.map((label) => missing.indexOf(label));
  assert.deepEqual(named, [...named].sort((a, b) => a - b), "every source is named, in the data's order");
  assert.ok(!named.includes(-1), missing);
  assert.match(check({ ...lorazepam, equivalence_source: "nope" }).errors.equivalence_source, /^Choose one of the sources listed\./);
  // a source that gives a range is refused, and the single ones are offered (a copy of the data in
  // which lorazepam's first source gives a range)
  const [ranged, ...single] = oneDose(medicine("lorazepam"));
  const withRange = structuredClone(data);
  Object.assign(withRange.medications.find((m) => m.id === "lorazepam").equivalents.find((e) => e.id === ranged.id), {
    mg_per_diazepam_10: null, unavailable: "gives a range (1–2 mg), not one dose",
  });
  const checkRange = (changes) => planner.validate(withRange, { ...good, ...lorazepam, ...changes });
  const range = checkRange({ equivalence_source: ranged.id }).errors.equivalence_source;
  assert.ok(range.startsWith(`${ranged.label} gives a range (1–2 mg), not one dose, so it cannot be used for a switch.`), range);
  assert.ok(range.endsWith(`${single.at(-1).label}.`), range);
  for (const e of single) assert.ok(range.includes(e.label), `${e.label} in ${range}`);
  assert.equal(checkRange({ equivalence_source: single[0].id }).errors.equivalence_source, undefined);
});

test("a medicine with no single equivalent cannot be switched", () => {
  const ranges = structuredClone(data);
  for (const e of ranges.medications.find((m) => m.id === "lorazepam").equivalents) e.mg_per_diazepam_10 = null;
  const { errors } = planner.validate(ranges, { ...good, ...lorazepam });
  assert.match(errors.crossover, /^No source on this site gives one dose of lorazepam equal to diazepam 10 mg/);
});

test("the diazepam tablets are required, and must be tablets", () => {
  assert.match(check({ ...lorazepam, diazepam_formulation: "" }).errors.diazepam_formulation, /Choose the diazepam tablets/);
  assert.match(check({ ...lorazepam, diazepam_formulation: "solution-uk" }).errors.diazepam_formulation, /Choose the diazepam tablets/);
});

test("after a switch the liquid tail must be a diazepam liquid", () => {
  assert.match(check({ ...lorazepam, tail: "concentrate-us" }).errors.tail, /^Choose a diazepam liquid, or none\.$/);
  // without a switch, the tail is another liquid of the same medicine
  assert.match(check({ formulation: "solution-uk", dose: "4", tail: "solution-uk", tail_below: "2" }).errors.tail, /same medicine/);
  assert.deepEqual(check({ ...lorazepam, tail: "", tail_below: "" }).errors, {});
  assert.deepEqual(check({ ...lorazepam, tail: "solution-us" }).errors, {});
});

test("a dose whose diazepam equivalent the tablets cannot make is named, with what would help", () => {
  const { errors } = check({
    ...lorazepam, formulation: "tablet-us", dose: "1", doses: "0.5, 0.5", equivalence_source: "jcpg-2025:va-dod",
  });
  assert.equal(
    errors.diazepam_formulation,
    "By Joint guideline 2025 (Table 7, VA/DoD 2021 column), lorazepam 0.5 mg ≈ diazepam 2.5 mg, which no mix of " +
      "diazepam 2 mg, 5 mg, 10 mg tablets (10 mg can be halved) can make. " +
      "Choose other tablets or another source, or split the day's dose differently.",
  );
  assert.equal(planner.FIELD_FOR.crossover, "diazepam_formulation");
});

test("a crossover without split doses switches the whole day's dose at once; each dose is checked against the form", () => {
  const { errors, spec } = check({ ...lorazepam, doses: "" });
  assert.deepEqual(errors, {});
  assert.deepEqual(spec.start_doses, ["2/1"]);
  assert.match(planner.run(spec).rows[1].notes_text[0], /^Once a day dose switched to diazepam/);
  assert.deepEqual(planner.run(spec).rows[1].notes[0], { code: "switched", args: { time: "once" } });
  assert.match(check({ ...lorazepam, doses: "1.5, 0.5" }).errors.doses, /makes exactly 1\.5 mg/);
});

test("every equivalent the planner offers for a switch switches from some dose of up to four tablets", () => {
  // an equivalent no diazepam tablets can meet comes marked unavailable, with its reason (plans.switch_problem)
  const { Q, fmtMg } = planner;
  for (const med of data.medications.filter((m) => m.id !== data.crossover.medication)) {
    for (const eq of med.equivalents.filter((e) => e.mg_per_diazepam_10)) {
      let built = null;
      for (const f of med.formulations.filter((x) => !x.liquid)) {
        const pieces = [...f.strengths, ...f.halvable.map((h) => Q.of(h).div(2).toString())].map(Q.of);
        let doses = pieces;
        for (let n = 1; n <= 4 && !built; n += 1) {
          for (const dose of doses) {
            for (const dz of ["tablet-uk", "tablet-us"]) {
              const { spec } = check({ medication: med.id, formulation: f.id, dose: fmtMg(dose), crossover: "diazepam",
                equivalence_source: eq.id, diazepam_formulation: dz });
              built ??= spec && planner.run(spec);
            }
          }
          doses = doses.flatMap((a) => pieces.map((b) => a.add(b)));
        }
      }
      assert.ok(built, `${med.id} by ${eq.id}: offered, but no dose of up to four tablets switches to diazepam tablets`);
      assert.ok(built.rows, `${med.id} by ${eq.id}: ${JSON.stringify(built.error)}`);
    }
    for (const eq of med.equivalents.filter((e) => !e.mg_per_diazepam_10)) assert.ok(eq.unavailable, `${med.id} ${eq.id}`);
  }
});

test("a dose of the day the tablets cannot make may be taken as the liquid, as the engine places it", () => {
  assert.match(check({ doses: "17, 3" }).errors.doses, /makes exactly 3 mg, one of the doses above/);
  const { errors, spec } = check({ doses: "17, 3", tail: "solution-uk", tail_below: "4" });
  assert.deepEqual(errors, {});
  const result = planner.run(spec);
  assert.ok(result.rows, JSON.stringify(result.error));
  assert.deepEqual(result.rows[0].notes[0], { code: "tail", args: { time: "night", form: spec.tail && result.rows[0].doses[1].form } });
  assert.match(check({ doses: "17, 3", tail: "solution-uk", tail_below: "2" }).errors.doses, /makes exactly 3 mg/);
});
