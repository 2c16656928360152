import fc from 'fast-check';
import { Disclosure, protectLevels, withSummedMargins, type Published } from './disclosure.js';
import { Polytope, type Constraint } from './linear-bounds.js';

/**
 * Disclosure control of a whole referral report against an attacker who reads every published
 * value — REF-1 counts, REF-2/REF-3 percentages, REF-4/REF-5 medians, every split, every total and
 * the funnel — and solves the linear system they make. The unknowns are the world's atoms: for
 * each finest cell, the referrals that stopped at each step (not accepted; accepted but not closed;
 * closed but not completed; completed). The attacker also knows that counts are non-negative, so a
 * published 0 tells that every atom in it is 0. It wins when it can work out exactly any count
 * between 1 and threshold − 1: an atom, or any sum of consecutive stops (a step, or the difference
 * of two steps) in any cell or margin.
 */

type Coord = readonly (string | null)[];
const key = (c: readonly (string | null)[]) => JSON.stringify(c);
const STEPS = 4;
/** Pinned so CI is repeatable; `DISCLOSURE_SEED=<n>` tries another world set locally. */
const SEED = Number(process.env.DISCLOSURE_SEED ?? 20261201);

interface World {
  sizes: number[];
  /** atoms[cell][k]: referrals of the cell that stopped after step k. */
  cells: { coord: string[]; atoms: number[] }[];
  threshold: number;
}

/**
 * Random worlds: up to `dims` dimensions of 1–3 values each; each cell's atoms drawn from `seed`
 * values of `values` (atom k of cell i is seed[(i·STEPS + k·stride) mod length]).
 */
const world = (
  threshold: fc.Arbitrary<number>,
  { dims = [0, 2], seedLength = 36, values = fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 30 })), stride = 1 } = {},
) =>
  fc
    .record({
      sizes: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: dims[0], maxLength: dims[1] }),
      seed: fc.array(values, { minLength: seedLength, maxLength: seedLength }),
      threshold,
    })
    .map(({ sizes, seed, threshold }): World => {
      const cells = sizes.reduce((a, b) => a * b, 1);
      return { sizes, threshold, cells: grid(Array.from({ length: cells }, (_, i) => [0, 1, 2, 3].map((k) => seed[(i * STEPS + k * stride) % seed.length]!)), sizes) };
    });

/** Step j of a cell: the referrals that reached it (stopped at step j or later). */
const step = (atoms: number[], j: number) => atoms.slice(j).reduce((a, b) => a + b, 0);
const under = (cell: readonly string[], x: Coord) => x.every((v, i) => v === null || v === cell[i]);

/** The world's funnel by `dims`: each step's cells and margins, as the service's tables() count them. */
function stepsBy(w: World, dims: number[]) {
  const project = (c: string[]) => dims.map((d) => c[d]!);
  const byStep = Array.from({ length: STEPS }, (_, j) => withSummedMargins(w.cells.map((c) => ({ coord: project(c.coord), value: step(c.atoms, j) }))));
  // withSummedMargins merges cells that project onto the same coordinate: the same order for every step.
  return { byStep, coords: byStep[0]!.map((e) => e.coord), steps: byStep.map((t) => t.map((e) => e.value)) };
}

/** What the report publishes for a grid (the service's tables() for REF-1..5). */
function publish(w: World, dims: number[]) {
  const { byStep, coords, steps } = stepsBy(w, dims);
  const disclosure = new Disclosure(w.threshold, 'en');
  const chain = disclosure.chain({ coords, steps });
  const [sent, accepted, closed] = chain as [Published[], Published[], Published[]];
  const ratios = [1, 2].map((s) => sent.map((den, i) => disclosure.ratio(chain[s]![i]!, den, byStep[s]![i]!.value, byStep[0]![i]!.value)));
  // Medians of REF-4 over the accepted referrals, REF-5 over the completed ones, behind those steps' counts.
  const medians = [1, 3].map((s) => coords.map((c, i) => ({ n: byStep[s]![i]!.value, p: disclosure.median(c, 10 + i, byStep[s]![i]!.value, chain[s]![i]!) })));
  return { dims, coords, byStep, sent, chain, ratios, medians, accepted, closed };
}

/**
 * The attacker: every published value and every reason as linear constraints over the atoms
 * (which are ≥ 0), then, for each count below the threshold, the least and greatest value it can
 * take (linear programming: the interval attack; a count fixed by the equations alone has min =
 * max). It wins when only one whole number remains.
 */
function attack(w: World, reports: ReturnType<typeof publish>[]): string[] {
  const n = w.cells.length * STEPS;
  const atomIndex = (cell: number, k: number) => cell * STEPS + k;
  const t = w.threshold;
  const constraints: Constraint[] = [];
  const equation = (dims: number[], x: Coord, from: number, to: number) => {
    const coef = new Map<number, number>();
    w.cells.forEach((c, ci) => {
      if (under(dims.map((d) => c.coord[d]!), x)) for (let k = from; k < to; k++) coef.set(atomIndex(ci, k), 1);
    });
    return coef;
  };
  const know = (coef: Map<number, number>, op: Constraint['op'], rhs: number) => coef.size && constraints.push({ coef, op, rhs });
  const small = (coef: Map<number, number>) => (know(coef, '>=', 1), know(coef, '<=', t - 1));
  for (const r of reports) {
    r.coords.forEach((x, i) => {
      r.chain.forEach((pub, j) => {
        const p = pub[i]!;
        if (p.value !== null) know(equation(r.dims, x, j, STEPS), '=', p.value);
        // "<5" says 1 to 4; a small difference says the step before minus this one is 1 to 4.
        else if (p.reason === 'small_count') small(equation(r.dims, x, j, STEPS));
        else if (p.reason === 'small_difference') small(equation(r.dims, x, j - 1, j));
      });
      // A percentage with its published denominator gives the numerator (one decimal is exact below 1000).
      r.ratios.forEach((pct, s) => {
        const p = pct[i]!;
        const den = r.sent[i]!.value;
        if (p.value !== null && den !== null) know(equation(r.dims, x, s + 1, STEPS), '=', Math.round((p.value * den) / 100));
        if (p.reason === 'few_records') small(equation(r.dims, x, 0, STEPS));
        if (p.reason === 'no_records') know(equation(r.dims, x, 0, STEPS), '=', 0);
      });
      // A median tells how many records it is over: ≥ threshold when published, 1 to 4 or none.
      r.medians.forEach((m, s) => {
        const { p } = m[i]!;
        const count = equation(r.dims, x, [1, 3][s]!, STEPS);
        if (p.value !== null) know(count, '>=', t);
        else if (p.reason === 'few_records') small(count);
        else if (p.reason === 'no_records') know(count, '=', 0);
      });
    });
  }
  const polytope = new Polytope(n, constraints);
  expect(polytope.feasible).toBe(true);
  const leaks: string[] = [];
  for (const r of reports) {
    r.coords.forEach((x, i) => {
      for (let from = 0; from < STEPS; from++) {
        for (let to = from + 1; to <= STEPS; to++) {
          const truth = w.cells.filter((c) => under(r.dims.map((d) => c.coord[d]!), x)).reduce((a, c) => a + c.atoms.slice(from, to).reduce((p, q) => p + q, 0), 0);
          if (truth <= 0 || truth >= t) continue;
          const coef = equation(r.dims, x, from, to);
          const range = polytope.range(coef)!;
          if (Math.floor(range.max + 1e-6) - Math.ceil(range.min - 1e-6) < 1) leaks.push(`${key(x)} stops ${from}..${to - 1} = ${truth}, pinned to [${range.min}, ${range.max}] (by ${r.dims})`);
        }
      }
    });
  }
  return leaks;
}

/** A world's cells in row-major order from their atoms. */
function grid(atoms: number[][], sizes: number[]): World['cells'] {
  const coords = sizes.reduce<string[][]>((acc, n, d) => acc.flatMap((c) => Array.from({ length: n }, (_, i) => [...c, `d${d}v${i}`])), [[]]);
  return coords.map((coord, i) => ({ coord, atoms: atoms[i]! }));
}

const allDims = (w: World) => w.sizes.map((_, i) => i);

/** Only REF-1's counts of a report (a chart of referrals by one dimension beside the headline). */
const countsOnly = (r: ReturnType<typeof publish>) => ({ ...r, chain: [r.sent], ratios: [] });

/**
 * What one report publishes at once: the table of the request (REF-1..5, every cell and margin),
 * the headline figures with the funnel (the chain at the total), and — like the regional PDF's
 * monthly chart — REF-1 alone by the first dimension.
 */
const report = (w: World) => [publish(w, allDims(w)), publish(w, []), ...(w.sizes.length ? [countsOnly(publish(w, [0]))] : [])];

describe('disclosure control of a report', () => {
  it('leaves no count below the threshold recoverable from one table of the report: REF-1..5 and the funnel (property)', () => {
    fc.assert(
      fc.property(world(fc.integer({ min: 1, max: 8 })), (w) => {
        expect(attack(w, [publish(w, allDims(w))])).toEqual([]);
      }),
      { numRuns: 400, seed: SEED },
    );
  });

  // Worlds that random seeds found leaking before the audit (the first at threshold 2: a row margin
  // recovered a cell whose referrals all stopped at one funnel step; the others at threshold 5,
  // across the report's tables and through the bounds). Kept as plain regression tests.
  const found: [string, World][] = [
    ['2 × 2 at threshold 2, a row margin', { sizes: [2, 2], threshold: 2, cells: grid([[0, 0, 0, 0], [0, 0, 4, 0], [0, 0, 1, 0], [0, 0, 0, 4]], [2, 2]) }],
    ['2 × 2 at threshold 5', { sizes: [2, 2], threshold: 5, cells: grid([[1, 0, 0, 5], [4, 0, 0, 5], [4, 0, 5, 0], [1, 0, 5, 0]], [2, 2]) }],
    ['3 × 3 at threshold 5', { sizes: [3, 3], threshold: 5, cells: grid([[0, 0, 21, 0], [1, 0, 3, 1], [4, 0, 0, 10], [0, 0, 0, 0], [5, 0, 1, 0], [0, 0, 6, 0], [1, 0, 0, 4], [0, 4, 0, 2], [5, 0, 0, 0]], [3, 3]) }],
    ['2 × 3 at threshold 5', { sizes: [2, 3], threshold: 5, cells: grid([[0, 0, 0, 0], [0, 0, 0, 0], [5, 0, 0, 0], [0, 0, 0, 0], [5, 1, 1, 3], [1, 0, 0, 0]], [2, 3]) }],
    ['2 × 2 at threshold 5, both ways', { sizes: [2, 2], threshold: 5, cells: grid([[0, 0, 3, 2], [4, 0, 0, 1], [4, 0, 0, 1], [5, 0, 2, 3]], [2, 2]) }],
    ['2 × 2 at threshold 6', { sizes: [2, 2], threshold: 6, cells: grid([[5, 0, 1, 0], [6, 0, 0, 6], [0, 0, 4, 2], [5, 0, 0, 1]], [2, 2]) }],
    ['2 × 3 at threshold 3', { sizes: [2, 3], threshold: 3, cells: grid([[3, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 4], [3, 0, 0, 0], [1, 0, 0, 2]], [2, 3]) }],
    ['2 × 3 at threshold 5, a long funnel', { sizes: [2, 3], threshold: 5, cells: grid([[5, 5, 3, 7], [0, 0, 0, 0], [0, 0, 2, 3], [0, 0, 0, 5], [5, 0, 0, 0], [1, 0, 2, 2]], [2, 3]) }],
    ['2 × 3 at threshold 5, every step', { sizes: [2, 3], threshold: 5, cells: grid([[1, 3, 0, 3], [2, 1, 1, 1], [2, 1, 2, 0], [0, 0, 5, 0], [0, 0, 0, 6], [0, 5, 0, 0]], [2, 3]) }],
    ['2 × 3 × 3 at threshold 5, pinned by the margins once every cell is withheld', { sizes: [2, 3, 3], threshold: 5, cells: grid([[0, 4, 1, 0], [0, 0, 0, 10], [0, 1, 0, 0], [10, 0, 4, 3], [3, 3, 0, 0], [4, 1, 0, 0], [1, 4, 1, 0], [9, 0, 0, 0], [2, 9, 9, 0], [10, 11, 1, 0], [11, 0, 11, 0], [2, 5, 2, 7], [2, 0, 12, 3], [1, 2, 0, 0], [4, 3, 10, 0], [0, 4, 1, 0], [0, 0, 0, 10], [0, 1, 0, 0]], [2, 3, 3]) }],
    ['3 × 3 × 2 at threshold 4, pinned by the margins once every cell is withheld', { sizes: [3, 3, 2], threshold: 4, cells: grid([[0, 0, 10, 2], [1, 0, 4, 7], [0, 0, 7, 1], [0, 0, 1, 2], [4, 3, 0, 2], [0, 0, 0, 10], [0, 0, 11, 3], [5, 11, 0, 0], [2, 1, 0, 0], [0, 4, 1, 4], [0, 2, 0, 4], [4, 0, 5, 0], [0, 5, 0, 12], [3, 6, 0, 0], [11, 1, 0, 0], [0, 0, 10, 2], [1, 0, 4, 7], [0, 0, 7, 1]], [3, 3, 2]) }],
    ['3 at threshold 5, a funnel', { sizes: [3], threshold: 5, cells: grid([[0, 0, 0, 0], [0, 5, 0, 0], [0, 1, 5, 0]], [3]) }],
  ];
  it.each(found)('leaves no count recoverable in the world a random seed found: %s', (_, w) => {
    expect(attack(w, report(w))).toEqual([]);
  });

  // The API publishes tables of one or two dimensions; the module holds for three as well (the
  // last resort above: margins withheld once every cell is). DISCLOSURE_RUNS_3D tries more worlds.
  it('leaves no count recoverable in tables of three dimensions (property)', () => {
    // More zeros and small counts, and a seed long enough for 27 cells: the worlds where margins pinned a count.
    const cube = world(fc.integer({ min: 3, max: 5 }), {
      dims: [3, 3],
      seedLength: 60,
      values: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 12 })),
      stride: 7,
    });
    fc.assert(
      fc.property(cube, (w) => {
        expect(attack(w, report(w))).toEqual([]);
      }),
      { numRuns: Number(process.env.DISCLOSURE_RUNS_3D ?? 40), seed: SEED },
    );
  });

  it('does not let "<5" bounds pin two small cells: 4 and 4 in a row of 8 (interval attack)', () => {
    // Published alone, both cells "<5" and the row total 8 would pin both to 4.
    const w: World = { sizes: [2, 2], threshold: 5, cells: grid([[0, 0, 0, 4], [0, 0, 0, 4], [0, 0, 0, 9], [0, 0, 0, 9]], [2, 2]) };
    expect(attack(w, report(w))).toEqual([]);
  });

  it('leaves no count below 5 recoverable from every cell, total, percentage, median and funnel step a report publishes, at threshold 5 (property)', () => {
    fc.assert(
      fc.property(world(fc.constant(5)), (w) => {
        expect(attack(w, report(w))).toEqual([]);
      }),
      { numRuns: 400, seed: SEED },
    );
  });

  it('publishes a percentage only with both its counts, and a median only over at least threshold records (property)', () => {
    fc.assert(
      fc.property(world(fc.integer({ min: 1, max: 8 })), (w) => {
        const r = publish(w, allDims(w));
        r.ratios.forEach((pct, s) =>
          pct.forEach((p, i) => {
            if (p.value !== null) {
              expect(r.sent[i]!.value).not.toBeNull();
              expect(r.chain[s + 1]![i]!.value).not.toBeNull();
            } else expect(p.display).not.toMatch(/^</);
          }),
        );
        for (const m of r.medians) {
          for (const { n, p } of m) {
            if (p.value !== null) expect(n).toBeGreaterThanOrEqual(w.threshold);
            // Withheld with its count: "fewer than N" only when the count is marked small (never at
            // threshold 2, where it would be the count itself), otherwise only that it is withheld.
            else if (p.reason === 'few_records') expect([n > 0 && n < w.threshold && w.threshold > 2, p.display]).toEqual([true, `not published (fewer than ${w.threshold})`]);
            else if (n > 0) expect(p.display).toBe('not published');
          }
        }
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('publishes every figure of a table with nothing small, as the full protection does: the shortcut agrees with the levels (property)', () => {
    // Atoms of 0 or at least the threshold: every count, difference of steps and margin is 0 or ≥ t.
    const large = fc.integer({ min: 2, max: 8 }).chain((t) =>
      world(fc.constant(t), { values: fc.oneof(fc.constant(0), fc.integer({ min: t, max: 40 })) }),
    );
    fc.assert(
      fc.property(large, fc.boolean(), (w, additive) => {
        for (const dims of [allDims(w), [], ...(w.sizes.length ? [[0]] : [])]) {
          const chain = stepsBy(w, dims);
          expect(protectLevels(chain, w.threshold, additive).flat().filter(Boolean)).toEqual([]);
          const published = new Disclosure(w.threshold, 'en').chain(chain, additive);
          expect(published.map((s) => s.map((p) => p.value))).toEqual(chain.steps);
        }
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('withholds adjacent funnel steps whose difference is small: 12 sent, 10 accepted (worked example)', () => {
    const d = new Disclosure(5, 'fr');
    const [sent, accepted, closed, completed] = d.chain({ coords: [[]], steps: [[12], [10], [7], [0]] });
    expect(sent![0]).toMatchObject({ value: 12, reason: null });
    expect(accepted![0]).toMatchObject({ value: null, display: 'x', reason: 'small_difference' });
    // Once accepted is withheld, the steps after it would tell it (closed + the small difference): withheld too.
    expect(closed![0]).toMatchObject({ value: null, reason: 'earlier_step_withheld' });
    expect(completed![0]).toMatchObject({ value: null, reason: 'earlier_step_withheld' });
    expect(d.ratio(accepted![0]!, sent![0]!, 10, 12)).toMatchObject({ value: null, display: 'non publié', reason: 'count_withheld' });
  });

  it('never publishes REF-1 = 5, REF-2 = 60 % and REF-3 = 40 % together (the issue’s example)', () => {
    const d = new Disclosure(5, 'en');
    const [sent, accepted, closed] = d.chain({ coords: [[]], steps: [[5], [3], [2], [1]] });
    expect(sent![0]!.value).toBe(5);
    expect(d.ratio(accepted![0]!, sent![0]!, 3, 5).value).toBeNull();
    expect(d.ratio(closed![0]!, sent![0]!, 2, 5).value).toBeNull();
  });

  it('writes a withheld median in words in each language, never as "<5"', () => {
    expect(new Disclosure(5, 'fr').median([], 3.5, 4).display).toBe('non publié (moins de 5)');
    expect(new Disclosure(5, 'ar').median([], 3.5, 4).display).toBe('غير منشور (أقل من 5)');
    expect(new Disclosure(5, 'en').median([], 3.5, 4)).toMatchObject({ value: null, display: 'not published (fewer than 5)', reason: 'few_records' });
    expect(new Disclosure(5, 'en').median([], 0, 0)).toMatchObject({ value: null, display: '–', reason: 'no_records' });
    expect(new Disclosure(5, 'en').median([], 12.34, 5)).toMatchObject({ value: 12.3, display: '12.3', reason: null });
  });
});
