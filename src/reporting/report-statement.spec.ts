import { passShape, passStatement, readPass, rewriteAggregates, shapeKey } from './report-statement.js';
import { REFERRAL_CHAIN, REFERRAL_SOURCES, SOURCES, type Source, type TableRequest } from './report-sources.js';

/** The statement builder's rewriting, spelled out: what an aggregate written for one source becomes in a shared pass. */
describe('rewriteAggregates', () => {
  const fields = new Map([
    ['person_id', 'f0'],
    ['accepted', 'f1'],
    ['hours_to_accept', 'f2'],
  ]);

  it('filters COUNT(*) by the source’s flag', () => {
    expect(rewriteAggregates('COUNT(*)', 0, fields)).toBe('COUNT(*) FILTER (WHERE r.k0)');
  });

  it('renames the source’s fields to the subquery’s columns', () => {
    expect(rewriteAggregates('COUNT(DISTINCT r.person_id)', 2, fields)).toBe('COUNT(DISTINCT r.f0) FILTER (WHERE r.k2)');
  });

  it('joins an existing FILTER to the flag with AND, renaming inside it', () => {
    expect(rewriteAggregates('COUNT(*) FILTER (WHERE r.accepted)', 1, fields)).toBe('COUNT(*) FILTER (WHERE r.k1 AND (r.f1))');
  });

  it('keeps WITHIN GROUP before the FILTER', () => {
    expect(rewriteAggregates('percentile_cont(0.5) WITHIN GROUP (ORDER BY r.hours_to_accept)', 3, fields)).toBe(
      'percentile_cont(0.5) WITHIN GROUP (ORDER BY r.f2) FILTER (WHERE r.k3)',
    );
  });

  it('rewrites every aggregate call of an expression and leaves the rest as written', () => {
    expect(rewriteAggregates('COALESCE(SUM(r.participants), 0)', 0, new Map([['participants', 'f4']]))).toBe('COALESCE(SUM(r.f4) FILTER (WHERE r.k0), 0)');
    expect(rewriteAggregates('SUM(r.n) FILTER (WHERE r.stage >= 1)', 1, new Map([['n', 'f0'], ['stage', 'f1']]))).toBe('SUM(r.f0) FILTER (WHERE r.k1 AND (r.f1 >= 1))');
    expect(rewriteAggregates('0', 0, fields)).toBe('0');
  });

  it('leaves a column that is no field of the source as it is', () => {
    expect(rewriteAggregates('COUNT(r.other)', 0, fields)).toBe('COUNT(r.other) FILTER (WHERE r.k0)');
  });

  it('without a flag (a source that counts every row) keeps only the call’s own FILTER', () => {
    expect(rewriteAggregates('COUNT(*)', null, fields)).toBe('COUNT(*)');
    expect(rewriteAggregates('COUNT(*) FILTER (WHERE r.accepted)', null, fields)).toBe('COUNT(*) FILTER (WHERE (r.f1))');
    expect(rewriteAggregates('percentile_cont(0.5) WITHIN GROUP (ORDER BY r.hours_to_accept)', null, fields)).toBe('percentile_cont(0.5) WITHIN GROUP (ORDER BY r.f2)');
  });
});

describe('passStatement', () => {
  const req: TableRequest = { from: '2026-01-01', to: '2026-03-31', interval: 'month', by: ['period', 'sex'], scope: { sql: 'r.unit_id = :u', params: { u: 'x' } } };

  it('shares the conditions every source has, flags the others, and groups every cell and margin', () => {
    const st = passStatement([REFERRAL_SOURCES['REF-1']!, REFERRAL_SOURCES['REF-5']!], req);
    // REF-5's own condition becomes its flag; REF-1 has none of its own, so it has no flag (its
    // aggregates read every row) and no row is dropped after the subquery.
    expect(st.sql).not.toContain('AS k0');
    expect(st.sql).not.toContain('r.k0');
    expect(st.sql).toContain("(r.status = 'completed') AS k1");
    expect(st.sql).not.toMatch(/OFFSET 0\) r WHERE/);
    expect(st.sql).toContain('WHERE r.sent_at IS NOT NULL AND r.sent_at >= ');
    expect(st.sql).toContain('GROUP BY GROUPING SETS ((r.d0, r.d1), (r.d0), (r.d1), ())');
    expect(st.sql).toContain('(COUNT(*))::float8 AS v0');
    expect(st.sql).toContain('COUNT(*)::int AS n0');
    expect(st.sql).toContain('COUNT(*) FILTER (WHERE r.k1)::int AS n1');
    expect(st.sql).toMatch(/percentile_cont\(0\.5\) WITHIN GROUP \(ORDER BY r\.f\d+\) FILTER \(WHERE r\.k1\)\)::float8 AS v1/);
    expect(st.sql).toContain('(r.unit_id = :u)');
    expect(st.params).toMatchObject({ u: 'x', rFrom: '2026-01-01', rTo: '2026-03-31' });
    expect(st.dims).toBe(2);
  });

  it('drops rows no source counts when every source has a condition of its own', () => {
    const st = passStatement([SOURCES['LIV-1']!, SOURCES['LIV-4']!], { ...req, by: [] });
    expect(st.sql).toMatch(/OFFSET 0\) r WHERE r\.k0 OR r\.k1$/);
    expect(st.sql).not.toContain('GROUPING SETS');
  });

  it('reads the same field expression once however many sources use it', () => {
    const st = passStatement([REFERRAL_SOURCES['REF-1']!, REFERRAL_CHAIN], req);
    expect(st.sql.match(/ AS f\d+/g)?.length).toBe(Object.keys(REFERRAL_CHAIN.fields).length);
  });

  it('writes no value of the request into its text: other dates, region and scope ids give the same text (the key of the prepared texts)', () => {
    const sources = [REFERRAL_SOURCES['REF-1']!, REFERRAL_SOURCES['REF-5']!];
    const a = { ...req, region: 'region-a' };
    const b = { ...req, from: '2019-05-01', to: '2024-12-31', region: 'region-b', scope: { sql: req.scope.sql, params: { u: 'y' } } };
    expect(shapeKey(passShape(a))).toBe(shapeKey(passShape(b)));
    expect(passStatement(sources, b).sql).toBe(passStatement(sources, a).sql);
    expect(passStatement(sources, b).params).toMatchObject({ u: 'y', rFrom: '2019-05-01', rRegion: 'region-b' });
    // What the text does depend on changes the key.
    for (const other of [{ ...a, by: ['sex'] as TableRequest['by'] }, { ...a, interval: 'year' as const }, { ...req }, { ...a, unit: 'u' }, { ...a, scope: { sql: 'r.unit_id = :v', params: { v: 'x' } } }]) {
      expect(shapeKey(passShape(other))).not.toBe(shapeKey(passShape(a)));
    }
  });

  it('refuses a dimension the source does not have', () => {
    const activity: Source = SOURCES['CAP-1']!;
    expect(() => passStatement([activity], { ...req, by: ['age_band'] })).toThrow('source has no dimension age_band');
  });
});

describe('readPass', () => {
  it('gives each source its cells (a cell without its rows is absent) and the grand total always', () => {
    const rows = [
      { d0: 'f', g0: 0, v0: 3, b0: 3, c0: 0, n0: 3, v1: 0, b1: 0, c1: 0, n1: 0 },
      { d0: null, g0: 1, v0: 3, b0: 3, c0: 0, n0: 3, v1: 0, b1: 0, c1: 0, n1: 0 },
    ];
    expect(readPass(rows, 2, 1)).toEqual([
      [
        { coord: ['f'], value: 3, base: 3, companion: 0 },
        { coord: [null], value: 3, base: 3, companion: 0 },
      ],
      [{ coord: [null], value: 0, base: 0, companion: 0 }],
    ]);
  });
});
