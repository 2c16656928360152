import { EventEmitter2 } from '@nestjs/event-emitter';
import { parseConfig } from '../../src/config/config.js';
import { createApp } from '../../src/bootstrap.js';
import { ConsentService } from '../../src/cases/consent.service.js';
import { DeliveriesService } from '../../src/cases/deliveries.service.js';
import { CaseReader } from '../../src/cases/case-reader.js';
import { RetentionService } from '../../src/cases/retention.service.js';
import { ConsentWithdrawnEvent } from '../../src/cases/cases.events.js';
import { KeyRotationService } from '../../src/common/crypto/key-rotation.service.js';
import { FieldCipher } from '../../src/common/crypto/field-cipher.js';
import { TransactionHost } from '../../src/database/transaction.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';
import { given } from './given.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('a case from intake to closure', () => {
  it('opens, activates on the first session, closes with a reason, reopens with one; no-store on every answer', async () => {
    const as = await t.as(DEMO.counsellorOujda);
    const { case: c } = await given(t).caseFor(DEMO.counsellorOujda, {}, { riskLevel: 'medium', needs: ['legal_aid', 'shelter'] });
    expect(c.status).toBe('open');
    expect(c.code).toMatch(/^OUJ-\d{4}-\d{5}$/);
    const got = await as.get(`/api/v1/cases/${c.id}`).expect(200);
    expect(got.headers['cache-control']).toBe('no-store');
    expect(got.body.needs.map((n: { category: string }) => n.category).sort()).toEqual(['legal_aid', 'shelter']);
    expect(got.body.person.ageBand).toBe('25-59');
    expect((await as.get('/api/v1/cases/00000000-0000-4000-8000-000000000000')).headers['cache-control']).toBe('no-store');

    await as.post(`/api/v1/cases/${c.id}/needs`).send({ category: 'shelter' }).expect(409);
    const s = await as.post(`/api/v1/cases/${c.id}/sessions`).send({ sessionDate: '2026-01-12', kind: 'psychosocial', note: 'séance', recordDelivery: true }).expect(201);
    expect(s.body.delivery).toMatchObject({ category: 'mhpss', providerOrganisationId: await given(t).organisationId("Unité d'écoute Oujda") });
    expect((await as.get(`/api/v1/cases/${c.id}`)).body.status).toBe('active');

    const noReason = await as.post(`/api/v1/cases/${c.id}/status`).send({ status: 'closed' }).expect(400);
    expect(noReason.body.errors[0].field).toBe('closureReason');
    await as.post(`/api/v1/cases/${c.id}/status`).send({ status: 'closed', closureReason: 'needs_met' }).expect(200);
    await as.post(`/api/v1/cases/${c.id}/sessions`).send({ sessionDate: '2026-01-13', kind: 'phone', note: 'x' }).expect(409);
    await as.post(`/api/v1/cases/${c.id}/status`).send({ status: 'active' }).expect(409);
    const reopened = await as.post(`/api/v1/cases/${c.id}/status`).send({ status: 'open', reopenReason: 'new_need' }).expect(200);
    expect(reopened.body).toMatchObject({ status: 'open', reopenReason: 'new_need', closureReason: null });
  });

  it('lists filter inside SQL by code, status, counsellor, need, risk and dates', async () => {
    const as = await t.as(DEMO.supervisorOujda);
    const c2 = await given(t).userId(DEMO.counsellor2Oujda);
    const { case: c } = await given(t).caseFor(DEMO.counsellor2Oujda, {}, { riskLevel: 'high', needs: ['interpretation'] });
    const q = async (qs: string) => (await as.get(`/api/v1/cases?${qs}`).expect(200)).body.items.map((x: { id: string }) => x.id) as string[];
    expect(await q(`code=${c.code}`)).toEqual([c.id]);
    expect(await q(`counsellorId=${c2}&need=interpretation&riskLevel=high&status=open`)).toContain(c.id);
    expect(await q(`need=interpretation&riskLevel=low`)).not.toContain(c.id);
    const today = new Date().toISOString().slice(0, 10);
    expect(await q(`openedFrom=${today}&openedTo=${today}&limit=200`)).toContain(c.id);
    expect(await q(`openedTo=2000-01-01`)).toEqual([]);
    const item = (await as.get(`/api/v1/cases?code=${c.code}`)).body.items[0];
    expect(item.openNeeds).toEqual(['interpretation']);
    expect(item).not.toHaveProperty('person');
  });

  it('consent: covers answers for referrals, withdrawal emits consent.withdrawn inside the transaction', async () => {
    const as = await t.as(DEMO.counsellorOujda);
    const { case: c } = await given(t).caseFor(DEMO.counsellorOujda);
    const pss = await given(t).organisationId('Centre psychosocial associatif');
    const legal = await given(t).organisationId('Permanence d’aide juridique');
    const consents = t.app.get(ConsentService);

    expect(await consents.covers({ caseId: c.id, category: 'mhpss', organisationId: pss, fields: ['sex'] })).toMatchObject({ covered: false, missing: { noActiveConsent: true } });
    const consent = (await as.post(`/api/v1/cases/${c.id}/consents`).send({ givenBy: 'person', method: 'written', categories: ['mhpss'], organisationIds: [pss], fields: ['sex', 'age_band', 'phone'] }).expect(201)).body;
    expect(await consents.covers({ caseId: c.id, category: 'mhpss', organisationId: pss, fields: ['sex', 'phone'] })).toEqual({
      covered: true,
      consentId: consent.id,
      missing: { noActiveConsent: false, category: false, organisation: false, fields: [] },
    });
    expect(await consents.covers({ caseId: c.id, category: 'legal_aid', organisationId: legal, fields: ['sex', 'name'] })).toEqual({
      covered: false,
      missing: { noActiveConsent: false, category: true, organisation: true, fields: ['name'] },
    });

    const seen: ConsentWithdrawnEvent[] = [];
    let inTx = false;
    const events = t.app.get(EventEmitter2);
    const listener = async (e: ConsentWithdrawnEvent) => {
      seen.push(e);
      inTx = t.app.get(TransactionHost).inTransaction;
    };
    events.on(ConsentWithdrawnEvent.topic, listener);
    await as.post(`/api/v1/cases/${c.id}/consents/${consent.id}/withdraw`).expect(200);
    events.off(ConsentWithdrawnEvent.topic, listener);
    expect(seen).toEqual([new ConsentWithdrawnEvent(c.id, consent.id)]);
    expect(inTx).toBe(true);
    await as.post(`/api/v1/cases/${c.id}/consents/${consent.id}/withdraw`).expect(409);
    expect((await consents.covers({ caseId: c.id, category: 'mhpss', organisationId: pss, fields: ['sex'] })).covered).toBe(false);
  });

  it('deliveries: recorded by the unit and through DeliveriesService.record (once per referral); CaseReader shares only what is asked', async () => {
    const { case: c } = await given(t).caseFor(DEMO.counsellorOujda, { phone: '0612345678', nationality: 'CM' });
    const pss = await given(t).organisationId('Centre psychosocial associatif');
    const as = await t.as(DEMO.counsellorOujda);
    await as.post(`/api/v1/cases/${c.id}/deliveries`).send({ category: 'legal_aid', deliveredOn: '2026-01-05', outcome: 'service_provided' }).expect(201);
    const referralId = '11111111-2222-4333-8444-555555555555';
    const deliveries = t.app.get(DeliveriesService);
    const d = await deliveries.record(null, { caseId: c.id, category: 'mhpss', deliveredOn: '2026-01-06', outcome: 'service_provided', providerOrganisationId: pss, referralId });
    expect(d).toMatchObject({ personId: c.personId, referralId, providerOrganisationId: pss });
    await expect(deliveries.record(null, { caseId: c.id, category: 'mhpss', deliveredOn: '2026-01-06', outcome: 'service_provided', providerOrganisationId: pss, referralId })).rejects.toMatchObject({ code: 'DELIVERY_ALREADY_RECORDED' });
    const list = (await as.get(`/api/v1/cases/${c.id}/deliveries`).expect(200)).body;
    expect(list).toHaveLength(2);

    const reader = t.app.get(CaseReader);
    const summary = await reader.summaryById(c.id);
    expect(summary).toMatchObject({ id: c.id, personId: c.personId, status: 'open', needs: [{ category: 'mhpss', status: 'open' }] });
    const shared = await reader.shareableValues(null, c.id, ['age_band', 'nationality', 'phone']);
    expect(shared).toEqual({ age_band: '25-59', nationality: 'CM', phone: '0612345678' });
  });

  it('the supervisor exports everything on the person, decrypted and audited, and corrects it', async () => {
    const { case: c } = await given(t).caseFor(DEMO.counsellorOujda, { givenName: 'Exportée', phone: '0600000999' });
    await (await t.as(DEMO.counsellorOujda)).post(`/api/v1/cases/${c.id}/sessions`).send({ sessionDate: '2026-01-12', kind: 'phone', note: 'note à exporter' }).expect(201);
    await given(t).incidentOn(DEMO.counsellorOujda, c.id);
    const sup = await t.as(DEMO.supervisorOujda);
    const res = await sup.get(`/api/v1/cases/${c.id}/person/export`).expect(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.body.person).toMatchObject({ givenName: 'Exportée', phone: '0600000999' });
    expect(res.body.cases[0].sessions[0].note).toBe('note à exporter');
    expect(res.body.cases[0].incidents).toHaveLength(1);
    const audit = await t.db.query(`SELECT 1 FROM audit_event WHERE action = 'export' AND entity = 'person' AND entity_id = $1`, [c.personId]);
    expect(audit.rowCount).toBe(1);

    const fixed = await sup.patch(`/api/v1/cases/${c.id}/person`).send({ familyName: 'Corrigée', birthDate: '2009-01-01' }).expect(200);
    expect(fixed.body).toMatchObject({ givenName: 'Exportée', familyName: 'Corrigée', phone: '0600000999', ageBand: '0-17' });
  });
});

describe('retention', () => {
  it('a correction changes only the fields it sends: the others keep their values', async () => {
    const { case: c } = await given(t).caseFor(DEMO.counsellorOujda, { birthDate: '1990-03-04', nationality: 'GN', populationGroup: 'migrant', languages: ['fr'], phone: '0611111111' }, { riskLevel: 'medium' });
    const as = await t.as(DEMO.counsellorOujda);
    const fixed = (await as.patch(`/api/v1/cases/${c.id}/person`).send({ phone: '0622222222' }).expect(200)).body;
    expect(fixed).toMatchObject({ phone: '0622222222', givenName: 'Test', birthDate: '1990-03-04', nationality: 'GN', populationGroup: 'migrant', languages: ['fr'] });
    expect((await as.patch(`/api/v1/cases/${c.id}`).send({}).expect(200)).body.riskLevel).toBe('medium');
    const admin = await t.as(DEMO.admin);
    const user = (await admin.get('/api/v1/users?search=counsellor.oujda').expect(200)).body.items[0];
    const renamed = (await admin.patch(`/api/v1/users/${user.id}`).send({ displayName: user.displayName }).expect(200)).body;
    expect(renamed).toMatchObject({ roles: user.roles, language: user.language });
  });

  it('anonymises cases closed longer than RETENTION_MONTHS, keeping aggregate fields and leaving an audit row', async () => {
    const as = await t.as(DEMO.counsellorOujda);
    const { case: c } = await given(t).caseFor(DEMO.counsellorOujda, { phone: '0611111111', nationality: 'SN' });
    await as.post(`/api/v1/cases/${c.id}/sessions`).send({ sessionDate: '2020-01-12', kind: 'psychosocial', note: 'ancienne note', recordDelivery: true }).expect(201);
    await as.post(`/api/v1/cases/${c.id}/status`).send({ status: 'closed', closureReason: 'moved' }).expect(200);
    const { case: recent } = await given(t).caseFor(DEMO.counsellorOujda);
    await as.post(`/api/v1/cases/${recent.id}/status`).send({ status: 'closed', closureReason: 'moved' }).expect(200);
    await t.db.query(`UPDATE case_file SET closed_at = now() - make_interval(months => $2 + 1) WHERE id = $1`, [c.id, t.config.retentionMonths]);

    const n = await t.app.get(RetentionService).anonymiseExpired();
    expect(n).toBeGreaterThanOrEqual(1);
    expect((await t.db.query('SELECT 1 FROM person_identity WHERE person_id = $1', [c.personId])).rowCount).toBe(0);
    expect((await t.db.query('SELECT 1 FROM person_identity WHERE person_id = $1', [recent.personId])).rowCount).toBe(1);
    const p = (await t.db.query('SELECT * FROM person WHERE id = $1', [c.personId])).rows[0];
    expect(p).toMatchObject({ birth_date: null, age_band: '25-59', nationality: 'SN', sex: 'female' });
    expect(p.anonymised_at).not.toBeNull();
    expect((await t.db.query('SELECT note_enc FROM case_session WHERE case_id = $1', [c.id])).rows).toEqual([{ note_enc: null }]);
    expect((await t.db.query('SELECT count(*)::int AS n FROM delivery WHERE case_id = $1', [c.id])).rows[0].n).toBe(1);
    const audit = await t.db.query(`SELECT actor_id, route FROM audit_event WHERE action = 'anonymise' AND entity_id = $1`, [c.id]);
    expect(audit.rows).toEqual([{ actor_id: null, route: 'job:retention' }]);
    const read = await (await t.as(DEMO.supervisorOujda)).get(`/api/v1/cases/${c.id}`).expect(200);
    expect(read.body.person.givenName).toBeNull();
    expect(await t.app.get(RetentionService).anonymiseExpired()).toBe(0);
  });
});

describe('key rotation', () => {
  it('re-wraps every encrypted value to the new active key; the old key can then go', async () => {
    const { case: c } = await given(t).caseFor(DEMO.counsellorOujda, { givenName: 'Rotation', phone: '0622222222' });
    await (await t.as(DEMO.counsellorOujda)).post(`/api/v1/cases/${c.id}/sessions`).send({ sessionDate: '2026-01-12', kind: 'phone', note: 'avant rotation' }).expect(201);
    const t1 = t.config.crypto.keys.t1!;
    const t2 = Buffer.alloc(32, 7).toString('base64');
    const rotating = await createApp(parseConfig(testEnv(t.config.database.url!, { ENCRYPTION_KEYS: `t1:${t1},t2:${t2}`, ENCRYPTION_ACTIVE_KEY: 't2', LOG_FILE: 'test/artifacts/logs/cases-flow-rotation.log' })));
    await rotating.init();
    try {
      const report = await rotating.get(KeyRotationService).rotate(7);
      expect(report.rewrapped).toBeGreaterThan(7);
      expect(Object.keys(report.remaining)).toEqual(['t2']);
      expect((await rotating.get(KeyRotationService).rotate()).rewrapped).toBe(0);
    } finally {
      await rotating.close();
    }
    const onlyT2 = new FieldCipher({ t2 }, 't2', t.config.crypto.blindIndexKey);
    const row = (await t.db.query('SELECT given_name_enc, phone_enc FROM person_identity WHERE person_id = $1', [c.personId])).rows[0];
    expect(onlyT2.decrypt(row.given_name_enc)).toBe('Rotation');
    expect(onlyT2.decrypt(row.phone_enc)).toBe('0622222222');
    const note = (await t.db.query('SELECT note_enc FROM case_session WHERE case_id = $1', [c.id])).rows[0].note_enc;
    expect(onlyT2.decrypt(note)).toBe('avant rotation');
  });
});
