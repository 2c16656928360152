import fc from 'fast-check';
import { bundleProblems, references } from '../../test/support/fhir-validators.js';
import { FhirCanon } from './fhir-terminology.js';
import { FHIR_PRIORITY, SERVICE_REQUEST_STATUS, TASK_STATUS, toFhirBundle, type FhirContext, type FhirReferralInput } from './fhir.js';
import { REFERRAL_STATUSES, type ReferralStatus } from './referral-state.js';
import { pickShared, SHAREABLE_FIELDS, type SharedValues } from './shared-fields.js';

const FULL: SharedValues = {
  name: 'Aminata Diallo',
  phone: '+212600112233',
  sex: 'female',
  age_band: '25-59',
  nationality: 'GN',
  population_group: 'migrant',
  languages: ['fr', 'other'],
  needs_summary: ['mhpss', 'legal_aid'],
  incident_summary: [{ type: 'rape', timeElapsed: '0_3_days', incidentDate: '2026-03-01' }],
  documents: { type: 'passport', number: 'GN1234567' },
};
const canon = new FhirCanon('https://tawjih.example.ma/');
const ctx = (over: Partial<FhirContext> = {}): FhirContext => ({ canon, language: 'fr', now: new Date('2026-03-02T09:00:00Z'), ...over });
const at = (s: string) => new Date(`2026-03-02T${s}Z`);

/** A referral as it stands in `status`, with the times and codes that state has (sent 08:05, answered 09:00…). */
const input = (status: ReferralStatus = 'sent', over: Partial<FhirReferralInput> = {}): FhirReferralInput => {
  const sent = status !== 'draft' && !(status === 'cancelled' && over.sentAt === null);
  const answered = ['accepted', 'in_progress', 'completed', 'not_completed', 'declined'].includes(status);
  const started = ['in_progress', 'completed'].includes(status) || (status === 'not_completed' && over.startedAt !== null);
  const closed = ['completed', 'not_completed', 'cancelled'].includes(status);
  const reason = ({ declined: 'no_capacity', not_completed: 'no_show', cancelled: 'need_met' } as const)[status as 'declined'] ?? null;
  return {
    id: '6f1c1f38-1d2c-4b7e-9a51-3d1d4f8f0d11',
    reference: 'REF-OUJ-2026-000123',
    status,
    priority: 'emergency',
    category: 'food_basic_needs',
    serviceId: '0b5d4a8e-0000-4000-8000-000000000001',
    serviceName: 'Distribution alimentaire',
    unit: { id: '0b5d4a8e-0000-4000-8000-000000000002', name: "Unité d'écoute Oujda" },
    provider: { id: '0b5d4a8e-0000-4000-8000-000000000003', name: 'Banque alimentaire' },
    consent: { id: '0b5d4a8e-0000-4000-8000-000000000004', givenAt: at('07:30:00'), withdrawnAt: null, method: 'verbal', categories: ['food_basic_needs'], fields: ['sex', 'age_band'] },
    createdAt: at('08:00:00'),
    // The bug this guards: sentAt from the app's clock after updated_at from the database's.
    sentAt: sent ? at('08:05:00.012') : null,
    answeredAt: answered ? at('09:00:00') : null,
    startedAt: started ? at('10:00:00') : null,
    closedAt: closed ? at('11:00:00') : null,
    updatedAt: sent ? at('08:05:00') : at('08:00:00'),
    responseDueAt: sent ? at('12:05:00') : null,
    appointmentAt: answered ? at('14:30:00') : null,
    reasonCode: reason,
    reasonText: null,
    outcomeCode: status === 'completed' ? 'service_provided' : null,
    noteForProvider: 'Arrive with a counsellor.',
    previous: null,
    person: pickShared(FULL, ['sex', 'age_band']),
    ...over,
  };
};

type Entry = { fullUrl: string; resource: Record<string, any> };
const entries = (b: Record<string, unknown>) => b.entry as Entry[];
const one = (b: Record<string, unknown>, type: string) => entries(b).find((e) => e.resource.resourceType === type)!.resource;

describe('FHIR R4 mapping (Gravity SDOH closed-loop referral)', () => {
  it('maps every state to the Gravity Task status and a ServiceRequest status', () => {
    const gravityTask = ['draft', 'requested', 'accepted', 'rejected', 'cancelled', 'in-progress', 'on-hold', 'failed', 'completed', 'entered-in-error'];
    const srStatus = ['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown'];
    for (const s of REFERRAL_STATUSES) {
      expect(gravityTask).toContain(TASK_STATUS[s]);
      expect(srStatus).toContain(SERVICE_REQUEST_STATUS[s]);
    }
    expect(TASK_STATUS).toMatchObject({ sent: 'requested', declined: 'rejected', not_completed: 'failed', in_progress: 'in-progress' });
    expect(FHIR_PRIORITY.emergency).toBe('stat');
  });

  it.each(REFERRAL_STATUSES.map((s) => [s]))('in state %s: no error from the fhir or medplum validator, inv-1 holds, SDOHCC cardinalities met, every reference resolves', (status) => {
    for (const person of [pickShared(FULL, ['sex']), pickShared(FULL, [...SHAREABLE_FIELDS])]) {
      const b = toFhirBundle(input(status, { person }), ctx());
      expect(bundleProblems(b)).toEqual([]);
      const task = one(b, 'Task');
      expect(task.status).toBe(TASK_STATUS[status]);
      expect(task.businessStatus.coding[0]).toMatchObject({ system: 'https://tawjih.example.ma/fhir/CodeSystem/referral-status', code: status });
    }
  });

  it('keeps inv-1 when the database stamped the row before the application stamped the step', () => {
    const b = toFhirBundle(input('sent'), ctx());
    const task = one(b, 'Task');
    expect(task.authoredOn).toBe('2026-03-02T08:05:00.012Z');
    expect(task.lastModified).toBe('2026-03-02T08:05:00.012Z');
  });

  it('builds a collection Bundle whose Task focuses the ServiceRequest, owned by the provider, requested by the unit', () => {
    const b = toFhirBundle(input(), ctx());
    expect(b).toMatchObject({ resourceType: 'Bundle', type: 'collection', language: 'fr' });
    const sr = one(b, 'ServiceRequest');
    const task = one(b, 'Task');
    expect(sr).toMatchObject({ status: 'active', intent: 'order', priority: 'stat', identifier: [{ system: 'https://tawjih.example.ma/fhir/NamingSystem/referral-reference', value: 'REF-OUJ-2026-000123' }] });
    expect(task).toMatchObject({ status: 'requested', intent: 'order', focus: { reference: `urn:uuid:${sr.id}` }, owner: { display: 'Banque alimentaire' }, restriction: { period: { end: '2026-03-02T12:05:00.000Z' } } });
    expect(task.for).toEqual(sr.subject);
  });

  it('puts the Gravity SDOH category beside the local one where one applies, and only the local one otherwise', () => {
    const food = one(toFhirBundle(input(), ctx()), 'ServiceRequest');
    expect(food.category).toEqual([
      { coding: [{ system: 'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes', code: 'food-insecurity', display: 'Food Insecurity' }] },
      { coding: [{ system: 'https://tawjih.example.ma/fhir/CodeSystem/need-category', code: 'food_basic_needs', display: expect.any(String) }], text: expect.any(String) },
    ]);
    const legal = one(toFhirBundle(input('sent', { category: 'legal_aid' }), ctx()), 'ServiceRequest');
    expect(legal.category).toHaveLength(1);
    expect(legal.category[0].coding[0].code).toBe('legal_aid');
  });

  it('carries the consent in the Bundle: scope, status, period, covered fields, no narrative', () => {
    const b = toFhirBundle(input('sent', { consent: { ...input().consent!, withdrawnAt: at('15:00:00') } }), ctx());
    const sr = one(b, 'ServiceRequest');
    const consent = one(b, 'Consent');
    expect(sr.supportingInfo).toEqual([{ reference: `urn:uuid:${consent.id}`, type: 'Consent' }]);
    expect(consent).toMatchObject({
      status: 'inactive',
      scope: { coding: [{ code: 'patient-privacy' }] },
      provision: { type: 'permit', period: { start: '2026-03-02T07:30:00.000Z', end: '2026-03-02T15:00:00.000Z' }, class: [{ code: 'sex' }, { code: 'age_band' }] },
    });
    expect(consent.text).toBeUndefined();
    const none = toFhirBundle(input('sent', { consent: null }), ctx());
    expect(one(none, 'ServiceRequest').supportingInfo).toBeUndefined();
    expect(entries(none).some((e) => e.resource.resourceType === 'Consent')).toBe(false);
  });

  it('carries statusReason with its text, the appointment as occurrence, the resulting activity as output', () => {
    const declined = one(toFhirBundle(input('declined'), ctx()), 'Task');
    expect(declined).toMatchObject({ status: 'rejected', statusReason: { coding: [{ code: 'no_capacity' }], text: expect.any(String) } });
    const other = one(toFhirBundle(input('declined', { reasonCode: 'other', reasonText: 'Service moved to Nador.' }), ctx()), 'Task');
    expect(other.statusReason.text).toBe('Service moved to Nador.');
    const done = toFhirBundle(input('completed'), ctx());
    expect(one(done, 'ServiceRequest')).toMatchObject({ status: 'completed', occurrenceDateTime: '2026-03-02T14:30:00.000Z' });
    const task = one(done, 'Task');
    const procedure = one(done, 'Procedure');
    expect(task.output).toEqual([{ type: { coding: [expect.objectContaining({ code: 'resulting-activity' })] }, valueReference: { reference: `urn:uuid:${procedure.id}`, type: 'Procedure' } }]);
    expect(procedure).toMatchObject({ status: 'completed', performedDateTime: '2026-03-02T11:00:00.000Z', outcome: { coding: [{ code: 'service_provided' }] } });
    expect(task.executionPeriod).toEqual({ start: '2026-03-02T10:00:00.000Z', end: '2026-03-02T11:00:00.000Z' });
  });

  it('names the replaced referral by its reference number (a logical reference, nothing to resolve outside the Bundle)', () => {
    const again = one(toFhirBundle(input('sent', { previous: { id: '0b5d4a8e-0000-4000-8000-0000000000ff', reference: 'REF-OUJ-2026-000100' } }), ctx()), 'ServiceRequest');
    expect(again.replaces).toEqual([{ type: 'ServiceRequest', identifier: { system: 'https://tawjih.example.ma/fhir/NamingSystem/referral-reference', value: 'REF-OUJ-2026-000100' }, display: 'REF-OUJ-2026-000100' }]);
  });

  it('speaks the Bundle’s language in every display and text, and only it', () => {
    const fr = JSON.stringify(toFhirBundle(input('declined', { person: pickShared(FULL, [...SHAREABLE_FIELDS]) }), ctx({ language: 'fr' })));
    const ar = toFhirBundle(input('declined', { person: pickShared(FULL, [...SHAREABLE_FIELDS]) }), ctx({ language: 'ar' }));
    expect(ar.language).toBe('ar');
    expect(one(ar, 'Task').statusReason.text).toMatch(/[\u0600-\u06FF]/);
    expect(one(ar, 'Task').businessStatus.text).toMatch(/[\u0600-\u06FF]/);
    expect(one(ar, 'ServiceRequest').category[1].text).toMatch(/[\u0600-\u06FF]/);
    expect(JSON.stringify(ar)).not.toEqual(fr);
    expect(bundleProblems(ar)).toEqual([]);
  });

  it('uses local systems and extensions only under the served canonical base', () => {
    const json = JSON.stringify(toFhirBundle(input('completed', { person: pickShared(FULL, [...SHAREABLE_FIELDS]) }), ctx()));
    const urls = [...json.matchAll(/"(?:system|url)":"([^"]+)"/g)].map((m) => m[1]!);
    const local = urls.filter((u) => u.includes('://') && !/^http:\/\/(hl7\.org|terminology\.hl7\.org|snomed\.info)\//.test(u));
    expect(local.length).toBeGreaterThan(0);
    for (const u of local) expect(u).toMatch(/^https:\/\/tawjih\.example\.ma\/fhir\/(CodeSystem|StructureDefinition|NamingSystem)\/[a-z-]+$/);
  });

  it('contains no personal value that was not shared, for any choice of shared fields and any state', () => {
    const secrets = ['Aminata Diallo', '+212600112233', 'GN1234567', 'legal_aid', '0_3_days', '2026-03-01', '"GN"'];
    const owner: Record<string, string[]> = { name: ['Aminata Diallo'], phone: ['+212600112233'], documents: ['GN1234567'], needs_summary: ['legal_aid'], incident_summary: ['0_3_days', '2026-03-01'], nationality: ['"GN"'] };
    fc.assert(
      fc.property(fc.subarray([...SHAREABLE_FIELDS]), fc.constantFrom<ReferralStatus>(...REFERRAL_STATUSES), (shared, status) => {
        const json = JSON.stringify(toFhirBundle(input(status, { category: 'health_care', person: pickShared(FULL, shared) }), ctx()));
        const allowed = new Set(shared.flatMap((f) => owner[f] ?? []));
        for (const s of secrets) expect(json.includes(s)).toBe(allowed.has(s));
      }),
    );
  });

  it('is deterministic for the same referral version', () => {
    expect(toFhirBundle(input(), ctx())).toEqual(toFhirBundle(input(), ctx()));
    expect(references(toFhirBundle(input(), ctx())).length).toBeGreaterThan(5);
  });
});
