import type { ReferralStatus } from '../vocabulary/index.js';

/**
 * The rules about referrals that both SQL and TypeScript need, each written once per language
 * and tied together by test/referrals/referral-rules.test.ts (the SQL and its twin agree on a
 * table of cases and on random ones). Referrals' lists, counts and reminders and reporting's
 * indicators read the SQL; pages and services the TypeScript.
 */

/** Overdue is not a state: a `sent` referral past its response deadline. `now` is an SQL expression (a parameter). */
export const overdueSql = (r: string, now: string) => `(${r}.status = 'sent' AND ${r}.response_due_at < ${now})`;

export function isOverdue(r: { status: ReferralStatus; responseDueAt: Date | null }, now: Date): boolean {
  return r.status === 'sent' && r.responseDueAt !== null && r.responseDueAt.getTime() < now.getTime();
}

/**
 * Accepted: answered and not declined (answered = accepted or declined; a later start, completion,
 * cancel or failure keeps the acceptance).
 */
export const acceptedSql = (r: string) => `(${r}.answered_at IS NOT NULL AND ${r}.status <> 'declined')`;

export function wasAccepted(r: { status: ReferralStatus; answeredAt: Date | null }): boolean {
  return r.answeredAt !== null && r.status !== 'declined';
}

/**
 * A service takes referrals while it is active and has not said it takes no more (a waiting list
 * still does). Only TypeScript reads it (sending, re-sending); no SQL filter needs it yet.
 */
export function acceptsReferrals(s: { status: string; capacityStatus: string }): boolean {
  return s.status === 'active' && s.capacityStatus !== 'not_accepting';
}
