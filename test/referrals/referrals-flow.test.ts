import { OutboxWorker } from '../../src/notifications/outbox.worker.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { given } from './given.js';

let smtp: TestSmtp;
let t: TestApp;
let worker: OutboxWorker;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestApp({ SMTP_URL: smtp.url });
  worker = t.app.get(OutboxWorker);
  // What the seed queued (invitations…) is not this file's business.
  await t.db.query(`UPDATE outbox_message SET status = 'sent' WHERE status = 'pending'`);
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

const PERSON_SECRETS = ['Aminata', 'Diallo', '+212600112233', '1996-02-10', 'female counsellor'];

describe('referral closed loop, end to end', () => {
  it('case → consent → referral → focal point e-mail → accept → start → complete → counsellor e-mail → delivery → full history', async () => {
    const g = given(t);
    const counsellor = await t.as(DEMO.counsellorOujda);
    const provider = await t.as(DEMO.providerPssOujda);

    const c = await g.caseIn(DEMO.counsellorOujda, ['mhpss']);
    const target = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
    await g.consent(DEMO.counsellorOujda, c.id, { categories: ['mhpss'], fields: ['age_band', 'sex', 'languages'] });

    const created = await counsellor
      .post('/api/v1/referrals')
      .send({ caseId: c.id, needId: c.need('mhpss'), serviceAtLocationId: target.salId, priority: 'urgent', sharedFields: ['age_band', 'languages'], noteForProvider: 'Prefers a female counsellor.' })
      .expect(201);
    expect(created.body).toMatchObject({ status: 'draft', priority: 'urgent', caseId: c.id, actions: ['send', 'cancel'] });
    expect(created.body.reference).toMatch(/^REF-OUJ-\d{4}-\d{6}$/);
    const id = created.body.id as string;

    const sent = await counsellor.post(`/api/v1/referrals/${id}/send`).send({}).expect(200);
    expect(sent.body.status).toBe('sent');
    expect(Date.parse(sent.body.responseDueAt) - Date.parse(sent.body.sentAt)).toBe(24 * 3_600_000);

    await worker.drain();
    const focal = smtp.to(DEMO.providerPssOujda);
    expect(focal).toHaveLength(1);
    expect(focal[0]!.subject).toContain(created.body.reference);
    expect(focal[0]!.text).toContain(`http://tawjih.test/referrals/${id}`);
    for (const s of [...PERSON_SECRETS, c.code]) expect(focal[0]!.raw + focal[0]!.text).not.toContain(s);

    await provider.post(`/api/v1/referrals/${id}/accept`).send({ appointmentAt: '2026-12-01T10:00:00Z' }).expect(200);
    await provider.post(`/api/v1/referrals/${id}/start`).send({}).expect(200);
    const done = await provider.post(`/api/v1/referrals/${id}/complete`).send({ outcomeCode: 'service_provided' }).expect(200);
    expect(done.body).toMatchObject({ status: 'completed', outcomeCode: 'service_provided' });

    await worker.drain();
    const back = smtp.to(DEMO.counsellorOujda);
    // One e-mail per answer (the worker does not promise their order).
    expect(back).toHaveLength(2);
    expect(back.map((m) => m.subject).sort()).toEqual([`Tawjih : orientation acceptée ${created.body.reference}`, `Tawjih : orientation clôturée ${created.body.reference}`]);
    for (const m of back) {
      expect(m.text).toContain(created.body.reference);
      for (const s of [...PERSON_SECRETS, c.code]) expect(m.raw + m.text).not.toContain(s);
    }

    const delivery = await t.db.query(`SELECT case_id, outcome, provider_organisation_id, category FROM delivery WHERE referral_id = $1`, [id]);
    expect(delivery.rows).toEqual([{ case_id: c.id, outcome: 'service_provided', provider_organisation_id: target.organisationId, category: 'mhpss' }]);
    const deliveries = await counsellor.get(`/api/v1/cases/${c.id}/deliveries`).expect(200);
    expect(JSON.stringify(deliveries.body)).toContain(id);
    // Service provided: the referral's need is met (the loop closes on the case).
    const needs = await counsellor.get(`/api/v1/cases/${c.id}/needs`).expect(200);
    expect(needs.body.find((n: { id: string }) => n.id === c.need('mhpss'))).toMatchObject({ status: 'met' });

    const view = await counsellor.get(`/api/v1/referrals/${id}`).expect(200);
    const counsellorId = await g.userId(DEMO.counsellorOujda);
    const providerId = await g.userId(DEMO.providerPssOujda);
    expect(view.body.history.map((h: Record<string, unknown>) => [h.action, h.from, h.to, h.actorId])).toEqual([
      ['create', null, 'draft', counsellorId],
      ['send', 'draft', 'sent', counsellorId],
      ['accept', 'sent', 'accepted', providerId],
      ['start', 'accepted', 'in_progress', providerId],
      ['complete', 'in_progress', 'completed', providerId],
    ]);
    expect(view.body.history[4].outcomeCode).toBe('service_provided');
    for (const h of view.body.history) expect(Number.isNaN(Date.parse(h.at))).toBe(false);

    // Directory feedback: the service's median time to accept is recorded for the suggestions.
    const stats = await t.db.query(`SELECT * FROM service_response_stats WHERE service_id = $1`, [target.serviceId]);
    expect(stats.rows).toHaveLength(1);
  });

  it('keeps referrals sent during an SMTP outage and delivers each e-mail exactly once when the server is back', async () => {
    const g = given(t);
    await smtp.stop();
    smtp.received.length = 0;
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push(await g.sentReferral());
    // Committed, whatever the mail server does.
    const rows = await t.db.query(`SELECT status FROM referral WHERE id = ANY($1)`, [sent.map((s) => s.referral.id)]);
    expect(rows.rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);

    const down = await worker.drain();
    expect(down.sent).toBe(0);
    expect(down.failed).toBe(3);

    await smtp.start();
    await t.db.query(`UPDATE outbox_message SET next_attempt_at = now() WHERE status = 'pending'`);
    expect(await worker.drain()).toEqual({ sent: 3, failed: 0 });
    expect(await worker.drain()).toEqual({ sent: 0, failed: 0 });
    for (const s of sent) expect(smtp.received.filter((m) => m.subject.includes(s.referral.reference))).toHaveLength(1);
  });

  it('tells the focal points when the unit cancels a referral they had received, and nobody for a cancelled draft', async () => {
    const g = given(t);
    const counsellor = await t.as(DEMO.counsellorOujda);
    const { referral, case: c } = await g.sentReferral();
    await worker.drain();
    smtp.received.length = 0;

    await counsellor.post(`/api/v1/referrals/${referral.id}/cancel`).send({ reasonCode: 'person_declined' }).expect(200);
    await worker.drain();
    const focal = smtp.to(DEMO.providerPssOujda);
    // In the focal point's own language (Arabic for this demo provider).
    expect(focal.map((m) => m.subject)).toEqual([`توجيه: تم إلغاء الإحالة ${referral.reference}`]);
    expect(focal[0]!.text).toContain(`http://tawjih.test/referrals/${referral.id}`);
    for (const s of [...PERSON_SECRETS, c.code]) expect(focal[0]!.raw + focal[0]!.text).not.toContain(s);

    smtp.received.length = 0;
    const target = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
    const draft = await counsellor.post('/api/v1/referrals').send({ caseId: c.id, needId: c.need('mhpss'), serviceAtLocationId: target.salId, priority: 'routine', sharedFields: ['age_band'] }).expect(201);
    await counsellor.post(`/api/v1/referrals/${draft.body.id}/cancel`).send({ reasonCode: 'person_declined' }).expect(200);
    await worker.drain();
    expect(smtp.received).toHaveLength(0);
  });

  it('re-refers in one step after a decline, to the service the provider proposed, linked to the first', async () => {
    const g = given(t);
    const { referral, case: c } = await g.sentReferral();
    const other = await t.db.query(
      `SELECT sal.id FROM service_at_location sal JOIN service s ON s.id = sal.service_id
        WHERE 'mhpss' = ANY(s.categories) AND s.status = 'active' AND s.organisation_id <> (SELECT organisation_id FROM app_user WHERE email = $1)
          AND s.tier <> 'restricted' ORDER BY s.created_at LIMIT 1`,
      [DEMO.providerPssOujda],
    );
    const proposed = other.rows[0].id as string;
    await (await t.as(DEMO.providerPssOujda)).post(`/api/v1/referrals/${referral.id}/decline`).send({ reasonCode: 'no_capacity', proposedServiceAtLocationId: proposed }).expect(200);
    // The consent must cover the new organisation's category: it does (categories: mhpss, no organisation restriction).
    const again = await (await t.as(DEMO.counsellorOujda)).post(`/api/v1/referrals/${referral.id}/re-refer`).send({}).expect(201);
    expect(again.body).toMatchObject({ status: 'sent', previousReferralId: referral.id, serviceAtLocationId: proposed, caseId: c.id });
    expect(again.body.history.map((h: { action: string }) => h.action)).toEqual(['re-refer', 'send']);
    await (await t.as(DEMO.counsellorOujda)).post(`/api/v1/referrals/${again.body.id}/re-refer`).send({}).expect(409);
  });

  it('lists the unit’s outbox and the provider’s inbox with status and overdue filters, counts and keyset pages', async () => {
    const g = given(t);
    for (let i = 0; i < 3; i++) await g.sentReferral({ priority: 'emergency' });
    // One of them is four hours old: overdue.
    const late = await g.sentReferral({ priority: 'emergency' });
    await t.db.query(`UPDATE referral SET sent_at = now() - interval '5 hours', response_due_at = now() - interval '1 hour' WHERE id = $1`, [late.referral.id]);

    const provider = await t.as(DEMO.providerPssOujda);
    const overdue = await provider.get('/api/v1/referrals?overdue=true').expect(200);
    expect(overdue.body.items.map((r: { id: string }) => r.id)).toEqual([late.referral.id]);
    expect(overdue.body.items[0]).toMatchObject({ overdue: true, status: 'sent' });

    const counts = await provider.get('/api/v1/referrals/counts').expect(200);
    expect(counts.body.overdue).toBe(1);
    expect(counts.body.draft).toBe(0); // a provider never sees drafts
    const all = await t.db.query(`SELECT status, count(*)::int AS n FROM referral WHERE provider_organisation_id = $1 AND status <> 'draft' GROUP BY status`, [late.target.organisationId]);
    for (const row of all.rows) expect(counts.body[row.status]).toBe(row.n);

    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string; status: string }>; nextCursor: string | null } } = await provider.get(`/api/v1/referrals?status=sent,declined&limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      for (const r of page.body.items) {
        expect(['sent', 'declined']).toContain(r.status);
        expect(seen.has(r.id)).toBe(false);
        seen.add(r.id);
      }
      cursor = page.body.nextCursor;
    } while (cursor);
    const expected = all.rows.filter((r) => r.status === 'sent' || r.status === 'declined').reduce((n, r) => n + r.n, 0);
    expect(seen.size).toBe(expected);

    const unit = await (await t.as(DEMO.counsellorOujda)).get('/api/v1/referrals?status=sent').expect(200);
    expect(unit.body.items.every((r: { unitId: string }) => r.unitId === unit.body.items[0].unitId)).toBe(true);
    await (await t.as(DEMO.counsellorOujda)).get('/api/v1/referrals?status=bogus').expect(400);
  });

  it('answers GET /referrals/{id}/fhir with a Bundle of ServiceRequest and Task, consent referenced, only shared fields', async () => {
    const g = given(t);
    const { referral } = await g.sentReferral({ sharedFields: ['age_band', 'languages'] });
    const res = await (await t.as(DEMO.providerPssOujda)).get(`/api/v1/referrals/${referral.id}/fhir`).expect(200);
    expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
    const types = res.body.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType);
    expect(types).toEqual(expect.arrayContaining(['ServiceRequest', 'Task', 'Patient']));
    const task = res.body.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Task').resource;
    expect(task.status).toBe('requested');
    const sr = res.body.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'ServiceRequest').resource;
    // The consent travels in the Bundle (Gravity SupportedSupportingInfo), referenced by its entry.
    const consent = res.body.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Consent');
    expect(sr.supportingInfo).toEqual([{ reference: consent.fullUrl, type: 'Consent' }]);
    const json = JSON.stringify(res.body);
    for (const s of PERSON_SECRETS.slice(0, 4)) expect(json).not.toContain(s);
    expect(json).toContain('25-59');
  });
});
