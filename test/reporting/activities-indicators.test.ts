import { codeFromLabel } from '../../src/vocabulary/index.js';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { binary, cellOf, pdfText } from './support.js';

/**
 * CAP-1 and CAP-2 computed in SQL from activities, with hand-computed answers. The fixture sits
 * in 2025 so the demo activities (2026) do not touch it.
 */
let t: TestApp;
let oriental: string;
let souss: string;
const place = async (code: string) => (await t.db.query('SELECT id FROM place WHERE code = $1', [code])).rows[0].id as string;

const activity = (kind: string, heldOn: string, placeId: string, participants: [string, string, number][]) => ({
  kind,
  topic: `${kind} ${heldOn}`,
  heldOn,
  placeId,
  participants: participants.map(([organisationType, sex, count]) => ({ organisationType, sex, count })),
});

beforeAll(async () => {
  t = await createTestApp({ DHIS2_MAPPING_FILE: 'config/dhis2-mapping.example.json' });
  [oriental, souss] = await Promise.all([place('MA-02'), place('MA-09')]);
  const coord = await t.as(DEMO.coordinator);
  const admin = await t.as(DEMO.admin);
  // Oriental trainings: 2 in March, 1 in May. Participants by sex: female 20+11+3 = 34, male 9+6 = 15, other 2.
  await coord.post('/api/v1/activities').send(activity('training', '2025-03-04', await place('MA-OUJ-OUJ'), [['public_service', 'female', 20], ['public_service', 'male', 9]])).expect(201);
  await coord.post('/api/v1/activities').send(activity('training', '2025-03-20', await place('MA-BER'), [['civil_society', 'female', 11], ['civil_society', 'male', 6], ['academia', 'other', 2]])).expect(201);
  await coord.post('/api/v1/activities').send(activity('training', '2025-05-12', oriental, [['government', 'female', 3]])).expect(201);
  // Oriental workshop (CAP-2), and a training in Souss-Massa that Oriental's coordinator must never see.
  await coord.post('/api/v1/activities').send(activity('workshop', '2025-04-02', await place('MA-NAD'), [['civil_society', 'female', 8], ['migrant_association', 'male', 7]])).expect(201);
  await admin.post('/api/v1/activities').send(activity('training', '2025-06-10', await place('MA-AGD'), [['public_service', 'female', 30], ['public_service', 'male', 25]])).expect(201);
});
afterAll(() => t.close());

const Y2025 = 'from=2025-01-01&to=2025-12-31';

describe('CAP indicators from activities', () => {
  it('counts trainings and participants in every region for an analyst', async () => {
    const res = await (await t.as(DEMO.analyst)).get(`/api/v1/reports/indicators?${Y2025}&indicators=CAP-1,CAP-2`).expect(200);
    const [cap1, cap2] = res.body.indicators;
    expect(cap1).toMatchObject({ code: 'CAP-1', unit: 'participants', sdg: ['17.14', '16.7'], activities: 4, total: { value: 51 + 55, display: '106', suppressed: false } });
    expect(cap2).toMatchObject({ code: 'CAP-2', activities: 1, total: { value: 15 } });
    expect(res.body.threshold).toBe(5);
  });

  it('gives the coordinator of Oriental Oriental only, by region and by sex with small numbers withheld', async () => {
    const coord = await t.as(DEMO.coordinator);
    const byRegion = await coord.get(`/api/v1/reports/indicators?${Y2025}&indicators=CAP-1&by=region`).expect(200);
    const cap = byRegion.body.indicators[0];
    const regions = cap.cells.filter((c: { coord: { region: string | null } }) => c.coord.region !== null).map((c: { coord: { region: string } }) => c.coord.region);
    expect(regions).toEqual([oriental]);
    expect(cap.total).toMatchObject({ value: 51 });
    expect(byRegion.body.labels[oriental]).toBe("L'Oriental");
    expect(JSON.stringify(byRegion.body)).not.toContain(souss);

    const bySex = (await coord.get(`/api/v1/reports/indicators?${Y2025}&indicators=CAP-1&by=sex`).expect(200)).body.indicators[0];
    expect(cellOf(bySex, { sex: 'female' })).toMatchObject({ value: 34, display: '34', suppressed: false });
    expect(cellOf(bySex, { sex: 'unknown' })).toMatchObject({ value: 0, display: '0', suppressed: false });
    // other = 2 is withheld; the smallest cell above the threshold (male = 15) goes with it.
    expect(cellOf(bySex, { sex: 'other' })).toMatchObject({ value: null, display: '<5', suppressed: 'primary' });
    expect(cellOf(bySex, { sex: 'male' })).toMatchObject({ value: null, display: 'x', suppressed: 'complementary' });
    expect(cellOf(bySex, { sex: null })).toMatchObject({ value: 51 });

    await coord.get(`/api/v1/reports/indicators?${Y2025}&indicators=CAP-1&region=${souss}`).expect(404);
    await coord.get(`/api/v1/reports/indicators?${Y2025}&indicators=CAP-1&province=${await place('MA-AGD')}`).expect(404);
  });

  it('cuts by month (all months of the period, zeros included) and by activity kind', async () => {
    const coord = await t.as(DEMO.coordinator);
    const res = await coord.get(`/api/v1/reports/indicators?from=2025-01-01&to=2025-06-30&indicators=CAP-1&by=period`).expect(200);
    const cap = res.body.indicators[0];
    expect(cap.cells.map((c: { coord: { period: string | null } }) => c.coord.period)).toEqual(['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', null]);
    // May (3) is withheld; the zeros cannot hide it, so March (48) is withheld with it; the total stays.
    expect(cellOf(cap, { period: '2025-05' })).toMatchObject({ display: '<5', suppressed: 'primary' });
    expect(cellOf(cap, { period: '2025-03' })).toMatchObject({ display: 'x', suppressed: 'complementary' });
    expect(cellOf(cap, { period: '2025-04' })).toMatchObject({ value: 0, display: '0' });
    expect(cellOf(cap, { period: null })).toMatchObject({ value: 51 });
    const quarters = (await coord.get(`/api/v1/reports/indicators?${Y2025}&indicators=CAP-1&by=period&interval=quarter`).expect(200)).body.indicators[0];
    expect(quarters.cells.map((c: { display: string }) => c.display)).toEqual(['x', '<5', '0', '0', '51']);
    const march = (await coord.get(`/api/v1/reports/indicators?from=2025-03-01&to=2025-03-31&indicators=CAP-1`).expect(200)).body.indicators[0];
    expect(march).toMatchObject({ activities: 2, total: { value: 48 } });
    const kinds = (await coord.get(`/api/v1/reports/indicators?${Y2025}&indicators=CAP-2&by=activity_kind`).expect(200)).body.indicators[0];
    expect(cellOf(kinds, { activity_kind: 'workshop' })).toMatchObject({ value: 15 });
    expect(cellOf(kinds, { activity_kind: 'fair' })).toMatchObject({ value: 0 });
  });

  it('refuses roles the CAP figures are not for', async () => {
    const provider = await (await t.as(DEMO.providerHealthOujda)).get(`/api/v1/reports/indicators?${Y2025}&indicators=CAP-1`).expect(403);
    expect(provider.body.code).toBe('INDICATOR_NOT_AVAILABLE');
    await (await t.as(DEMO.counsellorOujda)).get(`/api/v1/reports/indicators?${Y2025}`).expect(403);
  });

  it('answers bad input with 400', async () => {
    const coord = await t.as(DEMO.coordinator);
    const bad = async (qs: string, field: string) => {
      const res = await coord.get(`/api/v1/reports/indicators?${qs}`).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await bad('from=2025-12-31&to=2025-01-01', 'from');
    await bad('from=2025-02-30&to=2025-03-01', 'from');
    await bad(`${Y2025}&by=colour`, 'by');
    await bad(`${Y2025}&by=sex,period,region`, 'by');
    await bad(`${Y2025}&by=sex,sex`, 'by');
    await bad(`${Y2025}&indicators=XYZ-1`, 'indicators');
    await bad(`${Y2025}&indicators=CAP-1&by=age_band`, 'by');
    await bad(`${Y2025}&indicators=CAP-1&unit=${oriental}`, 'unit');
    await bad(`${Y2025}&region=${await place('MA-OUJ')}`, 'region');
    await bad(`${Y2025}&region=not-a-uuid`, 'region');
    await bad(`${Y2025}&interval=week`, 'interval');
    await bad('to=2025-01-01', 'from');
  });

  it('exports CSV and XLSX that read back to the JSON figures', async () => {
    const coord = await t.as(DEMO.coordinator);
    const qs = `${Y2025}&indicators=CAP-1&by=sex`;
    const json = (await coord.get(`/api/v1/reports/indicators?${qs}&lang=en`).expect(200)).body.indicators[0];
    const csv = await coord.get(`/api/v1/reports/indicators/export?${qs}&lang=en&format=csv`).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = parse(csv.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(json.cells.length);
    for (const r of rows) expect(r.Value).toBe(cellOf(json, { sex: r.Sex === 'Total' ? null : codeFromLabel('sex', r.Sex!)! }).display);

    const xlsx = await coord.get(`/api/v1/reports/indicators/export?${qs}&lang=en&format=xlsx`).buffer(true).parse(binary).expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const values: Record<string, unknown> = {};
    wb.getWorksheet('Indicators')!.eachRow((row, n) => {
      if (n > 1) values[(row.values as unknown[])[7] as string] = (row.values as unknown[])[8];
    });
    expect(Object.keys(values)).toHaveLength(json.cells.length);
    for (const [sex, value] of Object.entries(values)) {
      const c = cellOf(json, { sex: sex === 'Total' ? null : codeFromLabel('sex', sex)! });
      expect(value).toEqual(c.value ?? c.display);
    }
    await (await t.as(DEMO.coordinator)).get(`/api/v1/reports/indicators/export?${qs}&format=pdf`).expect(400);
  });

  it('produces a regional PDF whose text holds the indicator names and values', async () => {
    const coord = await t.as(DEMO.coordinator);
    const res = await coord.get(`/api/v1/reports/regional?region=${oriental}&${Y2025}&lang=en`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const raw = pdfText(res.body);
    if (raw === null) return;
    const text = raw.replace(/\s+/g, ' ');
    expect(text).toContain("Regional report — L'Oriental");
    expect(text).toContain('Trainings held and representatives trained');
    expect(text).toMatch(/CAP-1 Trainings held and representatives trained 51/);
    expect(text).toMatch(/CAP-2 Workshops, fairs and symposiums and their participants 15/);
    await coord.get(`/api/v1/reports/regional?region=${souss}&${Y2025}`).expect(404);
  });

  it('exports CAP-1 by sex to DHIS2 through the configured mapping', async () => {
    const coord = await t.as(DEMO.coordinator);
    const res = await coord.get(`/api/v1/reports/dhis2?from=2025-01-01&to=2025-12-31&region=${oriental}`).expect(200);
    expect(res.body.dataSet).toBe('TwjhDataSt1');
    // female = 34 is sent; male is withheld (complementary), other has no combo in the mapping.
    expect(res.body.dataValues.filter((v: { dataElement: string }) => v.dataElement === 'TwjhCap0001')).toEqual([
      { dataElement: 'TwjhCap0001', period: '2025', orgUnit: 'TwjhOrgOri1', categoryOptionCombo: 'TwjhCocFeml', value: '34' },
    ]);
    // The other mapped indicators have no data in 2025: their cells go as zeros.
    for (const v of res.body.dataValues.filter((x: { dataElement: string }) => x.dataElement !== 'TwjhCap0001')) expect(v.value).toBe('0');
    expect(Number(res.headers['x-tawjih-skipped-values'])).toBeGreaterThan(0);
    await coord.get(`/api/v1/reports/dhis2?from=2025-01-05&to=2025-12-31&region=${oriental}`).expect(400);
  });
});
