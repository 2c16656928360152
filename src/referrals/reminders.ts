import { OverdueDigestEvent, ReferralMailEvent, type MailRecipient, type OverdueDigestItem, type ServiceName } from '../common/mail-events.js';
import { escalationAt, type Priority } from './referral-state.js';

/** A `sent` referral past its response deadline, with who must hear about it. */
export interface OverdueReferral {
  id: string;
  reference: string;
  service: ServiceName;
  priority: Priority;
  sentAt: Date;
  responseDueAt: Date;
  regionId: string | null;
  /** The service's referral focal points. */
  focalPoints: MailRecipient[];
  /** The coordinators of the service's region. */
  coordinators: MailRecipient[];
  remindedAt: Date | null;
  escalatedAt: Date | null;
}

export interface ReminderPlan {
  /** The e-mails to announce (the notifications module renders them). */
  mails: ReferralMailEvent[];
  /** Referrals whose reminder / escalation goes out in this run (to stamp on the referral). */
  reminded: string[];
  escalated: string[];
}

/**
 * What one run of the reminder job sends. The reminder to the focal points goes once when a
 * referral becomes overdue; the escalation to the region's coordinators once when it is still
 * unanswered at escalationAt(). Each e-mail has a dedupe key (referral, step, recipient), so two
 * runs at once, or a run repeated after a crash, still send each e-mail once.
 */
export function planReminders(overdue: OverdueReferral[], now: Date): ReminderPlan {
  const plan: ReminderPlan = { mails: [], reminded: [], escalated: [] };
  for (const r of overdue) {
    if (r.responseDueAt.getTime() >= now.getTime()) continue;
    const mail = (step: 'overdue' | 'escalation', to: MailRecipient[]) =>
      new ReferralMailEvent(step, to, { referralId: r.id, reference: r.reference, service: r.service, priority: r.priority, responseDueAt: r.responseDueAt }, `referral:${r.id}:${step}`);
    if (!r.remindedAt) {
      plan.reminded.push(r.id);
      if (r.focalPoints.length) plan.mails.push(mail('overdue', r.focalPoints));
    }
    if (!r.escalatedAt && escalationAt(r.responseDueAt, r.sentAt).getTime() <= now.getTime()) {
      plan.escalated.push(r.id);
      if (r.coordinators.length) plan.mails.push(mail('escalation', r.coordinators));
    }
  }
  return plan;
}

export interface RegionDigest {
  regionId: string;
  regionName: string;
  coordinators: MailRecipient[];
  items: OverdueDigestItem[];
}

/** The daily digest: one e-mail per coordinator of each region with overdue referrals, once a day (`day`: Morocco's date). */
export function planDigest(regions: RegionDigest[], day: string): OverdueDigestEvent[] {
  return regions.filter((r) => r.items.length > 0 && r.coordinators.length > 0).map((r) => new OverdueDigestEvent(r.regionId, r.regionName, day, r.coordinators, r.items));
}
