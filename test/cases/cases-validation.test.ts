import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { NOTE_MAX_LENGTH } from '../../src/cases/cases.constants.js';
import { given } from './given.js';

let t: TestApp;
let caseId: string;
beforeAll(async () => {
  t = await createTestApp();
  caseId = (await given(t).caseFor(DEMO.counsellorOujda)).case.id;
});
afterAll(() => t.close());

const TABLES = ['person', 'person_identity', 'case_file', 'case_need', 'consent', 'case_session', 'incident', 'follow_up_task', 'delivery', 'case_code_counter'];
async function counts() {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
  out.counter = (await t.db.query(`SELECT coalesce(sum(last_number), 0)::int AS n FROM case_code_counter`)).rows[0].n;
  return out;
}

const person = (p: Record<string, unknown>) => ({ person: { givenName: 'Valid', sex: 'female', ...p } });

describe('bad input is a 400 naming the field, and nothing is written', () => {
  it.each([
    ['an impossible birth date', '/api/v1/cases', person({ birthDate: '2023-02-30' }), 'person.birthDate'],
    ['a birth date in the future', '/api/v1/cases', person({ birthDate: '2999-01-01' }), 'person.birthDate'],
    ['a birth date before 1900', '/api/v1/cases', person({ birthDate: '1850-01-01' }), 'person.birthDate'],
    ['a birth date that is not a date', '/api/v1/cases', person({ birthDate: 'yesterday' }), 'person.birthDate'],
    ['an age band contradicting the birth date', '/api/v1/cases', person({ birthDate: '1990-01-01', ageBand: '0-17' }), 'person.ageBand'],
    ['an unknown sex', '/api/v1/cases', person({ sex: 'robot' }), 'person.sex'],
    ['an unknown population group', '/api/v1/cases', person({ populationGroup: 'tourist' }), 'person.populationGroup'],
    ['an unknown need', '/api/v1/cases', { ...person({}), needs: ['teleportation'] }, 'needs'],
    ['an unknown risk level', '/api/v1/cases', { ...person({}), riskLevel: 'extreme' }, 'riskLevel'],
    ['a province that is a region', '/api/v1/cases', person({ provinceId: 'REGION' }), 'person.provinceId'],
    ['a commune of another province', '/api/v1/cases', person({ provinceId: 'MA-OUJ', communeId: 'MA-BER-AHF' }), 'person.communeId'],
    ['a commune that is a province', '/api/v1/cases', person({ communeId: 'MA-OUJ' }), 'person.communeId'],
    ['an unknown field', '/api/v1/cases', { ...person({}), religion: 'x' }, 'religion'],
    ['a missing given name', '/api/v1/cases', { person: { sex: 'male' } }, 'person.givenName'],
  ])('case creation with %s', async (_what, url, body, field) => {
    if (JSON.stringify(body).includes('REGION')) {
      const region = await t.db.query(`SELECT id FROM place WHERE code = 'MA-02'`);
      (body as { person: Record<string, unknown> }).person.provinceId = region.rows[0].id;
    }
    const p = (body as { person: Record<string, unknown> }).person;
    for (const k of ['provinceId', 'communeId'] as const) {
      if (typeof p[k] === 'string' && (p[k] as string).startsWith('MA-')) p[k] = (await t.db.query(`SELECT id FROM place WHERE code = $1`, [p[k]])).rows[0].id;
    }
    const before = await counts();
    const res = await (await t.as(DEMO.counsellorOujda)).post(url).send(body).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['a note over the size limit', 'sessions', { sessionDate: '2026-01-05', kind: 'psychosocial', note: 'x'.repeat(NOTE_MAX_LENGTH + 1) }, 'note'],
    ['an unknown session kind', 'sessions', { sessionDate: '2026-01-05', kind: 'seance', note: 'ok' }, 'kind'],
    ['an impossible session date', 'sessions', { sessionDate: '2026-13-01', kind: 'phone', note: 'ok' }, 'sessionDate'],
    ['a consent with an empty scope', 'consents', { givenBy: 'person', method: 'verbal', categories: [], organisationIds: [], fields: ['sex'] }, 'categories'],
    ['a consent with no scope at all', 'consents', { givenBy: 'person', method: 'verbal', fields: ['sex'] }, 'categories'],
    ['a consent sharing no field', 'consents', { givenBy: 'person', method: 'verbal', categories: ['mhpss'], fields: [] }, 'fields'],
    ['a consent sharing an unknown field', 'consents', { givenBy: 'person', method: 'verbal', categories: ['mhpss'], fields: ['religion'] }, 'fields'],
    ['a consent for a non-provider', 'consents', { givenBy: 'person', method: 'verbal', organisationIds: ['UNIT'], fields: ['sex'] }, 'organisationIds.0'],
    ['a consent given in the future', 'consents', { givenBy: 'person', method: 'verbal', categories: ['mhpss'], fields: ['sex'], givenAt: '2999-01-01T00:00:00Z' }, 'givenAt'],
    ['an unknown incident type', 'incidents', { type: 'theft', placeType: 'street', timeElapsed: 'over_1_month' }, 'type'],
    ['an incident without date or time elapsed', 'incidents', { type: 'rape', placeType: 'street' }, 'timeElapsed'],
    ['an unknown need category', 'needs', { category: 'magic' }, 'category'],
    ['an unknown delivery outcome', 'deliveries', { category: 'mhpss', deliveredOn: '2026-01-05', outcome: 'great' }, 'outcome'],
    ['a task without a description', 'tasks', { dueDate: '2026-05-01' }, 'description'],
  ])('%s', async (_what, sub, body, field) => {
    if ((body as { organisationIds?: string[] }).organisationIds?.[0] === 'UNIT') {
      (body as { organisationIds: string[] }).organisationIds = [await given(t).organisationId("Unité d'écoute Oujda")];
    }
    const before = await counts();
    const res = await (await t.as(DEMO.counsellorOujda)).post(`/api/v1/cases/${caseId}/${sub}`).send(body).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('a commune implies its province, and a new province without a commune leaves the old commune behind', async () => {
    const id = async (code: string) => (await t.db.query(`SELECT id FROM place WHERE code = $1`, [code])).rows[0].id as string;
    const as = await t.as(DEMO.counsellorOujda);
    const created = (await as.post('/api/v1/cases').send(person({ communeId: await id('MA-BER-SAI') })).expect(201)).body;
    expect((await as.get(`/api/v1/cases/${created.case.id}`).expect(200)).body.person).toMatchObject({ provinceId: await id('MA-BER'), communeId: await id('MA-BER-SAI') });
    const moved = (await as.patch(`/api/v1/cases/${created.case.id}/person`).send({ provinceId: await id('MA-OUJ') }).expect(200)).body;
    expect(moved).toMatchObject({ provinceId: await id('MA-OUJ'), communeId: null });
  });

  it('a unit without a code for case codes: 409 UNIT_HAS_NO_CODE, and neither the person nor a case number is kept', async () => {
    const unit = await given(t).organisationId("Unité d'écoute Oujda");
    const { code } = (await t.db.query(`SELECT code FROM organisation WHERE id = $1`, [unit])).rows[0];
    await t.db.query(`UPDATE organisation SET code = NULL WHERE id = $1`, [unit]);
    try {
      const before = await counts();
      const res = await (await t.as(DEMO.counsellorOujda)).post('/api/v1/cases').send({ ...person({ phone: '0612345678' }), needs: ['mhpss'] }).expect(409);
      expect(res.body.code).toBe('UNIT_HAS_NO_CODE');
      expect(await counts()).toEqual(before);
    } finally {
      await t.db.query(`UPDATE organisation SET code = $2 WHERE id = $1`, [unit, code]);
    }
  });

  it('another counsellor of the unit may be assigned; an account of another unit may not (400, nothing written)', async () => {
    const g = given(t);
    const as = await t.as(DEMO.supervisorOujda);
    const other = await g.userId(DEMO.counsellorOujda);
    const created = (await as.post('/api/v1/cases').send({ ...person({}), assignedCounsellorId: other }).expect(201)).body;
    expect(created.case.assignedCounsellorId).toBe(other);
    const before = await counts();
    const res = await as.post('/api/v1/cases').send({ ...person({}), assignedCounsellorId: await g.userId(DEMO.providerPssOujda) }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('assignedCounsellorId');
    expect(await counts()).toEqual(before);
  });

  it('a malformed id is a 400 naming it, an unknown one a 404', async () => {
    const as = await t.as(DEMO.counsellorOujda);
    const bad = await as.get('/api/v1/cases/not-a-uuid').expect(400);
    expect(bad.body.errors[0].field).toBe('id');
    await as.get('/api/v1/cases/00000000-0000-4000-8000-000000000000').expect(404);
  });
});
