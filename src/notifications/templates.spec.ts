import fc from 'fast-check';
import { label, LANGUAGES, PRIORITIES } from '../vocabulary/index.js';
import { formatWhen, render, TEMPLATES } from './templates.js';

const base = {
  reference: 'REF-OUJ-2026-000123',
  service: 'Soutien psychosocial individuel',
  priority: 'urgent' as const,
  deadline: '2026-03-03 09:00 (heure du Maroc)',
  link: 'http://tawjih.test/referrals/6f1c1f38-1d2c-4b7e-9a51-3d1d4f8f0d11',
};
const REFERRAL_KINDS = ['referralSent', 'referralAccepted', 'referralDeclined', 'referralCompleted', 'referralNotCompleted', 'referralOverdue', 'referralEscalated', 'referralCancelled', 'referralShareUpdated'] as const;

describe('referral e-mail templates', () => {
  it.each(REFERRAL_KINDS.flatMap((k) => LANGUAGES.map((l) => [k, l] as const)))('%s in %s carries the reference and the link', (kind, language) => {
    const { subject, text } = render(kind, language, base);
    expect(subject).toContain(base.reference);
    expect(text).toContain(base.reference);
    expect(text).toContain(base.service);
    expect(text).toContain(base.link);
  });

  it('writes reason and outcome codes as words in the recipient’s language', () => {
    expect(render('referralDeclined', 'fr', { ...base, reasonCode: 'no_capacity' }).text).toContain('Motif : Plus de place');
    expect(render('referralDeclined', 'ar', { ...base, reasonCode: 'no_capacity' }).text).toContain(label('referralReason', 'no_capacity', 'ar'));
    expect(render('referralCompleted', 'en', { ...base, outcomeCode: 'business_opened' }).text).toContain('Outcome: Business opened');
  });

  it('states the priority with the hours the service gives itself, not fixed ones', () => {
    expect(render('referralSent', 'en', base).text).toContain('Priority: Urgent (24 h)');
    expect(render('referralSent', 'fr', { ...base, priority: 'emergency', responseHours: 2 }).text).toContain('Priorité : Urgence (2 h)');
    expect(render('referralSent', 'ar', { ...base, priority: 'routine', responseHours: 48 }).text).toContain('عادي (48 ساعة)');
  });

  it('never prints anything it was not given a slot for (no name, phone or story can slip in)', () => {
    const personal = fc.record({ name: fc.constant('Aminata Diallo'), phone: fc.constant('+212600112233'), story: fc.constant('raconte les faits') });
    fc.assert(
      fc.property(fc.constantFrom(...REFERRAL_KINDS), fc.constantFrom(...LANGUAGES), fc.constantFrom(...PRIORITIES), personal, (kind, l, priority, extra) => {
        const { subject, text } = render(kind, l, { ...base, priority, ...extra } as typeof base);
        for (const v of Object.values(extra)) {
          expect(subject).not.toContain(v);
          expect(text).not.toContain(v);
        }
      }),
    );
  });

  it('lists every overdue referral in the daily digest', () => {
    const items = [
      { reference: 'REF-OUJ-2026-000001', service: 'Aide juridique', priority: 'routine' as const, deadline: 'x' },
      { reference: 'REF-BRK-2026-000002', service: 'Hébergement', priority: 'emergency' as const, deadline: 'y' },
    ];
    for (const l of LANGUAGES) {
      const { subject, text } = render('overdueDigest', l, { date: '2026-03-04', region: 'Oriental', items, link: 'http://tawjih.test/referrals?overdue=true' });
      expect(subject).toContain('2');
      for (const i of items) expect(text).toContain(i.reference);
    }
  });

  it('formats dates in Morocco’s time zone', () => {
    // Morocco is UTC+1 outside Ramadan.
    expect(formatWhen(new Date('2026-01-15T08:00:00Z'), 'fr')).toBe('2026-01-15 09:00 (heure du Maroc)');
  });

  it('keeps the invite template working', () => {
    expect(Object.keys(TEMPLATES)).toContain('invite');
    expect(render('invite', 'en', { link: 'http://x', expiresAt: 'soon', purpose: 'invite' }).subject).toBe('Tawjih: your account');
  });
});
