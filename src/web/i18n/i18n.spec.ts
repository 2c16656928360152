import { LANGUAGES } from '../../authorization/actor.js';
import { fr } from './messages.fr.js';
import { ar } from './messages.ar.js';
import { en } from './messages.en.js';
import { translatorFor } from './i18n.js';

describe('message catalogues', () => {
  it('have the same keys in fr, ar and en, none empty', () => {
    const keys = Object.keys(fr).sort();
    expect(Object.keys(ar).sort()).toEqual(keys);
    expect(Object.keys(en).sort()).toEqual(keys);
    for (const cat of [fr, ar, en] as Array<Record<string, string>>) for (const k of keys) expect(cat[k]!.trim()).not.toBe('');
  });

  it('keep the same placeholders in every language', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(fr) as Array<keyof typeof fr>) {
      expect({ k, ar: names(ar[k]) }).toEqual({ k, ar: names(fr[k]) });
      expect({ k, en: names(en[k]) }).toEqual({ k, en: names(fr[k]) });
    }
  });

  it('localise direction, dates, numbers and weekdays', () => {
    expect(translatorFor('ar').dir).toBe('rtl');
    expect(translatorFor('fr').dir).toBe('ltr');
    const d = new Date('2026-06-05T23:30:00Z'); // 6 June, 00:30 in Casablanca (UTC+1 outside Ramadan)
    expect(translatorFor('fr').date(d)).toMatch(/6 juin 2026/);
    expect(translatorFor('en').date(d)).toMatch(/6 June 2026/);
    expect(translatorFor('ar').date(d)).toMatch(/يونيو/);
    expect(translatorFor('fr').number(12345.5)).toMatch(/^12\D345,5$/);
    expect(translatorFor('en').number(12345.5)).toBe('12,345.5');
    expect(translatorFor('fr').weekday('MO')).toBe('lundi');
    expect(translatorFor('ar').weekday('FR')).toBe('الجمعة');
    for (const l of LANGUAGES) expect(translatorFor(l).t('dashboard.welcome', { name: 'X' })).toContain('X');
  });
});

describe('labels of codes', () => {
  it('live only in the vocabulary: no page catalogue keeps its own copy', async () => {
    const { MESSAGE_PREFIXES } = await import('../../vocabulary/index.js');
    const prefixes = [...Object.values(MESSAGE_PREFIXES), 'priority'];
    for (const cat of [fr, ar, en]) expect(Object.keys(cat).filter((k) => prefixes.some((p) => k.startsWith(`${p}.`)))).toEqual([]);
    expect(translatorFor('fr').t('sex.female')).toBe('Femme');
    expect(translatorFor('ar').t('category.legal_aid')).toBe('المساعدة القانونية');
  });
});
