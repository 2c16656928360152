import { DEMO } from '../support/test-app.js';
import { appRecordingStatements } from '../support/statements.js';

/**
 * The indicator catalogue costs every role the same number of statements: one per source table
 * (deliveries, referrals, activities) the caller may read, however many indicators come from it.
 * Statements are counted on the app's real connection (TypeORM's query logger), so a scope that
 * renders differently per indicator (the old counter-named parameters) shows up as more statements.
 */
const app = appRecordingStatements();

const FAMILY: Record<string, string> = { PSS: 'delivery', GBV: 'delivery', LIV: 'delivery', REF: 'referral', CAP: 'activity' };
const familyOf = (code: string) => (code === 'GBV-2' ? 'referral' : FAMILY[code.slice(0, 3)]!);

describe('statements per catalogue request, by role', () => {
  it.each([
    ['analyst', DEMO.analyst],
    ['admin', DEMO.admin],
    ['coordinator', DEMO.coordinator],
    ['supervisor', DEMO.supervisorOujda],
    ['provider', DEMO.providerHealthOujda],
  ])('%s: one statement per source table', async (_role, email) => {
    const agent = await app.t.as(email);
    app.statements.length = 0;
    const res = await agent.get('/api/v1/reports/indicators?from=2025-01-01&to=2025-12-31&by=sex');
    expect(res.status).toBe(200);
    const codes: string[] = res.body.indicators.map((i: { code: string }) => i.code);
    const families = new Set(codes.map(familyOf));
    // The aggregate passes of report-statement.ts (a subquery kept apart by OFFSET 0, then GROUPING SETS).
    const passes = app.statements.filter((s) => /GROUP BY GROUPING SETS/.test(s));
    expect(codes.length).toBeGreaterThan(families.size); // several indicators share a table…
    expect(passes).toHaveLength(families.size); // …and its statement
  });
});

describe('statements per catalogue request for a region', () => {
  it('are one statement per source table: neither the region’s place nor the caller is looked up again', async () => {
    const agent = await app.t.as(DEMO.supervisorOujda);
    const { rows } = await app.t.db.query(`SELECT region_id::text AS id FROM organisation WHERE code = 'OUJ'`);
    const url = `/api/v1/reports/indicators?from=2025-01-01&to=2025-12-31&region=${rows[0].id}`;
    expect((await agent.get(url)).status).toBe(200); // the first request finds the place
    app.statements.length = 0;
    const res = await agent.get(url);
    expect(res.status).toBe(200);
    const families = new Set(res.body.indicators.map((i: { code: string }) => familyOf(i.code)));
    const passes = app.statements.filter((s) => /GROUP BY GROUPING SETS|FROM \(SELECT .* OFFSET 0\) r/s.test(s));
    expect(passes).toHaveLength(families.size);
    expect(app.statements.filter((s) => /FROM place/.test(s))).toEqual([]);
    // Nothing else: the access token's caller was read by the first request and is remembered (remembered-callers.ts).
    expect(app.statements.filter((s) => !passes.includes(s)).map((s) => s.replace(/\s+/g, ' ').slice(0, 60))).toEqual([]);
  });
});
