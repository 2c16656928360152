/**
 * The range a linear expression can take over a polytope { x ≥ 0, constraints }: what an attacker
 * who reads every published figure of a report, and knows that counts are not negative, can work
 * out about one withheld count (disclosure.ts audits every small count with it).
 *
 * A two-phase simplex on a dense tableau whose pivots touch only the pivot row's non-zero columns
 * (the audit's systems are sums of a few atoms each, so the tableau stays sparse). Phase 1 runs
 * once per polytope; every later question starts from the basis the previous one ended on (any
 * feasible basis is a valid start), and `reaches` stops as soon as the target is met, which is
 * all the audit needs ("can this count be one more than it is?"). Dantzig's entering rule, with
 * Bland's (which cannot cycle) for the rest of a run after a stretch of degenerate pivots.
 */

export interface Constraint {
  /** Sparse coefficients: variable index → coefficient. */
  coef: ReadonlyMap<number, number>;
  op: '=' | '<=' | '>=';
  rhs: number;
}

const EPS = 1e-9;
/** Degenerate pivots in a row after which a run switches to Bland's rule. */
const DEGENERATE_RUN = 50;

interface Tableau {
  rows: Float64Array[];
  rhs: number[];
  basis: number[];
}

export class Polytope {
  /** Tableau rows (constraints) over columns [variables, slacks], at a feasible basis. Null when infeasible. */
  private readonly t: Tableau | null;
  private readonly width: number;

  constructor(
    readonly n: number,
    constraints: readonly Constraint[],
  ) {
    // Every constraint as a row with rhs ≥ 0; a slack column per inequality; an artificial column
    // only for the rows whose slack cannot start in the basis (equalities, and "≥" with rhs > 0).
    const slackOf: number[] = constraints.map(() => -1);
    let slacks = 0;
    constraints.forEach((c, i) => c.op !== '=' && (slackOf[i] = n + slacks++));
    const width = n + slacks;
    const needs = constraints.map((c) => c.op === '=' || (c.op === '<=' ? c.rhs < 0 : c.rhs > 0));
    const artificials = needs.filter(Boolean).length;
    const rows: Float64Array[] = [];
    const rhs: number[] = [];
    const basis: number[] = [];
    constraints.forEach((c, i) => {
      const row = new Float64Array(width + artificials);
      for (const [j, v] of c.coef) row[j]! += v;
      if (c.op === '<=') row[slackOf[i]!] = 1;
      if (c.op === '>=') row[slackOf[i]!] = -1;
      let b = c.rhs;
      if (b < 0) {
        for (let j = 0; j < width; j++) row[j] = -row[j]!;
        b = -b;
      }
      if (needs[i]) {
        const artificial = width + basis.filter((x) => x >= width).length;
        row[artificial] = 1;
        basis.push(artificial);
      } else basis.push(slackOf[i]!);
      rows.push(row);
      rhs.push(b);
    });
    const t: Tableau = { rows, rhs, basis };
    this.width = width;
    // Phase 1: minimise the artificials (maximise their negated sum).
    const cost = new Float64Array(width + artificials);
    for (let i = 0; i < artificials; i++) cost[width + i] = -1;
    const reached = simplex(t, cost, width + artificials, Infinity);
    if (reached === Infinity || t.basis.some((b, i) => b >= width && t.rhs[i]! > 1e-7)) {
      this.t = null;
      return;
    }
    // Drive the artificials still in the basis (at zero) out, or drop their redundant rows.
    for (let i = t.rows.length - 1; i >= 0; i--) {
      if (t.basis[i]! < width) continue;
      const j = t.rows[i]!.findIndex((v, k) => k < width && Math.abs(v) > 1e-7);
      if (j < 0) {
        t.rows.splice(i, 1);
        t.rhs.splice(i, 1);
        t.basis.splice(i, 1);
      } else pivot(t, i, j);
    }
    t.rows = t.rows.map((r) => r.slice(0, width));
    this.t = t;
  }

  get feasible(): boolean {
    return this.t !== null;
  }

  /** Minimum and maximum of Σ objective[j]·x[j] (±Infinity when unbounded); null when infeasible. */
  range(objective: ReadonlyMap<number, number>): { min: number; max: number } | null {
    if (!this.t) return null;
    const max = this.optimise(objective, 1, Infinity);
    const min = 0 - this.optimise(objective, -1, Infinity);
    return { min, max };
  }

  /**
   * Whether Σ objective[j]·x[j] can reach `target` on the polytope (false when infeasible). Stops
   * at the first basis that reaches it.
   */
  reaches(objective: ReadonlyMap<number, number>, target: number): boolean {
    return this.maximum(objective, target) >= target - 1e-7;
  }

  /**
   * The greatest value of Σ objective[j]·x[j], or the first value found that is at least `stopAt`
   * (Infinity when unbounded, −Infinity when infeasible).
   */
  maximum(objective: ReadonlyMap<number, number>, stopAt = Infinity): number {
    return this.t ? this.optimise(objective, 1, stopAt) : -Infinity;
  }

  /** The greatest value of sign·objective, or the first at least `stopAt`; Infinity when unbounded. */
  private optimise(objective: ReadonlyMap<number, number>, sign: 1 | -1, stopAt: number): number {
    const cost = new Float64Array(this.width);
    for (const [j, v] of objective) cost[j]! += sign * v;
    return simplex(this.t!, cost, this.width, stopAt);
  }
}

/**
 * Maximises cost·x from the tableau's basis (which must be feasible), in place, stopping once the
 * objective is at least `stopAt`. Returns the objective reached, or Infinity when unbounded.
 */
function simplex(t: Tableau, cost: Float64Array, width: number, stopAt: number): number {
  // Reduced costs d_j = cost_j − Σ cost_basis · column_j, kept up to date at each pivot.
  const d = cost.slice(0, width);
  let z = 0;
  t.rows.forEach((row, i) => {
    const cb = cost[t.basis[i]!]!;
    if (!cb) return;
    z += cb * t.rhs[i]!;
    for (let j = 0; j < width; j++) if (row[j]) d[j]! -= cb * row[j]!;
  });
  const inBasis = new Uint8Array(width);
  for (const b of t.basis) if (b < width) inBasis[b] = 1;
  let bland = false;
  let degenerate = 0;
  for (let guard = 0; guard < 200_000; guard++) {
    if (z >= stopAt - EPS) return z;
    let enter = -1;
    if (bland) {
      for (let j = 0; j < width; j++) if (d[j]! > EPS && !inBasis[j]) (enter = j), (j = width);
    } else {
      let best = EPS;
      for (let j = 0; j < width; j++) if (d[j]! > best && !inBasis[j]) (best = d[j]!), (enter = j);
    }
    if (enter < 0) return z;
    let leave = -1;
    let best = Infinity;
    for (let i = 0; i < t.rows.length; i++) {
      const a = t.rows[i]![enter]!;
      if (a <= EPS) continue;
      const ratio = t.rhs[i]! / a;
      if (ratio < best - EPS || (Math.abs(ratio - best) <= EPS && t.basis[i]! < t.basis[leave]!)) [best, leave] = [ratio, i];
    }
    if (leave < 0) return Infinity;
    if (best <= EPS) {
      if (++degenerate >= DEGENERATE_RUN) bland = true;
    } else degenerate = 0;
    z += d[enter]! * Math.max(best, 0);
    if (t.basis[leave]! < width) inBasis[t.basis[leave]!] = 0;
    const nz = pivot(t, leave, enter);
    inBasis[enter] = 1;
    const f = d[enter]!;
    const row = t.rows[leave]!;
    for (const j of nz) if (j < width) d[j]! -= f * row[j]!;
    d[enter] = 0;
  }
  throw new Error('simplex did not converge');
}

/** Pivots on (r, c); returns the columns where the pivot row is not zero. */
function pivot(t: Tableau, r: number, c: number): number[] {
  const row = t.rows[r]!;
  const p = row[c]!;
  const nz: number[] = [];
  for (let j = 0; j < row.length; j++) {
    if (!row[j]) continue;
    const v = row[j]! / p;
    if (Math.abs(v) <= 1e-12) row[j] = 0;
    else (row[j] = v), nz.push(j);
  }
  row[c] = 1;
  t.rhs[r]! /= p;
  if (Math.abs(t.rhs[r]!) <= 1e-12) t.rhs[r] = 0;
  for (let i = 0; i < t.rows.length; i++) {
    if (i === r) continue;
    const other = t.rows[i]!;
    const f = other[c]!;
    if (!f) continue;
    if (Math.abs(f) <= 1e-12) {
      other[c] = 0;
      continue;
    }
    for (const j of nz) other[j]! -= f * row[j]!;
    other[c] = 0;
    t.rhs[i]! -= f * t.rhs[r]!;
    // Rounding must not make a basis look infeasible.
    if (t.rhs[i]! < 0 && t.rhs[i]! > -1e-9) t.rhs[i] = 0;
  }
  t.basis[r] = c;
  return nz;
}
