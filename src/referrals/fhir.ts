import { createHash } from 'node:crypto';
import { label, type Language } from '../vocabulary/index.js';
import { FhirCanon, PROFILES, SDOH_CATEGORY, SDOHCC_TEMPORARY_CODES, SERVICE_SYSTEM } from './fhir-terminology.js';
import type { OutcomeCode, Priority, ReasonCode, ReferralStatus } from './referral-state.js';
import type { SharedValues } from './shared-fields.js';

/**
 * FHIR R4 view of a referral, after the HL7 Gravity "SDOH Clinical Care" closed-loop pattern:
 * a ServiceRequest (what is asked, by whom, under which consent) and a Task for referral
 * management (its `focus` is the ServiceRequest, `owner` the provider, `status` the loop's state,
 * `businessStatus` our own state, `output` the resulting activity once the service was provided).
 * Every system, extension and reference resolves: local ones are served under PUBLIC_URL
 * (fhir-terminology.ts), every `reference` points to an entry of the Bundle. Every text is in the
 * Bundle's stated language, whoever reads it. Pure functions: the service gives them a referral
 * already cut to its shared fields.
 */

/**
 * Task.status per Gravity (SDOHCC ValueSet Referral Task Status: R4 task status less `ready` and
 * `received`): requested when sent, accepted, in-progress, completed; the provider declining is
 * `rejected`; an accepted referral that could not be delivered is `failed`; the unit withdrawing is `cancelled`.
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

/** The consent a referral was sent under, as far as the receiver needs it: no narrative, no giver. */
export interface FhirConsentInput {
  id: string;
  givenAt: Date;
  withdrawnAt: Date | null;
  method: string;
  categories: string[];
  fields: string[];
}

export interface FhirReferralInput {
  id: string;
  reference: string;
  status: ReferralStatus;
  priority: Priority;
  category: string;
  serviceId: string;
  /** In the Bundle's language. */
  serviceName: string;
  unit: { id: string; name: string };
  provider: { id: string; name: string };
  consent: FhirConsentInput | null;
  createdAt: Date;
  sentAt: Date | null;
  answeredAt: Date | null;
  startedAt: Date | null;
  closedAt: Date | null;
  updatedAt: Date;
  responseDueAt: Date | null;
  appointmentAt: Date | null;
  reasonCode: ReasonCode | null;
  reasonText: string | null;
  outcomeCode: OutcomeCode | null;
  noteForProvider: string | null;
  /** The referral this one replaces (a re-referral), by its reference number. */
  previous: { id: string; reference: string } | null;
  /** Only the fields this referral shares (see pickShared). */
  person: SharedValues;
}

export interface FhirContext {
  canon: FhirCanon;
  /** The Bundle's stated language: every display and text follows it. */
  language: Language;
  now?: Date;
}

type Json = Record<string, unknown>;

/** A stable UUID for a resource derived from the referral (so the Bundle is the same on every read). */
export function derivedUuid(referralId: string, what: string): string {
  const h = createHash('sha1').update(`${referralId}:${what}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const urn = (id: string) => `urn:uuid:${id}`;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);
const latest = (...ds: Array<Date | null>) => new Date(Math.max(...ds.filter((d): d is Date => d !== null).map((d) => d.getTime())));
const compact = <T extends Json>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))) as T;

const SNOMED = 'http://snomed.info/sct';
const GENDER: Record<string, string> = { female: 'female', male: 'male', other: 'other', unknown: 'unknown' };
/** Languages we record that are not BCP 47 tags travel as text only. */
const NOT_BCP47 = new Set(['other']);

/** The referral as a FHIR collection Bundle: ServiceRequest, Task, subject, organisations, consent, incidents, resulting activity. */
export function toFhirBundle(r: FhirReferralInput, ctx: FhirContext): Json {
  const { canon, language: lang } = ctx;
  const now = ctx.now ?? new Date();
  const ids = { patient: derivedUuid(r.id, 'subject'), task: derivedUuid(r.id, 'task'), procedure: derivedUuid(r.id, 'resulting-activity') };
  const subject = { reference: urn(ids.patient) };
  const unit = { reference: urn(r.unit.id), type: 'Organization', display: r.unit.name };
  const provider = { reference: urn(r.provider.id), type: 'Organization', display: r.provider.name };
  const focus = { reference: urn(r.id), type: 'ServiceRequest' };

  // Gravity's SDOH slice where one applies, the local category always beside it.
  const sdoh = SDOH_CATEGORY[r.category];
  const localCategory = canon.coding('need-category', r.category, lang);
  const categories = [...(sdoh ? [{ coding: [{ system: SDOHCC_TEMPORARY_CODES, ...sdoh }] }] : []), { coding: [localCategory], text: localCategory.display }];
  // US Core procedure codes are required on the request and on the resulting activity: a SNOMED
  // concept for the kind of act, the directory's service beside it.
  const service = { system: canon.codeSystem(SERVICE_SYSTEM), code: r.serviceId, display: r.serviceName };

  // Incidents travel only when shared for this referral (incident_summary): GBVIMS type, date, delay.
  const incidents = (r.person.incident_summary ?? []).map((inc, i) => {
    const id = derivedUuid(r.id, `incident:${i}`);
    const type = canon.coding('gbvims-incident-type', inc.type, lang);
    const elapsed = inc.timeElapsed ? canon.coding('gbvims-time-elapsed', inc.timeElapsed, lang) : null;
    return compact({
      resourceType: 'Observation',
      id,
      language: lang,
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'social-history', display: 'Social History' }] }],
      code: { coding: [type], text: type.display },
      subject,
      effectiveDateTime: inc.incidentDate ?? undefined,
      valueCodeableConcept: elapsed ? { coding: [elapsed], text: elapsed.display } : undefined,
    });
  });

  const serviceRequest = compact({
    resourceType: 'ServiceRequest',
    id: r.id,
    meta: { profile: [PROFILES.serviceRequest] },
    language: lang,
    identifier: [{ system: canon.namingSystem('referral-reference'), value: r.reference }],
    // A logical reference: the replaced referral is not in this Bundle, its reference number names it.
    replaces: r.previous ? [{ type: 'ServiceRequest', identifier: { system: canon.namingSystem('referral-reference'), value: r.previous.reference }, display: r.previous.reference }] : undefined,
    status: SERVICE_REQUEST_STATUS[r.status],
    intent: 'order',
    category: categories,
    priority: FHIR_PRIORITY[r.priority],
    code: { coding: [{ system: SNOMED, code: '306206005', display: 'Referral to service' }, service], text: r.serviceName },
    subject,
    occurrenceDateTime: iso(r.appointmentAt),
    authoredOn: iso(r.createdAt),
    requester: unit,
    performer: [provider],
    // The person's open needs, when shared (needs_summary); the shared incidents are the reasons' evidence.
    reasonCode: r.person.needs_summary?.map((code) => {
      const c = canon.coding('need-category', code, lang);
      return { coding: [c], text: c.display };
    }),
    reasonReference: incidents.map((o) => ({ reference: urn(o.id as string), type: 'Observation' })),
    // Gravity's SupportedSupportingInfo slice: the consent under which the data travels, in the Bundle.
    supportingInfo: r.consent ? [{ reference: urn(r.consent.id), type: 'Consent' }] : undefined,
    note: r.noteForProvider ? [{ text: r.noteForProvider }] : undefined,
  });

  const authoredOn = r.sentAt ?? r.createdAt;
  const reason = r.reasonCode ? canon.coding('referral-reason', r.reasonCode, lang) : null;
  const businessStatus = canon.coding('referral-status', r.status, lang);
  const begun = r.startedAt ?? r.answeredAt;
  const provided = r.status === 'completed' && r.outcomeCode;
  const task = compact({
    resourceType: 'Task',
    id: ids.task,
    meta: { profile: [PROFILES.task] },
    language: lang,
    identifier: [{ system: canon.namingSystem('referral-reference'), value: r.reference }],
    status: TASK_STATUS[r.status],
    // SDOHCC: statusReason.text is 1..1 — the reason's label, or the words given with `other`.
    statusReason: reason ? { coding: [reason], text: r.reasonCode === 'other' && r.reasonText ? r.reasonText : reason.display } : undefined,
    businessStatus: { coding: [businessStatus], text: businessStatus.display },
    intent: 'order',
    priority: FHIR_PRIORITY[r.priority],
    code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill', display: 'Fulfill the focal request' }] },
    focus,
    for: subject,
    executionPeriod: begun ? compact({ start: iso(begun), end: iso(r.closedAt) }) : undefined,
    authoredOn: iso(authoredOn),
    // inv-1 (lastModified >= authoredOn) whatever clock each time came from.
    lastModified: iso(latest(r.updatedAt, r.createdAt, r.sentAt, r.answeredAt, r.startedAt, r.closedAt)),
    requester: unit,
    owner: provider,
    restriction: r.responseDueAt ? { period: { end: iso(r.responseDueAt) } } : undefined,
    output: provided
      ? [{ type: { coding: [{ system: SDOHCC_TEMPORARY_CODES, code: 'resulting-activity', display: 'Resulting Activity' }] }, valueReference: { reference: urn(ids.procedure), type: 'Procedure' } }]
      : undefined,
  });

  const outcome = provided ? canon.coding('referral-outcome', r.outcomeCode!, lang) : null;
  const procedure = provided
    ? compact({
        resourceType: 'Procedure',
        id: ids.procedure,
        meta: { profile: [PROFILES.procedure] },
        language: lang,
        basedOn: [focus],
        status: 'completed',
        category: { coding: [...(sdoh ? [{ system: SDOHCC_TEMPORARY_CODES, ...sdoh }] : []), localCategory], text: localCategory.display },
        code: { coding: [{ system: SNOMED, code: '410606002', display: 'Social service procedure' }, service], text: r.serviceName },
        subject,
        performedDateTime: iso(r.closedAt ?? r.updatedAt),
        performer: [{ actor: provider }],
        outcome: { coding: [outcome!], text: outcome!.display },
      })
    : null;

  const entries: Json[] = [
    serviceRequest,
    task,
    patient(ids.patient, r.person, ctx),
    organization(r.unit, lang),
    organization(r.provider, lang),
    ...(r.consent ? [consent(r.consent, subject, unit, provider, ctx)] : []),
    ...incidents,
    ...(procedure ? [procedure] : []),
  ];
  return {
    resourceType: 'Bundle',
    id: derivedUuid(r.id, `bundle:${r.updatedAt.toISOString()}:${lang}`),
    language: lang,
    type: 'collection',
    timestamp: now.toISOString(),
    entry: entries.map((resource) => ({ fullUrl: urn(resource.id as string), resource })),
  };
}

function patient(id: string, p: SharedValues, { canon, language: lang }: FhirContext): Json {
  const ext: Json[] = [];
  if (p.nationality) ext.push({ url: 'http://hl7.org/fhir/StructureDefinition/patient-nationality', extension: [{ url: 'code', valueCodeableConcept: { coding: [{ system: 'urn:iso:std:iso:3166', code: p.nationality }] } }] });
  if (p.age_band) ext.push({ url: canon.extension('age-band'), valueCode: p.age_band });
  if (p.population_group) ext.push({ url: canon.extension('population-group'), valueCode: p.population_group });
  const document = p.documents ? canon.coding('document-type', p.documents.type, lang) : null;
  return compact({
    resourceType: 'Patient',
    id,
    // Nothing identifying unless shared: the subject of this referral, not the case.
    meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R', display: 'restricted' }] },
    language: lang,
    extension: ext,
    identifier: p.documents ? [compact({ type: { coding: [document!], text: document!.display }, value: p.documents.number ?? undefined })] : undefined,
    name: p.name ? [{ text: p.name }] : undefined,
    telecom: p.phone ? [{ system: 'phone', value: p.phone }] : undefined,
    gender: p.sex ? (GENDER[p.sex] ?? 'unknown') : undefined,
    communication: p.languages?.map((code) => ({
      language: NOT_BCP47.has(code) ? { text: label('spokenLanguage', code, lang) } : { coding: [{ system: 'urn:ietf:bcp:47', code }], text: label('spokenLanguage', code, lang) },
    })),
  });
}

function organization(o: { id: string; name: string }, lang: Language): Json {
  return { resourceType: 'Organization', id: o.id, language: lang, active: true, name: o.name };
}

/**
 * The consent the referral was sent under (SDOHCC Consent): a privacy consent to disclose, given
 * when, how, still in force or not, permitting this provider to receive the listed kinds of data
 * for the listed categories. Nothing about who gave it and no narrative.
 */
function consent(c: FhirConsentInput, subject: Json, unit: Json, provider: Json, { canon, language: lang }: FhirContext): Json {
  return compact({
    resourceType: 'Consent',
    id: c.id,
    meta: { profile: [PROFILES.consent] },
    language: lang,
    status: c.withdrawnAt ? 'inactive' : 'active',
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy', display: 'Privacy Consent' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IDSCL', display: 'information disclosure' }] }],
    patient: subject,
    dateTime: c.givenAt.toISOString(),
    organization: [unit],
    // The record of the consent kept by the unit: how it was given, when.
    sourceAttachment: { contentType: 'text/plain', language: lang, title: label('consentMethod', c.method, lang), creation: c.givenAt.toISOString() },
    policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN', display: 'opt-in' }] },
    provision: compact({
      type: 'permit',
      period: compact({ start: c.givenAt.toISOString(), end: iso(c.withdrawnAt) }),
      actor: [{ role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' }] }, reference: provider }],
      class: c.fields.map((f) => canon.coding('shareable-field', f, lang)),
      code: c.categories.map((k) => {
        const coding = canon.coding('need-category', k, lang);
        return { coding: [coding], text: coding.display };
      }),
    }),
  });
}
