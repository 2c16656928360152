import { z } from 'zod';
import { pageOf } from '../common/api-views.js';
import {
  AGE_BANDS,
  CASE_STATUSES,
  CATEGORIES,
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
import type { Category } from '../common/categories.js';
import type { Case } from './case.entity.js';
import type { CaseSession } from './case-session.entity.js';
import type { Consent } from './consent.entity.js';
import type { Delivery } from './delivery.entity.js';
import type { FollowUpTask } from './follow-up-task.entity.js';
import type { Identity } from './identity.codec.js';
import type { Incident } from './incident.entity.js';
import type { Need } from './need.entity.js';
import type { Person } from './person.entity.js';

/**
 * What the cases API answers, as schemas (common/api-views.ts): the mappers below return these
 * types and the OpenAPI document declares them. Dates typed by people (birth, session, due,
 * delivery, incident) are YYYY-MM-DD strings; instants are Dates on this side, RFC 3339 on the wire.
 */
const id = z.uuid();
const day = z.string().describe('YYYY-MM-DD');

export const CaseListItemView = z.object({
  id,
  code: z.string(),
  unitId: id,
  assignedCounsellorId: id,
  status: z.enum(CASE_STATUSES),
  riskLevel: z.enum(RISK_LEVELS),
  closureReason: z.enum(CLOSURE_REASONS).nullable(),
  openNeeds: z.array(z.enum(CATEGORIES)),
  anonymised: z.boolean(),
  createdAt: z.date(),
  closedAt: z.date().nullable(),
  updatedAt: z.date(),
});
export type CaseListItemView = z.infer<typeof CaseListItemView>;
export const CasePageView = pageOf(CaseListItemView);
export type CasePageView = z.infer<typeof CasePageView>;

export const CaseView = z.object({
  id,
  code: z.string(),
  unitId: id,
  personId: id,
  assignedCounsellorId: id,
  status: z.enum(CASE_STATUSES),
  riskLevel: z.enum(RISK_LEVELS),
  closureReason: z.enum(CLOSURE_REASONS).nullable(),
  closedAt: z.date().nullable(),
  reopenReason: z.enum(REOPEN_REASONS).nullable(),
  reopenedAt: z.date().nullable(),
  version: z.number().int(),
  anonymisedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type CaseView = z.infer<typeof CaseView>;

/** The person: attributes, and the identity decrypted (null when anonymised). */
export const PersonView = z.object({
  id,
  sex: z.enum(SEXES),
  birthDate: day.nullable(),
  ageBand: z.enum(AGE_BANDS).nullable(),
  nationality: z.string().nullable(),
  populationGroup: z.enum(POPULATION_GROUPS).nullable(),
  provinceId: id.nullable(),
  communeId: id.nullable(),
  disability: z.boolean().nullable(),
  languages: z.array(z.enum(PERSON_LANGUAGES)),
  anonymisedAt: z.date().nullable(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  documentType: z.enum(DOCUMENT_TYPES).nullable(),
  documentNumber: z.string().nullable(),
});
export type PersonView = z.infer<typeof PersonView>;

export const NeedView = z.object({ id, caseId: id, category: z.enum(CATEGORIES), status: z.enum(NEED_STATUSES), closedAt: z.date().nullable(), createdAt: z.date(), updatedAt: z.date() });
export type NeedView = z.infer<typeof NeedView>;

export const SessionView = z.object({
  id,
  caseId: id,
  sessionDate: day,
  kind: z.enum(SESSION_KINDS),
  durationMinutes: z.number().int().nullable(),
  authorId: id,
  /** Null when `noteWithheld`: the reader may not read the narrative (need-to-know). */
  note: z.string().nullable(),
  noteWithheld: z.boolean(),
  createdAt: z.date(),
});
export type SessionView = z.infer<typeof SessionView>;

export const TaskView = z.object({
  id,
  caseId: id,
  dueDate: day,
  assignedToId: id,
  description: z.string().nullable(),
  status: z.enum(TASK_STATUSES),
  completedAt: z.date().nullable(),
  createdAt: z.date(),
});
export type TaskView = z.infer<typeof TaskView>;

export const IncidentView = z.object({
  id,
  caseId: id,
  type: z.enum(INCIDENT_TYPES),
  incidentDate: day.nullable(),
  placeType: z.enum(INCIDENT_PLACE_TYPES),
  timeElapsed: z.enum(TIME_ELAPSED).nullable(),
  reportedAt: z.date(),
  description: z.string().nullable(),
  createdAt: z.date(),
});
export type IncidentView = z.infer<typeof IncidentView>;

export const ConsentView = z.object({
  id,
  caseId: id,
  givenBy: z.enum(CONSENT_GIVERS),
  givenAt: z.date(),
  method: z.enum(CONSENT_METHODS),
  categories: z.array(z.enum(CATEGORIES)),
  organisationIds: z.array(id),
  fields: z.array(z.enum(SHAREABLE_FIELDS)),
  withdrawnAt: z.date().nullable(),
  active: z.boolean(),
  createdAt: z.date(),
});
export type ConsentView = z.infer<typeof ConsentView>;

export const DeliveryView = z.object({
  id,
  caseId: id,
  personId: id,
  unitId: id,
  category: z.enum(CATEGORIES),
  serviceId: id.nullable(),
  providerOrganisationId: id.nullable(),
  deliveredOn: day,
  outcome: z.enum(DELIVERY_OUTCOMES),
  referralId: id.nullable(),
  createdAt: z.date(),
});
export type DeliveryView = z.infer<typeof DeliveryView>;

/** A recorded session; `delivery` is the psychosocial delivery it counted as, if any. */
export const RecordedSessionView = SessionView.extend({ delivery: DeliveryView.nullable() });
export type RecordedSessionView = z.infer<typeof RecordedSessionView>;

export const PossibleDuplicateView = z.object({ caseId: id, code: z.string(), matchedOn: z.array(z.enum(['phone', 'document', 'name_birth_date'])) });
export type PossibleDuplicateView = z.infer<typeof PossibleDuplicateView>;
export const DuplicatesView = z.object({ possibleDuplicates: z.array(PossibleDuplicateView) });
export type DuplicatesView = z.infer<typeof DuplicatesView>;

/** A new case: the case, its needs and, as a warning, possible duplicates in the unit. */
export const CreatedCaseView = z.object({ case: CaseView, needs: z.array(NeedView), possibleDuplicates: z.array(PossibleDuplicateView) });
export type CreatedCaseView = z.infer<typeof CreatedCaseView>;

/** One case with its person and needs. */
export const CaseDetailView = CaseView.extend({ person: PersonView, needs: z.array(NeedView) });
export type CaseDetailView = z.infer<typeof CaseDetailView>;

/** Everything held on a person, decrypted (right of access). */
export const PersonExportView = z.object({
  exportedAt: z.string().describe('RFC 3339'),
  person: PersonView,
  cases: z.array(
    CaseView.extend({
      needs: z.array(NeedView),
      consents: z.array(ConsentView),
      incidents: z.array(IncidentView),
      sessions: z.array(SessionView),
      tasks: z.array(TaskView),
      deliveries: z.array(DeliveryView),
    }),
  ),
});
export type PersonExportView = z.infer<typeof PersonExportView>;

/** My open tasks, by due date: each with its case's code and whether it is overdue. */
export const TasksDueView = z.object({
  today: day,
  until: day,
  items: z.array(TaskView.extend({ caseCode: z.string(), overdue: z.boolean() })),
});
export type TasksDueView = z.infer<typeof TasksDueView>;

/** What lists show: the code stands for the person; no identifying field. */
export function caseListItem(c: Case, openNeeds: Category[]): CaseListItemView {
  return {
    id: c.id,
    code: c.code,
    unitId: c.unitId,
    assignedCounsellorId: c.assignedCounsellorId,
    status: c.status,
    riskLevel: c.riskLevel,
    closureReason: c.closureReason,
    openNeeds,
    anonymised: c.anonymisedAt !== null,
    createdAt: c.createdAt,
    closedAt: c.closedAt,
    updatedAt: c.updatedAt,
  };
}

export function caseView(c: Case): CaseView {
  return {
    id: c.id,
    code: c.code,
    unitId: c.unitId,
    personId: c.personId,
    assignedCounsellorId: c.assignedCounsellorId,
    status: c.status,
    riskLevel: c.riskLevel,
    closureReason: c.closureReason,
    closedAt: c.closedAt,
    reopenReason: c.reopenReason,
    reopenedAt: c.reopenedAt,
    version: c.version,
    anonymisedAt: c.anonymisedAt,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export function personView(p: Person, identity: Identity | null): PersonView {
  return {
    id: p.id,
    sex: p.sex,
    birthDate: p.birthDate,
    ageBand: p.ageBand,
    nationality: p.nationality,
    populationGroup: p.populationGroup,
    provinceId: p.provinceId,
    communeId: p.communeId,
    disability: p.disability,
    languages: p.languages,
    anonymisedAt: p.anonymisedAt,
    ...(identity ?? { givenName: null, familyName: null, phone: null, address: null, documentType: null, documentNumber: null }),
  };
}

export const needView = (n: Need): NeedView => ({ id: n.id, caseId: n.caseId, category: n.category, status: n.status, closedAt: n.closedAt, createdAt: n.createdAt, updatedAt: n.updatedAt });

/** A session; `noteWithheld` when the reader may not read its narrative (need-to-know), and `note` is then null. */
export const sessionView = (s: CaseSession, note: string | null, noteWithheld = false): SessionView => ({
  id: s.id,
  caseId: s.caseId,
  sessionDate: s.sessionDate,
  kind: s.kind,
  durationMinutes: s.durationMinutes,
  authorId: s.authorId,
  note,
  noteWithheld,
  createdAt: s.createdAt,
});

export const taskView = (t: FollowUpTask, description: string | null): TaskView => ({
  id: t.id,
  caseId: t.caseId,
  dueDate: t.dueDate,
  assignedToId: t.assignedToId,
  description,
  status: t.status,
  completedAt: t.completedAt,
  createdAt: t.createdAt,
});

export const incidentView = (i: Incident, description: string | null): IncidentView => ({
  id: i.id,
  caseId: i.caseId,
  type: i.type,
  incidentDate: i.incidentDate,
  placeType: i.placeType,
  timeElapsed: i.timeElapsed,
  reportedAt: i.reportedAt,
  description,
  createdAt: i.createdAt,
});

export const consentView = (c: Consent): ConsentView => ({
  id: c.id,
  caseId: c.caseId,
  givenBy: c.givenBy,
  givenAt: c.givenAt,
  method: c.method,
  categories: c.categories,
  organisationIds: c.organisationIds,
  fields: c.fields,
  withdrawnAt: c.withdrawnAt,
  active: c.withdrawnAt === null,
  createdAt: c.createdAt,
});

export const deliveryView = (d: Delivery): DeliveryView => ({
  id: d.id,
  caseId: d.caseId,
  personId: d.personId,
  unitId: d.unitId,
  category: d.category,
  serviceId: d.serviceId,
  providerOrganisationId: d.providerOrganisationId,
  deliveredOn: d.deliveredOn,
  outcome: d.outcome,
  referralId: d.referralId,
  createdAt: d.createdAt,
});
