import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { given } from './given.js';
import { signIn } from '../web/web-support.js';

let t: TestApp;
let oujdaCase: string;
let oujda2Case: string;
beforeAll(async () => {
  t = await createTestApp();
  oujdaCase = (await given(t).caseFor(DEMO.counsellorOujda)).case.id;
  oujda2Case = (await given(t).caseFor(DEMO.counsellor2Oujda)).case.id;
  await given(t).incidentOn(DEMO.counsellorOujda, oujdaCase);
});
afterAll(() => t.close());

const caseRoutes = (id: string) => [
  `/api/v1/cases/${id}`,
  `/api/v1/cases/${id}/needs`,
  `/api/v1/cases/${id}/sessions`,
  `/api/v1/cases/${id}/tasks`,
  `/api/v1/cases/${id}/consents`,
  `/api/v1/cases/${id}/deliveries`,
  `/api/v1/cases/${id}/incidents`,
];

describe('case authorisation', () => {
  it('a Berkane counsellor gets 404 on every read and write of an Oujda case', async () => {
    const brk = await t.as(DEMO.counsellorBerkane);
    for (const url of caseRoutes(oujdaCase)) {
      const res = await brk.get(url);
      expect([url, res.status, res.body.code]).toEqual([url, 404, 'NOT_FOUND']);
    }
    await brk.patch(`/api/v1/cases/${oujdaCase}`).send({ riskLevel: 'high' }).expect(404);
    await brk.post(`/api/v1/cases/${oujdaCase}/sessions`).send({ sessionDate: '2026-01-05', kind: 'phone', note: 'x' }).expect(404);
    await brk.patch(`/api/v1/cases/${oujdaCase}/person`).send({ givenName: 'Other' }).expect(404);
    const list = await brk.get('/api/v1/cases?limit=200').expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(oujdaCase);
    expect(list.body.items.every((c: { code: string }) => c.code.startsWith('BRK-'))).toBe(true);
  });

  it('a counsellor not assigned to a case reads the case but not its incidents', async () => {
    const other = await t.as(DEMO.counsellor2Oujda);
    await other.get(`/api/v1/cases/${oujdaCase}`).expect(200);
    const res = await other.get(`/api/v1/cases/${oujdaCase}/incidents`).expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
    await other.post(`/api/v1/cases/${oujdaCase}/incidents`).send({ type: 'rape', placeType: 'street', timeElapsed: '0_3_days' }).expect(404);
    const mine = await (await t.as(DEMO.counsellorOujda)).get(`/api/v1/cases/${oujdaCase}/incidents`).expect(200);
    expect(mine.body).toHaveLength(1);
  });

  it('session notes are need-to-know: a counsellor not assigned sees the session, not its note; reassignment hands the note over; every read is audited', async () => {
    const fresh = (await given(t).caseFor(DEMO.counsellorOujda)).case.id;
    const mine = await t.as(DEMO.counsellorOujda);
    await mine.post(`/api/v1/cases/${fresh}/sessions`).send({ sessionDate: '2026-01-05', kind: 'phone', durationMinutes: 40, note: 'Récit confidentiel 7431' }).expect(201);
    const other = await t.as(DEMO.counsellor2Oujda);
    const otherId = await given(t).userId(DEMO.counsellor2Oujda);
    const seen = await other.get(`/api/v1/cases/${fresh}/sessions`).expect(200);
    expect(seen.body).toEqual([expect.objectContaining({ sessionDate: '2026-01-05', kind: 'phone', durationMinutes: 40, note: null, noteWithheld: true })]);
    expect(JSON.stringify(seen.body)).not.toContain('7431');
    const page = await (await signIn(t, DEMO.counsellor2Oujda)).get(`/cases/${fresh}`).expect(200);
    expect(page.text).toContain('الملاحظة مخصصة'); // an Arabic-speaking account
    expect(page.text).not.toContain('7431');
    const sessionId = seen.body[0].id as string;
    const otherReads = await t.db.query(`SELECT action FROM audit_event WHERE actor_id = $1 AND entity = 'note' AND entity_id IN ($2, $3)`, [otherId, sessionId, fresh]);
    expect(new Set(otherReads.rows.map((r) => r.action))).toEqual(new Set(['list']));

    const own = await mine.get(`/api/v1/cases/${fresh}/sessions`).expect(200);
    expect(own.body[0]).toMatchObject({ note: 'Récit confidentiel 7431', noteWithheld: false });
    const sup = await t.as(DEMO.supervisorOujda);
    expect((await sup.get(`/api/v1/cases/${fresh}/sessions`).expect(200)).body[0].note).toBe('Récit confidentiel 7431');

    await sup.post(`/api/v1/cases/${fresh}/assign`).send({ counsellorId: otherId }).expect(200);
    expect((await other.get(`/api/v1/cases/${fresh}/sessions`).expect(200)).body[0].note).toBe('Récit confidentiel 7431');
    expect((await mine.get(`/api/v1/cases/${fresh}/sessions`).expect(200)).body[0]).toMatchObject({ note: null, noteWithheld: true });
    const reads = await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE actor_id = $1 AND action = 'read' AND entity = 'note' AND entity_id = $2`, [otherId, sessionId]);
    expect(reads.rows[0].n).toBe(1);
  });

  it('the export is for supervisors only', async () => {
    await (await t.as(DEMO.counsellorOujda)).get(`/api/v1/cases/${oujdaCase}/person/export`).expect(403);
  });

  it.each([
    ['provider', DEMO.providerHealthOujda],
    ['provider (legal, Berkane)', DEMO.providerLegalBerkane],
    ['coordinator', DEMO.coordinator],
    ['analyst', DEMO.analyst],
    ['admin', DEMO.admin],
  ])('a %s can neither list nor read case content', async (_role, email) => {
    const who = await t.as(email);
    const list = await who.get('/api/v1/cases');
    expect(list.status).toBe(403);
    expect(list.body.items).toBeUndefined();
    for (const url of caseRoutes(oujdaCase)) {
      const res = await who.get(url);
      expect([url, res.status]).toEqual([url, 403]);
      expect(JSON.stringify(res.body)).not.toContain('Personne');
    }
    await who.post('/api/v1/cases').send({ person: { givenName: 'X', sex: 'male' } }).expect(403);
    await who.get(`/api/v1/cases/${oujdaCase}/person/export`).expect(403);
  });

  it('the supervisor reads every case of the unit, incidents included, and no other unit’s', async () => {
    const sup = await t.as(DEMO.supervisorOujda);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string; code: string }>; nextCursor: string | null } } = await sup
        .get(`/api/v1/cases?limit=5${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      ids.push(...page.body.items.map((c) => c.id));
      expect(page.body.items.every((c) => c.code.startsWith('OUJ-'))).toBe(true);
      cursor = page.body.nextCursor;
    } while (cursor);
    const inUnit = await t.db.query(`SELECT c.id FROM case_file c JOIN organisation o ON o.id = c.unit_id WHERE o.code = 'OUJ'`);
    expect(new Set(ids)).toEqual(new Set(inUnit.rows.map((r) => r.id)));
    expect(ids.length).toBeGreaterThanOrEqual(10);
    for (const id of [oujdaCase, oujda2Case]) await sup.get(`/api/v1/cases/${id}`).expect(200);
    const inc = await sup.get(`/api/v1/cases/${oujdaCase}/incidents`).expect(200);
    expect(inc.body).toHaveLength(1);
    const berkane = await t.db.query(`SELECT c.id FROM case_file c JOIN organisation o ON o.id = c.unit_id WHERE o.code = 'BRK' LIMIT 1`);
    await sup.get(`/api/v1/cases/${berkane.rows[0].id}`).expect(404);
  });

  it('only a supervisor reassigns', async () => {
    const c2 = await given(t).userId(DEMO.counsellor2Oujda);
    await (await t.as(DEMO.counsellorOujda)).post(`/api/v1/cases/${oujdaCase}/assign`).send({ counsellorId: c2 }).expect(403);
    const res = await (await t.as(DEMO.supervisorOujda)).post(`/api/v1/cases/${oujda2Case}/assign`).send({ counsellorId: await given(t).userId(DEMO.counsellorOujda) }).expect(200);
    expect(res.body.assignedCounsellorId).toBe(await given(t).userId(DEMO.counsellorOujda));
    const brkUser = await given(t).userId(DEMO.counsellorBerkane);
    const bad = await (await t.as(DEMO.supervisorOujda)).post(`/api/v1/cases/${oujda2Case}/assign`).send({ counsellorId: brkUser }).expect(400);
    expect(bad.body.errors[0].field).toBe('counsellorId');
  });
});
