import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { label } from '../../src/vocabulary/index.js';
import { parseHours } from '../../src/directory/services-sheet.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { utf8Text } from '../support/bodies.js';

/**
 * A unit's services sheet — written by exceljs with a merged banner above French/Arabic headers and
 * blank trailing rows, and by hand as Windows-1256 CSV with `;`, Arabic-Indic digits in the XLSX — checked
 * by a dry run (created / updated / errors by row and column, nothing written), refused whole while
 * a row is wrong, then imported: new services and organisations created, existing ones matched by
 * organisation and service name and updated.
 */
let t: TestApp;
let existing: { id: string; organisation: string; name: string };

beforeAll(async () => {
  t = await createTestApp();
  const coordinator = await t.as(DEMO.coordinator);
  const res = await coordinator.get('/api/v1/directory/export').buffer(true).parse(utf8Text);
  const first = JSON.parse((res.body as string).split('\n')[0]!);
  existing = { id: first.id, organisation: first.organization.name, name: first.name_i18n.fr };
}, 180_000);
afterAll(async () => {
  await t.close();
}, 180_000);

const HEADERS = ['Organisation', 'الخدمة', 'Catégorie', 'Adresse', 'Ville', 'Téléphone', 'Horaires', 'Langues', 'Gratuit'];

async function workbook(rows: Array<Array<string | number | null>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Cartographie');
  ws.addRow(['Cartographie des services — Oriental 2025']);
  ws.mergeCells('A1:I1');
  ws.addRow([]);
  ws.addRow(HEADERS);
  for (const r of rows) ws.addRow(r);
  ws.addRow([]);
  ws.addRow([null, null, null]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const mhpss = label('category', 'mhpss', 'fr');
const good = () => [
  ['Association Nour (sheet)', 'Écoute psychologique', mhpss, '12 rue Tafna', 'Oujda', '٠٥٣٦ ٠٠ ٠٠ ٠١', 'Lun-Ven 08:30-12:00, 14:00-16:30; samedi 9h-12h', 'Français, العربية, Darija', 'oui'],
  [existing.organisation, existing.name, null, null, null, null, 'lundi au jeudi 9h-13h', null, 'Oui'],
];
const bad = ['Association Nour (sheet)', 'Horoscope', 'Astrologie', null, 'Oujda', null, 'tous les jours', 'Français', 'peut-être'];

const counts = async () => (await t.db.query(`SELECT (SELECT count(*) FROM service)::int AS services, (SELECT count(*) FROM organisation)::int AS organisations`)).rows[0];
const upload = async (file: Buffer, query = '', name = 'services.xlsx') => (await t.as(DEMO.coordinator)).post(`/api/v1/directory/import/sheet${query}`).attach('file', file, name);

describe('services sheet import', () => {
  it('reads opening hours as units write them', () => {
    expect(parseHours('Lun-Ven 08:30-16:30')).toEqual([{ byday: ['MO', 'TU', 'WE', 'TH', 'FR'], opensAt: '08:30', closesAt: '16:30' }]);
    expect(parseHours('lundi au vendredi 8h30 - 12h, 14h-16h30 ; samedi 9h-12h')).toEqual([
      { byday: ['MO', 'TU', 'WE', 'TH', 'FR'], opensAt: '08:30', closesAt: '12:00' },
      { byday: ['MO', 'TU', 'WE', 'TH', 'FR'], opensAt: '14:00', closesAt: '16:30' },
      { byday: ['SA'], opensAt: '09:00', closesAt: '12:00' },
    ]);
    expect(parseHours('الاثنين-الجمعة ٠٨:٣٠-١٦:٣٠')).toEqual([{ byday: ['MO', 'TU', 'WE', 'TH', 'FR'], opensAt: '08:30', closesAt: '16:30' }]);
    expect(parseHours('tous les jours')).toBeNull();
  });

  it('dry run: counts and every error by row and column; with an error nothing is written; then the import creates and updates', async () => {
    // Row numbers as Excel shows them: banner 1, blank 2, header 3, services from 4.
    const sheet = await workbook([...good(), bad] as never);
    const before = await counts();
    const dry = await upload(sheet, '?dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, created: 1, updated: 1, organisationsCreated: 1 });
    expect(dry.body.errors.map((e: any) => [e.table, e.row, e.column])).toEqual([
      ['sheet', 6, 'C (Catégorie)'],
      ['sheet', 6, 'G (Horaires)'],
      ['sheet', 6, 'I (Gratuit)'],
    ]);
    expect(dry.body.services).toEqual([
      { row: 4, id: expect.any(String), action: 'create' },
      { row: 5, id: existing.id, action: 'update' },
    ]);
    expect(await counts()).toEqual(before);
    const refused = await upload(sheet);
    expect({ status: refused.status, code: refused.body.code, errors: refused.body.report?.length }).toEqual({ status: 400, code: 'DIRECTORY_IMPORT_INVALID', errors: 3 });
    expect(await counts()).toEqual(before);

    const imported = await upload(await workbook(good() as never));
    expect({ status: imported.status, errors: imported.body.errors }).toEqual({ status: 200, errors: [] });
    expect(imported.body).toMatchObject({ dryRun: false, created: 1, updated: 1, organisationsCreated: 1 });
    expect(await counts()).toEqual({ services: before.services + 1, organisations: before.organisations + 1 });
    const created = (await (await t.as(DEMO.coordinator)).get(`/api/hsds/services/${dry.body.services[0].id}`).expect(200)).body;
    expect(created).toMatchObject({ name: 'Écoute psychologique', categories: ['mhpss'], free_of_charge: true, organization: { name: 'Association Nour (sheet)' } });
    expect(created.languages.map((l: any) => l.code).sort()).toEqual(['ar', 'ary', 'fr']);
    expect(created.schedules.map((s: any) => [s.byday, s.opens_at, s.closes_at]).sort((a: string[], b: string[]) => (a.join() < b.join() ? -1 : 1))).toEqual([
      ['MO,TU,WE,TH,FR', '08:30', '12:00'],
      ['MO,TU,WE,TH,FR', '14:00', '16:30'],
      ['SA', '09:00', '12:00'],
    ]);
    expect(created.phones.map((p: any) => p.number)).toEqual(['0536 00 00 01']);
    expect(created.service_at_locations[0].location.addresses[0]).toMatchObject({ address_1: '12 rue Tafna', city: 'Oujda' });
    const updated = (await (await t.as(DEMO.coordinator)).get(`/api/hsds/services/${existing.id}`).expect(200)).body;
    expect(updated.schedules.map((s: any) => [s.byday, s.opens_at, s.closes_at])).toEqual([['MO,TU,WE,TH', '09:00', '13:00']]);
    expect(updated.free_of_charge).toBe(true);

    // The same sheet again: both rows match by organisation and service name.
    const again = await upload(await workbook(good() as never), '?dryRun=true');
    expect(again.body).toMatchObject({ created: 0, updated: 2, organisationsCreated: 0, errors: [] });
  }, 120_000);

  it('reads a Windows-1256 CSV with ; and Arabic headers; a file without the header row is a 400 with a stable code', async () => {
    const csv = [
      'المؤسسة;الخدمة;الفئة;المدينة;الهاتف;التوقيت;اللغات',
      `جمعية الأمل;الاستماع والدعم النفسي;${label('category', 'mhpss', 'ar')};وجدة;0536688888;الاثنين-الجمعة 08:30-16:30;الدارجة`, // Windows-1256 has no Arabic-Indic digits: Excel writes 0-9 there
      ';;;;;;',
    ].join('\r\n');
    const dry = await upload(iconv.encode(csv, 'windows1256'), '?dryRun=true', 'services.csv');
    expect({ status: dry.status, errors: dry.body.errors }).toEqual({ status: 200, errors: [] });
    expect(dry.body).toMatchObject({ created: 1, updated: 0, organisationsCreated: 1 });

    const noHeader = await upload(Buffer.from('a;b\n1;2\n'), '?dryRun=true', 'x.csv');
    expect({ status: noHeader.status, code: noHeader.body.code }).toEqual({ status: 400, code: 'DIRECTORY_SHEET_NO_HEADER' });
  }, 60_000);
});
