import { randomBytes, randomInt } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { CaseImportService } from '../../src/imports/case-import.service.js';
import { dumpDatabase } from '../support/pg-dump.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';

/**
 * A register with unique identifying values goes through upload, review, import, a second upload
 * that is discarded, and uploads that fail: no value of the sheet may then be found in a dump of
 * the database in clear, in the application log, or in any response but the owner's reads of the case.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 400_000);
afterAll(() => t.close());

const hex = () => randomBytes(5).toString('hex');
const NAME = `Zqimport${hex()}`;
const FAMILY = `Wkimport${hex()}`;
const DIGITS = String(randomInt(10_000_000, 99_999_999));
const PHONE = `06${DIGITS}`;
const DOCUMENT = `IMP${randomInt(1_000_000, 9_999_999)}`;
const ADDRESS = `Derb ${hex()} Oujda`;
const BAD_DATE = `Qxbaddate${hex()}`;
const BAD_SEX = `Qxbadsex${hex()}`;
const NEEDLES = [NAME, FAMILY, DIGITS, DOCUMENT, ADDRESS, BAD_DATE, BAD_SEX];

async function sheet(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Registre');
  ws.addRow(['Prénom', 'Nom', 'Sexe', 'Date de naissance', 'Téléphone', 'N° de document', 'Type de document', 'Adresse', "Date d'ouverture", 'Dates des séances PSS']);
  ws.addRow([NAME, FAMILY, 'F', '14/07/1993', PHONE, DOCUMENT, 'Passeport', ADDRESS, '02/02/2024', '09/02/2024']);
  // Errors whose cells hold unique values: the reasons must not quote them.
  ws.addRow([`${NAME}b`, FAMILY, BAD_SEX, BAD_DATE, '', '', '', '', '02/02/2024', '']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const others: string[] = [];
const owner: string[] = [];

describe('canary: the sheet’s values stay out of the database in clear, the logs and other responses', () => {
  it('runs a register through upload, review, import, discard and failing uploads', async () => {
    const sup = await t.as(DEMO.supervisorOujda);
    const file = await sheet();
    const keep = (list: string[], res: Response) => {
      list.push(res.text ?? '');
      return res;
    };
    const checked = keep(others, await sup.post('/api/v1/imports/cases').attach('file', file, `${NAME}.xlsx`)).body;
    expect(checked.summary).toMatchObject({ rows: 2, valid: 1, errors: 1, toImport: 1 });
    expect(checked.issues.map((i: { field: string }) => i.field)).toEqual(['sex', 'birthDate']);
    keep(others, await sup.get(`/api/v1/imports/cases/${checked.id}?lang=ar`));
    keep(others, await sup.get('/api/v1/imports/cases'));
    // While checked, the sheet is held encrypted.
    expect((await t.db.query(`SELECT file_enc FROM import_batch WHERE id = $1`, [checked.id])).rows[0].file_enc).toMatch(/^v1\./);
    keep(others, await sup.post(`/api/v1/imports/cases/${checked.id}/run`));
    await t.app.get(CaseImportService).settled(checked.id);
    keep(others, await sup.get(`/api/v1/imports/cases/${checked.id}`));

    const second = keep(others, await sup.post('/api/v1/imports/cases').attach('file', file, 'again.xlsx')).body;
    expect(second.summary.duplicatesExisting).toBe(1);
    const remapped = keep(others, await sup.post(`/api/v1/imports/cases/${second.id}/mapping`).send({ mapping: { H: '' } })).body;
    expect(remapped.columns[7]).toMatchObject({ letter: 'H', field: null });
    expect(keep(others, await sup.delete(`/api/v1/imports/cases/${remapped.id}`)).body.status).toBe('discarded');

    // Failing uploads carrying the values.
    const csv = (text: string) => Buffer.from(text, 'utf8');
    expect(keep(others, await sup.post('/api/v1/imports/cases').attach('file', csv(`${NAME};${PHONE}\n${DOCUMENT};${ADDRESS}\n`), 'x.csv')).status).toBe(422);
    expect(keep(others, await sup.post('/api/v1/imports/cases').attach('file', csv(`Prénom;Nom\n${NAME};${FAMILY}\n`), 'x.csv')).status).toBe(422);
    expect(keep(others, await sup.post('/api/v1/imports/cases').attach('file', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from(NAME)]), 'x.xlsx')).status).toBe(422);
    expect(keep(others, await sup.post('/api/v1/imports/cases').field('mapping', `{"${NAME}":"${PHONE}"}`).attach('file', file, 'x.xlsx')).status).toBe(400);
    expect(keep(others, await (await t.as(DEMO.counsellorOujda)).post('/api/v1/imports/cases').attach('file', file, 'x.xlsx')).status).toBe(403);
    expect(keep(others, await (await t.as(DEMO.counsellorBerkane)).get(`/api/v1/imports/cases/${checked.id}`)).status).toBe(403);

    // The owner reads the imported case: there, and only there, the values are.
    const caseId = (await t.db.query(`SELECT case_id FROM import_batch_case WHERE batch_id = $1`, [checked.id])).rows[0].case_id;
    const read = keep(owner, await sup.get(`/api/v1/cases/${caseId}`));
    expect(read.body.person).toMatchObject({ givenName: NAME, familyName: FAMILY, phone: PHONE, documentNumber: DOCUMENT, address: ADDRESS, documentType: 'passport' });
    expect(keep(others, await (await t.as(DEMO.counsellorBerkane)).get(`/api/v1/cases/${caseId}`)).status).toBe(404);
  });

  it('no response but the owner’s read of the case contains a value', () => {
    expect(others.length).toBeGreaterThanOrEqual(14);
    for (const body of others) for (const needle of NEEDLES) expect([needle, body.includes(needle)]).toEqual([needle, false]);
    expect(owner.join('')).toContain(NAME);
  });

  it('the application log of the run contains no value', () => {
    const text = readFileSync(join('test/artifacts/logs', 'import-canary.test.ts.log'), 'utf8');
    expect(text).toContain('/api/v1/imports/cases');
    for (const needle of NEEDLES) expect([needle, text.includes(needle)]).toEqual([needle, false]);
    expect(readdirSync('test/artifacts/logs').length).toBeGreaterThan(0);
  });

  it('a dump of the database holds no value in clear, and no copy of the sheet once imported or discarded', async () => {
    const dump = await dumpDatabase(t);
    const stored = await t.db.query(`SELECT given_name_enc FROM person_identity i JOIN import_batch_case b ON b.person_id = i.person_id`);
    expect(stored.rows.length).toBe(1);
    expect(dump).toContain(stored.rows[0].given_name_enc);
    for (const needle of NEEDLES) expect([needle, dump.includes(needle)]).toEqual([needle, false]);
    expect((await t.db.query(`SELECT count(*) FROM import_batch WHERE file_enc IS NOT NULL`)).rows[0].count).toBe('0');
  });
});
