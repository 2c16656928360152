import fc from 'fast-check';
import {
  availableTransitions,
  checkTransition,
  DEFAULT_RESPONSE_HOURS,
  escalationAt,
  GENERAL_OUTCOME_CODES,
  isOverdue,
  LIVELIHOOD_CATEGORY,
  OPEN_STATUSES,
  PRIORITIES,
  REASON_CODES,
  REFERRAL_STATUSES,
  REFERRAL_TRANSITIONS,
  responseDeadline,
  TERMINAL_STATUSES,
  TRANSITION_RULES,
  type ReferralStatus,
  type ReferralTransition,
  type Side,
  type TransitionInput,
} from './referral-state.js';

/** A valid input for a transition (what the UI would send). */
function validInput(t: ReferralTransition): TransitionInput {
  const rule = TRANSITION_RULES[t];
  if (rule.requires === 'reason') return { reasonCode: rule.reasons[0] };
  if (rule.requires === 'outcome') return { outcomeCode: 'service_provided', category: 'health_care' };
  return {};
}

describe('referral state machine (table)', () => {
  it('follows domain.md §5 on the happy path', () => {
    let s: ReferralStatus = 'draft';
    for (const [t, side] of [['send', 'unit'], ['accept', 'provider'], ['start', 'provider'], ['complete', 'provider']] as const) {
      const r = checkTransition(s, t, side, validInput(t));
      expect(r.ok).toBe(true);
      if (r.ok) s = r.to;
    }
    expect(s).toBe('completed');
  });

  it('has exactly the terminal states completed, not_completed, declined, cancelled', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['cancelled', 'completed', 'declined', 'not_completed']);
  });

  it('gives the unit send and cancel, the provider everything else', () => {
    const bySide = (side: Side) => REFERRAL_TRANSITIONS.filter((t) => TRANSITION_RULES[t].side === side).sort();
    expect(bySide('unit')).toEqual(['cancel', 'send']);
    expect(bySide('provider')).toEqual(['accept', 'complete', 'decline', 'not-complete', 'start']);
  });

  it('names the current state when the transition is illegal', () => {
    const r = checkTransition('completed', 'accept', 'provider');
    expect(r).toEqual({ ok: false, problem: { kind: 'illegal_state', current: 'completed', allowedFrom: ['sent'] } });
  });

  it('requires a known reason to decline, and a text with "other"', () => {
    expect(checkTransition('sent', 'decline', 'provider')).toMatchObject({ ok: false, problem: { kind: 'reason_required' } });
    expect(checkTransition('sent', 'decline', 'provider', { reasonCode: 'bored' })).toMatchObject({ ok: false, problem: { kind: 'reason_unknown' } });
    expect(checkTransition('sent', 'decline', 'provider', { reasonCode: 'other' })).toMatchObject({ ok: false, problem: { kind: 'reason_text_required' } });
    expect(checkTransition('sent', 'decline', 'provider', { reasonCode: 'other', reasonText: 'closed for works' })).toEqual({ ok: true, to: 'declined' });
    expect(checkTransition('sent', 'decline', 'provider', { reasonCode: 'no_show' })).toMatchObject({ ok: false, problem: { kind: 'reason_unknown' } });
  });

  it('allows livelihood outcomes only for the employment/business category', () => {
    expect(checkTransition('in_progress', 'complete', 'provider', { outcomeCode: 'business_opened', category: 'health_care' })).toMatchObject({ ok: false, problem: { kind: 'outcome_unknown' } });
    expect(checkTransition('in_progress', 'complete', 'provider', { outcomeCode: 'business_opened', category: LIVELIHOOD_CATEGORY })).toEqual({ ok: true, to: 'completed' });
    expect(checkTransition('in_progress', 'complete', 'provider', { category: 'health_care' })).toMatchObject({ ok: false, problem: { kind: 'outcome_required', allowed: GENERAL_OUTCOME_CODES } });
    expect(checkTransition('sent', 'accept', 'provider', { outcomeCode: 'service_provided' })).toMatchObject({ ok: false, problem: { kind: 'outcome_not_allowed' } });
  });
});

describe('referral state machine (properties)', () => {
  const status = fc.constantFrom(...REFERRAL_STATUSES);
  const transition = fc.constantFrom(...REFERRAL_TRANSITIONS);
  const side = fc.constantFrom<Side>('unit', 'provider');
  const code = fc.option(fc.oneof(fc.constantFrom(...REASON_CODES), fc.string({ maxLength: 12 })), { nil: undefined });
  const outcome = fc.option(fc.oneof(fc.constantFrom('service_provided', 'partially_provided', 'business_opened'), fc.string({ maxLength: 12 })), { nil: undefined });
  const input = fc.record({ reasonCode: code, reasonText: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), outcomeCode: outcome, category: fc.constantFrom('health_care', LIVELIHOOD_CATEGORY) });

  it('accepts an attempt iff the table allows it: right side, allowed from-state, codes valid; the target is the rule’s', () => {
    fc.assert(
      fc.property(status, transition, side, input, (s, t, who, i) => {
        const r = checkTransition(s, t, who, i);
        const rule = TRANSITION_RULES[t];
        if (r.ok) {
          expect(rule.side).toBe(who);
          expect(rule.from).toContain(s);
          expect(r.to).toBe(rule.to);
          if (rule.requires === 'reason') expect(rule.reasons).toContain(i.reasonCode);
          if (rule.requires === 'outcome') expect(i.outcomeCode).toBeDefined();
        } else if (r.problem.kind === 'illegal_state') {
          expect(rule.side).toBe(who);
          expect(rule.from).not.toContain(s);
          expect(r.problem.current).toBe(s);
        } else if (r.problem.kind === 'wrong_side') {
          expect(rule.side).not.toBe(who);
        }
        // The right side, from an allowed state, with well-formed codes always succeeds.
        if (rule.side === who && rule.from.includes(s)) expect(checkTransition(s, t, who, validInput(t)).ok).toBe(true);
      }),
    );
  });

  it('never leaves a terminal state, whatever is attempted', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TERMINAL_STATUSES), transition, side, input, (s, t, who, i) => {
        expect(checkTransition(s, t, who, i).ok).toBe(false);
        expect(availableTransitions(s, who)).toEqual([]);
      }),
    );
  });

  it('any run of attempts from draft stays in the machine, and every step taken was offered by availableTransitions', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(transition, side, fc.boolean()), { maxLength: 30 }), (attempts) => {
        let s: ReferralStatus = 'draft';
        let completed = 0;
        for (const [t, who, valid] of attempts) {
          const offered = availableTransitions(s, who).includes(t);
          const r = checkTransition(s, t, who, valid ? validInput(t) : {});
          if (r.ok) {
            expect(offered).toBe(true);
            s = r.to;
            if (s === 'completed') completed++;
          } else if (offered && valid) {
            throw new Error(`offered ${t} from ${s} refused`);
          }
          expect(REFERRAL_STATUSES).toContain(s);
        }
        expect(completed).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('reaches every state from draft', () => {
    const seen = new Set<ReferralStatus>(['draft']);
    let frontier: ReferralStatus[] = ['draft'];
    while (frontier.length) {
      const next: ReferralStatus[] = [];
      for (const s of frontier)
        for (const t of REFERRAL_TRANSITIONS)
          if (TRANSITION_RULES[t].from.includes(s) && !seen.has(TRANSITION_RULES[t].to)) {
            seen.add(TRANSITION_RULES[t].to);
            next.push(TRANSITION_RULES[t].to);
          }
      frontier = next;
    }
    expect([...seen].sort()).toEqual([...REFERRAL_STATUSES].sort());
  });

  it('treats exactly the open states as neither draft nor terminal', () => {
    expect(REFERRAL_STATUSES.filter((s) => s !== 'draft' && !TERMINAL_STATUSES.includes(s))).toEqual([...OPEN_STATUSES]);
  });
});

describe('response deadlines', () => {
  const sentAt = new Date('2026-03-02T08:00:00Z');

  it('defaults to 4 h / 24 h / 72 h', () => {
    expect(responseDeadline(sentAt, 'emergency').toISOString()).toBe('2026-03-02T12:00:00.000Z');
    expect(responseDeadline(sentAt, 'urgent').toISOString()).toBe('2026-03-03T08:00:00.000Z');
    expect(responseDeadline(sentAt, 'routine').toISOString()).toBe('2026-03-05T08:00:00.000Z');
  });

  it('uses the service’s override for that priority only', () => {
    expect(responseDeadline(sentAt, 'routine', { routine: 48 }).toISOString()).toBe('2026-03-04T08:00:00.000Z');
    expect(responseDeadline(sentAt, 'urgent', { routine: 48 }).toISOString()).toBe('2026-03-03T08:00:00.000Z');
    expect(responseDeadline(sentAt, 'urgent', { urgent: null }).toISOString()).toBe('2026-03-03T08:00:00.000Z');
  });

  it('is overdue only while sent and past the deadline; escalation comes after the deadline', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PRIORITIES), fc.constantFrom(...REFERRAL_STATUSES), fc.integer({ min: -200, max: 200 }), (p, s, offsetHours) => {
        const due = responseDeadline(sentAt, p);
        const now = new Date(due.getTime() + offsetHours * 3_600_000);
        expect(isOverdue({ status: s, responseDueAt: due }, now)).toBe(s === 'sent' && offsetHours > 0);
        expect(escalationAt(due, sentAt).getTime() - due.getTime()).toBe(DEFAULT_RESPONSE_HOURS[p] * 3_600_000);
      }),
    );
  });
});

describe('outcome codes and the cases feature', () => {
  it('are exactly the delivery outcomes (a completed referral becomes a delivery with its outcome)', async () => {
    const { DELIVERY_OUTCOMES } = await import('../cases/cases.constants.js');
    const { OUTCOME_CODES } = await import('./referral-state.js');
    expect([...OUTCOME_CODES].sort()).toEqual([...DELIVERY_OUTCOMES].sort());
  });
});
