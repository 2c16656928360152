import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../src/bootstrap.js';
import { OutboxWorker } from '../../src/notifications/outbox.worker.js';
import { ReferralRemindersJob } from '../../src/referrals/referral-reminders.job.js';
import { given } from '../referrals/given.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';

// Two app instances (each its own pool) on one database, as in docker/compose.yaml: both run the
// reminder job and the outbox worker.
let smtp: TestSmtp;
let t: TestApp;
let b: NestExpressApplication;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestApp({ SMTP_URL: smtp.url });
  b = await createApp(t.config);
  // What the seed queued is not this test's business.
  await t.db.query(`UPDATE outbox_message SET status = 'sent' WHERE status = 'pending'`);
}, 400_000);
afterAll(async () => {
  await b.close();
  await t.close();
  await smtp.stop();
}, 120_000);

const hours = (h: number) => new Date(Date.now() + h * 3_600_000);

/** A run of `job`, with when it started and ended. */
async function timed(job: ReferralRemindersJob, at: Date) {
  const start = performance.now();
  const result = await job.runReminders(at);
  return { start, end: performance.now(), result };
}

it('two instances whose reminder runs overlap in time send each reminder and each escalation once', async () => {
  const referrals = [];
  for (let i = 0; i < 5; i++) referrals.push((await given(t).sentReferral({ priority: 'emergency' })).referral);
  // The referrals' own "new referral" e-mails are not what this test counts.
  await t.db.query(`UPDATE outbox_message SET status = 'sent' WHERE status = 'pending'`);
  const jobs = [t.app.get(ReferralRemindersJob), b.get(ReferralRemindersJob)];

  for (const at of [hours(5), hours(10)]) {
    const [x, y] = await Promise.all(jobs.map((j) => timed(j, at)));
    // The runs did overlap: each started before the other ended.
    expect(x!.start < y!.end && y!.start < x!.end).toBe(true);
  }
  const rows = (
    await t.db.query(
      `SELECT kind, recipient, count(*)::int AS n FROM outbox_message WHERE kind IN ('referral.overdue', 'referral.escalation') AND body LIKE ANY($1) GROUP BY 1, 2 ORDER BY 1, 2`,
      [referrals.map((r) => `%${r.reference}%`)],
    )
  ).rows;
  expect(rows).toEqual([
    { kind: 'referral.escalation', recipient: DEMO.coordinator, n: 5 },
    { kind: 'referral.overdue', recipient: DEMO.providerPssOujda, n: 5 },
  ]);

  // Both instances' outbox workers send them: each e-mail arrives once.
  smtp.received.length = 0;
  await Promise.all([t.app.get(OutboxWorker).drain(2), b.get(OutboxWorker).drain(2)]);
  for (const r of referrals) {
    const about = smtp.received.filter((m) => m.text.includes(r.reference));
    expect(about.map((m) => `${m.to.join(',')}`).sort()).toEqual([DEMO.coordinator, DEMO.providerPssOujda].sort());
  }
});
