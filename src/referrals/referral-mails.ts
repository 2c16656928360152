import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import type { OutboxMessage } from '../notifications/outbox-message.entity.js';
import { formatWhen, render } from '../notifications/templates.js';
import type { Referral } from './referral.entity.js';
import { responseHours, type OutcomeCode, type ReasonCode, type ReferralTransition } from './referral-state.js';
import { ReferralsRepository } from './referrals.repository.js';
import { referralLink } from './reminders.js';
import { serviceName, type ReferralTargets } from './referral-targets.js';

const KIND = { send: 'referralSent', accept: 'referralAccepted', decline: 'referralDeclined', complete: 'referralCompleted', 'not-complete': 'referralNotCompleted', cancel: 'referralCancelled' } as const;

/** The e-mails a step of the loop sends: reference, service, priority, deadline and link — nothing about the person. */
@Injectable()
export class ReferralMails {
  constructor(
    private readonly referrals: ReferralsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async forStep(r: Referral, t: ReferralTransition, targets: ReferralTargets): Promise<Pick<OutboxMessage, 'recipient' | 'subject' | 'body' | 'kind'>[]> {
    if (!(t in KIND)) return [];
    // A cancelled draft never reached the provider: nobody to tell.
    if (t === 'cancel' && !r.sentAt) return [];
    const target = await targets.of(r.serviceId);
    const to =
      t === 'send' || t === 'cancel'
        ? await this.referrals.focalContacts(target?.focalPoints ?? [])
        : [await this.referrals.contactOf(r.referredById)].filter((c) => c !== null);
    const k = KIND[t as keyof typeof KIND];
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
}
