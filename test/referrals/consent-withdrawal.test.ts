import { OutboxWorker } from '../../src/notifications/outbox.worker.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { given } from './given.js';

/**
 * Issue #12 finding 1: what a provider sees is frozen at send time and stops at a consent
 * withdrawal. The canary values below must never reach the provider (API, FHIR, e-mails) after
 * the withdrawal, nor sit in the referral's row.
 */
let smtp: TestSmtp;
let t: TestApp;
let worker: OutboxWorker;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestApp({ SMTP_URL: smtp.url });
  worker = t.app.get(OutboxWorker);
  await t.db.query(`UPDATE outbox_message SET status = 'sent' WHERE status = 'pending'`);
}, 300_000);
afterAll(async () => {
  await t.close();
  await smtp.stop();
}, 120_000);

const SENT_PHONE = '+212600112233';
const NEW_PHONE = '+212677889900';
const IDENTIFYING = ['Aminata', 'Diallo', SENT_PHONE, '600112233', NEW_PHONE, '677889900', 'female counsellor', 'AB123456'];
const FIELDS = ['name', 'phone', 'documents', 'age_band', 'sex', 'languages'];

function expectNothingIdentifying(what: string, body: unknown) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  for (const v of IDENTIFYING) expect({ what, found: text.includes(v) ? v : null }).toEqual({ what, found: null });
}

async function sendWithIdentity() {
  const g = given(t);
  const c = await g.caseIn(DEMO.counsellorOujda, ['mhpss'], { documentType: 'passport', documentNumber: 'AB123456' });
  const target = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
  const consentId = await g.consent(DEMO.counsellorOujda, c.id, { categories: ['mhpss'], fields: FIELDS });
  const res = await (await t.as(DEMO.counsellorOujda))
    .post('/api/v1/referrals')
    .send({ caseId: c.id, needId: c.need('mhpss'), serviceAtLocationId: target.salId, priority: 'urgent', sharedFields: FIELDS, noteForProvider: 'Prefers a female counsellor.', send: true })
    .expect(201);
  return { c, consentId, id: res.body.id as string, reference: res.body.reference as string };
}

describe('sharing follows consent (issue #12, finding 1)', () => {
  it('canary: after a withdrawal the provider view, the FHIR Bundle and every later e-mail hold no identifying value; the referral is cancelled, erased and audited', async () => {
    const { c, consentId, id, reference } = await sendWithIdentity();
    const provider = await t.as(DEMO.providerPssOujda);
    const counsellor = await t.as(DEMO.counsellorOujda);

    // Before: the provider sees what was shared at send time.
    const before = await provider.get(`/api/v1/referrals/${id}`).expect(200);
    expect(before.body.person).toMatchObject({ name: 'Aminata Diallo', phone: SENT_PHONE, documents: { type: 'passport', number: 'AB123456' } });
    expect(before.body.consentWithdrawn).toBe(false);

    // A correction after sending does not travel (the snapshot, not the live case).
    await counsellor.patch(`/api/v1/cases/${c.id}/person`).send({ phone: NEW_PHONE }).expect(200);
    const corrected = await provider.get(`/api/v1/referrals/${id}`).expect(200);
    expect(corrected.body.person.phone).toBe(SENT_PHONE);
    expect(JSON.stringify((await provider.get(`/api/v1/referrals/${id}/fhir`).expect(200)).body)).not.toContain(NEW_PHONE);

    await worker.drain();
    const mailsBefore = smtp.received.length;

    await given(t).withdraw(DEMO.counsellorOujda, c.id, consentId);

    const after = await provider.get(`/api/v1/referrals/${id}`).expect(200);
    expect(after.body).toMatchObject({ status: 'cancelled', reasonCode: 'consent_withdrawn', consentWithdrawn: true, noteForProvider: null, actions: [] });
    expect(after.body.person).toEqual({});
    expectNothingIdentifying('provider view', after.body);
    const fhir = await provider.get(`/api/v1/referrals/${id}/fhir`).expect(200);
    expectNothingIdentifying('FHIR Bundle', fhir.body);
    const patient = fhir.body.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Patient').resource;
    expect(patient.name).toBeUndefined();
    expect(patient.telecom).toBeUndefined();
    expect(patient.identifier).toBeUndefined();
    // The provider's list and the unit's own view hold nothing either.
    expectNothingIdentifying('provider list', (await provider.get('/api/v1/referrals').expect(200)).body);
    expectNothingIdentifying('unit FHIR', (await counsellor.get(`/api/v1/referrals/${id}/fhir`).expect(200)).body);
    // The provider can no longer act on it.
    await provider.post(`/api/v1/referrals/${id}/accept`).send({}).expect(409);

    // E-mails from then on: the focal point is told (reference, reason) and nothing about the person.
    await worker.drain();
    const later = smtp.received.slice(mailsBefore);
    const toFocal = later.filter((m) => m.to.includes(DEMO.providerPssOujda));
    expect(toFocal).toHaveLength(1);
    expect(toFocal[0]!.subject).toContain(reference);
    for (const m of later) expectNothingIdentifying(`e-mail ${m.subject}`, m.raw + m.text);

    // At rest: the snapshot and the note are gone from the row; the erasure is audited.
    const row = (await t.db.query(`SELECT shared_enc, note_enc, consent_withdrawn_at FROM referral WHERE id = $1`, [id])).rows[0];
    expect(row).toMatchObject({ shared_enc: null, note_enc: null });
    expect(row.consent_withdrawn_at).not.toBeNull();
    const audit = await t.db.query(`SELECT 1 FROM audit_event WHERE entity = 'referral' AND entity_id = $1 AND action = 'withdraw'`, [id]);
    expect(audit.rowCount).toBe(1);
  });

  it('the snapshot is stored encrypted with a key id (and is on the key-rotation list)', async () => {
    const { id } = await sendWithIdentity();
    const row = (await t.db.query(`SELECT shared_enc FROM referral WHERE id = $1`, [id])).rows[0];
    expect(row.shared_enc).toMatch(/^v1\.[A-Za-z0-9_-]+\./);
    expectNothingIdentifying('shared_enc', row.shared_enc);
    const { ENCRYPTED_COLUMNS } = await import('../../src/common/crypto/encrypted-columns.js');
    expect(ENCRYPTED_COLUMNS).toContainEqual({ table: 'referral', key: 'id', column: 'shared_enc' });
  });

  it('closing the case with consent_withdrawn does the same to an accepted referral (and withdraws the consent)', async () => {
    const { c, consentId, id } = await sendWithIdentity();
    const provider = await t.as(DEMO.providerPssOujda);
    await provider.post(`/api/v1/referrals/${id}/accept`).send({}).expect(200);
    await (await t.as(DEMO.counsellorOujda)).post(`/api/v1/cases/${c.id}/status`).send({ status: 'closed', closureReason: 'consent_withdrawn' }).expect(200);

    const after = await provider.get(`/api/v1/referrals/${id}`).expect(200);
    expect(after.body).toMatchObject({ status: 'cancelled', reasonCode: 'consent_withdrawn', consentWithdrawn: true });
    expectNothingIdentifying('provider view after closure', after.body);
    expectNothingIdentifying('FHIR after closure', (await provider.get(`/api/v1/referrals/${id}/fhir`).expect(200)).body);
    const consent = await t.db.query(`SELECT withdrawn_at FROM consent WHERE id = $1`, [consentId]);
    expect(consent.rows[0].withdrawn_at).not.toBeNull();
  });

  it('a completed referral keeps its outcome but loses what it shared; a referral another consent still covers is untouched', async () => {
    const g = given(t);
    const { c, consentId, id } = await sendWithIdentity();
    const provider = await t.as(DEMO.providerPssOujda);
    // A second, narrower consent covers a second referral of the same case (sent while the need is open).
    const second = await g.consent(DEMO.counsellorOujda, c.id, { categories: ['mhpss'], fields: ['age_band', 'sex'] });
    expect(second).toBeTruthy();
    const target = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
    const other = await (await t.as(DEMO.counsellorOujda))
      .post('/api/v1/referrals')
      .send({ caseId: c.id, needId: c.need('mhpss'), serviceAtLocationId: target.salId, priority: 'routine', sharedFields: ['age_band', 'sex'], send: true })
      .expect(201);
    await provider.post(`/api/v1/referrals/${id}/accept`).send({}).expect(200);
    await provider.post(`/api/v1/referrals/${id}/start`).send({}).expect(200);
    await provider.post(`/api/v1/referrals/${id}/complete`).send({ outcomeCode: 'service_provided' }).expect(200);

    await g.withdraw(DEMO.counsellorOujda, c.id, consentId);

    const done = await provider.get(`/api/v1/referrals/${id}`).expect(200);
    expect(done.body).toMatchObject({ status: 'completed', outcomeCode: 'service_provided', consentWithdrawn: true, person: {} });
    expectNothingIdentifying('completed referral', done.body);
    const still = await provider.get(`/api/v1/referrals/${other.body.id}`).expect(200);
    expect(still.body).toMatchObject({ status: 'sent', consentWithdrawn: false, person: { sex: 'female' } });
  });
});
