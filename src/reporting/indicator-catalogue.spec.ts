import {
  ACTIVITY_KINDS,
  CAP_ACTIVITY_KINDS,
  DISAGGREGATIONS,
  INDICATORS,
  INDICATOR_CODES,
  PERSON_DISAGGREGATIONS,
  indicator,
  isIndicatorCode,
  nationalityGroupOf,
} from './indicator-catalogue.js';

/** The table of domain.md §6: code → SDG targets. */
const DOMAIN_TABLE: Record<string, string[]> = {
  'PSS-1': ['3.8'],
  'GBV-1': ['5.2', '3.8'],
  'GBV-2': ['5.2'],
  'REF-1': ['10.7.2', '17.H'],
  'REF-2': ['10.7.2', '17.H'],
  'REF-3': ['10.7.2', '17.H'],
  'REF-4': ['10.7.2', '17.H'],
  'REF-5': ['10.7.2', '17.H'],
  'LIV-1': ['8.3'],
  'LIV-2': ['8.3'],
  'LIV-3': ['8.3'],
  'LIV-4': ['8.3'],
  'LIV-5': ['8.3'],
  'LIV-6': ['8.3'],
  'CAP-1': ['17.14', '16.7'],
  'CAP-2': ['16.7', '17.H'],
};

describe('indicator catalogue', () => {
  it('holds every indicator of domain.md §6 exactly once, with its SDG targets', () => {
    expect(INDICATORS.map((i) => i.code).sort()).toEqual(Object.keys(DOMAIN_TABLE).sort());
    expect([...INDICATOR_CODES].sort()).toEqual(Object.keys(DOMAIN_TABLE).sort());
    for (const i of INDICATORS) expect(i.sdg).toEqual(DOMAIN_TABLE[i.code]);
  });

  it('names and defines every indicator in French, Arabic and English', () => {
    const arabic = /[\u0600-\u06FF]/;
    for (const i of INDICATORS) {
      for (const text of [i.name, i.definition]) {
        expect(text.fr.length).toBeGreaterThan(3);
        expect(text.en.length).toBeGreaterThan(3);
        expect(text.ar).toMatch(arabic);
        expect(text.fr).not.toEqual(text.en);
      }
    }
    const names = INDICATORS.map((i) => i.name.en);
    expect(new Set(names).size).toBe(names.length);
  });

  it('lets every case-based indicator be cut by all the dimensions of domain.md §6', () => {
    for (const i of INDICATORS) {
      for (const d of i.disaggregations) expect(DISAGGREGATIONS).toContain(d);
      if (i.theme === 'capacity') {
        expect(i.disaggregations).toEqual(expect.arrayContaining(['period', 'region', 'province', 'sex', 'organisation_type']));
        expect(i.disaggregations).not.toContain('age_band');
      } else {
        expect([...i.disaggregations].sort()).toEqual([...PERSON_DISAGGREGATIONS].sort());
      }
    }
  });

  it('counts persons as distinct persons and says which cells are additive', () => {
    for (const i of INDICATORS) {
      if (i.unit === 'persons') expect(i.aggregation).toBe('distinct_count');
      if (i.unit === 'percent') expect(i.aggregation).toBe('ratio');
      if (i.unit === 'hours' || i.unit === 'days') expect(i.aggregation).toBe('median');
    }
    expect(indicator('PSS-1')).toMatchObject({ unit: 'persons', factsheet: { scope: 'Oriental', figure: 663 } });
    expect(indicator('LIV-4').unit).toBe('deliveries');
  });

  it('splits the activity kinds between CAP-1 and CAP-2 without overlap', () => {
    const all = [...CAP_ACTIVITY_KINDS['CAP-1'], ...CAP_ACTIVITY_KINDS['CAP-2']];
    expect(all.sort()).toEqual([...ACTIVITY_KINDS].sort());
  });

  it('recognises codes and groups nationalities coarsely', () => {
    expect(isIndicatorCode('PSS-1')).toBe(true);
    expect(isIndicatorCode('PSS-9')).toBe(false);
    expect(isIndicatorCode(undefined)).toBe(false);
    expect(nationalityGroupOf('ma')).toBe('moroccan');
    expect(nationalityGroupOf('CM')).toBe('west_central_africa');
    expect(nationalityGroupOf('SY')).toBe('north_africa_middle_east');
    expect(nationalityGroupOf('FR')).toBe('other');
    expect(nationalityGroupOf(null)).toBe('unknown');
  });
});
