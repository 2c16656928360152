import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, chownSync, existsSync, mkdtempSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../src/database/embedded-postgres.js';

/** PostgreSQL server binaries with pg_basebackup (Debian's package; PG_BIN overrides). */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
export const pgBinariesAvailable = () => ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'].every((b) => existsSync(join(PG_BIN, b)));

const asRoot = process.getuid?.() === 0;
/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` system user. */
function run(bin: string, args: string[]): string {
  const cmd = join(PG_BIN, bin);
  return asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8', stdio: 'pipe' }) : execFileSync(cmd, args, { encoding: 'utf8', stdio: 'pipe' });
}

export interface Cluster {
  dir: string;
  port: number;
  url(database: string): string;
  /** pg_ctl restart -m fast (a quick PostgreSQL restart), without blocking this process. */
  restart(): Promise<void>;
  stop(mode?: 'fast' | 'immediate'): void;
}

function cluster(dir: string, port: number): Cluster {
  return {
    dir,
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    restart: async () => {
      const args = ['-D', dir, '-w', '-m', 'fast', 'restart', '-l', join(dir, 'server.log')];
      const cmd = join(PG_BIN, 'pg_ctl');
      await (asRoot ? promisify(execFile)('runuser', ['-u', 'postgres', '--', cmd, ...args]) : promisify(execFile)(cmd, args));
    },
    stop: (mode = 'fast') => void run('pg_ctl', ['-D', dir, '-w', '-m', mode, 'stop']),
  };
}

/** A private PostgreSQL cluster on a free port (trust on loopback), ready for streaming replication. */
export async function startPrimary(prefix = 'tawjih-pg-'): Promise<Cluster & { root: string; remove(): void }> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(root, 0o755);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
  }
  const dir = join(root, 'primary');
  run('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  appendFileSync(
    join(dir, 'postgresql.conf'),
    `\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${root}'\nwal_level = replica\nmax_wal_senders = 5\nhot_standby = on\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 100\nshared_buffers = 32MB\n`,
  );
  run('pg_ctl', ['-D', dir, '-w', '-l', join(dir, 'server.log'), 'start']);
  const c = cluster(dir, port);
  return {
    ...c,
    root,
    remove: () => {
      for (const d of ['replica', 'primary']) {
        try {
          if (existsSync(join(root, d, 'postmaster.pid'))) cluster(join(root, d), 0).stop('immediate');
        } catch {
          // already stopped
        }
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A hot standby of `primary` (pg_basebackup -R), streaming from it, on another free port. */
export async function startReplica(primary: Cluster & { root: string }): Promise<Cluster & { pauseReplay(): Promise<void>; resumeReplay(): Promise<void> }> {
  const dir = join(primary.root, 'replica');
  run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', dir, '-R', '-X', 'stream', '--no-sync']);
  const port = await freePort();
  appendFileSync(join(dir, 'postgresql.conf'), `\nport = ${port}\n`);
  run('pg_ctl', ['-D', dir, '-w', '-l', join(dir, 'server.log'), 'start']);
  const c = cluster(dir, port);
  const sql = async (q: string) => {
    const client = new pg.Client({ connectionString: c.url('postgres') });
    await client.connect();
    try {
      await client.query(q);
    } finally {
      await client.end();
    }
  };
  return { ...c, pauseReplay: () => sql('SELECT pg_wal_replay_pause()'), resumeReplay: () => sql('SELECT pg_wal_replay_resume()') };
}

/** Waits until `check` holds (polling), or fails after `ms`. */
export async function until(check: () => Promise<boolean>, ms = 30_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
