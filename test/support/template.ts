import pg from 'pg';
import { parseConfig } from '../../src/config/config.js';
import { createApp } from '../../src/bootstrap.js';
import { SeedService } from '../../src/seed/seed.service.js';
import { testEnv } from './test-env.js';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Makes sure this run's template database exists: every migration applied, reference places and
 * demo data seeded. The first worker builds it under an advisory lock; the others wait, then find it.
 */
export async function ensureTemplate(adminUrl: string, template: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(727274)');
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (found.rowCount) return;
    const building = `${template}_building`;
    await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${building}`);
    const config = parseConfig(testEnv(withDatabase(adminUrl, building), { MIGRATIONS_RUN: 'true', LOG_FILE: 'test/artifacts/logs/template.log' }));
    const app = await createApp(config);
    await app.init();
    await app.get(SeedService).run({ demo: true });
    await app.close();
    // Renamed only once complete, so a half-built template is never copied.
    await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
  } finally {
    await admin.query('SELECT pg_advisory_unlock(727274)').catch(() => undefined);
    await admin.end();
  }
}
