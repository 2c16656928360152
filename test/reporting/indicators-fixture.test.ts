import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { buildWorld, EXPECTED, PERIOD, type World } from './fixture.js';
import { cellOf } from './support.js';

/**
 * Every indicator against hand-computed answers (fixture.ts). The threshold is 1 here so that
 * every figure is published; small-number protection has its own tests.
 */
let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await createTestApp({ SUPPRESSION_THRESHOLD: '1' });
  w = await buildWorld(t);
});
afterAll(() => t.close());

interface View {
  code: string;
  total: { value: number | null };
  cells: { coord: Record<string, string | null>; value: number | null; display: string; suppressed: false | 'primary' | 'complementary' }[];
}
const get = async (email: string, qs: string): Promise<View[]> => {
  const res = await (await t.as(email)).get(`/api/v1/reports/indicators?${PERIOD}&${qs}`);
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.indicators;
};
const totals = (views: View[]) => Object.fromEntries(views.map((v) => [v.code, v.total.value]));
const column = (view: View, dim: string) =>
  Object.fromEntries(view.cells.filter((c) => c.coord[dim] !== null).map((c) => [c.coord[dim], c.value]));

describe('indicators against a hand-computed fixture', () => {
  it('returns every case-based indicator for Oriental', async () => {
    const all = totals(await get(DEMO.coordinator, `region=${w.regions.oriental}`));
    expect(all).toMatchObject({
      'PSS-1': EXPECTED['PSS-1'],
      'GBV-1': EXPECTED['GBV-1'],
      'LIV-1': EXPECTED['LIV-1'],
      'LIV-2': EXPECTED['LIV-2'],
      'LIV-3': EXPECTED['LIV-3'],
      'LIV-4': EXPECTED['LIV-4'],
      'LIV-5': EXPECTED['LIV-5'],
      'LIV-6': EXPECTED['LIV-6'],
      'CAP-1': 0,
      'CAP-2': 0,
    });
  });

  it('counts a person once across two deliveries, and splits PSS-1 by sex, age band and both', async () => {
    const [bySex] = await get(DEMO.analyst, `region=${w.regions.oriental}&indicators=PSS-1&by=sex`);
    expect(column(bySex!, 'sex')).toEqual(EXPECTED.pssBySex);
    const [byAge] = await get(DEMO.analyst, `region=${w.regions.oriental}&indicators=PSS-1&by=age_band`);
    expect(column(byAge!, 'age_band')).toEqual(EXPECTED.pssByAge);
    const [both] = await get(DEMO.analyst, `region=${w.regions.oriental}&indicators=PSS-1&by=sex,age_band`);
    for (const [key, n] of Object.entries(EXPECTED.pssBySexAge)) {
      const [sex, age] = key.split('|');
      expect(cellOf(both!, { sex: sex!, age_band: age! }).value).toBe(n);
    }
    expect(cellOf(both!, { sex: 'male', age_band: '0-17' }).value).toBe(0);
    expect(cellOf(both!, { sex: 'female', age_band: null }).value).toBe(5);
    expect(cellOf(both!, { sex: null, age_band: '25-59' }).value).toBe(4);
    expect(cellOf(both!, { sex: null, age_band: null }).value).toBe(7);
  });

  it('gives distinct totals that are not the sum of months (a person in February and May counts once)', async () => {
    const [byMonth] = await get(DEMO.analyst, `region=${w.regions.oriental}&indicators=PSS-1&by=period`);
    const months = column(byMonth!, 'period');
    expect(months).toMatchObject(EXPECTED.pssByMonth);
    expect((Object.values(months) as number[]).reduce((a, b) => a + b, 0)).toBe(8);
    expect(byMonth!.total.value).toBe(7);
  });

  it('splits by unit, nationality group and population group', async () => {
    const [byUnit] = await get(DEMO.analyst, `region=${w.regions.oriental}&indicators=PSS-1&by=unit`);
    expect(column(byUnit!, 'unit')).toEqual({ [w.units.OUJ]: EXPECTED.pssByUnit.OUJ, [w.units.BRK]: EXPECTED.pssByUnit.BRK });
    const [byNat] = await get(DEMO.analyst, `region=${w.regions.oriental}&indicators=PSS-1&by=nationality_group`);
    expect(column(byNat!, 'nationality_group')).toEqual(EXPECTED.pssByNationality);
    const [byPop] = await get(DEMO.analyst, `region=${w.regions.oriental}&indicators=PSS-1&by=population_group`);
    expect(column(byPop!, 'population_group')).toEqual(EXPECTED.pssByPopulation);
    const [byRegion] = await get(DEMO.analyst, 'indicators=PSS-1&by=region');
    expect(column(byRegion!, 'region')).toEqual({ [w.regions.oriental]: 7, [w.regions.souss]: EXPECTED.soussPss });
  });

  it('filters by unit and province', async () => {
    expect(totals(await get(DEMO.analyst, `unit=${w.units.BRK}&indicators=PSS-1,LIV-1`))).toEqual({ 'PSS-1': 2, 'LIV-1': 1 });
    const berkane = (await t.db.query(`SELECT id FROM place WHERE code = 'MA-BER'`)).rows[0].id;
    expect(totals(await get(DEMO.analyst, `province=${berkane}&indicators=PSS-1`))).toEqual({ 'PSS-1': 2 });
  });

  it('scopes figures: supervisor their unit, coordinator their region, analyst and admin everything', async () => {
    expect(totals(await get(DEMO.supervisorOujda, 'indicators=PSS-1,GBV-1'))).toEqual({ 'PSS-1': 5, 'GBV-1': 2 });
    expect(totals(await get(DEMO.coordinator, 'indicators=PSS-1'))).toEqual({ 'PSS-1': 7 });
    expect(totals(await get(DEMO.analyst, 'indicators=PSS-1'))).toEqual({ 'PSS-1': 7 + EXPECTED.soussPss });
    expect(totals(await get(DEMO.admin, 'indicators=PSS-1'))).toEqual({ 'PSS-1': 7 + EXPECTED.soussPss });
    // Out of reach: another unit for a supervisor, another region for a coordinator.
    await (await t.as(DEMO.supervisorOujda)).get(`/api/v1/reports/indicators?${PERIOD}&unit=${w.units.BRK}`).expect(404);
    await (await t.as(DEMO.coordinator)).get(`/api/v1/reports/indicators?${PERIOD}&unit=${w.units.AGA}`).expect(404);
    await (await t.as(DEMO.coordinator)).get(`/api/v1/reports/indicators?${PERIOD}&region=${w.regions.souss}`).expect(404);
    const prov = await (await t.as(DEMO.providerPssOujda)).get(`/api/v1/reports/indicators?${PERIOD}&indicators=PSS-1`).expect(403);
    expect(prov.body.code).toBe('INDICATOR_NOT_AVAILABLE');
  });
});
