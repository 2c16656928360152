import type { Language } from '../authorization/actor.js';
import { keyOf, protect, type Coord, type Entry, type PublishedEntry, type SuppressionKind } from './suppression.js';

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
  counts(entries: readonly Entry[]): Published[] {
    return protect(entries, { threshold: this.threshold, mode: 'additive' }).map((p) => this.count(p, p.suppressed === 'primary' ? 'small_count' : 'protects_small_count'));
  }

  /** The steps of a chain, each as a published table aligned with `chain.coords`. */
  chain(chain: Chain): Published[][] {
    const t = this.threshold;
    const out: Published[][] = [];
    let before: Published[] | undefined;
    chain.steps.forEach((values, j) => {
      const entries = chain.coords.map((coord, i) => ({ coord, value: values[i]! }));
      const preset = new Map<string, SuppressionKind>();
      const why = new Map<string, Reason>();
      if (before) {
        entries.forEach((e, i) => {
          const k = keyOf(e.coord);
          const prev = before![i]!;
          const diff = chain.steps[j - 1]![i]! - e.value;
          if (diff < 0) throw new Error('a chain step cannot exceed the step before it');
          if (prev.value === null) (preset.set(k, 'complementary'), why.set(k, 'earlier_step_withheld'));
          else if (e.value > 0 && e.value < t) (preset.set(k, 'primary'), why.set(k, 'small_count'));
          else if (diff > 0 && diff < t) (preset.set(k, 'complementary'), why.set(k, 'small_difference'));
        });
      }
      const published = protect(entries, { threshold: t, mode: 'additive', preset }).map((p) =>
        this.count(p, why.get(keyOf(p.coord)) ?? (p.suppressed === 'primary' ? 'small_count' : 'protects_small_count')),
      );
      out.push(published);
      before = published;
    });
    return out;
  }

  /** A percentage of two published counts (one decimal), or withheld with the reason. */
  ratio(numerator: Published, denominator: Published, num: number, den: number): Published {
    const coord = denominator.coord;
    if (den === 0) return this.withheldDerived(coord, 'no_records');
    if (denominator.value === null) return this.withheldDerived(coord, denominator.reason === 'small_count' ? 'few_records' : 'count_withheld');
    if (numerator.value === null) return this.withheldDerived(coord, 'count_withheld');
    const value = Math.round((1000 * num) / den) / 10;
    return { coord, value, display: this.number(value), suppressed: false, reason: null };
  }

  /** A median over `n` records. */
  median(coord: Coord, value: number, n: number): Published {
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

  private count(p: PublishedEntry, reason: Reason): Published {
    if (!p.suppressed) return { ...p, reason: null };
    return { ...p, display: COUNT_MARK[reason]!(this.threshold), reason };
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
