// `npm run fault-drill`: the reliability drill of issue 13, on its own PostgreSQL cluster.
//
// Two app instances (child processes of dist-bench/src/main.js) on one private PostgreSQL, an SMTP
// server in this process, and load (case creations, invitations that each send one e-mail, reads)
// spread over both instances, through: an SMTP outage, a `kill -9` of one instance (restarted),
// and a fast PostgreSQL restart. Prints requests by status (overall and during the database restart),
// lost writes (acknowledged, then missing), e-mails not received and e-mails received twice.
// Exits non-zero unless 0 lost, 0 duplicated, 0 missing and 0 × 401 during the outage.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../src/database/embedded-postgres.js';
import { pgBinariesAvailable, PG_BIN, startPrimary, until } from './pg-cluster.js';

const MAIN = resolve('dist-bench/src/main.js');
const PASSWORD = 'Drill-Password-2026!';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

if (!pgBinariesAvailable()) {
  process.stderr.write(`fault drill: no PostgreSQL server binaries in ${PG_BIN} (set PG_BIN)\n`);
  process.exit(2);
}

// ---- SMTP: counts what it receives per recipient; stop() + start() is an outage ------------------
const received = new Map<string, number>();
let smtp: SMTPServer | undefined;
const smtpPort = await freePort();
async function smtpStart() {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, done) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) received.set(r.address, (received.get(r.address) ?? 0) + 1);
        done();
      });
    },
  });
  await new Promise<void>((ok) => smtp!.listen(smtpPort, '127.0.0.1', () => ok()));
}
const smtpStop = () => new Promise<void>((ok) => (smtp ? smtp.close(() => ok()) : ok()));

// ---- PostgreSQL and the two instances -------------------------------------------------------------
const cluster = await startPrimary('tawjih-drill-');
const admin = new pg.Client({ connectionString: cluster.url('postgres') });
await admin.connect();
await admin.query('CREATE DATABASE tawjih');
await admin.end();
const dataDir = join(cluster.root, 'app');
mkdirSync(dataDir, { recursive: true });
const key = () => randomBytes(32).toString('base64');
const env = {
  ...process.env,
  NODE_ENV: 'development',
  SEED_DEMO: 'false',
  DATABASE_URL: cluster.url('tawjih'),
  DATABASE_CONNECT_TIMEOUT_MS: '2000',
  JWT_SECRET: randomBytes(32).toString('hex'),
  ENCRYPTION_KEYS: `k1:${key()}`,
  BLIND_INDEX_KEY: randomBytes(32).toString('hex'),
  SMTP_URL: `smtp://127.0.0.1:${smtpPort}?ignoreTLS=true`,
  // Drill-sized outbox: a 20 s lease, twice the slowest send these timeouts allow (1 + 1 + 2 × 4 s).
  OUTBOX_LEASE_SECONDS: '20',
  SMTP_CONNECTION_TIMEOUT_MS: '1000',
  SMTP_GREETING_TIMEOUT_MS: '1000',
  SMTP_SOCKET_TIMEOUT_MS: '4000',
  LOGIN_RATE_PER_MINUTE: '1000',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'info',
};
const ports = { a: await freePort(), b: await freePort() };
const procs: Partial<Record<'a' | 'b', ChildProcess>> = {};
function startInstance(name: 'a' | 'b', first: boolean) {
  const out = openSync(join(cluster.root, `app-${name}.log`), 'a');
  procs[name] = spawn(process.execPath, ['--enable-source-maps', MAIN], {
    env: {
      ...env,
      PORT: String(ports[name]),
      PUBLIC_URL: `http://127.0.0.1:${ports[name]}`,
      MIGRATIONS_RUN: first ? 'true' : 'false',
      // The demo accounts are the drill's users: the first start seeds them.
      ...(first ? { SEED_DEMO: 'true', DEMO_PASSWORD: PASSWORD } : {}),
    },
    stdio: ['ignore', out, out],
  });
}
const base = (name: 'a' | 'b') => `http://127.0.0.1:${ports[name]}`;
// Generous: on a loaded machine a start (migrations, demo accounts) takes minutes.
const healthy = (name: 'a' | 'b') => until(async () => (await fetch(`${base(name)}/health`)).ok, 600_000, `instance ${name}`);

/** Whatever happens, the drill leaves no process and no cluster behind. */
function cleanup() {
  for (const p of Object.values(procs)) p?.kill('SIGKILL');
  if (!process.env.KEEP_DRILL) cluster.remove();
}
process.on('uncaughtException', (e) => {
  process.stderr.write(`fault drill failed: ${e.stack ?? e}\n`);
  cleanup();
  process.exit(1);
});
process.on('unhandledRejection', (e) => {
  process.stderr.write(`fault drill failed: ${(e as Error)?.stack ?? e}\n`);
  cleanup();
  process.exit(1);
});

await smtpStart();
log(`PostgreSQL ${cluster.port} (${cluster.dir}), SMTP ${smtpPort}; starting instance a (migrations, demo accounts) and b`);
startInstance('a', true);
await healthy('a');
startInstance('b', false);
await healthy('b');

const db = new pg.Pool({ connectionString: cluster.url('tawjih'), max: 2 });
const unitId: string = (await db.query(`SELECT organisation_id FROM app_user WHERE email = 'counsellor.oujda@tawjih.test'`)).rows[0].organisation_id;
const login = async (email: string) => {
  const r = await fetch(`${base('a')}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  if (!r.ok) throw new Error(`login ${email}: ${r.status}`);
  return ((await r.json()) as { accessToken: string }).accessToken;
};
const tokens = { counsellor: await login('counsellor.oujda@tawjih.test'), admin: await login('admin@tawjih.test') };
// What the seed queued is not the drill's business: count only the drill's own recipients.
const seededRecipients = new Set<string>((await db.query(`SELECT recipient FROM outbox_message`)).rows.map((r) => r.recipient as string));

// ---- Load ---------------------------------------------------------------------------------------
type Phase = 'steady' | 'smtp-outage' | 'kill-9' | 'db-restart' | 'after';
let phase: Phase = 'steady';
const counts = new Map<string, number>();
const count = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
const ackedCases: string[] = [];
const ackedInvites: string[] = [];
let running = true;
let seq = 0;

async function call(instance: 'a' | 'b', method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json?: unknown }> {
  let status = 0;
  let json: unknown;
  try {
    const r = await fetch(`${base(instance)}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(15_000),
    });
    status = r.status;
    json = await r.json().catch(() => undefined);
  } catch {
    status = 0; // no answer: connection refused or reset (a killed instance)
  }
  count(`${phase}|${status}`);
  return { status, json };
}

async function loop(kind: 'case' | 'invite' | 'read', offset: number) {
  for (let i = offset; running; i++) {
    const instance = i % 2 === 0 ? 'a' : 'b';
    const n = ++seq;
    if (kind === 'case') {
      const r = await call(instance, 'POST', '/api/v1/cases', tokens.counsellor, { person: { givenName: `Drill${n}`, familyName: 'Charge', sex: 'female', birthDate: '1990-01-01' }, needs: ['mhpss'] });
      if (r.status === 201) ackedCases.push((r.json as { case: { id: string } }).case.id);
    } else if (kind === 'invite') {
      const email = `drill.${n}@tawjih.test`;
      const r = await call(instance, 'POST', '/api/v1/users', tokens.admin, { email, displayName: `Drill ${n}`, organisationId: unitId, roles: ['counsellor'] });
      if (r.status === 201) ackedInvites.push(email);
    } else {
      await call(instance, 'GET', '/api/v1/cases?limit=10', tokens.counsellor);
    }
    await sleep(between(50, 150));
  }
}
const between = (a: number, b: number) => a + Math.random() * (b - a);
const loops = [loop('case', 0), loop('case', 1), loop('invite', 0), loop('invite', 1), loop('read', 0)];

log('steady load, 10 s');
await sleep(10_000);
phase = 'smtp-outage';
log('SMTP outage, 25 s');
await smtpStop();
await sleep(25_000);
await smtpStart();
phase = 'kill-9';
log('kill -9 of instance a under load; restarted 3 s later');
procs.a!.kill('SIGKILL');
await sleep(3000);
startInstance('a', false);
await healthy('a');
await sleep(5000);
phase = 'db-restart';
log('PostgreSQL restart (pg_ctl restart -m fast) under load');
await cluster.restart();
log('PostgreSQL is back');
await sleep(5000);
phase = 'after';
log('load goes on 10 s after the restart');
await sleep(10_000);
running = false;
await Promise.all(loops);

// ---- Results ------------------------------------------------------------------------------------
log('waiting for the outbox to drain (failed sends back off; a killed instance’s claims wait for their lease)');
const drillRecipients = () => ackedInvites;
await until(async () => Number((await db.query(`SELECT count(*) AS n FROM outbox_message WHERE status = 'pending'`)).rows[0].n) === 0, 300_000, 'the outbox to drain').catch(() => log('outbox not drained within 5 min'));
await sleep(1000);

const lostCases = ackedCases.length - Number((await db.query(`SELECT count(*) AS n FROM case_file WHERE id = ANY($1::uuid[])`, [ackedCases])).rows[0].n);
const lostInvites = ackedInvites.length - Number((await db.query(`SELECT count(*) AS n FROM app_user WHERE email = ANY($1)`, [ackedInvites])).rows[0].n);
const notReceived = drillRecipients().filter((e) => !received.get(e));
const duplicated = [...received.entries()].filter(([e, n]) => n > 1 && !seededRecipients.has(e));
const outbox = (await db.query(`SELECT status, count(*)::int AS n FROM outbox_message GROUP BY 1 ORDER BY 1`)).rows;

const phases: Phase[] = ['steady', 'smtp-outage', 'kill-9', 'db-restart', 'after'];
const statuses = [...new Set([...counts.keys()].map((k) => Number(k.split('|')[1])))].sort((x, y) => x - y);
const label = (s: number) => (s === 0 ? 'no answer' : String(s));
const table = [['phase', ...statuses.map(label)].join('\t')];
for (const p of phases) table.push([p, ...statuses.map((s) => String(counts.get(`${p}|${s}`) ?? 0))].join('\t'));
const total = (s: number) => phases.reduce((n, p) => n + (counts.get(`${p}|${s}`) ?? 0), 0);
table.push(['total', ...statuses.map((s) => String(total(s)))].join('\t'));
const unauthorisedDuringOutage = counts.get('db-restart|401') ?? 0;

process.stdout.write(`\nRequests by status and phase:\n${table.join('\n')}\n\n`);
process.stdout.write(
  [
    `acknowledged case creations: ${ackedCases.length}, lost: ${lostCases}`,
    `acknowledged invitations:    ${ackedInvites.length}, lost: ${lostInvites}`,
    `e-mails for acknowledged invitations: received ${ackedInvites.length - notReceived.length}, not received: ${notReceived.length}`,
    `duplicate e-mails: ${duplicated.length}${duplicated.length ? ` (${duplicated.map(([e, n]) => `${e}×${n}`).join(', ')})` : ''}`,
    `401 during the database restart: ${unauthorisedDuringOutage}; 401 overall: ${total(401)}`,
    `outbox at the end: ${outbox.map((o) => `${o.status} ${o.n}`).join(', ')}`,
  ].join('\n') + '\n',
);
const ok = lostCases === 0 && lostInvites === 0 && notReceived.length === 0 && duplicated.length === 0 && unauthorisedDuringOutage === 0;
process.stdout.write(`\n${ok ? 'PASS' : 'FAIL'}: 0 lost, 0 duplicated, 0 missing e-mails, 0 × 401 during the outage${ok ? '' : ' — NOT MET'}\n`);

for (const p of Object.values(procs)) p?.kill('SIGTERM');
await sleep(1500);
await db.end();
await smtpStop();
cleanup();
if (process.env.KEEP_DRILL) log(`kept ${cluster.root}`);
process.exit(ok ? 0 : 1);
