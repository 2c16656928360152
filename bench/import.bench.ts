// `npm run bench:import`: a 50,000-row case register (XLSX, as a unit keeps it) uploaded, checked
// and imported through the API, in one process: time of the dry run and of the import, and the
// process's peak RSS (VmHWM, reset after start-up) against its idle RSS. Targets: import under a
// minute, peak ≤ idle + 150 MB. Uses BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL (a
// server URL: a scratch database is created and dropped), else an embedded PostgreSQL under bench/.work.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import pg from 'pg';
import request from 'supertest';
import { parseConfig } from '../src/config/config.js';
import { createApp } from '../src/bootstrap.js';
import { startEmbeddedPostgres, type EmbeddedHandle } from '../src/database/embedded-postgres.js';
import { CaseImportService } from '../src/imports/case-import.service.js';
import { SeedService } from '../src/seed/seed.service.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000);
const PASSWORD = 'Bench-Password-2026!';
const TARGET_SECONDS = 60;
const TARGET_EXTRA_MB = 150;
const out = (s: string) => process.stdout.write(s + '\n');
const key = (seed: string) => Buffer.from(seed.padEnd(32, '#').slice(0, 32)).toString('base64');
const rssMb = (field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;

/** A register with a banner, French headers, a date cell, Arabic rows, sessions, livelihood outcomes. */
async function register(file: string, rows: number): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet('Registre');
  ws.addRow(["Registre des bénéficiaires – Unité d'écoute Oujda"]).commit();
  ws.addRow([]).commit();
  ws.addRow(['N°', 'Prénom', 'Nom', 'Sexe', 'Date de naissance', 'Nationalité', 'Téléphone', "Date d'ouverture", 'Besoins', 'Dates des séances PSS', 'Résultat insertion', 'Date insertion']).commit();
  const nationalities = ['Guinéenne', 'Camerounais', 'Malien', 'Ivoirienne', 'Sénégalais', 'Marocaine', 'سوري', 'Nigeria'];
  const needs = ['PSS', 'PSS; Juridique', 'Santé', 'Hébergement; PSS', 'Emploi'];
  for (let i = 1; i <= rows; i++) {
    const y = 2016 + (i % 9);
    const m = 1 + (i % 12);
    const d = 1 + (i % 27);
    const opened = `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
    const sessions = i % 3 === 0 ? '' : `${String(d + 1).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}; ${String(d + 1).padStart(2, '0')}/${String(Math.min(12, m + 1)).padStart(2, '0')}/${y}`;
    const row = ws.addRow([
      i,
      i % 5 === 0 ? `فاطمة${i}` : `Prénom${i}`,
      `Nom${i}`,
      i % 2 ? 'F' : 'M',
      new Date(Date.UTC(1960 + (i % 45), i % 12, 1 + (i % 28))),
      nationalities[i % nationalities.length],
      `06${String(10_000_000 + i)}`,
      opened,
      needs[i % needs.length],
      sessions,
      i % 10 === 0 ? 'Orientation professionnelle' : '',
      i % 10 === 0 ? opened : '',
    ]);
    row.getCell(5).numFmt = 'dd/mm/yyyy';
    row.commit();
  }
  await wb.commit();
}

async function main() {
  let embedded: EmbeddedHandle | undefined;
  let adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres('bench/.work/pg', 'postgres');
    adminUrl = embedded.url;
  }
  mkdirSync('bench/.work', { recursive: true });
  const file = 'bench/.work/register-50k.xlsx';
  let t0 = performance.now();
  await register(file, ROWS);
  const sheet = readFileSync(file);
  out(`register: ${ROWS} rows, ${(sheet.length / 1e6).toFixed(1)} MB XLSX, written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const name = `tawjih_bench_import_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url.toString(),
    MIGRATIONS_RUN: 'true',
    JOBS_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    LOG_FILE: 'bench/.work/bench-import.log',
    DATA_DIR: 'bench/.work',
    DEMO_PASSWORD: PASSWORD,
    JWT_SECRET: 'bench-jwt-secret-that-is-long-enough-0123456789',
    ENCRYPTION_KEYS: `b1:${key('bench-key-1')}`,
    BLIND_INDEX_KEY: 'bench-blind-index-key-long-enough-0123456789',
    LOGIN_RATE_PER_MINUTE: '1000',
    PUBLIC_URL: 'http://bench.test',
  });
  const app = await createApp(config);
  await app.init();
  let ok = false;
  try {
    await app.get(SeedService).run({ demo: true });
    const http = () => request(app.getHttpServer());
    const token = (await http().post('/api/v1/auth/login').send({ email: 'supervisor.oujda@tawjih.test', password: PASSWORD })).body.accessToken as string;
    (globalThis as { gc?: () => void }).gc?.();
    writeFileSync('/proc/self/clear_refs', '5'); // VmHWM := current RSS
    const idle = rssMb('VmRSS');
    // BENCH_TRACE_MEMORY=1: the process's memory every second (where a peak comes from: live heap, garbage, buffers).
    const trace = process.env.BENCH_TRACE_MEMORY
      ? setInterval(() => {
          if (process.env.BENCH_TRACE_MEMORY === 'gc') (globalThis as { gc?: () => void }).gc?.(); // live memory only
          const m = process.memoryUsage();
          const mb = (v: number) => (v / 1048576).toFixed(0);
          out(`  memory: rss ${mb(m.rss)} heapUsed ${mb(m.heapUsed)} heapTotal ${mb(m.heapTotal)} external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)} MB`);
        }, 1000)
      : undefined;

    t0 = performance.now();
    const checked = await http().post('/api/v1/imports/cases').set('Authorization', `Bearer ${token}`).attach('file', sheet, 'registre.xlsx');
    if (checked.status !== 201) throw new Error(`dry run: ${checked.status} ${JSON.stringify(checked.body).slice(0, 300)}`);
    const dryRun = (performance.now() - t0) / 1000;
    out(`dry run: ${dryRun.toFixed(1)} s — ${JSON.stringify(checked.body.summary)}`);

    t0 = performance.now();
    const started = await http().post(`/api/v1/imports/cases/${checked.body.id}/run`).set('Authorization', `Bearer ${token}`);
    if (started.status !== 202) throw new Error(`run: ${started.status}`);
    await app.get(CaseImportService).settled(checked.body.id);
    const importing = (performance.now() - t0) / 1000;
    const done = (await http().get(`/api/v1/imports/cases/${checked.body.id}`).set('Authorization', `Bearer ${token}`)).body;
    const peak = rssMb('VmHWM');
    out(`import: ${importing.toFixed(1)} s — status ${done.status}, ${JSON.stringify(done.imported)}`);
    out(`memory: idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, +${(peak - idle).toFixed(0)} MB (target ≤ +${TARGET_EXTRA_MB} MB)`);
    out(`upload to imported: ${(dryRun + importing).toFixed(1)} s (target: import < ${TARGET_SECONDS} s)`);
    ok = done.status === 'done' && done.imported.cases === checked.body.summary.toImport && importing < TARGET_SECONDS && peak - idle <= TARGET_EXTRA_MB;
    out(ok ? 'PASS' : 'FAIL');
    clearInterval(trace);
  } finally {
    await app.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
  }
  process.exit(ok ? 0 : 1);
}

void main();
