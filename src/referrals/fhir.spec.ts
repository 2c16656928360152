import fc from 'fast-check';
import { FHIR_PRIORITY, SERVICE_REQUEST_STATUS, TASK_STATUS, toFhirBundle, type FhirReferralInput } from './fhir.js';
import { REFERRAL_STATUSES, type ReferralStatus } from './referral-state.js';
import { pickShared, SHAREABLE_FIELDS, type SharedValues } from './shared-fields.js';

const FULL: SharedValues = {
  name: 'Aminata Diallo',
  phone: '+212600112233',
  sex: 'female',
  age_band: '25-59',
  nationality: 'GN',
  population_group: 'migrant',
  languages: ['fr'],
  needs_summary: ['mhpss', 'legal_aid'],
  incident_summary: [{ type: 'rape', timeElapsed: '0_3_days', incidentDate: '2026-03-01' }],
  documents: { type: 'passport', number: 'GN1234567' },
};
const input = (over: Partial<FhirReferralInput> = {}): FhirReferralInput => ({
  id: '6f1c1f38-1d2c-4b7e-9a51-3d1d4f8f0d11',
  reference: 'REF-OUJ-2026-000123',
  status: 'sent',
  priority: 'emergency',
  category: 'clinical_management_of_rape',
  serviceId: '0b5d4a8e-0000-4000-8000-000000000001',
  serviceName: 'Prise en charge clinique du viol',
  locationName: 'CHR Al Farabi',
  unit: { id: '0b5d4a8e-0000-4000-8000-000000000002', name: "Unité d'écoute Oujda" },
  provider: { id: '0b5d4a8e-0000-4000-8000-000000000003', name: 'CHR Al Farabi' },
  consentId: '0b5d4a8e-0000-4000-8000-000000000004',
  createdAt: new Date('2026-03-02T08:00:00Z'),
  sentAt: new Date('2026-03-02T08:05:00Z'),
  updatedAt: new Date('2026-03-02T08:05:00Z'),
  responseDueAt: new Date('2026-03-02T12:05:00Z'),
  appointmentAt: null,
  reasonCode: null,
  reasonText: null,
  outcomeCode: null,
  noteForProvider: 'Arrive with a counsellor.',
  previousReferralId: null,
  person: pickShared(FULL, ['sex', 'age_band']),
  ...over,
});

type Entry = { fullUrl: string; resource: Record<string, any> };
const entries = (b: Record<string, unknown>) => b.entry as Entry[];
const one = (b: Record<string, unknown>, type: string) => entries(b).find((e) => e.resource.resourceType === type)!.resource;

/** Every `reference` string anywhere in a value. */
function references(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => references(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) k === 'reference' && typeof x === 'string' ? out.push(x) : references(x, out);
  return out;
}

describe('FHIR R4 mapping (Gravity SDOH closed-loop referral)', () => {
  it('maps every state to the Gravity Task status and a ServiceRequest status', () => {
    const gravityTask = ['draft', 'requested', 'received', 'accepted', 'rejected', 'ready', 'cancelled', 'in-progress', 'on-hold', 'failed', 'completed', 'entered-in-error'];
    const srStatus = ['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown'];
    for (const s of REFERRAL_STATUSES) {
      expect(gravityTask).toContain(TASK_STATUS[s]);
      expect(srStatus).toContain(SERVICE_REQUEST_STATUS[s]);
    }
    expect(TASK_STATUS).toMatchObject({ sent: 'requested', declined: 'rejected', not_completed: 'failed', in_progress: 'in-progress' });
    expect(FHIR_PRIORITY.emergency).toBe('stat');
  });

  it('builds a collection Bundle whose Task focuses the ServiceRequest, owned by the provider, requested by the unit', () => {
    const b = toFhirBundle(input());
    expect(b).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const sr = one(b, 'ServiceRequest');
    const task = one(b, 'Task');
    expect(sr).toMatchObject({ status: 'active', intent: 'order', priority: 'stat', identifier: [{ value: 'REF-OUJ-2026-000123' }] });
    expect(task).toMatchObject({ status: 'requested', intent: 'order', focus: { reference: `urn:uuid:${sr.id}` }, owner: { display: 'CHR Al Farabi' }, restriction: { period: { end: '2026-03-02T12:05:00.000Z' } } });
    expect(task.for).toEqual(sr.subject);
  });

  it('references the consent (Gravity SupportedConsent) and resolves every other reference inside the Bundle', () => {
    const b = toFhirBundle(input({ person: pickShared(FULL, [...SHAREABLE_FIELDS]) }));
    const sr = one(b, 'ServiceRequest');
    expect(sr.supportingInfo).toContainEqual({ reference: 'Consent/0b5d4a8e-0000-4000-8000-000000000004', type: 'Consent' });
    const urls = new Set(entries(b).map((e) => e.fullUrl));
    for (const ref of references(b)) if (ref.startsWith('urn:uuid:')) expect(urls).toContain(ref);
    expect(entries(b).filter((e) => e.resource.resourceType === 'Observation')).toHaveLength(1);
  });

  it('carries the reason when declined, the outcome when completed, the predecessor on a re-referral', () => {
    expect(one(toFhirBundle(input({ status: 'declined', reasonCode: 'no_capacity' })), 'Task')).toMatchObject({ status: 'rejected', statusReason: { coding: [{ code: 'no_capacity' }] } });
    const done = toFhirBundle(input({ status: 'completed', outcomeCode: 'service_provided' }));
    expect(one(done, 'Task').output[0].valueCodeableConcept.coding[0].code).toBe('service_provided');
    expect(one(done, 'ServiceRequest').status).toBe('completed');
    const again = toFhirBundle(input({ previousReferralId: '0b5d4a8e-0000-4000-8000-0000000000ff' }));
    expect(one(again, 'ServiceRequest').replaces).toEqual([{ reference: 'ServiceRequest/0b5d4a8e-0000-4000-8000-0000000000ff' }]);
  });

  it('contains no personal value that was not shared, for any choice of shared fields and any state', () => {
    const secrets = ['Aminata Diallo', '+212600112233', 'GN1234567', 'legal_aid', '0_3_days', '2026-03-01', '"GN"'];
    const owner: Record<string, string[]> = { name: ['Aminata Diallo'], phone: ['+212600112233'], documents: ['GN1234567'], needs_summary: ['legal_aid'], incident_summary: ['0_3_days', '2026-03-01'], nationality: ['"GN"'] };
    fc.assert(
      fc.property(fc.subarray([...SHAREABLE_FIELDS]), fc.constantFrom<ReferralStatus>(...REFERRAL_STATUSES), (shared, status) => {
        const json = JSON.stringify(toFhirBundle(input({ status, category: 'health_care', person: pickShared(FULL, shared) })));
        const allowed = new Set(shared.flatMap((f) => owner[f] ?? []));
        for (const s of secrets) expect(json.includes(s)).toBe(allowed.has(s));
      }),
    );
  });

  it('is deterministic for the same referral version', () => {
    const now = new Date('2026-03-02T09:00:00Z');
    expect(toFhirBundle(input(), now)).toEqual(toFhirBundle(input(), now));
  });
});
