import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { subject } from '@casl/ability';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { CaseReader, type CaseSummary } from '../cases/case-reader.js';
import { ConsentService } from '../cases/consent.service.js';
import { DeliveriesService } from '../cases/deliveries.service.js';
import { notFound } from '../common/domain-error.js';
import { FieldCipher } from '../common/crypto/field-cipher.js';
import { TransactionHost } from '../database/transaction.js';
import { DirectoryReadService, type ReferralTarget } from '../directory/directory-read.service.js';
import { DirectoryService } from '../directory/directory.service.js';
import { IdempotencyService, type IdempotentResult } from '../idempotency/idempotency.service.js';
import { wallDateOf, wallTimeToInstant } from '../vocabulary/index.js';
import type { CreateReferralDto, ReReferDto, TransitionDto } from './dto/referral.dto.js';
import type { ReferralView } from './referral.views.js';
import type { Referral, ReferralEvent } from './referral.entity.js';
import { checkTransition, responseDeadline, sharesCorrections, TRANSITION_RULES, type Priority, type ReferralStatus, type ReferralTransition, type Side } from './referral-state.js';
import { acceptsReferrals } from './referral-rules.js';
import { ReferralMails, tellsReferrer } from './referral-mails.js';
import { ReferralTargets } from './referral-targets.js';
import { referralFacts, ReferralViews } from './referral-views.service.js';
import { ReferralErrors } from './referrals.errors.js';
import { ACCEPTANCE_MEASURE, ReferralsRepository, type NewReferral, type NewReferralEvent, type StepChanges, type StepWritten } from './referrals.repository.js';
import { pickShared, sealShared, type ShareableField } from './shared-fields.js';

/** A new referral and its whole history, as the command wrote them. */
interface Drafted {
  r: Referral;
  history: ReferralEvent[];
}

/** What the send step reads of a referral. */
type SendFacts = Pick<Referral, 'caseId' | 'category' | 'providerOrganisationId' | 'sharedFields' | 'serviceId' | 'priority'>;

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

/**
 * What changes a referral: drafting, re-referring, each step of the loop and what a consent
 * withdrawal stops. Each command runs in one transaction with its history, audit, e-mails
 * (referral-mails.ts) and deliveries; it answers with the referral as the caller now sees it
 * (referral-views.service.ts).
 */
@Injectable()
export class ReferralCommands {
  constructor(
    private readonly referrals: ReferralsRepository,
    private readonly views: ReferralViews,
    private readonly mails: ReferralMails,
    private readonly tx: TransactionHost,
    private readonly cases: CaseReader,
    private readonly consents: ConsentService,
    private readonly deliveries: DeliveriesService,
    private readonly directory: DirectoryReadService,
    private readonly directoryFeedback: DirectoryService,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
  ) {}

  // ---- creation ----------------------------------------------------------------------------------

  async create(actor: Actor, ability: AppAbility, dto: CreateReferralDto, key?: string): Promise<IdempotentResult<ReferralView>> {
    return this.idempotency.run(
      actor.userId,
      key,
      { route: 'POST /api/v1/referrals', body: dto },
      201,
      async () => {
        // The service read while drafting serves the send step and the answer.
        const targets = new ReferralTargets(this.directory);
        const made = await this.tx.run(async () => this.draft(actor, ability, await this.cases.summary(ability, dto.caseId), dto, targets, dto.send === true));
        // Built from what the command wrote (its whole history): after the commit, unless a key's transaction holds it.
        return this.views.view(actor, ability, made.r, { history: made.history }, targets);
      },
      (id) => this.replayed(actor, ability, id),
    );
  }

  /** After a decline (or a referral that could not be completed): a new referral linked to the first, sent at once by default. */
  async reRefer(actor: Actor, ability: AppAbility, id: string, dto: ReReferDto, key?: string): Promise<IdempotentResult<ReferralView>> {
    return this.idempotency.run(
      actor.userId,
      key,
      { route: `POST /api/v1/referrals/${id}/re-refer`, body: dto },
      201,
      async () => {
        const targets = new ReferralTargets(this.directory);
        const made = await this.tx.run(async () => {
          const first = await this.views.load(ability, id);
          if (!ability.can('create', subject('Referral', referralFacts(first)) as never)) throw notFound('referral');
          if (first.status !== 'declined' && first.status !== 'not_completed') throw ReferralErrors.notReReferable(first.status);
          const serviceAtLocationId = dto.serviceAtLocationId ?? first.proposedServiceAtLocationId;
          if (!serviceAtLocationId) throw ReferralErrors.serviceNotFound();
          const c = await this.cases.summary(ability, first.caseId);
          return this.draft(actor, ability, c, {
            needId: first.needId,
            serviceAtLocationId,
            priority: dto.priority ?? first.priority,
            sharedFields: dto.sharedFields ?? first.sharedFields,
            noteForProvider: dto.noteForProvider ?? this.cipher.decrypt(first.noteEnc),
            previousReferralId: first.id,
          }, targets, dto.send !== false);
        });
        return this.views.view(actor, ability, made.r, { history: made.history }, targets);
      },
      (created) => this.replayed(actor, ability, created),
    );
  }

  /** An idempotent replay: the created referral as the caller sees it now (nothing decrypted is kept for it). */
  private replayed(actor: Actor, ability: AppAbility, id: string) {
    return this.tx.run(async () => this.views.view(actor, ability, await this.views.load(ability, id), { history: true }));
  }

  /**
   * A new referral, and its send at once when asked: the send step's rules (side, state machine,
   * consent gate, snapshot, service accepting) run before anything is written, so the referral is
   * written once as it ends up (sent: version 1, as a draft after its send) with its number and its
   * history rows, in one statement (issue #18). Audit rows and e-mails as for the two steps.
   */
  private async draft(actor: Actor, ability: AppAbility, c: CaseSummary, input: DraftInput, targets: ReferralTargets, send: boolean): Promise<Drafted> {
    if (c.anonymised || c.status === 'closed') throw ReferralErrors.caseNotOpen();
    const need = c.needs.find((n) => n.id === input.needId && n.status === 'open');
    if (!need) throw ReferralErrors.needNotFound();
    this.assertMayShareIncidents(ability, input.sharedFields, c);
    const target = await this.targetFor(ability, input.serviceAtLocationId);
    targets.remember(target);
    // Needs and services share one category list (src/common/categories.ts).
    if (!target.categories.includes(need.category)) throw ReferralErrors.categoryMismatch();
    if (!ability.can('create', subject('Referral', { unitId: c.unitId, providerOrganisationId: target.organisationId, status: 'draft' }) as never)) throw notFound('case');

    const now = new Date();
    const r: NewReferral = {
      // Made here, not by the database: the audit rows name it before it is written (in the order the steps happen).
      id: randomUUID(),
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
      version: 0,
      sharedFields: input.sharedFields,
      noteEnc: this.cipher.encrypt(input.noteForProvider ?? null),
      sharedEnc: null,
      consentId: null,
      sentAt: null,
      responseDueAt: null,
      previousReferralId: input.previousReferralId ?? null,
      updatedAt: null,
    };
    const events: NewReferralEvent[] = [{ actorId: actor.userId, action: input.previousReferralId ? 're-refer' : 'create', fromStatus: null, toStatus: 'draft' }];
    await this.audit.record(actor, { action: 'create', entity: 'referral', entityId: r.id, organisationId: c.unitId });
    if (send) {
      const to = this.checkStep(ability, r, 'send', {});
      Object.assign(r, await this.sendChanges(actor, r, targets, now), { status: to, version: 1, updatedAt: now });
      events.push({ actorId: actor.userId, action: 'send', fromStatus: 'draft', toStatus: to });
      await this.audit.record(actor, { action: 'transition', entity: 'referral', entityId: r.id, organisationId: c.unitId });
    }
    const { referral, history } = await this.referrals.insertNumbered(r, now.getUTCFullYear(), events);
    if (send) await this.mails.announce(referral, 'send', targets);
    return { r: referral, history };
  }

  /** The service at a location, visible to the caller, active and accepting referrals. */
  private async targetFor(ability: AppAbility, serviceAtLocationId: string, field?: string): Promise<ReferralTarget> {
    const target = await this.directory.findVisibleServiceAt(ability, serviceAtLocationId);
    if (!target) throw ReferralErrors.serviceNotFound(field);
    if (!acceptsReferrals(target)) throw ReferralErrors.serviceNotAccepting();
    return target;
  }

  // ---- transitions -------------------------------------------------------------------------------

  async transition(actor: Actor, ability: AppAbility, id: string, t: ReferralTransition, dto: TransitionDto): Promise<ReferralView> {
    return this.tx.run(async () => {
      const known = new ReferralTargets(this.directory);
      let done = await this.apply(actor, ability, await this.views.load(ability, id), t, dto, known);
      // Accept and start in one step (two history rows, one commit): the person is seen at once.
      if (t === 'accept' && dto.startNow) done = await this.apply(actor, ability, done.referral, 'start', {}, known);
      // The answer's history is the one the step's statement returned (no second read).
      return this.views.view(actor, ability, done.referral, { history: done.history }, known);
    });
  }

  /**
   * One step of the loop, in the caller's transaction: the actor's ability for that side, the state
   * machine, the step's own rules (consent gate on send), then the conditional UPDATE on
   * (id, status, version) — whoever loses a race gets 409 with the state the winner left — and the
   * history row, audit row, outbox e-mails and (on complete) the delivery, all in one commit. The
   * rules run before anything is written; the referral's UPDATE, its history row (and the whole
   * history back), the referring counsellor's address and, on accept, the service's lock are one
   * prepared statement (issue #18).
   */
  private async apply(
    actor: Actor | null,
    ability: AppAbility | null,
    r: Referral,
    t: ReferralTransition,
    dto: TransitionDto,
    known = new ReferralTargets(this.directory),
  ): Promise<StepWritten> {
    const rule = TRANSITION_RULES[t];
    const to = this.checkStep(ability, r, t, dto);
    const now = new Date();
    // Every time of a step from one clock: updated_at would otherwise be the transaction's start (before `now`).
    const changes: StepChanges = { status: to, updatedAt: now };
    switch (t) {
      case 'send':
        Object.assign(changes, await this.sendChanges(actor, r, known, now));
        break;
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

    const event: NewReferralEvent = {
      actorId: actor?.userId ?? null,
      action: t,
      fromStatus: r.status,
      toStatus: to,
      reasonCode: changes.reasonCode ?? null,
      reasonTextEnc: changes.reasonTextEnc ?? null,
      outcomeCode: changes.outcomeCode ?? null,
    };
    const written = await this.referrals.step(r.id, r.status, r.version, changes, event, { referrer: tellsReferrer(t), serviceLock: t === 'accept' });
    if (!written) {
      const current = await this.referrals.findById(r.id);
      throw ReferralErrors.invalidState(current?.status ?? r.status, t, rule.from);
    }
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
      // Directory feedback: the service's median time to accept feeds the suggestions (measured under the lock the step took, and written, in one statement).
      await this.directoryFeedback.recordMeasuredResponseTime(r.serviceId, ACCEPTANCE_MEASURE);
    }
    await this.mails.announce(written.referral, t, known, written.referrer);
    return written;
  }

  /** The caller's side for the step and the state machine's rules for it: the status the step leads to, or the problem. */
  private checkStep(ability: AppAbility | null, r: Pick<Referral, 'unitId' | 'providerOrganisationId' | 'status' | 'category'>, t: ReferralTransition, dto: TransitionDto): ReferralStatus {
    const rule = TRANSITION_RULES[t];
    const side: Side = rule.side;
    if (ability && !ability.can(side === 'provider' ? 'respond' : 'update', subject('Referral', referralFacts(r)) as never)) throw ReferralErrors.wrongSide(t);
    const check = checkTransition(r.status, t, side, { reasonCode: dto.reasonCode, reasonText: dto.reasonText, outcomeCode: dto.outcomeCode, category: r.category, replyNote: dto.noteForReferrer !== undefined, startNow: dto.startNow });
    if (!check.ok) {
      throw check.problem.kind === 'illegal_state' ? ReferralErrors.invalidState(r.status, t, rule.from) : ReferralErrors.badInput(check.problem);
    }
    return check.to;
  }

  /** What sending sets: the covering consent, the frozen snapshot of the shared fields, and (the service still accepting) the deadline. */
  private async sendChanges(actor: Actor | null, r: SendFacts, known: ReferralTargets, now: Date): Promise<Pick<Referral, 'consentId' | 'sharedEnc' | 'sentAt' | 'responseDueAt'>> {
    const consentId = await this.consentGate(r);
    const sharedEnc = await this.snapshotShared(actor, r);
    const target = await known.of(r.serviceId);
    if (!target || !acceptsReferrals(target)) throw ReferralErrors.serviceNotAccepting();
    return { consentId, sharedEnc, sentAt: now, responseDueAt: responseDeadline(now, r.priority, target.responseHours) };
  }

  // ---- corrections after sending -----------------------------------------------------------------

  /**
   * The unit shares its corrections to the case (a new phone…) with the provider of an open
   * referral: only under a consent that covers the referral now (renewed consent, the send gate),
   * as a fresh encrypted snapshot of the same fields, with a history row, an audit row and an
   * e-mail to the focal points that says only that the shared information changed. Nothing
   * changed (the new snapshot decrypts to the same bytes as the old): nothing is written or sent.
   */
  async shareUpdate(actor: Actor, ability: AppAbility, id: string): Promise<ReferralView> {
    return this.tx.run(async () => {
      const r = await this.views.load(ability, id);
      if (!ability.can('update', subject('Referral', referralFacts(r)) as never)) throw ReferralErrors.wrongSide('share-update');
      if (!r.sentAt || !sharesCorrections(r.status, r.consentWithdrawnAt !== null)) throw ReferralErrors.notSharing(r.status, r.consentWithdrawnAt !== null);
      if (r.sharedFields.includes('incident_summary')) this.assertMayShareIncidents(ability, r.sharedFields, await this.cases.summary(ability, r.caseId));
      const consentId = await this.consentGate(r);
      const sharedEnc = await this.snapshotShared(actor, r);
      const known = new ReferralTargets(this.directory);
      if (this.cipher.decrypt(sharedEnc) === this.cipher.decrypt(r.sharedEnc)) {
        return this.views.view(actor, ability, r, { history: true }, known);
      }
      const written = await this.referrals.step(r.id, r.status, r.version, { sharedEnc, consentId, updatedAt: new Date() }, { actorId: actor.userId, action: 'share-update', fromStatus: r.status, toStatus: r.status });
      if (!written) {
        const current = (await this.referrals.findById(r.id)) ?? r;
        throw sharesCorrections(current.status, current.consentWithdrawnAt !== null) ? ReferralErrors.changedMeanwhile() : ReferralErrors.notSharing(current.status, current.consentWithdrawnAt !== null);
      }
      await this.audit.record(actor, { action: 'share', entity: 'referral', entityId: r.id, organisationId: r.unitId });
      await this.mails.announce(written.referral, 'share-update', known);
      return this.views.view(actor, ability, written.referral, { history: written.history }, known);
    });
  }

  /** Incidents travel only with someone who may read them: when drafting, and when sharing again. */
  private assertMayShareIncidents(ability: AppAbility, fields: readonly string[], c: Pick<CaseSummary, 'unitId' | 'assignedCounsellorId'>): void {
    if (fields.includes('incident_summary') && !ability.can('read', subject('Incident', { unitId: c.unitId, assignedCounsellorId: c.assignedCounsellorId }) as never)) {
      throw ReferralErrors.incidentsNotYours();
    }
  }

  /** No referral leaves without a consent covering its category, its provider and every shared field. */
  private async consentGate(r: Pick<Referral, 'caseId' | 'category' | 'providerOrganisationId' | 'sharedFields'>): Promise<string> {
    const answer = await this.consents.covers({ caseId: r.caseId, category: r.category, organisationId: r.providerOrganisationId, fields: r.sharedFields }, { lock: true });
    if (answer.covered) return answer.consentId!;
    if (answer.missing.noActiveConsent) {
      throw (await this.referrals.caseHasWithdrawnConsent(r.caseId)) ? ReferralErrors.consentWithdrawn() : ReferralErrors.consentMissing();
    }
    throw ReferralErrors.consentNotCovering(answer.missing);
  }

  /** At send: the shared fields' values, frozen and encrypted with the referral (later corrections to the case do not travel). */
  private async snapshotShared(actor: Actor | null, r: Pick<Referral, 'caseId' | 'sharedFields'>): Promise<string | null> {
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
}
