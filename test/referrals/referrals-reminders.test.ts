import { ReferralRemindersJob } from '../../src/referrals/referral-reminders.job.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { given } from './given.js';

let t: TestApp;
let job: ReferralRemindersJob;
beforeAll(async () => {
  t = await createTestApp();
  job = t.app.get(ReferralRemindersJob);
});
afterAll(() => t.close());

const hours = (h: number) => new Date(Date.now() + h * 3_600_000);
const mails = async (reference: string) =>
  (await t.db.query(`SELECT recipient, kind, body FROM outbox_message WHERE subject LIKE $1 OR body LIKE $1 ORDER BY created_at, recipient`, [`%${reference}%`])).rows as Array<{
    recipient: string;
    kind: string;
    body: string;
  }>;

describe('reminders, escalation and the daily digest', () => {
  it('reminds the focal points once when a sent referral is overdue, then escalates to the coordinators once', async () => {
    const { referral } = await given(t).sentReferral({ priority: 'emergency' });
    const kinds = async () => (await mails(referral.reference)).map((m) => `${m.kind}:${m.recipient}`);

    await job.runReminders(hours(3));
    expect(await kinds()).toEqual([`referral.send:${DEMO.providerPssOujda}`]);

    await job.runReminders(hours(5));
    await job.runReminders(hours(6));
    expect(await kinds()).toEqual([`referral.send:${DEMO.providerPssOujda}`, `referral.overdue:${DEMO.providerPssOujda}`]);

    await Promise.all([job.runReminders(hours(9)), job.runReminders(hours(9)), job.runReminders(hours(10))]);
    expect((await kinds()).filter((k) => k.startsWith('referral.escalation'))).toEqual([`referral.escalation:${DEMO.coordinator}`]);

    const stamped = await t.db.query(`SELECT reminded_at IS NOT NULL AS reminded, escalated_at IS NOT NULL AS escalated FROM referral WHERE id = $1`, [referral.id]);
    expect(stamped.rows[0]).toEqual({ reminded: true, escalated: true });
    for (const m of await mails(referral.reference)) expect(m.body).not.toMatch(/Aminata|Diallo|\+212600112233/);
  });

  it('does not remind about a referral that was answered', async () => {
    const { referral } = await given(t).sentReferral({ priority: 'emergency' });
    await (await t.as(DEMO.providerPssOujda)).post(`/api/v1/referrals/${referral.id}/accept`).send({}).expect(200);
    await job.runReminders(hours(48));
    expect((await mails(referral.reference)).map((m) => m.kind)).toEqual(['referral.send', 'referral.accept']);
  });

  it('sends each region’s coordinators one digest a day listing its overdue referrals', async () => {
    const a = await given(t).sentReferral({ priority: 'emergency' });
    const b = await given(t).sentReferral({ priority: 'routine' });
    const at = hours(6); // a is overdue, b is not
    await job.runDigest(at);
    await job.runDigest(at);
    const digests = (await t.db.query(`SELECT recipient, body FROM outbox_message WHERE kind = 'referral.digest'`)).rows;
    expect(digests.map((d) => d.recipient)).toEqual([DEMO.coordinator]);
    expect(digests[0].body).toContain(a.referral.reference);
    expect(digests[0].body).not.toContain(b.referral.reference);
  });
});

describe('demo data', () => {
  it('seeds demo referrals in several states of the loop, with their history and a delivery for the completed one', async () => {
    const rows = (await t.db.query(`SELECT id, status FROM referral WHERE is_demo ORDER BY created_at`)).rows;
    expect(rows.map((r) => r.status).sort()).toEqual(['accepted', 'completed', 'declined', 'sent']);
    const completed = rows.find((r) => r.status === 'completed')!;
    expect((await t.db.query(`SELECT count(*)::int AS n FROM delivery WHERE referral_id = $1`, [completed.id])).rows[0].n).toBe(1);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM referral_event WHERE referral_id = $1`, [completed.id])).rows[0].n).toBe(5);
  });
});
