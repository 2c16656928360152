import { OutboxWorker } from '../../src/notifications/outbox.worker.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { postForm, signIn } from '../web/web-support.js';
import { given } from './given.js';

/**
 * Issue #12, Build 1, the last part: "corrections after sending are shared only with renewed
 * consent". The provider keeps the send-time snapshot until the unit shares its corrections
 * (POST /api/v1/referrals/{id}/share-update, or the referral page's form); the consent is checked
 * again, the focal points are told with nothing identifying, and nothing travels once a
 * withdrawal has erased the referral's sharing.
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
const PERSONAL = ['Aminata', 'Diallo', SENT_PHONE, '600112233', NEW_PHONE, '677889900'];
const FIELDS = ['name', 'phone', 'age_band', 'sex', 'languages'];

async function sent(opts: { consents?: number } = {}) {
  const g = given(t);
  const c = await g.caseIn(DEMO.counsellorOujda, ['mhpss']);
  const target = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
  const consentIds: string[] = [];
  for (let i = 0; i < (opts.consents ?? 1); i++) consentIds.push(await g.consent(DEMO.counsellorOujda, c.id, { categories: ['mhpss'], fields: FIELDS }));
  const res = await (await t.as(DEMO.counsellorOujda))
    .post('/api/v1/referrals')
    .send({ caseId: c.id, needId: c.need('mhpss'), serviceAtLocationId: target.salId, priority: 'urgent', sharedFields: FIELDS, send: true })
    .expect(201);
  return { c, consentIds, id: res.body.id as string, reference: res.body.reference as string };
}

const correctPhone = async (caseId: string, phone = NEW_PHONE) => (await t.as(DEMO.counsellorOujda)).patch(`/api/v1/cases/${caseId}/person`).send({ phone }).expect(200);
/** POST share-update as `as`, checking the status when one is given. */
async function shareUpdate(id: string, status?: number, as: string = DEMO.counsellorOujda) {
  const res = await (await t.as(as)).post(`/api/v1/referrals/${id}/share-update`).send({});
  if (status !== undefined) expect({ status: res.status, body: res.body }).toMatchObject({ status });
  return res;
}
const row = async (id: string) => (await t.db.query(`SELECT shared_enc, consent_id, version FROM referral WHERE id = $1`, [id])).rows[0];
const shareRows = async (id: string) => Number((await t.db.query(`SELECT count(*) AS n FROM referral_event WHERE referral_id = $1 AND action = 'share-update'`, [id])).rows[0].n);
const shareMails = async (reference: string) => {
  await worker.drain();
  return smtp.received.filter((m) => m.subject.includes(reference) && m.to.includes(DEMO.providerPssOujda));
};

describe('sharing corrections after sending (issue #12, renewed consent)', () => {
  it('the provider keeps the old phone until the unit shares the correction; then the view and the FHIR Bundle carry the new one, the e-mail nothing personal', async () => {
    const { c, id, reference } = await sent();
    const provider = await t.as(DEMO.providerPssOujda);
    await worker.drain();
    const mailsAtSend = (await shareMails(reference)).length;

    await correctPhone(c.id);
    expect((await provider.get(`/api/v1/referrals/${id}`).expect(200)).body.person.phone).toBe(SENT_PHONE);

    const res = await shareUpdate(id, 200);
    expect(res.body).toMatchObject({ id, status: 'sent' });
    expect(res.body.history.map((h: { action: string }) => h.action)).toEqual(['create', 'send', 'share-update']);
    expect(res.body.history.at(-1)).toMatchObject({ from: 'sent', to: 'sent' });

    const view = (await provider.get(`/api/v1/referrals/${id}`).expect(200)).body;
    expect(view.person).toMatchObject({ name: 'Aminata Diallo', phone: NEW_PHONE });
    const fhir = JSON.stringify((await provider.get(`/api/v1/referrals/${id}/fhir`).expect(200)).body);
    expect(fhir).toContain(NEW_PHONE);
    expect(fhir).not.toContain(SENT_PHONE);

    // At rest: encrypted, never the phone in clear; the change is audited as a share.
    const r = await row(id);
    expect(r.shared_enc).toMatch(/^v1\.[A-Za-z0-9_-]+\./);
    expect(r.shared_enc).not.toContain('677889900');
    const audit = await t.db.query(`SELECT 1 FROM audit_event WHERE entity = 'referral' AND entity_id = $1 AND action = 'share'`, [id]);
    expect(audit.rowCount).toBe(1);

    // One e-mail to the focal point: the reference, nothing about the person (neither phone, nor the name).
    const mails = (await shareMails(reference)).slice(mailsAtSend);
    expect(mails).toHaveLength(1);
    for (const v of PERSONAL) expect({ found: (mails[0]!.raw + mails[0]!.text + mails[0]!.subject).includes(v) ? v : null }).toEqual({ found: null });
    expect(mails[0]!.text).toContain(`/referrals/${id}`);
    const kinds = await t.db.query(`SELECT kind FROM outbox_message WHERE subject LIKE $1 ORDER BY created_at`, [`%${reference}%`]);
    expect(kinds.rows.map((k) => k.kind)).toEqual(['referral.send', 'referral.share-update']);
  });

  it('sharing again when nothing changed answers the view and writes and sends nothing', async () => {
    const { c, id, reference } = await sent();
    await correctPhone(c.id);
    await shareUpdate(id, 200);
    const before = await row(id);
    const mails = (await shareMails(reference)).length;

    const again = await shareUpdate(id, 200);
    expect(again.body.version).toBe(before.version);
    expect(await row(id)).toEqual(before);
    expect(await shareRows(id)).toBe(1);
    expect((await shareMails(reference)).length).toBe(mails);
  });

  it('two shares at once: one history row and one e-mail; the other answers the unchanged view or REFERRAL_CHANGED', async () => {
    const { c, id, reference } = await sent();
    await correctPhone(c.id);
    await worker.drain();
    const mails = (await shareMails(reference)).length;
    const both = await Promise.all([shareUpdate(id), shareUpdate(id)]);
    expect(both.map((r) => r.status).sort()).toEqual(expect.arrayContaining([200]));
    for (const r of both) if (r.status !== 200) expect({ status: r.status, code: r.body.code }).toEqual({ status: 409, code: 'REFERRAL_CHANGED' });
    expect(await shareRows(id)).toBe(1);
    expect((await shareMails(reference)).length).toBe(mails + 1);
  });

  it('works on an accepted and on a started referral, under the consent that covers it now (another one was withdrawn)', async () => {
    const { c, consentIds, id } = await sent({ consents: 2 });
    const provider = await t.as(DEMO.providerPssOujda);
    await provider.post(`/api/v1/referrals/${id}/accept`).send({}).expect(200);
    const used = (await row(id)).consent_id as string;
    // The consent the referral was sent under is withdrawn; the other still covers it: nothing is erased.
    await given(t).withdraw(DEMO.counsellorOujda, c.id, used);
    expect((await provider.get(`/api/v1/referrals/${id}`).expect(200)).body).toMatchObject({ status: 'accepted', consentWithdrawn: false });

    await correctPhone(c.id);
    await shareUpdate(id, 200);
    expect((await row(id)).consent_id).toBe(consentIds.find((x) => x !== used));
    expect((await provider.get(`/api/v1/referrals/${id}`).expect(200)).body.person.phone).toBe(NEW_PHONE);

    await provider.post(`/api/v1/referrals/${id}/start`).send({}).expect(200);
    await correctPhone(c.id, '+212611223344');
    await shareUpdate(id, 200);
    expect((await provider.get(`/api/v1/referrals/${id}`).expect(200)).body).toMatchObject({ status: 'in_progress', person: { phone: '+212611223344' } });
  });

  it('after a consent withdrawal it is refused and nothing is shared', async () => {
    const { c, consentIds, id, reference } = await sent();
    await given(t).withdraw(DEMO.counsellorOujda, c.id, consentIds[0]!);
    await correctPhone(c.id);
    const mails = (await shareMails(reference)).length;

    const res = await shareUpdate(id, 409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'REFERRAL_NOT_SHARING' });
    expect((await row(id)).shared_enc).toBeNull();
    const view = (await (await t.as(DEMO.providerPssOujda)).get(`/api/v1/referrals/${id}`).expect(200)).body;
    expect(view.person).toEqual({});
    expect(JSON.stringify(view)).not.toContain('677889900');
    expect(await shareRows(id)).toBe(0);
    expect((await shareMails(reference)).length).toBe(mails);
  });

  it('the consent gate itself: no active consent left (withdrawn without the cascade) answers the send codes and changes nothing', async () => {
    const { c, id } = await sent();
    await correctPhone(c.id);
    const before = await row(id);
    // Not reachable through the API (a withdrawal erases and cancels at once): the gate still stands on its own.
    await t.db.query(`UPDATE consent SET withdrawn_at = now() WHERE case_id = $1`, [c.id]);
    expect((await shareUpdate(id, 422)).body.code).toBe('CONSENT_WITHDRAWN');
    expect(await row(id)).toEqual(before);
    expect(await shareRows(id)).toBe(0);
  });

  it('a consent that does not cover a shared field refuses it (CONSENT_NOT_COVERING)', async () => {
    const { c, consentIds, id } = await sent();
    // A narrower consent is recorded, then the first one is withdrawn directly (no cascade): the phone is no longer covered.
    await given(t).consent(DEMO.counsellorOujda, c.id, { categories: ['mhpss'], fields: ['age_band', 'sex', 'languages', 'name'] });
    await t.db.query(`UPDATE consent SET withdrawn_at = now() WHERE id = $1`, [consentIds[0]]);
    await correctPhone(c.id);
    const res = await shareUpdate(id, 422);
    expect(res.body).toMatchObject({ code: 'CONSENT_NOT_COVERING' });
    expect(JSON.stringify(res.body)).toContain('phone');
  });

  it('is the referring unit’s step: a provider is refused, another unit does not see the referral', async () => {
    const { id } = await sent();
    expect([403, 404]).toContain((await shareUpdate(id, undefined, DEMO.providerPssOujda)).status);
    expect([403, 404]).toContain((await shareUpdate(id, undefined, DEMO.providerHealthOujda)).status);
    expect((await shareUpdate(id, 404, DEMO.counsellorBerkane)).body.code).toBeDefined();
    expect(await shareRows(id)).toBe(0);
    // The supervisor of the unit may.
    await shareUpdate(id, 200, DEMO.supervisorOujda);
  });

  it('incidents travel again only by someone who may read them: the assigned counsellor shares a new incident, a colleague of the unit is refused', async () => {
    const g = given(t);
    const c = await g.caseIn(DEMO.counsellorOujda, ['mhpss']);
    const counsellor = await t.as(DEMO.counsellorOujda);
    await counsellor.post(`/api/v1/cases/${c.id}/incidents`).send({ type: 'physical_assault', placeType: 'street', timeElapsed: 'over_1_month' }).expect(201);
    const target = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
    const fields = ['age_band', 'incident_summary'];
    await g.consent(DEMO.counsellorOujda, c.id, { categories: ['mhpss'], fields });
    const { body } = await counsellor.post('/api/v1/referrals').send({ caseId: c.id, needId: c.need('mhpss'), serviceAtLocationId: target.salId, priority: 'urgent', sharedFields: fields, send: true }).expect(201);
    await counsellor.post(`/api/v1/cases/${c.id}/incidents`).send({ type: 'psychological_abuse', placeType: 'street', timeElapsed: 'over_1_month' }).expect(201);

    expect((await shareUpdate(body.id, 403, DEMO.counsellor2Oujda)).body.code).toBe('INCIDENTS_NOT_SHAREABLE');
    const provider = await t.as(DEMO.providerPssOujda);
    expect((await provider.get(`/api/v1/referrals/${body.id}`).expect(200)).body.person.incident_summary).toHaveLength(1);
    await shareUpdate(body.id, 200);
    expect((await provider.get(`/api/v1/referrals/${body.id}`).expect(200)).body.person.incident_summary).toHaveLength(2);
  });

  it('a draft, a completed or a cancelled referral answers 409', async () => {
    const g = given(t);
    const c = await g.caseIn(DEMO.counsellorOujda, ['mhpss']);
    const target = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
    await g.consent(DEMO.counsellorOujda, c.id, { categories: ['mhpss'], fields: FIELDS });
    const draft = await (await t.as(DEMO.counsellorOujda))
      .post('/api/v1/referrals')
      .send({ caseId: c.id, needId: c.need('mhpss'), serviceAtLocationId: target.salId, priority: 'routine', sharedFields: FIELDS })
      .expect(201);
    expect((await shareUpdate(draft.body.id, 409)).body).toMatchObject({ code: 'REFERRAL_NOT_SHARING', currentStatus: 'draft' });

    const { id } = await sent();
    const provider = await t.as(DEMO.providerPssOujda);
    await provider.post(`/api/v1/referrals/${id}/accept`).send({ startNow: true }).expect(200);
    await provider.post(`/api/v1/referrals/${id}/complete`).send({ outcomeCode: 'service_provided' }).expect(200);
    expect((await shareUpdate(id, 409)).body).toMatchObject({ code: 'REFERRAL_NOT_SHARING', currentStatus: 'completed' });

    const cancelled = await sent();
    await (await t.as(DEMO.counsellorOujda)).post(`/api/v1/referrals/${cancelled.id}/cancel`).send({}).expect(200);
    await shareUpdate(cancelled.id, 409);
  });

  it('the referral page: the unit’s form shares the correction and the timeline says so; a closed referral has no form and a forced post shows the error', async () => {
    const { c, id } = await sent();
    await correctPhone(c.id);
    const unit = await signIn(t, DEMO.counsellorOujda);
    const page = (await unit.get(`/referrals/${id}`).expect(200)).text;
    expect(page).toContain(`action="/referrals/${id}/share-update"`);
    expect(page).toContain('Partager les corrections avec le prestataire');

    const res = await postForm(unit, `/referrals/${id}`, `/referrals/${id}/share-update`, {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/referrals/${id}?notice=saved`);
    const after = (await unit.get(res.headers.location!).expect(200)).text;
    expect(after).toContain('Corrections partagées avec le prestataire');
    expect((await (await t.as(DEMO.providerPssOujda)).get(`/api/v1/referrals/${id}`).expect(200)).body.person.phone).toBe(NEW_PHONE);

    // In Arabic and English, the form speaks the reader's language.
    expect((await unit.get(`/referrals/${id}?lang=ar`).expect(200)).text).toContain('تقاسم التصحيحات مع مقدم الخدمة');
    expect((await unit.get(`/referrals/${id}?lang=en`).expect(200)).text).toContain('Share corrections with the provider');

    // The provider's page has no such form.
    const provider = await signIn(t, DEMO.providerPssOujda);
    expect((await provider.get(`/referrals/${id}`).expect(200)).text).not.toContain('/share-update');

    // Cancelled: no form; a post anyway comes back with the page and the error summary.
    await (await t.as(DEMO.counsellorOujda)).post(`/api/v1/referrals/${id}/cancel`).send({}).expect(200);
    expect((await unit.get(`/referrals/${id}`).expect(200)).text).not.toContain(`action="/referrals/${id}/share-update"`);
    const refused = await postForm(unit, `/referrals/${id}`, `/referrals/${id}/share-update`, {});
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('class="error-summary"');
    expect(refused.text).toContain('rien n’a été partagé');
  });

  it('the page form checks the consent again and words the refusal for this form', async () => {
    const { c, id } = await sent();
    await correctPhone(c.id);
    await t.db.query(`UPDATE consent SET withdrawn_at = now() WHERE case_id = $1`, [c.id]);
    const unit = await signIn(t, DEMO.counsellorOujda);
    const res = await postForm(unit, `/referrals/${id}`, `/referrals/${id}/share-update`, {});
    expect(res.status).toBe(422);
    expect(res.text).toContain('class="error-summary"');
    expect(res.text).toContain('La personne a retiré son consentement : rien n’a été partagé.');
    expect(res.text).not.toContain('ci-dessous');
  });

  it('postForm without the anti-forgery token is refused', async () => {
    const { id } = await sent();
    const unit = await signIn(t, DEMO.counsellorOujda);
    const res = await unit.post(`/referrals/${id}/share-update`).type('form').send({});
    expect(res.status).toBe(403);
    expect(await shareRows(id)).toBe(0);
  });
});
