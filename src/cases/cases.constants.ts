/** The fixed vocabularies of cases (domain.md §4). Each is a PostgreSQL enum of the same name. */

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

/** Age bands of the indicators (domain.md §6). */
export const AGE_BANDS = ['0-17', '18-24', '25-59', '60+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const POPULATION_GROUPS = ['migrant', 'refugee_asylum_seeker', 'moroccan_returnee', 'host_community'] as const;
export type PopulationGroup = (typeof POPULATION_GROUPS)[number];

/** Languages a person speaks (ISO 639 codes; `ary` = Darija, `zgh` = Tamazight). */
export const PERSON_LANGUAGES = ['ar', 'ary', 'zgh', 'fr', 'en', 'es', 'pt', 'wo', 'ff', 'bm', 'ln', 'sw', 'other'] as const;
export type PersonLanguage = (typeof PERSON_LANGUAGES)[number];

export const DOCUMENT_TYPES = ['passport', 'national_id', 'residence_card', 'asylum_seeker_certificate', 'refugee_card', 'birth_certificate', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const CASE_STATUSES = ['open', 'active', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const CLOSURE_REASONS = ['needs_met', 'moved', 'lost_contact', 'transferred', 'consent_withdrawn', 'deceased'] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

export const REOPEN_REASONS = ['new_need', 'situation_changed', 'returned', 'closed_in_error'] as const;
export type ReopenReason = (typeof REOPEN_REASONS)[number];

export const NEED_STATUSES = ['open', 'met', 'unmet', 'withdrawn'] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];

export const CONSENT_GIVERS = ['person', 'guardian'] as const;
export type ConsentGiver = (typeof CONSENT_GIVERS)[number];

export const CONSENT_METHODS = ['verbal', 'written'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** The data a consent may allow to travel with a referral (minimum necessary, chosen per referral). */
export const SHAREABLE_FIELDS = [
  'age_band',
  'sex',
  'nationality',
  'languages',
  'population_group',
  'phone',
  'name',
  'needs_summary',
  'incident_summary',
  'documents',
] as const;
export type ShareableField = (typeof SHAREABLE_FIELDS)[number];

/** GBVIMS core incident types. */
export const INCIDENT_TYPES = ['rape', 'sexual_assault', 'physical_assault', 'forced_marriage', 'denial_of_resources', 'psychological_abuse'] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const INCIDENT_PLACE_TYPES = [
  'survivor_home',
  'perpetrator_home',
  'street',
  'forest_or_camp',
  'border_crossing',
  'transport',
  'workplace',
  'school',
  'detention_or_police',
  'health_facility',
  'other',
] as const;
export type IncidentPlaceType = (typeof INCIDENT_PLACE_TYPES)[number];

/** GBVIMS time between incident and report. */
export const TIME_ELAPSED = ['0_3_days', '4_5_days', '6_14_days', '2_weeks_1_month', 'over_1_month'] as const;
export type TimeElapsed = (typeof TIME_ELAPSED)[number];

export const SESSION_KINDS = ['psychosocial', 'case_management', 'phone', 'home_visit', 'group'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * What a delivery achieved. Livelihood outcomes (LIV-1..6) are outcome codes of
 * employment_business deliveries (domain.md §6).
 */
export const DELIVERY_OUTCOMES = [
  'service_provided',
  'partially_provided',
  'career_counselling',
  'business_startup_support',
  'business_opened',
  'internship',
  'job_interview',
  'self_entrepreneur_registered',
] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** Longest session note / task text accepted (characters). */
export const NOTE_MAX_LENGTH = 10_000;
export const TASK_TEXT_MAX_LENGTH = 1_000;

/** Age band at a date (indicators use the band at the time of the delivery). */
export function ageBandAt(birthDate: string, at: Date = new Date()): AgeBand {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = at.getUTCFullYear() - y;
  if (at.getUTCMonth() + 1 < m || (at.getUTCMonth() + 1 === m && at.getUTCDate() < d)) age -= 1;
  return age < 18 ? '0-17' : age < 25 ? '18-24' : age < 60 ? '25-59' : '60+';
}

/** GBVIMS time-elapsed band between an incident date and the day it was reported. */
export function timeElapsedBetween(incidentDate: string, reportedAt: Date): TimeElapsed {
  const days = Math.floor((Date.UTC(reportedAt.getUTCFullYear(), reportedAt.getUTCMonth(), reportedAt.getUTCDate()) - Date.parse(`${incidentDate}T00:00:00Z`)) / 86_400_000);
  return days <= 3 ? '0_3_days' : days <= 5 ? '4_5_days' : days <= 14 ? '6_14_days' : days <= 31 ? '2_weeks_1_month' : 'over_1_month';
}
