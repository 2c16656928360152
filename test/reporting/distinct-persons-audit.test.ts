import { Disclosure, withSummedMargins, type Published } from '../../src/reporting/disclosure.js';
import { additive } from '../../src/reporting/reporting.service.js';
import { Polytope, type Constraint } from './reference-lp.js';
import { seededRandom } from '../support/seeded-random.js';

/**
 * Counts of distinct persons (PSS-1, GBV-1, LIV-1/2/3/6, GBV-2) by the person's own attributes are
 * sums of their cells: each person has one sex, one age band at the period's end, one nationality
 * group. Such a table is as open to an attacker solving its linear system as a table of referrals,
 * so it gets the same audit; tables where one person can sit in two cells (by month, by unit) keep
 * the line rules. Random small worlds by sex × age band, read by an attacker with its own solver
 * (reference-lp.ts); it wins when it pins any count between 1 and threshold − 1.
 */

const random = seededRandom;

const SEXES = ['female', 'male', 'other'];
const BANDS = ['0-17', '18-24', '25-59', '60+', 'unknown'];
const T = 5;

/** Persons per (sex, age band): sparse and small, as in one unit's year. */
function world(seed: number): { coord: string[]; value: number }[] {
  const r = random(seed);
  return SEXES.flatMap((s) =>
    BANDS.map((b) => {
      const u = r();
      return { coord: [s, b], value: u < 0.35 ? 0 : u < 0.75 ? 1 + Math.floor(r() * (T + 1)) : T + Math.floor(r() * 20) };
    }),
  );
}

/** Counts (cells and margins) below the threshold that everything published pins to one value. */
function pinned(cells: { coord: string[]; value: number }[], published: Published[]): string[] {
  const under = (cell: string[], x: readonly (string | null)[]) => x.every((v, i) => v === null || v === cell[i]);
  const sum = (x: readonly (string | null)[]) => new Map(cells.flatMap((c, i) => (under(c.coord, x) ? [[i, 1] as [number, number]] : [])));
  const known: Constraint[] = [];
  for (const p of published) {
    if (p.value !== null) known.push({ coef: sum(p.coord), op: '=', rhs: p.value });
    else if (p.reason === 'small_count') known.push({ coef: sum(p.coord), op: '>=', rhs: 1 }, { coef: sum(p.coord), op: '<=', rhs: T - 1 });
  }
  const polytope = new Polytope(cells.length, known);
  expect(polytope.feasible).toBe(true);
  const leaks: string[] = [];
  for (const p of published) {
    const truth = cells.filter((c) => under(c.coord, p.coord)).reduce((a, c) => a + c.value, 0);
    if (truth <= 0 || truth >= T) continue;
    const { min, max } = polytope.range(sum(p.coord))!;
    if (Math.floor(max + 1e-6) - Math.ceil(min - 1e-6) < 1) leaks.push(`${JSON.stringify(p.coord)} = ${truth}`);
  }
  return leaks;
}

const protect = (cells: { coord: string[]; value: number }[], audited: boolean) => new Disclosure(T, 'fr').counts(withSummedMargins(cells), audited);

describe('distinct-person tables', () => {
  it('are audited as sums when every dimension puts a person in one cell', () => {
    expect(additive('PSS-1', ['sex', 'age_band'])).toBe(true);
    expect(additive('GBV-1', ['nationality_group'])).toBe(true);
    expect(additive('LIV-6', ['population_group', 'sex'])).toBe(true);
    expect(additive('GBV-2', ['sex'])).toBe(true);
    // One person in two cells: two months, two units, or (for referrals) two age bands on two days.
    expect(additive('PSS-1', ['period'])).toBe(false);
    expect(additive('PSS-1', ['sex', 'unit'])).toBe(false);
    expect(additive('GBV-2', ['age_band'])).toBe(false);
    // Counts of records are sums whatever the cut; percentages and medians never.
    expect(additive('LIV-4', ['period', 'unit'])).toBe(true);
    expect(additive('REF-2', ['sex'])).toBe(false);
    expect(additive('REF-4', [])).toBe(false);
  });

  it('publish nothing that pins a small count of persons by sex × age band (200 random worlds)', () => {
    const lineRulesOnly: string[] = [];
    for (let seed = 1; seed <= 200; seed++) {
      const cells = world(seed);
      expect(pinned(cells, protect(cells, additive('PSS-1', ['sex', 'age_band'])))).toEqual([]);
      lineRulesOnly.push(...pinned(cells, protect(cells, false)).map((l) => `seed ${seed}: ${l}`));
    }
    // The attack is real: the line rules alone (what these tables had) let some counts be solved.
    expect(lineRulesOnly.length).toBeGreaterThan(0);
  });
});
