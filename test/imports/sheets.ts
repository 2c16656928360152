import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

/**
 * A unit's register as units keep them: a merged banner over the header row, mixed French/Arabic
 * headers, dates typed or as Excel serials, Arabic-Indic digits, blank trailing rows. Each row is
 * chosen for what the dry run must say about it (EXPECTED below).
 */
export const HEADERS = [
  'N°',
  'Prénom',
  'النسب',
  'Sexe',
  'تاريخ الازدياد',
  'Nationalité',
  'Téléphone',
  "Date d'ouverture",
  'Besoins',
  'Dates des séances PSS',
  'Résultat insertion',
  'Date insertion',
  'Date de clôture',
  'Motif de clôture',
];

/** `existingPhone`: the phone of a person the unit already follows (row 11 repeats it). */
export function registerRows(tag: string, existingPhone: string, opts: { excel: boolean }) {
  const serial = (iso: string) => Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000);
  const date = (iso: string) => (opts.excel ? new Date(`${iso}T00:00:00Z`) : iso.split('-').reverse().join('/'));
  // Phones unique to the sheet (its tag), so sheets of one test file do not duplicate each other.
  const pair = String(tag.charCodeAt(0) % 100).padStart(2, '0');
  const indic = (digits: string) => digits.replace(/\d/g, (d) => String.fromCharCode(0x660 + Number(d)));
  return [
    // 5: valid; birth date as a date cell, two sessions, two needs
    ['1', `Aminata${tag}`, `Diallo${tag}`, 'F', date('1996-04-12'), 'Guinéenne', `06 61 ${pair} 45 01`, '15/03/2023', 'PSS; Juridique', '20/03/2023; 27/03/2023', '', '', '', ''],
    // 6: valid; Excel serials as plain numbers (CSV: as text)
    ['2', `Mamadou${tag}`, `Traoré${tag}`, 'Homme', opts.excel ? serial('1993-01-02') : String(serial('1993-01-02')), 'Malien', '', opts.excel ? serial('2023-06-01') : String(serial('2023-06-01')), 'Soutien psychosocial', '05/06/2023', '', '', '', ''],
    // 7: valid; Arabic names and values, Arabic-Indic digits
    ['3', `فاطمة${tag}`, `العلوي${tag}`, 'أنثى', '٠٥/٠٦/١٩٩٨', 'مغربية', indic(`066${pair}234503`), '١٢/٠١/٢٠٢٤', 'PSS', '١٩/٠١/٢٠٢٤', '', '', '', ''],
    // 8: errors: sex not recognised (D), impossible birth date (E)
    ['4', `Koffi${tag}`, `Mensah${tag}`, 'X?', '31/02/1990', 'Ghana', '', '02/02/2024', '', '', '', '', '', ''],
    // 9: errors: given name missing (B), opened in the future (H)
    ['5', '', `Sow${tag}`, 'Femme', '', 'Sénégal', '', '01/01/2099', '', '', '', '', '', ''],
    // 10: valid, but the same phone as row 5: a likely duplicate within the sheet
    ['6', `Aminata${tag}`, `Diallo${tag}`, 'Féminin', '', 'Guinée', `+212 661 ${pair} 45 01`, '20/04/2023', '', '', '', '', '', ''],
    // 11: valid, but the phone of a person the unit already follows
    ['7', `Grace${tag}`, `Okafor${tag}`, 'F', '', 'Nigeria', existingPhone, '03/03/2024', '', '', '', '', '', ''],
    // 12: error: closed without a closure reason (N)
    ['8', `Ibrahim${tag}`, `Keita${tag}`, 'M', '', 'Mali', '', '01/09/2023', '', '', '', '', '10/10/2023', ''],
    // 13: valid; a livelihood outcome (LIV-1), closed with a reason
    ['9', `Jean${tag}`, `Mbarga${tag}`, 'ذكر', '', 'Camerounais', '', '10/01/2024', 'Emploi', '', 'Orientation professionnelle', date('2024-05-05'), '30/06/2024', 'Besoins satisfaits'],
  ];
}

export const EXPECTED_SUMMARY = {
  rows: 9,
  valid: 6,
  errors: 3,
  duplicatesExisting: 1,
  duplicatesInSheet: 1,
  toImport: 4,
  wouldCreate: { persons: 4, cases: 4, needs: 5, sessions: 4, deliveries: 5 },
};

/** Every issue of the dry run, in sheet order (the existing case's code filled in by the test). */
export const expectedIssues = (existingCode: string) => [
  { row: 8, column: 'D', field: 'sex', code: 'unknown_value', kind: 'error' },
  { row: 8, column: 'E', field: 'birthDate', code: 'bad_date', kind: 'error' },
  { row: 9, column: 'B', field: 'givenName', code: 'required', kind: 'error' },
  { row: 9, column: 'H', field: 'openedOn', code: 'future_date', kind: 'error' },
  { row: 10, column: null, field: null, code: 'duplicate_in_sheet', kind: 'warning', otherRow: 5 },
  { row: 11, column: null, field: null, code: 'duplicate_existing', kind: 'warning', caseCode: existingCode },
  { row: 12, column: 'N', field: 'closureReason', code: 'closure_reason_required', kind: 'error' },
];

/** The register as an XLSX written by exceljs: banner merged over A1:N1, a subtitle, a blank row, header on row 4. */
export async function registerXlsx(tag: string, existingPhone: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Registre 2023-2024');
  ws.addRow(["Registre des bénéficiaires – Unité d'écoute Oujda / سجل المستفيدين"]);
  ws.mergeCells('A1:N1');
  ws.addRow(['Période : 2023 – 2024']);
  ws.mergeCells('A2:F2');
  ws.addRow([]);
  ws.addRow(HEADERS).font = { bold: true };
  for (const r of registerRows(tag, existingPhone, { excel: true })) {
    const row = ws.addRow(r);
    row.eachCell((c) => {
      if (c.value instanceof Date) c.numFmt = 'dd/mm/yyyy';
    });
  }
  // Blank trailing rows that were formatted once (borders), as registers have.
  for (let i = 0; i < 5; i++) ws.addRow(['', '', '', '']).eachCell({ includeEmpty: true }, (c) => (c.border = { bottom: { style: 'thin' } }));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The register as a CSV typed by hand: a banner line, `;` or `,` or tabs, blank trailing lines, in an encoding. */
export function registerCsv(tag: string, existingPhone: string, encoding: 'utf8-bom' | 'utf16le' | 'windows1256', delimiter: ';' | ',' | '\t'): Buffer {
  const quote = (v: string) => (v.includes(delimiter) || v.includes('"') || v.includes('\n') ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [
    `Registre des bénéficiaires – Unité d'écoute Oujda${delimiter.repeat(13)}`,
    'Période : 2023 – 2024',
    '',
    HEADERS.map(quote).join(delimiter),
    ...registerRows(tag, existingPhone, { excel: false }).map((r) => (r as string[]).map(quote).join(delimiter)),
    delimiter.repeat(13),
    '',
    '',
  ];
  const text = lines.join('\r\n');
  if (encoding === 'utf8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  if (encoding === 'utf16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]);
  // Windows-1256 has neither « – » nor the Arabic-Indic digits: such a file holds a hyphen and Western digits.
  return iconv.encode(text.replace(/–/g, '-').replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660)), 'windows1256');
}

/**
 * A sheet of past work for the indicators: who had psychosocial sessions and livelihood outcomes
 * when. Hand count for 2019: PSS-1 = 9 persons (8 with 2019 sessions only, 1 with 2018 and 2019;
 * the 2 with 2018 sessions only, the row in error and the repeated row do not count); LIV-1
 * (career counselling) = 6 persons; LIV-2 (start-up support) = 5 persons.
 */
export async function pastWorkXlsx(tag: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Séances');
  ws.addRow(['Suivi psychosocial et insertion — 2018-2019']);
  ws.mergeCells('A1:H1');
  ws.addRow(['Prénom', 'Nom', 'Sexe', "Date d'ouverture", 'Dates des séances PSS', 'Résultat insertion', 'Date insertion', 'Téléphone']);
  const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
  const rows: unknown[][] = [];
  for (let i = 1; i <= 8; i++) rows.push([`Pss${i}${tag}`, 'X', i % 2 ? 'F' : 'M', d('2019-01-10'), `${10 + i}/02/2019; ${10 + i}/03/2019`, i <= 6 ? 'Orientation professionnelle' : '', i <= 6 ? d('2019-04-01') : null, `0700${tag}${i}`.padEnd(10, '0')]);
  rows.push([`Both${tag}`, 'X', 'F', d('2018-11-02'), '05/12/2018; 07/01/2019', 'Appui au démarrage', d('2019-05-05'), '']);
  for (let i = 1; i <= 2; i++) rows.push([`Old${i}${tag}`, 'X', 'M', d('2018-03-01'), '10/03/2018', 'Orientation professionnelle', d('2018-06-01'), '']);
  for (let i = 1; i <= 4; i++) rows.push([`Start${i}${tag}`, 'X', 'F', d('2019-02-01'), '', 'Appui au démarrage', d('2019-06-0' + i), '']);
  rows.push([`Bad${tag}`, 'X', '?', d('2019-01-10'), '11/02/2019', '', null, '']); // sex unreadable: not imported
  rows.push([`Pss1${tag}`, 'X', 'F', d('2019-01-10'), '20/02/2019', '', null, `0700${tag}1`.padEnd(10, '0')]); // same phone as row 3: skipped
  for (const r of rows) {
    const row = ws.addRow(r);
    row.eachCell((c) => {
      if (c.value instanceof Date) c.numFmt = 'dd/mm/yyyy';
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
