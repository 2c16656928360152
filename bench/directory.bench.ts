// `npm run bench`: directory search and suggestions over 10,000 generated services.
// Uses BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL (a server URL; a scratch database is
// created and dropped), else an embedded PostgreSQL under bench/.work. Prints timings; asserts nothing.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import request from 'supertest';
import { parseConfig } from '../src/config/config.js';
import { createApp } from '../src/bootstrap.js';
import { startEmbeddedPostgres, type EmbeddedHandle } from '../src/database/embedded-postgres.js';
import { SeedService } from '../src/seed/seed.service.js';
import { DirectoryRepository } from '../src/directory/directory.repository.js';
import { CATEGORIES, POPULATIONS, SPOKEN_LANGUAGE_CODES } from '../src/directory/taxonomy.data.js';
import { DEMO_SERVICES } from '../src/directory/demo-directory.data.js';

const SERVICES = Number(process.env.BENCH_SERVICES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const ONLY = process.env.BENCH_ONLY; // run the scenarios whose label contains this
const PASSWORD = 'Bench-Password-2026!';
const out = (s: string) => process.stdout.write(s + '\n');

const key = (seed: string) => Buffer.from(seed.padEnd(32, '#').slice(0, 32)).toString('base64');

async function main() {
  let embedded: EmbeddedHandle | undefined;
  let adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres('bench/.work/pg', 'postgres');
    adminUrl = embedded.url;
  }
  const name = `tawjih_bench_${randomBytes(4).toString('hex')}`;
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
    LOG_FILE: 'bench/.work/bench.log',
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
  try {
    await app.get(SeedService).run({ demo: true });
    const db = new pg.Pool({ connectionString: url.toString(), max: 8 });
    let t0 = performance.now();
    await generate(db, SERVICES);
    out(`generated ${SERVICES} services in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    t0 = performance.now();
    const repo = app.get(DirectoryRepository);
    const ids: Array<{ id: string; categories: string[] }> = (await db.query(`SELECT id, categories FROM service WHERE search_document IS NULL`)).rows;
    for (let i = 0; i < ids.length; i += 16) {
      await Promise.all(ids.slice(i, i + 16).map((r) => repo.refreshSearch(r.id, labels(r.categories))));
    }
    await db.query('ANALYZE');
    out(`indexed them for search in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const total = (await db.query(`SELECT count(*)::int AS n FROM service`)).rows[0].n;

    const http = request(app.getHttpServer());
    const login = await http.post('/api/v1/auth/login').send({ email: 'counsellor.oujda@tawjih.test', password: PASSWORD });
    const auth = `Bearer ${login.body.accessToken}`;
    const scenarios: Array<[string, string, boolean]> = [
      ['list, anonymous, page 1', '/api/hsds/services?per_page=50', false],
      ['list, counsellor, page 20', '/api/hsds/services?per_page=50&page=20', true],
      ['full text fr "soutien psychosocial"', `/api/hsds/services?search=${encodeURIComponent('soutien psychosocial')}`, true],
      ['typo "psycosocial individuel"', `/api/hsds/services?search=${encodeURIComponent('psycosocial individuel')}`, true],
      ['Arabic "مُساعَدة قانونية"', `/api/hsds/services?search=${encodeURIComponent('مُساعَدة قانونية')}`, true],
      ['radius 30 km + category', '/api/hsds/services?lat=34.68&lon=-1.91&radius_km=30&category=health_care', true],
      ['open now + language + province', '/api/hsds/services?open_now=true&language=fr&province=MA-OUJ', true],
      ['minimal, 200 per page', '/api/hsds/services?minimal=true&per_page=200', true],
      ['suggestions need=legal_aid (province, language, population, point)', '/api/v1/directory/suggestions?need=legal_aid&province=MA-BER&language=ary&population=women&lat=34.92&lon=-2.32', true],
      ['suggestions need=mhpss (province only)', '/api/v1/directory/suggestions?need=mhpss&province=MA-OUJ', true],
    ];
    out(`\n${total} services; ${RUNS} runs per scenario (after 3 warm-up runs); times in ms over HTTP\n`);
    out(`${'scenario'.padEnd(66)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'max'.padStart(7)}  results`);
    for (const [label, path, signedIn] of scenarios.filter(([l]) => !ONLY || l.includes(ONLY))) {
      const call = () => (signedIn ? http.get(path).set('Authorization', auth) : http.get(path));
      for (let i = 0; i < 3; i++) await call();
      const times: number[] = [];
      let size = 0;
      for (let i = 0; i < RUNS; i++) {
        const s = performance.now();
        const res = await call();
        times.push(performance.now() - s);
        if (res.status !== 200) throw new Error(`${label}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
        size = res.body.total_items ?? res.body.items?.length ?? 0;
      }
      times.sort((a, b) => a - b);
      const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1).padStart(7);
      out(`${label.padEnd(66)} ${q(0.5)} ${q(0.95)} ${q(1)}  ${size}`);
    }
    await db.end();
  } finally {
    await app.close();
    if (process.env.BENCH_KEEP) out(`kept database ${name}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
  }
}

function labels(categories: string[]): string {
  return categories.flatMap((c) => Object.values(CATEGORIES.find((x) => x.code === c)?.labels ?? {})).join(' ');
}

/** Services spread over the demo organisations and four provinces, with names drawn from the demo texts. */
async function generate(db: pg.Pool, n: number): Promise<void> {
  const orgs = (await db.query(`SELECT id, province_id, region_id FROM organisation WHERE type = 'service_provider'`)).rows;
  const provinces = (await db.query(`SELECT id, code FROM place WHERE code IN ('MA-OUJ','MA-BER','MA-NAD','MA-TAI')`)).rows;
  const centre: Record<string, [number, number]> = { 'MA-OUJ': [34.68, -1.91], 'MA-BER': [34.92, -2.32], 'MA-NAD': [35.17, -2.93], 'MA-TAI': [34.41, -2.9] };
  const pick = <T>(a: readonly T[], i: number) => a[i % a.length];
  for (let start = 0; start < n; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(n, start + 1000); i++) {
      const d = pick(DEMO_SERVICES, i * 7);
      const org = pick(orgs, i * 13);
      const prov = pick(provinces, i * 3);
      const [lat, lon] = centre[prov.code];
      rows.push({
        org: org.id,
        prov: prov.id,
        region: org.region_id,
        fr: `${d.name.fr} ${i}`,
        ar: d.name.ar,
        en: d.name.en,
        cats: [pick(CATEGORIES, i).code, pick(CATEGORIES, i * 5 + 1).code],
        pops: [pick(POPULATIONS, i).code],
        tier: i % 10 === 0 ? 'restricted' : i % 5 === 0 ? 'partners' : 'public',
        cap: i % 9 === 0 ? 'not_accepting' : i % 4 === 0 ? 'waiting_list' : 'accepting',
        lat: lat + ((i * 37) % 200) / 1000 - 0.1,
        lon: lon + ((i * 53) % 200) / 1000 - 0.1,
        lang: pick(SPOKEN_LANGUAGE_CODES, i),
        day: pick(['MO', 'TU', 'WE', 'TH', 'FR', 'SA'], i),
      });
    }
    await db.query(
      `WITH input AS (SELECT * FROM json_to_recordset($1::json) AS x(org uuid, prov uuid, region uuid, fr text, ar text, en text, cats varchar[], pops varchar[], tier service_tier, cap capacity_status, lat float8, lon float8, lang text, day text)),
       svc AS (INSERT INTO service (organisation_id, province_id, region_id, name_fr, name_ar, name_en, categories, populations, tier, capacity_status, free_of_charge, no_documents_required)
               SELECT org, prov, region, fr, ar, en, cats, pops, tier, cap, random() < 0.7, random() < 0.5 FROM input RETURNING id, name_fr),
       joined AS (SELECT svc.id, input.* FROM svc JOIN input ON input.fr = svc.name_fr),
       loc AS (INSERT INTO location (organisation_id, address_id, name, city, province_id, latitude, longitude)
               SELECT org, gen_random_uuid(), fr, 'Ville', prov, lat, lon FROM joined RETURNING id, name),
       sal AS (INSERT INTO service_at_location (service_id, location_id) SELECT joined.id, loc.id FROM joined JOIN loc ON loc.name = joined.fr),
       lng AS (INSERT INTO service_language (service_id, code) SELECT id, lang FROM joined)
       INSERT INTO service_schedule (service_id, byday, opens_at, closes_at) SELECT id, ARRAY[day, 'MO']::varchar[], '08:30', '16:30' FROM joined`,
      [JSON.stringify(rows)],
    );
  }
}

await main();
