import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ReferralMailEvent, type ReferralMailFacts } from '../common/mail-events.js';
import type { Referral } from './referral.entity.js';
import { responseHours, type OutcomeCode, type ReasonCode, type ReferralTransition } from './referral-state.js';
import { ReferralsRepository, type Contact } from './referrals.repository.js';
import { focalContacts, type ReferralTargets } from './referral-targets.js';

/** The steps whose e-mail goes to the referring counsellor (the provider answered or closed the referral); the others' to the focal points. */
export const tellsReferrer = (t: ReferralTransition | 'share-update'): boolean => t !== 'send' && t !== 'cancel' && t !== 'share-update' && t !== 'start';

/**
 * Who hears of a step of the loop: the service's focal points when a referral is sent or
 * cancelled or when the unit shares corrections (`share-update`), the referring counsellor when
 * the provider answers or closes it. The e-mails are
 * announced as a ReferralMailEvent in the step's transaction; the notifications module renders them.
 */
@Injectable()
export class ReferralMails {
  constructor(
    private readonly referrals: ReferralsRepository,
    private readonly events: EventEmitter2,
  ) {}

  /**
   * `referrer`: the referring counsellor's address as the step's statement read it (null: a disabled
   * account), for a step that tells them (`tellsReferrer`); read here when not given.
   */
  async announce(r: Referral, t: ReferralTransition | 'share-update', targets: ReferralTargets, referrer?: Contact | null): Promise<void> {
    if (t === 'start') return;
    // A cancelled draft never reached the provider: nobody to tell.
    if (t === 'cancel' && !r.sentAt) return;
    const target = await targets.of(r.serviceId);
    const toProvider = !tellsReferrer(t);
    const to =
      toProvider
        ? focalContacts(target?.focalPoints ?? [])
        : [referrer === undefined ? await this.referrals.contactOf(r.referredById) : referrer].filter((c) => c !== null);
    if (!to.length) return;
    const facts: ReferralMailFacts = {
      referralId: r.id,
      reference: r.reference,
      service: target?.name ?? { fr: null, ar: null, en: null },
      priority: r.priority,
      responseHours: responseHours(r.priority, target?.responseHours),
      responseDueAt: r.responseDueAt,
      reasonCode: (r.reasonCode as ReasonCode | null) ?? null,
      outcomeCode: (r.outcomeCode as OutcomeCode | null) ?? null,
      appointmentAt: r.appointmentAt,
      // The note itself may identify the person: the e-mail only says that one is waiting.
      noteWaiting: !toProvider && r.replyNoteEnc !== null,
    };
    await this.events.emitAsync(ReferralMailEvent.topic, new ReferralMailEvent(t, to, facts));
  }
}
