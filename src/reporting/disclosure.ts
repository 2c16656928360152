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
   * distinct persons (a person in two months is one person in the year) get the line rules only.
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
 * withheld, then an audit. The audit solves what an attacker can: for every count below the
 * threshold — a cell or margin of a step, or the difference of two steps — it computes the least
 * and the greatest value consistent with everything published (the published counts, that counts
 * are not negative and steps never grow, and what the reasons tell: "<5" is 1 to 4, a small
 * difference is 1 to 4). Where only one value remains, the published cell in the same line with
 * the largest count is withheld too, and the audit runs again (withholding only widens ranges, so
 * this ends: at worst with every cell of the level withheld, which leaves the coarser tables,
 * already audited). Levels of more than AUDIT_MAX_CELLS cells get the rules without the audit.
 */
function protectChain(chain: Chain, t: number, additive: boolean): (Reason | null)[][] {
  const { coords, steps } = chain;
  const S = steps.length;
  const N = coords.length;
  const why: (Reason | null)[][] = steps.map(() => coords.map(() => null));
  if (!N) return why;
  const dims = coords[0]!.length;
  steps.forEach((values, j) => {
    if (values.length !== N) throw new Error('every step of a chain has a value per coordinate');
    values.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0) throw new Error('additive tables hold non-negative integers');
      if (j > 0 && v > steps[j - 1]![i]!) throw new Error('a chain step cannot exceed the step before it');
    });
  });
  const maskOf = (c: Coord) => c.reduce((m, v, d) => (v === null ? m : m | (1 << d)), 0);
  const masks = coords.map(maskOf);
  const levels = Array.from({ length: 1 << dims }, (_, m) => m).sort((a, b) => popcount(a) - popcount(b) || a - b);

  for (const M of levels) {
    // In the order of their coordinates, so that ties are broken alike whatever table holds them.
    const sortKey = (i: number) => keyOf(coords[i]!.filter((_, d) => (M & (1 << d)) !== 0));
    const members = masks.flatMap((m, i) => ((m & ~M) === 0 ? [i] : [])).sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
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
    const settle = () => settleLevel(coords, masks, M, members, why, steps, t);
    settle();
    if (additive && cells.length <= AUDIT_MAX_CELLS) auditLevel(coords, masks, M, members, cells, why, steps, t, settle);
  }
  return why;
}

/** Later steps after a withheld one, and complementary suppression per step, until nothing changes. */
function settleLevel(coords: Coord[], masks: number[], M: number, members: number[], why: (Reason | null)[][], steps: number[][], t: number): void {
  const project = (c: Coord) => c.filter((_, d) => (M & (1 << d)) !== 0);
  const memberCoords = members.map((i) => project(coords[i]!));
  for (let changed = true; changed; ) {
    changed = false;
    for (let j = 0; j < steps.length; j++) {
      if (j > 0) {
        for (const i of members) {
          if (masks[i] === M && why[j - 1]![i] && why[j]![i] !== 'earlier_step_withheld') {
            why[j]![i] = 'earlier_step_withheld';
            changed = true;
          }
        }
      }
      const preset = new Map<string, SuppressionKind>();
      members.forEach((i, k) => why[j]![i] && preset.set(keyOf(memberCoords[k]!), why[j]![i] === 'small_count' ? 'primary' : 'complementary'));
      const fixed = new Set(members.flatMap((i, k) => (masks[i] === M ? [] : [keyOf(memberCoords[k]!)])));
      const out = protect(
        members.map((i, k) => ({ coord: memberCoords[k]!, value: steps[j]![i]! })),
        { threshold: t, mode: 'additive', preset, fixed: (c) => fixed.has(keyOf(c)) },
      );
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

/** A linear expression over the atoms of the level's cells, plus a constant. */
interface Expr {
  coef: Map<number, number>;
  constant: number;
}

/**
 * Levels with more cells than this (a region × ten years by month) get the line rules without the
 * audit: the linear programmes grow too slow for a request there (issue #15, left to do). The
 * tables of the regional report, the page's defaults and DHIS2 (totals, a year by month, sex ×
 * age band) are all audited.
 */
const AUDIT_MAX_CELLS = 64;
/** Withheld cells an audit of one count frees at most (the rest held at their values: see below). */
const LOCAL_CELLS = [8, 24];
/** Atoms of the whole level beyond which a count the local audit cannot clear is treated as pinned. */
const WHOLE_LEVEL_ATOMS = 160;

/**
 * The audit of one level (see protectChain). A count is cleared when its range is wider than one
 * value over a *slice* of what the attacker knows: only the withheld cells near it (its lines and
 * the lines crossing them, largest first) vary, every other withheld cell held at its value. A
 * slice's range lies within the attacker's, so a count cleared on it is cleared; one that is not
 * is audited over the whole level, or, on a level too large for that, treated as pinned (more is
 * withheld: safe, if cautious).
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
  const under = new Map(members.map((e) => [e, cells.filter((c) => positions.every((d) => coords[e]![d] === null || coords[e]![d] === coords[c]![d]))]));
  const containing = new Map<number, number[]>(cells.map((c) => [c, []]));
  for (const e of members) for (const c of under.get(e)!) containing.get(c)!.push(e);
  /** Cells in a line with entry e: e's own cells, or the cells differing from e in one position. */
  const linked = (e: number) =>
    masks[e] !== M ? under.get(e)! : cells.filter((c) => positions.filter((d) => coords[c]![d] !== coords[e]![d]).length <= 1);
  const withheldAny = (c: number) => why.some((w) => w[c] !== null);
  const isMark = (r: Reason | null) => r === 'small_count' || r === 'small_difference';

  // Each count of 1..t−1 an attacker must not pin: entry e, stops from..to−1 (s_from − s_to).
  const sensitive: { e: number; from: number; to: number }[] = [];
  for (const e of members) {
    for (let from = 0; from < S; from++) {
      for (let to = from + 1; to <= S; to++) {
        const truth = steps[from]![e]! - (to < S ? steps[to]![e]! : 0);
        if (truth > 0 && truth < t) sensitive.push({ e, from, to });
      }
    }
  }
  if (!sensitive.length) return;

  /** The attacker's system with the atoms of `free` cells as variables (the others at their values). */
  const system = (free: readonly number[], cellMarks: boolean) => {
    const varOf = new Map<number, number>(free.map((c, k) => [c, k * S]));
    const stepOf = (e: number, j: number): Expr => {
      const x: Expr = { coef: new Map(), constant: 0 };
      if (j >= S) return x;
      for (const c of under.get(e)!) {
        const base = varOf.get(c);
        if (base === undefined) x.constant += steps[j]![c]!;
        else for (let k = j; k < S; k++) x.coef.set(base + k, (x.coef.get(base + k) ?? 0) + 1);
      }
      return x;
    };
    const minus = (a: Expr, b: Expr): Expr => {
      const coef = new Map(a.coef);
      for (const [k, v] of b.coef) coef.set(k, (coef.get(k) ?? 0) - v);
      for (const [k, v] of coef) if (v === 0) coef.delete(k);
      return { coef, constant: a.constant - b.constant };
    };
    const constraints: Constraint[] = [];
    const add = (x: Expr, op: Constraint['op'], value: number) => x.coef.size && constraints.push({ coef: x.coef, op, rhs: value - x.constant });
    const touched = new Set(free.flatMap((c) => containing.get(c)!));
    for (const e of touched) {
      // With cellMarks false: what the attacker would know were the level's own cells unmarked.
      const marks = cellMarks || masks[e] !== M;
      for (let j = 0; j < S; j++) {
        const reason = why[j]![e];
        const x = stepOf(e, j);
        if (!reason) add(x, '=', steps[j]![e]!);
        else if (marks && reason === 'small_count') (add(x, '>=', 1), add(x, '<=', t - 1));
        else if (marks && reason === 'small_difference') {
          const d = minus(stepOf(e, j - 1), x);
          (add(d, '>=', 1), add(d, '<=', t - 1));
        }
      }
    }
    const polytope = new Polytope(free.length * S, constraints);
    return {
      pins: ({ e, from, to }: (typeof sensitive)[number]) => {
        const q = minus(stepOf(e, from), stepOf(e, to));
        if (!q.coef.size) return true;
        const r = polytope.range(q.coef);
        if (!r) return true;
        return Math.floor(r.max + q.constant + 1e-6) - Math.ceil(r.min + q.constant - 1e-6) < 1;
      },
    };
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
  // The whole level's system while nothing changes (one phase 1 for every count), when small enough.
  const whole = new Map<boolean, ReturnType<typeof system> | null>();
  const wholeSystem = (cellMarks: boolean) => {
    if (!whole.has(cellMarks)) {
      const all = cells.filter(withheldAny);
      whole.set(cellMarks, all.length * S > WHOLE_LEVEL_ATOMS ? null : system(all, cellMarks));
    }
    return whole.get(cellMarks)!;
  };
  const local = new Map<string, ReturnType<typeof system>>();
  const pinned = (q: (typeof sensitive)[number], cellMarks: boolean): boolean => {
    const all = wholeSystem(cellMarks);
    if (all) return all.pins(q);
    // A small slice first (a rectangle or two clears most counts), then a larger one.
    return LOCAL_CELLS.every((size) => {
      const k = `${q.e}:${cellMarks}:${size}`;
      if (!local.has(k)) local.set(k, system(around(q.e, size), cellMarks));
      return local.get(k)!.pins(q);
    });
  };
  const changed = () => (whole.clear(), local.clear());

  // Withholding or unmarking only widens ranges: a count once cleared stays cleared.
  let cleared = 0;
  for (let guard = 0; guard < 10 * S * cells.length + 10; guard++) {
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
      changed();
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
    const pick = best(near, q.from, q.to) ?? best(cells, q.from, S - 1) ?? best(cells, 0, S - 1);
    if (!pick) return;
    why[pick.j]![pick.c] = 'protects_small_count';
    settle();
    changed();
  }
}

const popcount = (m: number) => {
  let c = 0;
  for (let x = m; x; x &= x - 1) c++;
  return c;
};
