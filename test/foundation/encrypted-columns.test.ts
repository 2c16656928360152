import { ENCRYPTED_COLUMNS } from '../../src/common/crypto/encrypted-columns.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/**
 * Key rotation re-wraps exactly the columns of ENCRYPTED_COLUMNS: an encrypted column left out
 * would keep its values under a retired key (and be unreadable once that key is dropped).
 */
describe('encrypted columns', () => {
  it('every *_enc column of the migrated schema is registered for key rotation', async () => {
    const { rows } = await t.db.query(
      `SELECT table_name || '.' || column_name AS col FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name LIKE '%\\_enc' ORDER BY 1`,
    );
    const registered = new Set(ENCRYPTED_COLUMNS.map((c) => `${c.table}.${c.column}`));
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.map((r: { col: string }) => r.col).filter((c: string) => !registered.has(c))).toEqual([]);
  });

  it('every registered column, and its key, exists', async () => {
    for (const c of ENCRYPTED_COLUMNS) {
      const { rows } = await t.db.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = ANY($2::text[])`, [c.table, [c.column, c.key]]);
      expect({ ...c, found: rows.length }).toEqual({ ...c, found: 2 });
    }
  });
});
