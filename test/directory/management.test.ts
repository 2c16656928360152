import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { demoServiceId } from '../../src/directory/directory.seeder.js';
import { DirectoryReadService } from '../../src/directory/directory-read.service.js';
import { DirectoryService } from '../../src/directory/directory.service.js';

let t: TestApp;
let orgs: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  const rows = await t.db.query(`SELECT id, name FROM organisation WHERE is_demo`);
  const find = (re: RegExp) => rows.rows.find((r) => re.test(r.name))!.id as string;
  orgs = { pssOujda: find(/^Centre psychosocial associatif, Oujda/), legalBerkane: find(/^Clinique juridique, Berkane/), unitOujda: find(/^Unité d'écoute Oujda/) };
});
afterAll(() => t.close());

const newService = (over: Record<string, unknown> = {}) => ({
  organisationId: orgs.pssOujda,
  nameFr: 'Atelier de gestion du stress',
  nameAr: 'ورشة تدبير الضغط النفسي',
  nameEn: 'Stress management workshop',
  categories: ['mhpss'],
  populations: ['migrants'],
  freeOfCharge: true,
  locations: [{ name: 'Salle polyvalente', address1: 'Rue 1', city: 'Oujda', postalCode: '60000', province: 'MA-OUJ', latitude: 34.68, longitude: -1.9 }],
  schedules: [{ byday: ['MO'], opensAt: '10:00', closesAt: '12:00' }],
  languages: [{ code: 'fr' }, { code: 'ar' }],
  ...over,
});

describe('directory management', () => {
  it('a coordinator creates a service in the region; last_modified and the author are stamped', async () => {
    const coordinator = await t.as(DEMO.coordinator);
    const res = await coordinator.post('/api/v1/directory/services').send(newService()).expect(201);
    expect(res.body).toMatchObject({ name: 'Atelier de gestion du stress', province: 'MA-OUJ', capacity_status: 'accepting' });
    const row = await t.db.query(`SELECT s.updated_by_id, s.last_modified, u.email FROM service s JOIN app_user u ON u.id = s.updated_by_id WHERE s.id = $1`, [res.body.id]);
    expect(row.rows[0].email).toBe(DEMO.coordinator);
    expect(Date.now() - new Date(row.rows[0].last_modified).getTime()).toBeLessThan(60_000);
    // and it is searchable straight away
    const found = await t.http().get(`/api/hsds/services?search=${encodeURIComponent('gestion stress')}`).expect(200);
    expect(found.body.contents.map((s: { id: string }) => s.id)).toContain(res.body.id);
  });

  it('keeps a location’s name, street and city in Arabic beside the French, each read in its language', async () => {
    const coordinator = await t.as(DEMO.coordinator);
    const location = { name: 'Salle Al Amal', nameAr: 'قاعة الأمل', address1: 'Rue de Berkane', address1Ar: 'زنقة بركان', city: 'Oujda', cityAr: 'وجدة', postalCode: '60000', province: 'MA-OUJ' };
    const created = await coordinator.post('/api/v1/directory/services').send(newService({ nameFr: 'Atelier arabe', locations: [location] })).expect(201);
    const fr = await t.http().get(`/api/hsds/services/${created.body.id}?lang=fr`).expect(200);
    expect(fr.body.service_at_locations[0].location).toMatchObject({ name: 'Salle Al Amal', addresses: [expect.objectContaining({ address_1: 'Rue de Berkane', city: 'Oujda' })] });
    const ar = await t.http().get(`/api/hsds/services/${created.body.id}?lang=ar`).expect(200);
    expect(ar.body.service_at_locations[0].location).toMatchObject({ name: 'قاعة الأمل', addresses: [expect.objectContaining({ address_1: 'زنقة بركان', city: 'وجدة' })] });
    // An update that leaves them out keeps them, as it keeps any field it leaves out.
    const locationId = fr.body.service_at_locations[0].location.id as string;
    await coordinator.patch(`/api/v1/directory/services/${created.body.id}`).send({ locations: [{ id: locationId, name: 'Salle Al Amal', address1: 'Rue de Berkane', city: 'Oujda' }] }).expect(200);
    const after = await t.db.query(`SELECT name_ar, address_1_ar, city_ar FROM location WHERE id = $1`, [locationId]);
    expect(after.rows[0]).toEqual({ name_ar: 'قاعة الأمل', address_1_ar: 'زنقة بركان', city_ar: 'وجدة' });
  });

  it('keeps a service’s name and description in Arabic beside the French: read in Arabic where held, in French otherwise', async () => {
    const coordinator = await t.as(DEMO.coordinator);
    const created = await coordinator
      .post('/api/v1/directory/services')
      .send(newService({ nameFr: 'Atelier de couture', nameAr: 'ورشة الخياطة', nameEn: undefined, descriptionFr: 'Deux après-midi par semaine.', descriptionAr: 'مساء يومين في الأسبوع.' }))
      .expect(201);
    const id = created.body.id as string;
    const ar = await t.http().get(`/api/hsds/services/${id}?lang=ar`).expect(200);
    expect(ar.body).toMatchObject({ name: 'ورشة الخياطة', description: 'مساء يومين في الأسبوع.' });
    const en = await t.http().get(`/api/hsds/services/${id}?lang=en`).expect(200); // no English held: the French
    expect(en.body).toMatchObject({ name: 'Atelier de couture', description: 'Deux après-midi par semaine.' });
    // Found by its Arabic name.
    const found = await t.http().get(`/api/hsds/services?search=${encodeURIComponent('ورشة الخياطة')}`).expect(200);
    expect(found.body.contents.map((s: { id: string }) => s.id)).toContain(id);
    // The list of services to manage names each in the caller's language (this coordinator reads French).
    const list = await coordinator.get('/api/v1/directory/services?limit=100').expect(200);
    expect(list.body.items.find((s: { id: string }) => s.id === id)).toMatchObject({ name: 'Atelier de couture' });
    await t.db.query(`UPDATE app_user SET language = 'ar' WHERE email = $1`, [DEMO.coordinator]);
    try {
      const arList = await (await t.as(DEMO.coordinator)).get('/api/v1/directory/services?limit=100').expect(200);
      expect(arList.body).toMatchObject({ language: 'ar' });
      expect(arList.body.items.find((s: { id: string }) => s.id === id)).toMatchObject({ name: 'ورشة الخياطة' });
    } finally {
      await t.db.query(`UPDATE app_user SET language = 'fr' WHERE email = $1`, [DEMO.coordinator]);
    }
    // Removed (null): Arabic readers get the French.
    await coordinator.patch(`/api/v1/directory/services/${id}`).send({ nameAr: null, descriptionAr: null }).expect(200);
    const after = await t.http().get(`/api/hsds/services/${id}?lang=ar`).expect(200);
    expect(after.body).toMatchObject({ name: 'Atelier de couture', description: 'Deux après-midi par semaine.' });
    expect(after.body.name_i18n).toEqual({ fr: 'Atelier de couture' });
  });

  it('counsellors and providers cannot create services', async () => {
    await (await t.as(DEMO.counsellorOujda)).post('/api/v1/directory/services').send(newService()).expect(403);
    await (await t.as(DEMO.providerPssOujda)).post('/api/v1/directory/services').send(newService()).expect(403);
  });

  it('rejects unknown taxonomy codes and a schedule that ends before it starts, naming the field', async () => {
    const coordinator = await t.as(DEMO.coordinator);
    const fields = async (body: object) => {
      const res = await coordinator.post('/api/v1/directory/services').send(body).expect(400);
      return res.body.errors.map((e: { field: string }) => e.field);
    };
    expect(await fields(newService({ categories: ['mhpss', 'astrology'] }))).toContain('categories');
    expect(await fields(newService({ populations: ['martians'] }))).toContain('populations');
    expect(await fields(newService({ schedules: [{ byday: ['MO'], opensAt: '14:00', closesAt: '09:00' }] }))).toContain('schedules.0.closesAt');
    expect(await fields(newService({ schedules: [{ byday: ['XX'], opensAt: '09:00', closesAt: '10:00' }] }))).toContain('schedules.0.byday');
    expect(await fields(newService({ locations: [{ latitude: 123, longitude: 'east' }] }))).toEqual(
      expect.arrayContaining(['locations.0.latitude', 'locations.0.longitude']),
    );
    expect(await fields(newService({ locations: [{ province: 'MA-ZZZ' }] }))).toContain('locations.0.province');
    expect(await fields(newService({ organisationId: orgs.unitOujda }))).toContain('organisationId');
    expect(await fields(newService({ languages: [{ code: 'klingon' }] }))).toContain('languages.0.code');
  });

  it('a provider updates its own service’s hours, capacity, languages and focal points', async () => {
    const id = demoServiceId('oujda-pss-groups');
    const provider = await t.as(DEMO.providerPssOujda);
    const res = await provider
      .patch(`/api/v1/directory/services/${id}`)
      .send({ capacityStatus: 'not_accepting', schedules: [{ byday: ['SA'], opensAt: '09:00', closesAt: '11:00' }], languages: [{ code: 'ar' }, { code: 'es' }] })
      .expect(200);
    expect(res.body).toMatchObject({ capacity_status: 'not_accepting', schedules: [{ byday: 'SA', opens_at: '09:00', closes_at: '11:00' }] });
    expect(res.body.languages.map((l: { code: string }) => l.code).sort()).toEqual(['ar', 'es']);
    const row = await t.db.query(`SELECT u.email FROM service s JOIN app_user u ON u.id = s.updated_by_id WHERE s.id = $1`, [id]);
    expect(row.rows[0].email).toBe(DEMO.providerPssOujda);
  });

  it('a provider may not change other fields of its own service (403)', async () => {
    const provider = await t.as(DEMO.providerPssOujda);
    const res = await provider.patch(`/api/v1/directory/services/${demoServiceId('oujda-pss-individual')}`).send({ nameFr: 'Renamed', tier: 'public' }).expect(403);
    expect(res.body.code).toBe('DIRECTORY_FIELDS_NOT_ALLOWED');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['nameFr', 'tier']);
  });

  it('a provider cannot edit another organisation’s service (404), even a public one', async () => {
    const provider = await t.as(DEMO.providerPssOujda);
    const other = demoServiceId('berkane-legal');
    await t.http().get(`/api/hsds/services/${other}`).expect(200); // it is public…
    await provider.patch(`/api/v1/directory/services/${other}`).send({ capacityStatus: 'not_accepting' }).expect(404); // …but not theirs
    const row = await t.db.query(`SELECT capacity_status FROM service WHERE id = $1`, [other]);
    expect(row.rows[0].capacity_status).toBe('accepting');
  });

  it('focal points must be users of the service’s organisation', async () => {
    const users = await t.db.query(`SELECT id, email FROM app_user WHERE email IN ($1, $2)`, [DEMO.providerPssOujda, DEMO.providerLegalBerkane]);
    const legalUser = users.rows.find((u) => u.email === DEMO.providerLegalBerkane).id;
    const pssUser = users.rows.find((u) => u.email === DEMO.providerPssOujda).id;
    const provider = await t.as(DEMO.providerPssOujda);
    const id = demoServiceId('oujda-pss-children');
    const bad = await provider.patch(`/api/v1/directory/services/${id}`).send({ focalPoints: [{ userId: legalUser, language: 'fr' }] }).expect(400);
    expect(bad.body.errors[0].field).toBe('focalPoints.0.userId');
    await provider
      .patch(`/api/v1/directory/services/${id}`)
      .send({ focalPoints: [{ userId: pssUser, language: 'ar' }, { email: 'duty@pss.example', language: 'en' }] })
      .expect(200);
    const target = await t.app.get(DirectoryReadService).getServiceForReferral(id);
    expect(target).toMatchObject({ serviceId: id, organisationId: orgs.pssOujda, capacityStatus: 'accepting' });
    expect(target!.focalPoints).toEqual(
      expect.arrayContaining([expect.objectContaining({ userId: pssUser, language: 'ar' }), expect.objectContaining({ email: 'duty@pss.example', language: 'en' })]),
    );
    expect(target!.serviceAtLocations).toHaveLength(1);
  });

  it('a coordinator maintains the directory profile of a provider organisation', async () => {
    const res = await (await t.as(DEMO.coordinator))
      .put(`/api/v1/directory/organisations/${orgs.legalBerkane}/profile`)
      .send({ descriptionFr: 'Clinique juridique universitaire.', website: 'https://clinique.example' })
      .expect(200);
    expect(res.body).toMatchObject({ description: 'Clinique juridique universitaire.', website: 'https://clinique.example' });
    await (await t.as(DEMO.providerPssOujda)).put(`/api/v1/directory/organisations/${orgs.legalBerkane}/profile`).send({ website: 'https://x.example' }).expect(403);
  });
});

describe('suggestions', () => {
  it('ranks services for a need and shows each part of the score', async () => {
    const res = await (await t.as(DEMO.counsellorBerkane))
      .get('/api/v1/directory/suggestions?need=legal_aid&province=MA-BER&language=ary&population=women&lat=34.92&lon=-2.32')
      .expect(200);
    const items = res.body.items as Array<{ serviceId: string; score: number; parts: Record<string, number>; categories: string[] }>;
    expect(items.length).toBeGreaterThan(3);
    for (const i of items) expect(i.categories).toContain('legal_aid');
    expect(items[0].serviceId).toBe(demoServiceId('berkane-legal'));
    expect(items[0].parts).toEqual({ category: 30, proximity: 25, language: 15, population: 10, access: 10, capacity: 10, responseTime: 0 });
    for (const i of items) expect(i.score).toBe(Object.values(i.parts).reduce((a, b) => a + b, 0));
    const scores = items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // A service that is not accepting ranks below its otherwise comparable peers.
    const asylum = items.find((i) => i.serviceId === demoServiceId('oujda-asylum'));
    if (asylum) expect(asylum.parts.capacity).toBe(-15);
  });

  it('uses the providers’ median response time once the referrals feature records it', async () => {
    const directory = t.app.get(DirectoryService);
    const id = demoServiceId('oujda-legal');
    await directory.recordResponseTime(id, 6, 12);
    const res = await (await t.as(DEMO.counsellorOujda)).get('/api/v1/directory/suggestions?need=legal_aid&province=MA-OUJ').expect(200);
    const item = res.body.items.find((i: { serviceId: string }) => i.serviceId === id);
    expect(item.parts.responseTime).toBe(9); // 10 × (1 − 6/72) rounded
  });

  it('respects visibility and validates the need', async () => {
    const res = await (await t.as(DEMO.providerLegalBerkane)).get('/api/v1/directory/suggestions?need=shelter').expect(200);
    expect(res.body.items.map((i: { serviceId: string }) => i.serviceId)).not.toContain(demoServiceId('oujda-shelter'));
    const unit = await (await t.as(DEMO.counsellorOujda)).get('/api/v1/directory/suggestions?need=shelter').expect(200);
    expect(unit.body.items.map((i: { serviceId: string }) => i.serviceId)).toContain(demoServiceId('oujda-shelter'));
    const bad = await (await t.as(DEMO.counsellorOujda)).get('/api/v1/directory/suggestions?need=astrology&lat=95').expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['need', 'lat']));
    await t.http().get('/api/v1/directory/suggestions?need=legal_aid').expect(401);
  });
});

describe('import and export (HSDS NDJSON)', () => {
  const ndjson = (records: object[]) => records.map((r) => JSON.stringify(r)).join('\n');

  it('exports the services a coordinator manages, and re-importing them is an idempotent upsert', async () => {
    const coordinator = await t.as(DEMO.coordinator);
    const exp = await coordinator.get('/api/v1/directory/export').expect(200);
    expect(exp.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = exp.text.trim().split('\n');
    const count = await t.db.query(`SELECT count(*)::int AS n FROM service`);
    expect(lines).toHaveLength(count.rows[0].n);
    const before = await t.db.query(`SELECT count(*)::int AS n FROM service_schedule`);
    const res = await coordinator.post('/api/v1/directory/import').set('Content-Type', 'application/x-ndjson').send(lines.slice(0, 10).join('\n')).expect(200);
    expect(res.body).toMatchObject({ created: 0, updated: 10 });
    const after = await t.db.query(`SELECT count(*)::int AS n FROM service_schedule`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const again = JSON.parse(lines[0]);
    const reread = await coordinator.get(`/api/hsds/services/${again.id}`).expect(200);
    expect(reread.body.name_i18n).toEqual(again.name_i18n);
    expect(reread.body.schedules).toEqual(again.schedules);
  });

  it('an import with bad records writes nothing and reports every error with its record and field', async () => {
    const coordinator = await t.as(DEMO.coordinator);
    const exp = await coordinator.get('/api/v1/directory/export').expect(200);
    const template = JSON.parse(exp.text.split('\n')[0]);
    // New services with new part ids (part ids are global in HSDS).
    const withoutIds = (list: Array<Record<string, unknown>>) => list.map(({ id: _id, ...rest }) => rest);
    const fresh = (n: number) => ({
      ...template,
      id: `11111111-1111-4111-8111-00000000000${n}`,
      service_at_locations: [],
      name_i18n: { fr: `Importé ${n}` },
      schedules: withoutIds(template.schedules),
      phones: withoutIds(template.phones),
      cost_options: withoutIds(template.cost_options),
      referral_focal_points: withoutIds(template.referral_focal_points),
      capacities: withoutIds(template.capacities),
    });
    const bad = {
      ...fresh(2),
      categories: ['astrology'],
      schedules: [{ id: '22222222-2222-4222-8222-222222222222', byday: 'MO', opens_at: '18:00', closes_at: '08:00' }],
    };
    const body = ndjson([fresh(1), bad, fresh(3)]) + '\n{not json';
    const before = await t.db.query(`SELECT count(*)::int AS n FROM service`);
    const res = await coordinator.post('/api/v1/directory/import').set('Content-Type', 'application/x-ndjson').send(body).expect(400);
    expect(res.body.code).toBe('DIRECTORY_IMPORT_INVALID');
    expect(res.body.report).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ record: 2, id: bad.id, field: 'categories' }),
        expect.objectContaining({ record: 2, id: bad.id, field: 'schedules[0].closes_at' }),
        expect.objectContaining({ record: 4, field: '(record)' }),
      ]),
    );
    // Re-using another service's schedule id is reported too.
    const stolen = await coordinator
      .post('/api/v1/directory/import')
      .set('Content-Type', 'application/x-ndjson')
      .send(ndjson([{ ...fresh(5), schedules: template.schedules }]))
      .expect(400);
    expect(stolen.body.report).toEqual([expect.objectContaining({ record: 1, field: 'schedules[0].id', message: 'this id belongs to another service' })]);
    expect(res.body.report.filter((e: { record: number }) => e.record === 1 || e.record === 3)).toEqual([]);
    const after = await t.db.query(`SELECT count(*)::int AS n FROM service`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
    // Fixed, the same file goes in.
    const ok = await coordinator.post('/api/v1/directory/import').set('Content-Type', 'application/x-ndjson').send(ndjson([fresh(1), fresh(3)])).expect(200);
    expect(ok.body).toMatchObject({ created: 2, updated: 0 });
  });

  it('only coordinators and admins import; providers export their own services', async () => {
    await (await t.as(DEMO.providerPssOujda)).post('/api/v1/directory/import').set('Content-Type', 'application/x-ndjson').send('{}').expect(403);
    const exp = await (await t.as(DEMO.providerPssOujda)).get('/api/v1/directory/export').expect(200);
    for (const line of exp.text.trim().split('\n')) expect(JSON.parse(line).organization_id).toBe(orgs.pssOujda);
    // This provider reads Arabic, yet the service, the organisation and the place keep the French an import stores
    // them as; the Arabic (and English) travel in the profile's `*_i18n` fields.
    const individual = exp.text.trim().split('\n').map((l) => JSON.parse(l)).find((s) => s.id === demoServiceId('oujda-pss-individual'));
    expect(individual.name).toBe('Soutien psychosocial individuel');
    expect(individual.name_i18n).toEqual({ fr: 'Soutien psychosocial individuel', ar: 'الدعم النفسي والاجتماعي الفردي', en: 'Individual psychosocial support' });
    expect(individual.description).toBe('Écoute, soutien psychosocial et orientation vers un psychiatre si nécessaire.');
    expect(individual.description_i18n.ar).toBe('الإنصات والدعم النفسي والاجتماعي والتوجيه نحو طبيب نفسي عند الحاجة.');
    expect(individual.organization.name).toBe('Centre psychosocial associatif, Oujda (démo)');
    expect(individual.service_at_locations[0].location).toMatchObject({ name: 'Centre psychosocial', addresses: [expect.objectContaining({ address_1: 'Rue de Marrakech', city: 'Oujda' })] });
  });
});
