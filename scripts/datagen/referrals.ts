// Referrals, their history, and programme activities for `npm run datagen` (COPY rows as text lines).
// Each need of a case gets a chain of referrals: re-referrals after a decline or a failed service,
// and a last referral whose state follows the need (met → completed with its delivery, unmet →
// declined / not completed, withdrawn → cancelled, open → draft / sent / accepted / in progress).
import { randomUUID } from 'node:crypto';
import { PARTICIPANT_ORGANISATION_TYPES } from '../../src/activities/activity.constants.js';
import type { Category } from '../../src/common/categories.js';
import { DEFAULT_RESPONSE_HOURS, type Priority, type ReferralStatus } from '../../src/referrals/referral-state.js';
import { arr, t } from './copy-table.js';
import { day, ts as iso } from './fast-format.js';
import { cumulative } from './reference.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The subset of the generator's Rng these helpers use (the class lives in generate.ts). */
export interface RandomSource {
  next(): number;
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
  weighted<T>(w: { values: T[]; cum: Float64Array }): T;
}

export interface ChainProvider {
  id: string;
  userId: string;
  categories: Category[];
  serviceId?: string;
  salId?: string;
}

export interface ChainInput {
  now: number;
  unitId: string;
  unitCode: string;
  providers: ChainProvider[];
  counsellor: string;
  caseId: string;
  needId: string;
  category: Category;
  needStatus: 'open' | 'met' | 'unmet' | 'withdrawn';
  consentId: string | null;
  consentFields: string[];
  /** Case creation (the chain starts after the consent, 5 minutes later). */
  created: number;
  /** The need's closure, or now for an open need: the chain ends by then. */
  end: number;
}

/** What the chain's completed referral became: the delivery it records. */
export interface Completed {
  referralId: string;
  providerId: string;
  providerUserId: string;
  serviceId: string;
  closedAt: number;
  outcome: string;
}

type Step = { action: string; from: ReferralStatus | null; to: ReferralStatus; at: number; reason?: string; outcome?: string };

const CHAIN_LENGTH = cumulative<number>([
  [1, 40],
  [2, 30],
  [3, 18],
  [4, 12],
]);
const FAILED = cumulative<ReferralStatus>([
  ['declined', 60],
  ['not_completed', 25],
  ['cancelled', 15],
]);
const STILL_OPEN = cumulative<ReferralStatus>([
  ['draft', 5],
  ['sent', 25],
  ['accepted', 30],
  ['in_progress', 40],
]);
const DECLINE_REASONS = cumulative<string>([
  ['no_capacity', 35],
  ['not_eligible', 20],
  ['service_unavailable', 15],
  ['person_unreachable', 15],
  ['person_declined', 10],
  ['other', 5],
]);
const NOT_COMPLETED_REASONS = cumulative<string>([
  ['no_show', 40],
  ['person_unreachable', 25],
  ['person_declined', 15],
  ['not_eligible', 8],
  ['service_unavailable', 7],
  ['other', 5],
]);
const CANCEL_REASONS = cumulative<string>([
  ['need_met', 30],
  ['person_declined', 25],
  ['consent_withdrawn', 10],
  ['entered_in_error', 30],
  ['other', 5],
]);

export class ReferralWriter {
  private readonly counters = new Map<string, number>();

  constructor(
    private readonly rng: RandomSource,
    private readonly out: { referral: { push(line: string): void }; referral_event: { push(line: string): void } },
    private readonly noteEnc: string[],
    private readonly employment: { values: string[]; cum: Float64Array },
  ) {}

  /** Writes one need's chain; returns the completed referral (for its delivery) if the need was met through one. */
  chain(c: ChainInput): Completed | null {
    const rng = this.rng;
    const able = c.providers.filter((p) => p.salId && p.categories.includes(c.category));
    if (!able.length) return null;
    // Without consent nothing is sent: one draft, left as it is or cancelled when the need closed.
    const finals: ReferralStatus[] = [];
    if (!c.consentId) finals.push(c.needStatus === 'open' ? 'draft' : 'cancelled');
    else {
      const n = rng.weighted(CHAIN_LENGTH);
      for (let i = 1; i < n; i++) finals.push(rng.weighted(FAILED));
      finals.push(
        c.needStatus === 'met'
          ? 'completed'
          : c.needStatus === 'unmet'
            ? rng.chance(0.5)
              ? 'declined'
              : 'not_completed'
            : c.needStatus === 'withdrawn'
              ? 'cancelled'
              : rng.weighted(STILL_OPEN),
      );
    }
    const priority: Priority = c.category === 'clinical_management_of_rape' ? 'emergency' : rng.chance(0.05) ? 'emergency' : rng.chance(0.2) ? 'urgent' : 'routine';
    const dueHours = DEFAULT_RESPONSE_HOURS[priority];

    // Natural timings first (offsets from each referral's creation), then placed in the window.
    const plans = finals.map((status) => this.steps(status, dueHours, !!c.consentId, c.category));
    const start = c.created + 10 * 60_000;
    const spans = plans.map((p) => p[p.length - 1]!.at);
    const gaps = plans.map(() => this.gap());
    const lastSpan = spans[spans.length - 1]!;
    const end = Math.max(start + finals.length * 10, c.end);
    let lastStart: number;
    if (c.needStatus === 'open') {
      // An open referral is recent: sent within twice its deadline (so some are overdue), accepted or started within weeks.
      const lag = { draft: rng.next() * 3 * DAY, sent: rng.next() * 2 * dueHours * HOUR, accepted: rng.next() * 14 * DAY, in_progress: rng.next() * 60 * DAY }[
        finals[finals.length - 1] as 'draft' | 'sent' | 'accepted' | 'in_progress'
      ];
      lastStart = end - lag - lastSpan;
    } else {
      let natural = 0;
      for (let i = 0; i < spans.length - 1; i++) natural += spans[i]! + gaps[i]!;
      lastStart = start + natural;
    }
    // The last referral must end by `end`; the earlier ones fill [start, lastStart), squeezed when they do not fit.
    lastStart = Math.max(start, Math.min(lastStart, end - lastSpan - 8));
    const lastSqueeze = Math.min(1, (end - lastStart) / Math.max(1, lastSpan));
    let natural = 0;
    for (let i = 0; i < spans.length - 1; i++) natural += spans[i]! + gaps[i]!;
    const squeeze = natural > lastStart - start ? (lastStart - start) / natural : 1;
    const starts: number[] = [];
    let at = start;
    for (let i = 0; i < spans.length - 1; i++) {
      starts.push(at);
      at += (spans[i]! + gaps[i]!) * squeeze + 8;
    }
    starts.push(Math.max(lastStart, at));

    let previous: string | null = null;
    let completed: Completed | null = null;
    const shared = this.sharedFields(c.consentFields, !!c.consentId);
    finals.forEach((status, i) => {
      const provider = rng.pick(able);
      const id = randomUUID();
      const base = starts[i]!;
      const factor = i < finals.length - 1 ? squeeze : lastSqueeze;
      // + k ms keeps the steps in order when a chain is squeezed to nothing.
      const steps = plans[i]!.map((s, k) => ({ ...s, at: Math.floor(base + s.at * factor) + k }));
      if (i > 0) steps[0]!.action = 're-refer';
      const when = (to: ReferralStatus) => steps.find((s) => s.to === to)?.at ?? null;
      const created = steps[0]!.at;
      const sent = when('sent');
      const answered = when('accepted') ?? when('declined');
      const accepted = when('accepted');
      const started = when('in_progress');
      const last = steps[steps.length - 1]!;
      const closed = ['completed', 'not_completed', 'cancelled'].includes(status) ? last.at : null;
      const due = sent === null ? null : sent + dueHours * HOUR;
      const overdue = status === 'sent' && due !== null && due < c.now;
      const reminded = overdue && due! + 15 * 60_000 < c.now ? due! + 15 * 60_000 : null;
      const escalation = due === null ? null : due + (due - sent!);
      const escalated = overdue && escalation! < c.now ? escalation : null;
      const reason = last.reason ?? null;
      const reasonText = reason === 'other' ? rng.pick(this.noteEnc) : null;
      const year = new Date(created).getUTCFullYear();
      const key = `${c.unitId}|${year}`;
      const n = (this.counters.get(key) ?? 0) + 1;
      this.counters.set(key, n);
      this.out.referral.push(
        [
          id,
          `REF-${c.unitCode}-${year}-${String(n).padStart(6, '0')}`,
          c.caseId,
          c.needId,
          c.category,
          provider.serviceId!,
          provider.salId!,
          c.unitId,
          provider.id,
          c.counsellor,
          priority,
          status,
          steps.length - 1,
          arr(shared),
          t(rng.chance(0.5) ? rng.pick(this.noteEnc) : null),
          t(sent !== null ? c.consentId : null),
          t(sent !== null ? iso(sent) : null),
          t(due !== null ? iso(due) : null),
          t(answered !== null ? iso(answered) : null),
          t(started !== null ? iso(started) : null),
          t(closed !== null ? iso(closed) : null),
          t(accepted !== null && rng.chance(0.6) ? iso(started ?? accepted + rng.int(1, 72) * HOUR) : null),
          t(reason),
          t(reasonText),
          t(last.outcome ?? null),
          t(previous),
          t(reminded !== null ? iso(reminded) : null),
          t(escalated !== null ? iso(escalated) : null),
          iso(created),
          iso(last.at),
        ].join('\t'),
      );
      for (const s of steps) {
        const byProvider = s.action === 'accept' || s.action === 'decline' || s.action === 'start' || s.action === 'complete' || s.action === 'not-complete';
        this.out.referral_event.push(
          [
            randomUUID(),
            id,
            byProvider ? provider.userId : c.counsellor,
            s.action,
            t(s.from),
            s.to,
            t(s.reason ?? null),
            t(s.reason === 'other' ? reasonText : null),
            t(s.outcome ?? null),
            iso(s.at),
          ].join('\t'),
        );
      }
      if (status === 'completed') {
        completed = { referralId: id, providerId: provider.id, providerUserId: provider.userId, serviceId: provider.serviceId!, closedAt: closed!, outcome: last.outcome! };
      }
      previous = id;
    });
    return completed;
  }

  /** Rows for referral_counter: the numbers continue where the generated ones stop. */
  counterRows(): unknown[][] {
    return [...this.counters].map(([key, n]) => {
      const [unitId, year] = key.split('|');
      return [unitId, Number(year), n];
    });
  }

  private gap(): number {
    return this.rng.int(1, 72) * HOUR;
  }

  private sharedFields(consentFields: string[], consented: boolean): string[] {
    if (!consented) return ['age_band', 'sex'];
    const rng = this.rng;
    return consentFields.filter((f) => ['age_band', 'sex', 'languages'].includes(f) || (f === 'phone' && rng.chance(0.5)) || (f === 'needs_summary' && rng.chance(0.5)));
  }

  /** The steps of the state machine that lead to `status`, with natural offsets from creation. */
  private steps(status: ReferralStatus, dueHours: number, consented: boolean, category: Category): Step[] {
    const rng = this.rng;
    const steps: Step[] = [{ action: 'create', from: null, to: 'draft', at: 0 }];
    let at = 0;
    const go = (action: string, to: ReferralStatus, dt: number, extra: Partial<Step> = {}) => {
      at += dt;
      steps.push({ action, from: steps[steps.length - 1]!.to, to, at, ...extra });
    };
    // Answers come mostly within the deadline; about a quarter late.
    const answer = () => dueHours * HOUR * 1.6 * rng.next() ** 1.5 + rng.int(1, 30) * 60_000;
    if (status === 'draft') return steps;
    if (status === 'cancelled') {
      if (consented && rng.chance(0.7)) {
        go('send', 'sent', rng.int(2, 120) * 60_000);
        if (rng.chance(0.3)) go('accept', 'accepted', answer());
      }
      go('cancel', 'cancelled', rng.int(1, 240) * HOUR, { reason: rng.chance(0.8) ? rng.weighted(CANCEL_REASONS) : undefined });
      return steps;
    }
    go('send', 'sent', rng.int(2, 120) * 60_000);
    if (status === 'sent') return steps;
    if (status === 'declined') {
      go('decline', 'declined', answer(), { reason: rng.weighted(DECLINE_REASONS) });
      return steps;
    }
    go('accept', 'accepted', answer());
    if (status === 'accepted') return steps;
    if (status === 'not_completed' && rng.chance(0.5)) {
      go('not-complete', 'not_completed', rng.int(1, 21) * DAY, { reason: rng.weighted(NOT_COMPLETED_REASONS) });
      return steps;
    }
    go('start', 'in_progress', rng.int(0, 10) * DAY + rng.int(1, 8) * HOUR);
    if (status === 'in_progress') return steps;
    if (status === 'not_completed') {
      go('not-complete', 'not_completed', rng.int(1, 30) * DAY, { reason: rng.weighted(NOT_COMPLETED_REASONS) });
      return steps;
    }
    const outcome = category === 'employment_business' ? rng.weighted(this.employment) : rng.chance(0.85) ? 'service_provided' : 'partially_provided';
    go('complete', 'completed', rng.int(1, 45) * DAY, { outcome });
    return steps;
  }

}

const ACTIVITY_KINDS = cumulative<string>([
  ['training', 40],
  ['workshop', 35],
  ['fair', 10],
  ['symposium', 15],
]);
const TOPICS = [
  'Orientation des personnes migrantes vers les services',
  'Prise en charge psychosociale des survivant·e·s',
  'Gestion clinique du viol : protocole national',
  'Accès à la santé et à la protection sociale',
  'Entrepreneuriat et insertion professionnelle',
  'Protection de l’enfance et mineurs non accompagnés',
  'Lutte contre la traite des personnes',
  'Coordination régionale des prestataires',
];

export interface ActivityRegion {
  regionId: string;
  provinceIds: string[];
  coordinationId: string;
  coordinatorId: string;
}

/** Trainings, workshops, fairs and symposiums across the regions and years, with participant counts by organisation type and sex. */
export function writeActivities(
  rng: RandomSource,
  out: { activity: { push(line: string): void }; activity_participation: { push(line: string): void } },
  regions: ActivityRegion[],
  count: number,
  start: number,
  now: number,
): void {
  for (let i = 0; i < count; i++) {
    const r = rng.pick(regions);
    const kind = rng.weighted(ACTIVITY_KINDS);
    const held = Math.floor(start + (now - start) * Math.sqrt(rng.next()));
    const province = rng.chance(0.8) ? rng.pick(r.provinceIds) : null;
    const id = randomUUID();
    const recorded = iso(Math.min(now - 60_000, held + rng.int(0, 7) * DAY));
    out.activity.push([id, kind, rng.pick(TOPICS), day(held), province ?? r.regionId, r.regionId, t(province), r.coordinationId, r.coordinatorId, recorded, recorded].join('\t'));
    const scale = kind === 'symposium' ? 40 : kind === 'fair' ? 25 : 8;
    const types = [...PARTICIPANT_ORGANISATION_TYPES].filter(() => rng.chance(0.4));
    if (!types.length) types.push('civil_society');
    for (const type of types) {
      for (const sex of ['female', 'male']) {
        if (rng.chance(0.1)) continue;
        out.activity_participation.push([randomUUID(), id, type, sex, rng.int(1, scale)].join('\t'));
      }
      if (rng.chance(0.03)) out.activity_participation.push([randomUUID(), id, type, 'unknown', rng.int(1, 3)].join('\t'));
    }
  }
}
