import { Inject, Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { OverdueDigestEvent, ReferralMailEvent, UserInvitedEvent, type ReferralMailStep, type ServiceName } from '../common/mail-events.js';
import type { Language, MessageKind } from '../vocabulary/index.js';
import { OutboxRepository } from './outbox.repository.js';
import { formatWhen, render, type TEMPLATES } from './templates.js';

/** The template of each referral e-mail; its outbox kind is `referral.<step>`. */
const REFERRAL_TEMPLATES = {
  send: 'referralSent',
  accept: 'referralAccepted',
  decline: 'referralDeclined',
  complete: 'referralCompleted',
  'not-complete': 'referralNotCompleted',
  cancel: 'referralCancelled',
  'share-update': 'referralShareUpdated',
  overdue: 'referralOverdue',
  escalation: 'referralEscalated',
} as const satisfies Record<ReferralMailStep, keyof typeof TEMPLATES>;

/** A service's name in the recipient's language, else in another. */
const nameIn = (n: ServiceName, l: Language) => n[l] ?? n.fr ?? n.en ?? n.ar ?? '';

/**
 * Turns domain events into outbox rows, inside the transaction of the change (emitAsync): every
 * e-mail the application sends is rendered here, in the recipient's language, from what the event
 * carries (references, codes, dates — never a person).
 */
@Injectable()
export class NotificationsListener {
  constructor(
    private readonly outbox: OutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @OnEvent(UserInvitedEvent.topic, { suppressErrors: false })
  async onUserInvited(e: UserInvitedEvent): Promise<void> {
    const link = `${this.config.publicUrl}/set-password?token=${encodeURIComponent(e.token)}`;
    const { subject, text } = render('invite', e.language, { link, expiresAt: e.expiresAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC', purpose: e.purpose });
    const kind: MessageKind = `user.${e.purpose}`;
    await this.outbox.enqueue([{ recipient: e.email, subject, body: text, kind }]);
  }

  @OnEvent(ReferralMailEvent.topic, { suppressErrors: false })
  async onReferralMail(e: ReferralMailEvent): Promise<void> {
    const r = e.referral;
    await this.outbox.enqueue(
      e.recipients.map((to) => {
        const { subject, text } = render(REFERRAL_TEMPLATES[e.step], to.language, {
          reference: r.reference,
          service: nameIn(r.service, to.language),
          priority: r.priority,
          responseHours: r.responseHours,
          deadline: r.responseDueAt ? formatWhen(r.responseDueAt, to.language) : '',
          link: `${this.config.publicUrl}/referrals/${r.referralId}`,
          reasonCode: r.reasonCode ?? null,
          outcomeCode: r.outcomeCode ?? null,
          appointment: r.appointmentAt ? formatWhen(r.appointmentAt, to.language) : null,
          noteWaiting: r.noteWaiting,
        });
        // Typed: a step whose kind has no label in the vocabulary (the failed e-mails page) does not build.
        const kind: MessageKind = `referral.${e.step}`;
        return { recipient: to.email, subject, body: text, kind, dedupeKey: e.dedupe ? `${e.dedupe}:${to.email}` : null };
      }),
    );
  }

  @OnEvent(OverdueDigestEvent.topic, { suppressErrors: false })
  async onOverdueDigest(e: OverdueDigestEvent): Promise<void> {
    await this.outbox.enqueue(
      e.recipients.map((to) => {
        const items = e.items.map((i) => ({ reference: i.reference, service: nameIn(i.service, to.language), priority: i.priority, deadline: formatWhen(i.responseDueAt, to.language) }));
        const { subject, text } = render('overdueDigest', to.language, { date: e.day, region: e.regionName, items, link: `${this.config.publicUrl}/referrals?overdue=true` });
        const kind: MessageKind = 'referral.digest';
        return { recipient: to.email, subject, body: text, kind, dedupeKey: `digest:${e.regionId}:${e.day}:${to.email}` };
      }),
    );
  }
}
