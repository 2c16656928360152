import { z } from 'zod';
import { CATEGORIES, PRIORITIES, REFERRAL_STATUSES, SHAREABLE_FIELDS } from '../vocabulary/index.js';
import { REFERRAL_TRANSITIONS } from './referral-state.js';

/**
 * What the referrals API answers, as schemas (common/api-views.ts): the service returns these
 * types and the OpenAPI document declares them. A provider's view has no case, need, author,
 * consent or predecessor; a unit's view has no `person`.
 */
const id = z.uuid();
const at = z.date().nullable();
const code = z.string();

/** The shared fields' values (shared-fields.ts): a field not shared is absent. */
export const SharedValuesView = z.object({
  age_band: z.string().nullable().optional(),
  sex: z.string().nullable().optional(),
  nationality: z.string().nullable().optional(),
  languages: z.array(z.string()).nullable().optional(),
  population_group: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  needs_summary: z.array(z.string()).nullable().optional(),
  incident_summary: z.array(z.object({ type: z.string(), timeElapsed: z.string().nullable().optional(), incidentDate: z.string().nullable().optional() })).nullable().optional(),
  documents: z.object({ type: z.string(), number: z.string().nullable() }).nullable().optional(),
});

export const ReferralEventView = z.object({
  action: z.string(),
  from: z.enum(REFERRAL_STATUSES).nullable(),
  to: z.enum(REFERRAL_STATUSES),
  at: z.date(),
  /** Units only. */
  actorId: id.nullable().optional(),
  reasonCode: code.nullable(),
  reasonText: z.string().nullable(),
  outcomeCode: code.nullable(),
});
export type ReferralEventView = z.infer<typeof ReferralEventView>;

export const ReferralView = z.object({
  id,
  reference: z.string(),
  status: z.enum(REFERRAL_STATUSES),
  priority: z.enum(PRIORITIES),
  category: z.enum(CATEGORIES),
  serviceId: id,
  serviceAtLocationId: id,
  /** In the reader's language. */
  serviceName: z.string(),
  unitId: id,
  providerOrganisationId: id,
  sharedFields: z.array(z.enum(SHAREABLE_FIELDS)),
  /** A consent withdrawal erased what this referral shared (its person values and note are gone). */
  consentWithdrawn: z.boolean(),
  noteForProvider: z.string().nullable(),
  sentAt: at,
  responseDueAt: at,
  overdue: z.boolean(),
  answeredAt: at,
  startedAt: at,
  closedAt: at,
  appointmentAt: at,
  reasonCode: code.nullable(),
  reasonText: z.string().nullable(),
  outcomeCode: code.nullable(),
  /** The provider's note back to the referring unit (decline, complete, not-complete); both sides read it. */
  noteForReferrer: z.string().nullable(),
  proposedServiceAtLocationId: id.nullable(),
  /** The steps the caller may take now. */
  actions: z.array(z.enum(REFERRAL_TRANSITIONS)),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
  history: z.array(ReferralEventView).optional(),
  /** Providers, on one referral: what it shares. */
  person: SharedValuesView.optional(),
  /** Units only. */
  caseId: id.optional(),
  /** Units only, on one referral: the case by its code. */
  caseCode: z.string().nullable().optional(),
  needId: id.optional(),
  referredById: id.optional(),
  consentId: id.nullable().optional(),
  previousReferralId: id.nullable().optional(),
});
export type ReferralView = z.infer<typeof ReferralView>;

export const ReferralPageView = z.object({ items: z.array(ReferralView), nextCursor: z.string().nullable() });
export type ReferralPageView = z.infer<typeof ReferralPageView>;

export const ReferralCountsView = z.object(Object.fromEntries([...REFERRAL_STATUSES, 'overdue'].map((s) => [s, z.number().int()])) as Record<(typeof REFERRAL_STATUSES)[number] | 'overdue', z.ZodNumber>);
export type ReferralCountsView = z.infer<typeof ReferralCountsView>;

/** A FHIR resource: its own specification types it; the contract says what it is, not every element. */
export const FhirResourceView = z.looseObject({ resourceType: z.string(), id: z.string().optional() });
export const FhirBundleView = z.looseObject({
  resourceType: z.literal('Bundle'),
  id: z.string(),
  language: z.string(),
  type: z.literal('collection'),
  timestamp: z.string(),
  entry: z.array(z.object({ fullUrl: z.string(), resource: FhirResourceView })),
});
