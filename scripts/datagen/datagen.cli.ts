// `npm run datagen -- --persons N [--database-url URL] [--years 10] [--seed 1] [--json]`
// Fills a database with a synthetic national dataset for benchmarks: migrates it, seeds the
// reference places, adds provinces, organisations and accounts across the twelve regions, then
// bulk-loads persons, their cases, referrals (with history) and the activities. Creates the database
// when it does not exist. Refuses a database that already holds generated data.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import pg from 'pg';
import { configFromEnv, createApp } from '../../src/bootstrap.js';
import { FieldCipher } from '../../src/common/crypto/field-cipher.js';
import { SeedService } from '../../src/seed/seed.service.js';
import { hashPassword } from '../../src/users/password.js';
import { BULK_TABLES, DATAGEN_MARK, generatePersons, generateReference, Rng } from './generate.js';

export const DATAGEN_PASSWORD_DEFAULT = 'Datagen-Tawjih-2026!';

const { values: args } = parseArgs({
  options: {
    persons: { type: 'string' },
    'database-url': { type: 'string' },
    years: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const persons = Number(args.persons);
if (!Number.isInteger(persons) || persons < 1) {
  process.stderr.write('usage: npm run datagen -- --persons N [--database-url postgres://…] [--years 10] [--seed 1]\n');
  process.exit(2);
}
const base = configFromEnv();
const url = args['database-url'] ?? base.database.url;
if (!url) {
  process.stderr.write('datagen needs a database: pass --database-url or set DATABASE_URL\n');
  process.exit(2);
}
const password = process.env.DATAGEN_PASSWORD ?? DATAGEN_PASSWORD_DEFAULT;
const log = (s: string) => process.stderr.write(`${s}\n`);
const timings: Record<string, number> = {};
const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const r = await fn();
  timings[name] = Math.round(performance.now() - t0) / 1000;
  log(`  ${name}: ${timings[name]} s`);
  return r;
};

const started = performance.now();
await phase('create database', () => createDatabaseIfMissing(url));
await phase('migrate and seed places', async () => {
  const app = await createApp({ ...base, database: { ...base.database, url, migrationsRun: true, statementTimeoutMs: 600_000 }, jobsEnabled: false, logLevel: 'warn' });
  await app.init();
  await app.get(SeedService).run({ demo: false });
  await app.close();
});

const db = new pg.Pool({ connectionString: url, max: BULK_TABLES.length + 2, application_name: 'tawjih-datagen' });
try {
  const existing = await db.query(`SELECT 1 FROM organisation WHERE name LIKE $1 LIMIT 1`, [`%${DATAGEN_MARK}`]);
  if (existing.rowCount) throw new Error('this database already holds generated data: use a fresh database');
  const rng = new Rng(Number(args.seed));
  const cipher = new FieldCipher(base.crypto.keys, base.crypto.activeKey, base.crypto.blindIndexKey);
  const passwordHash = await hashPassword(password);
  const units = await phase('organisations and accounts', () => generateReference(db, rng, passwordHash));

  // Keys, indexes and foreign keys are built once after the load rather than maintained row by row
  // (the foreign keys are validated when re-added, which also checks the generator's ids).
  const constraints = (
    await db.query(
      `SELECT conname AS name, conrelid::regclass::text AS tbl, contype AS type, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE contype IN ('p', 'f') AND (conrelid::regclass::text = ANY($1) OR (contype = 'f' AND confrelid::regclass::text = ANY($1)))`,
      [BULK_TABLES],
    )
  ).rows as Array<{ name: string; tbl: string; type: 'p' | 'f'; def: string }>;
  const indexes = (
    await db.query(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [BULK_TABLES],
    )
  ).rows as Array<{ indexname: string; indexdef: string }>;
  const fks = constraints.filter((c) => c.type === 'f');
  const pks = constraints.filter((c) => c.type === 'p');
  await phase('drop keys and indexes', async () => {
    for (const c of [...fks, ...pks]) await db.query(`ALTER TABLE ${c.tbl} DROP CONSTRAINT "${c.name}"`);
    for (const ix of indexes) await db.query(`DROP INDEX "${ix.indexname}"`);
  });

  const bar = new cliProgress.SingleBar({ format: '  persons [{bar}] {percentage}% | {value}/{total} | {duration_formatted} | eta {eta_formatted}' }, cliProgress.Presets.shades_classic);
  bar.start(persons, 0);
  const result = await phase('persons, cases, referrals, activities (COPY)', () =>
    generatePersons(db, units, rng, { persons, years: Number(args.years), seed: Number(args.seed), passwordHash, cipher, progress: (n) => bar.update(n) }),
  ).finally(() => bar.stop());

  // Two statements at a time: this machine has two cores.
  const inParallel = async (statements: string[]) => {
    const queue = [...statements];
    const worker = async () => {
      const c = await db.connect();
      try {
        await c.query(`SET maintenance_work_mem = '256MB'`);
        for (let sql = queue.shift(); sql; sql = queue.shift()) await c.query(sql);
      } finally {
        c.release();
      }
    };
    await Promise.all([worker(), worker()]);
  };
  await phase('rebuild keys and indexes', () =>
    inParallel([...pks.map((c) => `ALTER TABLE ${c.tbl} ADD CONSTRAINT "${c.name}" ${c.def}`), ...indexes.map((ix) => ix.indexdef)]),
  );
  await phase('re-add and validate foreign keys', () => inParallel(fks.map((c) => `ALTER TABLE ${c.tbl} ADD CONSTRAINT "${c.name}" ${c.def}`)));
  // The bulk tables were written frozen; the small ones get a vacuum, all get statistics.
  await phase('vacuum and analyze', () =>
    inParallel([...['organisation', 'app_user', 'place', 'case_code_counter'].map((x) => `VACUUM (ANALYZE) ${x}`), ...BULK_TABLES.map((x) => `ANALYZE ${x}`)]),
  );
  const total = Math.round(performance.now() - started) / 1000;
  const summary = { persons, seconds: total, timings, rows: result.rows, units: result.units.length, password: password === DATAGEN_PASSWORD_DEFAULT ? 'default' : 'DATAGEN_PASSWORD' };
  if (args.json) process.stdout.write(`${JSON.stringify({ ...summary, unitsDetail: result.units })}\n`);
  else {
    log(`Generated ${persons} persons in ${total} s:`);
    for (const [table, n] of Object.entries(result.rows)) log(`  ${table.padEnd(16)} ${n}`);
    log(`Accounts: <role><n>.<unit code>@datagen.tawjih.test (e.g. counsellor1.ouja@…), password from DATAGEN_PASSWORD or "${DATAGEN_PASSWORD_DEFAULT}".`);
  }
} finally {
  await db.end();
}

async function createDatabaseIfMissing(target: string): Promise<void> {
  const u = new URL(target);
  const name = decodeURIComponent(u.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name "${name}" must be a plain identifier`);
  u.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: u.toString() });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!found.rowCount) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}
