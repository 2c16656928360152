import { randomInt } from 'node:crypto';
import ExcelJS from 'exceljs';
import { AuditService } from '../../src/audit/audit.service.js';
import { CaseIntakeService } from '../../src/cases/case-intake.service.js';
import { FieldCipher } from '../../src/common/crypto/field-cipher.js';
import { TransactionHost } from '../../src/database/transaction.js';
import { CaseImportService } from '../../src/imports/case-import.service.js';
import { ImportsRepository } from '../../src/imports/imports.repository.js';
import { OrganisationsService } from '../../src/organisations/organisations.service.js';
import { UsersService } from '../../src/users/users.service.js';
import { given } from '../cases/given.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { EXPECTED_SUMMARY, expectedIssues, pastWorkXlsx, registerCsv, registerXlsx } from './sheets.js';
import { binary } from '../support/bodies.js';

/**
 * Case-register imports over real-looking sheets: the dry run's counts and per-row issues, exactly;
 * the import with its historical dates; undo back to the database as it was; resume after an
 * interruption; nothing half-written after a failure.
 */
let t: TestApp;
let existing: { code: string; phone: string };
let oujda: string;
beforeAll(async () => {
  t = await createTestApp();
  const phone = `06${randomInt(10_000_000, 99_999_999)}`;
  const c = await given(t).caseFor(DEMO.counsellorOujda, { givenName: 'Déjà', familyName: 'Suivie', phone });
  existing = { code: c.case.code, phone };
  oujda = (await t.db.query(`SELECT organisation_id FROM app_user WHERE email = $1`, [DEMO.supervisorOujda])).rows[0].organisation_id;
}, 180_000);
afterAll(() => t.close());

const TABLES = ['person', 'person_identity', 'case_file', 'case_need', 'case_session', 'delivery', 'import_batch_case'];
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = Number((await t.db.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
  return out;
}
const counters = async () => (await t.db.query(`SELECT year, last_number FROM case_code_counter WHERE unit_id = $1 ORDER BY year`, [oujda])).rows;

const upload = async (email: string, file: Buffer, name: string, fields: Record<string, string> = {}) => {
  let req = (await t.as(email)).post('/api/v1/imports/cases').attach('file', file, name);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req;
};

const pick = (issues: Array<Record<string, unknown>>) =>
  issues.map((i) => Object.fromEntries(Object.entries(i).filter(([k, v]) => ['row', 'column', 'field', 'code', 'kind'].includes(k) || ((k === 'otherRow' || k === 'caseCode') && v !== null))));

async function untilSettled(id: string) {
  await t.app.get(CaseImportService).settled(id);
  return (await (await t.as(DEMO.supervisorOujda)).get(`/api/v1/imports/cases/${id}`)).body;
}

describe('dry run over real-looking sheets', () => {
  const sheets: Array<[string, () => Promise<Buffer> | Buffer, string, string | null]> = [
    ['an XLSX written by exceljs (merged banner, date cells, serials, blank formatted rows)', () => registerXlsx('x', existing.phone), 'registre.xlsx', null],
    ['a CSV in UTF-8 with a BOM, `;`', () => registerCsv('u', existing.phone, 'utf8-bom', ';'), 'registre.csv', 'utf8'],
    ['a CSV in UTF-16 (Excel « Unicode text », tabs)', () => registerCsv('s', existing.phone, 'utf16le', '\t'), 'registre.txt', 'utf16le'],
    ['a CSV in Windows-1256, `,`', () => registerCsv('w', existing.phone, 'windows1256', ','), 'registre.csv', 'windows1256'],
  ];
  it.each(sheets)('%s: exact counts and per-row issues, nothing written', async (_, make, name, encoding) => {
    const before = await counts();
    const res = await upload(DEMO.supervisorOujda, await make(), name);
    expect([res.status, res.body.code]).toEqual([201, undefined]);
    expect(res.body.status).toBe('checked');
    expect(res.body.encoding).toBe(encoding);
    expect(res.body.headerRow).toBe(4);
    expect(res.body.summary).toEqual(EXPECTED_SUMMARY);
    expect(pick(res.body.issues)).toEqual(expectedIssues(existing.code));
    expect(res.body.columns.slice(0, 5)).toEqual([
      { letter: 'A', header: 'N°', field: null },
      { letter: 'B', header: 'Prénom', field: 'givenName' },
      { letter: 'C', header: 'النسب', field: 'familyName' },
      { letter: 'D', header: 'Sexe', field: 'sex' },
      { letter: 'E', header: 'تاريخ الازدياد', field: 'birthDate' },
    ]);
    // Reasons in the reader's language, never the value.
    expect(res.body.issues[0].message).toBe('Valeur non reconnue : utilisez une des valeurs du modèle.');
    const ar = await (await t.as(DEMO.supervisorOujda)).get(`/api/v1/imports/cases/${res.body.id}?lang=ar`);
    expect(ar.body.issues[1]).toMatchObject({ row: 8, column: 'E', fieldLabel: 'تاريخ الازدياد', message: 'تاريخ غير مقروء: اكتبوه على شكل يوم/شهر/سنة (أو تاريخ إكسل).' });
    expect(JSON.stringify(res.body)).not.toMatch(/Aminata|Diallo|فاطمة|X\?|31\/02\/1990|45 01/);
    expect(await counts()).toEqual(before);
  });

  it('the template has the headers the import recognises, in fr, ar and en', async () => {
    for (const lang of ['fr', 'ar', 'en']) {
      const res = await (await t.as(DEMO.supervisorOujda))
        .get(`/api/v1/imports/cases/template?lang=${lang}`)
        .buffer(true)
        .parse(binary);
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as never);
      const headers = (wb.worksheets[0]!.getRow(1).values as string[]).slice(1);
      expect(headers[0]).toBe({ fr: 'Prénom', ar: 'الاسم الشخصي', en: 'Given name' }[lang]);
      // The empty template read back maps every column.
      const back = await upload(DEMO.supervisorOujda, Buffer.from(await wb.xlsx.writeBuffer()), 't.xlsx');
      expect(back.status).toBe(201);
      expect(back.body.columns.every((c: { field: string | null }) => c.field)).toBe(true);
      expect(back.body.summary.rows).toBe(0);
    }
  });

  it('remembers a unit’s own column titles after one explicit mapping', async () => {
    const csv = Buffer.from(`Prénom usuel;Sexe;Date d'ouverture\nZed;F;01/02/2024\n`, 'utf8');
    const unknown = await upload(DEMO.supervisorOujda, csv, 'a.csv');
    expect([unknown.status, unknown.body.code, unknown.body.errors.map((e: { field: string }) => e.field)]).toEqual([422, 'IMPORT_MISSING_COLUMNS', ['givenName']]);
    const first = await upload(DEMO.supervisorOujda, csv, 'a.csv', { mapping: JSON.stringify({ A: 'givenName' }) });
    expect(first.status).toBe(201);
    expect(first.body.summary).toMatchObject({ rows: 1, valid: 1, errors: 0 });
    const again = await upload(DEMO.supervisorOujda, csv, 'a.csv');
    expect(again.body.columns[0]).toEqual({ letter: 'A', header: 'Prénom usuel', field: 'givenName' });
    expect(again.body.summary).toMatchObject({ rows: 1, valid: 1 });
  });
});

describe('bad input is a 4xx with a stable code, never a 500', () => {
  it('refuses what cannot be read or mapped', async () => {
    const sup = await t.as(DEMO.supervisorOujda);
    expect((await sup.post('/api/v1/imports/cases')).body.code).toBe('IMPORT_NO_FILE');
    const garbage = await upload(DEMO.supervisorOujda, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(300, 7)]), 'x.xlsx');
    expect([garbage.status, garbage.body.code]).toEqual([422, 'IMPORT_UNREADABLE']);
    const noHeader = await upload(DEMO.supervisorOujda, Buffer.from('a;b;c\n1;2;3\n'), 'x.csv');
    expect([noHeader.status, noHeader.body.code]).toEqual([422, 'IMPORT_NO_HEADER']);
    const missing = await upload(DEMO.supervisorOujda, Buffer.from('Prénom;Nom\nA;B\n'), 'x.csv');
    expect([missing.status, missing.body.code, missing.body.errors.map((e: { field: string }) => e.field)]).toEqual([422, 'IMPORT_MISSING_COLUMNS', ['sex', 'openedOn']]);
    const badMap = await upload(DEMO.supervisorOujda, Buffer.from('Prénom;Sexe\n'), 'x.csv', { mapping: '{"A":"salary"}' });
    expect([badMap.status, badMap.body.code]).toEqual([400, 'IMPORT_BAD_MAPPING']);
    const badEnc = await upload(DEMO.supervisorOujda, Buffer.from('Prénom;Sexe\n'), 'x.csv', { encoding: 'ebcdic' });
    expect(badEnc.status).toBe(400);
    const big = await upload(DEMO.supervisorOujda, Buffer.alloc(26 * 1024 * 1024, 65), 'x.csv');
    expect(big.status).toBe(413);
    expect((await sup.get('/api/v1/imports/cases/not-a-uuid')).status).toBe(400);
  });

  it('only supervisors (their unit) and admins (a named unit) import', async () => {
    const file = await registerXlsx('a', existing.phone);
    expect((await upload(DEMO.counsellorOujda, file, 'r.xlsx')).status).toBe(403);
    expect((await upload(DEMO.coordinator, file, 'r.xlsx')).status).toBe(403);
    expect((await upload(DEMO.admin, file, 'r.xlsx')).body.code).toBe('IMPORT_UNIT_REQUIRED');
    const counsellor = (await t.db.query(`SELECT id FROM app_user WHERE email = $1`, [DEMO.counsellorOujda])).rows[0].id;
    const byAdmin = await upload(DEMO.admin, file, 'r.xlsx', { unitId: oujda, counsellorId: counsellor });
    expect(byAdmin.status).toBe(201);
    const berkane = (await t.db.query(`SELECT organisation_id FROM app_user WHERE email = $1`, [DEMO.counsellorBerkane])).rows[0].organisation_id;
    expect((await upload(DEMO.supervisorOujda, file, 'r.xlsx', { unitId: berkane })).status).toBe(403);
    // Another unit's batch does not exist for a counsellor of Berkane or a provider.
    expect((await (await t.as(DEMO.counsellorBerkane)).get(`/api/v1/imports/cases/${byAdmin.body.id}`)).status).toBe(403);
    expect((await (await t.as(DEMO.supervisorOujda)).get(`/api/v1/imports/cases/${byAdmin.body.id}`)).status).toBe(200);
  });
});

/**
 * Runs a checked batch while holding the unit's 2024 case-number counter, so that the import stops at
 * row 7 (the sheet's first case of 2024); returns the connection holding it (ROLLBACK lets it go on).
 */
async function runUntilRow7(sup: Awaited<ReturnType<TestApp['as']>>, batchId: string) {
  const blocker = await t.db.connect();
  await blocker.query('BEGIN');
  await blocker.query(`INSERT INTO case_code_counter (unit_id, year, last_number) VALUES ($1, 2024, 0) ON CONFLICT (unit_id, year) DO UPDATE SET last_number = case_code_counter.last_number`, [oujda]);
  await sup.post(`/api/v1/imports/cases/${batchId}/run`);
  for (let i = 0; i < 400; i++) {
    if ((await t.db.query(`SELECT rows_done FROM import_batch WHERE id = $1`, [batchId])).rows[0].rows_done === 6) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  return blocker;
}

describe('import, undo, resume, failure', () => {
  it('imports the valid rows with historical dates, then undo leaves the database as before (audit kept)', async () => {
    const before = await counts();
    const countersBefore = await counters();
    const auditBefore = Number((await t.db.query(`SELECT count(*) FROM audit_event`)).rows[0].count);
    const sup = await t.as(DEMO.supervisorOujda);
    const checked = (await upload(DEMO.supervisorOujda, await registerXlsx('i', existing.phone), 'registre.xlsx')).body;
    expect((await sup.post(`/api/v1/imports/cases/${checked.id}/run`)).status).toBe(202);
    const done = await untilSettled(checked.id);
    expect(done.status).toBe('done');
    expect(done.imported).toEqual(EXPECTED_SUMMARY.wouldCreate);
    expect(done.progress).toMatchObject({ casesWritten: 4, casesToWrite: 4, percent: 100 });
    const after = await counts();
    expect(Object.fromEntries(TABLES.map((k) => [k, after[k]! - before[k]!]))).toEqual({
      person: 4, person_identity: 4, case_file: 4, case_need: 5, case_session: 4, delivery: 5, import_batch_case: 4,
    });
    // The copy of the sheet is gone once imported.
    expect((await t.db.query(`SELECT file_enc FROM import_batch WHERE id = $1`, [checked.id])).rows[0].file_enc).toBeNull();
    // Historical opening dates: code year, opening and closing instants, status.
    const cases = (
      await t.db.query(
        `SELECT b.row, c.code, c.status, to_char(c.created_at AT TIME ZONE 'Africa/Casablanca', 'YYYY-MM-DD') AS opened, c.closure_reason, p.nationality, p.sex, p.age_band
           FROM import_batch_case b JOIN case_file c ON c.id = b.case_id JOIN person p ON p.id = c.person_id WHERE b.batch_id = $1 ORDER BY b.row`,
        [checked.id],
      )
    ).rows;
    expect(cases.map((c) => [c.row, c.code.slice(0, 8), c.status, c.opened, c.closure_reason, c.nationality, c.sex, c.age_band])).toEqual([
      [5, 'OUJ-2023', 'active', '2023-03-15', null, 'GN', 'female', '25-59'],
      [6, 'OUJ-2023', 'active', '2023-06-01', null, 'ML', 'male', '25-59'],
      [7, 'OUJ-2024', 'active', '2024-01-12', null, 'MA', 'female', '25-59'],
      [13, 'OUJ-2024', 'closed', '2024-01-10', 'needs_met', 'CM', 'male', null],
    ]);
    // The identity reads back through the cases API (decrypted for the unit).
    const read = await sup.get(`/api/v1/cases/${(await t.db.query(`SELECT case_id FROM import_batch_case WHERE batch_id = $1 AND row = 7`, [checked.id])).rows[0].case_id}`);
    expect(read.body.person).toMatchObject({ givenName: 'فاطمةi', familyName: 'العلويi', phone: `066${String('i'.charCodeAt(0) % 100).padStart(2, '0')}234503`, birthDate: '1998-06-05' });

    const undone = await sup.post(`/api/v1/imports/cases/${checked.id}/undo`);
    expect([undone.status, undone.body.status]).toEqual([200, 'undone']);
    expect(await counts()).toEqual(before);
    expect(await counters()).toEqual(countersBefore);
    const audit = (await t.db.query(`SELECT action, entity, entity_id FROM audit_event WHERE entity = 'import' AND entity_id = $1 ORDER BY created_at`, [checked.id])).rows;
    expect(audit.map((a) => a.action)).toEqual(['create', 'import', 'undo']);
    expect(Number((await t.db.query(`SELECT count(*) FROM audit_event`)).rows[0].count)).toBeGreaterThanOrEqual(auditBefore + 3);
    expect((await sup.post(`/api/v1/imports/cases/${checked.id}/undo`)).body.code).toBe('IMPORT_NOT_UNDOABLE');
  });

  it('refuses to undo once someone worked on an imported case, or after the window', async () => {
    const sup = await t.as(DEMO.supervisorOujda);
    const checked = (await upload(DEMO.supervisorOujda, await registerXlsx('k', existing.phone), 'registre.xlsx')).body;
    await sup.post(`/api/v1/imports/cases/${checked.id}/run`);
    await untilSettled(checked.id);
    const caseId = (await t.db.query(`SELECT case_id FROM import_batch_case WHERE batch_id = $1 ORDER BY row LIMIT 1`, [checked.id])).rows[0].case_id;
    const added = await sup.post(`/api/v1/cases/${caseId}/sessions`).send({ sessionDate: '2026-01-05', kind: 'phone', note: 'Appel de suivi' });
    expect([added.status, added.body.code, added.body.errors]).toEqual([201, undefined, undefined]);
    const refused = await sup.post(`/api/v1/imports/cases/${checked.id}/undo`);
    expect([refused.status, refused.body.code]).toEqual([409, 'IMPORT_CHANGED_SINCE']);
    expect((await t.db.query(`SELECT count(*) FROM import_batch_case WHERE batch_id = $1`, [checked.id])).rows[0].count).toBe('4');
    await t.db.query(`UPDATE import_batch SET undo_until = now() - interval '1 minute' WHERE id = $1`, [checked.id]);
    expect((await sup.post(`/api/v1/imports/cases/${checked.id}/undo`)).body.code).toBe('IMPORT_NOT_UNDOABLE');
    // Only a checked batch runs.
    expect((await sup.post(`/api/v1/imports/cases/${checked.id}/run`)).body.code).toBe('IMPORT_NOT_CHECKED');
  });

  it('resumes after an interruption from the last row written, each row once', async () => {
    const svc = t.app.get(CaseImportService);
    svc.chunkRows = 1;
    const sup = await t.as(DEMO.supervisorOujda);
    const checked = (await upload(DEMO.supervisorOujda, await registerXlsx('r', existing.phone), 'registre.xlsx')).body;
    // Hold the unit's 2024 case-number counter: the import stops at row 7, the first case of 2024.
    const blocker = await runUntilRow7(sup, checked.id);
    const stopped = svc.onApplicationShutdown(); // what a restart does first
    await blocker.query('ROLLBACK');
    blocker.release();
    await stopped;
    const mid = (await t.db.query(`SELECT status, rows_done FROM import_batch WHERE id = $1`, [checked.id])).rows[0];
    expect(mid).toEqual({ status: 'running', rows_done: 7 });
    expect((await t.db.query(`SELECT row FROM import_batch_case WHERE batch_id = $1 ORDER BY row`, [checked.id])).rows.map((r) => r.row)).toEqual([5, 6, 7]);
    await svc.onApplicationBootstrap(); // and then the start of the new process
    const done = await untilSettled(checked.id);
    svc.chunkRows = 1000;
    expect(done.status).toBe('done');
    expect(done.imported).toEqual(EXPECTED_SUMMARY.wouldCreate);
    expect((await t.db.query(`SELECT row FROM import_batch_case WHERE batch_id = $1 ORDER BY row`, [checked.id])).rows.map((r) => r.row)).toEqual([5, 6, 7, 13]);
  });

  it('two instances resuming the same import write each row once', async () => {
    const first = t.app.get(CaseImportService);
    // A second instance of the app: its own import worker over the same database.
    const second = new CaseImportService(
      t.app.get(ImportsRepository),
      t.app.get(CaseIntakeService),
      t.app.get(FieldCipher),
      t.app.get(AuditService),
      t.app.get(TransactionHost),
      t.app.get(OrganisationsService),
      t.app.get(UsersService),
    );
    first.chunkRows = 1;
    second.chunkRows = 1;
    const sup = await t.as(DEMO.supervisorOujda);
    const checked = (await upload(DEMO.supervisorOujda, await registerXlsx('d', existing.phone), 'registre.xlsx')).body;
    // Both workers wait on the 2024 case-number counter at row 7, then race for the same rows.
    const blocker = await runUntilRow7(sup, checked.id);
    try {
      await second.onApplicationBootstrap(); // the other instance starts and finds the batch running
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    await Promise.all([first.settled(checked.id), second.settled(checked.id)]);
    await second.onApplicationShutdown();
    first.chunkRows = 1000;
    const done = await untilSettled(checked.id);
    expect(done.status).toBe('done');
    expect(done.imported).toEqual(EXPECTED_SUMMARY.wouldCreate);
    expect((await t.db.query(`SELECT row FROM import_batch_case WHERE batch_id = $1 ORDER BY row`, [checked.id])).rows.map((r) => r.row)).toEqual([5, 6, 7, 13]);
  });

  it('a failure half-way leaves nothing written', async () => {
    const svc = t.app.get(CaseImportService);
    svc.chunkRows = 2;
    const before = await counts();
    const countersBefore = await counters();
    const sup = await t.as(DEMO.supervisorOujda);
    const checked = (await upload(DEMO.supervisorOujda, await registerXlsx('f', existing.phone), 'registre.xlsx')).body;
    // The second chunk (rows 7 and 13) breaks a constraint the database enforces, after the first committed.
    await t.db.query(`ALTER TABLE person ADD CONSTRAINT test_refuses_1998 CHECK (birth_date IS NULL OR birth_date <> '1998-06-05') NOT VALID`);
    try {
      await sup.post(`/api/v1/imports/cases/${checked.id}/run`);
      const failed = await untilSettled(checked.id);
      expect(failed.status).toBe('failed');
    } finally {
      await t.db.query(`ALTER TABLE person DROP CONSTRAINT test_refuses_1998`);
      svc.chunkRows = 1000;
    }
    expect(await counts()).toEqual(before);
    expect(await counters()).toEqual(countersBefore);
    expect((await t.db.query(`SELECT file_enc FROM import_batch WHERE id = $1`, [checked.id])).rows[0].file_enc).toBeNull();
  });
});

describe('past work counts in the indicators', () => {
  it('PSS-1, LIV-1 and LIV-2 for 2019 equal the hand count of the imported sheet', async () => {
    const sup = await t.as(DEMO.supervisorOujda);
    const indicators = async () => {
      const res = await sup.get(`/api/v1/reports/indicators?from=2019-01-01&to=2019-12-31&unit=${oujda}&indicators=PSS-1,LIV-1,LIV-2`);
      expect(res.status).toBe(200);
      return Object.fromEntries((res.body.indicators as Array<{ code: string; total: { value: number | null } }>).map((v) => [v.code, v.total.value]));
    };
    expect(await indicators()).toEqual({ 'PSS-1': 0, 'LIV-1': 0, 'LIV-2': 0 });
    const checked = (await upload(DEMO.supervisorOujda, await pastWorkXlsx('7'), 'seances.xlsx')).body;
    expect(checked.summary).toMatchObject({ rows: 17, valid: 16, errors: 1, duplicatesInSheet: 1, toImport: 15 });
    await sup.post(`/api/v1/imports/cases/${checked.id}/run`).expect(202);
    expect((await untilSettled(checked.id)).status).toBe('done');
    expect(await indicators()).toEqual({ 'PSS-1': 9, 'LIV-1': 6, 'LIV-2': 5 });
  });
});
