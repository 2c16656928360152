import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { browser, csrfOf, postForm, signIn } from './web-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const caseIdFrom = (location: string) => /^\/cases\/([0-9a-f-]{36})/.exec(location)![1]!;

describe('case pages (same services as /api/v1/cases)', () => {
  it('opens a case from the form, shows it, and records a consent, a need and a session on it', async () => {
    const agent = await signIn(t, DEMO.counsellorOujda);
    const bad = await postForm(agent, '/cases/new', '/cases', { 'person.givenName': '', 'person.sex': 'female' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Certains champs ne sont pas valides.');

    const created = await postForm(agent, '/cases/new', '/cases', {
      'person.givenName': 'Aminata',
      'person.familyName': 'Test',
      'person.sex': 'female',
      'person.ageBand': '25-59',
      'person.nationality': 'CM',
      'person.populationGroup': 'migrant',
      riskLevel: 'high',
      needs: ['mhpss', 'legal_aid'],
    });
    expect(created.status).toBe(303);
    const id = caseIdFrom(created.headers.location);
    const page = await agent.get(`/cases/${id}`).expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toMatch(/Dossier OUJ-\d{4}-\d{5}/);
    expect(page.text).toContain('Aminata Test');
    expect(page.text).toContain('Santé mentale et soutien psychosocial');
    expect(page.text).toContain('Cameroun');

    const consent = await postForm(agent, `/cases/${id}`, `/cases/${id}/consents`, { givenBy: 'person', method: 'verbal', categories: ['mhpss', 'legal_aid'], fields: ['age_band', 'sex', 'languages'] });
    expect(consent.status).toBe(303);
    const need = await postForm(agent, `/cases/${id}`, `/cases/${id}/needs`, { category: 'shelter' });
    expect(need.status).toBe(303);
    const session = await postForm(agent, `/cases/${id}`, `/cases/${id}/sessions`, { sessionDate: new Date().toISOString().slice(0, 10), kind: 'psychosocial', durationMinutes: '45', note: 'Première écoute' });
    expect(session.status).toBe(303);
    const after = await agent.get(`/cases/${id}`).expect(200);
    expect(after.text).toContain('Hébergement et logement sûr');
    expect(after.text).toContain('Première écoute');
    expect(after.text).not.toContain('Aucun consentement enregistré');
    // In Arabic, the consent's categories and fields are listed with the Arabic comma, never a Latin one.
    const arabic = await agent.get(`/cases/${id}?lang=ar`).expect(200);
    expect(arabic.text).toContain('الفئة العمرية، والجنس');
    // The header names the unit in Arabic where the directory holds its Arabic name.
    expect(arabic.text).toContain('خلية الإنصات وجدة');
    expect(arabic.text.match(/.{0,60}[\u0600-\u06FF], [\u0600-\u06FF].{0,60}/g) ?? []).toEqual([]);

    const list = await agent.get('/cases?riskLevel=high').expect(200);
    expect(list.text).toContain(`/cases/${id}`);
    // The caseload names the person for those who may read the case (issue 20), and says so in the audit trail.
    expect(list.text).toContain('Aminata Test');
    const personId = (await t.db.query(`SELECT person_id FROM case_file WHERE id = $1`, [id])).rows[0].person_id;
    expect((await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE entity = 'person' AND action = 'read' AND entity_id = $1`, [personId])).rows[0].n).toBeGreaterThan(0);

    // A replayed or tampered form with every person field empty is the form again with a 400, never a 500.
    const empty = await postForm(agent, '/cases/new', '/cases', { riskLevel: 'low' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Certains champs ne sont pas valides.');
  });

  it('answers another unit’s case with the not-found page', async () => {
    const { rows } = await t.db.query(`SELECT c.id FROM case_file c JOIN organisation o ON o.id = c.unit_id WHERE o.code = 'OUJ' LIMIT 1`);
    const berkane = await signIn(t, DEMO.counsellorBerkane);
    const res = await berkane.get(`/cases/${rows[0].id}`).expect(404);
    expect(res.text).toContain('الصفحة غير موجودة'); // this counsellor's account is in Arabic
  });

  it('keeps cases away from providers and coordinators (403 page) and visitors (sign-in)', async () => {
    await browser(t).get('/cases').expect(303);
    const provider = await signIn(t, DEMO.providerHealthOujda);
    await provider.get('/cases').expect(403);
  });

  it('lets the supervisor reassign a case and read its audit trail', async () => {
    const counsellor = await signIn(t, DEMO.counsellorOujda);
    const created = await postForm(counsellor, '/cases/new', '/cases', { 'person.givenName': 'Reassign', 'person.sex': 'male' });
    const id = caseIdFrom(created.headers.location);
    const supervisor = await signIn(t, DEMO.supervisorOujda);
    const page = await supervisor.get(`/cases/${id}`).expect(200);
    expect(page.text).toContain('Journal d’accès');
    const { rows } = await t.db.query(`SELECT id FROM app_user WHERE email = $1`, [DEMO.counsellor2Oujda]);
    const res = await supervisor.post(`/cases/${id}/assign`).type('form').send({ _csrf: csrfOf(page.text), counsellorId: rows[0].id });
    expect(res.status).toBe(303);
    const { rows: c } = await t.db.query(`SELECT assigned_counsellor_id FROM case_file WHERE id = $1`, [id]);
    expect(c[0].assigned_counsellor_id).toBe(rows[0].id);
    // a counsellor has no audit trail or reassignment on the page
    const own = await counsellor.get(`/cases/${id}`).expect(200);
    expect(own.text).not.toContain('Journal d’accès');
  });
});

describe('follow-ups due (GET /api/v1/tasks/due and the dashboard card)', () => {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  it('lists my open tasks, overdue and next days, by case code; Done from the dashboard closes one', async () => {
    const api = await t.as(DEMO.counsellorOujda);
    const kase = (
      await api
        .post('/api/v1/cases')
        .send({ person: { givenName: 'Fatou', familyName: 'Suivi', sex: 'female', ageBand: '25-59', nationality: 'SN', populationGroup: 'migrant' }, needs: ['legal_aid'] })
        .expect(201)
    ).body.case;
    const task = async (dueDate: string) => (await api.post(`/api/v1/cases/${kase.id}/tasks`).send({ dueDate, description: 'Rappeler Fatou' }).expect(201)).body.id as string;
    const overdue = await task(day(-3));
    const soon = await task(day(2));
    const later = await task(day(20));

    const due = (await api.get('/api/v1/tasks/due').expect(200)).body;
    const mine = due.items.filter((i: { caseId: string }) => i.caseId === kase.id);
    expect(mine.map((i: { id: string }) => i.id)).toEqual([overdue, soon]);
    expect(mine[0]).toMatchObject({ caseCode: kase.code, overdue: true, status: 'open' });
    expect(mine[1].overdue).toBe(false);
    const wider = (await api.get('/api/v1/tasks/due?days=30').expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(wider).toContain(later);
    await api.get('/api/v1/tasks/due?days=31').expect(400);
    // Someone else's tasks are not mine; providers have no cases.
    const other = (await (await t.as(DEMO.counsellor2Oujda)).get('/api/v1/tasks/due?days=30').expect(200)).body.items;
    expect(other.some((i: { caseId: string }) => i.caseId === kase.id)).toBe(false);
    await (await t.as(DEMO.providerHealthOujda)).get('/api/v1/tasks/due').expect(403);

    const agent = await signIn(t, DEMO.counsellorOujda);
    const dash = await agent.get('/dashboard').expect(200);
    expect(dash.text).toContain('Suivis à faire');
    expect(dash.text).toContain(`<a href="/cases/${kase.id}">${kase.code}</a>`);
    expect(dash.text).toContain('En retard');
    expect(dash.text).not.toContain('Fatou'); // no person name (nor the task text) on the card
    const done = await postForm(agent, '/dashboard', `/cases/${kase.id}/tasks/${overdue}/done`, {});
    expect(done.status).toBe(303);
    expect(done.headers.location).toMatch(/^\/dashboard\?notice=taskDone/);
    const after = (await api.get('/api/v1/tasks/due').expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(after).not.toContain(overdue);
    expect(after).toContain(soon);
    // Without its anti-forgery token the form post is refused.
    await agent.post(`/cases/${kase.id}/tasks/${soon}/done`).type('form').send({}).expect(403);
  });
});
