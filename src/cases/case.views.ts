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

/** What lists show: the code stands for the person; no identifying field. */
export function caseListItem(c: Case, openNeeds: Category[]) {
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

export function caseView(c: Case) {
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

export function personView(p: Person, identity: Identity | null) {
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

export const needView = (n: Need) => ({ id: n.id, caseId: n.caseId, category: n.category, status: n.status, closedAt: n.closedAt, createdAt: n.createdAt, updatedAt: n.updatedAt });

/** A session; `noteWithheld` when the reader may not read its narrative (need-to-know), and `note` is then null. */
export const sessionView = (s: CaseSession, note: string | null, noteWithheld = false) => ({
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

export const taskView = (t: FollowUpTask, description: string | null) => ({
  id: t.id,
  caseId: t.caseId,
  dueDate: t.dueDate,
  assignedToId: t.assignedToId,
  description,
  status: t.status,
  completedAt: t.completedAt,
  createdAt: t.createdAt,
});

export const incidentView = (i: Incident, description: string | null) => ({
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

export const consentView = (c: Consent) => ({
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

export const deliveryView = (d: Delivery) => ({
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
