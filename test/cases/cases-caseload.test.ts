import { CasesService } from '../../src/cases/cases.service.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { csrfOf, signIn } from '../web/web-support.js';
import { given } from './given.js';

let t: TestApp;
let mine: { id: string; code: string };
beforeAll(async () => {
  t = await createTestApp();
  const c = await given(t).caseFor(DEMO.counsellorOujda, { givenName: 'Mariama', familyName: 'Kaboré Touré', phone: '06 61 23 45 67', documentType: 'passport', documentNumber: 'B-7788-1234' });
  mine = c.case;
  await given(t).caseFor(DEMO.counsellorOujda, { givenName: 'Mariama', familyName: 'Sow', phone: '0662000000' });
});
afterAll(() => t.close());

const ids = (items: Array<{ id: string }>) => items.map((c) => c.id);

describe('finding a case', () => {
  it('by name words (any order, accents and case ignored), by phone however written, by document number: blind indexes, within scope', async () => {
    const api = await t.as(DEMO.counsellorOujda);
    const byName = await api.post('/api/v1/cases/search').send({ name: 'toure KABORÉ' }).expect(200);
    expect(ids(byName.body)).toEqual([mine.id]);
    expect(byName.body[0]).toMatchObject({ code: mine.code, name: 'Mariama Kaboré Touré' });
    const both = await api.post('/api/v1/cases/search').send({ name: 'mariama' }).expect(200);
    expect(ids(both.body)).toContain(mine.id);
    expect(both.body.length).toBeGreaterThanOrEqual(2);
    expect(ids((await api.post('/api/v1/cases/search').send({ phone: '+212 661 23 45 67' }).expect(200)).body)).toEqual([mine.id]);
    expect(ids((await api.post('/api/v1/cases/search').send({ documentNumber: 'b77881234' }).expect(200)).body)).toEqual([mine.id]);
    expect((await api.post('/api/v1/cases/search').send({ name: 'Kabor' }).expect(200)).body).toEqual([]);
    // Another unit finds nothing; a search without anything to look for is a 400 naming the field.
    expect((await (await t.as(DEMO.counsellorBerkane)).post('/api/v1/cases/search').send({ name: 'Mariama Kaboré' }).expect(200)).body).toEqual([]);
    const bad = await api.post('/api/v1/cases/search').send({}).expect(400);
    expect(bad.body.errors[0].field).toBe('name');
    // Audited, and never a name in a log line or URL: the search is a POST body.
    const audit = await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE entity = 'person' AND action = 'list'`);
    expect(audit.rows[0].n).toBeGreaterThan(0);
  });

  it('identities written before the name indexes are found by name once re-indexed (re-runnable)', async () => {
    const api = await t.as(DEMO.counsellorOujda);
    await t.db.query(`UPDATE person_identity SET name_bis = '{}' WHERE person_id = (SELECT person_id FROM case_file WHERE id = $1)`, [mine.id]);
    expect((await api.post('/api/v1/cases/search').send({ name: 'Kaboré' }).expect(200)).body).toEqual([]);
    const service = t.app.get(CasesService);
    expect(await service.reindexNames(2)).toBeGreaterThanOrEqual(1);
    expect(ids((await api.post('/api/v1/cases/search').send({ name: 'Kaboré' }).expect(200)).body)).toEqual([mine.id]);
    expect(await service.reindexNames()).toBe(0);
  });

  it('by any part of a case code, and the caseload page shows name, counsellor and next follow-up, sorted by next follow-up', async () => {
    const digits = mine.code.slice(-5);
    const api = await t.as(DEMO.counsellorOujda);
    expect(ids((await api.get(`/api/v1/cases?code=${digits}`).expect(200)).body.items)).toContain(mine.id);
    expect(ids((await api.get(`/api/v1/cases?code=${mine.code.slice(0, 8)}`).expect(200)).body.items)).toContain(mine.id);

    await api.post(`/api/v1/cases/${mine.id}/tasks`).send({ dueDate: '2026-01-02', description: 'Rappeler' }).expect(201);
    const web = await signIn(t, DEMO.counsellorOujda);
    const page = await web.get('/cases?mine=1').expect(200);
    const first = page.text.indexOf('class="plain caseload"');
    const firstCard = page.text.slice(first, page.text.indexOf('</li>', first));
    expect(firstCard).toContain('Mariama Kaboré Touré');
    expect(firstCard).toContain(mine.code);
    expect(firstCard).toContain('2 janvier 2026');
    expect(firstCard).toContain('Conseillère Oujda');

    const form = await web.get('/cases').expect(200);
    const found = await web.post('/cases/search').type('form').send({ _csrf: csrfOf(form.text), phone: '0661234567' }).expect(200);
    expect(found.text).toContain(mine.code);
    expect(found.text).not.toContain('Sow');
    const none = await web.post('/cases/search').type('form').send({ _csrf: csrfOf(form.text) }).expect(400);
    expect(none.text).toContain('aria-invalid="true"');
  });
});
