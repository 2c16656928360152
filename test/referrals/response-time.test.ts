import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { given } from './given.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const recorded = async (serviceId: string): Promise<number> =>
  Number((await t.db.query(`SELECT sample_size FROM service_response_stats WHERE service_id = $1`, [serviceId])).rows[0]?.sample_size ?? 0);
const accepted = async (serviceId: string): Promise<number> =>
  Number((await t.db.query(`SELECT count(*) AS n FROM referral WHERE service_id = $1 AND answered_at IS NOT NULL AND status <> 'declined'`, [serviceId])).rows[0].n);

describe('the response time an acceptance feeds back to the directory', () => {
  it('counts both of two acceptances of one service at once (the later waits for the earlier, then measures)', async () => {
    const g = given(t);
    const first = await g.sentReferral();
    const second = await g.sentReferral();
    const serviceId = first.target.serviceId;
    expect(second.target.serviceId).toBe(serviceId);
    const before = await accepted(serviceId);

    // Another acceptance of the same service, its transaction still open (as the app's own step holds it).
    const other = await t.db.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT pg_advisory_xact_lock(hashtext('service_response_stats'), hashtext($1::text))`, [serviceId]);
      await other.query(`UPDATE referral SET status = 'accepted', answered_at = now() WHERE id = $1`, [second.referral.id]);

      let settled = false;
      const accepting = (await t.as(DEMO.providerPssOujda))
        .post(`/api/v1/referrals/${first.referral.id}/accept`)
        .send({})
        .then((r) => ((settled = true), r));
      // The API's acceptance waits for the other one before it measures.
      for (;;) {
        const waiting = await t.db.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
        if (waiting.rows.length) break;
        expect(settled).toBe(false);
        await new Promise((r) => setTimeout(r, 50));
      }
      await other.query('COMMIT');
      expect((await accepting).status).toBe(200);
    } finally {
      other.release();
    }
    expect(await accepted(serviceId)).toBe(before + 2);
    expect(await recorded(serviceId)).toBe(Math.min(before + 2, 200));
  });
});
