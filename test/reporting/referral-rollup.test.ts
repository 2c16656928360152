import { ReportRollupJob } from '../../src/reporting/report-rollup.job.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { buildReferralWorld, REF_EXPECTED, REF_PERIOD, type ReferralWorld } from './referral-fixture.js';

/**
 * The monthly referral roll-up answers REF-1, REF-2 and REF-3 over whole months with exactly the
 * figures the referrals give: before it is built (months read from the referrals), after, and after
 * a referral or a person behind a built month changes (the trigger drops the month; it is read
 * from the referrals again until the job rebuilds it).
 */
let t: TestApp;
let w: ReferralWorld;
beforeAll(async () => {
  t = await createTestApp({ SUPPRESSION_THRESHOLD: '1' });
  w = await buildReferralWorld(t);
}, 600_000);
afterAll(() => t.close(), 300_000);

type Cells = Record<string, number | null>;
/** Every cell of every indicator of the answer, keyed by indicator and coordinate. */
const cells = async (email: string, qs: string): Promise<Cells> => {
  const res = await (await t.as(email)).get(`/api/v1/reports/indicators?${REF_PERIOD}&${qs}`);
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  const out: Cells = {};
  for (const v of res.body.indicators as { code: string; cells: { coord: object; value: number | null }[] }[]) {
    for (const c of v.cells) out[`${v.code} ${JSON.stringify(c.coord)}`] = c.value;
  }
  return out;
};
const ROLLED = 'indicators=REF-1,REF-2,REF-3&by=sex,age_band';
// REF-4 needs each referral's times: the same request with it is answered from the referrals alone.
const FROM_FACTS = 'indicators=REF-1,REF-2,REF-3,REF-4&by=sex,age_band';
const withoutRef4 = (c: Cells) => Object.fromEntries(Object.entries(c).filter(([k]) => !k.startsWith('REF-4')));
const built = async () => (await t.db.query(`SELECT to_char(month, 'YYYY-MM') AS m FROM report_rollup_month WHERE month BETWEEN '2025-01-01' AND '2025-12-01' ORDER BY 1`)).rows.map((r) => r.m as string);

describe('monthly referral roll-up', () => {
  it('gives the referrals’ own figures before and after the months are built, for the analyst and the coordinator', async () => {
    const facts = withoutRef4(await cells(DEMO.analyst, FROM_FACTS));
    const coordinatorFacts = withoutRef4(await cells(DEMO.coordinator, `region=${w.regions.oriental}&${FROM_FACTS}`));
    expect(coordinatorFacts['REF-1 {"sex":null,"age_band":null}']).toBe(REF_EXPECTED['REF-1']);
    expect(await cells(DEMO.analyst, ROLLED)).toEqual(facts);

    // Every past month from the first referral sent (May 2025) on.
    const months = await t.app.get(ReportRollupJob).run();
    expect(months).toBeGreaterThanOrEqual(8);
    expect(await built()).toEqual(['2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12']);
    const rows = await t.db.query(`SELECT sum(referrals)::int AS n FROM report_referral_month WHERE month BETWEEN '2025-01-01' AND '2025-12-01'`);
    expect(rows.rows[0].n).toBe(facts['REF-1 {"sex":null,"age_band":null}']);
    expect(await cells(DEMO.analyst, ROLLED)).toEqual(facts);
    expect(await cells(DEMO.coordinator, `region=${w.regions.oriental}&${ROLLED}`)).toEqual(coordinatorFacts);
    // Nothing left to build: a second run builds nothing.
    expect(await t.app.get(ReportRollupJob).run()).toBe(0);
  });

  it('leaves the roll-up analysed after building it, so the next report is planned on its statistics', async () => {
    // Every month to build again, on a table as the planner sees it after a bulk build: never
    // analysed (reltuples = -1; autovacuum comes later).
    await t.db.query(`DELETE FROM report_rollup_month`);
    await t.db.query(`UPDATE pg_class SET reltuples = -1 WHERE oid = 'report_referral_month'::regclass`);
    expect(await t.app.get(ReportRollupJob).run()).toBeGreaterThanOrEqual(8);
    const { rows } = await t.db.query(
      `SELECT c.reltuples::int AS estimated, (SELECT count(*)::int FROM report_referral_month) AS actual FROM pg_class c WHERE c.oid = 'report_referral_month'::regclass`,
    );
    expect(rows[0].estimated).toBe(rows[0].actual);
  });

  it('drops a built month when a referral or a person behind it changes, and stays exact', async () => {
    await t.app.get(ReportRollupJob).run();
    const june = await t.db.query(
      `SELECT r.id, c.person_id FROM referral r JOIN case_file c ON c.id = r.case_id
        WHERE r.sent_at >= '2025-06-01' AND r.sent_at < '2025-07-01' AND r.answered_at IS NOT NULL AND r.status <> 'declined' ORDER BY r.id LIMIT 1`,
    );
    expect(june.rowCount).toBe(1);
    const { id, person_id } = june.rows[0];
    await t.db.query(`UPDATE referral SET status = 'declined' WHERE id = $1`, [id]);
    expect(await built()).not.toContain('2025-06');
    expect(await cells(DEMO.analyst, ROLLED)).toEqual(withoutRef4(await cells(DEMO.analyst, FROM_FACTS)));

    await t.app.get(ReportRollupJob).run();
    expect(await built()).toContain('2025-06');
    const sex = (await t.db.query(`SELECT sex FROM person WHERE id = $1`, [person_id])).rows[0].sex;
    await t.db.query(`UPDATE person SET sex = $2 WHERE id = $1`, [person_id, sex === 'female' ? 'male' : 'female']);
    expect(await built()).not.toContain('2025-06');
    const after = withoutRef4(await cells(DEMO.analyst, FROM_FACTS));
    expect(await cells(DEMO.analyst, ROLLED)).toEqual(after);
    await t.app.get(ReportRollupJob).run();
    expect(await cells(DEMO.analyst, ROLLED)).toEqual(after);
  });

  it('answers a provider from the referrals (the roll-up has no provider)', async () => {
    await t.app.get(ReportRollupJob).run();
    const views = await (await t.as(DEMO.providerPssOujda)).get(`/api/v1/reports/indicators?${REF_PERIOD}&indicators=REF-1`).expect(200);
    expect(views.body.indicators[0].total.value).toBe(REF_EXPECTED.providerPss['REF-1']);
  });
});
