import { parse } from 'csv-parse/sync';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { CasesRepository } from '../../src/cases/cases.repository.js';
import { TransactionHost } from '../../src/database/transaction.js';
import { given } from './given.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('audit trail', () => {
  it('writes a row for every read of a case, person, note and incident, with actor, route and IP', async () => {
    const { case: c } = await given(t).caseFor(DEMO.counsellorOujda);
    const me = await given(t).userId(DEMO.counsellorOujda);
    const as = await t.as(DEMO.counsellorOujda);
    await as.post(`/api/v1/cases/${c.id}/sessions`).send({ sessionDate: '2026-01-10', kind: 'psychosocial', note: 'première séance' }).expect(201);
    const inc = await given(t).incidentOn(DEMO.counsellorOujda, c.id);

    await as.get(`/api/v1/cases/${c.id}`).expect(200);
    await as.get(`/api/v1/cases/${c.id}/sessions`).expect(200);
    await as.get(`/api/v1/cases/${c.id}/incidents`).expect(200);
    const rows = await t.db.query(`SELECT * FROM audit_event WHERE actor_id = $1 AND action = 'read' ORDER BY created_at`, [me]);
    const seen = rows.rows.map((r) => `${r.entity}:${r.entity_id}`);
    expect(seen).toEqual(expect.arrayContaining([`case:${c.id}`, `person:${c.personId}`, `incident:${inc.id}`]));
    expect(rows.rows.filter((r) => r.entity === 'note')).toHaveLength(1);
    const caseRead = rows.rows.find((r) => r.entity === 'case')!;
    expect(caseRead.route).toBe(`GET /api/v1/cases/${c.id}`);
    expect(caseRead.ip).toMatch(/127\.0\.0\.1|::1/);
    expect(caseRead.organisation_id).toBe(await given(t).organisationId("Unité d'écoute Oujda"));
    expect(caseRead.correlation_id).toBeTruthy();
    const writes = await t.db.query(`SELECT entity FROM audit_event WHERE actor_id = $1 AND action = 'create'`, [me]);
    expect(writes.rows.map((r) => r.entity)).toEqual(expect.arrayContaining(['case', 'person', 'note', 'incident']));
  });

  it('writes a row for every task, consent and delivery read, in the case lists and in my tasks due', async () => {
    const { case: c } = await given(t).caseFor(DEMO.counsellorOujda);
    const me = await given(t).userId(DEMO.counsellorOujda);
    const as = await t.as(DEMO.counsellorOujda);
    const today = new Date().toISOString().slice(0, 10);
    const task = await as.post(`/api/v1/cases/${c.id}/tasks`).send({ description: 'rappeler demain', dueDate: today }).expect(201);
    const consent = await as.post(`/api/v1/cases/${c.id}/consents`).send({ givenBy: 'person', method: 'verbal', categories: ['mhpss'], fields: ['age_band'] }).expect(201);
    const delivery = await as.post(`/api/v1/cases/${c.id}/deliveries`).send({ category: 'mhpss', deliveredOn: today, outcome: 'service_provided' }).expect(201);
    const reads = async () =>
      (await t.db.query(`SELECT entity || ':' || entity_id AS e FROM audit_event WHERE actor_id = $1 AND action = 'read'`, [me])).rows.map((r) => r.e as string);
    const before = await reads();

    await as.get(`/api/v1/cases/${c.id}/tasks`).expect(200);
    await as.get(`/api/v1/cases/${c.id}/consents`).expect(200);
    await as.get(`/api/v1/cases/${c.id}/deliveries`).expect(200);
    const due = await as.get('/api/v1/tasks/due').expect(200);
    expect(due.body.items.map((i: { id: string }) => i.id)).toContain(task.body.id);

    const after = await reads();
    const count = (e: string) => after.filter((x) => x === e).length - before.filter((x) => x === e).length;
    expect(count(`task:${task.body.id}`)).toBe(2);
    expect(count(`consent:${consent.body.id}`)).toBe(1);
    expect(count(`delivery:${delivery.body.id}`)).toBe(1);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on audit rows, even to a superuser', async () => {
    const before = (await t.db.query('SELECT count(*)::int AS n FROM audit_event')).rows[0].n;
    expect(before).toBeGreaterThan(0);
    await expect(t.db.query(`UPDATE audit_event SET action = 'read'`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
    expect((await t.db.query('SELECT count(*)::int AS n FROM audit_event')).rows[0].n).toBe(before);
    const grants = await t.db.query(
      `SELECT has_table_privilege('public', 'audit_event', 'UPDATE') AS u, has_table_privilege('public', 'audit_event', 'DELETE') AS d`,
    );
    expect(grants.rows[0]).toEqual({ u: false, d: false });
  });

  it('GET /audit: the supervisor sees the unit’s trail only, the admin everything, a counsellor nothing', async () => {
    const oujda = await given(t).organisationId("Unité d'écoute Oujda");
    await given(t).caseFor(DEMO.counsellorBerkane);
    const sup = await (await t.as(DEMO.supervisorOujda)).get('/api/v1/audit?limit=200').expect(200);
    expect(sup.body.items.length).toBeGreaterThan(0);
    expect(sup.body.items.every((e: { organisationId: string }) => e.organisationId === oujda)).toBe(true);
    const admin = await (await t.as(DEMO.admin)).get('/api/v1/audit?limit=200').expect(200);
    expect(new Set(admin.body.items.map((e: { organisationId: string }) => e.organisationId)).size).toBeGreaterThan(1);
    await (await t.as(DEMO.counsellorOujda)).get('/api/v1/audit').expect(403);
    await (await t.as(DEMO.providerHealthOujda)).get('/api/v1/audit').expect(403);
  });

  it('GET /audit/export streams the trail in scope as CSV, audits the export, and holds no name, phone or case code', async () => {
    const oujda = await given(t).organisationId("Unité d'écoute Oujda");
    const made = await given(t).caseFor(DEMO.counsellorOujda, { givenName: 'Khadija', familyName: 'Benali', phone: '+212611223344' });
    await (await t.as(DEMO.counsellorOujda)).get(`/api/v1/cases/${made.case.id}`).expect(200);
    await given(t).caseFor(DEMO.counsellorBerkane);
    const sup = await given(t).userId(DEMO.supervisorOujda);

    const res = await (await t.as(DEMO.supervisorOujda)).get('/api/v1/audit/export').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="tawjih-audit-start-now.csv"');
    const rows: Array<Record<string, string>> = parse(res.text, { columns: true });
    const inDb = await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE organisation_id = $1`, [oujda]);
    expect(rows).toHaveLength(inDb.rows[0].n);
    expect(rows.every((r) => r.organisation_id === oujda)).toBe(true);
    expect(rows.some((r) => r.entity === 'case' && r.entity_id === made.case.id && r.action === 'read')).toBe(true);
    expect(rows.at(-1)).toMatchObject({ actor_id: sup, action: 'export', entity: 'audit' });
    expect(rows.map((r) => r.at)).toEqual([...rows.map((r) => r.at)].sort());
    for (const s of ['Khadija', 'Benali', '611223344', made.case.code]) expect(res.text).not.toContain(s);

    const admin = await t.as(DEMO.admin);
    const since = rows.at(-1)!.at;
    const later = await admin.get(`/api/v1/audit/export?from=${since}&action=export`).expect(200);
    const laterRows: Array<Record<string, string>> = parse(later.text, { columns: true });
    expect(laterRows.map((r) => r.entity)).toEqual(['audit', 'audit']);

    await (await t.as(DEMO.counsellorOujda)).get('/api/v1/audit/export').expect(403);
    const bad = await admin.get('/api/v1/audit/export?from=yesterday').expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('case codes', () => {
  it('50 concurrent creations in one unit get 50 distinct, consecutive codes', async () => {
    const as = await t.as(DEMO.counsellorBerkane);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => as.post('/api/v1/cases').send({ person: { givenName: `Concurrent ${i}`, sex: 'male' } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    const codes = results.map((r) => r.body.case.code as string);
    const year = new Date().getUTCFullYear();
    expect(codes.every((c) => new RegExp(`^BRK-${year}-\\d{5}$`).test(c))).toBe(true);
    const numbers = codes.map((c) => Number(c.slice(-5))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(50);
    expect(numbers.at(-1)! - numbers[0]!).toBe(49);
    const counter = await t.db.query(`SELECT last_number FROM case_code_counter k JOIN organisation o ON o.id = k.unit_id WHERE o.code = 'BRK' AND k.year = $1`, [year]);
    expect(counter.rows[0].last_number).toBe(numbers.at(-1));
  });

  it('a rolled-back creation gives its number back (no gaps)', async () => {
    const repo = t.app.get(CasesRepository);
    const tx = t.app.get(TransactionHost);
    const unit = await given(t).organisationId("Unité d'écoute Berkane");
    const year = 2099;
    const first = await tx.run(() => repo.nextNumber(unit, year));
    await expect(
      tx.run(async () => {
        await repo.nextNumber(unit, year);
        throw new Error('abandoned');
      }),
    ).rejects.toThrow('abandoned');
    const next = await tx.run(() => repo.nextNumber(unit, year));
    expect(next).toBe(first + 1);
  });
});
