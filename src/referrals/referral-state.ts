/**
 * The referral's closed loop (domain.md §5) as data: which transition leads from which states to
 * which, which side may take it (the referring unit or the receiving provider) and what it must
 * carry (a coded reason, an outcome). The service, the API and the tests all read this table.
 *
 *   draft → sent → accepted → in_progress → completed
 *             ↘ declined        ↘ (accepted|in_progress) → not_completed
 *   (draft|sent|accepted|in_progress) → cancelled   (by the unit)
 * `overdue` is not a state: it is `sent` past its response deadline (see isOverdue).
 */
import { DEFAULT_RESPONSE_HOURS, DELIVERY_OUTCOMES, GENERAL_OUTCOME_CODES, REFERRAL_STATUSES, type DeliveryOutcome, type Priority, type ReasonCode, type ReferralStatus } from '../vocabulary/index.js';

export { GENERAL_OUTCOME_CODES, LIVELIHOOD_OUTCOME_CODES, PRIORITIES, REASON_CODES, REFERRAL_STATUSES } from '../vocabulary/index.js';
export type { Priority, ReasonCode, ReferralStatus } from '../vocabulary/index.js';

export const REFERRAL_TRANSITIONS = ['send', 'accept', 'decline', 'start', 'complete', 'not-complete', 'cancel'] as const;
export type ReferralTransition = (typeof REFERRAL_TRANSITIONS)[number];

/** Who acts: the counselling unit that referred, or the provider organisation that receives. */
export type Side = 'unit' | 'provider';

/**
 * Outcome codes for `complete`: the delivery outcomes of the cases feature (the completed referral
 * becomes a delivery with this outcome). The livelihood ones only for employment/business.
 */
export const OUTCOME_CODES = DELIVERY_OUTCOMES;
export type OutcomeCode = DeliveryOutcome;

/** The need/service category whose referrals may close with a livelihood outcome (domain.md §6). */
export const LIVELIHOOD_CATEGORY = 'employment_business';

export function outcomeCodesFor(category: string): readonly OutcomeCode[] {
  return category === LIVELIHOOD_CATEGORY ? OUTCOME_CODES : GENERAL_OUTCOME_CODES;
}

export interface TransitionRule {
  from: readonly ReferralStatus[];
  to: ReferralStatus;
  side: Side;
  /** `reason`: a reason code is required; `outcome`: an outcome code is required. */
  requires: 'nothing' | 'reason' | 'outcome';
  /** Reason codes this transition accepts (required or optional). Empty: no reason taken. */
  reasons: readonly ReasonCode[];
  /** Whether the provider may send a short note back to the referring unit with this step. */
  replyNote?: boolean;
}

export const TRANSITION_RULES: Readonly<Record<ReferralTransition, TransitionRule>> = {
  send: { from: ['draft'], to: 'sent', side: 'unit', requires: 'nothing', reasons: [] },
  accept: { from: ['sent'], to: 'accepted', side: 'provider', requires: 'nothing', reasons: [] },
  decline: {
    from: ['sent'],
    to: 'declined',
    side: 'provider',
    requires: 'reason',
    reasons: ['no_capacity', 'not_eligible', 'service_unavailable', 'person_unreachable', 'person_declined', 'other'],
    replyNote: true,
  },
  start: { from: ['accepted'], to: 'in_progress', side: 'provider', requires: 'nothing', reasons: [] },
  complete: { from: ['in_progress'], to: 'completed', side: 'provider', requires: 'outcome', reasons: [], replyNote: true },
  'not-complete': {
    from: ['accepted', 'in_progress'],
    to: 'not_completed',
    side: 'provider',
    requires: 'reason',
    reasons: ['no_show', 'person_unreachable', 'person_declined', 'not_eligible', 'service_unavailable', 'other'],
    replyNote: true,
  },
  cancel: {
    from: ['draft', 'sent', 'accepted', 'in_progress'],
    to: 'cancelled',
    side: 'unit',
    requires: 'nothing',
    reasons: ['consent_withdrawn', 'need_met', 'person_declined', 'entered_in_error', 'other'],
  },
};

export const TERMINAL_STATUSES: readonly ReferralStatus[] = REFERRAL_STATUSES.filter(
  (s) => !REFERRAL_TRANSITIONS.some((t) => TRANSITION_RULES[t].from.includes(s)),
);

/** States in which the provider still owes an answer or a service (the referral is "open"). */
export const OPEN_STATUSES: readonly ReferralStatus[] = ['sent', 'accepted', 'in_progress'];

/**
 * The unit may share its corrections to the case (`share-update`) with the provider of an open
 * referral whose sharing a consent withdrawal has not erased.
 */
export function sharesCorrections(status: ReferralStatus, consentWithdrawn: boolean): boolean {
  return OPEN_STATUSES.includes(status) && !consentWithdrawn;
}

export interface TransitionInput {
  reasonCode?: string | null;
  reasonText?: string | null;
  outcomeCode?: string | null;
  /** The referral's need category: decides which outcome codes are allowed. */
  category?: string;
  /** A note back to the referring unit comes with the step. */
  replyNote?: boolean;
  /** accept: start the service in the same step. */
  startNow?: boolean;
}

export type TransitionProblem =
  | { kind: 'illegal_state'; current: ReferralStatus; allowedFrom: readonly ReferralStatus[] }
  | { kind: 'wrong_side'; side: Side }
  | { kind: 'reason_required'; allowed: readonly ReasonCode[] }
  | { kind: 'reason_unknown'; allowed: readonly ReasonCode[] }
  | { kind: 'reason_text_required' }
  | { kind: 'outcome_required'; allowed: readonly OutcomeCode[] }
  | { kind: 'outcome_unknown'; allowed: readonly OutcomeCode[] }
  | { kind: 'outcome_not_allowed' }
  | { kind: 'note_not_allowed' }
  | { kind: 'start_now_not_allowed' };

export type TransitionCheck = { ok: true; to: ReferralStatus } | { ok: false; problem: TransitionProblem };

/**
 * Checks one transition attempt against the table. Input problems (codes) are reported before the
 * state, so a request that can never be right says so whatever state the referral is in.
 */
export function checkTransition(current: ReferralStatus, transition: ReferralTransition, side: Side, input: TransitionInput = {}): TransitionCheck {
  const rule = TRANSITION_RULES[transition];
  const fail = (problem: TransitionProblem): TransitionCheck => ({ ok: false, problem });
  if (rule.side !== side) return fail({ kind: 'wrong_side', side: rule.side });

  const reason = input.reasonCode ?? null;
  if (reason !== null && !(rule.reasons as readonly string[]).includes(reason)) return fail({ kind: 'reason_unknown', allowed: rule.reasons });
  if (rule.requires === 'reason' && reason === null) return fail({ kind: 'reason_required', allowed: rule.reasons });
  if (reason === 'other' && !input.reasonText?.trim()) return fail({ kind: 'reason_text_required' });

  const outcome = input.outcomeCode ?? null;
  if (rule.requires === 'outcome') {
    const allowed = outcomeCodesFor(input.category ?? '');
    if (outcome === null) return fail({ kind: 'outcome_required', allowed });
    if (!(allowed as readonly string[]).includes(outcome)) return fail({ kind: 'outcome_unknown', allowed });
  } else if (outcome !== null) {
    return fail({ kind: 'outcome_not_allowed' });
  }

  if (input.replyNote && !rule.replyNote) return fail({ kind: 'note_not_allowed' });
  if (input.startNow && transition !== 'accept') return fail({ kind: 'start_now_not_allowed' });

  if (!rule.from.includes(current)) return fail({ kind: 'illegal_state', current, allowedFrom: rule.from });
  return { ok: true, to: rule.to };
}

/** The transitions a side may take now (for the UI's buttons and the API's `actions`). */
export function availableTransitions(current: ReferralStatus, side: Side): ReferralTransition[] {
  return REFERRAL_TRANSITIONS.filter((t) => TRANSITION_RULES[t].side === side && TRANSITION_RULES[t].from.includes(current));
}

// ---- response deadlines -------------------------------------------------------------------------

/** Default hours to answer a sent referral (domain.md §5), in the vocabulary; a service may override any of them. */
export { DEFAULT_RESPONSE_HOURS };

export type ResponseHoursOverride = Partial<Record<Priority, number | null | undefined>>;

export function responseHours(priority: Priority, override?: ResponseHoursOverride | null): number {
  const own = override?.[priority];
  return typeof own === 'number' && own > 0 ? own : DEFAULT_RESPONSE_HOURS[priority];
}

export function responseDeadline(sentAt: Date, priority: Priority, override?: ResponseHoursOverride | null): Date {
  return new Date(sentAt.getTime() + responseHours(priority, override) * 3_600_000);
}

/** Overdue: still `sent` (no answer) after the response deadline. */
export { isOverdue } from './referral-rules.js';

/**
 * When an overdue referral escalates to the region's coordinators: once it is late by as long
 * again as its whole response window (e.g. an emergency 4 h late, a routine one 72 h late).
 */
export function escalationAt(responseDueAt: Date, sentAt: Date): Date {
  return new Date(responseDueAt.getTime() + (responseDueAt.getTime() - sentAt.getTime()));
}
