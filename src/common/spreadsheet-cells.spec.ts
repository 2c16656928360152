import { neutraliseCell, neutraliseRow } from './spreadsheet-cells.js';

describe('neutraliseCell (OWASP CSV injection)', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])('prefixes %j with a quote', (v) => {
    expect(neutraliseCell(v)).toBe(`'${v}`);
  });
  it('leaves ordinary text, numbers and empty values alone', () => {
    expect(neutraliseRow(['Oujda', 'وجدة', 12, -3, null, '', ' =x', '<5'])).toEqual(['Oujda', 'وجدة', 12, -3, null, '', ' =x', '<5']);
  });
});
