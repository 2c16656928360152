import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ForbiddenError, subject } from '@casl/ability';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { scopeFor } from '../authorization/scope.js';
import { AuditService } from '../audit/audit.service.js';
import { TransactionHost } from '../database/transaction.js';
import { PlacesService } from '../places/places.service.js';
import { UsersService } from '../users/users.service.js';
import { CaseAccess, caseFacts } from './case-access.js';
import { CaseRecordsRepository } from './case-records.repository.js';
import type { Case } from './case.entity.js';
import { caseListItem, caseView, consentView, deliveryView, incidentView, needView, personView, sessionView, taskView } from './case.views.js';
import { notFound } from '../common/domain-error.js';
import { ageBandAt, CASE_STATUSES, type AgeBand, type CaseStatus } from './cases.constants.js';
import { ConsentService } from './consent.service.js';
import { CaseErrors } from './cases.errors.js';
import { CASE_SCOPE_COLUMNS, CasesRepository, type DuplicateHit } from './cases.repository.js';
import { CaseSession } from './case-session.entity.js';
import { Consent } from './consent.entity.js';
import { Delivery } from './delivery.entity.js';
import { FollowUpTask } from './follow-up-task.entity.js';
import { IdentityCodec, normaliseName, type Identity } from './identity.codec.js';
import { Need } from './need.entity.js';
import type { Person } from './person.entity.js';
import type { AssignCaseDto, CaseQuery, CaseSearchDto, CaseStatusDto, CreateCaseDto, DuplicateCheckDto, UpdateCaseDto, UpdatePersonDto } from './dto/case.dto.js';
import type { CaseDetailView, CasePageView, PossibleDuplicateView, CaseView, CreatedCaseView, DuplicatesView, PersonExportView, PersonView } from './case.views.js';

/** Allowed status changes (domain.md §4): open → active → closed, reopen with a reason. */
const TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = { open: ['active', 'closed'], active: ['closed'], closed: ['open'] };

export const caseCode = (unitCode: string, year: number, n: number) => `${unitCode}-${year}-${String(n).padStart(5, '0')}`;

/** The identity fields of a person who has none (anonymised): all null, as personView gives them. */
const NO_IDENTITY = Object.freeze({ givenName: null, familyName: null, phone: null, address: null, documentType: null, documentNumber: null });

const identityOf = (p: Partial<Identity>): Identity => ({
  givenName: p.givenName ?? '',
  familyName: p.familyName ?? null,
  phone: p.phone ?? null,
  address: p.address ?? null,
  documentType: p.documentType ?? null,
  documentNumber: p.documentNumber ?? null,
});

@Injectable()
export class CasesService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly records: CaseRecordsRepository,
    private readonly access: CaseAccess,
    private readonly codec: IdentityCodec,
    private readonly audit: AuditService,
    private readonly tx: TransactionHost,
    private readonly places: PlacesService,
    private readonly users: UsersService,
    private readonly consents: ConsentService,
  ) {}

  async create(actor: Actor, ability: AppAbility, dto: CreateCaseDto): Promise<CreatedCaseView> {
    const unitId = actor.organisationId;
    const counsellorId = dto.assignedCounsellorId ?? actor.userId;
    ForbiddenError.from(ability).throwUnlessCan('create', subject('Case', { unitId, assignedCounsellorId: counsellorId }) as never);
    if (counsellorId !== actor.userId) ForbiddenError.from(ability).throwUnlessCan('assign', subject('Case', { unitId, assignedCounsellorId: counsellorId }) as never);
    // The caller was read for this request (active, of this unit, these roles): no second read of them.
    if (counsellorId === actor.userId) checkCounsellorRoles(actor.roles, 'assignedCounsellorId');
    else await this.checkCounsellor(unitId, counsellorId, 'assignedCounsellorId');
    const attrs = await this.personAttributes(dto.person, null);
    // Ids made here: the answer and the audit rows need no read of what is written (issue #18).
    const personId = randomUUID();
    const identity = this.codec.encode(personId, identityOf(dto.person), attrs.birthDate);
    const needs = (dto.needs ?? []).map((category) => ({ id: randomUUID(), category }));

    return this.tx.run(async () => {
      const opened = await this.cases.open({
        person: { id: personId, unitId, sex: dto.person.sex, ...attrs },
        identity,
        caseId: randomUUID(),
        year: new Date().getUTCFullYear(),
        counsellorId,
        riskLevel: dto.riskLevel ?? 'low',
        needs,
        recordedById: actor.userId,
      });
      // Thrown inside the transaction: the person written with the case rolls back.
      if (!opened) throw CaseErrors.unitHasNoCode();
      const { c } = opened;
      await this.audit.record(actor, [
        { action: 'create', entity: 'person', entityId: personId, organisationId: unitId },
        { action: 'create', entity: 'case', entityId: c.id, organisationId: unitId },
      ]);
      return {
        case: caseView(c),
        // As written: open, at the transaction's time (the case's too).
        needs: needs.map((n) => needView({ id: n.id, caseId: c.id, category: n.category, status: 'open', recordedById: actor.userId, closedAt: null, createdAt: c.createdAt, updatedAt: c.createdAt })),
        possibleDuplicates: opened.duplicates.map(duplicateView),
      };
    });
  }

  /** Possible duplicates of a person about to be registered, in the caller's unit. */
  async checkDuplicates(actor: Actor, ability: AppAbility, dto: DuplicateCheckDto): Promise<DuplicatesView> {
    ForbiddenError.from(ability).throwUnlessCan('create', subject('Case', { unitId: actor.organisationId, assignedCounsellorId: actor.userId }) as never);
    const ix = this.codec.indexes(identityOf(dto), dto.birthDate ?? null);
    return this.tx.run(async () => {
      const hits = await this.cases.possibleDuplicates(actor.organisationId, ix);
      await this.audit.record(actor, { action: 'list', entity: 'person', organisationId: actor.organisationId });
      return { possibleDuplicates: hits.map(duplicateView) };
    });
  }

  /**
   * One statement reads the page (its items with their open needs); its audit row is written next,
   * before the answer leaves. No transaction: it would add two round trips and protect nothing
   * (one read, then one row; if the row fails, nothing is answered) — issue #18.
   */
  async list(actor: Actor, ability: AppAbility, q: CaseQuery): Promise<CasePageView> {
    const page = await this.cases.listItems(scopeFor(ability, 'read', 'Case', CASE_SCOPE_COLUMNS), q);
    await this.audit.record(actor, { action: 'list', entity: 'case', organisationId: actor.organisationId });
    return page;
  }

  /**
   * Cases in the caller's scope whose person has this phone, document number or these name words,
   * matched on blind indexes; each found person's name decrypted for the caseload (audited).
   */
  async search(actor: Actor, ability: AppAbility, dto: CaseSearchDto) {
    if (!dto.name && !dto.phone && !dto.documentNumber) throw CaseErrors.field('name', 'give a name, a phone or a document number');
    const ix = this.codec.indexes({ givenName: '', familyName: null, phone: dto.phone ?? null, documentNumber: dto.documentNumber ?? null }, null);
    // Each typed word must be a word of the name.
    const nameBis = dto.name ? this.codec.nameIndexes(normaliseName(dto.name), { whole: false }) : [];
    if (dto.name && !nameBis.length) throw CaseErrors.field('name', 'name must contain letters');
    return this.tx.run(async () => {
      const found = await this.cases.findByIndexes(scopeFor(ability, 'read', 'Case', CASE_SCOPE_COLUMNS), { phoneBi: ix.phoneBi, documentBi: ix.documentBi, nameBis }, 50);
      await this.audit.record(actor, { action: 'list', entity: 'person', organisationId: actor.organisationId });
      return this.caseload(actor, found);
    });
  }

  /**
   * Fills the name indexes of identities written before they existed, in batches of one
   * transaction each; re-runnable (only rows still without them). Returns how many were filled.
   */
  async reindexNames(batchSize = 500): Promise<number> {
    let done = 0;
    let after: string | null = null;
    for (;;) {
      const n: number = await this.tx.run(async () => {
        const rows = await this.cases.identitiesWithoutNameIndexes(after, batchSize);
        for (const row of rows) {
          const who = this.codec.decode(row);
          await this.cases.setNameIndexes(row.personId, this.codec.nameIndexes(normaliseName(who.givenName, who.familyName)));
        }
        after = rows.at(-1)?.personId ?? after;
        return rows.length;
      });
      done += n;
      if (n < batchSize) return done;
    }
  }

  /** A page of the case list (filters, keyset) as a caseload: names, counsellors, follow-ups. */
  async listCaseload(actor: Actor, ability: AppAbility, q: CaseQuery) {
    return this.tx.run(async () => {
      const page = await this.cases.caseloadPage(scopeFor(ability, 'read', 'Case', CASE_SCOPE_COLUMNS), q);
      await this.audit.record(actor, { action: 'list', entity: 'case', organisationId: actor.organisationId });
      return { items: await this.caseload(actor, page.items), nextCursor: page.nextCursor };
    });
  }

  /**
   * A caseload: each case with the person's name, its counsellor, open needs, next follow-up and
   * last activity, sorted by next follow-up (soonest first, none last), then risk (highest first).
   * Names are decrypted only here, for cases the caller may read; one audit row per person read.
   */
  async caseload(actor: Actor, cases: Case[]) {
    const ids = cases.map((c) => c.id);
    const [needs, facts, stored] = [await this.cases.openNeeds(ids), await this.cases.caseloadFacts(ids), await this.cases.namesOf(cases.map((c) => c.personId))];
    // The name is all a caseload shows of an identity: only it is decrypted.
    const names = new Map(stored.map((i) => [i.personId, { givenName: this.codec.decrypt(i.givenNameEnc), familyName: this.codec.decrypt(i.familyNameEnc) }]));
    const counsellors = await this.users.displayNames([...new Set(cases.map((c) => c.assignedCounsellorId))]);
    await this.audit.record(actor, cases.map((c) => ({ action: 'read' as const, entity: 'person' as const, entityId: c.personId, organisationId: c.unitId })));
    const risk = { high: 0, medium: 1, low: 2 } as const;
    return cases
      .map((c) => {
        const who = names.get(c.personId);
        const f = facts.get(c.id);
        return {
          ...caseListItem(c, needs.get(c.id) ?? []),
          name: who ? [who.givenName, who.familyName].filter(Boolean).join(' ') : null,
          counsellorName: counsellors.get(c.assignedCounsellorId) ?? '',
          nextFollowUp: f?.nextFollowUp ?? null,
          lastActivity: f?.lastActivity ?? c.updatedAt,
        };
      })
      .sort((a, b) => (a.nextFollowUp ?? '9999').localeCompare(b.nextFollowUp ?? '9999') || risk[a.riskLevel] - risk[b.riskLevel]);
  }

  /**
   * A case's page: one statement reads the case in scope (else 404), its person, identity and
   * needs; the identity is decrypted, then the audit rows are written, before the answer leaves.
   * No transaction, as for the list: one read then one write, nothing for it to protect (issue #18).
   */
  async get(actor: Actor, ability: AppAbility, id: string): Promise<CaseDetailView> {
    const found = await this.cases.detailInScope(scopeFor(ability, 'read', 'Case', CASE_SCOPE_COLUMNS), id);
    if (!found) throw notFound('case');
    const { person, identity, needs, ...c } = found;
    const view = { ...c, person: Object.assign(person, identity ? this.codec.decode(identity) : NO_IDENTITY), needs };
    await this.audit.record(actor, [
      { action: 'read', entity: 'case', entityId: c.id, organisationId: c.unitId },
      { action: 'read', entity: 'person', entityId: person.id, organisationId: c.unitId },
    ]);
    return view;
  }

  async update(actor: Actor, ability: AppAbility, id: string, dto: UpdateCaseDto): Promise<CaseView> {
    return this.tx.run(async () => {
      const c = await this.access.load(ability, 'update', id);
      if (c.anonymisedAt) throw CaseErrors.anonymised();
      return this.change(actor, c, CASE_STATUSES, { ...(dto.riskLevel ? { riskLevel: dto.riskLevel } : {}) }, 'update');
    });
  }

  async setStatus(actor: Actor, ability: AppAbility, id: string, dto: CaseStatusDto): Promise<CaseView> {
    return this.tx.run(async () => {
      const c = await this.access.load(ability, 'update', id);
      if (c.anonymisedAt) throw CaseErrors.anonymised();
      if (!TRANSITIONS[c.status].includes(dto.status)) throw CaseErrors.transitionNotAllowed(c.status, dto.status);
      let patch: Partial<Case> = { status: dto.status };
      if (dto.status === 'closed') {
        if (!dto.closureReason) throw CaseErrors.field('closureReason', 'closureReason is required to close a case');
        patch = { ...patch, closureReason: dto.closureReason, closedAt: new Date() };
        // The person withdrew consent: nothing keeps travelling to providers (referrals listen).
        if (dto.closureReason === 'consent_withdrawn') await this.consents.withdrawAllOfCase(actor, c);
      } else if (c.status === 'closed') {
        if (!dto.reopenReason) throw CaseErrors.field('reopenReason', 'reopenReason is required to reopen a case');
        patch = { ...patch, reopenReason: dto.reopenReason, reopenedAt: new Date(), closureReason: null, closedAt: null };
      }
      return this.change(actor, c, [c.status], patch, 'transition');
    });
  }

  async assign(actor: Actor, ability: AppAbility, id: string, dto: AssignCaseDto): Promise<CaseView> {
    return this.tx.run(async () => {
      const c = await this.access.load(ability, 'assign', id);
      if (c.anonymisedAt) throw CaseErrors.anonymised();
      await this.checkCounsellor(c.unitId, dto.counsellorId, 'counsellorId');
      return this.change(actor, c, CASE_STATUSES, { assignedCounsellorId: dto.counsellorId }, 'assign');
    });
  }

  /** Moves an open case to active (first session); a no-op otherwise. Inside the caller's transaction. */
  async activateIfOpen(actor: Actor, c: Case): Promise<void> {
    if (c.status === 'open') await this.change(actor, c, ['open'], { status: 'active' }, 'transition');
  }

  /** Correction of what is held on the person (right of rectification). */
  async updatePerson(actor: Actor, ability: AppAbility, id: string, dto: UpdatePersonDto): Promise<PersonView> {
    return this.tx.run(async () => {
      const c = await this.access.load(ability, 'update', id);
      if (c.anonymisedAt) throw CaseErrors.anonymised();
      const { person, identity } = await this.loadPerson(c.personId);
      // A new province without a commune leaves the old province's commune behind.
      const movedAway = dto.provinceId && dto.provinceId !== person.provinceId && !dto.communeId ? { communeId: null } : {};
      const attrs = await this.personAttributes({ ...person, ageBand: undefined, ...movedAway, ...dto }, person.ageBand);
      const saved = await this.cases.savePerson({ ...person, ...attrs, sex: dto.sex ?? person.sex });
      const merged = identityOf({ ...(identity ?? {}), ...pickIdentity(dto) });
      await this.cases.saveIdentity(this.codec.encode(person.id, merged, saved.birthDate));
      await this.audit.record(actor, { action: 'update', entity: 'person', entityId: person.id, organisationId: c.unitId });
      return personView(saved, merged);
    });
  }

  /** Everything held on the person of a case, decrypted (right of access). Supervisors only. */
  async exportPerson(actor: Actor, ability: AppAbility, id: string): Promise<PersonExportView> {
    return this.tx.run(async () => {
      const c = await this.access.load(ability, 'export', id);
      const { person, identity } = await this.loadPerson(c.personId);
      const cases = [];
      for (const pc of await this.cases.casesOfPerson(person.id)) {
        if (!ability.can('read', subject('Case', caseFacts(pc)) as never)) continue;
        // One after another: inside the transaction they share one connection, which runs one query at a time.
        const needs = await this.records.listForCase(Need, pc.id);
        const consents = await this.records.listForCase(Consent, pc.id);
        const sessions = await this.records.listForCase(CaseSession, pc.id);
        const tasks = await this.records.listForCase(FollowUpTask, pc.id);
        const deliveries = await this.records.listForCase(Delivery, pc.id);
        const incidents = await this.records.incidents(scopeFor(ability, 'read', 'Incident', CASE_SCOPE_COLUMNS), pc.id);
        cases.push({
          ...caseView(pc),
          needs: needs.map(needView),
          consents: consents.map(consentView),
          incidents: incidents.map((i) => incidentView(i, this.codec.decrypt(i.descriptionEnc))),
          sessions: this.access.canReadNotes(ability, pc) ? sessions.map((s) => sessionView(s, this.codec.decrypt(s.noteEnc))) : sessions.map((s) => sessionView(s, null, true)),
          tasks: tasks.map((t) => taskView(t, this.codec.decrypt(t.descriptionEnc))),
          deliveries: deliveries.map(deliveryView),
        });
        await this.audit.record(actor, { action: 'export', entity: 'case', entityId: pc.id, organisationId: pc.unitId });
      }
      await this.audit.record(actor, { action: 'export', entity: 'person', entityId: person.id, organisationId: c.unitId });
      return { exportedAt: new Date().toISOString(), person: personView(person, identity), cases };
    });
  }

  private async change(actor: Actor, c: Case, from: readonly CaseStatus[], patch: Partial<Case>, action: 'update' | 'transition' | 'assign') {
    if (!(await this.cases.updateIf(c.id, c.version, from, patch))) throw CaseErrors.changedMeanwhile();
    await this.audit.record(actor, { action, entity: 'case', entityId: c.id, organisationId: c.unitId });
    const updated = (await this.cases.findById(c.id))!;
    return caseView(updated);
  }

  private async loadPerson(personId: string): Promise<{ person: Person; identity: Identity | null }> {
    const { person, identity } = (await this.cases.personAndIdentity(personId))!;
    return { person, identity: identity ? this.codec.decode(identity) : null };
  }

  /** Validates and derives the disaggregation attributes (age band from the birth date when known). */
  private async personAttributes(
    p: { [K in 'birthDate' | 'ageBand' | 'nationality' | 'populationGroup' | 'provinceId' | 'communeId' | 'disability' | 'languages']?: Person[K] | null },
    fallbackAgeBand: AgeBand | null,
  ) {
    let ageBand = p.ageBand ?? fallbackAgeBand;
    if (p.birthDate) {
      const derived = ageBandAt(p.birthDate);
      if (p.ageBand && p.ageBand !== derived) throw CaseErrors.field('person.ageBand', 'ageBand does not match birthDate');
      ageBand = derived;
    }
    if (p.provinceId) {
      const place = await this.places.find(p.provinceId);
      if (!place || place.level !== 'province') throw CaseErrors.field('person.provinceId', 'provinceId must be a province');
    }
    let provinceId = p.provinceId ?? null;
    if (p.communeId) {
      const commune = await this.places.find(p.communeId);
      if (!commune || commune.level !== 'commune' || (provinceId && commune.parentId !== provinceId)) {
        throw CaseErrors.field('person.communeId', 'communeId must be a commune of the province');
      }
      provinceId = commune.parentId;
    }
    return {
      birthDate: p.birthDate ?? null,
      ageBand: ageBand ?? null,
      nationality: p.nationality ?? null,
      populationGroup: p.populationGroup ?? null,
      provinceId,
      communeId: p.communeId ?? null,
      disability: p.disability ?? null,
      languages: p.languages ?? [],
    };
  }

  private async checkCounsellor(unitId: string, userId: string, field: string): Promise<void> {
    const u = await this.users.find(userId);
    if (!u || u.organisationId !== unitId || u.status !== 'active') throw notCounsellor(field);
    checkCounsellorRoles(u.roles, field);
  }
}

const notCounsellor = (field: string) => CaseErrors.field(field, `${field} must be an active counsellor or supervisor of the unit`);

function checkCounsellorRoles(roles: readonly string[], field: string): void {
  if (!roles.some((r) => r === 'counsellor' || r === 'supervisor')) throw notCounsellor(field);
}

const pickIdentity = (d: UpdatePersonDto): Partial<Identity> =>
  Object.fromEntries(
    (['givenName', 'familyName', 'phone', 'address', 'documentType', 'documentNumber'] as const).filter((k) => d[k] !== undefined).map((k) => [k, d[k]]),
  );

const duplicateView = (d: DuplicateHit): PossibleDuplicateView => ({
  caseId: d.caseId,
  code: d.code,
  matchedOn: (['phone', 'document', 'name_birth_date'] as const).filter((k) => ({ phone: d.phone, document: d.document, name_birth_date: d.nameBirth })[k]),
});
