import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import pg from 'pg';

/**
 * Backup and restore of the whole database with PostgreSQL's own tools (pg_dump custom format,
 * pg_restore). The dump holds the key check values (table key_check) and the encrypted values,
 * never a key: keys live only in the environment (ENCRYPTION_KEYS, BLIND_INDEX_KEY). A restored
 * database opens only with the same keys; the app proves them at boot and refuses other ones.
 */

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    // The tools' messages name objects, not values; the URL (with a password) is never echoed.
    child.on('close', (code) => (code === 0 ? ok() : fail(new Error(`${cmd} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`))));
  });
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export interface BackupReport {
  file: string;
  bytes: number;
  /** Key ids whose check values the dump carries (the keys themselves are not in it). */
  keyChecks: string[];
}

/** `pg_dump --format=custom` of the database at `url` into `file`. */
export async function backup(url: string, file: string): Promise<BackupReport> {
  const keyChecks = await withClient(url, async (c) => (await c.query(`SELECT purpose || ':' || key_id AS k FROM key_check ORDER BY 1`)).rows.map((r) => r.k as string));
  await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${url}`]);
  return { file, bytes: statSync(file).size, keyChecks };
}

/**
 * Restores `file` into the database at `url`, created if missing; refuses a database that already
 * has tables (a restore never merges into live data). One transaction: all or nothing.
 */
export async function restore(file: string, url: string): Promise<{ tables: number; keyChecks: string[] }> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error('restore: the target database name must be letters, digits and _');
  const server = new URL(url);
  server.pathname = '/postgres';
  await withClient(server.toString(), async (c) => {
    const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!found.rowCount) await c.query(`CREATE DATABASE "${name}"`);
  });
  const existing = await withClient(url, async (c) => Number((await c.query(`SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0].n));
  if (existing > 0) throw new Error(`restore: database "${name}" is not empty (${existing} tables); restore into a new database`);
  await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${url}`, file]);
  return withClient(url, async (c) => ({
    tables: Number((await c.query(`SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0].n),
    keyChecks: (await c.query(`SELECT purpose || ':' || key_id AS k FROM key_check ORDER BY 1`)).rows.map((r) => r.k as string),
  }));
}

/** `--name value` arguments of a command line. */
export function argsOf(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) if (argv[i]!.startsWith('--') && argv[i + 1] !== undefined) out[argv[i]!.slice(2)] = argv[++i]!;
  return out;
}
