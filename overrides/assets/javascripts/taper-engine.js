/* The taper engine in the browser: a faithful port of macros/engine/taper.py build() (a dose per
 * time of day, one dose cut at a time, the earliest first; each cut within the asked pace, else held
 * longer, else warned; a sourced end point; reader holds; proportional, fixed-step and banded steps;
 * an optional liquid tail; an optional crossover to diazepam), in exact rational arithmetic (BigInt
 * numerator/denominator); a line-by-line twin of macros/engine/words.py (`words`); rows as data as
 * macros/engine/export.py writes them; and validate(), which turns what a visitor typed into a plan
 * spec. Every string it outputs is meant to be byte-identical to the Python engine's; tests/planner/
 * proves it on many plans.
 *
 * One classic script, no DOM and no build step: in node it is a CommonJS module, in a
 * browser it sets window.SBWTaper for planner.js.
 */
// @ts-check

// ---------------------------------------------------------------- types (JSDoc, checked by tests/js)
// Exact numbers travel as text ("1/8", "0.125"), as Python's Fraction reads and writes them.

/**
 * The JSON in #planner-data, from macros/render/planner_data.py planner_data().
 * @typedef {object} PlannerData
 * @property {Guideline} guideline
 * @property {string} measure_ml what the syringe measures to, in mL
 * @property {{diazepam_mg: string, source_label: string}} end the sourced end point, in diazepam mg
 * @property {Medication[]} medications
 * @property {Record<string, string>} hints "medicine|form|tail" → what would allow smaller steps
 * @property {{medication: string, step_weeks: number, step_source: string, step_fact: string}} crossover
 *   the switch to diazepam: which medicine, and the weeks between switching two doses
 * @property {Interactions} interactions the appointment pack's medicine check (planner.js)
 * @property {Cautions} cautions what plan-review.js flags before a plan (settings.yaml planner_cautions)
 */
/**
 * @typedef {object} CautionFact a fact from data/facts.yaml as a caution quotes it
 * @property {string} value one exact number, in the caution's unit
 * @property {string} says the fact in one plain sentence
 * @property {string} source its source id
 */
/**
 * @typedef {object} Cautions
 * @property {CautionFact[]} high starting doses above these (diazepam mg a day) are flagged, lowest first
 * @property {CautionFact} older the age (years) from which someone counts as older
 * @property {string} older_switch_source the source of the caution about older people switching to diazepam
 * @property {CautionFact} syringe measured volumes at or below this (mL) get a note
 * @property {string} conversion_source the source that says equivalent doses vary between people
 * @property {string} spread_ratio sources that differ by this ratio or more are explained
 * @property {Record<string, string>} sources each cited source id → its short name
 */
/**
 * The pace the planner allows. Numbers as text, as the guideline states them; max_cut is exact.
 * @typedef {object} Guideline
 * @property {string} id
 * @property {string} name
 * @property {string} source
 * @property {string} cut_min
 * @property {string} cut_max
 * @property {string} interval_min
 * @property {string} interval_max
 * @property {string} max_cut
 * @property {string} max_cut_percent
 * @property {number} max_cut_weeks
 */
/**
 * @typedef {object} Medication
 * @property {string} id
 * @property {string} generic
 * @property {Formulation[]} formulations
 * @property {Equivalent[]} equivalents
 * @property {{mg: string, equivalence: string} | null} end the end point in this medicine's mg (null: no equivalent)
 */
/**
 * @typedef {object} FormulationBase
 * @property {string} id
 * @property {string} form
 * @property {string} markets
 * @property {string[]} market_ids
 * @property {string} label
 */
/** @typedef {FormulationBase & {liquid: true, mg: string, ml: string}} LiquidFormulation mg per ml mL */
/** @typedef {FormulationBase & {liquid: false, strengths: string[], halvable: string[]}} TabletFormulation */
/** @typedef {LiquidFormulation | TabletFormulation} Formulation */
/**
 * One source's equivalent dose for a switch; a range has no single value and is `unavailable`.
 * @typedef {object} Equivalent
 * @property {string} id
 * @property {string} source
 * @property {string} label
 * @property {string} option
 * @property {string | null} mg_per_diazepam_10
 * @property {[string, string]} range the lowest and highest mg per diazepam 10 mg the source gives
 * @property {string} unavailable
 */
/** @typedef {Equivalent & {mg_per_diazepam_10: string}} UsableEquivalent an equivalent a switch can use */
/**
 * @typedef {object} Interactions
 * @property {Record<string, string>} medicines every medicine's generic and brand names (lower case) → its id
 * @property {Interaction[]} items
 */
/**
 * One entry of data/interactions.yaml.
 * @typedef {object} Interaction
 * @property {string} id
 * @property {string} with
 * @property {string} severity
 * @property {string} severity_label
 * @property {string} effect
 * @property {string} what_to_do
 * @property {string[]} only_for
 * @property {string[]} names
 * @property {boolean} other_medicines
 * @property {{id: string, short: string}[]} sources
 */

/**
 * What the planner form holds, by field name (every value as typed; "" when empty or off).
 * @typedef {"medication" | "formulation" | "dose" | "doses" | "crossover" | "equivalence_source" |
 *   "diazepam_formulation" | "percent" | "interval" | "tail" | "tail_below" | "stop_at" | "older" | "start_date"} FieldName
 */
/** @typedef {Record<FieldName, string>} FormValues */
/** @typedef {Partial<Record<FieldName, string>>} FormErrors a message for each field that has a problem */

/**
 * A form of a medicine as plain data.
 * @typedef {{type: "liquid", form: string, mg: string, ml: string, measure_ml: string} |
 *   {type: "tablets", form: string, strengths: string[], halvable?: string[]}} DosingSpec
 */
/**
 * A plan as plain data, as validate() makes it and the parity vectors (tests/planner/vectors.py) hold it.
 * @typedef {object} PlanSpec
 * @property {string} drug
 * @property {DosingSpec} dosing
 * @property {DosingSpec | null} [tail]
 * @property {string | null} [tail_below] null: the tail is used for any dose the main form cannot make
 * @property {string[]} start_doses
 * @property {"proportional" | "fixed-step" | "banded"} method
 * @property {string} amount a fraction of the dose (proportional) or mg (fixed-step); unused when banded
 * @property {number} interval_weeks
 * @property {string} max_cut
 * @property {number} max_cut_weeks
 * @property {EndSpec} end
 * @property {string} [limit_label]
 * @property {string | null} [stop_at]
 * @property {[string, string][]} [bands] banded: [above this daily dose, cut this many mg]
 * @property {[number, number][]} [holds] [step, extra weeks] the reader chose
 * @property {string} [help_hint]
 * @property {CrossoverSpec | null} [crossover]
 */
/**
 * The sourced end point (taper.End): mg in the drug reduced; equivalence "" for diazepam itself.
 * @typedef {{mg: string, diazepam_mg: string, source_label: string, equivalence: string}} EndSpec
 */
/**
 * @typedef {object} CrossoverSpec
 * @property {string} from_drug
 * @property {DosingSpec} from_dosing
 * @property {string} mg_per_diazepam_10
 * @property {string} source_label
 * @property {number} step_weeks
 */

/** @typedef {"start" | "crossover" | "reduction" | "final-stop"} RowKind */
/** @typedef {{code: string, args: Record<string, string | number>}} NoteData a note: Fractions as "n/d" */
/**
 * One dose of the day as data (macros/engine/export.py dose_data).
 * @typedef {object} DoseData
 * @property {string} time
 * @property {string} drug
 * @property {string} mg
 * @property {string | null} form
 * @property {[string, number][] | null} pieces [strength, halves] for tablets
 * @property {string | null} ml for a liquid
 */
/**
 * One step of a plan as data, as macros/engine/export.py row_data gives it (tests/planner/vectors.py).
 * @typedef {object} Row
 * @property {number} step
 * @property {number} week
 * @property {RowKind} kind
 * @property {string} daily
 * @property {string} cut_prev
 * @property {string} cut_start
 * @property {DoseData[]} doses
 * @property {NoteData[]} notes
 * @property {NoteData[]} warnings
 * @property {string} take
 * @property {string[]} notes_text
 * @property {string[]} warnings_text
 */
/** @typedef {{message: string, field: string}} PlanFailure a PlanError as data */
/** @typedef {{rows: Row[], summary: string, error?: undefined} | {rows?: undefined, summary?: undefined, error: PlanFailure}} RunResult */
/**
 * run() with each row's dose text by time of day, for the planner page.
 * largest: the largest share cut in any max_cut_weeks weeks; last: the daily dose stopped from (both "n/d").
 * @typedef {{rows: Row[], summary: string, cells: string[][], largest: string, last: string, error?: undefined} |
 *   {rows?: undefined, summary?: undefined, cells?: undefined, error: PlanFailure}} PageResult
 */

(function () {
  "use strict";

  /** @typedef {Q | bigint | number | string} QLike what Q.of reads */
  /** @typedef {Tablets | Liquid} Dosing */
  /**
   * A plan the engine runs (taper.Plan): planFromSpec() reads a PlanSpec into exact numbers and forms.
   * @typedef {object} Plan
   * @property {string} drug
   * @property {Dosing} dosing
   * @property {Q[]} startDoses
   * @property {string} method
   * @property {Q} amount
   * @property {number} intervalWeeks
   * @property {Q} maxCut
   * @property {number} maxCutWeeks
   * @property {End} end
   * @property {string} limitLabel
   * @property {Crossover | null} crossover
   * @property {Dosing | null} tail
   * @property {Q | null} tailBelow
   * @property {Q | null} stopAt
   * @property {[Q, Q][]} bands
   * @property {[number, number][]} holds
   * @property {string} helpHint
   * @property {Q} stopFrom
   */
  /** @typedef {{mg: Q, diazepamMg: Q, sourceLabel: string, equivalence: string}} End */
  /** @typedef {Q | number | string} NoteValue */
  /** @typedef {{time: string, drug: string, mg: Q, form: Dosing | null}} Dose */
  /**
   * @typedef {object} EngineRow taper.Row
   * @property {number} step
   * @property {number} week
   * @property {RowKind} kind
   * @property {Dose[]} doses
   * @property {Q} dailyMg
   * @property {Q} cutPrev
   * @property {Q} cutStart
   * @property {Note[]} warnings
   * @property {Note[]} notes
   */
  /** @typedef {{plan: Plan, unitDrug: string, rows: EngineRow[]}} Result */
  /**
   * @typedef {object} Crossover
   * @property {string} fromDrug
   * @property {Dosing} fromDosing
   * @property {Q} mgPerDiazepam10
   * @property {string} sourceLabel
   * @property {number} stepWeeks
   */

  const MAX_PIECES = 10;
  const MAX_TABLE_UNITS = 20000; // taper.MAX_TABLE_UNITS

  /** A plan that cannot be made, with the field (macros/engine/taper.py's name) it comes from. */
  class PlanError extends Error {
    /** @param {string} message @param {string} [field] */
    constructor(message, field = "") {
      super(message);
      this.name = "PlanError";
      this.field = field;
    }
  }

  // ---------------------------------------------------------------- exact rationals
  const babs = (/** @type {bigint} */ a) => (a < 0n ? -a : a);
  /** @param {bigint} a @param {bigint} b */
  function bgcd(a, b) {
    a = babs(a);
    b = babs(b);
    while (b) [a, b] = [b, a % b];
    return a;
  }
  const blen = (/** @type {bigint} */ a) => (a === 0n ? 0 : a.toString(2).length);

  /** An exact rational, always in lowest terms with a positive denominator. */
  class Q {
    /** @param {bigint | number} n @param {bigint | number} [d] */
    constructor(n, d = 1n) {
      n = BigInt(n);
      d = BigInt(d);
      if (d === 0n) throw new RangeError("division by zero");
      if (d < 0n) [n, d] = [-n, -d];
      const g = bgcd(n, d) || 1n;
      this.n = n / g;
      this.d = d / g;
    }
    /**
     * "0.125", "1/8", "3", 3, 3n or a Q: decimals are read exactly, as Fraction(str) does.
     * @param {QLike} x
     * @returns {Q}
     */
    static of(x) {
      if (x instanceof Q) return x;
      if (typeof x === "bigint") return new Q(x);
      if (typeof x === "number") {
        if (!Number.isInteger(x)) throw new RangeError(`not exact: ${x}`);
        return new Q(BigInt(x));
      }
      const s = String(x).trim();
      let m = /^(-?\d+)\/(\d+)$/.exec(s);
      if (m) return new Q(BigInt(m[1]), BigInt(m[2]));
      m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s);
      if (!m || m[2] + (m[3] || "") === "") throw new RangeError(`not a number: ${JSON.stringify(x)}`);
      const frac = m[3] || "";
      const n = BigInt((m[2] || "0") + frac);
      return new Q(m[1] ? -n : n, 10n ** BigInt(frac.length));
    }
    /** @param {QLike} o */
    add(o) { o = Q.of(o); return new Q(this.n * o.d + o.n * this.d, this.d * o.d); }
    /** @param {QLike} o */
    sub(o) { o = Q.of(o); return new Q(this.n * o.d - o.n * this.d, this.d * o.d); }
    /** @param {QLike} o */
    mul(o) { o = Q.of(o); return new Q(this.n * o.n, this.d * o.d); }
    /** @param {QLike} o */
    div(o) { o = Q.of(o); return new Q(this.n * o.d, this.d * o.n); }
    /** @param {number} k */
    pow(k) { return new Q(this.n ** BigInt(k), this.d ** BigInt(k)); }
    abs() { return new Q(babs(this.n), this.d); }
    /** @param {QLike} o @returns {-1 | 0 | 1} */
    cmp(o) { o = Q.of(o); const l = this.n * o.d, r = o.n * this.d; return l < r ? -1 : l > r ? 1 : 0; }
    /** @param {QLike} o */
    eq(o) { return this.cmp(o) === 0; }
    /** @param {QLike} o */
    lt(o) { return this.cmp(o) < 0; }
    /** @param {QLike} o */
    le(o) { return this.cmp(o) <= 0; }
    /** @param {QLike} o */
    gt(o) { return this.cmp(o) > 0; }
    /** @param {QLike} o */
    ge(o) { return this.cmp(o) >= 0; }
    isInt() { return this.d === 1n; }
    floor() {
      const q = this.n / this.d;
      return q * this.d !== this.n && this.n < 0n ? q - 1n : q;
    }
    /** The nearest double, correctly rounded (like Python's float(Fraction)). */
    toNumber() {
      if (this.n === 0n) return 0;
      const neg = this.n < 0n, n = babs(this.n);
      const k = Math.max(0, 60 + blen(this.d) - blen(n));
      const scaled = n << BigInt(k);
      let q = scaled / this.d;
      q = (q << 1n) | (scaled % this.d ? 1n : 0n); // sticky bit: no false ties
      const x = Number(q) / 2 ** (k + 1);
      return neg ? -x : x;
    }
    toString() { return `${this.n}/${this.d}`; }
  }
  const ZERO = new Q(0n), ONE = new Q(1n);
  const qmax = (/** @type {Q} */ a, /** @type {Q} */ b) => (a.ge(b) ? a : b);
  const qmin = (/** @type {Q} */ a, /** @type {Q} */ b) => (a.le(b) ? a : b);

  /** The exact value of a double, as a rational. @param {number} x */
  function doubleToQ(x) {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const hi = view.getUint32(0), lo = view.getUint32(4);
    const e = (hi >>> 20) & 0x7ff;
    let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    let exp = -1074;
    if (e) { m |= 1n << 52n; exp = e - 1075; }
    const q = exp >= 0 ? new Q(m << BigInt(exp)) : new Q(m, 1n << BigInt(-exp));
    return hi >>> 31 ? q.mul(-1) : q;
  }

  /**
   * Python's f"{x:.{digits}f}": the double's exact value, rounded half to even.
   * @param {number} x
   * @param {number} digits
   */
  function fixed(x, digits) {
    const q = doubleToQ(x);
    const v = q.abs().mul(10n ** BigInt(digits));
    let whole = v.floor();
    const c = v.sub(whole).cmp(new Q(1n, 2n));
    if (c > 0 || (c === 0 && whole % 2n === 1n)) whole += 1n;
    let s = whole.toString().padStart(digits + 1, "0");
    if (digits) s = `${s.slice(0, -digits)}.${s.slice(-digits)}`;
    return (q.n < 0n ? "-" : "") + s;
  }

  /** 0.125 → '0.125', 10 → '10' (taper.fmt_mg). @param {QLike} value @returns {string} */
  function fmtMg(value) {
    value = Q.of(value);
    if (value.isInt()) return value.n.toString();
    return fixed(value.toNumber(), 4).replace(/0+$/, "").replace(/\.$/, "");
  }

  /** taper.fmt_pct: one decimal of a percentage. */
  const fmtPct = (/** @type {QLike} */ value) => fixed(Q.of(value).toNumber() * 100, 1);

  /** The largest rational that divides every value a whole number of times. @param {Q[]} values */
  function gcdQ(values) {
    let den = 1n;
    for (const v of values) den = (den * v.d) / bgcd(den, v.d);
    let g = 0n;
    for (const v of values) g = bgcd(g, (v.n * den) / v.d);
    return new Q(g, den);
  }

  // ---------------------------------------------------------------- formulations
  /** @typedef {{mg: Q, strength: Q, half: boolean}} Piece a whole tablet, or half of one */
  /** @typedef {{sizes: number[], best: number[], choice: number[]}} PieceTable see Tablets.table */

  class Tablets {
    /** @param {string} drug @param {string} form @param {QLike[]} strengths @param {QLike[]} halvable */
    constructor(drug, form, strengths, halvable) {
      this.drug = drug;
      this.form = form;
      this.strengths = strengths.map(Q.of);
      this.halvable = halvable.map(Q.of);
      this.help = "";
      /** @type {Piece[]} */
      const pieces = this.strengths.map((s) => ({ mg: s, strength: s, half: false }));
      for (const s of this.halvable) {
        if (this.strengths.some((t) => t.eq(s))) pieces.push({ mg: s.div(2), strength: s, half: true });
      }
      pieces.sort((a, b) => b.mg.cmp(a.mg) || Number(a.half) - Number(b.half));
      this.pieces = pieces;
      this.unit = gcdQ(pieces.map((p) => p.mg));
      /** @type {Map<number, PieceTable>} */
      this.tables = new Map();
      /** @type {number[] | undefined} */
      this._makeableUnits = undefined;
    }

    /**
     * Cheapest way to make every reachable total (in units); a half costs splitCost.
     * @param {number} splitCost
     * @returns {PieceTable}
     */
    table(splitCost) {
      if (!this.tables.has(splitCost)) {
        const sizes = this.pieces.map((p) => Number(p.mg.div(this.unit).n));
        const costs = this.pieces.map((p) => (p.half ? splitCost : 1));
        const top = MAX_PIECES * Math.max(...sizes);
        if (top > MAX_TABLE_UNITS) {
          throw new PlanError(
            `${this.label}: the strengths are too far apart to combine (up to ${MAX_PIECES} × ` +
              `${fmtMg(this.strengths.reduce(qmax))} mg in steps of ${fmtMg(this.unit)} mg is ${top} doses, ` +
              `more than ${MAX_TABLE_UNITS}); check the strengths`,
            "formulation",
          );
        }
        const best = [0, ...new Array(top).fill(Infinity)];
        const choice = new Array(top + 1).fill(-1);
        for (let total = 1; total <= top; total++) {
          sizes.forEach((size, k) => {
            if (size <= total && best[total - size] + costs[k] < best[total]) {
              best[total] = best[total - size] + costs[k];
              choice[total] = k;
            }
          });
        }
        this.tables.set(splitCost, { sizes, best, choice });
      }
      return /** @type {PieceTable} */ (this.tables.get(splitCost));
    }

    /**
     * Whole tablets if MAX_PIECES or fewer make the dose, otherwise the fewest pieces.
     * @param {Q} dose
     * @returns {[Q, number][] | null} [strength, how many halves], largest strength first
     */
    combo(dose) {
      if (dose.le(ZERO)) return null;
      const units = dose.div(this.unit);
      if (!units.isInt()) return null;
      for (const splitCost of [MAX_PIECES + 1, 1]) {
        const { sizes, best, choice } = this.table(splitCost);
        if (units.n >= BigInt(best.length) || best[Number(units.n)] === Infinity) return null;
        /** @type {Map<string, [Q, number]>} */
        const halves = new Map(); // strength text → [strength, halves]
        let total = Number(units.n), count = 0;
        while (total) {
          const piece = this.pieces[choice[total]];
          const key = piece.strength.toString();
          const prev = halves.get(key) || /** @type {[Q, number]} */ ([piece.strength, 0]);
          halves.set(key, [piece.strength, prev[1] + (piece.half ? 1 : 2)]);
          total -= sizes[choice[total]];
          count += 1;
        }
        if (count <= MAX_PIECES) return [...halves.values()].sort((a, b) => b[0].cmp(a[0]));
      }
      return null;
    }

    /** @param {Q} dose */
    makeable(dose) { return this.combo(dose) !== null; }

    /** The largest total (in units) the table reaches. */
    get topUnits() { return this.table(1).best.length - 1; }

    /** Every total (in units) the tablets can make, ascending (taper._makeable_units). */
    get makeableUnits() {
      if (!this._makeableUnits) {
        const out = [];
        for (let k = 1; k <= this.topUnits; k++) if (this.combo(this.unit.mul(k)) !== null) out.push(k);
        this._makeableUnits = out;
      }
      return this._makeableUnits;
    }

    /** @param {Q} dose */
    describe(dose) {
      const combo = this.combo(dose);
      if (combo === null) throw new PlanError(`${fmtMg(dose)} mg cannot be made from ${this.label}`);
      return combo
        .map(([strength, halves]) => {
          const whole = Math.floor(halves / 2), half = halves % 2;
          const count = (whole ? String(whole) : "") + (half ? "½" : "");
          const plural = halves > 2 ? "s" : "";
          return `${count} × ${fmtMg(strength)} mg ${this.form}${plural}`;
        })
        .join(" + ");
    }

    get label() {
      const list = (/** @type {Q[]} */ xs) => xs.map((s) => `${fmtMg(s)} mg`).join(", ");
      let scored = "not split";
      if (this.halvable.length) {
        const key = (/** @type {Q[]} */ xs) => [...new Set(xs.map(String))].sort().join(" ");
        scored = key(this.halvable) === key(this.strengths) ? "all can be halved" : `${list(this.halvable)} can be halved`;
      }
      return `${this.drug} ${list(this.strengths)} ${this.form}s (${scored})`;
    }
  }

  class Liquid {
    /** @param {string} drug @param {string} form @param {QLike} mg @param {QLike} ml @param {QLike} measureMl */
    constructor(drug, form, mg, ml, measureMl) {
      this.drug = drug;
      this.form = form;
      this.mg = Q.of(mg);
      this.ml = Q.of(ml);
      this.measureMl = Q.of(measureMl);
      this.unit = this.measureMl.mul(this.mg).div(this.ml);
      this.help = "a more dilute liquid, or a syringe that measures smaller volumes";
    }
    /** @param {Q} dose */
    makeable(dose) { return dose.gt(ZERO) && dose.div(this.unit).isInt(); }
    /** @param {Q} dose */
    describe(dose) {
      if (!this.makeable(dose)) throw new PlanError(`${fmtMg(dose)} mg cannot be measured with ${this.label}`);
      return `${fmtMg(dose.mul(this.ml).div(this.mg))} mL of ${this.strength} ${this.form}`;
    }
    get strength() {
      const per = this.ml.eq(ONE) ? "mL" : `${fmtMg(this.ml)} mL`;
      return `${fmtMg(this.mg)} mg/${per}`;
    }
    get label() { return `${this.drug} ${this.strength} ${this.form} measured to ${fmtMg(this.measureMl)} mL`; }
  }

  /** @param {string} drug @param {DosingSpec} spec @returns {Dosing} */
  function dosingFromSpec(drug, spec) {
    if (spec.type === "liquid") return new Liquid(drug, spec.form, spec.mg, spec.ml, spec.measure_ml);
    return new Tablets(drug, spec.form, spec.strengths, spec.halvable || []);
  }

  /**
   * A plan from plain data (strings for every exact number), as the parity vectors (tests/planner/vectors.py) hold it.
   * @param {PlanSpec} spec
   * @returns {Plan}
   */
  function planFromSpec(spec) {
    const cross = spec.crossover;
    const stopAt = spec.stop_at == null ? null : Q.of(spec.stop_at);
    const end = {
      mg: Q.of(spec.end.mg),
      diazepamMg: Q.of(spec.end.diazepam_mg),
      sourceLabel: spec.end.source_label,
      equivalence: spec.end.equivalence ?? "",
    };
    return {
      drug: spec.drug,
      dosing: dosingFromSpec(spec.drug, spec.dosing),
      startDoses: spec.start_doses.map(Q.of),
      method: spec.method,
      amount: Q.of(spec.amount ?? "0"),
      intervalWeeks: spec.interval_weeks,
      maxCut: Q.of(spec.max_cut),
      maxCutWeeks: spec.max_cut_weeks,
      end,
      limitLabel: spec.limit_label ?? "the pace limit",
      crossover: cross
        ? {
            fromDrug: cross.from_drug,
            fromDosing: dosingFromSpec(cross.from_drug, cross.from_dosing),
            mgPerDiazepam10: Q.of(cross.mg_per_diazepam_10),
            sourceLabel: cross.source_label,
            stepWeeks: cross.step_weeks,
          }
        : null,
      tail: spec.tail ? dosingFromSpec(spec.drug, spec.tail) : null,
      tailBelow: spec.tail_below == null ? null : Q.of(spec.tail_below),
      stopAt,
      bands: (spec.bands ?? []).map(([above, step]) => /** @type {[Q, Q]} */ ([Q.of(above), Q.of(step)])),
      holds: (spec.holds ?? []).map(([step, weeks]) => /** @type {[number, number]} */ ([step, weeks])),
      helpHint: spec.help_hint ?? "a lower strength or a liquid form",
      stopFrom: stopAt !== null ? stopAt : end.mg,
    };
  }

  // ---------------------------------------------------------------- the engine (taper.py)
  const MAX_STEPS = 400;
  const MAX_WEEKS = 520; // ten years
  const MAX_HOLD_WEEKS = 52;
  /** @type {Record<number, string[]>} */
  const TIMES = {
    1: ["once"],
    2: ["morning", "night"],
    3: ["morning", "midday", "night"],
    4: ["morning", "midday", "evening", "night"],
  };

  /** A note or warning as a code and its values (taper.Note); words turns it into text. */
  class Note {
    /** @param {string} code @param {[string, NoteValue][]} [args] */
    constructor(code, args = []) {
      this.code = code;
      this.args = args;
    }
    /** @param {string} code @param {Record<string, NoteValue>} [args] */
    static of(code, args = {}) { return new Note(code, Object.entries(args)); }
    /** @param {string} key @returns {NoteValue} */
    get(key) {
      const hit = this.args.find(([k]) => k === key);
      if (!hit) throw new RangeError(`note ${this.code} has no ${key}`);
      return hit[1];
    }
  }

  const sum = (/** @type {Q[]} */ xs) => xs.reduce((a, b) => a.add(b), ZERO);
  const diazepamFor = (/** @type {Crossover} */ cross, /** @type {Q} */ mg) => mg.mul(10).div(cross.mgPerDiazepam10);
  /** The daily dose the taper starts from: diazepam-equivalent after a crossover (taper._start_daily). */
  function startDaily(/** @type {Plan} */ plan) {
    const cross = plan.crossover;
    return cross === null ? sum(plan.startDoses) : sum(plan.startDoses.map((d) => diazepamFor(cross, d)));
  }

  /** The dose in effect at `week` (taper.dose_at). @param {[number, Q][]} history @param {number} week */
  function doseAt(history, week) {
    for (let i = history.length - 1; i >= 0; i--) if (history[i][0] <= week) return history[i][1];
    return history[0][1];
  }

  /** @param {Plan} plan @param {Q} start */
  function checkPace(plan, start) {
    if (plan.intervalWeeks < 1 || plan.maxCutWeeks < 1) throw new PlanError("intervals are whole weeks, at least 1");
    if (plan.method === "banded") {
      if (!plan.bands.length || plan.bands.some(([, step]) => step.le(ZERO))) {
        throw new PlanError("banded steps need at least one band, each cutting more than 0 mg", "reduction");
      }
      return;
    }
    if (plan.amount.le(ZERO)) throw new PlanError("the reduction must be above 0", "reduction");
    const steps = Math.ceil(plan.maxCutWeeks / plan.intervalWeeks);
    let windowCut;
    if (plan.method === "proportional") {
      if (plan.amount.ge(ONE)) throw new PlanError("a proportional cut must be below 100%", "reduction");
      windowCut = ONE.sub(ONE.sub(plan.amount).pow(steps));
    } else {
      windowCut = qmin(ONE, plan.amount.mul(steps).div(start));
    }
    if (windowCut.gt(plan.maxCut)) {
      throw new PlanError(
        `pace above its limit: ${fmtPct(windowCut)}% in ${plan.maxCutWeeks} weeks, but ` +
          `${plan.limitLabel} allows at most ${fmtPct(plan.maxCut)}% in ${plan.maxCutWeeks} weeks; ` +
          "use a smaller reduction or a longer interval",
        "reduction",
      );
    }
  }

  /** @param {Plan} plan */
  function checkEnd(plan) {
    if (plan.end.mg.le(ZERO) || (plan.stopAt !== null && plan.stopAt.le(ZERO))) {
      throw new PlanError("the dose to stop from must be above 0 mg", "stop_at");
    }
  }

  // Queries over the multiples of a form's unit, as ranges of BigInt k: never a walk over the grid.
  const ceilQ = (/** @type {Q} */ x) => -x.mul(-1).floor();

  /**
   * The multiples k of dosing.unit with lo <= k × unit < hi (k >= 1), within a tablet set's table (taper._grid).
   * @param {Dosing} dosing @param {Q} lo @param {Q} hi @returns {[bigint, bigint]}
   */
  function grid(dosing, lo, hi) {
    const unit = dosing.unit;
    let kHi = hi.div(unit).floor();
    if (unit.mul(kHi).eq(hi)) kHi -= 1n;
    let kLo = ceilQ(lo.div(unit));
    if (kLo < 1n) kLo = 1n;
    if (dosing instanceof Tablets) {
      const top = BigInt(dosing.topUnits);
      if (top < kHi) kHi = top;
    }
    return [kLo, kHi];
  }

  /** Index of the first element of a sorted number array that is >= x (x a BigInt). @param {number[]} ks @param {bigint} x */
  function bisectLeft(ks, x) {
    let a = 0, b = ks.length;
    while (a < b) {
      const m = (a + b) >> 1;
      if (BigInt(ks[m]) < x) a = m + 1;
      else b = m;
    }
    return a;
  }

  /** The largest k in [lo, hi] this form can make, or null. @param {Dosing} dosing @param {bigint} lo @param {bigint} hi */
  function highest(dosing, lo, hi) {
    if (lo > hi) return null;
    if (dosing instanceof Liquid) return hi;
    const ks = dosing.makeableUnits;
    const i = bisectLeft(ks, hi + 1n) - 1;
    return i >= 0 && BigInt(ks[i]) >= lo ? BigInt(ks[i]) : null;
  }

  /** The smallest k in [lo, hi] this form can make, or null. @param {Dosing} dosing @param {bigint} lo @param {bigint} hi */
  function lowest(dosing, lo, hi) {
    if (lo > hi) return null;
    if (dosing instanceof Liquid) return lo;
    const ks = dosing.makeableUnits;
    const i = bisectLeft(ks, lo);
    return i < ks.length && BigInt(ks[i]) <= hi ? BigInt(ks[i]) : null;
  }

  /** The smallest dose this form makes in [lo, hi), or null. @param {Dosing} dosing @param {Q} lo @param {Q} hi */
  function smallestIn(dosing, lo, hi) {
    const k = lowest(dosing, ...grid(dosing, lo, hi));
    return k === null ? null : dosing.unit.mul(k);
  }

  /** The largest dose this form makes in [lo, hi), or null. @param {Dosing} dosing @param {Q} lo @param {Q} hi */
  function largestIn(dosing, lo, hi) {
    const k = highest(dosing, ...grid(dosing, lo, hi));
    return k === null ? null : dosing.unit.mul(k);
  }

  /** @typedef {{slot: number, mg: Q, onTail: boolean}} Choice */
  /** @typedef {{time: string, drug: string, mg: Q, onTail: boolean, fromDosing: Dosing | null}} Slot */

  /** The state of one build (taper._Taper): the doses of the day, the weeks each total took effect, the rows. */
  class Taper {
    /** @param {Plan} plan */
    constructor(plan) {
      this.plan = plan;
      this.start = startDaily(plan);
      /** @type {EngineRow[]} */
      this.rows = [];
      /** @type {Slot[]} */
      this.slots = [];
      /** @type {[number, Q][]} */
      this.history = [];
    }

    /** @param {Q} mg */
    tailAllowed(mg) {
      const plan = this.plan;
      return plan.tail !== null && (plan.tailBelow === null || mg.le(plan.tailBelow));
    }

    /** @param {Slot} slot @returns {Dosing | null} */
    formOf(slot) {
      if (slot.mg.eq(ZERO)) return null;
      if (slot.fromDosing !== null) return slot.fromDosing;
      return slot.onTail ? this.plan.tail : this.plan.dosing;
    }

    /** @returns {Dose[]} */
    doses() { return this.slots.map((s) => ({ time: s.time, drug: s.drug, mg: s.mg, form: this.formOf(s) })); }

    total() {
      const cross = this.plan.crossover;
      if (cross === null) return sum(this.slots.map((s) => s.mg));
      return sum(this.slots.map((s) => (s.fromDosing === null ? s.mg : diazepamFor(cross, s.mg))));
    }

    /** Whether `mg` goes on the tail form (false: the main form); PlanError if neither makes it. @param {Q} mg @param {string} time */
    place(mg, time) {
      const plan = this.plan;
      if (plan.dosing.makeable(mg)) return false;
      if (plan.tail !== null && this.tailAllowed(mg) && plan.tail.makeable(mg)) return true;
      throw new PlanError(`starting ${time} dose ${fmtMg(mg)} mg cannot be made from ${plan.dosing.label}`, "start_doses_mg");
    }

    /** @param {RowKind} kind @param {number} week @param {Q} prev @param {Note[]} [notes] @param {Note[]} [warnings] */
    add(kind, week, prev, notes = [], warnings = []) {
      const total = this.total();
      const cutPrev = prev.eq(ZERO) ? ZERO : prev.sub(total).div(prev);
      const cutStart = this.start.sub(total).div(this.start);
      this.rows.push({ step: this.rows.length, week, kind, doses: this.doses(), dailyMg: total, cutPrev, cutStart, warnings, notes });
      this.history.push([week, total]);
    }

    /** The start row (and a crossover's switch rows); returns the week the taper starts from. */
    begin() {
      const plan = this.plan;
      const times = TIMES[plan.startDoses.length];
      if (times === undefined) throw new PlanError(`a plan has 1 to 4 doses a day, not ${plan.startDoses.length}`, "start_doses_mg");
      const cross = plan.crossover;
      if (cross === null) {
        times.forEach((time, i) => {
          const mg = plan.startDoses[i];
          if (mg.le(ZERO)) throw new PlanError(`each dose must be above 0 mg (the ${time} dose is ${fmtMg(mg)})`, "start_doses_mg");
          this.slots.push({ time, drug: plan.drug, mg, onTail: this.place(mg, time), fromDosing: null });
        });
        const tails = this.slots.filter((s) => s.onTail).map((s) => this.tailNote(s.time));
        this.add("start", 0, ZERO, tails);
        return 0;
      }
      times.forEach((time, i) => {
        const mg = plan.startDoses[i];
        if (mg.le(ZERO) || !cross.fromDosing.makeable(mg)) {
          throw new PlanError(`starting ${time} dose ${fmtMg(mg)} mg cannot be made from ${cross.fromDosing.label}`, "start_doses_mg");
        }
        this.slots.push({ time, drug: cross.fromDrug, mg, onTail: false, fromDosing: cross.fromDosing });
      });
      const fromTotal = sum(plan.startDoses);
      this.add("start", 0, ZERO, [
        Note.of("equivalence", { drug: cross.fromDrug, mg: fromTotal, diazepam: this.start, source: cross.sourceLabel }),
      ]);
      let week = 0;
      for (const slot of [...this.slots].reverse()) {
        week += cross.stepWeeks;
        const diazepam = diazepamFor(cross, slot.mg);
        if (!plan.dosing.makeable(diazepam)) {
          throw new PlanError(
            `crossover: ${cross.fromDrug} ${fmtMg(slot.mg)} mg ≈ diazepam ${fmtMg(diazepam)} mg by ` +
              `${cross.sourceLabel}, which cannot be made from ${plan.dosing.label}`,
            "crossover",
          );
        }
        slot.drug = plan.drug;
        slot.mg = diazepam;
        slot.fromDosing = null;
        this.add("crossover", week, this.start, [Note.of("switched", { time: slot.time })]);
      }
      return week;
    }

    /** @param {Q} total */
    target(total) {
      const plan = this.plan;
      if (plan.method === "proportional") return total.mul(ONE.sub(plan.amount));
      return total.sub(this.stepMg(total));
    }

    /** @param {Q} total */
    stepMg(total) {
      const plan = this.plan;
      if (plan.method === "banded") {
        const band = plan.bands.find(([above]) => total.gt(above));
        return band ? band[1] : plan.bands[plan.bands.length - 1][1];
      }
      return plan.amount;
    }

    /** How many intervals a cut from `total` to `next` needs for the pace over time to stay as asked. @param {Q} total @param {Q} next */
    intervalsFor(total, next) {
      const plan = this.plan;
      if (plan.method === "proportional") {
        let k = 1, kept = ONE.sub(plan.amount);
        const share = next.div(total);
        while (kept.gt(share)) {
          k += 1;
          kept = kept.mul(ONE.sub(plan.amount));
        }
        return k;
      }
      return Number(ceilQ(total.sub(next).div(this.stepMg(total))));
    }

    /**
     * The dose (smallest or largest) each allowed form makes for this slot in [lo, hi), main form first.
     * @param {Slot} slot @param {Q} lo @param {Q} hi @param {boolean} smallest @returns {Choice[]}
     */
    options(slot, lo, hi, smallest) {
      const plan = this.plan;
      const index = this.slots.indexOf(slot);
      /** @type {[Dosing, boolean][]} */
      const forms = slot.onTail ? [] : [[plan.dosing, false]];
      if (plan.tail !== null) forms.push([plan.tail, true]);
      /** @type {Choice[]} */
      const out = [];
      for (const [dosing, tail] of forms) {
        let top = hi;
        if (tail && !slot.onTail && plan.tailBelow !== null) {
          top = qmin(hi, dosing.unit.mul(plan.tailBelow.div(dosing.unit).floor() + 1n));
        }
        const found = (smallest ? smallestIn : largestIn)(dosing, lo, top);
        if (found !== null) out.push({ slot: index, mg: found, onTail: tail });
      }
      return out;
    }

    /**
     * The next cut: within the asked pace if a form allows it, else held longer, else warned.
     * @param {number} week @returns {[Choice, number, Note[], Note[]]}
     */
    choose(week) {
      const plan = this.plan;
      const total = this.total();
      const slot = /** @type {Slot} */ (this.slots.find((s) => s.mg.gt(ZERO)));
      const index = this.slots.indexOf(slot);
      const rest = total.sub(slot.mg);
      const base = doseAt(this.history, week - plan.maxCutWeeks);
      const floor = base.mul(ONE.sub(plan.maxCut));
      const target = this.target(total);
      const low = qmax(target, floor).sub(rest);
      const canStop = rest.gt(ZERO);
      /** @type {Note[]} */
      let notes = [];
      // 1. A dose within the asked pace (and the limit): the main form first, then the tail.
      if (canStop && low.le(ZERO)) return [{ slot: index, mg: ZERO, onTail: slot.onTail }, 1, [], []];
      const within = this.options(slot, qmax(low, ZERO), slot.mg, true);
      if (within.length) {
        const choice = within[0];
        if (plan.method !== "proportional" && target.lt(floor) && total.sub(rest.add(choice.mg)).lt(this.stepMg(total))) {
          notes = [Note.of("step-capped", { step: this.stepMg(total) })];
        }
        return [choice, 1, notes, []];
      }
      // 2. The smallest cut the forms allow, held long enough that the pace over time is as asked.
      const below = this.options(slot, ZERO, qmin(qmax(low, ZERO), slot.mg), false);
      const candidates = canStop ? [...below, { slot: index, mg: ZERO, onTail: slot.onTail }] : below;
      if (candidates.length) {
        let choice = candidates[0];
        for (const c of candidates) if (c.mg.gt(choice.mg)) choice = c; // the first on a tie, as max() keeps
        const next = rest.add(choice.mg);
        if (next.ge(total.mul(ONE.sub(plan.maxCut)))) {
          let k = this.intervalsFor(total, next);
          while (next.lt(doseAt(this.history, week + (k - 1) * plan.intervalWeeks - plan.maxCutWeeks).mul(ONE.sub(plan.maxCut)))) {
            k += 1;
          }
          if (k > 1) notes = [Note.of("held", { weeks: k * plan.intervalWeeks, usual: plan.intervalWeeks })];
          return [choice, k, notes, []];
        }
        // 3. Nothing within the limit: the smallest cut there is, with a warning that says so.
        return [choice, 1, [], [this.cutWarning(total, next, floor)]];
      }
      return [{ slot: -1, mg: ZERO, onTail: false }, 1, [], []]; // no smaller dose at all: the final stop
    }

    /** @param {Q} total @param {Q} next @param {Q} floor */
    cutWarning(total, next, floor) {
      const plan = this.plan;
      return Note.of("cut-above-limit", {
        before: total,
        after: next,
        cut: total.sub(next).div(total),
        floor,
        limit: plan.maxCut,
        weeks: plan.maxCutWeeks,
        limit_label: plan.limitLabel,
        form: plan.tail === null ? plan.dosing.label : `${plan.dosing.label} or ${plan.tail.label}`,
        hint: this.hint(),
      });
    }

    /** @param {string} time */
    tailNote(time) { return Note.of("tail", { time, form: /** @type {Dosing} */ (this.plan.tail).label }); }

    hint() {
      const plan = this.plan;
      if (plan.tail !== null && plan.tail instanceof Liquid) return plan.tail.help;
      return plan.dosing.help || plan.helpHint;
    }

    /** @param {number} week @param {Q} total @param {boolean} warned */
    stop(week, total, warned) {
      const plan = this.plan;
      const notes = [Note.of("stop", { mg: total, end: plan.stopFrom })];
      const warnings = [];
      if (total.gt(plan.end.mg)) {
        warnings.push(
          Note.of("stop-above-end", {
            mg: total,
            end: plan.end.mg,
            diazepam: plan.end.diazepamMg,
            source: plan.end.sourceLabel,
            equivalence: plan.end.equivalence,
            smallest: warned ? 1 : 0,
            hint: this.hint(),
          }),
        );
      }
      for (const s of this.slots) s.mg = ZERO;
      this.add("final-stop", week, total, notes, warnings);
    }

    run() {
      const plan = this.plan;
      checkEnd(plan);
      checkPace(plan, this.start);
      let week = this.begin();
      while (this.total().gt(ZERO)) {
        if (this.rows.length > MAX_STEPS) {
          throw new PlanError(`more than ${MAX_STEPS} steps: the reduction is too small to finish`, "reduction");
        }
        if (week > MAX_WEEKS) {
          throw new PlanError(
            `the plan would run past ${Math.floor(MAX_WEEKS / 52)} years: use a larger reduction, ` +
              "a shorter interval or a form that makes smaller doses",
            "reduction",
          );
        }
        const total = this.total();
        const due = week + plan.intervalWeeks;
        if (total.le(plan.stopFrom)) {
          this.stop(due, total, false);
          break;
        }
        const [choice, k, notes, warnings] = this.choose(due);
        if (choice.slot < 0) {
          this.stop(due, total, true);
          break;
        }
        const slot = this.slots[choice.slot];
        const extra = [...notes];
        if (choice.mg.eq(ZERO)) extra.push(Note.of("dose-stopped", { time: slot.time }));
        else if (choice.onTail && !slot.onTail) extra.push(this.tailNote(slot.time));
        slot.mg = choice.mg;
        slot.onTail = choice.onTail;
        week += k * plan.intervalWeeks;
        this.add("reduction", week, total, extra, warnings);
      }
      return this.rows;
    }
  }

  /** The reader's holds: every later row moves by the weeks held; no dose changes (taper._apply_holds). @param {Plan} plan @param {EngineRow[]} rows */
  function applyHolds(plan, rows) {
    /** @type {Map<number, number>} */
    const extra = new Map();
    for (const [step, weeks] of plan.holds) {
      if (!(step >= 0 && step < rows.length - 1)) {
        throw new PlanError(`a hold must be at a step from 0 to ${rows.length - 2}, not ${step}`, "holds");
      }
      if (!(weeks >= 1 && weeks <= MAX_HOLD_WEEKS)) throw new PlanError(`a hold is 1 to ${MAX_HOLD_WEEKS} weeks, not ${weeks}`, "holds");
      extra.set(step, (extra.get(step) ?? 0) + weeks);
    }
    let shift = 0;
    return rows.map((row) => {
      const moved = row.week + shift;
      let notes = row.notes;
      const held = extra.get(row.step);
      if (held !== undefined) {
        shift += held;
        notes = [...notes, Note.of("reader-hold", { weeks: held })];
      }
      return { ...row, week: moved, notes };
    });
  }

  /** Every row of the plan (taper.build). @param {Plan} plan @returns {Result} */
  function build(plan) {
    const rows = applyHolds(plan, new Taper(plan).run());
    return { plan, unitDrug: plan.crossover ? "diazepam" : plan.drug, rows };
  }

  /** @param {Result} result */
  const resultWeeks = (result) => result.rows[result.rows.length - 1].week;
  /** @param {Result} result */
  const resultWarnings = (result) => result.rows.flatMap((r) => r.warnings);
  /** The daily dose the plan stops from. @param {Result} result */
  const lastDose = (result) => (result.rows.length > 1 ? result.rows[result.rows.length - 2] : result.rows[0]).dailyMg;
  /** The largest share cut in any `weeks` weeks before the final stop. @param {Result} result @param {number} weeks */
  function largestWindowCut(result, weeks) {
    const taper = result.rows.filter((r) => r.kind === "reduction");
    if (!taper.length) return ZERO;
    /** @type {[number, Q][]} */
    const changes = result.rows.filter((r) => r.kind !== "final-stop").map((r) => [r.week, r.dailyMg]);
    let worst = ZERO;
    for (const row of taper) {
      const base = doseAt(changes, row.week - weeks);
      worst = qmax(worst, base.sub(row.dailyMg).div(base));
    }
    return worst;
  }

  // ---------------------------------------------------------------- words (macros/engine/words.py, line by line)
  /** @type {Record<string, string>} */
  const TIME_LABELS = { once: "Once a day", morning: "Morning", midday: "Midday", evening: "Evening", night: "Night" };
  const ASK = "ask the prescriber or pharmacist";

  /** @param {NoteValue} value */
  const wMg = (value) => fmtMg(Q.of(/** @type {Q | number} */ (value)));
  /** @param {NoteValue} value */
  const wPct = (value) => fmtPct(Q.of(/** @type {Q | number} */ (value)));
  const cap = (/** @type {string} */ text) => text.slice(0, 1).toUpperCase() + text.slice(1);
  const weeksText = (/** @type {NoteValue} */ n) => (n === 1 ? `${n} week` : `${n} weeks`);

  /** What to take for one dose: '4½ × 2 mg tablets', '2.5 mL of 2 mg/5 mL oral solution', 'none'. @param {Dose} dose */
  function how(dose) {
    if (dose.mg.eq(ZERO) || dose.form === null) return "none";
    return dose.form.describe(dose.mg);
  }

  /** '9 mg (4½ × 2 mg tablets)' (with the drug's name during a switch), or 'none'. @param {Dose} dose @param {boolean} [withDrug] */
  function doseText(dose, withDrug = false) {
    if (dose.mg.eq(ZERO)) return "none";
    const drug = withDrug ? `${dose.drug} ` : "";
    return `${drug}${fmtMg(dose.mg)} mg (${how(dose)})`;
  }

  /** Every dose of the row's day, by time. @param {EngineRow} row @param {boolean} [withDrug] */
  function take(row, withDrug = false) {
    if (row.kind === "final-stop") return "Nothing: the taper is complete.";
    return row.doses.map((d) => `${TIME_LABELS[d.time]}: ${doseText(d, withDrug)}`).join("; ");
  }

  /** @param {Plan} plan */
  function endWords(plan) {
    const end = plan.end;
    if (!end.equivalence) return `${plan.drug} ${fmtMg(end.mg)} mg a day (${end.sourceLabel})`;
    return (
      `${plan.drug} ${fmtMg(end.mg)} mg a day (≈ diazepam ${fmtMg(end.diazepamMg)} mg by ${end.equivalence}; ` +
      `end point from ${end.sourceLabel})`
    );
  }

  /** @param {Note} note @param {Plan} plan @returns {string} */
  function noteText(note, plan) {
    const c = note.code;
    const n = (/** @type {string} */ k) => note.get(k);
    if (c === "equivalence") return `${n("drug")} ${wMg(n("mg"))} mg a day ≈ diazepam ${wMg(n("diazepam"))} mg by ${n("source")}`;
    if (c === "switched") return `${TIME_LABELS[String(n("time"))]} dose switched to diazepam; total unchanged.`;
    if (c === "tail") return `${TIME_LABELS[String(n("time"))]} dose: from here, ${n("form")}.`;
    if (c === "dose-stopped") return `The ${TIME_LABELS[String(n("time"))].toLowerCase()} dose stops here; the other doses go on.`;
    if (c === "held") {
      return (
        `This cut comes after ${weeksText(n("weeks"))} at the previous dose, not ${n("usual")}: the forms in ` +
        "this plan cannot make a smaller cut, and waiting keeps the pace within what was asked."
      );
    }
    if (c === "step-capped") {
      return `Step made smaller than ${wMg(n("step"))} mg to stay within ${fmtPct(plan.maxCut)}% in ${weeksText(plan.maxCutWeeks)}.`;
    }
    if (c === "stop") {
      return `Final step: stop from ${wMg(n("mg"))} mg a day (the end point of this plan: ${wMg(n("end"))} mg or less).`;
    }
    if (c === "reader-hold") return `You chose to stay at this dose ${weeksText(n("weeks"))} longer; the later dates move.`;
    if (c === "cut-above-limit") {
      return (
        `This cut (${wMg(n("before"))} → ${wMg(n("after"))} mg a day, ${wPct(n("cut"))}%) is bigger than ` +
        `the limit of ${wPct(n("limit"))}% in ${weeksText(n("weeks"))} (${n("limit_label")}), because ` +
        `${n("form")} cannot make a dose between ${wMg(n("floor"))} and ${wMg(n("before"))} mg. ` +
        `${cap(String(n("hint")))} would allow a smaller step: ${ASK}.`
      );
    }
    if (c === "stop-above-end") {
      const why = n("smallest") ? "the forms in this plan make no smaller dose" : "the plan was set to stop from a higher dose";
      return (
        `This stop, from ${wMg(n("mg"))} mg a day, is bigger than the end point of ${endWords(plan)}: ` +
        `${why}. ${cap(String(n("hint")))} would allow smaller last steps: ${ASK}.`
      );
    }
    throw new RangeError(`no words for note code ${JSON.stringify(c)}`);
  }

  /** @param {EngineRow} row @param {Plan} plan */
  const notesText = (row, plan) => row.notes.map((x) => noteText(x, plan));
  /** @param {EngineRow} row @param {Plan} plan */
  const warningsText = (row, plan) => row.warnings.map((x) => noteText(x, plan));

  /** @template T @param {T[]} values @param {(v: T) => string} fmt @param {(a: T, b: T) => number} cmp */
  function span(values, fmt, cmp) {
    const sorted = [...values].sort(cmp);
    const lo = sorted[0], hi = sorted[sorted.length - 1];
    return cmp(lo, hi) === 0 ? fmt(lo) : `${fmt(lo)}–${fmt(hi)}`;
  }

  /** A daily dose of the plan's drug in diazepam mg, by the equivalence its end point uses. @param {Result} result @param {Q} mg */
  function diazepamEquivalent(result, mg) {
    const end = result.plan.end;
    return mg.mul(end.diazepamMg).div(end.mg);
  }

  /** What the rows do, in one paragraph. @param {Result} result */
  function summary(result) {
    const plan = result.plan, rows = result.rows;
    const cuts = rows.filter((r) => r.kind === "reduction").map((r) => r.cutPrev);
    /** @type {number[]} */
    const gaps = [];
    for (let i = 1; i < rows.length; i++) if (rows[i].kind === "reduction") gaps.push(rows[i].week - rows[i - 1].week);
    const parts = [`${rows.length - 1} steps over ${resultWeeks(result)} weeks.`];
    if (cuts.length) {
      parts.push(
        `Cuts of ${span(cuts, fmtPct, (a, b) => a.cmp(b))}% of the daily dose, every ${span(gaps, String, (a, b) => a - b)} weeks; at most ` +
          `${fmtPct(largestWindowCut(result, plan.maxCutWeeks))}% in any ${weeksText(plan.maxCutWeeks)}.`,
      );
    }
    const last = lastDose(result);
    let de = "";
    if (result.unitDrug !== "diazepam") de = ` (≈ diazepam ${fmtMg(diazepamEquivalent(result, last))} mg by ${plan.end.equivalence})`;
    parts.push(`Last daily dose before stopping: ${result.unitDrug} ${fmtMg(last)} mg${de}.`);
    const count = resultWarnings(result).length;
    parts.push(count ? `${count} step(s) carry a warning.` : "No step carries a warning.");
    return parts.join(" ");
  }

  // ---------------------------------------------------------------- rows as data (macros/engine/export.py)
  const q = (/** @type {Q} */ value) => `${value.n}/${value.d}`;
  /** @param {Note} note @returns {NoteData} */
  const noteData = (note) => ({
    code: note.code,
    args: Object.fromEntries(note.args.map(([k, v]) => [k, v instanceof Q ? q(v) : v])),
  });
  /** @param {Dose} dose @returns {DoseData} */
  function doseData(dose) {
    const form = dose.form;
    const pieces = form instanceof Tablets ? form.combo(dose.mg) : null;
    return {
      time: dose.time,
      drug: dose.drug,
      mg: q(dose.mg),
      form: form !== null ? form.label : null,
      pieces: pieces !== null ? pieces.map(([s, halves]) => /** @type {[string, number]} */ ([q(s), halves])) : null,
      ml: form instanceof Liquid ? q(dose.mg.mul(form.ml).div(form.mg)) : null,
    };
  }
  /** @param {EngineRow} row @param {Result} result @returns {Row} */
  function rowData(row, result) {
    const plan = result.plan;
    return {
      step: row.step,
      week: row.week,
      kind: row.kind,
      daily: q(row.dailyMg),
      cut_prev: q(row.cutPrev),
      cut_start: q(row.cutStart),
      doses: row.doses.map(doseData),
      notes: row.notes.map(noteData),
      warnings: row.warnings.map(noteData),
      take: take(row, plan.crossover !== null),
      notes_text: notesText(row, plan),
      warnings_text: warningsText(row, plan),
    };
  }

  /**
   * A vector's plan spec → {rows, summary} or {error: {message, field}}, exactly as the parity vectors store them.
   * @param {PlanSpec} spec
   * @returns {RunResult}
   */
  function run(spec) {
    const out = runWithCells(spec);
    return out.error ? { error: out.error } : { rows: out.rows, summary: out.summary };
  }

  /**
   * run(), plus each row's dose text by time of day (words.dose_text, "none" on the final stop), as
   * macros/render/schedules.py schedule_table shows a column per time of day.
   * @param {PlanSpec} spec
   * @returns {PageResult}
   */
  function runWithCells(spec) {
    try {
      const result = build(planFromSpec(spec));
      const withDrug = result.plan.crossover !== null;
      return {
        rows: result.rows.map((r) => rowData(r, result)),
        summary: summary(result),
        largest: q(largestWindowCut(result, result.plan.maxCutWeeks)),
        last: q(lastDose(result)),
        cells: result.rows.map((r) => r.doses.map((d) => (r.kind === "final-stop" ? "none" : doseText(d, withDrug)))),
      };
    } catch (err) {
      if (err instanceof PlanError) return { error: { message: err.message, field: err.field } };
      throw err;
    }
  }

  // ---------------------------------------------------------------- form input → plan
  /** @type {(data: PlannerData, f: Formulation) => DosingSpec} */
  const dosingSpecOf = (data, f) =>
    f.liquid
      ? { type: "liquid", form: f.form, mg: f.mg, ml: f.ml, measure_ml: data.measure_ml }
      : { type: "tablets", form: f.form, strengths: f.strengths, halvable: f.halvable };

  /** "A", "A or B", "A; B; or C": labels may hold commas of their own. */
  const orList = (/** @type {string[]} */ xs) => (xs.length < 3 ? xs.join(" or ") : `${xs.slice(0, -1).join("; ")}; or ${xs.at(-1)}`);

  /**
   * Each dose of the day, "1, 0.5" or "1 + 0.5": [Q] (null when empty), or {error}.
   * @param {string | undefined} text
   * @returns {Q[] | null | {error: string}}
   */
  function parseDoses(text) {
    const s = String(text ?? "").trim();
    if (s === "") return null;
    const doses = s.split(/[\s,+]+/).filter(Boolean).map((part) => {
      try {
        const q = Q.of(part);
        return q.gt(ZERO) ? q : null;
      } catch {
        return null;
      }
    });
    if (doses.includes(null)) return { error: "Enter each dose in mg as a number above 0, separated by commas or +, like 1, 0.5." };
    if (doses.length > 4) return { error: `Enter 1 to 4 doses a day (you entered ${doses.length}), or leave this empty.` };
    return /** @type {Q[]} */ (doses); // no null left
  }

  /**
   * Whether a source gives one dose, which a switch can use (a range cannot).
   * @param {Equivalent} e
   * @returns {e is UsableEquivalent}
   */
  const hasOneValue = (e) => Boolean(e.mg_per_diazepam_10);

  /**
   * The switch to diazepam the visitor chose: {target, eq, dzForm} (target is the medicine tapered),
   * with any problem written to errors under the field it belongs to.
   */
  /**
   * @param {PlannerData} data @param {Medication} med @param {FormValues} v @param {FormErrors} errors
   * @returns {{target: Medication, eq: UsableEquivalent | null, dzForm: Formulation | null}}
   */
  function crossoverChoice(data, med, v, errors) {
    if (!v.crossover) return { target: med, eq: null, dzForm: null };
    const dz = /** @type {Medication} */ (data.medications.find((m) => m.id === data.crossover.medication));
    if (v.crossover !== dz.id) {
      errors.crossover = `Tick the box to switch to ${dz.generic} first, or leave it empty.`;
      return { target: med, eq: null, dzForm: null };
    }
    if (med.id === dz.id) {
      errors.crossover = `You already take ${dz.generic}, so there is nothing to switch. Untick the box.`;
      return { target: med, eq: null, dzForm: null };
    }
    const usable = med.equivalents.filter(hasOneValue);
    const eq = usable.find((e) => e.id === v.equivalence_source) ?? null;
    if (!usable.length) {
      errors.crossover = `No source on this site gives one dose of ${med.generic} equal to ${dz.generic} 10 mg, so the planner cannot work out a switch. Untick the box.`;
    } else if (!eq) {
      const allowed = `Sources with one dose for ${med.generic}: ${orList(usable.map((e) => e.label))}.`;
      const range = med.equivalents.find((e) => e.id === v.equivalence_source);
      errors.equivalence_source = v.equivalence_source
        ? range
          ? `${range.label} ${range.unavailable}, so it cannot be used for a switch. ${allowed}`
          : `Choose one of the sources listed. ${allowed}`
        : `Choose which source's equivalent dose to use. ${allowed}`;
    }
    const dzForm = dz.formulations.find((f) => f.id === v.diazepam_formulation && !f.liquid) ?? null;
    if (!dzForm) errors.diazepam_formulation = `Choose the ${dz.generic} tablets to switch to.`;
    return { target: dz, eq, dzForm };
  }

  /**
   * Check what the visitor typed against the site's data (the JSON in #planner-data).
   * Returns {errors: {field: message}, spec}: spec is null while any field has an error.
   * @param {PlannerData} data
   * @param {FormValues} v
   * @returns {{errors: FormErrors, spec: PlanSpec | null}}
   */
  function validate(data, v) {
    /** @type {FormErrors} */
    const errors = {};
    const guide = data.guideline;
    const med = data.medications.find((m) => m.id === v.medication);
    if (!med) return { errors: { medication: "Choose a medicine." }, spec: null };
    const form = med.formulations.find((f) => f.id === v.formulation);
    if (!form) return { errors: { formulation: "Choose the form you take." }, spec: null };
    const { target, eq, dzForm } = crossoverChoice(data, med, v, errors);
    const crossing = target !== med;
    const tailForm = v.tail
      ? target.formulations.find((f) => f.id === v.tail && f.liquid && (crossing || f.id !== form.id))
      : null;
    if (v.tail && !tailForm) errors.tail = crossing ? `Choose a ${target.generic} liquid, or none.` : "Choose a liquid of the same medicine, or none.";

    /** @type {(name: FieldName, text: string | undefined, what: string) => Q | null} */
    const number = (name, text, what) => {
      const s = String(text ?? "").trim();
      if (s === "") { errors[name] = `Enter ${what}.`; return null; }
      let q;
      try { q = Q.of(s); } catch { q = null; }
      if (q === null || q.le(ZERO)) { errors[name] = `Enter ${what} as a number above 0, like 2.5.`; return null; }
      return q;
    };
    const dose = number("dose", v.dose, "the total dose you take in a day, in mg");
    const percent = number("percent", v.percent, "the size of each cut, in %");
    const interval = number("interval", v.interval, "the number of weeks between cuts");
    // empty: the liquid is used for any dose the tablets cannot make (taper.Plan.tail_below None)
    const tailBelow = tailForm && String(v.tail_below ?? "").trim() !== ""
      ? number("tail_below", v.tail_below, "the daily dose at which to change to the liquid, in mg")
      : null;
    const stopAt = String(v.stop_at ?? "").trim() !== ""
      ? number("stop_at", v.stop_at, "the daily dose to stop from, in mg")
      : null;
    const endOf = target.end;
    if (!endOf) errors.medication = `No source on this site gives an equivalent dose of ${target.generic}, so the planner cannot work out where the taper ends.`;
    let doses = parseDoses(v.doses);
    if (doses && "error" in doses) {
      errors.doses = doses.error;
      doses = null;
    }

    const dosingSpec = (/** @type {Formulation} */ f) => dosingSpecOf(data, f);
    const own = dosingFromSpec(med.generic, dosingSpec(form));
    // as the engine places a dose (taper._Taper.place): the main form, else the tail at or below tail_below
    const main = own;
    const tail = tailForm && !crossing ? dosingFromSpec(med.generic, dosingSpec(tailForm)) : null;
    const allowed = (/** @type {Q} */ d) => tail !== null && (tailBelow === null || d.le(tailBelow));
    const makes = (/** @type {Q} */ d) => main.makeable(d) || (tail !== null && allowed(d) && tail.makeable(d));
    if (dose) {
      const solids = med.formulations.filter((f) => !f.liquid).flatMap((f) => f.strengths.map(Q.of));
      const usualMax = solids.length ? solids.reduce(qmax).mul(MAX_PIECES) : null;
      if (usualMax && dose.gt(usualMax)) {
        errors.dose = `That is far above the usual range: more than ${MAX_PIECES} of the largest ${med.generic} tablet or capsule (${fmtMg(usualMax)} mg a day). Check the number.`;
      } else if (!(crossing && doses)) {
        // the day's total is taken as one dose of this form (a crossover's liquid tail is diazepam's)
        if (!makes(dose)) {
          const forms = tail !== null ? [main, tail] : [main];
          const lows = forms.map((d) => largestIn(d, ZERO, dose)).filter((d) => d !== null && (main.makeable(d) || allowed(d)));
          const highs = forms.map((d) => smallestIn(d, dose, dose.mul(2).add(1))).filter((d) => d !== null && !d.eq(dose) && (main.makeable(d) || allowed(d)));
          const pick = (/** @type {(Q | null)[]} */ xs, /** @type {(a: Q, b: Q) => Q} */ f) => /** @type {Q[]} */ (xs).reduce((a, b) => f(a, b));
          const near = [lows.length ? pick(lows, qmax) : null, highs.length ? pick(highs, qmin) : null]
            .filter((d) => d !== null).map((d) => `${fmtMg(d)} mg`);
          errors.dose = `No mix of ${main.label} makes exactly ${fmtMg(dose)} mg.` +
            (near.length ? ` The nearest doses it can make are ${near.join(" and ")}.` : "");
        }
      }
      if (doses && !errors.doses) {
        const total = doses.reduce((a, b) => a.add(b), ZERO);
        const odd = doses.find((d) => (crossing ? !own.makeable(d) : !makes(d)));
        if (!total.eq(dose)) {
          errors.doses = `These doses add up to ${fmtMg(total)} mg, not the ${fmtMg(dose)} mg a day above. Check both numbers.`;
        } else if (odd) {
          errors.doses = `No mix of ${own.label} makes exactly ${fmtMg(odd)} mg, one of the doses above.`;
        }
      }
    }
    const startDoses = doses ?? (dose ? [dose] : []);
    if (crossing && eq && dzForm && !errors.dose && !errors.doses) {
      const dzDosing = dosingFromSpec(target.generic, dosingSpec(dzForm));
      const per10 = Q.of(eq.mg_per_diazepam_10);
      const odd = startDoses.find((d) => !dzDosing.makeable(d.mul(10).div(per10)));
      if (odd) {
        errors.diazepam_formulation = `By ${eq.label}, ${med.generic} ${fmtMg(odd)} mg ≈ ${target.generic} ` +
          `${fmtMg(odd.mul(10).div(per10))} mg, which no mix of ${dzDosing.label} can make. ` +
          "Choose other tablets or another source, or split the day's dose differently.";
      }
    }
    if (stopAt && dose && !crossing && !stopAt.lt(dose)) {
      errors.stop_at = `Enter a dose below the ${fmtMg(dose)} mg a day you take now, or leave this empty.`;
    } else if (stopAt && dose && crossing && eq) {
      const switched = dose.mul(10).div(Q.of(eq.mg_per_diazepam_10));
      if (!stopAt.lt(switched)) {
        errors.stop_at = `Enter a ${target.generic} dose below the ${fmtMg(switched)} mg a day the switch gives, or leave this empty.`;
      }
    }
    if (percent && (percent.lt(guide.cut_min) || percent.gt(guide.cut_max))) {
      errors.percent = `${guide.name} suggests cuts of ${guide.cut_min}% to ${guide.cut_max}% of the dose. Choose a number in that range.`;
    }
    if (interval && (!interval.isInt() || interval.lt(guide.interval_min) || interval.gt(guide.interval_max))) {
      errors.interval = `${guide.name} suggests a cut every ${guide.interval_min} to ${guide.interval_max} weeks. Choose a whole number of weeks in that range.`;
    }
    if (v.start_date && !/^\d{4}-\d{2}-\d{2}$/.test(v.start_date)) errors.start_date = "Enter a date, or leave it empty.";
    if (Object.keys(errors).length) return { errors, spec: null };
    // With no error, every number was read and a switch has its source and tablets: the casts say so to tsc.
    const taperForm = /** @type {Formulation} */ (crossing ? dzForm : form);
    return {
      errors,
      spec: {
        drug: target.generic,
        dosing: dosingSpec(taperForm),
        tail: tailForm ? dosingSpec(tailForm) : null,
        tail_below: tailForm && tailBelow ? String(tailBelow) : null,
        start_doses: startDoses.map(String),
        method: "proportional",
        amount: String(/** @type {Q} */ (percent).div(100)),
        interval_weeks: Number(/** @type {Q} */ (interval).n),
        max_cut: guide.max_cut,
        max_cut_weeks: guide.max_cut_weeks,
        limit_label: guide.name,
        stop_at: stopAt ? String(stopAt) : null,
        end: {
          mg: /** @type {{mg: string}} */ (endOf).mg,
          diazepam_mg: data.end.diazepam_mg,
          source_label: data.end.source_label,
          equivalence: /** @type {{equivalence: string}} */ (endOf).equivalence,
        },
        holds: [],
        bands: [],
        help_hint: data.hints[`${target.id}|${taperForm.id}|${tailForm ? tailForm.id : ""}`] ?? "a lower strength or a liquid form",
        crossover: crossing
          ? {
              from_drug: med.generic,
              from_dosing: dosingSpec(form),
              mg_per_diazepam_10: /** @type {UsableEquivalent} */ (eq).mg_per_diazepam_10,
              source_label: /** @type {UsableEquivalent} */ (eq).label,
              step_weeks: data.crossover.step_weeks,
            }
          : null,
      },
    };
  }

  /** PlanError fields → the form control they belong next to. @type {Record<string, FieldName>} */
  const FIELD_FOR = { medication: "medication", stop_at: "stop_at", reduction: "percent", start_doses_mg: "dose", crossover: "diazepam_formulation", tail: "tail", formulation: "formulation" };

  const words = { TIME_LABELS, how, doseText, take, endWords, noteText, notes: notesText, warnings: warningsText, summary };
  const api = { MAX_PIECES, MAX_HOLD_WEEKS, PlanError, Q, Note, Tablets, Liquid, fmtMg, fmtPct, fixed, planFromSpec, build, rowData, run, runWithCells, validate, words, FIELD_FOR };


  if (typeof module === "object" && module.exports) module.exports = api;
  else globalThis.SBWTaper = api;
})();
