import fc from 'fast-check';
import { bridgesOf, linesOf, protect, withSummedMargins, type Entry, type PublishedEntry } from './suppression.js';

const key = (c: readonly (string | null)[]) => JSON.stringify(c);

/** Random additive table: 0–2 dimensions of 1–5 values, cells mostly small (where suppression bites). */
const table = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 2 }),
    seed: fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 60 })), { minLength: 25, maxLength: 25 }),
    threshold: fc.oneof(fc.constant(5), fc.integer({ min: 1, max: 10 })),
  })
  .map(({ sizes, seed, threshold }) => {
    const coords: string[][] = sizes.reduce<string[][]>(
      (acc, n, d) => acc.flatMap((c) => Array.from({ length: n }, (_, i) => [...c, `d${d}v${i}`])),
      [[]],
    );
    const cells: Entry[] = coords.map((coord, i) => ({ coord, value: seed[i % seed.length]! }));
    return { entries: withSummedMargins(cells), threshold };
  });

/**
 * The attacker: every line says "cells add up to the total". Writing the withheld entries as
 * unknowns, an entry is recoverable exactly when its unit vector lies in the row space of the
 * line equations (Gaussian elimination, independent of the code under test).
 */
function recoverable(entries: Entry[], published: PublishedEntry[]): string[] {
  const hidden = published.filter((p) => p.suppressed).map((p) => key(p.coord));
  const index = new Map(hidden.map((k, i) => [k, i]));
  const rows: number[][] = [];
  for (const line of linesOf(entries)) {
    const row = new Array(hidden.length).fill(0);
    for (const e of line) {
      const i = index.get(key(e.coord));
      if (i !== undefined) row[i] += e.coord.some((v, d) => v === null && line.some((o) => o.coord[d] !== null)) ? -1 : 1;
    }
    if (row.some((v) => v !== 0)) rows.push(row);
  }
  const rank = (m: number[][]) => {
    const a = m.map((r) => [...r]);
    let r = 0;
    for (let c = 0; c < hidden.length && r < a.length; c++) {
      const p = a.findIndex((row, i) => i >= r && Math.abs(row[c]!) > 1e-9);
      if (p < 0) continue;
      [a[r], a[p]] = [a[p]!, a[r]!];
      for (let i = 0; i < a.length; i++) {
        if (i === r) continue;
        const f = a[i]![c]! / a[r]![c]!;
        if (f) for (let j = c; j < hidden.length; j++) a[i]![j]! -= f * a[r]![j]!;
      }
      r++;
    }
    return r;
  };
  const base = rank(rows);
  return hidden.filter((_, i) => rank([...rows, hidden.map((__, j) => (j === i ? 1 : 0))]) === base);
}

describe('small-number suppression', () => {
  it('publishes no entry below the threshold and leaves the others unchanged (property)', () => {
    fc.assert(
      fc.property(table, ({ entries, threshold }) => {
        const out = protect(entries, { threshold, mode: 'additive' });
        out.forEach((p, i) => {
          const truth = entries[i]!.value;
          if (p.suppressed) {
            expect(p.value).toBeNull();
            expect(p.display).toBe(p.suppressed === 'primary' ? `<${threshold}` : 'x');
          } else {
            expect(p.value).toBe(truth);
            expect(truth === 0 || truth >= threshold).toBe(true);
          }
          if (truth > 0 && truth < threshold) expect(p.suppressed).toBe('primary');
        });
      }),
      { numRuns: 500 },
    );
  });

  it('never leaves exactly one withheld entry in a row, column or margin (property)', () => {
    fc.assert(
      fc.property(table, ({ entries, threshold }) => {
        const out = protect(entries, { threshold, mode: 'additive' });
        const hidden = new Set(out.filter((p) => p.suppressed).map((p) => key(p.coord)));
        for (const line of linesOf(entries)) {
          const n = line.filter((e) => hidden.has(key(e.coord))).length;
          expect(n === 0 || n >= 2).toBe(true);
          // The attack of the brief: a published total minus the published cells of its line.
          if (n === 1) throw new Error('a withheld entry is the difference of its line');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('leaves no withheld entry recoverable from all the line equations together (property)', () => {
    fc.assert(
      fc.property(table, ({ entries, threshold }) => {
        const out = protect(entries, { threshold, mode: 'additive' });
        expect(recoverable(entries, out)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('shows a true zero and suppresses a lone small cell with a partner (worked example)', () => {
    const cells: Entry[] = [
      { coord: ['female'], value: 3 },
      { coord: ['male'], value: 12 },
      { coord: ['other'], value: 0 },
      { coord: ['unknown'], value: 9 },
    ];
    const out = protect(withSummedMargins(cells), { threshold: 5, mode: 'additive' });
    const by = new Map(out.map((p) => [key(p.coord), p]));
    expect(by.get(key(['female']))).toMatchObject({ display: '<5', suppressed: 'primary', value: null });
    expect(by.get(key(['other']))).toMatchObject({ display: '0', suppressed: false });
    // The smallest cell above the threshold protects it; the total stays published.
    expect(by.get(key(['unknown']))).toMatchObject({ display: 'x', suppressed: 'complementary' });
    expect(by.get(key([null]))).toMatchObject({ display: '24', suppressed: false });
    expect(by.get(key(['male']))!.value).toBe(12);
  });

  it('closes a bridge that the row and column rule alone would leave recoverable', () => {
    // Small cells form two 2x2 blocks joined by (b, y): every row and column has 0 or 2+ withheld
    // cells, yet (b, y) = (row b total - published cells of b) - (the block's withheld sum), and the
    // block's sum is known from columns w and x. Rule 3 must add a cell.
    const small = new Set(['a w', 'a x', 'b w', 'b x', 'c y', 'c z', 'd y', 'd z', 'b y']);
    const cells: Entry[] = [];
    for (const r of ['a', 'b', 'c', 'd']) for (const c of ['w', 'x', 'y', 'z']) cells.push({ coord: [r, c], value: small.has(`${r} ${c}`) ? 2 : 40 });
    const entries = withSummedMargins(cells);
    const out = protect(entries, { threshold: 5, mode: 'additive' });
    expect(out.filter((p) => p.suppressed === 'complementary').length).toBeGreaterThan(0);
    expect(recoverable(entries, out)).toEqual([]);
  });

  it('withholds a small total and protects base-size figures without complements', () => {
    expect(protect([{ coord: [], value: 4 }], { threshold: 5, mode: 'additive' })[0]).toMatchObject({ display: '<5' });
    const pct = protect(
      [
        { coord: ['female'], value: 75, base: 4 },
        { coord: ['male'], value: 50, base: 10 },
        { coord: [null], value: 57.1, base: 14 },
      ],
      { threshold: 5, mode: 'base' },
    );
    expect(pct.map((p) => p.display)).toEqual(['<5', '50', '57.1']);
  });

  it('finds bridges of the row-column graph', () => {
    // Two 4-cycles joined by the edge (b, y): that edge is a bridge, the others are not.
    const cycleA = [['a', 'x'], ['a', 'w'], ['b', 'x'], ['b', 'w']];
    const cycleB = [['c', 'y'], ['c', 'z'], ['d', 'y'], ['d', 'z']];
    expect(bridgesOf([...cycleA, ['b', 'y'], ...cycleB])).toEqual([['b', 'y']]);
    expect(bridgesOf(cycleA)).toEqual([]);
  });

  it('rejects malformed tables', () => {
    expect(() => protect([{ coord: ['a'], value: -1 }], { threshold: 5, mode: 'additive' })).toThrow();
    expect(() => protect([{ coord: ['a'], value: 1 }, { coord: [], value: 1 }], { threshold: 5, mode: 'additive' })).toThrow();
    expect(() => protect([], { threshold: 0, mode: 'additive' })).toThrow();
  });
});
