import type { DeliveryOutcome, Language, Priority, ReasonCode } from '../vocabulary/index.js';

// Events that ask for an e-mail. They live below the features so that mail goes one way: a feature
// emits, the notifications module (which imports no feature) renders and writes the outbox.

/**
 * Emitted when an account needs a set-password link. The token is in the event (never in a log);
 * the notifications module turns it into an e-mail to the user.
 */
export class UserInvitedEvent {
  static readonly topic = 'user.invited';
  constructor(
    readonly userId: string,
    readonly email: string,
    readonly language: Language,
    readonly token: string,
    readonly expiresAt: Date,
    readonly purpose: 'invite' | 'reset',
  ) {}
}

/**
 * Emitted (in the change's transaction) when an account's token version is bumped: password set by
 * a reset, reset link sent, disable, role change, MFA reset. The auth module revokes every
 * refresh-token family of the account, so no copy of one can be rotated again.
 */
export class UserSessionsEndedEvent {
  static readonly topic = 'user.sessions-ended';
  constructor(readonly userId: string) {}
}

/** Who an e-mail goes to: an address and the language it is written in. */
export interface MailRecipient {
  email: string;
  language: Language;
}

/** A directory service's name in each language (a missing one falls back to another). */
export type ServiceName = { fr: string | null; ar: string | null; en: string | null };

/**
 * What a referral e-mail may say: the reference, the service, the priority, dates and codes —
 * never anything about the person (templates have no slot for it).
 */
export interface ReferralMailFacts {
  referralId: string;
  reference: string;
  service: ServiceName;
  priority: Priority;
  /** The service's own hours to respond at this priority. */
  responseHours?: number | null;
  responseDueAt: Date | null;
  reasonCode?: ReasonCode | null;
  outcomeCode?: DeliveryOutcome | null;
  appointmentAt?: Date | null;
  /** The provider left a note for the unit: said, never quoted (it may identify the person). */
  noteWaiting?: boolean;
}

/**
 * The referral e-mails there are: a step of the loop, the unit's corrections shared with the
 * provider (`share-update`), or the reminder and escalation of an overdue one.
 */
export const REFERRAL_MAIL_STEPS = ['send', 'accept', 'decline', 'complete', 'not-complete', 'cancel', 'share-update', 'overdue', 'escalation'] as const;
export type ReferralMailStep = (typeof REFERRAL_MAIL_STEPS)[number];

/**
 * A referral's step (or its lateness) to tell `recipients` about, emitted with `emitAsync` in the
 * step's transaction: the notifications module renders one e-mail per recipient into the outbox.
 * `dedupe` (with the recipient's address) makes a repeated run send each e-mail once.
 */
export class ReferralMailEvent {
  static readonly topic = 'referral.mail';
  constructor(
    readonly step: ReferralMailStep,
    readonly recipients: MailRecipient[],
    readonly referral: ReferralMailFacts,
    readonly dedupe?: string,
  ) {}
}

/** One overdue referral in a coordinator's digest. */
export interface OverdueDigestItem {
  reference: string;
  service: ServiceName;
  priority: Priority;
  responseDueAt: Date;
}

/** The daily digest of a region's overdue referrals, for its coordinators (once per region and day). */
export class OverdueDigestEvent {
  static readonly topic = 'referral.overdue-digest';
  constructor(
    readonly regionId: string,
    readonly regionName: string,
    /** The day in Morocco, YYYY-MM-DD. */
    readonly day: string,
    readonly recipients: MailRecipient[],
    readonly items: OverdueDigestItem[],
  ) {}
}
