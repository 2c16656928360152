import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { AuditService, readsOf } from '../audit/audit.service.js';
import type { Category } from '../common/categories.js';
import { notFound } from '../common/domain-error.js';
import { TransactionHost } from '../database/transaction.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { CaseAccess } from './case-access.js';
import { CaseRecordsRepository } from './case-records.repository.js';
import { consentView } from './case.views.js';
import type { ShareableField } from './cases.constants.js';
import { CaseErrors } from './cases.errors.js';
import { ConsentWithdrawnEvent } from './cases.events.js';
import { Consent } from './consent.entity.js';
import type { CreateConsentDto } from './dto/records.dto.js';
import type { ConsentView } from './case.views.js';

/** The question the referrals module asks before a referral leaves. */
export interface ConsentQuestion {
  caseId: string;
  category: Category;
  organisationId: string;
  fields: ShareableField[];
}

export type ConsentFacts = Pick<Consent, 'id' | 'givenAt' | 'withdrawnAt' | 'method' | 'categories' | 'fields'>;

export interface ConsentAnswer {
  covered: boolean;
  /** The consent that covers it (when covered). */
  consentId?: string;
  /**
   * When not covered: what the closest active consent lacks (no active consent at all:
   * `noActiveConsent` and everything missing).
   */
  missing: { noActiveConsent: boolean; category: boolean; organisation: boolean; fields: ShareableField[] };
}

/** Does one consent cover the question? Pure; exported for unit tests. */
export function evaluateConsent(c: Pick<Consent, 'categories' | 'organisationIds' | 'fields' | 'withdrawnAt'>, q: Omit<ConsentQuestion, 'caseId'>) {
  const category = c.categories.length > 0 && !c.categories.includes(q.category);
  const organisation = c.organisationIds.length > 0 && !c.organisationIds.includes(q.organisationId);
  const fields = q.fields.filter((f) => !c.fields.includes(f));
  return { covered: c.withdrawnAt === null && !category && !organisation && fields.length === 0, category, organisation, fields };
}

@Injectable()
export class ConsentService {
  constructor(
    private readonly records: CaseRecordsRepository,
    private readonly access: CaseAccess,
    private readonly organisations: OrganisationsService,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
    private readonly tx: TransactionHost,
  ) {}

  /** Who may be told what is itself sensitive: one audit row per consent read. */
  async list(actor: Actor, ability: AppAbility, caseId: string): Promise<ConsentView[]> {
    const c = await this.access.load(ability, 'read', caseId);
    const consents = await this.records.listForCase(Consent, c.id);
    await this.audit.record(actor, readsOf('consent', consents, c.unitId));
    return consents.map(consentView);
  }

  async record(actor: Actor, ability: AppAbility, caseId: string, dto: CreateConsentDto): Promise<ConsentView> {
    const categories = dto.categories ?? [];
    const organisationIds = dto.organisationIds ?? [];
    if (!categories.length && !organisationIds.length) {
      throw CaseErrors.field('categories', 'a consent must name at least one service category or organisation');
    }
    for (const [i, id] of organisationIds.entries()) {
      const o = await this.organisations.find(id);
      if (!o || o.type !== 'service_provider') throw CaseErrors.field(`organisationIds.${i}`, 'must be a service provider');
    }
    return this.tx.run(async () => {
      const c = await this.access.loadWritable(ability, caseId);
      const consent = await this.records.insert(Consent, {
        caseId: c.id,
        givenBy: dto.givenBy,
        givenAt: dto.givenAt ? new Date(dto.givenAt) : new Date(),
        method: dto.method,
        categories,
        organisationIds,
        fields: dto.fields,
        recordedById: actor.userId,
      });
      await this.audit.record(actor, { action: 'create', entity: 'consent', entityId: consent.id, organisationId: c.unitId });
      return consentView(consent);
    });
  }

  /** Withdrawal stops new referrals at once: `consent.withdrawn` is handled in this transaction. */
  async withdraw(actor: Actor, ability: AppAbility, caseId: string, consentId: string): Promise<ConsentView> {
    return this.tx.run(async () => {
      const c = await this.access.load(ability, 'update', caseId);
      const consent = await this.records.findForCase(Consent, c.id, consentId);
      if (!consent) throw notFound('consent');
      if (consent.withdrawnAt) throw CaseErrors.consentAlreadyWithdrawn();
      return consentView(await this.withdrawOne(actor, c.unitId, consent));
    });
  }

  /**
   * Closing a case with reason `consent_withdrawn`: every consent still active is withdrawn, with
   * the same consequences as one by one. In the caller's transaction.
   */
  async withdrawAllOfCase(actor: Actor, c: { id: string; unitId: string }): Promise<number> {
    const active = (await this.records.listForCase(Consent, c.id)).filter((x) => x.withdrawnAt === null);
    for (const consent of active) await this.withdrawOne(actor, c.unitId, consent);
    return active.length;
  }

  private async withdrawOne(actor: Actor, unitId: string, consent: Consent): Promise<Consent> {
    const saved = await this.records.save(Consent, { ...consent, withdrawnAt: new Date(), withdrawnById: actor.userId });
    await this.audit.record(actor, { action: 'withdraw', entity: 'consent', entityId: consent.id, organisationId: unitId });
    await this.events.emitAsync(ConsentWithdrawnEvent.topic, new ConsentWithdrawnEvent(consent.caseId, consent.id));
    return saved;
  }

  /**
   * For the referrals module: what a referral sent under `consentId` may say of that consent (FHIR
   * Consent in its Bundle) — when and how it was given, whether withdrawn, the categories and fields
   * it covers. Never who gave it. The caller has loaded the referral in its scope.
   */
  async forReferral(caseId: string, consentId: string): Promise<ConsentFacts | null> {
    const c = await this.records.findForCase(Consent, caseId, consentId);
    return c ? { id: c.id, givenAt: c.givenAt, withdrawnAt: c.withdrawnAt, method: c.method, categories: c.categories, fields: c.fields } : null;
  }

  /**
   * For the referrals module: does an active consent of the case cover referring `category` to
   * `organisationId` with `fields`? No ability check (the caller has loaded the case in its scope).
   * Runs in the caller's transaction when there is one.
   */
  async covers(q: ConsentQuestion, opts: { lock?: boolean } = {}): Promise<ConsentAnswer> {
    // `lock`: for a referral about to be sent, in its transaction — the consents it relies on cannot
    // be withdrawn until it has committed, so the withdrawal sees it and stops its sharing.
    const active = opts.lock ? await this.records.activeConsentsLocked(q.caseId) : (await this.records.listForCase(Consent, q.caseId)).filter((c) => c.withdrawnAt === null);
    let best: ReturnType<typeof evaluateConsent> | undefined;
    for (const c of active) {
      const r = evaluateConsent(c, q);
      if (r.covered) return { covered: true, consentId: c.id, missing: { noActiveConsent: false, category: false, organisation: false, fields: [] } };
      const score = (x: typeof r) => Number(x.category) + Number(x.organisation) + x.fields.length;
      if (!best || score(r) < score(best)) best = r;
    }
    if (!best) return { covered: false, missing: { noActiveConsent: true, category: true, organisation: true, fields: [...q.fields] } };
    return { covered: false, missing: { noActiveConsent: false, category: best.category, organisation: best.organisation, fields: best.fields } };
  }
}
