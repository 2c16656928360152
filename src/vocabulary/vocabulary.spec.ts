import { CODE_LISTS, codeFromLabel, foldText, instantToWallTime, label, LANGUAGES, options, priorityLabel, wallDateOf, wallTimeToInstant, type CodeListName } from './index.js';

describe('code lists', () => {
  it('label every code in every language, with no blank label', () => {
    for (const [name, list] of Object.entries(CODE_LISTS)) {
      for (const lang of LANGUAGES) {
        expect({ name, lang, codes: Object.keys(list.labels[lang]).sort() }).toEqual({ name, lang, codes: [...list.codes].sort() });
        for (const code of list.codes) expect(label(name as CodeListName, code, lang).trim()).not.toBe('');
      }
    }
  });

  it('read an unknown code as itself and list options in the list’s order', () => {
    expect(label('sex', 'martian', 'fr')).toBe('martian');
    expect(label('sex', 'female', 'ar')).toBe('أنثى');
    expect(options('riskLevel', 'en').map((o) => o.code)).toEqual(['low', 'medium', 'high']);
  });

  it('find a code from a label in any language, folded, or from the code itself', () => {
    expect(codeFromLabel('sex', 'femme')).toBe('female');
    expect(codeFromLabel('sex', ' FEMME ')).toBe('female');
    expect(codeFromLabel('sex', 'أنثى')).toBe('female');
    expect(codeFromLabel('sex', 'Female')).toBe('female');
    expect(codeFromLabel('sex', 'male')).toBe('male');
    expect(codeFromLabel('category', 'Aide juridique')).toBe('legal_aid');
    expect(codeFromLabel('category', 'aide juridique!')).toBe('legal_aid');
    expect(codeFromLabel('sex', 'chat')).toBeUndefined();
  });

  it('fold accents, Arabic letter forms, diacritics and Arabic-Indic digits', () => {
    expect(foldText('Médecin')).toBe(foldText('medecin'));
    expect(foldText('إحالة')).toBe(foldText('احاله'));
    expect(foldText('مُسْتَعْجَل')).toBe('مستعجل');
    expect(foldText('٠٦١٢')).toBe('0612');
  });

  it('state a priority with the service’s own hours, the defaults otherwise', () => {
    expect(priorityLabel('emergency', null, 'fr')).toBe('Urgence (4 h)');
    expect(priorityLabel('emergency', 2, 'en')).toBe('Emergency (2 h)');
    expect(priorityLabel('urgent', undefined, 'ar')).toBe('مستعجل (24 ساعة)');
    expect(priorityLabel('routine', 2, 'ar')).toBe('عادي (ساعتان)');
  });
});

describe('the programme clock (Africa/Casablanca, +01 and +00 in Ramadan)', () => {
  it('reads a typed wall time as Morocco’s, whatever the season', () => {
    expect(wallTimeToInstant('2026-06-01T10:00')!.toISOString()).toBe('2026-06-01T09:00:00.000Z'); // +01
    expect(wallTimeToInstant('2026-03-01T10:00')!.toISOString()).toBe('2026-03-01T10:00:00.000Z'); // Ramadan, +00
    expect(wallTimeToInstant('2026-03-01 10:00')!.toISOString()).toBe('2026-03-01T10:00:00.000Z');
  });

  it('moves a wall time the clock skipped forward by the jump (22 March 2026, 02:00 → 03:00)', () => {
    const t = wallTimeToInstant('2026-03-22T02:30')!;
    expect(t.toISOString()).toBe('2026-03-22T02:30:00.000Z');
    expect(instantToWallTime(t)).toBe('2026-03-22T03:30');
  });

  it('takes the earlier of a wall time that happens twice (15 February 2026, 03:00 → 02:00)', () => {
    const t = wallTimeToInstant('2026-02-15T02:30')!;
    expect(t.toISOString()).toBe('2026-02-15T01:30:00.000Z');
    expect(instantToWallTime(t)).toBe('2026-02-15T02:30');
    expect(instantToWallTime(new Date('2026-02-15T02:30:00Z'))).toBe('2026-02-15T02:30');
  });

  it('round-trips every half hour of a year', () => {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 1_800_000) {
      const wall = instantToWallTime(new Date(t));
      const back = wallTimeToInstant(wall)!.getTime();
      // Only the repeated hour of 15 February reads back as its earlier twin.
      if (back !== t) expect({ wall, diff: t - back }).toEqual({ wall: expect.stringMatching(/^2026-02-15T02:/), diff: 3_600_000 });
    }
  });

  it('refuses malformed and impossible wall times', () => {
    for (const bad of ['', '10:00', '2026-02-30T10:00', '2026-01-01T24:00', '2026-13-01T10:00', 'tomorrow']) expect(wallTimeToInstant(bad)).toBeNull();
  });

  it('gives the date in Morocco, not in UTC', () => {
    expect(wallDateOf(new Date('2026-06-05T23:30:00Z'))).toBe('2026-06-06');
    expect(wallDateOf(new Date('2026-03-05T23:30:00Z'))).toBe('2026-03-05');
  });
});
