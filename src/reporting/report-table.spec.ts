import { labellerFrom, periodLabel } from './report-table.js';

describe('period labels', () => {
  it('name months and quarters in words, in each language, and leave years as they are', () => {
    expect(periodLabel('2026-03', 'fr')).toBe('mars 2026');
    expect(periodLabel('2026-03', 'en')).toBe('March 2026');
    expect(periodLabel('2026-03', 'ar')).toBe('مارس 2026');
    expect(periodLabel('2026-12', 'fr')).toBe('décembre 2026');
    expect(periodLabel('2026-Q1', 'fr')).toBe('T1 2026');
    expect(periodLabel('2026-Q4', 'en')).toBe('Q4 2026');
    expect(periodLabel('2026-Q2', 'ar')).toBe('الربع الثاني 2026');
    expect(periodLabel('2026', 'ar')).toBe('2026');
  });

  it('are for pages only: the exports’ labeller keeps the codes, which sort in a spreadsheet', () => {
    const label = labellerFrom();
    expect(label('period', '2026-01', 'fr')).toBe('2026-01');
    expect(label('period', '2026-Q1', 'ar')).toBe('2026-Q1');
    expect(label('period', null, 'fr')).toBe('Total');
  });
});
