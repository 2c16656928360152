import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { given } from '../referrals/given.js';

/**
 * Issue #12 finding 4: nothing decrypted rests in the database after an idempotent creation (and its
 * replay). Every route that takes an Idempotency-Key is exercised with canary values, then the
 * whole database is dumped and searched for them.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 300_000);
afterAll(() => t?.close(), 120_000);

const CANARY_NOTE = 'Canary-Note-Zq7Wx';
const CANARY_RENOTE = 'Canary-ReNote-Kp4Vb';
const CANARY_NAME = 'Canaryname Ouxlq';
const CANARY_PHONE = '+212611987654';

async function pgDump(): Promise<string> {
  const url = new URL(t.config.database.url!);
  const { stdout } = await promisify(execFile)('pg_dump', ['--data-only', '-h', url.hostname, '-p', url.port || '5432', '-U', url.username || 'postgres', url.pathname.slice(1)], { maxBuffer: 512 * 1024 * 1024 });
  return stdout;
}

describe('idempotent routes keep nothing decrypted at rest (issue #12, finding 4)', () => {
  it('knows every route that takes an Idempotency-Key (a new one must join this canary)', async () => {
    const doc = (await t.http().get('/api/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { parameters?: Array<{ name: string }> }>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.parameters?.some((p) => p.name === 'Idempotency-Key'))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(['POST /api/v1/referrals', 'POST /api/v1/referrals/{id}/re-refer']);
  });

  it('pg_dump after create and re-refer with keys (and their replays) holds no canary value', async () => {
    const g = given(t);
    const counsellor = await t.as(DEMO.counsellorOujda);
    const c = await g.caseIn(DEMO.counsellorOujda, ['mhpss'], { givenName: CANARY_NAME.split(' ')[0], familyName: CANARY_NAME.split(' ')[1], phone: CANARY_PHONE });
    const target = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
    await g.consent(DEMO.counsellorOujda, c.id, { categories: ['mhpss'], fields: ['name', 'phone', 'age_band'] });
    const body = { caseId: c.id, needId: c.need('mhpss'), serviceAtLocationId: target.salId, priority: 'urgent', sharedFields: ['name', 'phone'], noteForProvider: CANARY_NOTE, send: true };

    const first = await counsellor.post('/api/v1/referrals').set('Idempotency-Key', 'canary-create').send(body).expect(201);
    const again = await counsellor.post('/api/v1/referrals').set('Idempotency-Key', 'canary-create').send(body).expect(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.noteForProvider).toBe(CANARY_NOTE);

    await (await t.as(DEMO.providerPssOujda)).post(`/api/v1/referrals/${first.body.id}/decline`).send({ reasonCode: 'no_capacity' }).expect(200);
    const re = { serviceAtLocationId: target.salId, noteForProvider: CANARY_RENOTE };
    const second = await counsellor.post(`/api/v1/referrals/${first.body.id}/re-refer`).set('Idempotency-Key', 'canary-rerefer').send(re).expect(201);
    const replay = await counsellor.post(`/api/v1/referrals/${first.body.id}/re-refer`).set('Idempotency-Key', 'canary-rerefer').send(re).expect(201);
    expect(replay.body.id).toBe(second.body.id);
    expect(replay.body.noteForProvider).toBe(CANARY_RENOTE);

    const keys = await t.db.query(`SELECT response_ref FROM idempotency_key WHERE key LIKE 'canary-%' ORDER BY key`);
    expect(keys.rows.map((r) => r.response_ref)).toEqual([first.body.id, second.body.id]);

    const dump = await pgDump();
    expect(dump).toContain(first.body.reference); // the dump is this database's
    for (const v of [CANARY_NOTE, CANARY_RENOTE, 'Canaryname', 'Ouxlq', CANARY_PHONE, '611987654']) expect({ v, inDump: dump.includes(v) }).toEqual({ v, inDump: false });
  });
});
