import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { postForm, signIn } from './web-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const placeId = async (code: string) => (await t.db.query(`SELECT id FROM place WHERE code = $1`, [code])).rows[0].id as string;

describe('activities page (same DTO and service as /api/v1/activities)', () => {
  it('lets the coordinator record an activity in the region, with field errors shown next to the fields', async () => {
    const agent = await signIn(t, DEMO.coordinator);
    const page = await agent.get('/activities').expect(200);
    expect(page.text).toContain('Enregistrer une activité');
    expect(page.text).toContain('Oujda');
    expect(page.text).not.toContain('Tanger'); // only the region's places to pick

    const bad = await postForm(agent, '/activities', '/activities', { kind: 'training', topic: 'ab', heldOn: '2099-01-01', placeId: await placeId('MA-OUJ-OUJ'), 'p.government.female': '-2' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="a-topic-err"');
    expect(bad.text).toMatch(/id="c-government-female"[^>]*aria-invalid="true"/);
    expect(bad.text).toContain('Vérifiez ce champ.');
    expect(bad.text).toContain('value="ab"'); // what was typed is kept

    const ok = await postForm(agent, '/activities', '/activities', {
      kind: 'workshop',
      topic: 'Atelier référencement Oujda (test)',
      heldOn: '2026-03-02',
      placeId: await placeId('MA-OUJ-OUJ'),
      'p.government.female': '3',
      'p.civil_society.male': '2',
      'p.academia.other': '',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/activities?notice=activityRecorded');
    const list = await agent.get('/activities?notice=activityRecorded').expect(200);
    expect(list.text).toContain('Atelier référencement Oujda (test)');
    expect(list.text).toContain('Activité enregistrée.');
    const api = (await (await t.as(DEMO.coordinator)).get('/api/v1/activities?limit=200').expect(200)).body.items;
    const mine = api.find((a: { topic: string }) => a.topic === 'Atelier référencement Oujda (test)');
    expect(mine).toMatchObject({ kind: 'workshop', participantsTotal: 5 });
    expect(mine.participants).toEqual(expect.arrayContaining([{ organisationType: 'government', sex: 'female', count: 3 }]));
  });

  it('refuses a place outside the coordinator’s region', async () => {
    const agent = await signIn(t, DEMO.coordinator);
    const res = await postForm(agent, '/activities', '/activities', { kind: 'fair', topic: 'Foire hors région', heldOn: '2026-03-01', placeId: await placeId('MA-TNG-TNG') });
    expect(res.status).toBe(403);
  });

  it('shows the list without the form to analysts, and nothing to counsellors', async () => {
    const analyst = await signIn(t, DEMO.analyst);
    const page = await analyst.get('/activities').expect(200);
    expect(page.text).not.toContain('action="/activities"');
    const counsellor = await signIn(t, DEMO.counsellorOujda);
    await counsellor.get('/activities').expect(403);
  });
});
