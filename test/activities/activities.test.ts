import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';

let t: TestApp;
const place = async (code: string) => (await t.db.query('SELECT id FROM place WHERE code = $1', [code])).rows[0].id as string;
let oujda: string; // commune in Oriental
let oriental: string;
let agadir: string; // province in Souss-Massa

const training = (placeId: string) => ({
  kind: 'training',
  topic: 'Identification et protection des enfants migrants',
  heldOn: '2026-09-15',
  placeId,
  participants: [
    { organisationType: 'public_service', sex: 'female', count: 12 },
    { organisationType: 'public_service', sex: 'male', count: 7 },
    { organisationType: 'civil_society', sex: 'female', count: 4 },
  ],
});

beforeAll(async () => {
  t = await createTestApp();
  [oujda, oriental, agadir] = await Promise.all([place('MA-OUJ-OUJ'), place('MA-02'), place('MA-AGD')]);
});
afterAll(() => t.close());

describe('activities', () => {
  it('lets a coordinator record an activity in their region, with its region and province derived', async () => {
    const coord = await t.as(DEMO.coordinator);
    const res = await coord.post('/api/v1/activities').send(training(oujda)).expect(201);
    expect(res.body).toMatchObject({
      kind: 'training',
      heldOn: '2026-09-15',
      placeId: oujda,
      regionId: oriental,
      provinceId: await place('MA-OUJ'),
      participantsTotal: 23,
    });
    expect(res.body.participants).toHaveLength(3);
    const rows = await t.db.query('SELECT sum(count)::int AS n FROM activity_participation WHERE activity_id = $1', [res.body.id]);
    expect(rows.rows[0].n).toBe(23);
    await coord.get(`/api/v1/activities/${res.body.id}`).expect(200);
  });

  it('refuses a coordinator an activity in another region, and hides other regions’ activities', async () => {
    const coord = await t.as(DEMO.coordinator);
    await coord.post('/api/v1/activities').send(training(agadir)).expect(403);
    expect((await t.db.query("SELECT count(*)::int AS n FROM activity WHERE place_id = $1", [agadir])).rows[0].n).toBe(0);

    const list = await coord.get('/api/v1/activities?limit=200').expect(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    for (const a of list.body.items) expect(a.regionId).toBe(oriental);

    const fair = (await t.db.query("SELECT id FROM activity WHERE kind = 'fair' AND is_demo LIMIT 1")).rows[0].id;
    await coord.get(`/api/v1/activities/${fair}`).expect(404);
    await coord.patch(`/api/v1/activities/${fair}`).send({ topic: 'renamed' }).expect(404);
    await coord.delete(`/api/v1/activities/${fair}`).expect(404);
  });

  it('lets an analyst read every region but write nothing; a counsellor has no access', async () => {
    const analyst = await t.as(DEMO.analyst);
    const list = await analyst.get('/api/v1/activities?limit=200').expect(200);
    const regions = new Set(list.body.items.map((a: { regionId: string }) => a.regionId));
    expect(regions.size).toBeGreaterThan(1);
    await analyst.post('/api/v1/activities').send(training(oujda)).expect(403);
    await (await t.as(DEMO.counsellorOujda)).get('/api/v1/activities').expect(403);
  });

  it('lets an admin record anywhere, filter by kind and period, and pages with a cursor', async () => {
    const admin = await t.as(DEMO.admin);
    await admin.post('/api/v1/activities').send({ ...training(agadir), kind: 'symposium' }).expect(201);
    const sym = await admin.get('/api/v1/activities?kind=symposium&from=2026-09-01&to=2026-09-30').expect(200);
    expect(sym.body.items).toHaveLength(1);
    expect(sym.body.items[0].participantsTotal).toBe(23);
    const first = await admin.get('/api/v1/activities?limit=2').expect(200);
    expect(first.body.items).toHaveLength(2);
    const next = await admin.get(`/api/v1/activities?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    const ids = [...first.body.items, ...next.body.items].map((a: { id: string }) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('replaces participants on update and keeps a coordinator from moving an activity out of the region', async () => {
    const coord = await t.as(DEMO.coordinator);
    const { body } = await coord.post('/api/v1/activities').send(training(oujda)).expect(201);
    const upd = await coord
      .patch(`/api/v1/activities/${body.id}`)
      .send({ participants: [{ organisationType: 'academia', sex: 'other', count: 5 }] })
      .expect(200);
    expect(upd.body.participants).toEqual([{ organisationType: 'academia', sex: 'other', count: 5 }]);
    expect(upd.body.participantsTotal).toBe(5);

    await coord.patch(`/api/v1/activities/${body.id}`).send({ placeId: agadir, topic: 'moved' }).expect(403);
    const still = await coord.get(`/api/v1/activities/${body.id}`).expect(200);
    expect(still.body).toMatchObject({ placeId: oujda, topic: body.topic, participantsTotal: 5 });

    await coord.delete(`/api/v1/activities/${body.id}`).expect(204);
    await coord.get(`/api/v1/activities/${body.id}`).expect(404);
    expect((await t.db.query('SELECT count(*)::int AS n FROM activity_participation WHERE activity_id = $1', [body.id])).rows[0].n).toBe(0);
  });

  it('answers bad input with 400 naming the field, and writes nothing', async () => {
    const coord = await t.as(DEMO.coordinator);
    const before = (await t.db.query('SELECT count(*)::int AS n FROM activity')).rows[0].n;
    const cases: [object, string][] = [
      [{ ...training(oujda), heldOn: '2026-02-30' }, 'heldOn'],
      [{ ...training(oujda), heldOn: '2999-01-01' }, 'heldOn'],
      [{ ...training(oujda), kind: 'party' }, 'kind'],
      [{ ...training(oujda), placeId: '00000000-0000-4000-8000-000000000000' }, 'placeId'],
      [{ ...training(oujda), placeId: await place('MA') }, 'placeId'],
      [{ ...training(oujda), participants: [{ organisationType: 'academia', sex: 'female', count: 0 }] }, 'participants.0.count'],
      [
        {
          ...training(oujda),
          participants: [
            { organisationType: 'academia', sex: 'female', count: 2 },
            { organisationType: 'academia', sex: 'female', count: 3 },
          ],
        },
        'participants.1',
      ],
      [{ ...training(oujda), name: 'A participant' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const res = await coord.post('/api/v1/activities').send(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    await coord.get('/api/v1/activities?from=2026-05-01&to=2026-04-01').expect(400);
    await coord.get('/api/v1/activities/not-a-uuid').expect(400);
    expect((await t.db.query('SELECT count(*)::int AS n FROM activity')).rows[0].n).toBe(before);
  });
});
