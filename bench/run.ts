// `npm run bench [-- --quick] [--sizes 100000,1000000] [--duration 10] [--connections 10] [--only name,…] [--profile] [--report-warmup 2]`
// One process tree, one run: for each dataset size, a copy of a generated dataset, the app and the
// floor server on it, and every scenario loaded by autocannon against both. Writes bench/results.md.
// Exits non-zero when a scenario errors (a target missed is reported, not an error).
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { TransactionHost } from '../src/database/transaction.js';
import { ReportingRepository } from '../src/reporting/reporting.repository.js';
import { freePort, startEmbeddedPostgres, type EmbeddedHandle } from '../src/database/embedded-postgres.js';
import { DATAGEN_VERSION } from '../scripts/datagen/generate.js';
import { AUDIT_EXPORT_ROWS, SCENARIOS, type Fixtures, type Scenario } from './scenarios.js';
import { summarise, summaryMarkdown } from './profile-summary.js';
import { reportFixtureQuery } from './reports.scenario.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string', default: '10' },
    only: { type: 'string' },
    out: { type: 'string', default: 'bench/results.md' },
    // After each scenario's measured run, one more run of the app under the V8 CPU profiler (so the
    // profiler's cost stays out of the results), summarised per scenario into bench/profiles.md.
    profile: { type: 'boolean', default: false },
    'profile-out': { type: 'string', default: 'bench/profiles.md' },
    // Seconds of discarded rounds per report scenario before its measured ones (0: a single one, as before session 15).
    'report-warmup': { type: 'string', default: '2' },
  },
});
const sizes = (args.sizes ?? (args.quick ? '10000,100000' : '100000,1000000')).split(',').map(Number);
const duration = Number(args.duration ?? (args.quick ? 5 : 10));
const connections = Number(args.connections);
const only = args.only?.split(',');
const POOL = 10;
const DIST = new URL('..', import.meta.url).pathname; // dist-bench/ (tsc -p bench/tsconfig.json)
// The app under test is the production build (`npm run build`, SWC) in dist/.
const APP_MAIN = new URL('../../dist/src/main.js', import.meta.url).pathname;
/**
 * Node's flags for the app as deployed: those of `npm start` (the Dockerfile's CMD has the same),
 * above all its heap limit — without it V8 lets the heap grow under a long export (idle + 240 MB
 * for the million-row audit CSV, idle + 40 MB with it).
 */
const APP_FLAGS = (() => {
  const start: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).scripts.start;
  const m = /^node((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/src\/main\.js$/.exec(start.trim());
  if (!m) throw new Error(`bench: cannot read node's flags from the start script: ${start}`);
  return m[1]!.trim().split(/\s+/).filter(Boolean);
})();
const log = (s: string) => process.stderr.write(`${s}\n`);

// Fixed keys for the bench datasets: the app, the floor and the generator must agree.
const key = (seed: string) => Buffer.from(seed.padEnd(32, '#').slice(0, 32)).toString('base64');
const SECRETS = {
  JWT_SECRET: 'bench-jwt-secret-that-is-long-enough-0123456789',
  ENCRYPTION_KEYS: `b1:${key('tawjih-bench-key-1')}`,
  BLIND_INDEX_KEY: 'bench-blind-index-key-long-enough-0123456789',
};
const PASSWORD = 'Datagen-Tawjih-2026!';

interface Measured {
  rps: number;
  /** CPU time the server process spent per answered request (user + system): steadier than req/s on a shared machine. */
  cpuMs: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Requests answered 2xx. */
  requests: number;
}
interface Row {
  size: number;
  scenario: Scenario;
  floor?: Measured;
  app?: Measured;
  error?: string;
  note?: string;
  /** kind 'report': median wall time of sequential requests vs of the hand-written SQL, run directly and through the floor server. */
  report?: ReportTimes;
  /** kind 'memory': the app's RSS at idle and its peak while the scenario ran (MB). */
  memory?: { idleMb: number; peakMb: number; bytes: number; ms: number };
}

const withDb = (url: string, db: string) => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
};

async function resolveServer(): Promise<{ adminUrl: string; embedded?: EmbeddedHandle }> {
  const given = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const c = new pg.Client({ connectionString: given, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return { adminUrl: withDb(given, 'postgres') };
  } catch {
    log(`No PostgreSQL at ${new URL(given).host}: starting the embedded one under .data/bench-pg`);
    const embedded = await startEmbeddedPostgres('.data/bench-pg', 'postgres');
    return { adminUrl: embedded.url, embedded };
  }
}

function run(cmd: string, argv: string[], env: Record<string, string>, quiet = true): ChildProcess {
  return spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: quiet ? ['ignore', 'ignore', 'pipe'] : ['ignore', 'pipe', 'inherit'] });
}

async function waitFor(url: string, child: ChildProcess, what: string): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not answer at ${url}`);
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** The generated dataset for a size, kept between runs as a database named by size and schema. */
async function ensureDataset(adminUrl: string, size: number): Promise<{ template: string; generatedSeconds?: number }> {
  // Named by the generator's version only: a kept dataset is copied and the app, starting on the
  // copy, applies the migrations written since (as it would in production), so a new migration
  // does not cost a new million-person dataset. Bump DATAGEN_VERSION when the generator changes.
  const template = `tawjih_bench_${size}_g${DATAGEN_VERSION}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])).rowCount) return { template };
    const building = `${template}_building`;
    await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    log(`Generating the ${size}-person dataset (${template}); kept for later runs…`);
    const t0 = performance.now();
    const child = run(process.execPath, [join(DIST, 'scripts/datagen/datagen.cli.js'), '--persons', String(size), '--database-url', withDb(adminUrl, building)], {
      ...SECRETS,
      NODE_ENV: 'production',
      // The generator boots the app's configuration, which refuses an http PUBLIC_URL in production.
      PUBLIC_URL: 'https://tawjih.bench.test',
      DATAGEN_PASSWORD: PASSWORD,
    }, false);
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    if (code !== 0) throw new Error(`datagen for ${size} persons failed (exit ${code})`);
    await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
    return { template, generatedSeconds: Math.round(performance.now() - t0) / 1000 };
  } finally {
    await admin.end();
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

async function load(url: string, s: Scenario, f: Fixtures, side: 'app' | 'floor', seconds: number, pid: number, db?: pg.Pool): Promise<Measured> {
  if (db) await s.prepare?.(db, f);
  const req = s[side](f);
  const cpu0 = cpuSeconds(pid);
  const r = await autocannon({
    url,
    connections,
    duration: seconds,
    method: req.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(req.headers ?? {}) },
    requests: [
      {
        setupRequest: (r: Record<string, unknown>) => {
          const n = req.next();
          return { ...r, ...n, headers: { ...(r.headers as Record<string, string>), ...n.headers } };
        },
      },
    ] as never,
  });
  const cpuMs = ((cpuSeconds(pid) - cpu0) * 1000) / Math.max(1, r['2xx']);
  return { rps: r.requests.average, cpuMs, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx, requests: r['2xx'] };
}

const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/**
 * Keep-alive connections for one request at a time (the report and memory scenarios), as autocannon
 * keeps its own: node:http rather than fetch, whose WHATWG streams cost the client about a
 * millisecond per request on this machine — time that is the bench's, not the app's, and that the
 * hand-written SQL it is compared with (pg's client) does not pay.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** Sends one request of a scenario and reads the whole answer; throws on a non-2xx. */
async function once(appUrl: string, s: Scenario, f: Fixtures): Promise<number> {
  const req = s.app(f);
  const n = req.next();
  return send(s.name, `${appUrl}${n.path}`, req.method ?? 'GET', { ...req.headers, ...n.headers }, n.body);
}

/** One request on the bench's keep-alive agent; the answer's length in bytes. */
async function send(name: string, target: string, method: string, headers: Record<string, string> = {}, payload?: string): Promise<number> {
  const url = new URL(target);
  const { status, body } = await new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
    const r = http.request(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method, agent, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(payload);
  });
  if (status < 200 || status >= 300) throw new Error(`${name}: ${status} ${body.toString('utf8').slice(0, 300)}`);
  return body.length;
}

/** A report scenario's requests one after another for `seconds` (as measureReports sends them), for the profiler. */
async function sequential(appUrl: string, s: Scenario, f: Fixtures, seconds: number): Promise<Pick<Measured, 'requests'>> {
  let requests = 0;
  for (const end = performance.now() + seconds * 1000; performance.now() < end; requests++) await once(appUrl, s, f);
  return { requests };
}

// At least 15 rounds: a median of 7 swung by a third between runs on these shared cores (issue 15,
// session 7). A scenario whose round is short gets as many as fit in REPORT_MEASURE_MS (at most
// REPORT_RUNS_MAX): its median is the one that swings most (the provider's at 100k moved by 0.2×
// between runs of one build in session 14), and it costs seconds, not minutes.
const REPORT_RUNS = 15;
const REPORT_RUNS_MAX = 61;
const REPORT_MEASURE_MS = 3000;
/**
 * Discarded rounds per report scenario before the measured ones, as the load scenarios get 2 s per
 * side: the measured requests are then those of a server in service, with its code compiled by V8,
 * not the first dozen a process ever serves (its cold start, which the small floor servers pay
 * far less of than the app). Every side of a round is warmed alike, the hand-written SQL included.
 */
const REPORT_WARMUP_MS = Number(args['report-warmup']) * 1000;
if (!Number.isFinite(REPORT_WARMUP_MS) || REPORT_WARMUP_MS < 0) throw new Error('bench: --report-warmup takes seconds (0 or more)');
/**
 * A report scenario's median times: the app, its hand-written SQL run directly, that SQL served by the
 * floor server (node:http) and served by the Nest floor (the app's framework, nothing of the app's own);
 * and how many rounds they are the medians of.
 */
interface ReportTimes {
  appMs: number;
  floorMs: number;
  httpMs: number;
  nestMs: number;
  rounds: number;
}

/**
 * kind 'report': the report scenarios interleaved — each round runs every scenario once through the
 * app, once as its hand-written SQL and once as that SQL through the floor server and the Nest floor, in turn — so that
 * the neighbours' load on a shared machine falls on every role alike. Each scenario is first warmed
 * (its rounds for REPORT_WARMUP_MS, at least one, discarded); the length of its last warm-up round
 * sets how many rounds it is measured (REPORT_RUNS to REPORT_RUNS_MAX, odd), and the median of those
 * is kept. The load average is read before and after.
 */
async function measureReports(appUrl: string, floorUrl: string, nestUrl: string, list: Scenario[], f: Fixtures, db: pg.Pool): Promise<{ results: Map<Scenario, ReportTimes>; load: string }> {
  const time = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  const round = async (s: Scenario) => {
    if (!s.floorSql) throw new Error(`${s.name}: a report scenario needs floorSql`);
    const floor = await time(() => s.floorSql!(db, f));
    const http = await time(() => send(`${s.name} (floor)`, `${floorUrl}/report/${s.name}?${reportFixtureQuery(f)}`, 'GET'));
    const nest = await time(() => send(`${s.name} (Nest floor)`, `${nestUrl}/report/${s.name}?${reportFixtureQuery(f)}`, 'GET'));
    const app = await time(() => once(appUrl, s, f));
    return { floor, http, nest, app };
  };
  const before = os.loadavg().map((x) => x.toFixed(1)).join(' / ');
  const rounds = new Map<Scenario, number>();
  for (const s of list) {
    const t0 = performance.now();
    let last: number;
    do last = await time(() => round(s));
    while (performance.now() - t0 < REPORT_WARMUP_MS);
    rounds.set(s, Math.min(REPORT_RUNS_MAX, Math.max(REPORT_RUNS, Math.ceil(REPORT_MEASURE_MS / last))) | 1);
  }
  const samples = new Map(list.map((s) => [s, { app: [] as number[], floor: [] as number[], http: [] as number[], nest: [] as number[] }]));
  for (let n = 0; n < Math.max(...rounds.values()); n++) {
    for (const s of list) {
      if (n >= rounds.get(s)!) continue;
      const t = await round(s);
      const x = samples.get(s)!;
      x.floor.push(t.floor), x.http.push(t.http), x.nest.push(t.nest), x.app.push(t.app);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const results = new Map(
    list.map((s) => {
      const x = samples.get(s)!;
      return [s, { appMs: median(x.app), floorMs: median(x.floor), httpMs: median(x.http), nestMs: median(x.nest), rounds: rounds.get(s)! }];
    }),
  );
  return { results, load: `${before} before, ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} after` };
}

/** kind 'memory': the app's RSS at rest, then its peak (VmHWM, reset first) over three sequential requests. */
async function measureMemory(appUrl: string, s: Scenario, f: Fixtures, pid: number): Promise<{ idleMb: number; peakMb: number; bytes: number; ms: number }> {
  const idleMb = rss(pid);
  // Writing 5 to clear_refs resets the peak-RSS mark (VmHWM) to the current RSS.
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
  const t0 = performance.now();
  let bytes = 0;
  for (let i = 0; i < 3; i++) bytes = await once(appUrl, s, f);
  const ms = Math.round((performance.now() - t0) / 3);
  const peakMb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  return { idleMb, peakMb, bytes, ms };
}

async function benchSize(adminUrl: string, size: number, rows: Row[], notes: string[]): Promise<void> {
  const { template, generatedSeconds } = await ensureDataset(adminUrl, size);
  if (generatedSeconds) notes.push(`Dataset of ${size} persons generated in ${generatedSeconds} s (npm run datagen, including migrations and index builds).`);
  const runDb = `tawjih_bench_run_${size}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  admin.on('error', () => undefined);
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${runDb} WITH (FORCE)`);
  const t0 = performance.now();
  await admin.query(`CREATE DATABASE ${runDb} TEMPLATE ${template} STRATEGY FILE_COPY`);
  log(`[${size}] copied the dataset in ${Math.round(performance.now() - t0) / 1000} s`);
  const dbUrl = withDb(adminUrl, runDb);
  const [appPort, floorPort, nestPort] = [await freePort(), await freePort(), await freePort()];
  // Production mode as deployed; PUBLIC_URL only names links in e-mails (none are sent: JOBS_ENABLED is off).
  const common = { ...SECRETS, DATABASE_URL: dbUrl, DATABASE_POOL_SIZE: String(POOL), NODE_ENV: 'production', JOBS_ENABLED: 'false', DATA_DIR: '.data/bench', PUBLIC_URL: 'https://tawjih.bench.test' };
  let app: ChildProcess | undefined;
  let floor: ChildProcess | undefined;
  let nestFloor: ChildProcess | undefined;
  // The hand-written SQL of the report scenarios runs here, as the app's statements run on its pool:
  // JIT off for the session (as data-source-options.ts sets it), each statement of a role on its own connection.
  const db = new pg.Pool({ connectionString: dbUrl, max: 3, options: '-c jit=off' });
  // An idle connection ended by the server (e.g. the database dropped at the end) must not crash the run.
  db.on('error', () => undefined);
  try {
    const profileDir = join(process.cwd(), '.data/bench/profiles');
    if (args.profile) mkdirSync(profileDir, { recursive: true });
    const appArgs = [...APP_FLAGS, ...(args.profile ? ['--import', join(DIST, 'bench/profiler-preload.js')] : []), APP_MAIN];
    app = run(process.execPath, appArgs, { ...common, PORT: String(appPort), JWT_ACCESS_TTL_SECONDS: '3600', LOGIN_RATE_PER_MINUTE: '1000', RATE_PER_MINUTE: '1000000' /* one IP sends the whole load */, ...(args.profile ? { BENCH_PROFILE_DIR: profileDir } : {}) });
    floor = run(process.execPath, [join(DIST, 'bench/floor-server.js')], { ...common, PORT: String(floorPort) });
    nestFloor = run(process.execPath, [join(DIST, 'bench/nest-floor.js')], { ...common, PORT: String(nestPort) });
    await Promise.all([
      waitFor(`http://127.0.0.1:${appPort}/health`, app, 'the app'),
      waitFor(`http://127.0.0.1:${floorPort}/health`, floor, 'the floor server'),
      waitFor(`http://127.0.0.1:${nestPort}/health`, nestFloor, 'the Nest floor'),
    ]);
    const appUrl = `http://127.0.0.1:${appPort}`;
    const rollup = await buildRollup(dbUrl);
    notes.push(`[${size}] monthly referral roll-up: ${rollup.months} months built in ${rollup.seconds} s (ReportRollupJob's work, run once before measuring; JOBS_ENABLED is off in the bench).`);
    log(`[${size}] roll-up: ${rollup.months} months in ${rollup.seconds} s`);
    const fixtures = await loadFixtures(db, appUrl);
    log(`[${size}] unit ${fixtures.unitCode}: ${fixtures.unitCases} cases; app idle RSS ${rss(app.pid!).toFixed(0)} MB`);
    // The dataset copy starts with cold caches: touch every scenario's data once before measuring any.
    for (const s of SCENARIOS) {
      if ((only && !only.includes(s.name)) || (await s.pending?.(db)) || s.kind === 'report' || s.kind === 'memory') continue;
      await load(`http://127.0.0.1:${floorPort}`, s, fixtures, 'floor', 3, floor.pid!, db).catch(() => undefined);
    }
    const reportScenarios: Scenario[] = [];
    for (const s of SCENARIOS) if (s.kind === 'report' && (!only || only.includes(s.name)) && !(await s.pending?.(db))) reportScenarios.push(s);
    const reports = reportScenarios.length ? await measureReports(appUrl, `http://127.0.0.1:${floorPort}`, `http://127.0.0.1:${nestPort}`, reportScenarios, fixtures, db) : undefined;
    if (reports) notes.push(`[${size}] report scenarios interleaved after ${REPORT_WARMUP_MS / 1000} s of warm-up rounds each, medians of ${[...new Set([...reports.results.values()].map((r) => r.rounds))].join(' / ')} rounds; load average (1/5/15 min) ${reports.load}.`);
    for (const s of SCENARIOS) {
      if (only && !only.includes(s.name)) continue;
      const row: Row = { size, scenario: s };
      rows.push(row);
      const pending = await s.pending?.(db);
      if (pending) {
        row.note = pending;
        continue;
      }
      try {
        row.note = s.describe?.(fixtures);
        if (s.kind === 'report') {
          row.report = reports!.results.get(s)!;
          log(
            `[${size}] ${s.name}: app ${row.report.appMs.toFixed(0)} ms, hand-written SQL ${row.report.floorMs.toFixed(0)} ms (${(row.report.appMs / row.report.floorMs).toFixed(2)}×), the same SQL through the floor server ${row.report.httpMs.toFixed(0)} ms, through the Nest floor ${row.report.nestMs.toFixed(0)} ms`,
          );
          if (args.profile) profiles.push(await profiled(profileDir, `${size.toLocaleString('en')} persons — ${s.name}`, app.pid!, () => sequential(appUrl, s, fixtures, duration)));
          continue;
        }
        if (s.kind === 'memory') {
          row.memory = await measureMemory(appUrl, s, fixtures, app.pid!);
          log(`[${size}] ${s.name}: idle ${row.memory.idleMb.toFixed(0)} MB, peak ${row.memory.peakMb.toFixed(0)} MB (${row.memory.bytes} bytes in ${row.memory.ms} ms)`);
          continue;
        }
        // Warm both up (JIT, plans, caches), then measure the floor and the app in turn.
        await load(`http://127.0.0.1:${floorPort}`, s, fixtures, 'floor', 2, floor.pid!, db);
        row.floor = await load(`http://127.0.0.1:${floorPort}`, s, fixtures, 'floor', duration, floor.pid!, db);
        await load(appUrl, s, fixtures, 'app', 2, app.pid!, db);
        row.app = await load(appUrl, s, fixtures, 'app', duration, app.pid!, db);
        if (args.profile) profiles.push(await profiled(profileDir, `${size.toLocaleString('en')} persons — ${s.name}`, app.pid!, () => load(appUrl, s, fixtures, 'app', duration, app!.pid!, db)));
        const bad = [row.floor, row.app].find((m) => m.errors || m.non2xx);
        if (bad) row.error = `${bad.errors} errors, ${bad.non2xx} non-2xx answers`;
        log(`[${size}] ${s.name}: floor ${row.floor.rps.toFixed(0)} req/s ${row.floor.cpuMs.toFixed(2)} ms CPU/req, app ${row.app.rps.toFixed(0)} req/s ${row.app.cpuMs.toFixed(2)} ms CPU/req (${((row.app.rps / row.floor.rps) * 100).toFixed(0)}%)${row.error ? ` — ERROR ${row.error}` : ''}`);
      } catch (e) {
        row.error = String((e as Error)?.message ?? e);
        log(`[${size}] ${s.name}: ERROR ${row.error}`);
      }
    }
    notes.push(`[${size}] app RSS after the run: ${rss(app.pid!).toFixed(0)} MB.`);
  } finally {
    await stop(app);
    await stop(floor);
    await stop(nestFloor);
    await db.end();
    await admin.query(`DROP DATABASE IF EXISTS ${runDb} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

/** Runs `work` with the app's CPU profiler on (SIGUSR2 to the preload) and returns the profile's summary. */
async function profiled(dir: string, title: string, pid: number, work: () => Promise<Pick<Measured, 'requests'>>): Promise<string> {
  const file = `${title.replace(/[^\w]+/g, '-')}.cpuprofile`;
  writeFileSync(join(dir, 'next'), file);
  writeFileSync(join(dir, 'written'), '');
  process.kill(pid, 'SIGUSR2');
  await new Promise((r) => setTimeout(r, 200));
  const m = await work();
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 150 && readFileSync(join(dir, 'written'), 'utf8') !== file; i++) await new Promise((r) => setTimeout(r, 200));
  const summary = summarise(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  log(`  profiled ${title}: busy ${summary.busyMs.toFixed(0)} ms over ${m.requests} requests; top: ${summary.areas.slice(0, 3).map((a) => a.name).join(', ')}`);
  return summaryMarkdown(title, summary, m.requests);
}

/** Builds every past month of the referral roll-up, as the app's job does (the app has migrated the copy). */
async function buildRollup(url: string): Promise<{ months: number; seconds: number }> {
  const ds = new DataSource(dataSourceOptions({ url, poolSize: 1, connectTimeoutMs: 5000, statementTimeoutMs: 600_000, migrationsRun: false }));
  await ds.initialize();
  try {
    const repo = new ReportingRepository(new TransactionHost(ds));
    const t0 = performance.now();
    let months = 0;
    while (await repo.buildRollupMonth()) months++;
    if (months) await repo.analyzeRollup(); // as ReportRollupJob does after building
    return { months, seconds: Math.round(performance.now() - t0) / 1000 };
  } finally {
    await ds.destroy();
  }
}

/**
 * The generator writes no audit rows (the trail refuses the TRUNCATE its frozen COPY relies on), so
 * the copy under test gets the rows the app itself writes for each step of the referrals' history
 * (a `transition` row per step), oldest first, up to AUDIT_EXPORT_ROWS.
 */
async function ensureAuditTrail(db: pg.Pool): Promise<number> {
  const have = Number((await db.query('SELECT count(*) AS n FROM audit_event')).rows[0].n);
  if (have < AUDIT_EXPORT_ROWS) {
    await db.query(
      `INSERT INTO audit_event (actor_id, organisation_id, action, entity, entity_id, route, ip, created_at)
       SELECT e.actor_id, r.unit_id, 'transition', 'referral', e.referral_id, 'POST /api/v1/referrals/' || e.referral_id || '/' || e.action, '127.0.0.1', e.at
         FROM referral_event e JOIN referral r ON r.id = e.referral_id
        ORDER BY e.at LIMIT $1`,
      [AUDIT_EXPORT_ROWS - have],
    );
  }
  return Number((await db.query('SELECT count(*) AS n FROM audit_event')).rows[0].n);
}

async function loadFixtures(db: pg.Pool, appUrl: string): Promise<Fixtures> {
  // The busiest counselling unit: the deepest lists.
  const unit = (
    await db.query(`SELECT o.id, o.code, count(*)::int AS n FROM case_file c JOIN organisation o ON o.id = c.unit_id GROUP BY o.id, o.code ORDER BY n DESC LIMIT 1`)
  ).rows[0];
  const user = (await db.query(`SELECT id, email FROM app_user WHERE organisation_id = $1 AND 'counsellor' = ANY(roles) ORDER BY email LIMIT 1`, [unit.id])).rows[0];
  const cases = (await db.query(`SELECT id FROM case_file WHERE unit_id = $1 ORDER BY random() LIMIT 500`, [unit.id])).rows.map((r) => r.id as string);
  const sample = (await db.query(`SELECT code FROM case_file WHERE unit_id = $1 ORDER BY created_at DESC OFFSET $2 LIMIT 1`, [unit.id, Math.floor(unit.n / 2)])).rows[0];
  const depthOffset = Math.max(0, Math.min(9_999 * 50, unit.n - 51));
  const deep = (
    await db.query(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, id FROM case_file WHERE unit_id = $1
        ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
      [unit.id, Math.max(0, depthOffset - 1)],
    )
  ).rows[0];
  const login = async (email: string) => {
    const post = () => fetch(`${appUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    // At a million persons the fixture queries between two sign-ins outlast the server's keep-alive
    // (5 s): fetch may send on the connection the server is closing ("fetch failed"). Once more, then.
    const res = await post().catch((e: unknown) => (e instanceof TypeError ? post() : Promise.reject(e)));
    if (!res.ok) throw new Error(`login of ${email} failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { accessToken: string }).accessToken;
  };
  const token = await login(user.email);

  // Referrals: the busiest providers (the deepest inboxes), their focal points and their referrals.
  const providers = (
    await db.query(
      `SELECT r.provider_organisation_id AS org, count(*)::int AS n, (SELECT o.region_id FROM organisation o WHERE o.id = r.provider_organisation_id) AS region_id,
              (SELECT u.id FROM app_user u WHERE u.organisation_id = r.provider_organisation_id AND 'provider' = ANY(u.roles) ORDER BY u.email LIMIT 1) AS user_id,
              (SELECT u.email FROM app_user u WHERE u.organisation_id = r.provider_organisation_id AND 'provider' = ANY(u.roles) ORDER BY u.email LIMIT 1) AS email
         FROM referral r WHERE r.status IS DISTINCT FROM 'draft' GROUP BY 1 ORDER BY n DESC LIMIT 8`,
    )
  ).rows as Array<{ org: string; n: number; region_id: string; user_id: string; email: string }>;
  const tokens = new Map<string, string>();
  for (const p of providers) tokens.set(p.org, await login(p.email));
  const top = providers[0]!;
  const inboxOffset = Math.max(0, Math.min(9_999 * 50, top.n - 51));
  const inboxDeep = (
    await db.query(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, id FROM referral
        WHERE provider_organisation_id = $1 AND status IS DISTINCT FROM 'draft' ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
      [top.org, Math.max(0, inboxOffset - 1)],
    )
  ).rows[0];
  const referralIds = (
    await db.query(`SELECT id FROM referral WHERE provider_organisation_id = $1 AND status IS DISTINCT FROM 'draft' ORDER BY random() LIMIT 500`, [top.org])
  ).rows.map((r) => r.id as string);
  // Sent ones first; the pool is put back to `sent` before each load (see the scenario).
  const acceptPool = (
    await db.query(
      `SELECT id, provider_organisation_id AS org FROM (
         SELECT id, provider_organisation_id, row_number() OVER (PARTITION BY provider_organisation_id ORDER BY (status = 'sent') DESC, created_at DESC) AS k
           FROM referral WHERE provider_organisation_id = ANY($1::uuid[]) AND status IS DISTINCT FROM 'draft') x
        WHERE k <= 600 ORDER BY k, provider_organisation_id`,
      [providers.map((p) => p.org)],
    )
  ).rows.map((r) => ({ id: r.id as string, orgId: r.org as string, userId: providers.find((p) => p.org === r.org)!.user_id, token: tokens.get(r.org)! }));
  const createTargets = (
    await db.query(
      `SELECT DISTINCT ON (n.id) c.id AS case_id, n.id AS need_id, sal.id AS sal_id
         FROM case_file c
         JOIN case_need n ON n.case_id = c.id AND n.status = 'open'
         JOIN consent k ON k.case_id = c.id AND k.withdrawn_at IS NULL AND (k.categories = '{}' OR n.category = ANY(k.categories))
                       AND k.organisation_ids = '{}' AND k.fields @> ARRAY['age_band', 'sex']::shareable_field[]
         JOIN organisation o ON o.id = c.unit_id
         JOIN service s ON s.region_id = o.region_id AND s.categories @> ARRAY[n.category::varchar] AND s.status = 'active' AND s.capacity_status <> 'not_accepting'
         JOIN service_at_location sal ON sal.service_id = s.id
        WHERE c.unit_id = $1 AND c.status <> 'closed' AND c.anonymised_at IS NULL
        ORDER BY n.id LIMIT 200`,
      [unit.id],
    )
  ).rows.map((r) => ({ caseId: r.case_id as string, needId: r.need_id as string, salId: r.sal_id as string }));
  const place = (
    await db.query(
      `SELECT p.code AS province, o.region_id,
              (SELECT n.category FROM case_need n JOIN case_file c ON c.id = n.case_id WHERE c.unit_id = o.id AND n.status = 'open' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1) AS need
         FROM organisation o JOIN place p ON p.id = o.province_id WHERE o.id = $1`,
      [unit.id],
    )
  ).rows[0];
  const first = (await db.query(`SELECT to_char(min(created_at), 'YYYY-MM-DD') AS d FROM case_file`)).rows[0].d as string;
  // A million audit rows take a while to write: only when the export scenario runs.
  const auditRows = !only || only.includes('export-memory') ? await ensureAuditTrail(db) : 0;
  return {
    unitId: unit.id,
    unitCode: unit.code,
    unitCases: unit.n,
    userId: user.id,
    token,
    caseIds: cases,
    codePrefix: (sample.code as string).slice(0, -1),
    deepCursor: { at: deep.at, id: deep.id },
    deepPage: Math.floor(depthOffset / 50) + 1,
    provider: { orgId: top.org, regionId: top.region_id, userId: top.user_id, token: tokens.get(top.org)!, referrals: top.n, deepCursor: inboxDeep ? { at: inboxDeep.at, id: inboxDeep.id } : null, deepPage: Math.floor(inboxOffset / 50) + 1 },
    referralIds,
    acceptPool,
    createTargets,
    suggestion: { need: place.need ?? 'health_care', provinceCode: place.province },
    regionId: place.region_id,
    year: new Date().getUTCFullYear() - 1,
    analystToken: await login('analyst@datagen.tawjih.test'),
    coordinatorToken: await login(
      (await db.query(`SELECT u.email FROM app_user u JOIN organisation o ON o.id = u.organisation_id WHERE 'coordinator' = ANY(u.roles) AND o.region_id = $1 ORDER BY u.email LIMIT 1`, [place.region_id])).rows[0].email,
    ),
    supervisorToken: await login((await db.query(`SELECT email FROM app_user WHERE organisation_id = $1 AND 'supervisor' = ANY(roles) ORDER BY email LIMIT 1`, [unit.id])).rows[0].email),
    adminToken: await login('admin@datagen.tawjih.test'),
    auditRows,
    period: { from: first, to: new Date().toISOString().slice(0, 10) },
  };
}

function machine(): string[] {
  const cpus = os.cpus();
  return [
    `- Machine: ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
    `- Load average at the start: ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min) — the cores are shared with other work, figures are noisy`,
  ];
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const fmt = (m?: Measured) => (m ? `${m.rps.toFixed(0)} (p50 ${m.p50} ms, p99 ${m.p99} ms; ${m.cpuMs.toFixed(2)} ms CPU/req)` : '—');

/** A table row for a report (time against the hand-written SQL) or memory (peak against idle RSS) scenario. */
function special(r: Row): string {
  if (r.report) {
    const x = r.report.appMs / r.report.floorMs;
    const verdict = r.error ? `ERROR: ${r.error}` : x <= 1.5 ? 'met' : `missed by ${(x - 1.5).toFixed(2)}×`;
    // Beside the verdict: the same SQL served by the floor server (what any HTTP server adds to it) and
    // by the Nest floor (what the app's framework adds), and the app against the latter (its own work).
    const { floorMs: sql, httpMs: http, nestMs: nest } = r.report;
    const served = `${http.toFixed(1)} ms through the floor server (${(http / sql).toFixed(2)}× the SQL), ${nest.toFixed(1)} ms through the Nest floor (${(nest / sql).toFixed(2)}×; the app ${(r.report.appMs / nest).toFixed(2)}× that)`;
    return `| ${r.scenario.name} | ${r.report.floorMs.toFixed(1)} ms (hand-written SQL, median of ${r.report.rounds}) | ${r.report.appMs.toFixed(1)} ms (median of ${r.report.rounds}) | ${x.toFixed(2)}× | ≤ 1.5× | ${verdict} | ${served}; ${r.note ?? ''} |`;
  }
  const m = r.memory!;
  const extra = m.peakMb - m.idleMb;
  const verdict = r.error ? `ERROR: ${r.error}` : extra <= 100 ? 'met' : `missed by ${(extra - 100).toFixed(0)} MB`;
  return `| ${r.scenario.name} | idle ${m.idleMb.toFixed(0)} MB | peak ${m.peakMb.toFixed(0)} MB (${(m.bytes / 1e6).toFixed(1)} MB answer, ${m.ms} ms) | +${extra.toFixed(0)} MB | ≤ idle + 100 MB | ${verdict} | ${r.note ?? ''} |`;
}

function report(rows: Row[], notes: string[], pgVersion: string, startLoad: string[], wall: number): { md: string; failed: boolean } {
  const out: string[] = [
    '# Benchmark results',
    '',
    `- Date: ${new Date().toISOString()}`,
    ...startLoad,
    `- Load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')}`,
    `- PostgreSQL: ${pgVersion}`,
    `- Command: \`npm run bench -- ${process.argv.slice(2).join(' ')}\`; ${connections} connections, ${duration} s per side after a 2 s warm-up; pool ${POOL} for both servers; total ${Math.round(wall)} s`,
    '- Each cell: requests per second (latency percentiles; the server process\'s own CPU time per answered request, read from /proc — on a shared machine the CPU figure is the steadier one). The database\'s CPU is not in it.',
    '- Floor: node:http + pg running the same SQL statements (same transaction, same audit rows, same decryption) with no framework, authentication, authorisation or validation (bench/floor-server.ts).',
    "- Report scenarios: median wall time of one request at a time against the hand-written SQL run directly on a pool (the verdict); the note gives the same SQL served by the floor server (what any server adds to the SQL) and by the Nest floor (NestJS on Express serving only that SQL, bench/nest-floor.ts: what the app's framework adds), and the app's time against the latter (the app's own work).",
    '',
  ];
  let failed = false;
  for (const size of sizes) {
    out.push(`## ${size.toLocaleString('en')} persons`, '', '| scenario | floor req/s | app req/s | app/floor | target | verdict | note |', '|---|---|---|---|---|---|---|');
    for (const r of rows.filter((x) => x.size === size)) {
      if (r.error) failed = true;
      if (r.report || r.memory) {
        out.push(special(r));
        continue;
      }
      const ratio = r.app && r.floor ? r.app.rps / r.floor.rps : undefined;
      const target = r.scenario.kind === 'read' ? 0.5 : r.scenario.kind === 'write' ? 0.4 : undefined;
      const verdict = r.error ? `ERROR: ${r.error}` : ratio === undefined ? 'pending' : target === undefined ? '—' : ratio >= target ? 'met' : `missed by ${pct(target - ratio)} of floor`;
      out.push(`| ${r.scenario.name} | ${fmt(r.floor)} | ${fmt(r.app)} | ${ratio === undefined ? '—' : pct(ratio)} | ${target ? `≥ ${pct(target)}` : '—'} | ${verdict} | ${r.note ?? ''} |`);
    }
    const analyst = rows.find((x) => x.size === size && x.scenario.name === 'reports-catalogue')?.report;
    for (const r of rows.filter((x) => x.size === size && x.report && x.scenario.name.startsWith('reports-catalogue-'))) {
      if (!analyst) break;
      const x = r.report!.appMs / analyst.appMs;
      out.push('', `${r.scenario.name} against the analyst's catalogue: ${r.report!.appMs.toFixed(0)} ms vs ${analyst.appMs.toFixed(0)} ms, ${x.toFixed(2)}× (target ≤ 1.2×: ${x <= 1.2 ? 'met' : `missed by ${(x - 1.2).toFixed(2)}×`}).`);
    }
    const national = rows.find((x) => x.size === size && x.scenario.name === 'reports-national-sex-age')?.report;
    if (national) out.push('', `National ten-year table by sex × age band: ${national.appMs.toFixed(0)} ms (target ≤ 1000 ms: ${national.appMs <= 1000 ? 'met' : `missed by ${(national.appMs - 1000).toFixed(0)} ms`}).`);
    for (const [first, deep, what] of [
      ['case-list', 'case-list-deep', 'case list'],
      ['provider-inbox', 'provider-inbox-deep', 'provider inbox'],
    ] as const) {
      const p1 = rows.find((x) => x.size === size && x.scenario.name === first)?.app;
      const pd = rows.find((x) => x.size === size && x.scenario.name === deep)?.app;
      if (!p1 || !pd) continue;
      const ratio = p1.rps / pd.rps;
      out.push(
        '',
        `Pagination depth (${what}, page 1 vs deep page): ${ratio.toFixed(2)} in req/s, ${(pd.cpuMs / p1.cpuMs).toFixed(2)} in app CPU per request (target ≤ 1.3: ${ratio <= 1.3 ? 'met' : `missed by ${(ratio - 1.3).toFixed(2)}`}).`,
      );
    }
    out.push('');
  }
  if (sizes.length > 1) {
    const [small, large] = [sizes[0]!, sizes.at(-1)!];
    out.push(
      `## Growth ${small.toLocaleString('en')} → ${large.toLocaleString('en')} persons (app throughput ratio, target ≤ 2× for reads)`,
      '',
      '| scenario | app req/s small | app req/s large | growth | verdict | app CPU/req small → large |',
      '|---|---|---|---|---|---|',
    );
    for (const s of SCENARIOS) {
      const a = rows.find((x) => x.size === small && x.scenario === s)?.app;
      const b = rows.find((x) => x.size === large && x.scenario === s)?.app;
      if (!a || !b) continue;
      const g = a.rps / b.rps;
      const verdict = s.kind !== 'read' ? '—' : g <= 2 ? 'met' : `missed by ${(g - 2).toFixed(2)}×`;
      out.push(`| ${s.name} | ${a.rps.toFixed(0)} | ${b.rps.toFixed(0)} | ${g.toFixed(2)}× | ${verdict} | ${a.cpuMs.toFixed(2)} → ${b.cpuMs.toFixed(2)} ms |`);
    }
    out.push('');
  }
  out.push('## Notes', '', ...notes.map((n) => `- ${n}`), '');
  // Hand-written reading of the figures (why a target is missed, what was fixed), kept beside the bench.
  if (existsSync('bench/analysis.md')) out.push(readFileSync('bench/analysis.md', 'utf8'));
  return { md: out.join('\n'), failed };
}

const started = performance.now();
const startLoad = machine();
const { adminUrl, embedded } = await resolveServer();
const rows: Row[] = [];
const notes: string[] = [];
const profiles: string[] = [];
let fatal: unknown;
let pgVersion = '';
try {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  pgVersion = (await c.query('SHOW server_version')).rows[0].server_version;
  await c.end();
  for (const size of sizes) await benchSize(adminUrl, size, rows, notes);
} catch (e) {
  fatal = e;
  notes.push(`The run stopped: ${String((e as Error)?.message ?? e)}`);
} finally {
  await embedded?.stop();
}
const { md, failed } = report(rows, notes, pgVersion, startLoad, (performance.now() - started) / 1000);
writeFileSync(args.out!, md);
if (args.profile)
  writeFileSync(
    args['profile-out']!,
    [
      '# Where the app spends its CPU, per scenario',
      '',
      `Written by \`npm run bench -- --profile\` (${new Date().toISOString().slice(0, 10)}): after each scenario's measured run, one more run of the same length with the V8 CPU profiler on in the app (sampling every 250 µs; the profiler's own cost is not in bench/results.md). Self time by package or source folder, then by function; "busy" leaves out idle time (waiting for PostgreSQL or the network).`,
      '',
      ...startLoad,
      '',
      ...profiles,
    ].join('\n'),
  );
process.stdout.write(md);
if (fatal || failed) {
  log(`\nBENCH FAILED: ${fatal ? String((fatal as Error)?.stack ?? fatal) : 'a scenario errored (see the table)'}`);
  process.exit(1);
}
