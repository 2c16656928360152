import { Inject, Injectable } from '@nestjs/common';
import { subject } from '@casl/ability';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor, Language } from '../authorization/actor.js';
import { scopeFor } from '../authorization/scope.js';
import { AuditService } from '../audit/audit.service.js';
import { CaseReader } from '../cases/case-reader.js';
import { ConsentService } from '../cases/consent.service.js';
import { notFound } from '../common/domain-error.js';
import { FieldCipher } from '../common/crypto/field-cipher.js';
import type { Page } from '../common/pagination.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { TransactionHost } from '../database/transaction.js';
import { DirectoryReadService, type ReferralTarget } from '../directory/directory-read.service.js';
import { wallDateOf } from '../vocabulary/index.js';
import type { ReferralQuery } from './dto/referral.dto.js';
import { toFhirBundle } from './fhir.js';
import { FhirCanon } from './fhir-terminology.js';
import type { ReferralCountsView, ReferralEventView, ReferralView } from './referral.views.js';
import type { Referral, ReferralEvent } from './referral.entity.js';
import { availableTransitions, isOverdue, type OutcomeCode, type ReasonCode, type ReferralTransition, type Side } from './referral-state.js';
import { ReferralErrors } from './referrals.errors.js';
import { REFERRAL_SCOPE_COLUMNS, ReferralsRepository } from './referrals.repository.js';
import { ReferralTargets, serviceName } from './referral-targets.js';
import { openShared, pickShared, type SharedValues } from './shared-fields.js';

/** The condition fields of the Referral subject for one referral (see ability.factory.ts). */
export const referralFacts = (r: Pick<Referral, 'unitId' | 'providerOrganisationId' | 'status'>) => ({
  unitId: r.unitId,
  providerOrganisationId: r.providerOrganisationId,
  status: r.status,
});

/** A provider's staff see the provider side of a referral. */
const isProvider = (actor: Actor): boolean => actor.organisationType === 'service_provider';

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
/** Today's date in Morocco and its weekday code (the date's own weekday, whatever the server's zone). */
export function moroccoToday(now: Date): { day: string; date: string } {
  const date = wallDateOf(now);
  return { day: DAY_CODES[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]!, date };
}

/**
 * Reads of referrals: one referral, a page, the counts, the slip and the FHIR Bundle, each cut to
 * what the caller may see. The API view and the FHIR input are built from one mapping of the
 * referral's own fields (`fields`).
 */
@Injectable()
export class ReferralViews {
  private readonly canon: FhirCanon;

  constructor(
    private readonly referrals: ReferralsRepository,
    private readonly tx: TransactionHost,
    private readonly cases: CaseReader,
    private readonly consents: ConsentService,
    private readonly directory: DirectoryReadService,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.canon = new FhirCanon(config.publicUrl);
  }

  /** A referral the caller may read, or 404. */
  async load(ability: AppAbility, id: string): Promise<Referral> {
    const r = await this.referrals.findInScope(scopeFor(ability, 'read', 'Referral', REFERRAL_SCOPE_COLUMNS), id);
    if (!r) throw notFound('referral');
    return r;
  }

  async get(actor: Actor, ability: AppAbility, id: string): Promise<ReferralView> {
    return this.tx.run(async () => {
      const r = await this.load(ability, id);
      const v = await this.view(actor, ability, r, { history: true, person: true });
      // The unit reads the case by its code (a provider never learns it).
      if (!isProvider(actor)) v.caseCode = (await this.cases.summary(ability, r.caseId).catch(() => null))?.code ?? null;
      return v;
    });
  }

  /** The slip of a sent referral, for the referring unit to print in the person's language. */
  async slip(actor: Actor, ability: AppAbility, id: string, language: Language): Promise<ReferralSlip> {
    return this.tx.run(async () => {
      const r = await this.load(ability, id);
      if (isProvider(actor) || !ability.can('update', subject('Referral', referralFacts(r)) as never)) throw notFound('referral');
      if (!SLIP_STATUSES.includes(r.status)) throw ReferralErrors.slipUnavailable(r.status);
      const s = await this.directory.slipService(r.serviceId, r.serviceAtLocationId, language);
      if (!s) throw notFound('referral');
      const restricted = s.tier === 'restricted';
      const sensitive = restricted || (await this.directory.getServiceForReferral(r.serviceId))?.categories.some((c) => SENSITIVE_CATEGORIES.includes(c)) === true;
      const name = serviceName(s, language);
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
    const page = await this.referrals.list(scopeFor(ability, 'read', 'Referral', REFERRAL_SCOPE_COLUMNS), { ...q, caseId: isProvider(actor) ? undefined : q.caseId }, new Date());
    const targets = await ReferralTargets.forPage(this.directory, page.items.map((r) => r.serviceId));
    const now = new Date();
    // Rows of a page share their facts (one provider, a few units and states): each set asked of the ability once.
    const actions = new Map<string, ReferralTransition[]>();
    // Every service of the page is already known: each row's view is built without waiting on anything.
    return { items: page.items.map((r) => this.build(actor, ability, r, targets.known(r.serviceId), now, undefined, actions)), nextCursor: page.nextCursor };
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
          ...this.fields(r, target, language),
          unit: { id: r.unitId, name: orgs.get(r.unitId)?.name ?? '' },
          provider: { id: r.providerOrganisationId, name: orgs.get(r.providerOrganisationId)?.name ?? '' },
          consent: r.consentId ? await this.consents.forReferral(r.caseId, r.consentId) : null,
          previous: previous ? { id: previous.id, reference: previous.reference } : null,
          person: await this.sharedValues(actor, r),
        },
        { canon: this.canon, language },
      );
    });
  }

  /**
   * What the caller sees. A provider: the referral with only its shared fields, never the case or
   * the need. The unit: everything about the referral, with its history (`history`: read, or the
   * whole of it as this request wrote it, oldest first — a referral it created).
   */
  async view(actor: Actor, ability: AppAbility, r: Referral, opts: { history?: boolean | ReferralEvent[]; person?: boolean }, targets = new ReferralTargets(this.directory)): Promise<ReferralView> {
    const target = await targets.of(r.serviceId);
    const provider = isProvider(actor);
    const events = opts.history === true ? await this.referrals.history(r.id) : opts.history || undefined;
    const history = events?.map((e) => this.eventView(e, provider));
    const v = this.build(actor, ability, r, target, new Date(), history);
    if (provider && opts.person) v.person = await this.sharedValues(actor, r);
    return v;
  }

  /**
   * The view of one referral from what is already read (list rows and single reads alike).
   * Built by adding to one object, never as `{ ...fields, more }`: V8 (Node 20) gives each such
   * spread-then-extend literal a fresh hidden class, ≈ 40 µs and a heap of garbage per object, which
   * made a 50-row inbox page cost 2 ms more CPU (bench/results.md, provider-inbox).
   */
  private build(
    actor: Actor,
    ability: AppAbility,
    r: Referral,
    target: ReferralTarget | null,
    now: Date,
    history?: ReferralEventView[],
    memo?: Map<string, ReferralTransition[]>,
  ): ReferralView {
    const provider = isProvider(actor);
    const key = memo && `${r.unitId}|${r.providerOrganisationId}|${r.status}`;
    let actions = key ? memo.get(key) : undefined;
    if (!actions) {
      const side: Side = provider ? 'provider' : 'unit';
      actions = ability.can(provider ? 'respond' : 'update', subject('Referral', referralFacts(r)) as never) ? availableTransitions(r.status, side) : [];
      if (key) memo.set(key, actions);
    }
    const v: ReferralView = Object.assign(this.fields(r, target, actor.language), {
      serviceAtLocationId: r.serviceAtLocationId,
      unitId: r.unitId,
      providerOrganisationId: r.providerOrganisationId,
      sharedFields: r.sharedFields,
      consentWithdrawn: r.consentWithdrawnAt !== null,
      overdue: isOverdue(r, now),
      /** The provider's note back to the referring unit (both sides of the referral read it). */
      noteForReferrer: this.cipher.decrypt(r.replyNoteEnc),
      proposedServiceAtLocationId: r.proposedServiceAtLocationId,
      actions,
      version: r.version,
    });
    if (history) v.history = history;
    if (provider) return v;
    return Object.assign(v, {
      caseId: r.caseId,
      needId: r.needId,
      referredById: r.referredById,
      consentId: r.consentId,
      previousReferralId: r.previousReferralId,
    });
  }

  /** The referral's own fields as both the API view and the FHIR Bundle read them, texts decrypted, the service named in `language`. */
  private fields(r: Referral, target: ReferralTarget | null, language: Language) {
    return {
      id: r.id,
      reference: r.reference,
      status: r.status,
      priority: r.priority,
      category: r.category,
      serviceId: r.serviceId,
      serviceName: serviceName(target, language),
      noteForProvider: this.cipher.decrypt(r.noteEnc),
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      sentAt: r.sentAt,
      responseDueAt: r.responseDueAt,
      answeredAt: r.answeredAt,
      startedAt: r.startedAt,
      closedAt: r.closedAt,
      appointmentAt: r.appointmentAt,
      reasonCode: r.reasonCode as ReasonCode | null,
      reasonText: this.cipher.decrypt(r.reasonTextEnc),
      outcomeCode: r.outcomeCode as OutcomeCode | null,
    };
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
