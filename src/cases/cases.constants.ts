/** The fixed vocabularies of cases (domain.md §4), kept in src/vocabulary; each is a PostgreSQL enum of the same name. */

export {
  AGE_BANDS,
  CASE_STATUSES,
  CLOSURE_REASONS,
  CONSENT_GIVERS,
  CONSENT_METHODS,
  DELIVERY_OUTCOMES,
  DOCUMENT_TYPES,
  INCIDENT_PLACE_TYPES,
  INCIDENT_TYPES,
  NEED_STATUSES,
  PERSON_LANGUAGES,
  POPULATION_GROUPS,
  REOPEN_REASONS,
  RISK_LEVELS,
  SESSION_KINDS,
  SEXES,
  SHAREABLE_FIELDS,
  TASK_STATUSES,
  TIME_ELAPSED,
} from '../vocabulary/index.js';
export type {
  AgeBand,
  CaseStatus,
  ClosureReason,
  ConsentGiver,
  ConsentMethod,
  DeliveryOutcome,
  DocumentType,
  IncidentPlaceType,
  IncidentType,
  NeedStatus,
  PersonLanguage,
  PopulationGroup,
  ReopenReason,
  RiskLevel,
  SessionKind,
  Sex,
  ShareableField,
  TaskStatus,
  TimeElapsed,
} from '../vocabulary/index.js';
import type { AgeBand, TimeElapsed } from '../vocabulary/index.js';

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
