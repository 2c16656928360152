import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../../src/bootstrap.js';
import { backup, restore } from '../../src/cli/backup.js';
import { parseConfig } from '../../src/config/config.js';
import { given } from '../cases/given.js';
import { withDatabase } from '../support/template.js';
import { createTestApp, DEMO, DEMO_PASSWORD, type TestApp } from '../support/test-app.js';
import { randomName, testEnv } from '../support/test-env.js';

// The restore drill of the README, as a test: back up, restore into a new database, start on it with
// the same keys (identities decrypt, duplicate checks find people, the audit trail is intact), and
// with other keys (refusal to start).
let t: TestApp;
const restoredName = randomName('tawjih_restored');
const restoredUrl = () => withDatabase(process.env.TAWJIH_TEST_ADMIN_URL!, restoredName);

beforeAll(async () => {
  t = await createTestApp();
}, 400_000);
afterAll(async () => {
  await t.close();
  const admin = new pg.Client({ connectionString: process.env.TAWJIH_TEST_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`);
  await admin.end();
}, 120_000);

it('backup → restore into a new database → same keys: identities decrypt, duplicates found, audit intact; other keys: refusal to start', async () => {
  const { case: c } = await given(t).caseFor(DEMO.counsellorOujda, { givenName: 'Restauration', familyName: 'Exercice', phone: '0611223344' });
  await (await t.as(DEMO.counsellorOujda)).get(`/api/v1/cases/${c.id}`).expect(200);
  const audit = async (db: pg.Pool | pg.Client) => (await db.query(`SELECT count(*)::int AS n, md5(string_agg(id::text || action, ',' ORDER BY id)) AS digest FROM audit_event`)).rows[0];
  const auditBefore = await audit(t.db);

  const file = join(mkdtempSync(join(tmpdir(), 'tawjih-backup-')), 'tawjih.dump');
  const made = await backup(t.config.database.url!, file);
  expect(made.bytes).toBeGreaterThan(0);
  expect(made.keyChecks).toEqual(['blind_index:blind-index', 'encryption:t1']);
  const restored = await restore(file, restoredUrl());
  expect(restored.keyChecks).toEqual(made.keyChecks);
  // A restore never lands on live data.
  await expect(restore(file, restoredUrl())).rejects.toThrow(/is not empty/);

  // Other keys: the app refuses to start on the restored database, naming the key id.
  const otherKeys = parseConfig(testEnv(restoredUrl(), { ENCRYPTION_KEYS: `t1:${Buffer.alloc(32, 9).toString('base64')}`, LOG_FILE: 'test/artifacts/logs/backup-restore-boots.log' }));
  await expect(createApp(otherKeys)).rejects.toThrow(/ENCRYPTION_KEYS: the key configured for "t1"/);

  // The same keys: the restored copy works.
  const app = await createApp(parseConfig(testEnv(restoredUrl(), { LOG_FILE: 'test/artifacts/logs/backup-restore-app.log' })));
  const restoredDb = new pg.Client({ connectionString: restoredUrl() });
  await restoredDb.connect();
  try {
    const auditAfterRestore = await audit(restoredDb);
    expect(auditAfterRestore).toEqual(auditBefore);
    const login = await request(app.getHttpServer()).post('/api/v1/auth/login').send({ email: DEMO.counsellorOujda, password: DEMO_PASSWORD }).expect(200);
    const auth = `Bearer ${login.body.accessToken}`;
    const read = await request(app.getHttpServer()).get(`/api/v1/cases/${c.id}`).set('Authorization', auth).expect(200);
    expect(JSON.stringify(read.body)).toContain('Restauration');
    expect(JSON.stringify(read.body)).toContain('0611223344');
    const dup = await request(app.getHttpServer()).post('/api/v1/cases/duplicates').set('Authorization', auth).send({ phone: '+212 611 22 33 44' }).expect(200);
    expect(JSON.stringify(dup.body)).toContain(c.id);
    // The audit trail carried over, and goes on (the read above was audited on the copy).
    const after = await audit(restoredDb);
    expect(after.n).toBeGreaterThan(auditBefore.n);
  } finally {
    await restoredDb.end();
    await app.close();
  }
});
