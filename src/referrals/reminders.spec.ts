import { planDigest, planReminders, type OverdueReferral } from './reminders.js';

const hour = 3_600_000;
const sentAt = new Date('2026-03-02T08:00:00Z');
const referral = (over: Partial<OverdueReferral> = {}): OverdueReferral => ({
  id: '6f1c1f38-1d2c-4b7e-9a51-3d1d4f8f0d11',
  reference: 'REF-OUJ-2026-000007',
  serviceName: 'Prise en charge médicale',
  priority: 'emergency',
  sentAt,
  responseDueAt: new Date(sentAt.getTime() + 4 * hour),
  regionId: 'r1',
  focalPoints: [{ email: 'fp1@x.test', language: 'fr' }, { email: 'fp2@x.test', language: 'ar' }],
  coordinators: [{ email: 'coord@x.test', language: 'en' }],
  remindedAt: null,
  escalatedAt: null,
  ...over,
});
const at = (hours: number) => new Date(sentAt.getTime() + hours * hour);

describe('reminder planning', () => {
  it('sends nothing before the deadline', () => {
    expect(planReminders([referral()], at(3.9), 'http://t').messages).toEqual([]);
  });

  it('reminds every focal point once the referral is overdue, in their language, with a dedupe key', () => {
    const plan = planReminders([referral()], at(5), 'http://t');
    expect(plan.reminded).toEqual([referral().id]);
    expect(plan.escalated).toEqual([]);
    expect(plan.messages.map((m) => [m.recipient, m.kind, m.dedupeKey])).toEqual([
      ['fp1@x.test', 'referral.overdue', `referral:${referral().id}:overdue:fp1@x.test`],
      ['fp2@x.test', 'referral.overdue', `referral:${referral().id}:overdue:fp2@x.test`],
    ]);
    expect(plan.messages[0]!.subject).toContain('en retard');
    expect(plan.messages[1]!.subject).toContain('متأخرة');
    expect(plan.messages[0]!.body).toContain('http://t/referrals/');
  });

  it('does not remind twice, and escalates to the coordinators once the lateness equals the response window', () => {
    const reminded = referral({ remindedAt: at(5) });
    expect(planReminders([reminded], at(7), 'http://t').messages).toEqual([]);
    const plan = planReminders([reminded], at(8), 'http://t');
    expect(plan.escalated).toEqual([reminded.id]);
    expect(plan.messages.map((m) => [m.recipient, m.kind])).toEqual([['coord@x.test', 'referral.escalation']]);
    expect(planReminders([referral({ remindedAt: at(5), escalatedAt: at(8) })], at(100), 'http://t').messages).toEqual([]);
  });

  it('reminds and escalates in one run when the job was down for a long time', () => {
    const plan = planReminders([referral()], at(48), 'http://t');
    expect(plan.messages.map((m) => m.kind)).toEqual(['referral.overdue', 'referral.overdue', 'referral.escalation']);
  });

  it('digests per region and day, only where something is overdue', () => {
    const msgs = planDigest(
      [
        { regionId: 'r1', regionName: 'Oriental', coordinators: [{ email: 'c@x.test', language: 'fr' }], items: [{ reference: 'REF-OUJ-2026-000007', service: 'S', priority: 'urgent', deadline: 'd' }] },
        { regionId: 'r2', regionName: 'Souss-Massa', coordinators: [{ email: 'c2@x.test', language: 'fr' }], items: [] },
      ],
      '2026-03-04',
      'http://t',
    );
    expect(msgs.map((m) => [m.recipient, m.dedupeKey])).toEqual([['c@x.test', 'digest:r1:2026-03-04:c@x.test']]);
    expect(msgs[0]!.body).toContain('REF-OUJ-2026-000007');
  });
});
