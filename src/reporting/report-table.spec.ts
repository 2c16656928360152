import type { Language } from '../vocabulary/index.js';
import { labellerFrom, periodLabel } from './report-table.js';

describe('period labels', () => {
  it('name months and quarters in words, in each language, and leave years as they are', () => {
    const cases: Array<[string, Language, string]> = [
      ['2026-03', 'fr', 'mars 2026'],
      ['2026-03', 'en', 'March 2026'],
      ['2026-03', 'ar', 'مارس 2026'],
      ['2026-12', 'fr', 'décembre 2026'],
      ['2026-Q1', 'fr', 'T1 2026'],
      ['2026-Q4', 'en', 'Q4 2026'],
      ['2026-Q2', 'ar', 'الربع الثاني 2026'],
      ['2026', 'ar', '2026'],
    ];
    expect(cases.map(([value, language]) => periodLabel(value, language))).toEqual(cases.map(([, , label]) => label));
    // Short, for a chart's axis.
    expect((['fr', 'en', 'ar'] as const).map((l) => periodLabel('2026-12', l, 'short'))).toEqual(['déc. 26', 'Dec 26', 'دجنبر 26']);
  });

  it('are for pages only: the exports’ labeller keeps the codes, which sort in a spreadsheet', () => {
    const label = labellerFrom();
    expect(label('period', '2026-01', 'fr')).toBe('2026-01');
    expect(label('period', '2026-Q1', 'ar')).toBe('2026-Q1');
    expect(label('period', null, 'fr')).toBe('Total');
  });
});
