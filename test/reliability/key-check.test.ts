import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createApp } from '../../src/bootstrap.js';
import { FieldCipher, KeysNotVerifiedError } from '../../src/common/crypto/field-cipher.js';
import { parseConfig } from '../../src/config/config.js';
import { testEnv } from '../support/test-env.js';
import { given } from '../cases/given.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 400_000);
afterAll(() => t.close(), 120_000);

/** Rows in every table that holds what a boot or a request could write. */
const rowCounts = async () =>
  (
    await t.db.query(`SELECT (SELECT count(*) FROM key_check)::int AS key_checks, (SELECT count(*) FROM person_identity)::int AS identities,
       (SELECT count(*) FROM audit_event)::int AS audit, (SELECT count(*) FROM outbox_message)::int AS outbox,
       (SELECT count(*) FROM app_user)::int AS users, (SELECT count(*) FROM refresh_token)::int AS tokens,
       (SELECT count(*) FROM place)::int AS places, (SELECT count(*) FROM organisation)::int AS organisations`)
  ).rows[0];

/** Boots an app on this file's database with other settings; resolves to the refusal, or null if it started. */
async function boot(extra: Record<string, string>): Promise<Error | null> {
  const config = parseConfig(testEnv(t.config.database.url!, { LOG_FILE: 'test/artifacts/logs/key-check-boots.log', ...extra }));
  try {
    const app = await createApp(config);
    await app.close();
    return null;
  } catch (e) {
    return e as Error;
  }
}

describe('keys proven before use', () => {
  it('stores a check value per key id and one for the blind-index key — never the key', async () => {
    const rows = (await t.db.query(`SELECT purpose, key_id, check_value FROM key_check ORDER BY purpose, key_id`)).rows;
    expect(rows.map((r) => [r.purpose, r.key_id])).toEqual([
      ['blind_index', 'blind-index'],
      ['encryption', 't1'],
    ]);
    const t1 = t.config.crypto.keys.t1!;
    for (const r of rows) {
      expect(r.check_value).not.toContain(t1);
      expect(r.check_value).not.toContain(Buffer.from(t1, 'base64').toString('base64url'));
      expect(r.check_value).not.toContain(t.config.crypto.blindIndexKey);
    }
  });

  it('a value the configured keys cannot open is a 500 DECRYPTION_FAILED, and the log names the key id (not the key, not the value)', async () => {
    const { case: c } = await given(t).caseFor(DEMO.counsellorOujda, { givenName: 'Clef' });
    const stored: string = (await t.db.query(`SELECT given_name_enc FROM person_identity WHERE person_id = $1`, [c.personId])).rows[0].given_name_enc;
    // The same key id, a data key wrapped by another master key: what a wrong key under a known id gives.
    const other = new FieldCipher({ t1: randomBytes(32).toString('base64') }, 't1', 'x'.repeat(32)).encrypt('Clef');
    await t.db.query(`UPDATE person_identity SET given_name_enc = $2 WHERE person_id = $1`, [c.personId, other]);
    try {
      const res = await (await t.as(DEMO.counsellorOujda)).get(`/api/v1/cases/${c.id}`);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 500, code: 'DECRYPTION_FAILED' });
      const line = readFileSync(t.config.logFile!, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { code?: string; keyId?: string; correlationId?: string })
        .find((l) => l.code === 'DECRYPTION_FAILED' && l.correlationId === res.body.correlationId);
      expect(line?.keyId).toBe('t1');
      expect(JSON.stringify(line)).not.toContain('Clef');
      expect(JSON.stringify(line)).not.toContain(t.config.crypto.keys.t1);
    } finally {
      await t.db.query(`UPDATE person_identity SET given_name_enc = $2 WHERE person_id = $1`, [c.personId, stored]);
    }
  });

  it('refuses to boot with other bytes under a known key id, naming the key id and never a key, and writes no row', async () => {
    const before = await rowCounts();
    const wrong = randomBytes(32).toString('base64');
    const refusal = await boot({ ENCRYPTION_KEYS: `t1:${wrong}`, SEED_DEMO: 'true' });
    expect(refusal?.message).toMatch(/ENCRYPTION_KEYS: the key configured for "t1" is not the key this database was written with/);
    expect(refusal!.message).not.toContain(wrong);
    expect(refusal!.message).not.toContain(t.config.crypto.keys.t1);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses to boot with another blind-index key (duplicate checks would silently find nobody)', async () => {
    const before = await rowCounts();
    const refusal = await boot({ BLIND_INDEX_KEY: 'another-blind-index-key-0123456789abcdef' });
    expect(refusal?.message).toMatch(/BLIND_INDEX_KEY: the key configured for "blind-index" is not the key/);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a new key id whose key cannot open values already stored under that id (a database from before check values)', async () => {
    await t.db.query(`DELETE FROM key_check WHERE key_id = 't1'`);
    try {
      const refusal = await boot({ ENCRYPTION_KEYS: `t1:${randomBytes(32).toString('base64')}` });
      expect(refusal?.message).toMatch(/ENCRYPTION_KEYS: the key configured for "t1" cannot open the values stored under that id/);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM key_check WHERE key_id = 't1'`)).rows[0].n).toBe(0);
      // The right key proves itself against the data and is registered.
      expect(await boot({})).toBeNull();
      expect((await t.db.query(`SELECT count(*)::int AS n FROM key_check WHERE key_id = 't1'`)).rows[0].n).toBe(1);
    } finally {
      await t.db.query(`INSERT INTO key_check (purpose, key_id, check_value) VALUES ('encryption', 't1', $1) ON CONFLICT DO NOTHING`, [
        new FieldCipher(t.config.crypto.keys, 't1', t.config.crypto.blindIndexKey).checkValue('t1'),
      ]);
    }
  });

  it('a locked cipher (keys not yet proven) cannot encrypt nor index anything', () => {
    const locked = new FieldCipher(t.config.crypto.keys, 't1', t.config.crypto.blindIndexKey, { locked: true });
    expect(() => locked.encrypt('x')).toThrow(KeysNotVerifiedError);
    expect(() => locked.blindIndex('0600000000')).toThrow(KeysNotVerifiedError);
    locked.unlock();
    expect(locked.decrypt(locked.encrypt('x'))).toBe('x');
  });
});
