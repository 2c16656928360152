import type { NestExpressApplication } from '@nestjs/platform-express';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../../src/bootstrap.js';
import { parseConfig } from '../../src/config/config.js';
import { SeedService } from '../../src/seed/seed.service.js';
import { replicaScope } from '../../src/database/read-replica.js';
import { TransactionHost } from '../../src/database/transaction.js';
import { startPrimary, startReplica, pgBinariesAvailable, PG_BIN, until, type Cluster } from '../../scripts/pg-cluster.js';
import { DEMO, DEMO_PASSWORD } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';

// A real streaming replica, started once for this file: a private primary (wal_level=replica) and a
// hot standby made by pg_basebackup -R. Pausing the standby's replay makes its lag visible: what a
// route reads tells where it read it.
const available = pgBinariesAvailable();
if (!available) console.warn(`replica tests skipped: no PostgreSQL server binaries with pg_basebackup in ${PG_BIN} (set PG_BIN)`);
const maybe = available ? describe : describe.skip;

let primary: Awaited<ReturnType<typeof startPrimary>>;
let replica: Cluster & { pauseReplay(): Promise<void>; resumeReplay(): Promise<void> };
let app: NestExpressApplication;
let db: pg.Pool;

const http = () => request(app.getHttpServer());
const tokenOf = async (email: string) => (await http().post('/api/v1/auth/login').send({ email, password: DEMO_PASSWORD }).expect(200)).body.accessToken as string;

maybe('DATABASE_REPLICA_URL: lag-tolerant reads on a streaming replica, writes and read-your-writes on the primary', () => {
  let serviceId: string;
  let regionId: string;
  let coordinator: string;
  let counsellor: string;

  beforeAll(async () => {
    primary = await startPrimary();
    replica = await startReplica(primary);
    const admin = new pg.Client({ connectionString: primary.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE tawjih');
    await admin.end();
    await until(async () => {
      const c = new pg.Client({ connectionString: replica.url('tawjih') });
      await c.connect();
      await c.end();
      return true;
    }, 30_000, 'the database on the replica');
    const config = parseConfig(
      testEnv(primary.url('tawjih'), {
        DATABASE_REPLICA_URL: replica.url('tawjih'),
        MIGRATIONS_RUN: 'true',
        SUPPRESSION_THRESHOLD: '1',
        LOG_FILE: 'test/artifacts/logs/replica.test.ts.log',
      }),
    );
    app = await createApp(config);
    await app.get(SeedService).run({ demo: true });
    db = new pg.Pool({ connectionString: primary.url('tawjih'), max: 2 });
    serviceId = (await db.query(`SELECT id FROM service WHERE tier = 'public' AND status = 'active' ORDER BY created_at LIMIT 1`)).rows[0].id;
    regionId = (await db.query(`SELECT id FROM place WHERE level = 'region' AND code = 'MA-02'`)).rows[0].id;
    coordinator = await tokenOf(DEMO.coordinator);
    counsellor = await tokenOf(DEMO.counsellorOujda);
    // Everything written so far has reached the replica.
    await until(async () => (await http().get(`/api/hsds/services/${serviceId}`)).status === 200, 30_000, 'replication of the seed');
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    await db?.end();
    primary?.remove();
  }, 60_000);

  const hsdsName = async () => (await http().get(`/api/hsds/services/${serviceId}`).expect(200)).body.name as string;
  const report = () => http().get(`/api/v1/reports/indicators?from=2026-01-01&to=2026-12-31&region=${regionId}&by=region`).set('Authorization', `Bearer ${coordinator}`).expect(200);

  it('while the replica lags: HSDS, the HSDS export, the public directory and reports read the replica (and say how far behind), the API that edits reads the primary', async () => {
    const before = await hsdsName();
    const regionBefore = (await db.query(`SELECT name_fr FROM place WHERE id = $1`, [regionId])).rows[0].name_fr;
    const serviceBefore = (await db.query(`SELECT name_fr FROM service WHERE id = $1`, [serviceId])).rows[0].name_fr;
    expect(JSON.stringify((await report()).body.labels)).toContain(regionBefore);
    await replica.pauseReplay();
    try {
      await db.query(`UPDATE service SET name_fr = 'Service renommé pendant le retard', name_en = 'Renamed during the lag' WHERE id = $1`, [serviceId]);
      await db.query(`UPDATE place SET name_fr = 'L’Oriental (renommée)' WHERE id = $1`, [regionId]);
      // A case opened now: its own page reads the primary (read-your-writes).
      const created = await http()
        .post('/api/v1/cases')
        .set('Authorization', `Bearer ${counsellor}`)
        .send({ person: { givenName: 'Réplique', familyName: 'Test', sex: 'female', birthDate: '1990-01-01' }, needs: ['mhpss'] })
        .expect(201);
      await http().get(`/api/v1/cases/${created.body.case.id}`).set('Authorization', `Bearer ${counsellor}`).expect(200);
      await new Promise((r) => setTimeout(r, 1500));

      // Lag-tolerant routes: the replica's (old) data, and the lag stated.
      const hsds = await http().get(`/api/hsds/services/${serviceId}`).expect(200);
      expect(hsds.body.name).toBe(before);
      expect(Number(hsds.headers['x-data-lag-seconds'])).toBeGreaterThanOrEqual(1);
      const exported = await http().get('/api/v1/directory/export').set('Authorization', `Bearer ${coordinator}`).expect(200);
      expect(exported.text).not.toContain('Renamed during the lag');
      const page = await http().get(`/services/${serviceId}`).expect(200);
      expect(page.text).not.toContain('Service renommé pendant le retard');
      const r = await report();
      expect(JSON.stringify(r.body.labels)).toContain(regionBefore);
      expect(JSON.stringify(r.body.labels)).not.toContain('L’Oriental (renommée)');
      expect(r.body.dataLagSeconds).toBeGreaterThanOrEqual(1);

      // Prepared reads where `reader` reads (the suggestions' statements): the replica inside a lag-tolerant route, else the primary.
      const tx = app.get(TransactionHost);
      const nameOf = () => tx.readerPrepared<{ name_fr: string }>('test.service_name', `SELECT name_fr FROM service WHERE id = $1`, [serviceId]);
      expect((await replicaScope.run({ lagSeconds: 1 }, nameOf))[0]!.name_fr).toBe(serviceBefore);
      expect((await nameOf())[0]!.name_fr).toBe('Service renommé pendant le retard');

      // The API a coordinator edits the directory with reads the primary.
      const own = await http().get(`/api/v1/directory/services/${serviceId}`).set('Authorization', `Bearer ${coordinator}`).expect(200);
      expect(JSON.stringify(own.body)).toContain('Service renommé pendant le retard');
    } finally {
      await replica.resumeReplay();
    }
    await until(async () => (await hsdsName()) !== before, 30_000, 'the replica to catch up');
    // Right after the catch-up the replica may still be replaying WAL written since (the audit rows
    // of these requests): while it is, the lag is the age of the last commit it replayed — one made
    // during the pause — so it reads 0 once the replica has replayed all it received.
    let caughtUp = await report();
    await until(async () => (caughtUp = await report()).body.dataLagSeconds === 0, 30_000, 'the report to state no lag');
    expect(JSON.stringify(caughtUp.body.labels)).toContain('L’Oriental (renommée)');
    expect(caughtUp.body.dataLagSeconds).toBe(0);
  });

  it('writes never reach the replica: the replica is read-only and every write route still works', async () => {
    const c = new pg.Client({ connectionString: replica.url('tawjih') });
    await c.connect();
    await expect(c.query(`UPDATE service SET name_fr = 'x' WHERE id = $1`, [serviceId])).rejects.toThrow(/read-only/);
    await c.end();
    await http().patch('/api/v1/me').set('Authorization', `Bearer ${counsellor}`).send({ language: 'ar' }).expect(200);
  });
});
