import { DataSource } from 'typeorm';
import { PREPARED_PASSES } from '../../src/reporting/reporting.repository.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { buildReferralWorld, REF_EXPECTED, REF_PERIOD } from './referral-fixture.js';

/**
 * A report's statements are prepared on their connection (parsed once, and planned once PostgreSQL
 * settles on a generic plan) when their text holds none of the request's values; a roll-up pass,
 * whose text holds the dates, is not; and the prepared texts are bounded (PostgreSQL keeps each on
 * every connection that ran it). One connection in the pool, so that the test reads the one the
 * app's statements ran on.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ DATABASE_POOL_SIZE: '1', SUPPRESSION_THRESHOLD: '1' });
  await buildReferralWorld(t);
}, 600_000);
afterAll(() => t.close(), 300_000);

type Prepared = { name: string; statement: string; runs: number };
const prepared = async (): Promise<Prepared[]> =>
  t.app
    .get(DataSource)
    .query(`SELECT name, statement, (generic_plans + custom_plans)::int AS runs FROM pg_prepared_statements WHERE name LIKE 'reports.pass.%' ORDER BY name`);

const answer = async (email: string, qs: string) => {
  const res = await (await t.as(email)).get(`/api/v1/reports/indicators?${qs}`);
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.indicators as Indicator[];
};
type Indicator = { code: string; total: { value: number | null }; cells: unknown[] };
const total = (indicators: Indicator[], code: string) => indicators.find((i) => i.code === code)?.total.value;

describe('prepared report statements', () => {
  it('are prepared once per shape of request, bound to each request’s own values', async () => {
    // REF-4 keeps the referral figures off the roll-up: the referrals' own statement.
    const year = `${REF_PERIOD}&by=sex`;
    const first = await answer(DEMO.supervisorOujda, year);
    expect(total(first, 'REF-1')).toBe(REF_EXPECTED.ref1ByUnit.OUJ);
    const made = await prepared();
    // One per source table the supervisor reads (deliveries, referrals), none holding a date or an id.
    expect(made).toHaveLength(2);
    for (const p of made) expect(p.statement).not.toMatch(/20\d\d-|'[0-9a-f]{8}-[0-9a-f]{4}-/);

    // Other dates, the same shape: the same statements, with that request's values.
    expect(total(await answer(DEMO.supervisorOujda, 'from=2001-01-01&to=2001-12-31&by=sex'), 'REF-1')).toBe(0);
    // Past PostgreSQL's five custom plans (it may then keep a generic one): the same figures.
    for (let i = 0; i < 6; i++) expect(await answer(DEMO.supervisorOujda, year)).toEqual(first);
    const again = await prepared();
    expect(again.map((p) => p.name)).toEqual(made.map((p) => p.name));
    expect(again.map((p) => p.runs)).toEqual([8, 8]);
  });

  it('leave a roll-up pass unprepared (its text holds the months)', async () => {
    const before = await prepared();
    const rolled = await answer(DEMO.analyst, `${REF_PERIOD}&indicators=REF-1,REF-2,REF-3&by=sex`);
    expect(total(rolled, 'REF-1')).toBe(REF_EXPECTED['REF-1']);
    const after = await prepared();
    expect(after).toEqual(before.map((p) => expect.objectContaining({ name: p.name })));
    expect(after.filter((p) => /report_referral_month/.test(p.statement))).toEqual([]);
  });

  it(`stop at ${PREPARED_PASSES} texts: further shapes of request are answered unprepared`, async () => {
    const codes = ['PSS-1', 'GBV-1', 'LIV-1', 'LIV-4', 'REF-4', 'REF-5', 'GBV-2', 'PSS-1,LIV-1', 'GBV-1,LIV-4', 'REF-4,REF-5', 'REF-5,GBV-2', 'LIV-1,LIV-4'];
    const shapes = ['', '&by=sex', '&by=age_band'].flatMap((by) => codes.map((c) => `indicators=${c}${by}`));
    expect(shapes.length).toBeGreaterThan(PREPARED_PASSES);
    for (const s of shapes) await answer(DEMO.analyst, `${REF_PERIOD}&${s}`);
    expect(await prepared()).toHaveLength(PREPARED_PASSES);
    // Past the bound a new shape is answered all the same, and nothing more is prepared.
    const late = await answer(DEMO.analyst, `${REF_PERIOD}&by=population_group&indicators=REF-4,GBV-2`);
    expect(total(late, 'GBV-2')).toBe(REF_EXPECTED['GBV-2']);
    expect(await prepared()).toHaveLength(PREPARED_PASSES);
  });
});
