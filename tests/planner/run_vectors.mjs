// Runs every vector in a vectors.json (tests/planner/vectors.py writes it; test_planner.py does so in
// every test session) through taper-engine.js and compares the result with what macros/taper.py
// built, field by field. Prints each mismatch; exits 1 if any.
// Usage: node tests/planner/run_vectors.mjs path/to/vectors.json
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const planner = require(join(here, "../../overrides/assets/javascripts/taper-engine.js"));
const file = process.argv[2];
if (!file) {
  console.log("usage: node tests/planner/run_vectors.mjs path/to/vectors.json (python -m tests.planner.vectors writes one)");
  process.exit(2);
}
const { count, formats, vectors } = JSON.parse(readFileSync(file, "utf8"));

function firstDifference(want, got) {
  if ("error" in want || "error" in got) return { want: want.error ?? "rows", got: got.error ?? "rows" };
  const n = Math.max(want.rows.length, got.rows.length);
  for (let i = 0; i < n; i++) {
    const w = want.rows[i], g = got.rows[i];
    if (!w || !g) return { row: i, want: w ?? "(no row)", got: g ?? "(no row)" };
    for (const key of Object.keys({ ...w, ...g })) {
      if (!isDeepStrictEqual(w[key], g[key])) return { row: i, field: key, want: w[key], got: g[key] };
    }
  }
  return null;
}

let bad = 0;
for (const [value, mg, pct] of formats) {
  const got = [planner.fmtMg(value), planner.fmtPct(value)];
  if (got[0] !== mg || got[1] !== pct) {
    bad += 1;
    if (bad <= 20) console.log(`MISMATCH format ${value}: want ${mg} / ${pct}, got ${got.join(" / ")}`);
  }
}
const formatBad = bad;
for (const v of vectors) {
  let got;
  try {
    got = planner.run(v.plan);
  } catch (err) {
    got = { error: { message: `unexpected ${err.name}: ${err.message}`, field: "" } };
  }
  if (!isDeepStrictEqual(got, v.expected)) {
    bad += 1;
    if (bad <= 20) console.log(`MISMATCH ${v.id}: ${JSON.stringify(firstDifference(v.expected, got))}`);
  }
}
if (vectors.length !== count) {
  console.log(`vectors.json says ${count} vectors but holds ${vectors.length}`);
  bad += 1;
}
console.log(
  `${formats.length} formats, ${formatBad} mismatch; ` +
    `${vectors.length - (bad - formatBad)} of ${vectors.length} vectors match${bad ? `; ${bad} mismatch in all` : ""}`,
);
process.exit(bad ? 1 : 0);
