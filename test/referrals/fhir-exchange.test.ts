import { bundleProblems, fhirJsErrors, medplumErrors } from '../support/fhir-validators.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { given } from './given.js';

/**
 * The FHIR Bundle a partner system receives, read over HTTP at every state of the loop (real
 * database clocks, real consent, real directory), judged by two validators nobody here wrote and
 * by the SDOHCC rules; and every local system or extension it names is served at its canonical URL.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 180_000);
afterAll(async () => {
  await t.close();
}, 180_000);

type Res = Record<string, any>;
const resourceOf = (b: Res, type: string): Res => b.entry.find((e: Res) => e.resource.resourceType === type)?.resource;

async function bundle(id: string, as: string = DEMO.providerPssOujda, lang?: string): Promise<Res> {
  const res = await (await t.as(as)).get(`/api/v1/referrals/${id}/fhir${lang ? `?lang=${lang}` : ''}`).expect(200);
  expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
  return res.body as Res;
}

async function step(id: string, transition: string, body: object, as: string) {
  const res = await (await t.as(as)).post(`/api/v1/referrals/${id}/${transition}`).send(body);
  if (res.status !== 200) throw new Error(`${transition}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** The path of a canonical URL of ours on this app, or null when it is not ours. */
const ours = (url: string) => (url.startsWith(`${t.config.publicUrl.replace(/\/+$/, '')}/fhir/`) ? url.slice(t.config.publicUrl.replace(/\/+$/, '').length) : null);

describe('FHIR referral exchange over HTTP', () => {
  it('validates at every state of the loop, for the provider and for the unit, with inv-1 on the database’s own times', async () => {
    const g = given(t);
    const provider = DEMO.providerPssOujda;
    const unit = DEMO.counsellorOujda;
    const seen = new Map<string, Res>();
    const check = async (id: string, state: string) => {
      for (const who of [provider, unit]) {
        if (state === 'draft' && who === provider) continue; // a draft is not the provider's to read
        const b = await bundle(id, who);
        expect({ state, who, problems: bundleProblems(b) }).toEqual({ state, who, problems: [] });
        expect(resourceOf(b, 'Task').businessStatus.coding[0].code).toBe(state);
        seen.set(state, b);
      }
    };

    // draft → sent → accepted → in_progress → completed
    const c = await g.caseIn(DEMO.counsellorOujda, ['mhpss']);
    const target = await g.serviceAtLocation(provider, 'mhpss');
    await g.consent(unit, c.id, { categories: ['mhpss'], fields: ['age_band', 'sex', 'languages', 'needs_summary'] });
    const created = await (await t.as(unit))
      .post('/api/v1/referrals')
      .send({ caseId: c.id, needId: c.need('mhpss'), serviceAtLocationId: target.salId, priority: 'urgent', sharedFields: ['age_band', 'sex', 'languages', 'needs_summary'] })
      .expect(201);
    const id = created.body.id as string;
    await check(id, 'draft');
    await step(id, 'send', {}, unit);
    await check(id, 'sent');
    await step(id, 'accept', { appointmentAt: '2030-01-15T10:00:00Z' }, provider);
    await check(id, 'accepted');
    expect(resourceOf(seen.get('accepted')!, 'ServiceRequest').occurrenceDateTime).toBe('2030-01-15T10:00:00.000Z');
    await step(id, 'start', {}, provider);
    await check(id, 'in_progress');
    await step(id, 'complete', { outcomeCode: 'service_provided' }, provider);
    await check(id, 'completed');
    const done = seen.get('completed')!;
    expect(resourceOf(done, 'Task').output[0].valueReference.reference).toBe(`urn:uuid:${resourceOf(done, 'Procedure').id}`);

    // sent → declined (with a reason), then re-referred; accepted → not_completed; sent → cancelled
    const declined = (await g.sentReferral()).referral.id;
    await step(declined, 'decline', { reasonCode: 'no_capacity' }, provider);
    await check(declined, 'declined');
    expect(resourceOf(seen.get('declined')!, 'Task').statusReason).toMatchObject({ coding: [{ code: 'no_capacity' }], text: expect.any(String) });
    const again = await (await t.as(unit)).post(`/api/v1/referrals/${declined}/re-refer`).send({ serviceAtLocationId: target.salId }).expect(201);
    const reReferred = await bundle(again.body.id);
    expect(bundleProblems(reReferred)).toEqual([]);
    expect(resourceOf(reReferred, 'ServiceRequest').replaces[0].identifier.value).toBe(resourceOf(seen.get('declined')!, 'ServiceRequest').identifier[0].value);

    const failed = (await g.sentReferral()).referral.id;
    await step(failed, 'accept', {}, provider);
    await step(failed, 'not-complete', { reasonCode: 'no_show' }, provider);
    await check(failed, 'not_completed');

    const cancelled = (await g.sentReferral()).referral.id;
    await step(cancelled, 'cancel', { reasonCode: 'need_met' }, unit);
    await check(cancelled, 'cancelled');

    // The consent is in the Bundle, not merely referenced.
    const consent = resourceOf(seen.get('sent')!, 'Consent');
    expect(consent).toMatchObject({ status: 'active', scope: { coding: [{ code: 'patient-privacy' }] } });
    expect(consent.provision.class.map((c: Res) => c.code).sort()).toEqual(['age_band', 'languages', 'needs_summary', 'sex']);
  }, 180_000);

  it('states its language and speaks it whoever reads, and refuses a language it does not speak', async () => {
    const { referral } = await given(t).sentReferral();
    const en = await bundle(referral.id, DEMO.providerPssOujda, 'en');
    const ar = await bundle(referral.id, DEMO.counsellorOujda, 'ar');
    expect(en.language).toBe('en');
    expect(ar.language).toBe('ar');
    expect(resourceOf(ar, 'Task').businessStatus.text).toMatch(/[\u0600-\u06FF]/);
    expect(resourceOf(en, 'Task').businessStatus.text).toBe('Sent');
    // Default: French, not the reader's interface language.
    expect((await bundle(referral.id)).language).toBe('fr');
    const bad = await (await t.as(DEMO.providerPssOujda)).get(`/api/v1/referrals/${referral.id}/fhir?lang=de`).expect(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
  });

  it('serves every local code system, extension and naming system the Bundles name, at their canonical URLs, publicly', async () => {
    const { referral } = await given(t).sentReferral({ sharedFields: ['age_band', 'sex', 'population_group', 'languages', 'documents', 'needs_summary'] });
    const b = await bundle(referral.id);
    const codings: Array<{ system: string; code: string }> = [];
    const urls = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const o = v as Res;
        if (typeof o.system === 'string' && ours(o.system)) (typeof o.code === 'string' ? codings.push({ system: o.system, code: o.code }) : urls.add(o.system));
        if (typeof o.url === 'string' && ours(o.url)) urls.add(o.url);
        Object.values(o).forEach(walk);
      }
    };
    walk(b);
    expect(codings.length).toBeGreaterThan(5);
    const anon = t.http();
    const served = new Map<string, Res>();
    for (const url of [...new Set([...codings.map((c) => c.system), ...urls])]) {
      const res = await anon.get(ours(url)!).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      expect({ url, errors: [...fhirJsErrors(res.body), ...medplumErrors(res.body)] }).toEqual({ url, errors: [] });
      expect(res.body.url ?? res.body.uniqueId?.[0]?.value).toBe(url);
      served.set(url, res.body);
    }
    for (const c of codings) {
      const cs = served.get(c.system)!;
      if (cs.content === 'complete') expect(cs.concept.map((x: Res) => x.code)).toContain(c.code);
    }
    // The extensions bind to value sets that are served too.
    for (const sd of [...served.values()].filter((r) => r.resourceType === 'StructureDefinition')) {
      const vs = sd.differential.element.find((e: Res) => e.binding)?.binding.valueSet as string;
      const res = await anon.get(ours(vs)!).expect(200);
      expect([...fhirJsErrors(res.body), ...medplumErrors(res.body)]).toEqual([]);
    }
  });

  it('answers /fhir/metadata with a valid CapabilityStatement, and 404 for what it does not define', async () => {
    const res = await t.http().get('/fhir/metadata').expect(200);
    expect(res.body).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance' });
    expect([...fhirJsErrors(res.body), ...medplumErrors(res.body)]).toEqual([]);
    await t.http().get('/fhir/CodeSystem/nothing-here').expect(404);
    await t.http().get('/fhir/StructureDefinition/need-category').expect(404);
  });
});
