import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { given } from './given.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const body = (c: { id: string; need: (c: string) => string }, salId: string, extra: Record<string, unknown> = {}) => ({
  caseId: c.id,
  needId: c.need('mhpss'),
  serviceAtLocationId: salId,
  priority: 'routine',
  sharedFields: ['age_band'],
  ...extra,
});

describe('consent gate (server side)', () => {
  it('refuses to send without any consent: 422 CONSENT_MISSING, and nothing changes', async () => {
    const g = given(t);
    const c = await g.caseIn();
    const { salId } = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
    const counsellor = await t.as(DEMO.counsellorOujda);
    const draft = await counsellor.post('/api/v1/referrals').send(body(c, salId)).expect(201);
    const res = await counsellor.post(`/api/v1/referrals/${draft.body.id}/send`).send({}).expect(422);
    expect(res.body.code).toBe('CONSENT_MISSING');
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await counsellor.get(`/api/v1/referrals/${draft.body.id}`).expect(200)).body.status).toBe('draft');
    // Creating and sending in one step is gated the same way, and leaves no draft behind.
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM referral WHERE case_id = $1`, [c.id])).rows[0].n;
    expect((await counsellor.post('/api/v1/referrals').send(body(c, salId, { send: true })).expect(422)).body.code).toBe('CONSENT_MISSING');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM referral WHERE case_id = $1`, [c.id])).rows[0].n).toBe(before);
  });

  it('refuses a field the consent does not cover: 422 CONSENT_NOT_COVERING naming the field', async () => {
    const g = given(t);
    const c = await g.caseIn();
    const { salId } = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
    await g.consent(DEMO.counsellorOujda, c.id, { categories: ['mhpss'], fields: ['age_band'] });
    const res = await (await t.as(DEMO.counsellorOujda)).post('/api/v1/referrals').send(body(c, salId, { sharedFields: ['age_band', 'phone'], send: true })).expect(422);
    expect(res.body.code).toBe('CONSENT_NOT_COVERING');
    expect(res.body.missing ?? res.body).toMatchObject({ fields: ['phone'] });
    expect(JSON.stringify(res.body)).toContain('phone');
  });

  it('refuses a category or an organisation the consent does not cover', async () => {
    const g = given(t);
    const c = await g.caseIn();
    const { salId } = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
    const legal = await g.orgOf(DEMO.providerLegalBerkane);
    await g.consent(DEMO.counsellorOujda, c.id, { organisationIds: [legal], fields: ['age_band'] });
    const res = await (await t.as(DEMO.counsellorOujda)).post('/api/v1/referrals').send(body(c, salId, { send: true })).expect(422);
    expect(res.body.code).toBe('CONSENT_NOT_COVERING');
  });

  it('after a withdrawal: drafts are cancelled at once and new sends get 422 CONSENT_WITHDRAWN', async () => {
    const g = given(t);
    const c = await g.caseIn();
    const { salId } = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
    const consentId = await g.consent(DEMO.counsellorOujda, c.id, { categories: ['mhpss'], fields: ['age_band'] });
    const counsellor = await t.as(DEMO.counsellorOujda);
    const draft = await counsellor.post('/api/v1/referrals').send(body(c, salId)).expect(201);
    await g.withdraw(DEMO.counsellorOujda, c.id, consentId);
    const after = await counsellor.get(`/api/v1/referrals/${draft.body.id}`).expect(200);
    expect(after.body).toMatchObject({ status: 'cancelled', reasonCode: 'consent_withdrawn' });
    expect(after.body.history.at(-1)).toMatchObject({ action: 'cancel', from: 'draft', to: 'cancelled', actorId: null });
    const res = await counsellor.post('/api/v1/referrals').send(body(c, salId, { send: true })).expect(422);
    expect(res.body.code).toBe('CONSENT_WITHDRAWN');
  });
});

describe('who sees what', () => {
  it('answers 404 to a provider of another organisation, and to another unit', async () => {
    const { referral } = await given(t).sentReferral();
    for (const who of [DEMO.providerHealthOujda, DEMO.providerLegalBerkane, DEMO.counsellorBerkane]) {
      const as = await t.as(who);
      expect((await as.get(`/api/v1/referrals/${referral.id}`).expect(404)).body.code).toBe('NOT_FOUND');
      await as.get(`/api/v1/referrals/${referral.id}/fhir`).expect(404);
      await as.post(`/api/v1/referrals/${referral.id}/accept`).send({}).expect(404);
      const list = await as.get('/api/v1/referrals?limit=200').expect(200);
      expect(list.body.items.map((r: { id: string }) => r.id)).not.toContain(referral.id);
    }
  });

  it('shows a provider only the shared fields: never the case, the need, unshared identity or incidents', async () => {
    const g = given(t);
    const { referral, case: c } = await g.sentReferral({ sharedFields: ['age_band', 'languages'] });
    const res = await (await t.as(DEMO.providerPssOujda)).get(`/api/v1/referrals/${referral.id}`).expect(200);
    expect(res.body.person).toEqual({ age_band: '25-59', languages: ['fr'] });
    for (const k of ['caseId', 'needId', 'consentId', 'referredById']) expect(res.body).not.toHaveProperty(k);
    const json = JSON.stringify(res.body);
    for (const s of [c.id, c.code, 'Aminata', 'Diallo', '+212600112233', 'GN', 'migrant']) expect(json).not.toContain(s);
    expect(res.body.actions).toEqual(['accept', 'decline']);
    // The unit sees the case link and the history.
    const unit = await (await t.as(DEMO.counsellorOujda)).get(`/api/v1/referrals/${referral.id}`).expect(200);
    expect(unit.body).toMatchObject({ caseId: c.id, sharedFields: ['age_band', 'languages'] });
  });

  it('never shows a unit’s draft to the provider', async () => {
    const g = given(t);
    const c = await g.caseIn();
    const { salId } = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
    const draft = await (await t.as(DEMO.counsellorOujda)).post('/api/v1/referrals').send(body(c, salId)).expect(201);
    await (await t.as(DEMO.providerPssOujda)).get(`/api/v1/referrals/${draft.body.id}`).expect(404);
  });
});

describe('state machine over HTTP', () => {
  it('answers an illegal transition with 409 naming the current state', async () => {
    const { referral } = await given(t).sentReferral();
    const provider = await t.as(DEMO.providerPssOujda);
    const res = await provider.post(`/api/v1/referrals/${referral.id}/complete`).send({ outcomeCode: 'service_provided' }).expect(409);
    expect(res.body).toMatchObject({ code: 'REFERRAL_INVALID_STATE', currentStatus: 'sent' });
    expect(res.body.detail).toContain('sent');
  });

  it('answers an unknown reason code with 400, a missing one with 400 REASON_REQUIRED', async () => {
    const { referral } = await given(t).sentReferral();
    const provider = await t.as(DEMO.providerPssOujda);
    const bad = await provider.post(`/api/v1/referrals/${referral.id}/decline`).send({ reasonCode: 'too_busy_today' }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('reasonCode');
    expect((await provider.post(`/api/v1/referrals/${referral.id}/decline`).send({}).expect(400)).body.code).toBe('REASON_REQUIRED');
    expect((await provider.post(`/api/v1/referrals/${referral.id}/decline`).send({ reasonCode: 'no_show' }).expect(400)).body.code).toBe('REASON_NOT_ALLOWED');
    expect((await provider.post(`/api/v1/referrals/${referral.id}/decline`).send({ reasonCode: 'other' }).expect(400)).body.code).toBe('REASON_TEXT_REQUIRED');
    await provider.post(`/api/v1/referrals/${referral.id}/frobnicate`).send({}).expect(404);
  });

  it('keeps each side to its own steps', async () => {
    const { referral } = await given(t).sentReferral();
    expect((await (await t.as(DEMO.counsellorOujda)).post(`/api/v1/referrals/${referral.id}/accept`).send({}).expect(403)).body.code).toBe('REFERRAL_NOT_YOUR_STEP');
    await (await t.as(DEMO.providerPssOujda)).post(`/api/v1/referrals/${referral.id}/cancel`).send({}).expect(403);
  });

  it('lets exactly one of 20 concurrent accepts win; the 19 others get 409 naming the state', async () => {
    const { referral } = await given(t).sentReferral();
    const token = await t.token(DEMO.providerPssOujda);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.http().post(`/api/v1/referrals/${referral.id}/accept`).set('Authorization', `Bearer ${token}`).send({})),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body).toMatchObject({ code: 'REFERRAL_INVALID_STATE', currentStatus: 'accepted' });
    const history = await t.db.query(`SELECT action FROM referral_event WHERE referral_id = $1 AND action = 'accept'`, [referral.id]);
    expect(history.rows).toHaveLength(1);
    const v = await t.db.query(`SELECT version, status FROM referral WHERE id = $1`, [referral.id]);
    expect(v.rows[0]).toEqual({ version: referral.version + 1, status: 'accepted' });
  });

  it('requires an outcome to complete, and a livelihood outcome only for employment/business', async () => {
    const { referral } = await given(t).sentReferral();
    const provider = await t.as(DEMO.providerPssOujda);
    await provider.post(`/api/v1/referrals/${referral.id}/accept`).send({}).expect(200);
    await provider.post(`/api/v1/referrals/${referral.id}/start`).send({}).expect(200);
    expect((await provider.post(`/api/v1/referrals/${referral.id}/complete`).send({}).expect(400)).body.code).toBe('OUTCOME_REQUIRED');
    expect((await provider.post(`/api/v1/referrals/${referral.id}/complete`).send({ outcomeCode: 'business_opened' }).expect(400)).body.code).toBe('OUTCOME_NOT_ALLOWED');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM delivery WHERE referral_id = $1`, [referral.id])).rows[0].n).toBe(0);
  });
});

describe('Idempotency-Key on creation', () => {
  it('returns the first result for a repeated key, 422 for the same key with another body, 400 for a malformed key', async () => {
    const g = given(t);
    const c = await g.caseIn();
    const { salId } = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
    const counsellor = await t.as(DEMO.counsellorOujda);
    const first = await counsellor.post('/api/v1/referrals').set('Idempotency-Key', 'create-ref-1').send(body(c, salId)).expect(201);
    const again = await counsellor.post('/api/v1/referrals').set('Idempotency-Key', 'create-ref-1').send(body(c, salId)).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM referral WHERE case_id = $1`, [c.id])).rows[0].n).toBe(1);
    const other = await counsellor.post('/api/v1/referrals').set('Idempotency-Key', 'create-ref-1').send(body(c, salId, { priority: 'urgent' })).expect(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await counsellor.post('/api/v1/referrals').set('Idempotency-Key', 'x'.repeat(201)).send(body(c, salId)).expect(400);
  });
});

describe('ability ⇔ SQL scope', () => {
  it('lists, for every demo account, exactly the referrals its CASL rules allow it to read', async () => {
    const g = given(t);
    await g.sentReferral();
    const c = await g.caseIn(DEMO.counsellorBerkane, ['mhpss']);
    const { salId } = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
    await (await t.as(DEMO.counsellorBerkane)).post('/api/v1/referrals').send(body(c, salId)).expect(201); // a Berkane draft

    const { defineAbilityFor } = await import('../../src/authorization/ability.factory.js');
    const { subject } = await import('@casl/ability');
    const rows = (await t.db.query(`SELECT id, unit_id, provider_organisation_id, status FROM referral`)).rows;
    for (const email of Object.values(DEMO)) {
      const u = (
        await t.db.query(
          `SELECT u.id, u.roles::text[] AS roles, u.language, o.id AS org, o.type, o.region_id, o.province_id FROM app_user u JOIN organisation o ON o.id = u.organisation_id WHERE u.email = $1`,
          [email],
        )
      ).rows[0];
      const ability = defineAbilityFor({ userId: u.id, organisationId: u.org, organisationType: u.type, regionId: u.region_id, provinceId: u.province_id, roles: u.roles, language: u.language });
      const expected = rows
        .filter((r) => ability.can('read', subject('Referral', { unitId: r.unit_id, providerOrganisationId: r.provider_organisation_id, status: r.status }) as never))
        .map((r) => r.id)
        .sort();
      const as = await t.as(email);
      if (!ability.can('read', 'Referral')) {
        await as.get('/api/v1/referrals').expect(403);
        continue;
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await as.get(`/api/v1/referrals?limit=50${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        seen.push(...page.body.items.map((r) => r.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual(expected);
    }
  });
});
