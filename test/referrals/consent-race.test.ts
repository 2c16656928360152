import { ConsentService } from '../../src/cases/consent.service.js';
import { TransactionHost } from '../../src/database/transaction.js';
import type { ShareableField } from '../../src/referrals/shared-fields.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { given } from './given.js';

/**
 * A referral sent while its consent is being withdrawn (consent first, then everything else): the
 * consents a send relies on are held until it commits, so either the withdrawal waits for the
 * referral and then sees it (and stops its sharing), or the send waits for the withdrawal and is
 * refused. Without the hold, a referral could commit with a consent withdrawn under it, and the
 * withdrawal's sweep, which ran before the referral existed, would never stop its sharing.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 300_000);
afterAll(() => t.close(), 120_000);

const FIELDS: ShareableField[] = ['age_band', 'sex'];

async function consentedCase() {
  const g = given(t);
  const c = await g.caseIn(DEMO.counsellorOujda, ['mhpss']);
  const target = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
  const consentId = await g.consent(DEMO.counsellorOujda, c.id, { categories: ['mhpss'], fields: FIELDS });
  return { c, target, consentId };
}

/** Backends of this database waiting for a row lock (the step that must wait). */
async function waitingOnLock(): Promise<number> {
  const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
  return rows[0].n;
}

async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (await check()) return true;
  return false;
}

describe('a consent withdrawn while a referral is being sent', () => {
  it('a send that has passed the consent gate holds the consent: the withdrawal waits for it to commit', async () => {
    const { c, consentId } = await consentedCase();
    const tx = t.app.get(TransactionHost);
    const consents = t.app.get(ConsentService);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let gated!: () => void;
    const passed = new Promise<void>((r) => (gated = r));
    // The send's transaction, stopped just after its gate (as a send is between the gate and its commit).
    const sending = tx.run(async () => {
      const answer = await consents.covers({ caseId: c.id, category: 'mhpss', organisationId: 'any provider', fields: FIELDS }, { lock: true });
      gated();
      await held;
      return answer;
    });
    await passed;
    const agent = await t.as(DEMO.counsellorOujda);
    let withdrawn = false;
    const withdrawal = agent.post(`/api/v1/cases/${c.id}/consents/${consentId}/withdraw`).send({}).then((r) => ((withdrawn = true), r));
    expect(await eventually(async () => (await waitingOnLock()) > 0)).toBe(true);
    expect(withdrawn).toBe(false);
    release();
    await sending;
    expect((await withdrawal).status).toBeLessThan(300);
  });

  it('a send that reaches the gate while a withdrawal is being written waits for it, and is refused', async () => {
    const { c, target, consentId } = await consentedCase();
    // The withdrawal's first write, not yet committed (its transaction is still sweeping the referrals).
    const writer = await t.db.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`UPDATE consent SET withdrawn_at = now() WHERE id = $1`, [consentId]);
      const agent = await t.as(DEMO.counsellorOujda);
      const send = agent.post('/api/v1/referrals').send({ caseId: c.id, needId: c.need('mhpss'), serviceAtLocationId: target.salId, priority: 'urgent', sharedFields: FIELDS, send: true }).then((r) => r);
      expect(await eventually(async () => (await waitingOnLock()) > 0)).toBe(true);
      await writer.query('COMMIT');
      const res = await send;
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('CONSENT_WITHDRAWN');
      const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM referral WHERE case_id = $1 AND status <> 'draft'`, [c.id]);
      expect(rows[0].n).toBe(0);
    } finally {
      writer.release();
    }
  });
});
