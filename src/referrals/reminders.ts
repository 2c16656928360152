import type { Language } from '../authorization/actor.js';
import type { NewMessage } from '../notifications/outbox.repository.js';
import { formatWhen, render, type DigestItem } from '../notifications/templates.js';
import { escalationAt, type Priority } from './referral-state.js';

export interface Recipient {
  email: string;
  language: Language;
}

/** A `sent` referral past its response deadline, with who must hear about it. */
export interface OverdueReferral {
  id: string;
  reference: string;
  serviceName: string;
  priority: Priority;
  sentAt: Date;
  responseDueAt: Date;
  regionId: string | null;
  /** The service's referral focal points. */
  focalPoints: Recipient[];
  /** The coordinators of the service's region. */
  coordinators: Recipient[];
  remindedAt: Date | null;
  escalatedAt: Date | null;
}

export interface ReminderPlan {
  messages: NewMessage[];
  /** Referrals whose reminder / escalation goes out in this run (to stamp on the referral). */
  reminded: string[];
  escalated: string[];
}

export const referralLink = (publicUrl: string, id: string) => `${publicUrl}/referrals/${id}`;

/**
 * What one run of the reminder job sends. The reminder to the focal points goes once when a
 * referral becomes overdue; the escalation to the region's coordinators once when it is still
 * unanswered at escalationAt(). Each message has a dedupe key (referral, step, recipient), so two
 * runs at once, or a run repeated after a crash, still send each e-mail once.
 */
export function planReminders(overdue: OverdueReferral[], now: Date, publicUrl: string): ReminderPlan {
  const plan: ReminderPlan = { messages: [], reminded: [], escalated: [] };
  for (const r of overdue) {
    if (r.responseDueAt.getTime() >= now.getTime()) continue;
    const mail = (kind: 'referralOverdue' | 'referralEscalated', to: Recipient, step: string): NewMessage => {
      const { subject, text } = render(kind, to.language, {
        reference: r.reference,
        service: r.serviceName,
        priority: r.priority,
        deadline: formatWhen(r.responseDueAt, to.language),
        link: referralLink(publicUrl, r.id),
      });
      return { recipient: to.email, subject, body: text, kind: `referral.${step}`, dedupeKey: `referral:${r.id}:${step}:${to.email}` };
    };
    if (!r.remindedAt) {
      plan.reminded.push(r.id);
      plan.messages.push(...r.focalPoints.map((fp) => mail('referralOverdue', fp, 'overdue')));
    }
    if (!r.escalatedAt && escalationAt(r.responseDueAt, r.sentAt).getTime() <= now.getTime()) {
      plan.escalated.push(r.id);
      plan.messages.push(...r.coordinators.map((c) => mail('referralEscalated', c, 'escalation')));
    }
  }
  return plan;
}

export interface RegionDigest {
  regionId: string;
  regionName: string;
  coordinators: Recipient[];
  items: DigestItem[];
}

/** The daily digest: one e-mail per coordinator of each region with overdue referrals, once a day. */
export function planDigest(regions: RegionDigest[], day: string, publicUrl: string): NewMessage[] {
  return regions
    .filter((r) => r.items.length > 0)
    .flatMap((r) =>
      r.coordinators.map((c) => {
        const { subject, text } = render('overdueDigest', c.language, { date: day, region: r.regionName, items: r.items, link: `${publicUrl}/referrals?overdue=true` });
        return { recipient: c.email, subject, body: text, kind: 'referral.digest', dedupeKey: `digest:${r.regionId}:${day}:${c.email}` };
      }),
    );
}
