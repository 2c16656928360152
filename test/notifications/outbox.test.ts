import { JobRunner } from '../../src/common/job-runner.js';
import { MailTransport } from '../../src/notifications/mail.transport.js';
import { OutboxRepository } from '../../src/notifications/outbox.repository.js';
import { OutboxWorker } from '../../src/notifications/outbox.worker.js';
import { TransactionHost } from '../../src/database/transaction.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { postForm, signIn } from '../web/web-support.js';

let smtp: TestSmtp;
let t: TestApp;
let worker: OutboxWorker;
let outbox: OutboxRepository;
let unitId: string;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestApp({ SMTP_URL: smtp.url });
  worker = t.app.get(OutboxWorker);
  outbox = t.app.get(OutboxRepository);
  unitId = (await t.db.query(`SELECT organisation_id AS id FROM app_user WHERE email = $1`, [DEMO.counsellorOujda])).rows[0].id;
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

/** Time passes: every pending message's backoff is over. */
const backoffElapses = () => t.db.query(`UPDATE outbox_message SET next_attempt_at = now() WHERE status = 'pending'`);
const statusOf = async (recipients: string[]) =>
  (await t.db.query(`SELECT recipient, status, attempts, last_error FROM outbox_message WHERE recipient = ANY($1) ORDER BY recipient`, [recipients])).rows;

describe('outbox: e-mail that is never lost', () => {
  it('keeps messages written during an SMTP outage and delivers each exactly once when the server is back', async () => {
    // Drain what the seed left, so this test only counts its own messages.
    await backoffElapses();
    await worker.drain();
    smtp.received.length = 0;

    await smtp.stop();
    const admin = await t.as(DEMO.admin);
    const recipients = Array.from({ length: 6 }, (_, i) => `outage.${i}@tawjih.test`);
    for (const email of recipients) {
      await admin.post('/api/v1/users').send({ email, displayName: `Outage ${email.split('@')[0]}`, organisationId: unitId, roles: ['counsellor'] }).expect(201);
    }
    // The changes are committed, whatever the mail server does.
    expect((await t.db.query(`SELECT count(*)::int AS n FROM app_user WHERE email = ANY($1)`, [recipients])).rows[0].n).toBe(6);

    const down = await worker.drain();
    expect(down).toEqual({ sent: 0, failed: 6 });
    for (const row of await statusOf(recipients)) {
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      expect(row.last_error).toMatch(/ECONNREFUSED/);
    }
    expect(smtp.received).toHaveLength(0);

    // A second outage round: still pending, one more attempt counted, nothing lost.
    await backoffElapses();
    expect(await worker.drain()).toEqual({ sent: 0, failed: 6 });
    expect((await statusOf(recipients)).map((r) => [r.status, r.attempts])).toEqual(recipients.map(() => ['pending', 2]));

    await smtp.start(); // same port
    // Backoff not over yet: the worker does not hammer the server.
    expect(await worker.drain()).toEqual({ sent: 0, failed: 0 });
    await backoffElapses();
    expect(await worker.drain()).toEqual({ sent: 6, failed: 0 });
    expect(await worker.drain()).toEqual({ sent: 0, failed: 0 });

    for (const email of recipients) {
      const mails = smtp.to(email);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toBe('Tawjih : votre compte');
      expect(mails[0]!.text).toContain('http://tawjih.test/set-password?token=');
    }
    expect((await statusOf(recipients)).every((r) => r.status === 'sent')).toBe(true);
  });

  it('lets several workers share the table: every message goes out once (FOR UPDATE SKIP LOCKED)', async () => {
    smtp.received.length = 0;
    const recipients = Array.from({ length: 40 }, (_, i) => `parallel.${i}@tawjih.test`);
    await outbox.enqueue(recipients.map((r) => ({ recipient: r, subject: 'Tawjih: test', body: 'reference only', kind: 'test.parallel' })));
    const config = t.config;
    const others = [1, 2, 3].map(
      () => new OutboxWorker(new OutboxRepository(t.app.get(TransactionHost)), t.app.get(MailTransport), t.app.get(JobRunner), config),
    );
    const results = await Promise.all([worker, ...others].map((w) => w.drain(5)));
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(40);
    for (const r of recipients) expect(smtp.to(r)).toHaveLength(1);
    expect(smtp.received).toHaveLength(40);
  });

  it('enqueues a message with a dedupe key once, even when asked twice', async () => {
    const m = { recipient: 'dedupe@tawjih.test', subject: 'Tawjih: reminder', body: 'x', kind: 'test.dedupe', dedupeKey: 'test:dedupe:1' };
    await outbox.enqueue([m]);
    await outbox.enqueue([m, { ...m, recipient: 'dedupe2@tawjih.test' }]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM outbox_message WHERE dedupe_key = 'test:dedupe:1'`)).rows[0].n).toBe(1);
  });

  it('marks a message failed after 72 h of attempts, shows it to admins, and sends it again on retry', async () => {
    await backoffElapses();
    await worker.drain();
    await outbox.enqueue([{ recipient: 'failing@tawjih.test', subject: 'Tawjih: test', body: 'x', kind: 'test.failing' }]);
    const id = (await t.db.query(`SELECT id FROM outbox_message WHERE recipient = 'failing@tawjih.test'`)).rows[0].id;
    await smtp.stop();
    // Retried with a backoff capped at an hour for 72 h: here the 72 h are over.
    await t.db.query(`UPDATE outbox_message SET attempts = 77, give_up_at = now() + interval '30 seconds' WHERE id = $1`, [id]);
    expect(await worker.drain()).toEqual({ sent: 0, failed: 1 });
    expect((await statusOf(['failing@tawjih.test']))[0]).toMatchObject({ status: 'failed', attempts: 78 });

    const admin = await t.as(DEMO.admin);
    const list = await admin.get('/api/v1/outbox?status=failed').expect(200);
    expect(list.body.items.map((m: { id: string }) => m.id)).toContain(id);
    expect(list.body.items[0]).not.toHaveProperty('body');
    await (await t.as(DEMO.counsellorOujda)).get('/api/v1/outbox').expect(403);

    // Failed is final: the worker leaves it alone until an admin retries.
    await backoffElapses();
    expect(await worker.drain()).toEqual({ sent: 0, failed: 0 });
    await smtp.start();
    await admin.post(`/api/v1/outbox/${id}/retry`).expect(200);
    await admin.post(`/api/v1/outbox/${id}/retry`).expect(404); // no longer failed
    expect(await worker.drain()).toEqual({ sent: 1, failed: 0 });
    expect(smtp.to('failing@tawjih.test')).toHaveLength(1);
  });

  it('retries with a backoff capped at an hour, and 72 h of it before giving up', async () => {
    await backoffElapses();
    await worker.drain();
    smtp.received.length = 0;
    await outbox.enqueue([{ recipient: 'long-outage@tawjih.test', subject: 'Tawjih: test', body: 'x', kind: 'test.long' }]);
    await smtp.stop();
    try {
      // Attempt 20 of a long outage: the next try is an hour away (±20 %), not given up.
      await t.db.query(`UPDATE outbox_message SET attempts = 19 WHERE recipient = 'long-outage@tawjih.test'`);
      expect(await worker.drain()).toEqual({ sent: 0, failed: 1 });
      const row = (await t.db.query(`SELECT status, extract(epoch FROM next_attempt_at - now())::int AS wait, extract(epoch FROM coalesce(give_up_at, created_at + interval '72 hours') - created_at)::int AS span FROM outbox_message WHERE recipient = 'long-outage@tawjih.test'`)).rows[0];
      expect(row.status).toBe('pending');
      expect(row.wait).toBeGreaterThan(0.8 * 3600 - 5);
      expect(row.wait).toBeLessThanOrEqual(1.2 * 3600);
      expect(row.span).toBe(72 * 3600);
    } finally {
      await smtp.start();
    }
  });

  it('lets an admin send every failed message again at once (API and the admin page), each once', async () => {
    await backoffElapses();
    await worker.drain();
    smtp.received.length = 0;
    const recipients = Array.from({ length: 4 }, (_, i) => `bulk.${i}@tawjih.test`);
    await outbox.enqueue(recipients.map((r) => ({ recipient: r, subject: 'Tawjih: test', body: 'x', kind: 'test.bulk' })));
    await t.db.query(`UPDATE outbox_message SET status = 'failed', give_up_at = now() - interval '1 hour' WHERE recipient = ANY($1)`, [recipients.slice(0, 2)]);
    const admin = await t.as(DEMO.admin);
    await (await t.as(DEMO.supervisorOujda)).post('/api/v1/outbox/retry-failed').expect(403);
    // Two failed now: the API puts them back, due now and with another 72 h.
    const failedBefore = (await t.db.query(`SELECT count(*)::int AS n FROM outbox_message WHERE status = 'failed'`)).rows[0].n;
    expect((await admin.post('/api/v1/outbox/retry-failed').expect(200)).body).toEqual({ retried: failedBefore });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM outbox_message WHERE status = 'failed'`)).rows[0].n).toBe(0);
    const back = (await t.db.query(`SELECT status, attempts, give_up_at > now() + interval '71 hours' AS renewed FROM outbox_message WHERE recipient = ANY($1)`, [recipients.slice(0, 2)])).rows;
    expect(back).toEqual([{ status: 'pending', attempts: 0, renewed: true }, { status: 'pending', attempts: 0, renewed: true }]);
    await worker.drain();
    for (const r of recipients) expect(smtp.to(r)).toHaveLength(1);

    // The admin page: the button posts the same bulk retry.
    await t.db.query(`UPDATE outbox_message SET status = 'failed' WHERE recipient = ANY($1)`, [recipients]);
    const page = await signIn(t, DEMO.admin);
    const html = (await page.get('/admin/outbox').expect(200)).text;
    expect(html).toContain('action="/admin/outbox/retry-failed"');
    const res = await postForm(page, '/admin/outbox', '/admin/outbox/retry-failed', {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/outbox?notice=retriedAll');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM outbox_message WHERE status = 'failed'`)).rows[0].n).toBe(0);
    expect((await page.get('/admin/outbox?notice=retriedAll').expect(200)).text).toContain('Tous les messages en échec sont remis en file d’envoi.');
  });
});
