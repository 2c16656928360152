import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  // A short statement timeout, so the timeout case below waits 2 s rather than 15.
  t = await createTestApp({ BODY_LIMIT: '64kb', DATABASE_STATEMENT_TIMEOUT_MS: '2000' });
});
afterAll(() => t.close());

const problem = (body: Record<string, unknown>) => expect(body).toMatchObject({ type: expect.any(String), title: expect.any(String), status: expect.any(Number), code: expect.any(String), correlationId: expect.any(String) });

describe('bad input is a clear 4xx problem, never a 500, and writes nothing', () => {
  it('unknown body fields → 400 naming each of them', async () => {
    const admin = await t.as(DEMO.admin);
    const before = (await t.db.query('SELECT count(*)::int AS n FROM organisation')).rows[0].n;
    const res = await admin.post('/api/v1/organisations').send({ name: 'Nouvelle', type: 'service_provider', colour: 'blue', isDemo: true }).expect(400);
    problem(res.body);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'colour', message: 'unknown field "colour"' },
        { field: 'isDemo', message: 'unknown field "isDemo"' },
      ]),
    );
    expect((await t.db.query('SELECT count(*)::int AS n FROM organisation')).rows[0].n).toBe(before);
  });

  it('unknown fields on sign-in too (validated before Passport)', async () => {
    const res = await t.http().post('/api/v1/auth/login').send({ email: DEMO.admin, password: 'x', role: 'admin' }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'role', message: 'unknown field "role"' }]);
    const missing = await t.http().post('/api/v1/auth/login').send({ email: 'not-an-email' }).expect(400);
    expect([...new Set(missing.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['email', 'password']);
  });

  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    const res = await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"email": "a@b.c", "password": ').expect(400);
    problem(res.body);
    expect(res.body.code).toBe('MALFORMED_JSON');
  });

  it('a non-UUID id → 400 naming the id, not a database error', async () => {
    const admin = await t.as(DEMO.admin);
    for (const url of ['/api/v1/users/42', '/api/v1/organisations/not-a-uuid', "/api/v1/places/1'%20OR%20'1'='1"]) {
      const res = await admin.get(url).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'id' }] });
    }
  });

  it('an oversized body → 413', async () => {
    const admin = await t.as(DEMO.admin);
    const res = await admin.post('/api/v1/organisations').send({ name: 'x'.repeat(100_000), type: 'service_provider' }).expect(413);
    problem(res.body);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('wrong types and unknown enum values → 400 with the field', async () => {
    const admin = await t.as(DEMO.admin);
    const res = await admin.post('/api/v1/users').send({ email: 'x@tawjih.test', displayName: 12, organisationId: 'nope', roles: ['superuser'] }).expect(400);
    expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['displayName', 'organisationId', 'roles']);
  });

  it('query parameters are validated too: limits, enums, cursors', async () => {
    const admin = await t.as(DEMO.admin);
    expect((await admin.get('/api/v1/users?limit=100000').expect(400)).body.errors[0].field).toBe('limit');
    expect((await admin.get('/api/v1/users?status=deleted').expect(400)).body.errors[0].field).toBe('status');
    expect((await admin.get('/api/v1/users?cursor=bm90LWEtY3Vyc29y').expect(400)).body.errors[0].field).toBe('cursor');
    expect((await admin.get('/api/v1/users?unknown=1').expect(400)).body.errors[0].field).toBe('unknown');
  });

  it('an unknown route → 404 problem', async () => {
    const res = await t.http().get('/api/v1/nothing-here').expect(404);
    problem(res.body);
  });

  it('a place with the wrong kind of parent → 400 naming parentId, nothing written', async () => {
    const admin = await t.as(DEMO.admin);
    const region = (await t.db.query(`SELECT id FROM place WHERE code = 'MA-02'`)).rows[0].id;
    const res = await admin.post('/api/v1/places').send({ code: 'MA-X-1', level: 'commune', nameFr: 'X', nameAr: 'س', parentId: region }).expect(400);
    expect(res.body.errors[0].field).toBe('parentId');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM place WHERE code = 'MA-X-1'`)).rows[0].n).toBe(0);
  });

  it('error bodies carry no stack trace or SQL', async () => {
    const admin = await t.as(DEMO.admin);
    const res = await admin.get('/api/v1/organisations?regionId=zzz').expect(400);
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|stack|at .*\.ts:\d+/);
  });

  it('a statement that outlasts the database timeout → 503 QUERY_TIMEOUT, not a 500', async () => {
    // Hold the delivery table so the report's statement waits until the pool's timeout cancels it.
    const holder = await t.db.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE delivery IN ACCESS EXCLUSIVE MODE');
      const res = await (await t.as(DEMO.analyst)).get('/api/v1/reports/indicators?from=2026-01-01&to=2026-12-31&indicators=PSS-1').expect(503);
      problem(res.body);
      expect(res.body.code).toBe('QUERY_TIMEOUT');
      expect(JSON.stringify(res.body)).not.toMatch(/SELECT|delivery|statement timeout/i);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  });
});
