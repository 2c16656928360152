import { planDigest, planReminders, type OverdueReferral } from './reminders.js';

const hour = 3_600_000;
const sentAt = new Date('2026-03-02T08:00:00Z');
const referral = (over: Partial<OverdueReferral> = {}): OverdueReferral => ({
  id: '6f1c1f38-1d2c-4b7e-9a51-3d1d4f8f0d11',
  reference: 'REF-OUJ-2026-000007',
  service: { fr: 'Prise en charge médicale', ar: null, en: null },
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
    expect(planReminders([referral()], at(3.9)).mails).toEqual([]);
  });

  it('reminds every focal point once the referral is overdue, with a dedupe key per referral and step', () => {
    const plan = planReminders([referral()], at(5));
    expect(plan.reminded).toEqual([referral().id]);
    expect(plan.escalated).toEqual([]);
    expect(plan.mails.map((m) => [m.step, m.recipients.map((r) => r.email), m.dedupe])).toEqual([['overdue', ['fp1@x.test', 'fp2@x.test'], `referral:${referral().id}:overdue`]]);
    // Only what the templates may say: the reference, the service, the priority, the deadline.
    expect(plan.mails[0]!.referral).toEqual({ referralId: referral().id, reference: 'REF-OUJ-2026-000007', service: referral().service, priority: 'emergency', responseDueAt: referral().responseDueAt });
  });

  it('does not remind twice, and escalates to the coordinators once the lateness equals the response window', () => {
    const reminded = referral({ remindedAt: at(5) });
    expect(planReminders([reminded], at(7), ).mails).toEqual([]);
    const plan = planReminders([reminded], at(8));
    expect(plan.escalated).toEqual([reminded.id]);
    expect(plan.mails.map((m) => [m.step, m.recipients.map((r) => r.email), m.dedupe])).toEqual([['escalation', ['coord@x.test'], `referral:${reminded.id}:escalation`]]);
    expect(planReminders([referral({ remindedAt: at(5), escalatedAt: at(8) })], at(100), ).mails).toEqual([]);
  });

  it('reminds and escalates in one run when the job was down for a long time', () => {
    const plan = planReminders([referral()], at(48));
    expect(plan.mails.map((m) => [m.step, m.recipients.length])).toEqual([['overdue', 2], ['escalation', 1]]);
  });

  it('digests per region and day, only where something is overdue and someone coordinates', () => {
    const item = { reference: 'REF-OUJ-2026-000007', service: { fr: 'S', ar: null, en: null }, priority: 'urgent' as const, responseDueAt: at(4) };
    const digests = planDigest(
      [
        { regionId: 'r1', regionName: 'Oriental', coordinators: [{ email: 'c@x.test', language: 'fr' }], items: [item] },
        { regionId: 'r2', regionName: 'Souss-Massa', coordinators: [{ email: 'c2@x.test', language: 'fr' }], items: [] },
        { regionId: 'r3', regionName: 'Drâa-Tafilalet', coordinators: [], items: [item] },
      ],
      '2026-03-04',
    );
    expect(digests.map((d) => [d.regionId, d.day, d.recipients.map((r) => r.email), d.items.map((i) => i.reference)])).toEqual([['r1', '2026-03-04', ['c@x.test'], ['REF-OUJ-2026-000007']]]);
  });
});
