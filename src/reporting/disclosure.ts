import type { Language } from '../authorization/actor.js';
import { keyOf, protect, type Coord, type Entry, type PublishedEntry, type SuppressionKind } from './suppression.js';
import { Polytope, type Constraint } from './linear-bounds.js';

/**
 * Disclosure control: every number a report publishes — on the page, in CSV, XLSX, the PDF,
 * DHIS2 and the factsheet — is decided here, so that nothing published can be combined into a
 * count of fewer than `threshold` records (domain.md §6).
 *
 * - Counts: primary and complementary suppression over the table's cells and margins
 *   (suppression.ts). The grand total, published beside every table, is a complement only as a
 *   last resort.
 * - Chains (the referral funnel: sent ⊇ accepted ⊇ closed with an outcome ⊇ completed): each
 *   step is a count table over the same grid, and the difference between two consecutive steps
 *   is a count too (12 sent and 10 accepted tell that 2 were not). A step is withheld where it is
 *   small, where its difference to the step before is small, or where the step before is
 *   withheld; then complementary suppression runs over the step's table with those entries
 *   preset, so no withheld step can be recovered from its line either.
 * - Ratios (REF-2, REF-3): published only where both their numerator and their denominator are
 *   published counts of the chain (a percentage of a published denominator *is* its numerator).
 * - Medians (REF-4, REF-5): published only when the records behind them number at least the
 *   threshold; otherwise "not published (fewer than N)" in words.
 *
 * Every withheld value carries a reason code (CSV/XLSX status, JSON) and a text in the report's
 * language. Protection is computed for the whole chain whatever indicators a request names, so
 * two requests for the same table withhold the same cells.
 */

/** Why a value is not published. */
export type Reason =
  /** A count of 1 to threshold − 1. */
  | 'small_count'
  /** Withheld so that another withheld count cannot be worked out from its line or totals. */
  | 'protects_small_count'
  /** A funnel step that differs from the step before it by 1 to threshold − 1. */
  | 'small_difference'
  /**
   * A small count or difference not marked as such, because "1 to threshold − 1" with the totals
   * published beside it would tell its value (two "<5" in a row of 8; any "<2").
   */
  | 'small_unmarked'
  /** A funnel step after a withheld one (it would give the withheld step away). */
  | 'earlier_step_withheld'
  /** A percentage whose numerator or denominator is withheld. */
  | 'count_withheld'
  /** A median (or percentage) of 1 to threshold − 1 records. */
  | 'few_records'
  /** A percentage or median with no record behind it: there is no figure. */
  | 'no_records';

export interface Published extends PublishedEntry {
  /** Null when published. */
  reason: Reason | null;
}

/** A chain of counts over one grid: `steps[j][i]` is step j at `coords[i]`; steps never grow. */
export interface Chain {
  coords: Coord[];
  steps: number[][];
}

const COUNT_MARK: Partial<Record<Reason, (t: number) => string>> = {
  small_count: (t) => `<${t}`,
  protects_small_count: () => 'x',
  small_difference: () => 'x',
  small_unmarked: () => 'x',
  earlier_step_withheld: () => 'x',
};

const WORDS: Record<Language, { few: (t: number) => string; withheld: string; none: string }> = {
  en: { few: (t) => `not published (fewer than ${t})`, withheld: 'not published', none: '–' },
  fr: { few: (t) => `non publié (moins de ${t})`, withheld: 'non publié', none: '–' },
  ar: { few: (t) => `غير منشور (أقل من ${t})`, withheld: 'غير منشور', none: '–' },
};

export class Disclosure {
  constructor(
    readonly threshold: number,
    readonly language: Language,
  ) {
    if (!Number.isInteger(threshold) || threshold < 1) throw new Error('suppression threshold must be a positive integer');
  }

  /** Counts (or distinct counts with their computed margins): cells and margins of one table. */
  counts(entries: readonly Entry[], additive = true): Published[] {
    return this.chain({ coords: entries.map((e) => e.coord), steps: [entries.map((e) => e.value)] }, additive)[0]!;
  }

  /**
   * The steps of a chain, each as a published table aligned with `chain.coords`. `additive`
   * (the default) says every margin is the sum of its cells, which the audit relies on; tables of
   * distinct persons cut where one person can sit in two cells (a person in two months is one
   * person in the year) get the line rules only — `additive` in reporting.service.ts decides.
   */
  chain(chain: Chain, additive = true): Published[][] {
    return protectChain(chain, this.threshold, additive).map((why, j) =>
      why.map((reason, i) => {
        const coord = chain.coords[i]!;
        if (!reason) return { coord, value: chain.steps[j]![i]!, display: String(chain.steps[j]![i]!), suppressed: false, reason: null };
        return { coord, value: null, display: COUNT_MARK[reason]!(this.threshold), suppressed: reason === 'small_count' ? 'primary' : 'complementary', reason };
      }),
    );
  }

  /** A percentage of two published counts (one decimal), or withheld with the reason. */
  ratio(numerator: Published, denominator: Published, num: number, den: number): Published {
    const coord = denominator.coord;
    // The withheld counts first: "–" for a withheld denominator would tell that it is 0.
    if (denominator.value === null) return this.withheldDerived(coord, denominator.reason === 'small_count' ? 'few_records' : 'count_withheld');
    if (den === 0) return this.withheldDerived(coord, 'no_records');
    if (numerator.value === null) return this.withheldDerived(coord, 'count_withheld');
    const value = Math.round((1000 * num) / den) / 10;
    return { coord, value, display: this.number(value), suppressed: false, reason: null };
  }

  /**
   * A median over `n` records. `count` is the published count of those records (the chain's
   * step, or the protected table of `n`): when it is withheld the median is too, for the same
   * reason, since "–" or "fewer than 5" would tell what the count hides.
   */
  median(coord: Coord, value: number, n: number, count?: Published): Published {
    if (count && count.value === null) return this.withheldDerived(coord, count.reason === 'small_count' ? 'few_records' : 'count_withheld');
    if (n === 0) return this.withheldDerived(coord, 'no_records');
    if (n < this.threshold) return this.withheldDerived(coord, 'few_records');
    const rounded = Math.round(value * 10) / 10;
    return { coord, value: rounded, display: this.number(rounded), suppressed: false, reason: null };
  }

  /** The words for a withheld percentage or median. */
  text(reason: Reason): string {
    const w = WORDS[this.language];
    return reason === 'no_records' ? w.none : reason === 'few_records' ? w.few(this.threshold) : w.withheld;
  }

  /** Medians of one table, each behind its protected count of records (`base`). */
  medians(entries: readonly { coord: Coord; value: number; base: number }[]): Published[] {
    const counts = this.counts(entries.map((e) => ({ coord: e.coord, value: e.base })));
    return entries.map((e, i) => this.median(e.coord, e.value, e.base, counts[i]));
  }

  private withheldDerived(coord: Coord, reason: Reason): Published {
    return { coord, value: null, display: this.text(reason), suppressed: reason === 'no_records' ? false : reason === 'few_records' ? 'primary' : 'complementary', reason };
  }

  private number(v: number): string {
    return String(v);
  }
}

/** The CSV/XLSX status of a published value. */
export function statusOf(p: Pick<Published, 'suppressed' | 'reason'>): 'published' | 'no_records' | Reason {
  if (p.reason) return p.reason;
  return p.suppressed ? (p.suppressed === 'primary' ? 'small_count' : 'protects_small_count') : 'published';
}

export { withSummedMargins, type Entry } from './suppression.js';

/**
 * Why each entry of each step is withheld (null: published). The table is protected from its
 * grand total down: the grand total's chain first, then each one-way table with the grand total as
 * decided, then the two-way table with its margins as decided (only its cells may be added). So a
 * request by sex alone withholds exactly the margins that the table by sex × age band withholds,
 * and the figures of several tables of one report (the headline, a chart by one dimension, the
 * table by two) are the figures of one protected table.
 *
 * At each level: primary suppression (a small step, or a small difference to the step before),
 * complementary suppression over the lines (suppression.ts), every step after a withheld one
 * withheld, then an audit of every level, whatever its size (issue 15). The audit solves what an
 * attacker can: for every count below the threshold — a cell or margin of a step, or the
 * difference of two steps — whether more than one whole value is consistent with everything
 * published (the published counts, that counts are not negative and steps never grow, and what
 * the reasons tell: "<5" is 1 to 4, a small difference is 1 to 4). Where only one value may
 * remain, the published cell in the same line with the largest count is withheld too, and the
 * audit runs again (withholding only widens ranges, so this ends). Once every cell of the level is
 * withheld, a count still pinned is pinned by the coarser figures together: their margins are
 * withheld then, the grand total last (seen only in tables of three dimensions).
 * Tables that are not sums of their cells (distinct persons by month or unit) get the line rules only.
 */
function protectChain(chain: Chain, t: number, additive: boolean): (Reason | null)[][] {
  const { coords, steps } = chain;
  const N = coords.length;
  let small = false;
  steps.forEach((values, j) => {
    if (values.length !== N) throw new Error('every step of a chain has a value per coordinate');
    values.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0) throw new Error('additive tables hold non-negative integers');
      if (j > 0 && v > steps[j - 1]![i]!) throw new Error('a chain step cannot exceed the step before it');
      const diff = j > 0 ? steps[j - 1]![i]! - v : 0;
      if ((v > 0 && v < t) || (diff > 0 && diff < t)) small = true;
    });
  });
  // No count and no difference of two steps from 1 to t − 1: no level has a primary to protect,
  // so the line rules add nothing and the audit has no count to look for; everything is published
  // (disclosure.spec.ts checks this against the levels). Most tables of a region or a year are
  // like this; skipping the levels saved a supervisor's catalogue of 14 tables 0.35 ms a request.
  if (!small) return steps.map(() => coords.map(() => null));
  return protectLevels(chain, t, additive);
}

/** protectChain's levels, for any chain (exported for the spec that checks the shortcut above). */
export function protectLevels(chain: Chain, t: number, additive: boolean): (Reason | null)[][] {
  const { coords, steps } = chain;
  const S = steps.length;
  const why: (Reason | null)[][] = steps.map(() => coords.map(() => null));
  if (!coords.length) return why;
  const dims = coords[0]!.length;
  const maskOf = (c: Coord) => c.reduce((m, v, d) => (v === null ? m : m | (1 << d)), 0);
  const masks = coords.map(maskOf);
  const levels = Array.from({ length: 1 << dims }, (_, m) => m).sort((a, b) => popcount(a) - popcount(b) || a - b);

  for (const M of levels) {
    // In the order of their coordinates, so that ties are broken alike whatever table holds them.
    const sortKeys = new Map<number, string>();
    masks.forEach((m, i) => (m & ~M) === 0 && sortKeys.set(i, keyOf(coords[i]!.filter((_, d) => (M & (1 << d)) !== 0))));
    const members = [...sortKeys.keys()].sort((a, b) => (sortKeys.get(a)! < sortKeys.get(b)! ? -1 : sortKeys.get(a)! > sortKeys.get(b)! ? 1 : 0));
    const cells = members.filter((i) => masks[i] === M);
    if (!cells.length) continue;
    // Primary: a small step, or a small difference to the step before.
    for (const i of cells) {
      for (let j = 0; j < S; j++) {
        const v = steps[j]![i]!;
        const diff = j > 0 ? steps[j - 1]![i]! - v : 0;
        // At threshold 2, "1 to 1" is the value itself: no mark.
        if (v > 0 && v < t) why[j]![i] = t > 2 ? 'small_count' : 'small_unmarked';
        else if (diff > 0 && diff < t) why[j]![i] = t > 2 ? 'small_difference' : 'small_unmarked';
      }
    }
    // The level's coordinates, projected once: the line rules look them up by key at every settle.
    const memberCoords = members.map((i) => (M === (1 << dims) - 1 ? coords[i]! : coords[i]!.filter((_, d) => (M & (1 << d)) !== 0)));
    // Each step's entries made once: the line rules keep their lines per entry list (suppression.ts).
    const entries = steps.map((values) => members.map((i, k) => ({ coord: memberCoords[k]!, value: values[i]! })));
    const settle = () => settleLevel(masks, M, members, memberCoords, entries, why, t);
    settle();
    if (additive) auditLevel(coords, masks, M, members, cells, why, steps, t, settle);
  }
  return why;
}

/** Later steps after a withheld one, and complementary suppression per step, until nothing changes. */
function settleLevel(masks: number[], M: number, members: number[], memberCoords: Coord[], entries: Entry[][], why: (Reason | null)[][], t: number): void {
  const memberKeys = memberCoords.map(keyOf);
  const fixed = new Set(members.flatMap((i, k) => (masks[i] === M ? [] : [memberKeys[k]!])));
  for (let changed = true; changed; ) {
    changed = false;
    for (let j = 0; j < entries.length; j++) {
      if (j > 0) {
        for (const i of members) {
          if (masks[i] === M && why[j - 1]![i] && why[j]![i] !== 'earlier_step_withheld') {
            why[j]![i] = 'earlier_step_withheld';
            changed = true;
          }
        }
      }
      const preset = new Map<string, SuppressionKind>();
      members.forEach((i, k) => why[j]![i] && preset.set(memberKeys[k]!, why[j]![i] === 'small_count' ? 'primary' : 'complementary'));
      const out = protect(entries[j]!, { threshold: t, mode: 'additive', preset, fixed: (c) => fixed.has(keyOf(c)) });
      out.forEach((p, k) => {
        const i = members[k]!;
        if (p.suppressed && !why[j]![i]) {
          why[j]![i] = 'protects_small_count';
          changed = true;
        }
      });
    }
  }
}

/** A constraint of the attacker's system: the sum of some atoms compared with a number. */
interface Row {
  atoms: number[];
  op: Constraint['op'];
  rhs: number;
  /** The entry the constraint is about. */
  entry?: number;
  /** Scratch of AttackerSystem.movable: the sum at the true point, and a move's change to it. */
  value?: number;
  change?: number;
  stamp?: number;
}

/** An independent part of an attacker's system: its atoms, and its rows (by index). */
interface Part {
  atoms: number[];
  rowIds: number[];
  index?: Map<number, number>;
  polytope?: Polytope;
}

/** A move of the true point: atom `atoms[i]` changes by `d[i]` (each atom once). */
interface Move {
  atoms: number[];
  d: number[];
}

/** Parts of an attacker's system larger than this (in atoms) are tried on slices first. */
const SLICE_ABOVE = 96;
/**
 * Atoms of a part up to which a count with neither witness nor slice is judged by the whole
 * part's linear programme; in a larger part it is taken as pinned (more is withheld: never less
 * safe, sometimes more cautious than needed), since the dense simplex grows too slow there.
 */
const EXACT_ATOMS = 200;
/** Withheld cells a slice around a count frees (the rest held at their values: see auditLevel). */
const SLICE_CELLS = [8, 24];
/** Cells of a count a witness is looked for around, and other values tried per position of a box. */
const SEEDS = 3;
const PARTNERS = 8;
/** Cells a search for a cycle visits at most. */
const CYCLE_CELLS = 400;

/**
 * What an attacker can work out from one level's published figures: unknowns are atoms (a cell's
 * records that stopped at one step of the chain), all ≥ 0, every constraint a sum of atoms (a
 * published step of an entry, a "<5", a small difference). Presolved exactly: the atoms a
 * published 0 covers are 0, and an atom alone in a published sum is that sum; both are
 * substituted. What remains splits into independent parts (atoms linked through shared
 * constraints); the attacker's polytope is their product, so a count's range is the sum of the
 * ranges of its parts, and each part's linear programme is built only when a count needs it.
 */
class AttackerSystem {
  /** The presolve's findings, by atom: known (and its value), and the part of the others. */
  private knownFlag = new Uint8Array(0);
  private partOf = new Int32Array(0);
  private readonly parts: Part[] = [];
  /** A part's rows after the presolve (set by prepare). */
  private rowsOfPart: (part: Part) => Row[] = () => [];
  /** Rows by atom (atom ids are small: cell · steps + stop): atom a's rows are rows[rowIds[rowStart[a] .. rowStart[a + 1] − 1]]. */
  private readonly rowStart: Int32Array;
  private readonly rowIds: Int32Array;
  private stamp = 0;
  /** Scratch of movable. */
  private readonly touched: Row[] = [];

  private prepared = false;
  private readonly rows: Row[];

  constructor(
    rows: readonly Row[],
    /** The true value of an atom (the audit knows the data; the attacker does not). */
    private readonly truth: (atom: number) => number,
  ) {
    // Every field set here, so that all rows share one shape (movable reads them in its loop).
    this.rows = rows.map((r) => ({ atoms: r.atoms, op: r.op, rhs: r.rhs, entry: r.entry, value: undefined, change: 0, stamp: 0 }));
    let A = 0;
    let total = 0;
    for (let i = 0; i < rows.length; i++) {
      const atoms = rows[i]!.atoms;
      total += atoms.length;
      for (let n = 0; n < atoms.length; n++) if (atoms[n]! >= A) A = atoms[n]! + 1;
    }
    const start = (this.rowStart = new Int32Array(A + 1));
    for (let i = 0; i < rows.length; i++) {
      const atoms = rows[i]!.atoms;
      for (let n = 0; n < atoms.length; n++) start[atoms[n]! + 1]!++;
    }
    for (let a = 0; a < A; a++) start[a + 1]! += start[a]!;
    const ids = (this.rowIds = new Int32Array(total));
    const fill = start.slice(0, A);
    for (let i = 0; i < rows.length; i++) {
      const atoms = rows[i]!.atoms;
      for (let n = 0; n < atoms.length; n++) ids[fill[atoms[n]!]!++] = i;
    }
  }

  /** The rows atom a is in, in row order. */
  private rowsWith(a: number): Row[] {
    const rows: Row[] = [];
    if (a + 1 < this.rowStart.length) for (let n = this.rowStart[a]!; n < this.rowStart[a + 1]!; n++) rows.push(this.rows[this.rowIds[n]!]!);
    return rows;
  }

  /** The presolve and the parts, when a count needs a linear programme (most have a witness). */
  private prepare(): void {
    if (this.prepared) return;
    this.prepared = true;
    // On flat arrays (a large level's system has thousands of rows, a margin's thousands of
    // atoms): each row keeps its count of unknown atoms and its right-hand side less the known
    // ones, updated as atoms become known, so that a long row is scanned only when it teaches
    // something. What is learnt is the same whatever the order (each rule only adds facts).
    const rows = this.rows;
    const R = rows.length;
    let A = 0;
    let total = 0;
    for (let i = 0; i < R; i++) {
      const atoms = rows[i]!.atoms;
      total += atoms.length;
      for (let n = 0; n < atoms.length; n++) if (atoms[n]! >= A) A = atoms[n]! + 1;
    }
    const begin = new Int32Array(R + 1);
    const flat = new Int32Array(total);
    const rhs = new Float64Array(R);
    const unknown = new Int32Array(R);
    const perAtom = new Int32Array(A + 1);
    for (let i = 0, n = 0; i < R; i++) {
      const r = rows[i]!;
      begin[i] = n;
      unknown[i] = r.atoms.length;
      rhs[i] = r.rhs;
      for (let m = 0; m < r.atoms.length; m++) (flat[n++] = r.atoms[m]!), perAtom[r.atoms[m]! + 1]!++;
    }
    begin[R] = total;
    // The rows of each atom.
    for (let a = 0; a < A; a++) perAtom[a + 1]! += perAtom[a]!;
    const rowsWith = new Int32Array(total);
    const fill = perAtom.slice(0, A);
    for (let i = 0; i < R; i++) for (let n = begin[i]!; n < begin[i + 1]!; n++) rowsWith[fill[flat[n]!]!++] = i;
    const isKnown = (this.knownFlag = new Uint8Array(A));
    /** Atoms learnt whose rows are still to be looked at again. */
    const learnt: number[] = [];
    const learn = (a: number, v: number) => {
      if (isKnown[a]) return;
      isKnown[a] = 1;
      // Its rows updated at once, so a row is never scanned again for what it already taught.
      for (let n = perAtom[a]!; n < perAtom[a + 1]!; n++) {
        const r = rowsWith[n]!;
        unknown[r]!--;
        rhs[r]! -= v;
      }
      learnt.push(a);
    };
    /** What row i teaches: all its unknown atoms 0 (a sum of at most 0), or its one unknown atom. */
    const teach = (i: number) => {
      if (!unknown[i]) return;
      const op = rows[i]!.op;
      if (op !== '>=' && Math.abs(rhs[i]!) < 1e-9) {
        for (let n = begin[i]!; n < begin[i + 1]!; n++) learn(flat[n]!, 0);
      } else if (op === '=' && unknown[i] === 1) {
        for (let n = begin[i]!; n < begin[i + 1]!; n++) if (!isKnown[flat[n]!]) return learn(flat[n]!, rhs[i]!);
      }
    };
    for (let i = 0; i < R; i++) {
      teach(i);
      while (learnt.length) {
        const a = learnt.pop()!;
        for (let n = perAtom[a]!; n < perAtom[a + 1]!; n++) teach(rowsWith[n]!);
      }
    }
    // Parts: union-find over the atoms of each remaining row; parts and their atoms numbered in
    // the order the rows first name them, each part's rows in row order (made only when its
    // linear programme is).
    const parent = new Int32Array(A).fill(-1);
    const order: number[] = [];
    for (let i = 0; i < R; i++) if (unknown[i]) unite(parent, flat, begin[i]!, begin[i + 1]!, isKnown, order);
    const partOfRoot = new Int32Array(A).fill(-1);
    const partOf = (this.partOf = new Int32Array(A).fill(-1));
    for (const a of order) {
      const root = findRoot(parent, a);
      if (partOfRoot[root] === -1) partOfRoot[root] = this.parts.push({ atoms: [], rowIds: [] }) - 1;
      partOf[a] = partOfRoot[root]!;
      this.parts[partOf[a]!]!.atoms.push(a);
    }
    for (let i = 0; i < R; i++) {
      if (!unknown[i]) continue;
      let n = begin[i]!;
      while (isKnown[flat[n]!]) n++;
      this.parts[partOf[flat[n]!]!]!.rowIds.push(i);
    }
    this.rowsOfPart = (part) =>
      part.rowIds.map((i) => {
        const atoms: number[] = [];
        for (let n = begin[i]!; n < begin[i + 1]!; n++) if (!isKnown[flat[n]!]) atoms.push(flat[n]!);
        return { op: rows[i]!.op, rhs: rhs[i]!, atoms };
      });
  }

  /** The part atom a lies in after the presolve (−1: known, or in no constraint). */
  private partAt(a: number): number {
    return a < this.partOf.length ? this.partOf[a]! : -1;
  }

  private isKnown(a: number): boolean {
    return a < this.knownFlag.length && this.knownFlag[a] === 1;
  }

  /**
   * Whether moving the true point by `delta` (atom → change) stays in the attacker's polytope:
   * every atom stays ≥ 0, every published sum unchanged, every bound kept. Such a move that
   * changes a count is an explicit witness that the count is not pinned.
   */
  movable(move: Move, onlyEntry?: number): boolean {
    const { atoms, d } = move;
    for (let i = 0; i < atoms.length; i++) if (d[i] && this.truth(atoms[i]!) + d[i]! < 0) return false;
    const stamp = ++this.stamp;
    const touched = this.touched;
    let count = 0;
    for (let i = 0; i < atoms.length; i++) {
      const di = d[i]!;
      if (!di) continue;
      const a = atoms[i]!;
      if (a + 1 >= this.rowStart.length) continue;
      for (let n = this.rowStart[a]!; n < this.rowStart[a + 1]!; n++) {
        const r = this.rows[this.rowIds[n]!]!;
        // Asked about one entry: the other constraints are skipped before they are counted.
        if (onlyEntry !== undefined && r.entry !== onlyEntry) continue;
        if (r.stamp !== stamp) (r.stamp = stamp), (r.change = 0), (touched[count++] = r);
        r.change! += di;
      }
    }
    for (let i = 0; i < count; i++) {
      const r = touched[i]!;
      const c = r.change!;
      if (!c) continue;
      if (r.op === '=') return false;
      if (r.value === undefined) {
        let sum = 0;
        for (let n = 0; n < r.atoms.length; n++) sum += this.truth(r.atoms[n]!);
        r.value = sum;
      }
      if (r.op === '<=' ? r.value + c > r.rhs + 1e-9 : r.value + c < r.rhs - 1e-9) return false;
    }
    return true;
  }

  /** Atoms of the parts a sum of atoms lies in (how large its linear programmes are). */
  size(atoms: readonly number[]): number {
    this.prepare();
    const parts = new Set(atoms.flatMap((a) => (this.partAt(a) >= 0 ? [this.partAt(a)] : [])));
    return [...parts].reduce((n, p) => n + this.parts[p]!.atoms.length, 0);
  }

  /**
   * Whether the sum of `atoms` can be at least one more, or one less, than its true value: then
   * two whole numbers remain possible for it and it is not pinned. Exact over the system.
   */
  unpinned(atoms: readonly number[]): boolean {
    this.prepare();
    const byPart = new Map<number, Map<number, number>>();
    for (const a of atoms) {
      if (this.isKnown(a)) continue;
      const p = this.partAt(a);
      // An atom in no constraint can grow without bound.
      if (p < 0) return true;
      if (!byPart.has(p)) byPart.set(p, new Map());
      byPart.get(p)!.set(a, 1);
    }
    if (!byPart.size) return false;
    for (const sign of [1, -1] as const) {
      let gained = 0;
      for (const [p, objective] of byPart) {
        const part = this.parts[p]!;
        part.index ??= new Map(part.atoms.map((a, i) => [a, i]));
        part.polytope ??= this.polytopeOf(part.atoms.length, this.rowsOfPart(part), part.index);
        const local = new Map([...objective.keys()].map((a) => [part.index!.get(a)!, sign]));
        const truth = sign * [...objective.keys()].reduce((s, a) => s + this.truth(a), 0);
        gained += part.polytope.maximum(local, truth + 1 - gained) - truth;
        if (gained >= 1 - 1e-7) return true;
      }
    }
    return false;
  }

  /**
   * The system with only `free` atoms unknown and every other atom held at its true value: a
   * slice of the attacker's polytope (the true point is in it), so a count that two values remain
   * for on the slice has them on the whole.
   */
  slice(free: ReadonlySet<number>): AttackerSystem {
    const rows = new Set<Row>();
    for (const a of free) for (const r of this.rowsWith(a)) rows.add(r);
    return new AttackerSystem(
      [...rows].map((r) => {
        const atoms: number[] = [];
        let rhs = r.rhs;
        for (let n = 0; n < r.atoms.length; n++) {
          const a = r.atoms[n]!;
          if (free.has(a)) atoms.push(a);
          else rhs -= this.truth(a);
        }
        return { op: r.op, entry: r.entry, atoms, rhs };
      }),
      this.truth,
    );
  }

  private polytopeOf(n: number, rows: Row[], local: Map<number, number>): Polytope {
    return new Polytope(n, rows.map((r) => ({ op: r.op, rhs: r.rhs, coef: new Map(r.atoms.map((a) => [local.get(a)!, 1])) })));
  }
}

/**
 * The audit of one level (see protectChain), over the atoms of the level's withheld cells (atom
 * k of cell c is c·S + k), the other cells at their published values. A count is cleared, in
 * order of cost, by:
 * 1. a witness: a move of the true point by ±1 referral through withheld cells that keeps every
 *    published figure and bound and changes the count (the classic test of a statistics office;
 *    it proves two values possible, exactly);
 * 2. a slice of a large part of the attacker's system: only the withheld cells near the count
 *    unknown, every other atom held at its value — the slice lies within the attacker's polytope,
 *    so two values left on it are left on the whole;
 * 3. the linear programme of the whole part it lies in (exact), up to EXACT_ATOMS atoms.
 * A count none of them clears is taken as pinned.
 */
function auditLevel(
  coords: Coord[],
  masks: number[],
  M: number,
  members: number[],
  cells: number[],
  why: (Reason | null)[][],
  steps: number[][],
  t: number,
  settle: () => void,
): void {
  const S = steps.length;
  const positions = Array.from({ length: coords[0]!.length }, (_, d) => d).filter((d) => (M & (1 << d)) !== 0);
  /** The level's cells an entry sums (a cell: itself). */
  const under = new Map<number, number[]>();
  for (const e of members) {
    if (masks[e] === M) {
      under.set(e, [e]);
      continue;
    }
    const ce = coords[e]!;
    const fixedAt = positions.filter((d) => ce[d] !== null);
    const sums: number[] = [];
    for (const c of cells) {
      let inside = true;
      for (let i = 0; i < fixedAt.length && inside; i++) inside = coords[c]![fixedAt[i]!] === ce[fixedAt[i]!];
      if (inside) sums.push(c);
    }
    under.set(e, sums);
  }
  const containing = new Map<number, number[]>(cells.map((c) => [c, []]));
  for (const e of members) for (const c of under.get(e)!) containing.get(c)!.push(e);
  /** Cells in a line with entry e: e's own cells, or the cells differing from e in one position. */
  const rank = new Int32Array(coords.length);
  cells.forEach((c, i) => (rank[c] = i));
  const linkedOf = new Map<number, number[]>();
  const linked = (e: number) => {
    if (masks[e] !== M) return under.get(e)!;
    let near = linkedOf.get(e);
    if (!near) {
      // The cells of e's lines (e's own included), in the level's order.
      const inLine = new Set<number>([e]);
      for (let pi = 0; pi < positions.length; pi++) for (const c of lines.get(lineKey(e, pi))!) inLine.add(c);
      near = [...inLine].sort((a, b) => rank[a]! - rank[b]!);
      linkedOf.set(e, near);
    }
    return near;
  };
  /** Whether a cell or margin is withheld at some step (refreshed whenever `why` changes). */
  const held = new Uint8Array(coords.length);
  const refresh = () => {
    for (const e of members) held[e] = why.some((w) => w[e] !== null) ? 1 : 0;
  };
  refresh();
  const withheldAny = (c: number) => held[c] === 1;
  const isMark = (r: Reason | null) => r === 'small_count' || r === 'small_difference';
  // The records of each atom (cell c's records that stopped at stop k: atom c·S + k).
  const truths = new Int32Array(coords.length * S);
  for (const c of cells) for (let k = 0; k < S; k++) truths[c * S + k] = steps[k]![c]! - (k + 1 < S ? steps[k + 1]![c]! : 0);
  const truth = (a: number) => truths[a]!;

  // Each count of 1..t−1 an attacker must not pin: entry e, stops from..to−1 (s_from − s_to).
  const sensitive: { e: number; from: number; to: number }[] = [];
  for (const e of members) {
    for (let from = 0; from < S; from++) {
      for (let to = from + 1; to <= S; to++) {
        const value = steps[from]![e]! - (to < S ? steps[to]![e]! : 0);
        if (value > 0 && value < t) sensitive.push({ e, from, to });
      }
    }
  }
  if (!sensitive.length) return;
  /** The level's margins (entries summing several of its cells), the grand total apart. */
  const margins = members.filter((e) => masks[e] !== M && masks[e] !== 0);
  const totals = members.filter((e) => masks[e] === 0);

  /** Atoms of the withheld cells under e at stops from..to−1 (the published cells are constants). */
  const atomsOf = (e: number, from: number, to: number) => {
    const atoms: number[] = [];
    for (const c of under.get(e)!) if (withheldAny(c)) for (let k = from; k < to; k++) atoms.push(c * S + k);
    return atoms;
  };
  /** The attacker's system as published now; with cellMarks false, as if the level's own cells were unmarked. */
  const build = (cellMarks: boolean): AttackerSystem => {
    const rows: Row[] = [];
    /** A sum over e's cells of stops from..to−1 compared with `lo`..`hi` (equal when lo = hi). */
    const add = (e: number, from: number, to: number, lo: number, hi: number) => {
      const atoms = atomsOf(e, from, to);
      if (!atoms.length) return;
      let constant = 0;
      for (const c of under.get(e)!) if (!withheldAny(c)) constant += steps[from]![c]! - (to < S ? steps[to]![c]! : 0);
      if (lo === hi) rows.push({ atoms, op: '=', rhs: lo - constant, entry: e });
      else rows.push({ atoms, op: '>=', rhs: lo - constant, entry: e }, { atoms, op: '<=', rhs: hi - constant, entry: e });
    };
    const touched = new Set(cells.filter(withheldAny).flatMap((c) => containing.get(c)!));
    for (const e of touched) {
      const marks = cellMarks || masks[e] !== M;
      for (let j = 0; j < S; j++) {
        const reason = why[j]![e];
        if (!reason) add(e, j, S, steps[j]![e]!, steps[j]![e]!);
        else if (marks && reason === 'small_count') add(e, j, S, 1, t - 1);
        else if (marks && reason === 'small_difference') add(e, j - 1, j, 1, t - 1);
      }
    }
    return new AttackerSystem(rows, truth);
  };
  // Witnesses first: a move of the true point by ±1 referral through withheld cells that keeps
  // every published figure and bound (the classic test of a statistics office), found by trying
  // boxes around a cell of the count — a cell alone, a pair in a line, a rectangle, a cube — at one
  // stop, or at one stop against another (for cells whose earlier steps are published).
  // Cells by number: each position's values numbered, a cell's index in the level's grid the
  // mixed-radix number of its values (so a box's corners are found by arithmetic, not by keys).
  const P = positions.length;
  const ids: number[][] = [];
  const strides: number[] = [];
  let gridSize = 1;
  for (let pi = 0; pi < P; pi++) {
    const d = positions[pi]!;
    const numbered = new Map<string | null, number>();
    for (const c of cells) if (!numbered.has(coords[c]![d]!)) numbered.set(coords[c]![d]!, numbered.size);
    strides.push(gridSize);
    gridSize *= numbered.size;
    for (const c of cells) (ids[c] ??= [])[pi] = numbered.get(coords[c]![d]!)!;
  }
  const gridOf = (c: number) => {
    let g = 0;
    for (let pi = 0; pi < P; pi++) g += ids[c]![pi]! * strides[pi]!;
    return g;
  };
  const cellAt = new Int32Array(gridSize).fill(-1);
  for (const c of cells) cellAt[gridOf(c)] = c;
  /** The cells of c's line along position pi, in the level's order. */
  const lines = new Map<number, number[]>();
  const lineKey = (c: number, pi: number) => pi * gridSize + gridOf(c) - ids[c]![pi]! * strides[pi]!;
  for (let pi = 0; pi < P; pi++) {
    for (const c of cells) {
      const k = lineKey(c, pi);
      const line = lines.get(k);
      if (line) line.push(c);
      else lines.set(k, [c]);
    }
  }
  /** Withheld cells of a line, those withheld from the first step on first (they can move at any stop), then the larger. */
  const sortedLines = new Map<number, number[]>();
  const sortedLine = (c: number, pi: number) => {
    const k = lineKey(c, pi);
    let sorted = sortedLines.get(k);
    if (!sorted) {
      sorted = lines
        .get(k)!
        .filter((o) => held[o])
        .sort((a, b) => Number(why[0]![b] !== null) - Number(why[0]![a] !== null) || steps[0]![b]! - steps[0]![a]!);
      sortedLines.set(k, sorted);
    }
    return sorted;
  };
  /** Other values (numbered) of position pi in withheld cells of c's line along it, largest counts first (a few). */
  const partners = (c: number, pi: number) => {
    // The sort is stable: leaving c out after it orders the others as leaving it out before.
    const values: number[] = [];
    for (const o of sortedLine(c, pi)) {
      if (o === c) continue;
      values.push(ids[o]![pi]!);
      if (values.length === PARTNERS) break;
    }
    return values;
  };
  const partnerCache = new Map<number, number[]>();
  const partnersOf = (c: number, pi: number) => {
    const k = c * 32 + pi;
    let list = partnerCache.get(k);
    if (!list) partnerCache.set(k, (list = partners(c, pi)));
    return list;
  };
  /** Moves found valid on a system, by the atoms they change; and which cells can take a part of a move. */
  const foundOn = new WeakMap<AttackerSystem, Map<number, Move[]>>();
  /** Per system, whether cell c can take a part (see fits), by fitIndex: 0 not asked, 1 yes, 2 no. */
  const fitsOn = new WeakMap<AttackerSystem, Uint8Array>();
  const fitIndex = (c: number, sign: number, k: number, k2: number) => ((c * S + k) * (S + 1) + k2 + 1) * 2 + (sign > 0 ? 1 : 0);
  /** Adds cell c's part of a move: `sign` at stop k, and −sign at stop k2 (none when k2 < 0). */
  const addTo = (into: Move, a: number, d: number) => {
    const i = into.atoms.indexOf(a);
    if (i >= 0) into.d[i] += d;
    else into.atoms.push(a), into.d.push(d);
  };
  const part = (c: number, sign: number, k: number, k2: number, into: Move = { atoms: [], d: [] }) => {
    addTo(into, c * S + k, sign);
    if (k2 >= 0) addTo(into, c * S + k2, -sign);
    return into;
  };
  const stops = Array.from({ length: S }, (_, i) => i);
  // Subsets of the level's positions to flip, largest first: a full box keeps every line's sum,
  // a smaller one only where the lines it changes are withheld. Each as its flipped positions.
  const subsets = Array.from({ length: 1 << P }, (_, f) => f)
    .sort((a, b) => popcount(b) - popcount(a))
    .map((f) => stops.slice(0, P).filter((i) => f & (1 << i)));
  /** The stop pairs (k, k2) a witness of the count of stops from..to−1 is looked for at. */
  const pairsOf = new Map<number, (readonly [number, number])[]>();
  const pairsFor = (from: number, to: number) => {
    let pairs = pairsOf.get(from * (S + 1) + to);
    if (!pairs) {
      pairs = stops.filter((k) => k >= from && k < to).flatMap((k) => [-1, ...stops.filter((i) => i < from || i >= to)].map((k2) => [k, k2] as const));
      pairsOf.set(from * (S + 1) + to, pairs);
    }
    return pairs;
  };
  /** Atoms of the count being judged (marked with its turn: no set per count). */
  const inQ = new Int32Array(coords.length * S);
  let turn = 0;
  /** e0 with position pi set to value v (−1 when no such cell). */
  const flip1 = (e0: number, pi: number, v: number) => cellAt[gridOf(e0) + (v - ids[e0]![pi]!) * strides[pi]!]!;
  // The state of the witness search on one count (set by witnessed; the helpers below read it).
  let system!: AttackerSystem;
  let found!: Map<number, Move[]>;
  let fitCache!: Uint8Array;
  let mark = 0;
  /** A move's change to the count being judged. */
  const net = (move: Move) => {
    let dq = 0;
    for (let i = 0; i < move.atoms.length; i++) if (inQ[move.atoms[i]!] === mark) dq += move.d[i]!;
    return dq;
  };
  /** Whether cell c can take its part by its own figures (its steps, its marks) and stay ≥ 0. */
  const fits = (c: number, sign: number, k: number, k2: number) => {
    const key = fitIndex(c, sign, k, k2);
    let ok = fitCache[key]!;
    if (!ok) fitCache[key] = ok = held[c] === 1 && system.movable(part(c, sign, k, k2), c) ? 1 : 2;
    return ok === 1;
  };
  const BOTH = [1, -1] as const;
  /** A move of cells with signs at stops k/k2, in either direction, kept when every published figure allows it. */
  const moves = (cellsSigns: { c: number; sign: number }[], k: number, k2: number, directions: readonly number[] = BOTH) => {
    for (const s0 of directions) {
      if (!cellsSigns.every(({ c, sign }) => fits(c, s0 * sign, k, k2))) continue;
      const delta: Move = { atoms: [], d: [] };
      for (const { c, sign } of cellsSigns) part(c, s0 * sign, k, k2, delta);
      if (!net(delta) || !system.movable(delta)) continue;
      for (const a of delta.atoms) {
        const list = found.get(a);
        if (list) list.length < 4 && list.push(delta);
        else found.set(a, [delta]);
      }
      return true;
    }
    return false;
  };
  const witnessed = (q: (typeof sensitive)[number], on: AttackerSystem): boolean => {
    system = on;
    found = foundOn.get(system)!;
    if (!found) foundOn.set(system, (found = new Map()));
    fitCache = fitsOn.get(system)!;
    if (!fitCache) fitsOn.set(system, (fitCache = new Uint8Array(coords.length * S * (S + 1) * 2)));
    const qAtoms = atomsOf(q.e, q.from, q.to);
    if (!qAtoms.length) return false;
    mark = ++turn;
    for (const a of qAtoms) inQ[a] = mark;
    // A move found for another count of this state that changes this one too.
    for (const a of qAtoms) for (const m of found.get(a) ?? []) if (net(m)) return true;
    const pairs = pairsFor(q.from, q.to);
    // The count's cells (in the order of its atoms), largest first.
    const seeds: number[] = [];
    for (const a of qAtoms) {
      const c = Math.floor(a / S);
      if (seeds[seeds.length - 1] !== c && !seeds.includes(c)) seeds.push(c);
    }
    seeds.sort((a, b) => steps[0]![b]! - steps[0]![a]!).length = Math.min(seeds.length, SEEDS);
    const choices: number[][] = [];
    for (const e0 of seeds) {
      for (const [k, k2] of pairs) {
        for (const s0 of BOTH) {
          if (!fits(e0, s0, k, k2)) continue;
          // Per position, the values whose cell next to e0 can take the opposite part.
          for (let pi = 0; pi < P; pi++) choices[pi] = partnersOf(e0, pi).filter((v) => {
            const c = flip1(e0, pi, v);
            return c >= 0 && fits(c, -s0, k, k2);
          });
          for (const flipped of subsets) {
            if (flipped.some((pi) => !choices[pi]!.length)) continue;
            // Every combination of values, the first position's changing slowest.
            const n = flipped.length;
            const at = new Array<number>(n).fill(0);
            for (;;) {
              // The box's cells with their signs: + at e0, alternating with each flipped position.
              const box: { c: number; sign: number }[] = [];
              const g0 = gridOf(e0);
              for (let g = 0; g < 1 << n; g++) {
                let cell = g0;
                for (let i = 0; i < n; i++) if (g & (1 << i)) cell += (choices[flipped[i]!]![at[i]!]! - ids[e0]![flipped[i]!]!) * strides[flipped[i]!]!;
                const c = cellAt[cell]!;
                if (c < 0 || !held[c]) break;
                box.push({ c, sign: popcount(g) % 2 ? -1 : 1 });
              }
              if (box.length === 1 << n && moves(box, k, k2, [s0])) return true;
              let i = n - 1;
              while (i >= 0 && ++at[i]! === choices[flipped[i]!]!.length) at[i--] = 0;
              if (i < 0) break;
            }
          }
        }
      }
    }
    // Cycles through the largest cell of the count only: the search is the dearest.
    return P === 2 && pairs.some(([k, k2]) => cycled(seeds[0]!, k, k2, fits, moves));
  };
  /**
   * A 2-way level: an alternating cycle of withheld cells through e0 (along a row, then a column,
   * …, back to e0's column), each cell ±1 at stop k (and ∓1 at stop k2) — breadth first, so the
   * shortest such cycle of cells that can take their part.
   */
  const visitedIn = new Int32Array(coords.length);
  const parentOf = new Int32Array(coords.length);
  let search = 0;
  const cycled = (
    e0: number,
    k: number,
    k2: number,
    fits: (c: number, sign: number, k: number, k2: number) => boolean,
    moves: (cellsSigns: { c: number; sign: number }[], k: number, k2: number) => boolean,
  ): boolean => {
    const d1 = positions[1]!;
    for (const s0 of BOTH) {
      if (!fits(e0, s0, k, k2)) continue;
      // Cells at odd depth take −s0 (reached along d1, within a row), at even depth s0 (along d0).
      // Visited cells marked by search (no map per search).
      const visit = ++search;
      visitedIn[e0] = visit;
      parentOf[e0] = -1;
      let visited = 1;
      let frontier = [e0];
      let found = -1;
      for (let depth = 1; frontier.length && found < 0 && visited < CYCLE_CELLS; depth++) {
        const sign = depth % 2 ? -s0 : s0;
        const along = depth % 2 ? 1 : 0;
        const next: number[] = [];
        for (const c of frontier) {
          const line = lines.get(lineKey(c, along))!;
          for (let n = 0; n < line.length; n++) {
            const o = line[n]!;
            if (visitedIn[o] === visit || !fits(o, sign, k, k2)) continue;
            visitedIn[o] = visit;
            parentOf[o] = c;
            visited++;
            next.push(o);
            // Closed: an odd cell in e0's column.
            if (depth % 2 && depth > 1 && coords[o]![d1] === coords[e0]![d1]) found = o;
            if (found >= 0) break;
          }
          if (found >= 0) break;
        }
        frontier = next;
      }
      if (found < 0) continue;
      const cycle: { c: number; sign: number }[] = [];
      for (let c = found, sign = -1; c >= 0; c = parentOf[c]!, sign = -sign) cycle.push({ c, sign });
      if (moves(cycle, k, k2)) return true;
    }
    return false;
  };
  /** Up to `size` withheld cells near entry e: its lines, then the lines crossing them; largest counts first. */
  const around = (e: number, size: number): number[] => {
    const value = (c: number) => steps[0]![c]!;
    const byValue = (xs: number[]) => xs.filter(withheldAny).sort((a, b) => value(b) - value(a));
    const own = masks[e] === M && withheldAny(e) ? [e] : [];
    const first = byValue(linked(e)).filter((c) => c !== e).slice(0, size / 2);
    const second = byValue([...new Set(first.flatMap(linked))]).filter((c) => c !== e && !first.includes(c)).slice(0, size / 2);
    return [...own, ...first, ...second];
  };
  const systems = new Map<string, AttackerSystem>();
  const cached = (key: string, make: () => AttackerSystem) => {
    if (!systems.has(key)) systems.set(key, make());
    return systems.get(key)!;
  };
  /**
   * Whether q may be pinned. Exact up to EXACT_ATOMS; in a larger part, a count with no witness
   * and none on a slice is taken as pinned (more is withheld: safe, if cautious).
   */
  const pinned = (q: (typeof sensitive)[number], cellMarks: boolean): boolean => {
    const atoms = atomsOf(q.e, q.from, q.to);
    const whole = cached(`whole:${cellMarks}`, () => build(cellMarks));
    if (witnessed(q, whole)) return false;
    const size = whole.size(atoms);
    if (size > SLICE_ABOVE) {
      for (const cells of SLICE_CELLS) {
        const slice = cached(`${q.e}:${cells}:${cellMarks}`, () => whole.slice(new Set(around(q.e, cells).flatMap((c) => Array.from({ length: S }, (_, k) => c * S + k)))));
        if (slice.unpinned(atoms)) return false;
      }
    }
    if (size > EXACT_ATOMS) return true;
    return !whole.unpinned(atoms);
  };

  // Withholding or unmarking only widens ranges: a count once cleared stays cleared. Every turn of
  // the loop unmarks or withholds something, so it ends.
  let cleared = 0;
  for (;;) {
    while (cleared < sensitive.length && !pinned(sensitive[cleared]!, true)) cleared++;
    const q = sensitive[cleared];
    if (!q) return;
    const near = linked(q.e);
    const marked = (c: number) => why.some((w) => isMark(w[c]!));
    if (cells.some(marked) && !pinned(q, false)) {
      // Pinned only through the marks of the level's cells ("<5", a small difference): unmark those
      // in its lines, or all of the level's.
      const unmark = near.some(marked) ? near : cells;
      for (const c of unmark) for (const w of why) if (isMark(w[c]!)) w[c] = 'small_unmarked';
      // The systems without the cells' marks stay as they are (nothing withheld changed), but the
      // witness search starts afresh on them, as on a new system.
      for (const [key, system] of systems) {
        if (key.endsWith(':true')) systems.delete(key);
        else foundOn.delete(system);
      }
      continue;
    }
    // Withhold the published cell-step of the largest count in a line with the pinned entry, at a
    // step the pinned count spans; failing that, anywhere in the level from that step on.
    const best = (candidates: number[], fromStep: number, toStep: number) => {
      let pick: { c: number; j: number } | undefined;
      for (const c of candidates) {
        for (let j = fromStep; j <= Math.min(toStep, S - 1); j++) {
          if (!why[j]![c] && (!pick || steps[j]![c]! > steps[pick.j]![pick.c]!)) pick = { c, j };
        }
      }
      return pick;
    };
    const pick =
      best(near, q.from, q.to) ??
      best(cells, q.from, S - 1) ??
      best(cells, 0, S - 1) ??
      // Every cell of the level withheld and the count still pinned: the coarser figures pin it
      // together (found in tables of three dimensions). Withhold those margins too — the largest
      // first, the grand total last — from that step on: withholding only widens every range, and
      // the audit of this level holds every margin as a sum of its cells.
      best(margins, q.from, S - 1) ??
      best(margins, 0, S - 1) ??
      best(totals, 0, S - 1);
    if (!pick) {
      // Every figure of the level withheld: only the marks ("<5", a small difference) can still pin
      // a count. Unmark them all; with none left, nothing bounds the count but zero, so it is free.
      const marks = members.filter((e) => why.some((w) => isMark(w[e]!)));
      if (!marks.length) cleared++;
      for (const e of marks) for (const w of why) if (isMark(w[e]!)) w[e] = 'small_unmarked';
      systems.clear();
      continue;
    }
    // A cell's later steps follow in settle(); a margin's are withheld here (steps never grow).
    const last = masks[pick.c] === M ? pick.j : S - 1;
    for (let j = pick.j; j <= last; j++) why[j]![pick.c] ??= 'protects_small_count';
    settle();
    refresh();
    systems.clear();
    sortedLines.clear();
    partnerCache.clear();
  }
}

/** The root of atom a's set (paths halved on the way). */
function findRoot(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]!]!;
    a = parent[a]!;
  }
  return a;
}

/** Joins the sets of the unknown atoms flat[from..to−1] (new atoms appended to `order`). */
function unite(parent: Int32Array, flat: Int32Array, from: number, to: number, isKnown: Uint8Array, order: number[]): void {
  let root = -1;
  for (let n = from; n < to; n++) {
    const a = flat[n]!;
    if (isKnown[a]) continue;
    if (parent[a] === -1) (parent[a] = a), order.push(a);
    const r = findRoot(parent, a);
    if (root < 0) root = r;
    else if (r !== root) parent[r] = root;
  }
}

const popcount = (m: number) => {
  let c = 0;
  for (let x = m; x; x &= x - 1) c++;
  return c;
};
