/**
 * The test attacker's own linear programme: a frozen copy of the dense two-phase simplex that
 * src/reporting/linear-bounds.ts held before the audit was rewritten for scale (issue 15), kept
 * here so the property tests judge the module with a solver it does not share.
 */

export interface Constraint {
  /** Sparse coefficients: variable index → coefficient. */
  coef: ReadonlyMap<number, number>;
  op: '=' | '<=' | '>=';
  rhs: number;
}

const EPS = 1e-9;

export class Polytope {
  /** Tableau rows (constraints) over columns [variables, slacks]; rhs in `rhs`. Null when infeasible. */
  private readonly rows: number[][] | null;
  private readonly rhs: number[];
  private readonly basis: number[];
  private readonly width: number;

  constructor(
    readonly n: number,
    constraints: readonly Constraint[],
  ) {
    // Every constraint as a row with rhs ≥ 0; a slack column per inequality, an artificial per row.
    const slackOf: number[] = constraints.map(() => -1);
    let slacks = 0;
    constraints.forEach((c, i) => c.op !== '=' && (slackOf[i] = n + slacks++));
    const width = n + slacks;
    const m = constraints.length;
    const rows: number[][] = [];
    const rhs: number[] = [];
    constraints.forEach((c, i) => {
      const row = new Array<number>(width + m).fill(0);
      for (const [j, v] of c.coef) row[j]! += v;
      if (c.op === '<=') row[slackOf[i]!] = 1;
      if (c.op === '>=') row[slackOf[i]!] = -1;
      let b = c.rhs;
      if (b < 0) {
        for (let j = 0; j < width; j++) row[j] = -row[j]!;
        b = -b;
      }
      row[width + i] = 1;
      rows.push(row);
      rhs.push(b);
    });
    const basis = constraints.map((_, i) => width + i);
    // Phase 1: minimise the artificials (maximise their negated sum).
    const cost = new Array<number>(width + m).fill(0);
    for (let i = 0; i < m; i++) cost[width + i] = -1;
    const t = { rows, rhs, basis };
    const ok = simplex(t, cost, width + m);
    const infeasible = !ok || t.basis.some((b, i) => b >= width && t.rhs[i]! > 1e-7);
    if (infeasible) {
      this.rows = null;
      this.rhs = [];
      this.basis = [];
      this.width = width;
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
    this.rows = t.rows.map((r) => r.slice(0, width));
    this.rhs = t.rhs;
    this.basis = t.basis;
    this.width = width;
  }

  get feasible(): boolean {
    return this.rows !== null;
  }

  /** Minimum and maximum of Σ objective[j]·x[j] (±Infinity when unbounded); null when infeasible. */
  range(objective: ReadonlyMap<number, number>): { min: number; max: number } | null {
    if (!this.rows) return null;
    const max = this.maximise(objective, 1);
    const min = 0 - this.maximise(objective, -1);
    return { min, max };
  }

  /** The maximum alone (half of `range`; the test's attacker asks for the minimum only when it must). */
  max(objective: ReadonlyMap<number, number>): number | null {
    return this.rows ? this.maximise(objective, 1) : null;
  }

  private maximise(objective: ReadonlyMap<number, number>, sign: 1 | -1): number {
    const t = { rows: this.rows!.map((r) => [...r]), rhs: [...this.rhs], basis: [...this.basis] };
    const cost = new Array<number>(this.width).fill(0);
    for (const [j, v] of objective) cost[j]! += sign * v;
    if (!simplex(t, cost, this.width)) return Infinity;
    let value = 0;
    t.basis.forEach((b, i) => (value += cost[b]! * t.rhs[i]!));
    return value;
  }
}

interface Tableau {
  rows: number[][];
  rhs: number[];
  basis: number[];
}

/** Maximises cost·x from the tableau's basis (which must be feasible). False when unbounded. */
function simplex(t: Tableau, cost: number[], width: number): boolean {
  // Reduced costs d_j = cost_j − Σ cost_basis · column_j, kept up to date at each pivot.
  const d = cost.slice(0, width);
  t.rows.forEach((row, i) => {
    const cb = cost[t.basis[i]!]!;
    if (cb) for (let j = 0; j < width; j++) d[j]! -= cb * row[j]!;
  });
  const inBasis = new Set(t.basis);
  for (let guard = 0; guard < 50_000; guard++) {
    // Bland: the lowest improving column, then the lowest basic variable among tied rows.
    let enter = -1;
    for (let j = 0; j < width; j++) if (d[j]! > EPS && !inBasis.has(j)) (enter = j), (j = width);
    if (enter < 0) return true;
    let leave = -1;
    let best = Infinity;
    for (let i = 0; i < t.rows.length; i++) {
      const a = t.rows[i]![enter]!;
      if (a <= EPS) continue;
      const ratio = t.rhs[i]! / a;
      if (ratio < best - EPS || (Math.abs(ratio - best) <= EPS && t.basis[i]! < t.basis[leave]!)) [best, leave] = [ratio, i];
    }
    if (leave < 0) return false;
    inBasis.delete(t.basis[leave]!);
    pivot(t, leave, enter);
    inBasis.add(enter);
    const f = d[enter]!;
    const row = t.rows[leave]!;
    for (let j = 0; j < width; j++) d[j]! -= f * row[j]!;
  }
  throw new Error('simplex did not converge');
}

function pivot(t: Tableau, r: number, c: number): void {
  const row = t.rows[r]!;
  const p = row[c]!;
  for (let j = 0; j < row.length; j++) row[j]! /= p;
  t.rhs[r]! /= p;
  for (let i = 0; i < t.rows.length; i++) {
    if (i === r) continue;
    const f = t.rows[i]![c]!;
    if (Math.abs(f) <= 1e-12) continue;
    const other = t.rows[i]!;
    for (let j = 0; j < other.length; j++) other[j]! -= f * row[j]!;
    t.rhs[i]! -= f * t.rhs[r]!;
  }
  t.basis[r] = c;
}
