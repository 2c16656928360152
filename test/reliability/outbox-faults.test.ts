import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../src/bootstrap.js';
import { OutboxRepository } from '../../src/notifications/outbox.repository.js';
import { OutboxWorker } from '../../src/notifications/outbox.worker.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { TcpProxy } from '../support/tcp-proxy.js';

// Two app instances on one database, as in production: A reaches PostgreSQL through a proxy this
// test cuts, B directly. Both send through one real SMTP server.
let smtp: TestSmtp;
let proxy: TcpProxy;
let t: TestApp;
let b: NestExpressApplication;
let workerA: OutboxWorker;
let workerB: OutboxWorker;

// Small numbers so the test is quick, in the same proportions as production: a lease of 20 s is
// twice the slowest send these SMTP timeouts allow (1 + 1 + 2 × 4 s).
const SETTINGS = {
  OUTBOX_LEASE_SECONDS: '20',
  OUTBOX_BATCH: '10',
  SMTP_CONNECTION_TIMEOUT_MS: '1000',
  SMTP_GREETING_TIMEOUT_MS: '1000',
  SMTP_SOCKET_TIMEOUT_MS: '4000',
  DATABASE_CONNECT_TIMEOUT_MS: '1000',
};

beforeAll(async () => {
  smtp = await startSmtp();
  const direct = new URL(process.env.TAWJIH_TEST_ADMIN_URL!);
  proxy = await new TcpProxy(Number(direct.port || 5432), direct.hostname).start();
  t = await createTestApp({ SMTP_URL: smtp.url, ...SETTINGS }, { appDatabaseUrl: (url) => proxy.rewrite(url) });
  const directUrl = t.config.database.url!.replace(`:${proxy.port}/`, `:${direct.port || 5432}/`);
  b = await createApp({ ...t.config, database: { ...t.config.database, url: directUrl } });
  await b.init();
  workerA = t.app.get(OutboxWorker);
  workerB = b.get(OutboxWorker);
  // What the seed queued is not this test's business.
  await t.db.query(`UPDATE outbox_message SET status = 'sent' WHERE status = 'pending'`);
}, 400_000);
afterAll(async () => {
  await proxy.restore();
  await b.close();
  await t.close();
  await proxy.stop();
  await smtp.stop();
}, 120_000);

const enqueue = (prefix: string, n: number) => {
  const recipients = Array.from({ length: n }, (_, i) => `${prefix}.${i}@tawjih.test`);
  return b
    .get(OutboxRepository)
    .enqueue(recipients.map((r) => ({ recipient: r, subject: 'Tawjih: test', body: 'reference only', kind: 'test.fault' })))
    .then(() => recipients);
};
const statuses = async (recipients: string[]) =>
  (await t.db.query(`SELECT status, count(*)::int AS n FROM outbox_message WHERE recipient = ANY($1) GROUP BY 1`, [recipients])).rows;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a worker's drain again and again (as its 5-second timer would, faster) until `stop()`. */
function keepDraining(w: OutboxWorker) {
  let on = true;
  const loop = (async () => {
    while (on) {
      await w.drain().catch(() => undefined);
      await sleep(200);
    }
  })();
  return async () => {
    on = false;
    await loop;
  };
}

describe('e-mail at most once and never lost, through faults', () => {
  it('the database drops between the SMTP send and the mark: the outcome is kept, written on reconnection, and nobody sends it again', async () => {
    smtp.received.length = 0;
    const recipients = await enqueue('drop', 3);
    // The moment the SMTP server has the first message, A loses its database (connections cut, new ones refused).
    // From then on B, on the database, keeps looking for due messages.
    let stopB = async () => undefined as void;
    smtp.onMessage = async () => {
      smtp.onMessage = undefined;
      await proxy.cut('refuse');
      stopB = keepDraining(workerB);
    };
    try {
      expect(await workerA.drain()).toEqual({ sent: 3, failed: 0 });
      // A sent what it held; its database is gone, so the outcomes wait in its memory.
      expect(workerA.pendingOutcomes).toBe(3);
      // B keeps looking during the outage (4 s): the claims still hold, it sends nothing.
      await sleep(4000);
      expect((await statuses(recipients)).find((r) => r.status === 'sent')).toBeUndefined();
      await proxy.restore();
      // A's flush loop writes the outcomes within a few seconds of the database coming back.
      for (let i = 0; i < 50 && workerA.pendingOutcomes > 0; i++) await sleep(200);
      expect(workerA.pendingOutcomes).toBe(0);
      expect(await statuses(recipients)).toEqual([{ status: 'sent', n: 3 }]);
      // Long after the lease would have run out, still nothing to send again.
      await t.db.query(`UPDATE outbox_message SET next_attempt_at = now() WHERE recipient = ANY($1)`, [recipients]);
      await sleep(1000);
    } finally {
      await proxy.restore();
      await stopB();
    }
    for (const r of recipients) expect(smtp.to(r)).toHaveLength(1);
    expect(smtp.received).toHaveLength(3);
  });

  it('a mail server taking 3 s per message, two instances draining at once: the lease is renewed while a batch is sent, and each message is received once', async () => {
    smtp.received.length = 0;
    smtp.delayMs = 3000;
    // 12 messages: a batch of 10 takes 30 s, longer than the 20 s lease, so without renewal the other
    // instance would claim the tail of the batch and send it a second time.
    const recipients = await enqueue('slow', 12);
    const stops = [keepDraining(workerA), keepDraining(workerB)];
    try {
      for (let i = 0; i < 120; i++) {
        if ((await statuses(recipients)).some((r) => r.status === 'sent' && r.n === 12)) break;
        await sleep(500);
      }
    } finally {
      await Promise.all(stops.map((s) => s()));
      smtp.delayMs = 0;
    }
    expect(await statuses(recipients)).toEqual([{ status: 'sent', n: 12 }]);
    for (const r of recipients) expect(smtp.to(r)).toHaveLength(1);
    expect(smtp.received).toHaveLength(12);
  }, 120_000);
});
