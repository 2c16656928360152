import { DomainError } from '../../src/common/domain-error.js';
import { IdempotencyService } from '../../src/idempotency/idempotency.service.js';
import { OutboxRepository } from '../../src/notifications/outbox.repository.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';

let t: TestApp;
let idem: IdempotencyService;
let outbox: OutboxRepository;
let alice: string;
let bob: string;

beforeAll(async () => {
  t = await createTestApp();
  idem = t.app.get(IdempotencyService);
  outbox = t.app.get(OutboxRepository);
  const ids = await t.db.query(`SELECT email, id FROM app_user WHERE email = ANY($1)`, [[DEMO.counsellorOujda, DEMO.counsellor2Oujda]]);
  alice = ids.rows.find((r) => r.email === DEMO.counsellorOujda).id;
  bob = ids.rows.find((r) => r.email === DEMO.counsellor2Oujda).id;
});
afterAll(() => t.close());

/** A real creation: one outbox row per call, identified by its recipient. */
let calls = 0;
const create = (tag: string) => async () => {
  calls++;
  const recipient = `${tag}.${calls}@tawjih.test`;
  await outbox.enqueue([{ recipient, subject: 's', body: 'b', kind: 'test.idem' }]);
  return { id: recipient, at: new Date('2026-03-02T08:00:00Z') };
};
/** A replay rebuilds the answer from the stored id (here: reads the outbox row back). */
const rebuild = async (id: string) => {
  const r = await t.db.query(`SELECT recipient FROM outbox_message WHERE recipient = $1`, [id]);
  return { id: r.rows[0].recipient as string, at: new Date('2026-03-02T08:00:00Z') };
};
const rows = async (tag: string) => (await t.db.query(`SELECT recipient FROM outbox_message WHERE recipient LIKE $1`, [`${tag}.%`])).rows;
const route = 'POST /api/v1/things';

describe('Idempotency-Key', () => {
  it('creates every time without a key', async () => {
    await idem.run(alice, undefined, { route, body: { a: 1 } }, 201, create('nokey'), rebuild);
    await idem.run(alice, undefined, { route, body: { a: 1 } }, 201, create('nokey'), rebuild);
    expect(await rows('nokey')).toHaveLength(2);
  });

  it('returns the first result for the same key and the same body (key order does not matter)', async () => {
    const first = await idem.run(alice, 'k-same', { route, body: { a: 1, b: [1, 2] } }, 201, create('same'), rebuild);
    const again = await idem.run(alice, 'k-same', { route, body: { b: [1, 2], a: 1 } }, 201, create('same'), rebuild);
    expect(first.replayed).toBe(false);
    expect(again).toEqual({ status: 201, replayed: true, body: { id: first.body.id, at: new Date('2026-03-02T08:00:00.000Z') } });
    expect(await rows('same')).toHaveLength(1);
  });

  it('refuses the same key with another body, or on another route, with 422 IDEMPOTENCY_KEY_REUSED', async () => {
    await idem.run(alice, 'k-other', { route, body: { a: 1 } }, 201, create('other'), rebuild);
    for (const req of [{ route, body: { a: 2 } }, { route: 'POST /api/v1/others', body: { a: 1 } }]) {
      const err = await idem.run(alice, 'k-other', req, 201, create('other'), rebuild).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    }
    expect(await rows('other')).toHaveLength(1);
  });

  it('keeps keys per user', async () => {
    await idem.run(alice, 'k-user', { route, body: {} }, 201, create('peruser'), rebuild);
    const b = await idem.run(bob, 'k-user', { route, body: {} }, 201, create('peruser'), rebuild);
    expect(b.replayed).toBe(false);
    expect(await rows('peruser')).toHaveLength(2);
  });

  it('leaves no key behind when the creation fails, so the client can try again', async () => {
    const failing = async () => {
      await outbox.enqueue([{ recipient: 'fail.1@tawjih.test', subject: 's', body: 'b', kind: 'test.idem' }]);
      throw new DomainError(422, 'CONSENT_MISSING', 'no consent');
    };
    await expect(idem.run(alice, 'k-fail', { route, body: {} }, 201, failing, rebuild)).rejects.toMatchObject({ code: 'CONSENT_MISSING' });
    expect(await rows('fail')).toHaveLength(0); // rolled back with the key
    const ok = await idem.run(alice, 'k-fail', { route, body: {} }, 201, create('fail'), rebuild);
    expect(ok.replayed).toBe(false);
    expect(await rows('fail')).toHaveLength(1);
  });

  it('makes one record when ten requests race with the same key', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => idem.run(alice, 'k-race', { route, body: { x: 1 } }, 201, create('race'), rebuild)));
    expect(await rows('race')).toHaveLength(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
  });

  it('keeps only the created id at rest, never the answer (issue #12, finding 4)', async () => {
    await idem.run(alice, 'k-rest', { route, body: {} }, 201, create('rest'), rebuild);
    const cols = await t.db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'idempotency_key'`);
    expect(cols.rows.map((c) => c.column_name).sort()).toEqual(['actor_id', 'created_at', 'key', 'request_hash', 'response_ref', 'response_status']);
    const row = await t.db.query(`SELECT response_ref FROM idempotency_key WHERE actor_id = $1 AND key = 'k-rest'`, [alice]);
    expect(row.rows[0].response_ref).toMatch(/^rest\.\d+@tawjih\.test$/);
  });
});
