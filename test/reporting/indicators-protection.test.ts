import { codeFromLabel } from '../../src/vocabulary/index.js';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { linesOf, type Entry } from '../../src/reporting/suppression.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { buildWorld, EXPECTED, PERIOD, type World } from './fixture.js';
import { binary, cellOf, pdfText } from './support.js';

/** The same fixture with the default threshold (5): what a coordinator may publish. */
let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await createTestApp({ DHIS2_MAPPING_FILE: 'config/dhis2-mapping.example.json' });
  w = await buildWorld(t);
});
afterAll(() => t.close());

interface Cell {
  coord: Record<string, string | null>;
  value: number | null;
  display: string;
  suppressed: false | 'primary' | 'complementary';
}

/** No published cell below 5, and no row, column or margin with exactly one withheld entry. */
function expectProtected(view: { by: string[]; cells: Cell[] }) {
  for (const c of view.cells) {
    if (c.value !== null) expect(c.value === 0 || c.value >= 5).toBe(true);
    if (c.suppressed) expect(c.value).toBeNull();
  }
  const entries: Entry[] = view.cells.map((c) => ({ coord: view.by.map((d) => c.coord[d] ?? null), value: c.suppressed ? 1 : 0 }));
  for (const line of linesOf(entries)) {
    const hidden = line.filter((e) => e.value === 1).length;
    expect(hidden === 0 || hidden >= 2).toBe(true);
  }
}

const allText = (v: unknown) => JSON.stringify(v);

describe('published figures are protected and anonymous', () => {
  it('withholds small cells of PSS-1 by sex and age band, with complements, and keeps the total', async () => {
    const res = await (await t.as(DEMO.coordinator)).get(`/api/v1/reports/indicators?${PERIOD}&indicators=PSS-1&by=sex,age_band`).expect(200);
    const view = res.body.indicators[0];
    expectProtected(view);
    expect(cellOf(view, { sex: 'female', age_band: '25-59' })).toMatchObject({ display: '<5', suppressed: 'primary' });
    // Men (2) are withheld, so women (5) are withheld with them; the grand total stays published.
    expect(cellOf(view, { sex: 'male', age_band: null })).toMatchObject({ display: '<5', suppressed: 'primary' });
    expect(cellOf(view, { sex: 'female', age_band: null })).toMatchObject({ display: 'x', suppressed: 'complementary' });
    expect(cellOf(view, { sex: null, age_band: null })).toMatchObject({ value: EXPECTED['PSS-1'], display: '7' });
    const byUnit = (await (await t.as(DEMO.coordinator)).get(`/api/v1/reports/indicators?${PERIOD}&indicators=PSS-1&by=unit,sex`).expect(200)).body.indicators[0];
    expectProtected(byUnit);
  });

  it('gives the coordinator of Oriental no figure, name or id of another region', async () => {
    const coord = await t.as(DEMO.coordinator);
    for (const by of ['region', 'unit', 'province', 'region,sex']) {
      const res = await coord.get(`/api/v1/reports/indicators?${PERIOD}&by=${by}`).expect(200);
      const text = allText(res.body);
      expect(text).not.toContain(w.regions.souss);
      expect(text).not.toContain(w.units.AGA);
      expect(text).not.toContain('Agadir');
      for (const ind of res.body.indicators) {
        if (ind.code === 'PSS-1') expect(ind.total.value).toBe(EXPECTED['PSS-1']);
      }
    }
    const souss = await (await t.as(DEMO.analyst)).get(`/api/v1/reports/indicators?${PERIOD}&indicators=PSS-1&region=${w.regions.souss}`).expect(200);
    expect(souss.body.indicators[0].total).toMatchObject({ value: EXPECTED.soussPss });
    await coord.get(`/api/v1/reports/factsheet?region=${w.regions.souss}&${PERIOD}`).expect(404);
    await coord.get(`/api/v1/reports/regional?region=${w.regions.souss}&${PERIOD}`).expect(404);
    await coord.get(`/api/v1/reports/dhis2?${PERIOD}&region=${w.regions.souss}`).expect(404);
  });

  it('never puts a name, phone, case code or person id in a report or an export', async () => {
    const s = w.secrets;
    const forbidden = [...s.names, ...s.phones, ...s.caseCodes, ...s.personIds];
    expect(forbidden.length).toBeGreaterThan(20);
    const check = (what: string, text: string) => {
      for (const f of forbidden) if (text.includes(f)) throw new Error(`${what} contains ${f}`);
    };
    for (const email of [DEMO.coordinator, DEMO.analyst, DEMO.supervisorOujda]) {
      const agent = await t.as(email);
      for (const by of ['', '&by=unit', '&by=sex,age_band', '&by=period,unit', '&by=nationality_group']) {
        check(`${email} json ${by}`, (await agent.get(`/api/v1/reports/indicators?${PERIOD}${by}`).expect(200)).text);
        check(`${email} csv ${by}`, (await agent.get(`/api/v1/reports/indicators/export?${PERIOD}${by}&format=csv`).expect(200)).text);
        const xlsx = await agent.get(`/api/v1/reports/indicators/export?${PERIOD}${by}&format=xlsx`).buffer(true).parse(binary).expect(200);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
        check(`${email} xlsx ${by}`, JSON.stringify(wb.worksheets.map((ws) => ws.getSheetValues())));
      }
    }
    const coord = await t.as(DEMO.coordinator);
    const pdf = await coord.get(`/api/v1/reports/regional?region=${w.regions.oriental}&${PERIOD}&lang=fr`).buffer(true).parse(binary).expect(200);
    check('pdf', pdfText(pdf.body) ?? '');
    check('factsheet', (await coord.get(`/api/v1/reports/factsheet?region=${w.regions.oriental}&${PERIOD}`).expect(200)).text);
    check('dhis2', (await coord.get(`/api/v1/reports/dhis2?${PERIOD}&region=${w.regions.oriental}`).expect(200)).text);
  });

  it('exports the protected figures: CSV equals JSON, withheld cells keep their marks', async () => {
    const coord = await t.as(DEMO.coordinator);
    const qs = `${PERIOD}&indicators=PSS-1&by=age_band&lang=en`;
    const json = (await coord.get(`/api/v1/reports/indicators?${qs}`).expect(200)).body.indicators[0];
    const rows = parse((await coord.get(`/api/v1/reports/indicators/export?${qs}&format=csv`).expect(200)).text, { bom: true, columns: true }) as Record<string, string>[];
    for (const r of rows) expect(r.Value).toBe(cellOf(json, { age_band: r['Age band'] === 'Total' ? null : codeFromLabel('ageBand', r['Age band']!)! }).display);
    expect(rows.map((r) => r.Value)).toContain('<5');
  });

  it('builds the factsheet section for Oriental from the data', async () => {
    const res = await (await t.as(DEMO.coordinator)).get(`/api/v1/reports/factsheet?region=${w.regions.oriental}&${PERIOD}&lang=en`).expect(200);
    const item = (key: string) => res.body.items.find((i: { key: string }) => i.key === key);
    expect(res.body.title).toBe('Putting policies into practice to improve community wellbeing');
    expect(item('counselling_units')).toMatchObject({ figure: { value: 2 } });
    expect(item('psychosocial')).toMatchObject({
      indicator: 'PSS-1',
      figure: { value: 7, display: '7' },
      text: '7 people (incl. women, men, children, migrants and Moroccans) accessed psycho-social services',
      // women = 5 is withheld with men (2): alone it would give men away (7 − 5).
      breakdown: { women: { display: 'x' }, men: { display: '<5' }, children: { display: '<5' } },
    });
    expect(item('survivors')).toMatchObject({ figure: { display: '<5' } });
    expect(item('lIV-1'.toLowerCase())).toMatchObject({ text: '<5 entrepreneurs received career counselling' });
    expect(item('trainings')).toMatchObject({ activities: 0, figure: { value: 0 } });
    expect(res.body.sdg).toEqual(expect.arrayContaining(['3.8', '5.2', '8.3']));
  });

  it('writes the regional report in French with the figures and the top needs', async () => {
    const pdf = await (await t.as(DEMO.coordinator)).get(`/api/v1/reports/regional?region=${w.regions.oriental}&${PERIOD}&lang=fr`).buffer(true).parse(binary).expect(200);
    const raw = pdfText(pdf.body);
    if (raw === null) return;
    const text = raw.replace(/\s+/g, ' ');
    expect(text).toContain("Rapport régional — L'Oriental");
    expect(text).toMatch(/PSS-1 Personnes ayant accédé aux services psychosociaux 7 3\.8/);
    expect(text).toContain('7 personnes ont accédé aux services psychosociaux');
    expect(text).toContain('Santé mentale et soutien psychosocial');
  });
});
