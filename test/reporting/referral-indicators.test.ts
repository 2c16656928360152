import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { buildReferralWorld, REF_EXPECTED, REF_PERIOD, type ReferralWorld } from './referral-fixture.js';
import { binary, cellOf, pdfText } from './support.js';

/**
 * REF-1..REF-5 and GBV-2 against the hand-computed referral world (referral-fixture.ts). The
 * threshold is 1 so that every figure is published; small-number protection has its own tests.
 */
let t: TestApp;
let w: ReferralWorld;
beforeAll(async () => {
  t = await createTestApp({ SUPPRESSION_THRESHOLD: '1' });
  w = await buildReferralWorld(t);
}, 120_000);
afterAll(() => t.close());

interface View {
  code: string;
  total: { value: number | null };
  cells: { coord: Record<string, string | null>; value: number | null; display: string; suppressed: false | 'primary' | 'complementary' }[];
}
const REF_CODES = ['REF-1', 'REF-2', 'REF-3', 'REF-4', 'REF-5'] as const;

const get = async (email: string, qs: string): Promise<View[]> => {
  const res = await (await t.as(email)).get(`/api/v1/reports/indicators?${REF_PERIOD}&${qs}`);
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.indicators;
};
const totals = (views: View[]) => Object.fromEntries(views.map((v) => [v.code, v.total.value]));
const column = (view: View, dim: string) => Object.fromEntries(view.cells.filter((c) => c.coord[dim] !== null).map((c) => [c.coord[dim], c.value]));

describe('referral indicators and GBV-2 against a hand-computed fixture', () => {
  it('returns REF-1..REF-5 and GBV-2 for Oriental', async () => {
    const all = totals(await get(DEMO.coordinator, `region=${w.regions.oriental}&indicators=${[...REF_CODES, 'GBV-2'].join(',')}`));
    expect(all).toEqual({
      'REF-1': REF_EXPECTED['REF-1'],
      'REF-2': REF_EXPECTED['REF-2'],
      'REF-3': REF_EXPECTED['REF-3'],
      'REF-4': REF_EXPECTED['REF-4'],
      'REF-5': REF_EXPECTED['REF-5'],
      'GBV-2': REF_EXPECTED['GBV-2'],
    });
    // The whole catalogue gives the same figures.
    expect(totals(await get(DEMO.analyst, ''))).toMatchObject(all);
  });

  it('splits every referral indicator by sex, REF-1 by unit and GBV-2 by age band', async () => {
    for (const code of REF_CODES) {
      const [bySex] = await get(DEMO.analyst, `region=${w.regions.oriental}&indicators=${code}&by=sex`);
      const col = column(bySex!, 'sex');
      expect({ code, female: col.female, male: col.male }).toEqual({ code, ...REF_EXPECTED.bySex[code] });
      expect(bySex!.total.value).toBe(REF_EXPECTED[code]);
    }
    const [byUnit] = await get(DEMO.analyst, `indicators=REF-1&by=unit`);
    expect(column(byUnit!, 'unit')).toEqual({ [w.units.OUJ]: REF_EXPECTED.ref1ByUnit.OUJ, [w.units.BRK]: REF_EXPECTED.ref1ByUnit.BRK });
    const [byAge] = await get(DEMO.analyst, `indicators=GBV-2&by=age_band`);
    expect(column(byAge!, 'age_band')).toEqual(REF_EXPECTED.gbv2ByAge);
    const [byBoth] = await get(DEMO.analyst, `indicators=GBV-2&by=sex,age_band`);
    expect(cellOf(byBoth!, { sex: 'female', age_band: '18-24' }).value).toBe(1);
    expect(cellOf(byBoth!, { sex: 'male', age_band: null }).value).toBe(0);
  });

  it('counts by the local day the referral was sent (a referral sent at 00:30 on 1 January 2026 is not 2025)', async () => {
    const [byMonth] = await get(DEMO.analyst, 'indicators=REF-1&by=period');
    const months = column(byMonth!, 'period');
    expect(months).toMatchObject({ '2025-05': 1, '2025-06': 4, '2025-07': 2, '2025-08': 2, '2025-09': 1, '2025-10': 1, '2025-12': 0 });
    const next = await (await t.as(DEMO.analyst)).get('/api/v1/reports/indicators?from=2026-01-01&to=2026-01-01&indicators=REF-1').expect(200);
    expect(next.body.indicators[0].total.value).toBe(1);
  });

  it('gives a provider only their own organisation’s referral figures, and no case or person indicator', async () => {
    const views = await get(DEMO.providerPssOujda, '');
    expect(totals(views)).toEqual(REF_EXPECTED.providerPss);
    for (const code of ['GBV-2', 'PSS-1', 'LIV-1', 'CAP-1']) {
      const res = await (await t.as(DEMO.providerPssOujda)).get(`/api/v1/reports/indicators?${REF_PERIOD}&indicators=${code}`).expect(403);
      expect(res.body.code).toBe('INDICATOR_NOT_AVAILABLE');
    }
  });

  it('gives a coordinator of another region none of these figures', async () => {
    const views = await get(w.soussCoordinator, `indicators=${[...REF_CODES, 'GBV-2'].join(',')}`);
    const figures = totals(views);
    expect(figures['REF-1']).toBe(0);
    expect(figures['GBV-2']).toBe(0);
    for (const code of ['REF-2', 'REF-3', 'REF-4', 'REF-5']) expect(figures[code] ?? 0).toBe(0);
    const res = await (await t.as(w.soussCoordinator)).get(`/api/v1/reports/indicators?${REF_PERIOD}&region=${w.regions.oriental}&indicators=REF-1`);
    expect(res.status).toBe(404);
  });

  it('draws the regional report’s funnel from the same referrals: 11 sent, 6 accepted, 5 closed with an outcome, 4 completed', async () => {
    const pdf = await (await t.as(DEMO.coordinator)).get(`/api/v1/reports/regional?region=${w.regions.oriental}&${REF_PERIOD}&lang=en`).buffer(true).parse(binary).expect(200);
    const text = pdfText(pdf.body);
    if (text === null) return;
    const step = (label: string) => new RegExp(`${label}\\s+(\\d+)`).exec(text)?.[1];
    expect([step('Sent'), step('Accepted'), step('Closed with an outcome'), step('Completed')]).toEqual(['11', '6', '5', '4']);
  });
});
