/* The taper engine in the browser: a faithful port of macros/engine/taper.py build() (proportional
 * and fixed-step tapers, an optional liquid tail, an optional crossover to diazepam), in exact rational
 * arithmetic (BigInt numerator/denominator), plus validate(), which turns what a visitor
 * typed into a plan spec. Every string it outputs is meant to be byte-identical to the
 * Python engine's; tests/planner/ proves it on many plans.
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
 * @property {Medication[]} medications
 * @property {Record<string, string>} hints "medicine|form|tail" → what would allow smaller steps
 * @property {{medication: string, step_weeks: number, step_source: string, step_fact: string}} crossover
 *   the switch to diazepam: which medicine, and the weeks between switching two doses
 * @property {Interactions} interactions the appointment pack's medicine check (planner.js)
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
 */
/**
 * @typedef {object} FormulationBase
 * @property {string} id
 * @property {string} form
 * @property {string} markets
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
 *   "diazepam_formulation" | "percent" | "interval" | "tail" | "tail_below" | "start_date"} FieldName
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
 * @property {string} [tail_below]
 * @property {string[]} start_doses
 * @property {"proportional" | "fixed-step"} method
 * @property {string} amount a fraction of the dose (proportional) or mg (fixed-step)
 * @property {number} interval_weeks
 * @property {string} max_cut
 * @property {number} max_cut_weeks
 * @property {string} [limit_label]
 * @property {string | null} [stop_at]
 * @property {string} [help_hint]
 * @property {CrossoverSpec | null} [crossover]
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
/**
 * One step of a plan, every field as macros/engine/taper.py gives it.
 * @typedef {object} Row
 * @property {number} step
 * @property {number} week
 * @property {RowKind} kind
 * @property {string} daily_mg
 * @property {string} daily_exact
 * @property {string} cut_prev
 * @property {string} cut_start
 * @property {string} cut_prev_pct
 * @property {string} cut_start_pct
 * @property {string} take
 * @property {string[]} warnings
 * @property {string[]} notes
 */
/** @typedef {{message: string, field: string}} PlanFailure a PlanError as data */
/** @typedef {{rows: Row[], error?: undefined} | {rows?: undefined, error: PlanFailure}} RunResult */

(function () {
  "use strict";

  /** @typedef {Q | bigint | number | string} QLike what Q.of reads */
  /** @typedef {Tablets | Liquid} Dosing */
  /**
   * A plan the engine runs: planFromSpec() reads a PlanSpec into exact numbers and forms.
   * @typedef {object} Plan
   * @property {string} drug
   * @property {Dosing} dosing
   * @property {Dosing | null} tail
   * @property {Q} tailBelow
   * @property {Q[]} startDoses
   * @property {string} method
   * @property {Q} amount
   * @property {number} intervalWeeks
   * @property {Q} maxCut
   * @property {number} maxCutWeeks
   * @property {string} limitLabel
   * @property {Q | null} stopAt
   * @property {string} helpHint
   * @property {(dose: Q) => Dosing} dosingFor
   * @property {(dose: Q) => boolean} makeable
   * @property {(dose: Q) => string} describe
   * @property {Crossover | null} crossover
   */
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
      this.help = "a more dilute liquid, or a syringe that measures smaller volumes,";
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
    const dosing = dosingFromSpec(spec.drug, spec.dosing);
    const tail = spec.tail ? dosingFromSpec(spec.drug, spec.tail) : null;
    const tailBelow = Q.of(spec.tail_below ?? "0");
    /** @type {Plan} */
    const plan = {
      drug: spec.drug,
      dosing,
      tail,
      tailBelow,
      startDoses: spec.start_doses.map(Q.of),
      method: spec.method,
      amount: Q.of(spec.amount),
      intervalWeeks: spec.interval_weeks,
      maxCut: Q.of(spec.max_cut),
      maxCutWeeks: spec.max_cut_weeks,
      limitLabel: spec.limit_label ?? "the pace limit",
      stopAt: spec.stop_at == null ? null : Q.of(spec.stop_at),
      helpHint: spec.help_hint ?? "a lower strength or a liquid form",
      dosingFor(dose) { return tail !== null && dose.le(tailBelow) ? tail : dosing; },
      makeable(dose) { return this.dosingFor(dose).makeable(dose); },
      describe(dose) { return this.dosingFor(dose).describe(dose); },
      crossover: null, // set below, after the taper's own forms are read
    };
    const cross = spec.crossover;
    plan.crossover = cross
      ? {
          fromDrug: cross.from_drug,
          fromDosing: dosingFromSpec(cross.from_drug, cross.from_dosing),
          mgPerDiazepam10: Q.of(cross.mg_per_diazepam_10),
          sourceLabel: cross.source_label,
          stepWeeks: cross.step_weeks,
        }
      : null;
    return plan;
  }

  // ---------------------------------------------------------------- the engine
  const sum = (/** @type {Q[]} */ xs) => xs.reduce((a, b) => a.add(b), ZERO);
  /** The daily dose the taper starts from: diazepam-equivalent after a crossover (taper._start_daily). */
  function startDaily(/** @type {Plan} */ plan) {
    const cross = plan.crossover;
    return cross === null ? sum(plan.startDoses) : sum(plan.startDoses.map((d) => diazepamFor(cross, d)));
  }
  const diazepamFor = (/** @type {Crossover} */ cross, /** @type {Q} */ mg) => mg.mul(10).div(cross.mgPerDiazepam10);

  /** @param {Plan} plan */
  function checkPace(plan) {
    if (plan.amount.le(ZERO)) throw new PlanError("the reduction must be above 0", "reduction");
    if (plan.intervalWeeks < 1 || plan.maxCutWeeks < 1) throw new PlanError("intervals are whole weeks, at least 1");
    const steps = Math.ceil(plan.maxCutWeeks / plan.intervalWeeks);
    let windowCut;
    if (plan.method === "proportional") {
      if (plan.amount.ge(ONE)) throw new PlanError("a proportional cut must be below 100%", "reduction");
      windowCut = ONE.sub(ONE.sub(plan.amount).pow(steps));
    } else {
      windowCut = qmin(ONE, plan.amount.mul(steps).div(startDaily(plan)));
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

  // Queries over the multiples of a form's unit, as ranges of BigInt k (taper._region and friends):
  // never a walk over the grid, which a fine syringe makes millions of doses long.
  const ceilQ = (/** @type {Q} */ x) => -x.mul(-1).floor();

  /**
   * [lo, hi]: the multiples k with floor <= k × unit < below that this form is used for.
   * @param {Plan} plan @param {Dosing} dosing @param {Q} below @param {Q} floor
   * @returns {[bigint, bigint]}
   */
  function region(plan, dosing, below, floor) {
    const unit = dosing.unit;
    let hi = below.div(unit).floor();
    if (unit.mul(hi).eq(below)) hi -= 1n;
    let lo = ceilQ(floor.div(unit));
    if (lo < 1n) lo = 1n;
    if (plan.tail !== null && plan.tail !== plan.dosing) {
      const edge = plan.tailBelow.div(unit).floor();
      if (dosing === plan.tail) { if (edge < hi) hi = edge; }
      else if (edge + 1n > lo) lo = edge + 1n;
    }
    if (dosing instanceof Tablets) {
      const top = BigInt(dosing.topUnits);
      if (top < hi) hi = top;
    }
    return [lo, hi];
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

  const forms = (/** @type {Plan} */ plan) => [plan.dosing, plan.tail].filter((d) => d !== null);

  /** The largest takeable dose in [floor, below), or null. @param {Plan} plan @param {Q} below @param {Q} floor */
  function largestIn(plan, below, floor) {
    /** @type {Q | null} */
    let out = null;
    for (const dosing of forms(plan)) {
      const k = highest(dosing, ...region(plan, dosing, below, floor));
      if (k !== null) out = out === null ? dosing.unit.mul(k) : qmax(out, dosing.unit.mul(k));
    }
    return out;
  }

  /** The smallest takeable dose in [floor, below), or null. @param {Plan} plan @param {Q} below @param {Q} floor */
  function smallestIn(plan, below, floor) {
    /** @type {Q | null} */
    let out = null;
    for (const dosing of forms(plan)) {
      const k = lowest(dosing, ...region(plan, dosing, below, floor));
      if (k !== null) out = out === null ? dosing.unit.mul(k) : qmin(out, dosing.unit.mul(k));
    }
    return out;
  }

  /**
   * The takeable dose in [floor, below) closest to target (the larger on a tie), or null.
   * @param {Plan} plan @param {Q} below @param {Q} floor @param {Q} target
   */
  function nearest(plan, below, floor, target) {
    /** @type {Q | null} */
    let best = null;
    for (const dosing of forms(plan)) {
      const [lo, hi] = region(plan, dosing, below, floor);
      const at = target.div(dosing.unit).floor();
      for (const k of [highest(dosing, lo, hi < at ? hi : at), lowest(dosing, lo > at + 1n ? lo : at + 1n, hi)]) {
        if (k === null) continue;
        const d = dosing.unit.mul(k);
        if (best === null) {
          best = d;
          continue;
        }
        const c = d.sub(target).abs().cmp(best.sub(target).abs());
        if (c < 0 || (c === 0 && d.gt(best))) best = d;
      }
    }
    return best;
  }

  const largestBelow = (/** @type {Plan} */ plan, /** @type {Q} */ below) => largestIn(plan, below, ZERO);
  /** @param {Plan} plan */
  function smallest(plan) {
    const dose = smallestIn(plan, startDaily(plan).add(1), ZERO);
    if (dose === null) throw new PlanError("no dose up to the starting dose can be made with these forms", "tail");
    return dose;
  }

  /**
   * @param {number} step @param {number} week @param {RowKind} kind @param {Q} daily @param {string} take
   * @param {Q} cutPrev @param {Q} cutStart @param {string[]} [warnings] @param {string[]} [notes]
   * @returns {Row}
   */
  function row(step, week, kind, daily, take, cutPrev, cutStart, warnings = [], notes = []) {
    return {
      step, week, kind,
      daily_mg: fmtMg(daily), daily_exact: String(daily),
      cut_prev: String(cutPrev), cut_start: String(cutStart),
      cut_prev_pct: fmtPct(cutPrev), cut_start_pct: fmtPct(cutStart),
      take, warnings, notes,
    };
  }

  /** Whether a row taking `dose` is measured with the tail form (taper._uses_tail). */
  const usesTail = (/** @type {Plan} */ plan, /** @type {Q} */ dose) =>
    plan.tail !== null && plan.tail !== plan.dosing && dose.gt(ZERO) && plan.dosingFor(dose) === plan.tail;
  const tailNote = (/** @type {Plan} */ plan) => `Switch to ${/** @type {Dosing} */ (plan.tail).label} for the small doses.`;

  /** @type {Record<number, string[]>} */
  const DOSE_LABELS = {
    1: ["Once a day"],
    2: ["Morning", "Night"],
    3: ["Morning", "Midday", "Night"],
    4: ["Morning", "Midday", "Evening", "Night"],
  };

  /**
   * The start row and one row per dose of the day switched to diazepam, last dose first (taper._crossover_rows).
   * @param {Plan} plan a plan with a crossover
   * @param {Q} startDe the starting daily dose as diazepam
   * @returns {[Row[], number]} the rows, and the week of the last switch
   */
  function crossoverRows(plan, startDe) {
    const cross = /** @type {Crossover} */ (plan.crossover);
    const n = plan.startDoses.length;
    if (n < 1 || n > 4) {
      throw new PlanError(`a crossover switches one dose of the day at a time, for 1 to 4 doses, not ${n}`, "start_doses_mg");
    }
    const labels = DOSE_LABELS[n];
    /** @type {[string, Q][]} */
    const current = plan.startDoses.map((d) => [cross.fromDrug, d]);
    for (const d of plan.startDoses) {
      if (!cross.fromDosing.makeable(d)) {
        throw new PlanError(`starting dose ${fmtMg(d)} mg cannot be made from ${cross.fromDosing.label}`, "start_doses_mg");
      }
    }
    const take = () =>
      current
        .map(([drug, mg], i) => {
          const how = (drug === cross.fromDrug ? cross.fromDosing : plan.dosing).describe(mg);
          return `${labels[i]}: ${drug} ${fmtMg(mg)} mg (${how})`;
        })
        .join("; ");
    const rows = [
      row(0, 0, "start", startDe, take(), ZERO, ZERO, [], [
        `${cross.fromDrug} ${fmtMg(sum(plan.startDoses))} mg a day ≈ diazepam ${fmtMg(startDe)} mg by ${cross.sourceLabel}`,
      ]),
    ];
    let week = 0;
    for (let step = 1, index = n - 1; index >= 0; step++, index--) {
      week += cross.stepWeeks;
      const original = current[index][1];
      const diazepam = diazepamFor(cross, original);
      if (!plan.dosing.makeable(diazepam)) {
        throw new PlanError(
          `crossover: ${cross.fromDrug} ${fmtMg(original)} mg ≈ diazepam ${fmtMg(diazepam)} mg by ` +
            `${cross.sourceLabel}, which cannot be made from ${plan.dosing.label}`,
          "crossover",
        );
      }
      current[index] = ["diazepam", diazepam];
      rows.push(row(step, week, "crossover", startDe, take(), ZERO, ZERO, [], [`${labels[index]} dose switched to diazepam; total unchanged`]));
    }
    return [rows, week];
  }

  /** Every row of the plan (taper.build). @param {Plan} plan */
  function build(plan) {
    checkPace(plan);
    const start = startDaily(plan);
    let rows, week;
    if (plan.crossover !== null) {
      [rows, week] = crossoverRows(plan, start);
    } else {
      if (!plan.makeable(start)) {
        throw new PlanError(`starting dose ${fmtMg(start)} mg cannot be made from ${plan.dosing.label}`, "start_doses_mg");
      }
      rows = [row(0, 0, "start", start, plan.describe(start), ZERO, ZERO, [], usesTail(plan, start) ? [tailNote(plan)] : [])];
      week = 0;
    }
    let onTail = plan.crossover === null && usesTail(plan, start); // a crossover's rows use the main form
    const stopAt = plan.stopAt !== null ? plan.stopAt : smallest(plan);
    /** @type {[number, Q][]} */
    const history = [[week, start]];
    let dose = start;
    week += plan.intervalWeeks;
    let step = rows.length;
    while (dose.gt(ZERO)) {
      if (step > 400) throw new PlanError("more than 400 steps: the reduction is too small to finish", "reduction");
      const limitWeek = Math.max(week - plan.maxCutWeeks, history[0][0]);
      const base = /** @type {[number, Q]} */ ([...history].reverse().find(([w]) => w <= limitWeek))[1]; // history[0] always is
      const floor = base.mul(ONE.sub(plan.maxCut));
      const target = plan.method === "proportional" ? dose.mul(ONE.sub(plan.amount)) : qmax(dose.sub(plan.amount), ZERO);
      /** @type {string[]} */
      let warnings = [];
      /** @type {string[]} */
      let notes = [];
      /** @type {Q} */
      let next;
      /** @type {RowKind} */
      let kind;
      if (dose.le(stopAt)) {
        next = ZERO;
        kind = "final-stop";
        notes = [`Final step: stop from ${fmtMg(dose)} mg, the smallest dose in this plan.`];
      } else {
        kind = "reduction";
        const near = nearest(plan, dose, floor, target);
        if (near !== null) {
          next = near;
          if (plan.method === "fixed-step" && dose.sub(next).lt(plan.amount) && target.lt(floor)) {
            notes = [
              `Step made smaller than ${fmtMg(plan.amount)} mg to stay within ` +
                `${fmtPct(plan.maxCut)}% in ${plan.maxCutWeeks} weeks.`,
            ];
          }
        } else {
          const lower = largestBelow(plan, dose);
          if (lower === null) {
            next = ZERO;
            kind = "final-stop";
            notes = [`Final step: stop from ${fmtMg(dose)} mg, the smallest dose this form can make.`];
          } else {
            next = lower;
            const using = plan.dosingFor(dose);
            const hint = using.help || plan.helpHint;
            warnings = [
              `This cut (${fmtMg(dose)} → ${fmtMg(next)} mg, ${fmtPct(dose.sub(next).div(dose))}%) is bigger ` +
                `than the limit of ${fmtPct(plan.maxCut)}% in ${plan.maxCutWeeks} weeks (${plan.limitLabel}), ` +
                `because ${using.label} cannot make a dose between ` +
                `${fmtMg(floor)} and ${fmtMg(dose)} mg. ${hint[0].toUpperCase()}${hint.slice(1)} ` +
                "would allow a smaller step: ask the prescriber or pharmacist.",
            ];
          }
        }
      }
      const take = next.eq(ZERO) ? "Nothing: the taper is complete." : plan.describe(next);
      if (!onTail && usesTail(plan, next)) {
        notes = [...notes, tailNote(plan)];
        onTail = true;
      }
      rows.push(row(step, week, kind, next, take, dose.sub(next).div(dose), start.sub(next).div(start), warnings, notes));
      history.push([week, next]);
      dose = next;
      week += plan.intervalWeeks;
      step += 1;
    }
    return rows;
  }

  /**
   * A vector's plan spec → {rows} or {error: {message, field}}, exactly as the parity vectors store them.
   * @param {PlanSpec} spec
   * @returns {RunResult}
   */
  function run(spec) {
    try {
      return { rows: build(planFromSpec(spec)) };
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
    const tailBelow = tailForm ? number("tail_below", v.tail_below, "the daily dose at which to change to the liquid, in mg") : null;
    let doses = parseDoses(v.doses);
    if (doses && "error" in doses) {
      errors.doses = doses.error;
      doses = null;
    }

    const dosingSpec = (/** @type {Formulation} */ f) => dosingSpecOf(data, f);
    const own = dosingFromSpec(med.generic, dosingSpec(form));
    if (dose) {
      const solids = med.formulations.filter((f) => !f.liquid).flatMap((f) => f.strengths.map(Q.of));
      const usualMax = solids.length ? solids.reduce(qmax).mul(MAX_PIECES) : null;
      if (usualMax && dose.gt(usualMax)) {
        errors.dose = `That is far above the usual range: more than ${MAX_PIECES} of the largest ${med.generic} tablet or capsule (${fmtMg(usualMax)} mg a day). Check the number.`;
      } else if (!(crossing && doses)) {
        // the day's total is taken as one dose of this form (a crossover's liquid tail is diazepam's)
        const probe = planFromSpec({
          drug: med.generic, dosing: dosingSpec(form), tail: tailForm && !crossing ? dosingSpec(tailForm) : null,
          tail_below: tailBelow && !crossing ? String(tailBelow) : "0", start_doses: [String(dose)], method: "proportional",
          amount: "1/10", interval_weeks: 1, max_cut: "1", max_cut_weeks: 1,
        });
        if (!probe.makeable(dose)) {
          const near = [largestBelow(probe, dose), smallestIn(probe, dose.mul(2).add(1), dose)]
            .filter((d) => d && !d.eq(dose)).map((d) => `${fmtMg(/** @type {Q} */ (d))} mg`);
          errors.dose = `No mix of ${probe.dosing.label} makes exactly ${fmtMg(dose)} mg.` +
            (near.length ? ` The nearest doses it can make are ${near.join(" and ")}.` : "");
        }
      }
      if (doses && !errors.doses) {
        const total = doses.reduce((a, b) => a.add(b), ZERO);
        const odd = doses.find((d) => !own.makeable(d));
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
        tail_below: tailForm ? String(tailBelow) : "0",
        start_doses: startDoses.map(String),
        method: "proportional",
        amount: String(/** @type {Q} */ (percent).div(100)),
        interval_weeks: Number(/** @type {Q} */ (interval).n),
        max_cut: guide.max_cut,
        max_cut_weeks: guide.max_cut_weeks,
        limit_label: guide.name,
        stop_at: null,
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
  const FIELD_FOR = { reduction: "percent", start_doses_mg: "dose", crossover: "diazepam_formulation", tail: "tail", formulation: "formulation" };

  const api = { MAX_PIECES, PlanError, Q, Tablets, Liquid, fmtMg, fmtPct, fixed, planFromSpec, build, run, validate, FIELD_FOR };


  if (typeof module === "object" && module.exports) module.exports = api;
  else globalThis.SBWTaper = api;
})();
