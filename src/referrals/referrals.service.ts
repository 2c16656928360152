import { Inject, Injectable } from '@nestjs/common';
import { subject } from '@casl/ability';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor, Language } from '../authorization/actor.js';
import { scopeFor } from '../authorization/scope.js';
import { AuditService } from '../audit/audit.service.js';
import { CaseReader, type CaseSummary } from '../cases/case-reader.js';
import { ConsentService } from '../cases/consent.service.js';
import { DeliveriesService } from '../cases/deliveries.service.js';
import { notFound } from '../common/domain-error.js';
import { FieldCipher } from '../common/crypto/field-cipher.js';
import type { Page } from '../common/pagination.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { TransactionHost } from '../database/transaction.js';
import { DirectoryReadService, type ReferralTarget } from '../directory/directory-read.service.js';
import { IdempotencyService, type IdempotentResult } from '../idempotency/idempotency.service.js';
import { OutboxRepository, type NewMessage } from '../notifications/outbox.repository.js';
import { formatWhen, render } from '../notifications/templates.js';
import { wallDateOf, wallTimeToInstant } from '../vocabulary/index.js';
import type { CreateReferralDto, ReferralQuery, ReReferDto, TransitionDto } from './dto/referral.dto.js';
import { toFhirBundle } from './fhir.js';
import type { ReferralCountsView, ReferralEventView, ReferralView } from './referral.views.js';
import { FhirCanon } from './fhir-terminology.js';
import type { Referral, ReferralEvent } from './referral.entity.js';
import {
  availableTransitions,
  checkTransition,
  isOverdue,
  responseDeadline,
  responseHours,
  TRANSITION_RULES,
  type OutcomeCode,
  type Priority,
  type ReasonCode,
  type ReferralTransition,
  type Side,
} from './referral-state.js';
import { acceptsReferrals } from './referral-rules.js';
import { ReferralErrors } from './referrals.errors.js';
import { REFERRAL_SCOPE_COLUMNS, ReferralsRepository } from './referrals.repository.js';
import { referralLink } from './reminders.js';
import { openShared, pickShared, sealShared, type ShareableField, type SharedValues } from './shared-fields.js';

/** The condition fields of the Referral subject for one referral (see ability.factory.ts). */
export const referralFacts = (r: Pick<Referral, 'unitId' | 'providerOrganisationId' | 'status'>) => ({
  unitId: r.unitId,
  providerOrganisationId: r.providerOrganisationId,
  status: r.status,
});

interface DraftInput {
  needId: string;
  serviceAtLocationId: string;
  priority: Priority;
  sharedFields: ShareableField[];
  noteForProvider?: string | null;
  previousReferralId?: string | null;
}

/**
 * An appointment as the API receives it: an instant when it carries an offset (`Z`, `+01:00`);
 * without one, a wall time in Morocco (domain.md §4), read with the offset of that day.
 */
export function appointmentInstant(iso: string): Date {
  if (/(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(iso)) return new Date(iso);
  const wall = iso.length === 10 ? `${iso}T00:00` : iso.slice(0, 16);
  return wallTimeToInstant(wall) ?? new Date(iso);
}

/** Categories whose very name says too much on a paper a person carries (with the restricted tier). */
const SENSITIVE_CATEGORIES: readonly string[] = ['clinical_management_of_rape', 'shelter'];
/** A slip is printed for a referral on its way or under way, never for a draft or a closed one. */
const SLIP_STATUSES: readonly string[] = ['sent', 'accepted', 'in_progress'];

/**
 * The referral slip the person carries: where to go, when, what to bring, and the reference to
 * show — never a case code, the need, a narrative or anything about the person. A restricted
 * service (a shelter) gives no address, only a phone; a sensitive one is named by its organisation.
 */
export interface ReferralSlip {
  reference: string;
  language: Language;
  restricted: boolean;
  /** The service's name, for a sensitive service its organisation's, for a restricted one none. */
  title: string | null;
  organisationName: string | null;
  address: string[] | null;
  mapUrl: string | null;
  phones: string[];
  /** Opening hours by weekday code (MO…SU), today's first in the list is for `today`. */
  hours: Array<{ day: string; opens: string; closes: string }>;
  today: string;
  freeOfCharge: boolean;
  noDocumentsRequired: boolean;
  documents: string[];
  costs: Array<{ option: string | null; amount: number | null; currency: string | null }>;
  appointmentAt: Date | null;
}

const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
/** Today's weekday code and date in Morocco. */
function moroccoToday(now: Date): { day: string; date: string } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Africa/Casablanca', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { day: get('weekday').slice(0, 2).toUpperCase(), date: `${get('year')}-${get('month')}-${get('day')}` };
}

const serviceName = (t: Pick<ReferralTarget, 'name'> | null, l: Language) => (t ? (t.name[l] ?? t.name.fr ?? t.name.en ?? t.name.ar ?? '') : '');

@Injectable()
export class ReferralsService {
  private readonly canon: FhirCanon;

  constructor(
    private readonly referrals: ReferralsRepository,
    private readonly tx: TransactionHost,
    private readonly cases: CaseReader,
    private readonly consents: ConsentService,
    private readonly deliveries: DeliveriesService,
    private readonly directory: DirectoryReadService,
    private readonly outbox: OutboxRepository,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.canon = new FhirCanon(config.publicUrl);
  }

  // ---- creation ----------------------------------------------------------------------------------

  async create(actor: Actor, ability: AppAbility, dto: CreateReferralDto, key?: string): Promise<IdempotentResult<ReferralView>> {
    return this.idempotency.run(
      actor.userId,
      key,
      { route: 'POST /api/v1/referrals', body: dto },
      201,
      () =>
        this.tx.run(async () => {
          const c = await this.cases.summary(ability, dto.caseId);
          // The service read while drafting serves the send step and the answer (same transaction).
          const targets = new Map<string, ReferralTarget | null>();
          let r = await this.createDraft(actor, ability, c, dto, targets);
          if (dto.send) r = await this.apply(actor, ability, r, 'send', {}, targets);
          return this.view(actor, ability, r, { history: true }, targets);
        }),
      (id) => this.replayed(actor, ability, id),
    );
  }

  /** After a decline (or a referral that could not be completed): a new referral linked to the first, sent at once by default. */
  async reRefer(actor: Actor, ability: AppAbility, id: string, dto: ReReferDto, key?: string): Promise<IdempotentResult<ReferralView>> {
    return this.idempotency.run(actor.userId, key, { route: `POST /api/v1/referrals/${id}/re-refer`, body: dto }, 201, () =>
      this.tx.run(async () => {
        const first = await this.load(ability, id);
        if (!ability.can('create', subject('Referral', referralFacts(first)) as never)) throw notFound('referral');
        if (first.status !== 'declined' && first.status !== 'not_completed') throw ReferralErrors.notReReferable(first.status);
        const serviceAtLocationId = dto.serviceAtLocationId ?? first.proposedServiceAtLocationId;
        if (!serviceAtLocationId) throw ReferralErrors.serviceNotFound();
        const c = await this.cases.summary(ability, first.caseId);
        const targets = new Map<string, ReferralTarget | null>();
        let r = await this.createDraft(actor, ability, c, {
          needId: first.needId,
          serviceAtLocationId,
          priority: dto.priority ?? first.priority,
          sharedFields: dto.sharedFields ?? first.sharedFields,
          noteForProvider: dto.noteForProvider ?? this.cipher.decrypt(first.noteEnc),
          previousReferralId: first.id,
        }, targets);
        if (dto.send !== false) r = await this.apply(actor, ability, r, 'send', {}, targets);
        return this.view(actor, ability, r, { history: true }, targets);
      }),
      (created) => this.replayed(actor, ability, created),
    );
  }

  /** An idempotent replay: the created referral as the caller sees it now (nothing decrypted is kept for it). */
  private replayed(actor: Actor, ability: AppAbility, id: string) {
    return this.tx.run(async () => this.view(actor, ability, await this.load(ability, id), { history: true }));
  }

  private async createDraft(actor: Actor, ability: AppAbility, c: CaseSummary, input: DraftInput, targets: Map<string, ReferralTarget | null>): Promise<Referral> {
    if (c.anonymised || c.status === 'closed') throw ReferralErrors.caseNotOpen();
    const need = c.needs.find((n) => n.id === input.needId && n.status === 'open');
    if (!need) throw ReferralErrors.needNotFound();
    if (input.sharedFields.includes('incident_summary') && !ability.can('read', subject('Incident', { unitId: c.unitId, assignedCounsellorId: c.assignedCounsellorId }) as never)) {
      throw ReferralErrors.incidentsNotYours();
    }
    const target = await this.targetFor(ability, input.serviceAtLocationId);
    targets.set(target.serviceId, target);
    // Needs and services share one category list (src/common/categories.ts).
    if (!target.categories.includes(need.category)) throw ReferralErrors.categoryMismatch();
    if (!ability.can('create', subject('Referral', { unitId: c.unitId, providerOrganisationId: target.organisationId, status: 'draft' }) as never)) throw notFound('case');

    const year = new Date().getUTCFullYear();
    const unit = (await this.referrals.organisationNames([c.unitId])).get(c.unitId);
    const n = await this.referrals.nextNumber(c.unitId, year);
    const r = await this.referrals.insert({
      reference: `REF-${unit?.code ?? 'UNIT'}-${year}-${String(n).padStart(6, '0')}`,
      caseId: c.id,
      needId: need.id,
      category: need.category,
      serviceId: target.serviceId,
      serviceAtLocationId: input.serviceAtLocationId,
      unitId: c.unitId,
      providerOrganisationId: target.organisationId,
      referredById: actor.userId,
      priority: input.priority,
      status: 'draft',
      sharedFields: input.sharedFields,
      noteEnc: this.cipher.encrypt(input.noteForProvider ?? null),
      previousReferralId: input.previousReferralId ?? null,
    });
    await this.referrals.addEvent({ referralId: r.id, actorId: actor.userId, action: input.previousReferralId ? 're-refer' : 'create', fromStatus: null, toStatus: 'draft' });
    await this.audit.record(actor, { action: 'create', entity: 'referral', entityId: r.id, organisationId: c.unitId });
    return r;
  }

  /** The service at a location, visible to the caller, active and accepting referrals. */
  private async targetFor(ability: AppAbility, serviceAtLocationId: string, field?: string): Promise<ReferralTarget> {
    const sal = await this.directory.getServiceAtLocation(serviceAtLocationId);
    const target = sal ? await this.directory.findVisibleService(ability, sal.serviceId) : null;
    if (!sal || !target) throw ReferralErrors.serviceNotFound(field);
    if (!acceptsReferrals(target)) throw ReferralErrors.serviceNotAccepting();
    return target;
  }

  // ---- transitions -------------------------------------------------------------------------------

  async transition(actor: Actor, ability: AppAbility, id: string, t: ReferralTransition, dto: TransitionDto): Promise<ReferralView> {
    return this.tx.run(async () => {
      const known = new Map<string, ReferralTarget | null>();
      let r = await this.apply(actor, ability, await this.load(ability, id), t, dto, known);
      // Accept and start in one step (two history rows, one commit): the person is seen at once.
      if (t === 'accept' && dto.startNow) r = await this.apply(actor, ability, r, 'start', {}, known);
      return this.view(actor, ability, r, { history: true }, known);
    });
  }

  /**
   * One step of the loop, in the caller's transaction: the actor's ability for that side, the state
   * machine, the step's own rules (consent gate on send), then the conditional UPDATE on
   * (id, status, version) — whoever loses a race gets 409 with the state the winner left — and the
   * history row, audit row, outbox e-mails and (on complete) the delivery, all in one commit.
   */
  private async apply(
    actor: Actor | null,
    ability: AppAbility | null,
    r: Referral,
    t: ReferralTransition,
    dto: TransitionDto,
    known = new Map<string, ReferralTarget | null>(),
  ): Promise<Referral> {
    const rule = TRANSITION_RULES[t];
    const side: Side = rule.side;
    if (ability && !ability.can(side === 'provider' ? 'respond' : 'update', subject('Referral', referralFacts(r)) as never)) throw ReferralErrors.wrongSide(t);
    const check = checkTransition(r.status, t, side, { reasonCode: dto.reasonCode, reasonText: dto.reasonText, outcomeCode: dto.outcomeCode, category: r.category, replyNote: dto.noteForReferrer !== undefined, startNow: dto.startNow });
    if (!check.ok) {
      throw check.problem.kind === 'illegal_state' ? ReferralErrors.invalidState(r.status, t, rule.from) : ReferralErrors.badInput(check.problem);
    }
    const now = new Date();
    // Every time of a step from one clock: updated_at would otherwise be the transaction's start (before `now`).
    const changes: Partial<Referral> = { status: check.to, updatedAt: now };
    switch (t) {
      case 'send': {
        changes.consentId = await this.consentGate(r);
        changes.sharedEnc = await this.snapshotShared(actor, r);
        const target = await this.targetOf(r.serviceId, known);
        if (!target || !acceptsReferrals(target)) throw ReferralErrors.serviceNotAccepting();
        changes.sentAt = now;
        changes.responseDueAt = responseDeadline(now, r.priority, target.responseHours);
        break;
      }
      case 'accept':
        changes.answeredAt = now;
        changes.appointmentAt = dto.appointmentAt ? appointmentInstant(dto.appointmentAt) : null;
        break;
      case 'decline':
        changes.answeredAt = now;
        if (dto.proposedServiceAtLocationId) {
          if (!(await this.directory.getServiceAtLocation(dto.proposedServiceAtLocationId))) throw ReferralErrors.serviceNotFound('proposedServiceAtLocationId');
          changes.proposedServiceAtLocationId = dto.proposedServiceAtLocationId;
        }
        break;
      case 'start':
        changes.startedAt = now;
        break;
      case 'complete':
      case 'not-complete':
      case 'cancel':
        changes.closedAt = now;
        break;
    }
    if (dto.reasonCode) {
      changes.reasonCode = dto.reasonCode;
      changes.reasonTextEnc = dto.reasonCode === 'other' ? this.cipher.encrypt(dto.reasonText ?? null) : null;
    }
    if (dto.outcomeCode) changes.outcomeCode = dto.outcomeCode;
    if (dto.noteForReferrer?.trim()) changes.replyNoteEnc = this.cipher.encrypt(dto.noteForReferrer.trim());

    if (!(await this.referrals.transition(r.id, r.status, r.version, changes))) {
      const current = await this.referrals.findById(r.id);
      throw ReferralErrors.invalidState(current?.status ?? r.status, t, rule.from);
    }
    const updated = (await this.referrals.findById(r.id))!;
    await this.referrals.addEvent({
      referralId: r.id,
      actorId: actor?.userId ?? null,
      action: t,
      fromStatus: r.status,
      toStatus: check.to,
      reasonCode: changes.reasonCode ?? null,
      reasonTextEnc: changes.reasonTextEnc ?? null,
      outcomeCode: changes.outcomeCode ?? null,
    });
    await this.audit.record(actor, { action: 'transition', entity: 'referral', entityId: r.id, organisationId: r.unitId }, actor ? undefined : 'referrals');

    if (t === 'complete') {
      await this.deliveries.record(actor, {
        caseId: r.caseId,
        category: r.category,
        deliveredOn: dto.deliveredOn?.slice(0, 10) ?? wallDateOf(now),
        outcome: dto.outcomeCode!,
        providerOrganisationId: r.providerOrganisationId,
        serviceId: r.serviceId,
        referralId: r.id,
        needId: r.needId,
      });
    }
    if (t === 'accept') {
      // Directory feedback: the service's median time to accept feeds the suggestions.
      const stats = await this.referrals.acceptanceStats(r.serviceId);
      await this.directory.recordResponseStats(r.serviceId, stats.medianHours, stats.n);
    }
    await this.outbox.enqueue(await this.mailsFor(updated, t, known));
    return updated;
  }

  /** No referral leaves without a consent covering its category, its provider and every shared field. */
  private async consentGate(r: Referral): Promise<string> {
    const answer = await this.consents.covers({ caseId: r.caseId, category: r.category, organisationId: r.providerOrganisationId, fields: r.sharedFields });
    if (answer.covered) return answer.consentId!;
    if (answer.missing.noActiveConsent) {
      throw (await this.referrals.caseHasWithdrawnConsent(r.caseId)) ? ReferralErrors.consentWithdrawn() : ReferralErrors.consentMissing();
    }
    throw ReferralErrors.consentNotCovering(answer.missing);
  }

  /** The referral's service, read once per request: `known` holds what this request has read already. */
  private async targetOf(serviceId: string, known: Map<string, ReferralTarget | null>): Promise<ReferralTarget | null> {
    if (!known.has(serviceId)) known.set(serviceId, await this.directory.getServiceForReferral(serviceId));
    return known.get(serviceId) ?? null;
  }

  /** The e-mails a step sends: reference, service, priority, deadline and link — nothing about the person. */
  private async mailsFor(r: Referral, t: ReferralTransition, known: Map<string, ReferralTarget | null>): Promise<NewMessage[]> {
    const kind = { send: 'referralSent', accept: 'referralAccepted', decline: 'referralDeclined', complete: 'referralCompleted', 'not-complete': 'referralNotCompleted', cancel: 'referralCancelled' } as const;
    if (!(t in kind)) return [];
    // A cancelled draft never reached the provider: nobody to tell.
    if (t === 'cancel' && !r.sentAt) return [];
    const target = await this.targetOf(r.serviceId, known);
    const to =
      t === 'send' || t === 'cancel'
        ? await this.referrals.focalContacts(target?.focalPoints ?? [])
        : [await this.referrals.contactOf(r.referredById)].filter((c) => c !== null);
    const k = kind[t as keyof typeof kind];
    return to.map((c) => {
      const { subject: s, text } = render(k, c.language, {
        reference: r.reference,
        service: serviceName(target, c.language),
        priority: r.priority,
        responseHours: responseHours(r.priority, target?.responseHours),
        deadline: r.responseDueAt ? formatWhen(r.responseDueAt, c.language) : '',
        link: referralLink(this.config.publicUrl, r.id),
        reasonCode: (r.reasonCode as ReasonCode | null) ?? null,
        outcomeCode: (r.outcomeCode as OutcomeCode | null) ?? null,
        appointment: r.appointmentAt ? formatWhen(r.appointmentAt, c.language) : null,
        // The note itself may identify the person: the e-mail only says that one is waiting.
        noteWaiting: t !== 'send' && t !== 'cancel' && r.replyNoteEnc !== null,
      });
      return { recipient: c.email, subject: s, body: text, kind: `referral.${t}` };
    });
  }

  /** At send: the shared fields' values, frozen and encrypted with the referral (later corrections to the case do not travel). */
  private async snapshotShared(actor: Actor | null, r: Referral): Promise<string | null> {
    if (!r.sharedFields.length) return null;
    return sealShared(this.cipher, pickShared(await this.cases.shareableValues(actor, r.caseId, r.sharedFields), r.sharedFields));
  }

  /**
   * Consent withdrawn (or the case closed with `consent_withdrawn`), in the withdrawal's transaction.
   * Drafts are cancelled. Every sent referral that the remaining consents no longer cover loses what
   * it shared (snapshot and note erased, `consentWithdrawnAt` set, audited); the open ones
   * (sent, accepted, in progress) are also cancelled with reason `consent_withdrawn`, which e-mails
   * the focal points the reference and that reason — nothing about the person.
   */
  async stopSharingWithoutConsent(caseId: string): Promise<{ cancelled: number; erased: number }> {
    let cancelled = 0;
    let erased = 0;
    for (const r of await this.referrals.draftsOfCase(caseId)) {
      await this.apply(null, null, r, 'cancel', { reasonCode: 'consent_withdrawn' });
      cancelled++;
    }
    for (const r of await this.referrals.sharingOfCase(caseId)) {
      const answer = await this.consents.covers({ caseId, category: r.category, organisationId: r.providerOrganisationId, fields: r.sharedFields });
      if (answer.covered) continue;
      await this.referrals.eraseShared(r.id);
      await this.audit.record(null, { action: 'withdraw', entity: 'referral', entityId: r.id, organisationId: r.unitId }, 'consent-withdrawal');
      erased++;
      if (TRANSITION_RULES.cancel.from.includes(r.status)) {
        await this.apply(null, null, (await this.referrals.findById(r.id))!, 'cancel', { reasonCode: 'consent_withdrawn' });
        cancelled++;
      }
    }
    return { cancelled, erased };
  }

  // ---- reads -------------------------------------------------------------------------------------

  private async load(ability: AppAbility, id: string): Promise<Referral> {
    const r = await this.referrals.findInScope(scopeFor(ability, 'read', 'Referral', REFERRAL_SCOPE_COLUMNS), id);
    if (!r) throw notFound('referral');
    return r;
  }

  async get(actor: Actor, ability: AppAbility, id: string): Promise<ReferralView> {
    return this.tx.run(async () => {
      const r = await this.load(ability, id);
      const v = await this.view(actor, ability, r, { history: true, person: true });
      // The unit reads the case by its code (a provider never learns it).
      return this.isProvider(actor) ? v : { ...v, caseCode: (await this.cases.summary(ability, r.caseId).catch(() => null))?.code ?? null };
    });
  }

  /** The slip of a sent referral, for the referring unit to print in the person's language. */
  async slip(actor: Actor, ability: AppAbility, id: string, language: Language): Promise<ReferralSlip> {
    return this.tx.run(async () => {
      const r = await this.load(ability, id);
      if (this.isProvider(actor) || !ability.can('update', subject('Referral', referralFacts(r)) as never)) throw notFound('referral');
      if (!SLIP_STATUSES.includes(r.status)) throw ReferralErrors.slipUnavailable(r.status);
      const s = await this.directory.slipService(r.serviceId, r.serviceAtLocationId);
      if (!s) throw notFound('referral');
      const restricted = s.tier === 'restricted';
      const sensitive = restricted || (await this.targetOf(r.serviceId, new Map()))?.categories.some((c) => SENSITIVE_CATEGORIES.includes(c)) === true;
      const name = s.name[language] ?? s.name.fr ?? s.name.en ?? s.name.ar ?? '';
      const loc = restricted ? null : s.location;
      const today = moroccoToday(new Date());
      const hours = s.schedules
        .filter((x) => (!x.validFrom || x.validFrom <= today.date) && (!x.validTo || x.validTo >= today.date))
        .flatMap((x) => x.byday.map((day) => ({ day, opens: x.opensAt.slice(0, 5), closes: x.closesAt.slice(0, 5) })))
        .sort((a, b) => DAY_CODES.indexOf(a.day) - DAY_CODES.indexOf(b.day) || a.opens.localeCompare(b.opens));
      await this.audit.record(actor, { action: 'export', entity: 'referral', entityId: r.id, organisationId: r.unitId });
      return {
        reference: r.reference,
        language,
        restricted,
        // Restricted: not even the organisation's name (it may say "shelter"); the slip says to call.
        title: restricted ? null : sensitive ? (loc?.name ? `${s.organisationName} — ${loc.name}` : s.organisationName) : name,
        organisationName: sensitive ? null : s.organisationName,
        address: loc ? [loc.name, loc.address1, loc.address2, [loc.postalCode, loc.city].filter(Boolean).join(' ')].filter((x): x is string => !!x) : null,
        mapUrl:
          loc && loc.latitude !== null && loc.longitude !== null
            ? `https://www.openstreetmap.org/?mlat=${loc.latitude}&mlon=${loc.longitude}#map=17/${loc.latitude}/${loc.longitude}`
            : null,
        // A restricted service is reached by phone only: its contact's line when it has one.
        phones: restricted && s.contactPhones.length ? s.contactPhones : s.phones,
        hours,
        today: today.day,
        freeOfCharge: s.freeOfCharge,
        noDocumentsRequired: s.noDocumentsRequired,
        documents: s.documents,
        costs: s.costs,
        appointmentAt: r.appointmentAt,
      };
    });
  }

  async list(actor: Actor, ability: AppAbility, q: ReferralQuery): Promise<Page<ReferralView>> {
    const page = await this.referrals.list(scopeFor(ability, 'read', 'Referral', REFERRAL_SCOPE_COLUMNS), { ...q, caseId: this.isProvider(actor) ? undefined : q.caseId }, new Date());
    // The page's services in one statement, not one per referral.
    const targets = new Map<string, ReferralTarget | null>(await this.directory.getServicesForReferrals(page.items.map((r) => r.serviceId)));
    const items: ReferralView[] = [];
    for (const r of page.items) items.push(await this.view(actor, ability, r, {}, targets));
    return { items, nextCursor: page.nextCursor };
  }

  counts(ability: AppAbility): Promise<ReferralCountsView> {
    return this.referrals.counts(scopeFor(ability, 'read', 'Referral', REFERRAL_SCOPE_COLUMNS), new Date());
  }

  /** The referral as a FHIR R4 Bundle whose every text is in `language` (the Bundle says which), whoever reads it. */
  async fhir(actor: Actor, ability: AppAbility, id: string, language: Language) {
    return this.tx.run(async () => {
      const r = await this.load(ability, id);
      const target = await this.directory.getServiceForReferral(r.serviceId);
      const orgs = await this.referrals.organisationNames([r.unitId, r.providerOrganisationId]);
      const previous = r.previousReferralId ? await this.referrals.findById(r.previousReferralId) : null;
      return toFhirBundle(
        {
          id: r.id,
          reference: r.reference,
          status: r.status,
          priority: r.priority,
          category: r.category,
          serviceId: r.serviceId,
          serviceName: serviceName(target, language),
          unit: { id: r.unitId, name: orgs.get(r.unitId)?.name ?? '' },
          provider: { id: r.providerOrganisationId, name: orgs.get(r.providerOrganisationId)?.name ?? '' },
          consent: r.consentId ? await this.consents.forReferral(r.caseId, r.consentId) : null,
          createdAt: r.createdAt,
          sentAt: r.sentAt,
          answeredAt: r.answeredAt,
          startedAt: r.startedAt,
          closedAt: r.closedAt,
          updatedAt: r.updatedAt,
          responseDueAt: r.responseDueAt,
          appointmentAt: r.appointmentAt,
          reasonCode: r.reasonCode as ReasonCode | null,
          reasonText: this.cipher.decrypt(r.reasonTextEnc),
          outcomeCode: r.outcomeCode as OutcomeCode | null,
          noteForProvider: this.cipher.decrypt(r.noteEnc),
          previous: previous ? { id: previous.id, reference: previous.reference } : null,
          person: await this.sharedValues(actor, r),
        },
        { canon: this.canon, language },
      );
    });
  }

  private isProvider(actor: Actor): boolean {
    return actor.organisationType === 'service_provider';
  }

  /**
   * What the referral shared when it was sent (never the live case, never more than its fields);
   * nothing before it is sent or once consent was withdrawn. A read of it is audited.
   */
  private async sharedValues(actor: Actor, r: Referral): Promise<SharedValues> {
    if (!r.sharedEnc) return {};
    await this.audit.record(actor, { action: 'read', entity: 'referral', entityId: r.id, organisationId: r.unitId });
    return pickShared(openShared(this.cipher, r.sharedEnc), r.sharedFields);
  }

  /**
   * What the caller sees. A provider: the referral with only its shared fields, never the case or
   * the need. The unit: everything about the referral, with its history.
   */
  private async view(actor: Actor, ability: AppAbility, r: Referral, opts: { history?: boolean; person?: boolean }, cache = new Map<string, ReferralTarget | null>()): Promise<ReferralView> {
    const target = await this.targetOf(r.serviceId, cache);
    const provider = this.isProvider(actor);
    const side: Side = provider ? 'provider' : 'unit';
    const actions = ability.can(provider ? 'respond' : 'update', subject('Referral', referralFacts(r)) as never) ? availableTransitions(r.status, side) : [];
    const history = opts.history ? (await this.referrals.history(r.id)).map((e) => this.eventView(e, provider)) : undefined;
    const common = {
      id: r.id,
      reference: r.reference,
      status: r.status,
      priority: r.priority,
      category: r.category,
      serviceId: r.serviceId,
      serviceAtLocationId: r.serviceAtLocationId,
      serviceName: serviceName(target, actor.language),
      unitId: r.unitId,
      providerOrganisationId: r.providerOrganisationId,
      sharedFields: r.sharedFields,
      consentWithdrawn: r.consentWithdrawnAt !== null,
      noteForProvider: this.cipher.decrypt(r.noteEnc),
      sentAt: r.sentAt,
      responseDueAt: r.responseDueAt,
      overdue: isOverdue(r, new Date()),
      answeredAt: r.answeredAt,
      startedAt: r.startedAt,
      closedAt: r.closedAt,
      appointmentAt: r.appointmentAt,
      reasonCode: r.reasonCode,
      reasonText: this.cipher.decrypt(r.reasonTextEnc),
      outcomeCode: r.outcomeCode,
      /** The provider's note back to the referring unit (both sides of the referral read it). */
      noteForReferrer: this.cipher.decrypt(r.replyNoteEnc),
      proposedServiceAtLocationId: r.proposedServiceAtLocationId,
      actions,
      version: r.version,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      ...(history ? { history } : {}),
    };
    if (provider) {
      return { ...common, ...(opts.person ? { person: await this.sharedValues(actor, r) } : {}) };
    }
    return {
      ...common,
      caseId: r.caseId,
      needId: r.needId,
      referredById: r.referredById,
      consentId: r.consentId,
      previousReferralId: r.previousReferralId,
    };
  }

  private eventView(e: ReferralEvent, provider: boolean): ReferralEventView {
    return {
      action: e.action,
      from: e.fromStatus,
      to: e.toStatus,
      at: e.at,
      ...(provider ? {} : { actorId: e.actorId }),
      reasonCode: e.reasonCode,
      reasonText: this.cipher.decrypt(e.reasonTextEnc),
      outcomeCode: e.outcomeCode,
    };
  }
}
