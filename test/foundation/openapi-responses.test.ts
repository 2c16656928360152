import { generate } from 'otplib';
import { OutboxWorker } from '../../src/notifications/outbox.worker.js';
import { CaseImportService } from '../../src/imports/case-import.service.js';
import { given } from '../referrals/given.js';
import { registerXlsx } from '../imports/sheets.js';
import { binary } from '../reporting/support.js';
import { TestSmtp } from '../support/smtp.js';
import { createTestApp, DEMO, DEMO_PASSWORD, type TestApp } from '../support/test-app.js';

/**
 * Every operation of the served OpenAPI document, called for real: each answer is validated by the
 * test app's contract check (support/contract.ts: status, content type and body against the
 * operation's declared schema), and at the end every operation must have answered a success that
 * validated. The same check holds every other test file's calls to the document too.
 */
const smtp = new TestSmtp();
let t: TestApp;
beforeAll(async () => {
  await smtp.start();
  t = await createTestApp({ SMTP_URL: smtp.url, DHIS2_MAPPING_FILE: 'config/dhis2-mapping.example.json' });
}, 180_000);
afterAll(async () => {
  await t.close();
  await smtp.stop();
}, 180_000);

const one = async (sql: string, params: unknown[] = []) => (await t.db.query(sql, params)).rows[0];

describe('every operation of the served document answers what it declares', () => {
  it('health, places, organisations', async () => {
    await t.http().get('/health').expect(200);
    const admin = await t.as(DEMO.admin);
    const places = (await admin.get('/api/v1/places?level=region').expect(200)).body;
    const region = places.items?.[0]?.id ?? places[0].id;
    await admin.get(`/api/v1/places/${region}`).expect(200);
    const commune = (await admin.post('/api/v1/places').send({ code: 'MA-CONTRACT-1', level: 'province', nameFr: 'Contrat', nameAr: 'عقد', parentId: region }).expect(201)).body;
    await admin.patch(`/api/v1/places/${commune.id}`).send({ nameFr: 'Contrat 2' }).expect(200);

    await admin.get('/api/v1/organisations').expect(200);
    const org = (await admin.post('/api/v1/organisations').send({ name: 'Association du contrat', nameAr: 'جمعية العقد', type: 'service_provider', placeId: region }).expect(201)).body;
    await admin.get(`/api/v1/organisations/${org.id}`).expect(200);
    await admin.patch(`/api/v1/organisations/${org.id}`).send({ name: 'Association du contrat (2)', nameAr: 'جمعية العقد (2)' }).expect(200);
    await admin.patch(`/api/v1/organisations/${org.id}`).send({ nameAr: null }).expect(200);
  });

  it('users, me, auth', async () => {
    const admin = await t.as(DEMO.admin);
    await admin.get('/api/v1/me').expect(200);
    await admin.patch('/api/v1/me').send({ language: 'fr' }).expect(200);
    await admin.get('/api/v1/users').expect(200);
    const unit = (await one(`SELECT id FROM organisation WHERE code = 'OUJ'`)).id;
    const email = 'contract.counsellor@tawjih.test';
    const created = (await admin.post('/api/v1/users').send({ email, displayName: 'Contrat', organisationId: unit, roles: ['counsellor'] }).expect(201)).body;
    await admin.get(`/api/v1/users/${created.id}`).expect(200);
    await admin.patch(`/api/v1/users/${created.id}`).send({ displayName: 'Contrat 2' }).expect(200);
    await t.app.get(OutboxWorker).drain();
    const token = decodeURIComponent(/token=([^\s]+)/.exec(smtp.to(email).at(-1)!.text)![1]!);
    await t.http().post('/api/v1/auth/set-password').send({ token, password: 'Une-Phrase-De-Passe-2026' }).expect(204);

    const login = (await t.http().post('/api/v1/auth/login').send({ email, password: 'Une-Phrase-De-Passe-2026' }).expect(200)).body;
    const bearer = `Bearer ${login.accessToken}`;
    const refreshed = (await t.http().post('/api/v1/auth/refresh').send({ refreshToken: login.refreshToken }).expect(200)).body;
    await t.http().post('/api/v1/auth/password').set('Authorization', bearer).send({ currentPassword: 'Une-Phrase-De-Passe-2026', newPassword: 'Une-Autre-Phrase-2026' }).expect(204);
    const again = (await t.http().post('/api/v1/auth/login').send({ email, password: 'Une-Autre-Phrase-2026' }).expect(200)).body;
    const setup = (await t.http().post('/api/v1/auth/mfa/setup').set('Authorization', `Bearer ${again.accessToken}`).expect(200)).body;
    await t.http().post('/api/v1/auth/mfa/enable').set('Authorization', `Bearer ${again.accessToken}`).send({ otp: await generate({ secret: setup.secret }) }).expect(200);
    await t.http().post('/api/v1/auth/logout').send({ refreshToken: refreshed.refreshToken }).expect(204);

    await admin.post(`/api/v1/users/${created.id}/reset-mfa`).expect(200);
    await admin.post(`/api/v1/users/${created.id}/invite`).expect(200);
    await admin.post(`/api/v1/users/${created.id}/disable`).expect(200);
    await admin.post(`/api/v1/users/${created.id}/enable`).expect(200);
  });

  it('outbox and audit', async () => {
    const admin = await t.as(DEMO.admin);
    const message = await one(`SELECT id FROM outbox_message ORDER BY created_at LIMIT 1`);
    await t.db.query(`UPDATE outbox_message SET status = 'failed' WHERE id = $1`, [message.id]);
    await admin.get('/api/v1/outbox').expect(200);
    await admin.post(`/api/v1/outbox/${message.id}/retry`).expect(200);
    await t.db.query(`UPDATE outbox_message SET status = 'failed' WHERE id = $1`, [message.id]);
    await admin.post('/api/v1/outbox/retry-failed').expect(200);
    await admin.get('/api/v1/audit?limit=5').expect(200);
    await admin.get('/api/v1/audit/export?from=2026-01-01T00:00:00Z').expect(200);
  });

  it('cases and their records', async () => {
    const g = given(t);
    const c = await g.caseIn(DEMO.counsellorOujda, ['mhpss']);
    const me = await t.as(DEMO.counsellorOujda);
    const sup = await t.as(DEMO.supervisorOujda);
    await me.get('/api/v1/cases').expect(200);
    await me.post('/api/v1/cases/duplicates').send({ phone: '+212600112233' }).expect(200);
    await me.post('/api/v1/cases/search').send({ phone: '+212600112233' }).expect(200);
    await me.get(`/api/v1/cases/${c.id}`).expect(200);
    await me.patch(`/api/v1/cases/${c.id}`).send({ riskLevel: 'high' }).expect(200);
    await me.patch(`/api/v1/cases/${c.id}/person`).send({ phone: '+212600112244' }).expect(200);
    await sup.get(`/api/v1/cases/${c.id}/person/export`).expect(200);
    await sup.post(`/api/v1/cases/${c.id}/assign`).send({ counsellorId: await g.userId(DEMO.counsellorOujda) }).expect(200);

    await me.get(`/api/v1/cases/${c.id}/needs`).expect(200);
    const need = (await me.post(`/api/v1/cases/${c.id}/needs`).send({ category: 'legal_aid' }).expect(201)).body;
    await me.patch(`/api/v1/cases/${c.id}/needs/${need.id}`).send({ status: 'met' }).expect(200);
    await me.post(`/api/v1/cases/${c.id}/sessions`).send({ sessionDate: '2026-01-05', kind: 'phone', durationMinutes: 40, note: 'Séance' }).expect(201);
    await me.get(`/api/v1/cases/${c.id}/sessions`).expect(200);
    const task = (await me.post(`/api/v1/cases/${c.id}/tasks`).send({ dueDate: '2026-03-01', description: 'Rappeler' }).expect(201)).body;
    await me.get(`/api/v1/cases/${c.id}/tasks`).expect(200);
    await me.get('/api/v1/tasks/due?days=30').expect(200);
    await me.patch(`/api/v1/cases/${c.id}/tasks/${task.id}`).send({ status: 'done' }).expect(200);
    const consent = (await me.post(`/api/v1/cases/${c.id}/consents`).send({ givenBy: 'person', method: 'verbal', categories: ['mhpss'], fields: ['age_band'] }).expect(201)).body;
    await me.get(`/api/v1/cases/${c.id}/consents`).expect(200);
    await me.post(`/api/v1/cases/${c.id}/consents/${consent.id}/withdraw`).expect(200);
    await me.post(`/api/v1/cases/${c.id}/incidents`).send({ type: 'physical_assault', placeType: 'street', timeElapsed: 'over_1_month' }).expect(201);
    await me.get(`/api/v1/cases/${c.id}/incidents`).expect(200);
    await me.post(`/api/v1/cases/${c.id}/deliveries`).send({ category: 'mhpss', deliveredOn: '2026-01-05', outcome: 'service_provided' }).expect(201);
    await me.get(`/api/v1/cases/${c.id}/deliveries`).expect(200);
    await me.post(`/api/v1/cases/${c.id}/status`).send({ status: 'closed', closureReason: 'consent_withdrawn' }).expect(200);
  });

  it('register imports', async () => {
    const sup = await t.as(DEMO.supervisorOujda);
    await sup.get('/api/v1/imports/cases/template?lang=fr').buffer(true).parse(binary).expect(200);
    const file = await registerXlsx('k', '0600000000');
    const first = (await sup.post('/api/v1/imports/cases').attach('file', file, 'registre.xlsx').expect(201)).body;
    await sup.get('/api/v1/imports/cases').expect(200);
    await sup.get(`/api/v1/imports/cases/${first.id}`).expect(200);
    const remapped = (await sup.post(`/api/v1/imports/cases/${first.id}/mapping`).send({ mapping: { B: 'givenName' } }).expect(201)).body;
    await sup.delete(`/api/v1/imports/cases/${remapped.id}`).expect(200);
    const second = (await sup.post('/api/v1/imports/cases').attach('file', file, 'registre.xlsx').expect(201)).body;
    await sup.post(`/api/v1/imports/cases/${second.id}/run`).expect(202);
    await t.app.get(CaseImportService).settled(second.id);
    await sup.post(`/api/v1/imports/cases/${second.id}/undo`).expect(200);
  });

  it('activities', async () => {
    const coord = await t.as(DEMO.coordinator);
    const place = (await one(`SELECT id FROM place WHERE code = 'MA-OUJ-OUJ'`)).id;
    const body = { kind: 'training', topic: 'Contrat', heldOn: '2026-01-10', placeId: place, participants: [{ organisationType: 'civil_society', sex: 'female', count: 4 }] };
    const a = (await coord.post('/api/v1/activities').send(body).expect(201)).body;
    await coord.get('/api/v1/activities').expect(200);
    await coord.get(`/api/v1/activities/${a.id}`).expect(200);
    await coord.patch(`/api/v1/activities/${a.id}`).send({ topic: 'Contrat 2' }).expect(200);
    await coord.delete(`/api/v1/activities/${a.id}`).expect(204);
  });

  it('directory and HSDS', async () => {
    const coord = await t.as(DEMO.coordinator);
    const org = (await one(`SELECT organisation_id AS id FROM app_user WHERE email = $1`, [DEMO.providerPssOujda])).id;
    const me = await t.as(DEMO.counsellorOujda);
    await me.get('/api/v1/directory/suggestions?need=mhpss').expect(200);
    const service = (await coord
      .post('/api/v1/directory/services')
      .send({
        organisationId: org,
        nameFr: 'Atelier du contrat',
        nameAr: 'ورشة العقد',
        categories: ['mhpss'],
        populations: ['migrants'],
        freeOfCharge: true,
        locations: [{ name: 'Salle', address1: 'Rue 1', city: 'Oujda', postalCode: '60000', province: 'MA-OUJ', latitude: 34.68, longitude: -1.9 }],
        schedules: [{ byday: ['MO'], opensAt: '10:00', closesAt: '12:00' }],
        languages: [{ code: 'fr' }],
      })
      .expect(201)).body;
    await coord.get('/api/v1/directory/services').expect(200);
    await coord.get(`/api/v1/directory/services/${service.id}`).expect(200);
    await coord.patch(`/api/v1/directory/services/${service.id}`).send({ capacityStatus: 'waiting_list' }).expect(200);
    await coord.put(`/api/v1/directory/organisations/${org}/profile`).send({ website: 'https://contrat.example' }).expect(200);
    const exported = (await coord.get('/api/v1/directory/export').buffer(true).expect(200)).text;
    await coord.post('/api/v1/directory/import').set('Content-Type', 'application/x-ndjson').send(exported.split('\n')[0] + '\n').expect(200);
    const zip = (await coord.get('/api/v1/directory/export.zip').buffer(true).parse(binary).expect(200)).body as Buffer;
    await coord.post('/api/v1/directory/import/tabular?dryRun=true').attach('file', zip, 'directory.zip').expect(200);
    const sheet = ['Organisation;Service;Catégorie;Ville;Téléphone;Horaires;Langues', 'Association du contrat;Écoute;Santé mentale et soutien psychosocial;Oujda;0536688888;Lun-Ven 08:30-16:30;Français'].join('\r\n');
    await coord.post('/api/v1/directory/import/sheet?dryRun=true').attach('file', Buffer.from(sheet), 'services.csv').expect(200);

    const http = t.http();
    await http.get('/api/hsds').expect(200);
    await t.http().get('/api/hsds/profile').expect(200);
    const services = (await t.http().get('/api/hsds/services?per_page=2').expect(200)).body;
    await t.http().get('/api/hsds/services?format=ndjson').buffer(true).expect(200);
    await t.http().get(`/api/hsds/services/${services.contents[0].id}`).expect(200);
    const orgs = (await t.http().get('/api/hsds/organizations?per_page=2').expect(200)).body;
    await t.http().get(`/api/hsds/organizations/${orgs.contents[0].id}?full_service=true`).expect(200);
    const sals = (await t.http().get('/api/hsds/service_at_locations?per_page=2').expect(200)).body;
    await t.http().get(`/api/hsds/service_at_locations/${sals.contents[0].id}`).expect(200);
    const taxonomies = (await t.http().get('/api/hsds/taxonomies').expect(200)).body;
    await t.http().get(`/api/hsds/taxonomies/${taxonomies.contents[0].id}`).expect(200);
    const terms = (await t.http().get('/api/hsds/taxonomy_terms?per_page=2').expect(200)).body;
    await t.http().get(`/api/hsds/taxonomy_terms/${terms.contents[0].id}`).expect(200);
    await t.http().get('/api/hsds/services?minimal=true&per_page=2').expect(200);
  });

  it('reports', async () => {
    const coord = await t.as(DEMO.coordinator);
    const region = (await one(`SELECT id FROM place WHERE code = 'MA-02'`)).id;
    const period = 'from=2026-01-01&to=2026-12-31';
    await coord.get(`/api/v1/reports/indicators?${period}`).expect(200);
    await coord.get(`/api/v1/reports/factsheet?region=${region}&${period}`).expect(200);
    await coord.get(`/api/v1/reports/indicators/export?${period}&format=csv`).expect(200);
    await coord.get(`/api/v1/reports/indicators/export?${period}&format=xlsx`).buffer(true).parse(binary).expect(200);
    await coord.get(`/api/v1/reports/regional?region=${region}&${period}`).buffer(true).parse(binary).expect(200);
    await coord.get(`/api/v1/reports/dhis2?from=2026-01-01&to=2026-12-31&region=${region}`).expect(200);
  });

  it('referrals and FHIR', async () => {
    const g = given(t);
    const { referral } = await g.sentReferral();
    const unit = await t.as(DEMO.counsellorOujda);
    const provider = await t.as(DEMO.providerPssOujda);
    await unit.get('/api/v1/referrals').expect(200);
    await unit.get('/api/v1/referrals/counts').expect(200);
    await provider.get(`/api/v1/referrals/${referral.id}`).expect(200);
    await provider.get(`/api/v1/referrals/${referral.id}/fhir`).expect(200);
    await provider.post(`/api/v1/referrals/${referral.id}/accept`).send({}).expect(200);
    await unit.post(`/api/v1/referrals/${referral.id}/share-update`).send({}).expect(200);
    const declined = await g.sentReferral();
    await provider.post(`/api/v1/referrals/${declined.referral.id}/decline`).send({ reasonCode: 'no_capacity' }).expect(200);
    await unit.post(`/api/v1/referrals/${declined.referral.id}/re-refer`).send({ serviceAtLocationId: declined.target.salId }).expect(201);
    const draft = await g.sentReferral();
    await unit.post(`/api/v1/referrals/${draft.referral.id}/cancel`).send({ reasonCode: 'need_met' }).expect(200);
    for (const path of ['/fhir/metadata', '/fhir/CodeSystem/need-category', '/fhir/ValueSet/need-category', '/fhir/StructureDefinition/age-band', '/fhir/NamingSystem/referral-reference']) await t.http().get(path).expect(200);
  });

  it('every operation answered a success that validated', () => {
    const missing = t.contract.operations.map((o) => o.key).filter((k) => !t.contract.covered.has(k));
    expect(missing).toEqual([]);
    process.stdout.write(`OpenAPI: ${t.contract.covered.size} of ${t.contract.operations.length} operations answered a validated success.\n`);
  });
});
