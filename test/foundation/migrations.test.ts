import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('migrations', () => {
  it('leave no difference between the entities and the schema (no drift)', async () => {
    const ds = t.app.get<DataSource>(getDataSourceToken());
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('are all applied, and none is pending', async () => {
    const ds = t.app.get<DataSource>(getDataSourceToken());
    expect(await ds.showMigrations()).toBe(false);
    expect(ds.migrations.length).toBeGreaterThan(0);
  });

  it('revert and re-apply cleanly (down migrations work)', async () => {
    const ds = t.app.get<DataSource>(getDataSourceToken());
    // Revert all, then run again: every down() must undo its up().
    for (let i = 0; i < ds.migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`);
    expect(rows[0].n).toBe(0);
    await ds.runMigrations({ transaction: 'each' });
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries).toEqual([]);
  });
});
