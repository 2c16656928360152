import { createHash } from 'node:crypto';
import type { OutcomeCode, Priority, ReasonCode, ReferralStatus } from './referral-state.js';
import type { SharedValues } from './shared-fields.js';

/**
 * FHIR R4 view of a referral, after the HL7 Gravity "SDOH Clinical Care" closed-loop pattern:
 * a ServiceRequest (what is asked, by whom, under which consent) and a Task for referral
 * management (its `focus` is the ServiceRequest, `owner` the provider, `status` the loop's state).
 * Pure functions: the service gives them a referral already cut to its shared fields.
 */
export const FHIR_CODE_SYSTEM_BASE = 'http://tawjih.org/fhir/CodeSystem';
const cs = (name: string) => `${FHIR_CODE_SYSTEM_BASE}/${name}`;

/**
 * Task.status per Gravity (SDOHCC Task For Referral Management, SDOHCC ValueSet Task Status):
 * requested when sent, accepted, in-progress, completed; the provider declining is `rejected`;
 * an accepted referral that could not be delivered is `failed`; the unit withdrawing is `cancelled`.
 */
export const TASK_STATUS: Readonly<Record<ReferralStatus, string>> = {
  draft: 'draft',
  sent: 'requested',
  accepted: 'accepted',
  in_progress: 'in-progress',
  completed: 'completed',
  not_completed: 'failed',
  declined: 'rejected',
  cancelled: 'cancelled',
};

/**
 * ServiceRequest.status: active while the loop is open; completed when the service was provided;
 * revoked when the request ended without it (declined, not completed, cancelled) — a re-referral
 * is a new ServiceRequest that `replaces` the revoked one.
 */
export const SERVICE_REQUEST_STATUS: Readonly<Record<ReferralStatus, string>> = {
  draft: 'draft',
  sent: 'active',
  accepted: 'active',
  in_progress: 'active',
  completed: 'completed',
  not_completed: 'revoked',
  declined: 'revoked',
  cancelled: 'revoked',
};

/** FHIR request-priority: an emergency (4 h) is `stat`. */
export const FHIR_PRIORITY: Readonly<Record<Priority, string>> = { emergency: 'stat', urgent: 'urgent', routine: 'routine' };

export interface FhirReferralInput {
  id: string;
  reference: string;
  status: ReferralStatus;
  priority: Priority;
  category: string;
  serviceId: string;
  serviceName: string;
  locationName: string | null;
  unit: { id: string; name: string };
  provider: { id: string; name: string };
  consentId: string | null;
  createdAt: Date;
  sentAt: Date | null;
  updatedAt: Date;
  responseDueAt: Date | null;
  appointmentAt: Date | null;
  reasonCode: ReasonCode | null;
  reasonText: string | null;
  outcomeCode: OutcomeCode | null;
  noteForProvider: string | null;
  previousReferralId: string | null;
  /** Only the fields this referral shared when it was sent (see pickShared). */
  person: SharedValues;
  /** A consent withdrawal erased what the referral shared: the subject is tagged so, and carries nothing. */
  consentWithdrawn?: boolean;
}

type Json = Record<string, unknown>;

/** A stable UUID for a resource derived from the referral (so the Bundle is the same on every read). */
export function derivedUuid(referralId: string, what: string): string {
  const h = createHash('sha1').update(`${referralId}:${what}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const urn = (id: string) => `urn:uuid:${id}`;
const iso = (d: Date | null) => (d ? d.toISOString() : undefined);
const compact = <T extends Json>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))) as T;

const GENDER: Record<string, string> = { female: 'female', male: 'male', other: 'other', unknown: 'unknown' };

function patient(id: string, p: SharedValues, consentWithdrawn = false): Json {
  const ext: Json[] = [];
  if (p.nationality) ext.push({ url: 'http://hl7.org/fhir/StructureDefinition/patient-nationality', extension: [{ url: 'code', valueCodeableConcept: { coding: [{ system: 'urn:iso:std:iso:3166', code: p.nationality }] } }] });
  if (p.age_band) ext.push({ url: cs('age-band'), valueCode: p.age_band });
  if (p.population_group) ext.push({ url: cs('population-group'), valueCode: p.population_group });
  return compact({
    resourceType: 'Patient',
    id,
    // Nothing identifying unless shared: the subject of this referral, not the case.
    meta: compact({
      security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }],
      tag: consentWithdrawn ? [{ system: cs('sharing'), code: 'consent-withdrawn' }] : undefined,
    }),
    extension: ext,
    identifier: p.documents ? [compact({ type: { coding: [{ system: cs('document-type'), code: p.documents.type }] }, value: p.documents.number ?? undefined })] : undefined,
    name: p.name ? [{ text: p.name }] : undefined,
    telecom: p.phone ? [{ system: 'phone', value: p.phone }] : undefined,
    gender: p.sex ? (GENDER[p.sex] ?? 'unknown') : undefined,
    communication: p.languages?.map((code) => ({ language: { coding: [{ system: 'urn:ietf:bcp:47', code }] } })),
  });
}

function organization(o: { id: string; name: string }): Json {
  return { resourceType: 'Organization', id: o.id, name: o.name };
}

/** ServiceRequest + Task (+ the subject, the two organisations and any shared incidents) as a collection Bundle. */
export function toFhirBundle(r: FhirReferralInput, now = new Date()): Json {
  const patientId = derivedUuid(r.id, 'subject');
  const taskId = derivedUuid(r.id, 'task');
  const subject = { reference: urn(patientId) };
  // Incidents travel only when shared for this referral (incident_summary): GBVIMS type, date, delay.
  const incidents = (r.person.incident_summary ?? []).map((inc, i) => {
    const id = derivedUuid(r.id, `incident:${i}`);
    return {
      id,
      resource: compact({
        resourceType: 'Observation',
        id,
        status: 'final',
        category: [{ coding: [{ system: cs('observation-category'), code: 'gbv-incident' }] }],
        code: { coding: [{ system: cs('gbvims-incident-type'), code: inc.type }] },
        subject,
        effectiveDateTime: inc.incidentDate ?? undefined,
        valueCodeableConcept: inc.timeElapsed ? { coding: [{ system: cs('gbvims-time-elapsed'), code: inc.timeElapsed }] } : undefined,
      }),
    };
  });
  const reason = r.reasonCode ? compact({ coding: [{ system: cs('referral-reason'), code: r.reasonCode }], text: r.reasonCode === 'other' ? (r.reasonText ?? undefined) : undefined }) : undefined;

  const serviceRequest = compact({
    resourceType: 'ServiceRequest',
    id: r.id,
    identifier: [{ system: cs('referral-reference'), value: r.reference }],
    status: SERVICE_REQUEST_STATUS[r.status],
    intent: 'order',
    priority: FHIR_PRIORITY[r.priority],
    category: [{ coding: [{ system: cs('need-category'), code: r.category }] }],
    code: { coding: [{ system: cs('service'), code: r.serviceId }], text: r.serviceName },
    subject,
    // The person's open needs, when shared (needs_summary).
    reasonCode: r.person.needs_summary?.map((code) => ({ coding: [{ system: cs('need-category'), code }] })),
    authoredOn: iso(r.createdAt),
    requester: { reference: urn(r.unit.id), display: r.unit.name },
    performer: [{ reference: urn(r.provider.id), display: r.provider.name }],
    locationReference: r.locationName ? [{ display: r.locationName }] : undefined,
    replaces: r.previousReferralId ? [{ reference: `ServiceRequest/${r.previousReferralId}` }] : undefined,
    // Gravity's SupportedConsent slice: the consent under which the data travels.
    supportingInfo: [...(r.consentId ? [{ reference: `Consent/${r.consentId}`, type: 'Consent' }] : []), ...incidents.map((i) => ({ reference: urn(i.id) }))],
    note: r.noteForProvider ? [{ text: r.noteForProvider }] : undefined,
  });

  const task = compact({
    resourceType: 'Task',
    id: taskId,
    meta: { profile: ['http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-TaskForReferralManagement'] },
    identifier: [{ system: cs('referral-reference'), value: r.reference }],
    status: TASK_STATUS[r.status],
    statusReason: reason,
    intent: 'order',
    priority: FHIR_PRIORITY[r.priority],
    code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] },
    focus: { reference: urn(r.id) },
    for: subject,
    authoredOn: iso(r.sentAt ?? r.createdAt),
    lastModified: iso(r.updatedAt),
    requester: { reference: urn(r.unit.id), display: r.unit.name },
    owner: { reference: urn(r.provider.id), display: r.provider.name },
    restriction: r.responseDueAt ? { period: { end: iso(r.responseDueAt) } } : undefined,
    executionPeriod: r.appointmentAt ? { start: iso(r.appointmentAt) } : undefined,
    output: r.outcomeCode
      ? [{ type: { coding: [{ system: cs('task-output'), code: 'outcome' }] }, valueCodeableConcept: { coding: [{ system: cs('referral-outcome'), code: r.outcomeCode }] } }]
      : undefined,
  });

  const entries: Array<{ id: string; resource: Json }> = [
    { id: r.id, resource: serviceRequest },
    { id: taskId, resource: task },
    { id: patientId, resource: patient(patientId, r.person, r.consentWithdrawn) },
    { id: r.unit.id, resource: organization(r.unit) },
    { id: r.provider.id, resource: organization(r.provider) },
    ...incidents,
  ];
  return {
    resourceType: 'Bundle',
    id: derivedUuid(r.id, `bundle:${r.updatedAt.toISOString()}`),
    type: 'collection',
    timestamp: now.toISOString(),
    entry: entries.map((e) => ({ fullUrl: urn(e.id), resource: e.resource })),
  };
}
