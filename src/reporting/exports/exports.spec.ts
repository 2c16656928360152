import { codeFromLabel, label as codeLabel } from '../../vocabulary/index.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Ajv } from 'ajv';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { INDICATORS } from '../indicator-catalogue.js';
import { narrative } from '../narrative.js';
import { labellerFrom, type ReportTable } from '../report-table.js';
import { Disclosure, withSummedMargins, type Entry } from '../disclosure.js';
import { writeCsv } from './csv.export.js';
import { dhis2MappingSchema, dhis2Period, toDataValueSet } from './dhis2.export.js';
import { writeRegionalReport, type RegionalReportData } from './regional-report.pdf.js';
import { writeXlsx } from './xlsx.export.js';

/** Collects what a stream writer produced. */
function sink(): { stream: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  });
  return { stream, bytes: () => Buffer.concat(chunks) };
}

const PROVINCE_ID = '3b7f0c64-6a57-4e0e-9f4e-0d3f2a0b1c11';
const label = labellerFrom(new Map([[PROVINCE_ID, { fr: 'Oujda-Angad', ar: 'وجدة أنكاد' }]]));

// PSS-1 by sex × age band: one small cell (female 0-17 = 3) that must be withheld with partners.
const pssCells: Entry[] = [
  { coord: ['female', '0-17'], value: 3 },
  { coord: ['female', '18-24'], value: 12 },
  { coord: ['female', '25-59'], value: 40 },
  { coord: ['male', '0-17'], value: 9 },
  { coord: ['male', '18-24'], value: 15 },
  { coord: ['male', '25-59'], value: 22 },
];
const pss: ReportTable = {
  indicator: 'PSS-1',
  by: ['sex', 'age_band'],
  from: '2026-01-01',
  to: '2026-03-31',
  entries: new Disclosure(5, 'en').counts(withSummedMargins(pssCells)),
};
const ref: ReportTable = {
  indicator: 'REF-1',
  by: ['province'],
  from: '2026-01-01',
  to: '2026-03-31',
  entries: new Disclosure(5, 'en').counts(withSummedMargins([{ coord: [PROVINCE_ID], value: 57 }])),
};
const TABLES = [pss, ref];
const truth = (t: ReportTable) => new Map(t.entries.map((e) => [JSON.stringify(e.coord), e]));

describe('exports', () => {
  it('writes a CSV that reads back to the same published figures', async () => {
    const out = sink();
    await writeCsv(TABLES, label, 'fr', out.stream);
    const rows = parse(out.bytes(), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(pss.entries.length + ref.entries.length);
    expect(Object.keys(rows[0]!)).toEqual(['Indicateur', 'Intitulé', 'Unité', 'Cibles ODD', 'Du', 'Au', 'Province', 'Sexe', 'Tranche d’âge', 'Valeur', 'Statut', 'Motif du masquage']);
    const pssRows = rows.filter((r) => r.Indicateur === 'PSS-1');
    const sexFr: Record<string, string> = { Femme: 'female', Homme: 'male', Total: 'null' };
    for (const r of pssRows) {
      const coord = [sexFr[r.Sexe!] === 'null' ? null : sexFr[r.Sexe!], r['Tranche d’âge'] === 'Total' ? null : codeFromLabel('ageBand', r['Tranche d’âge']!)];
      const e = truth(pss).get(JSON.stringify(coord))!;
      expect(r.Valeur).toBe(e.display);
    }
    const small = pssRows.find((r) => r.Sexe === 'Femme' && r['Tranche d’âge'] === '0–17 ans')!;
    expect(small).toMatchObject({ Valeur: '<5', Statut: 'withheld_small', 'Motif du masquage': 'small_count' });
    expect(pssRows.find((r) => r.Sexe === 'Total' && r['Tranche d’âge'] === 'Total')!.Valeur).toBe('101');
    expect(rows.find((r) => r.Indicateur === 'REF-1' && r.Province === 'Oujda-Angad')!.Valeur).toBe('57');
    expect(out.bytes().toString('utf8')).not.toContain(PROVINCE_ID);
  });

  it('writes an XLSX (streamed) that reads back to the same numbers', async () => {
    const out = sink();
    await writeXlsx(TABLES, label, 'en', 5, out.stream);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(out.bytes() as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Indicators')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['Indicator', 'Name', 'Unit', 'SDG targets', 'From', 'To', 'Province', 'Sex', 'Age band', 'Value', 'Status', 'Reason withheld']);
    const read: { code: string; sex: string; age: string; value: unknown }[] = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const v = row.values as unknown[];
      read.push({ code: v[1] as string, sex: v[8] as string, age: v[9] as string, value: v[10] });
    });
    expect(read).toHaveLength(pss.entries.length + ref.entries.length);
    const sexEn: Record<string, string | null> = { Female: 'female', Male: 'male', Total: null };
    for (const r of read.filter((x) => x.code === 'PSS-1')) {
      const e = truth(pss).get(JSON.stringify([sexEn[r.sex], r.age === 'Total' ? null : codeFromLabel('ageBand', r.age)]))!;
      expect(r.value).toEqual(e.value ?? e.display); // numbers stay numbers, withheld cells keep their mark
    }
    expect(read.find((r) => r.code === 'PSS-1' && r.sex === 'Male' && r.age === codeLabel('ageBand', '25-59', 'en'))!.value).toBe(22);
    const about = wb.getWorksheet('About')!;
    expect(JSON.stringify(about.getSheetValues())).toContain('People who accessed psychosocial services');
  });

  describe('formula cells are neutralised (issue #12, finding 9)', () => {
    const HOSTILE = ['=HYPERLINK("http://evil.test","x")', '+SUM(1)', '-2+3', '@cmd', '\tTab', '\rCR'];
    const ids = HOSTILE.map((_, i) => `3b7f0c64-6a57-4e0e-9f4e-0d3f2a0b1c${String(20 + i)}`);
    const hostileLabel = labellerFrom(new Map(ids.map((id, i) => [id, { fr: HOSTILE[i]!, ar: HOSTILE[i]! }])));
    const table: ReportTable = {
      indicator: 'REF-1',
      by: ['province'],
      from: '2026-01-01',
      to: '2026-03-31',
      entries: new Disclosure(5, 'en').counts(withSummedMargins(ids.map((id) => ({ coord: [id], value: 50 })))),
    };

    it('CSV: a place name starting with = + - @ tab or CR is written with a leading quote', async () => {
      const out = sink();
      await writeCsv([table], hostileLabel, 'fr', out.stream);
      const rows = parse(out.bytes(), { bom: true, columns: true }) as Record<string, string>[];
      const provinces = rows.map((r) => r.Province).filter((p) => p !== 'Total');
      expect(provinces.sort()).toEqual(HOSTILE.map((h) => `'${h}`).sort());
      for (const r of rows) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+\-@\t\r]/);
    });

    it('XLSX: the same cells are text with a leading quote, never formulas', async () => {
      const out = sink();
      await writeXlsx([table], hostileLabel, 'en', 5, out.stream);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(out.bytes() as unknown as ArrayBuffer);
      const cells: unknown[] = [];
      wb.getWorksheet('Indicators')!.eachRow((row) => row.eachCell((c) => cells.push(c.value)));
      // XML reads a carriage return back as a line feed.
      for (const h of HOSTILE) expect(cells).toContain(`'${h}`.replace(/\r/g, '\n'));
      for (const v of cells) {
        expect(typeof v === 'object' && v !== null && 'formula' in v).toBe(false);
        if (typeof v === 'string') expect(v).not.toMatch(/^[=+\-@\t\r]/);
      }
    });
  });

  describe('regional report PDF', () => {
    const data = (language: 'fr' | 'en' | 'ar'): RegionalReportData => {
      const shown = { 'PSS-1': '101', 'REF-1': '57', 'REF-2': '71.9', 'GBV-1': '<5', 'CAP-1': '44', 'CAP-1:activities': '1' } as const;
      const figures = Object.fromEntries(Object.entries(shown).map(([k, v]) => [k, { value: /^[\d.]+$/.test(v) ? Number(v) : null, display: v }]));
      return {
        language,
        region: language === 'ar' ? 'الشرق' : "L'Oriental",
        from: '2026-01-01',
        to: '2026-03-31',
        generatedOn: '2026-04-02',
        threshold: 5,
        headline: INDICATORS.map((i) => ({ code: i.code, name: i.name[language], display: shown[i.code as keyof typeof shown] ?? '0', sdg: i.sdg.join(' ') })),
        narrative: narrative(language, { region: language === 'ar' ? 'الشرق' : "L'Oriental", from: '2026-01-01', to: '2026-03-31', figures }),
        byMonth: {
          title: 'PSS-1',
          points: [
            { label: '2026-01', value: 30, display: '30' },
            { label: '2026-02', value: null, display: '<5' },
            { label: '2026-03', value: 67, display: '67' },
          ],
        },
        bySexAndAge: {
          title: 'PSS-1 × sex × age',
          series: ['F', 'M'],
          categories: ['0-17', '18-24', '25-59'],
          values: [
            [{ label: '', value: null, display: '<5' }, { label: '', value: 12, display: '12' }, { label: '', value: 40, display: '40' }],
            [{ label: '', value: 9, display: '9' }, { label: '', value: 15, display: '15' }, { label: '', value: 22, display: '22' }],
          ],
        },
        funnel: { title: 'Referrals', steps: [{ label: 'sent', value: 57, display: '57' }, { label: 'accepted', value: 41, display: '41' }, { label: 'closed', value: 30, display: '30' }] },
        topNeeds: { title: 'Needs', items: [{ label: 'mhpss', value: 80, display: '80' }, { label: 'legal_aid', value: null, display: '<5' }] },
      };
    };
    const pdfText = async (d: RegionalReportData): Promise<string | null> => {
      const out = sink();
      await writeRegionalReport(d, out.stream);
      expect(out.bytes().subarray(0, 5).toString()).toBe('%PDF-');
      const file = join(mkdtempSync(join(tmpdir(), 'tawjih-pdf-')), 'report.pdf');
      writeFileSync(file, out.bytes());
      if (process.env.TAWJIH_KEEP_PDF) writeFileSync(`${process.env.TAWJIH_KEEP_PDF}.${d.language}.pdf`, out.bytes());
      // pdftotext comes from poppler-utils (installed by .ci/run); without it, outside CI, skip.
      try {
        return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      } catch (e) {
        if (process.env.CI || (e as { code?: string }).code !== 'ENOENT') throw e;
        console.warn('PDF text checks skipped: pdftotext (poppler-utils) is not installed');
        return null;
      }
    };

    it.each(['en', 'fr'] as const)('holds every indicator name and its value (%s)', async (language) => {
      const d = data(language);
      const raw = await pdfText(d);
      if (raw === null) return;
      const text = raw.replace(/\s+/g, ' ');
      for (const h of d.headline) {
        expect(text).toContain(h.code);
        // Long names wrap inside their column: check the first words of each name.
        expect(text).toContain(h.name.split(' ').slice(0, 3).join(' '));
      }
      const line = (code: string) => text.slice(text.indexOf(code), text.indexOf(code) + 200);
      expect(line('PSS-1')).toContain('101');
      expect(line('REF-1')).toContain('57');
      expect(text).toContain(language === 'fr' ? '101 personnes ont accédé aux services psychosociaux' : '101 people accessed psychosocial services');
      // One training: the singular, by Intl.PluralRules (not "1 formations ont réuni").
      expect(text).toContain(language === 'fr' ? '1 formation a réuni 44 participant·es' : '1 training brought together 44 participants');
      expect(text).toContain(language === 'fr' ? 'Du 1 janvier 2026 au 31 mars 2026' : 'From 1 January 2026 to 31 March 2026');
      // The monthly chart's axis names its months in words, not as ISO codes.
      expect(text).toContain(language === 'fr' ? 'jan. 26' : 'Jan 26');
      expect(text).not.toContain('2026-01');
      expect(text).toContain('<5');
    });

    it.each(['fr', 'en', 'ar'] as const)('has no letter-spaced capitals, says what each chart breaks down, and draws no chart of withheld figures (%s)', async (language) => {
      const d = data(language);
      const withheld = [{ label: '2026-01', value: null, display: '<5' }, { label: '2026-02', value: 0, display: '0' }, { label: '2026-03', value: null, display: 'x' }];
      const raw = await pdfText({
        ...d,
        byMonth: { title: `REF-1 — ${d.headline.find((h) => h.code === 'REF-1')!.name} — ${{ fr: 'par mois', en: 'by month', ar: 'حسب الشهر' }[language]}`, points: withheld },
        funnel: { title: 'Stages', steps: [{ label: 'REF-3 Stages', value: 57, display: '57' }] },
      });
      if (raw === null) return;
      // "R E F-3", "S tages": a word broken letter by letter in a box too narrow for it.
      expect(raw).not.toMatch(/\b[A-Z] [A-Z] [A-Z]/);
      expect(raw).not.toMatch(/\bS tages/);
      expect(raw).toContain('REF-3');
      expect(raw).toContain({ fr: 'par mois', en: 'by month', ar: 'حسب الشهر' }[language]);
      expect(raw).toContain({ fr: 'Aucun chiffre publiable : pas de graphique.', en: 'No figure that can be published: no chart.', ar: 'رسم بياني' }[language]);
      if (language !== 'ar') expect(raw).toContain(language === 'fr' ? '1 formation a réuni' : '1 training brought together');
    });

    it('writes the Arabic report with Arabic glyphs (shaped, right to left)', async () => {
      const d = data('ar');
      const text = await pdfText(d);
      if (text === null) return;
      if (process.env.TAWJIH_KEEP_PDF) writeFileSync(process.env.TAWJIH_KEEP_PDF, text);
      expect(text).toContain('مؤشرات البرنامج');
      expect(text).toContain('PSS-1');
      expect(text).toContain('101');
      expect(text).toMatch(/خدمات الدعم النفسي/);
    });
  });

  describe('DHIS2 dataValueSets', () => {
    const mapping = dhis2MappingSchema.parse({
      dataSet: 'pBOMPrpg1QX',
      orgUnits: { 'MA-02': 'DiszpKrYNg8' },
      dataElements: {
        'PSS-1': {
          dataElement: 'f7n9E0hX8qk',
          disaggregation: ['sex', 'age_band'],
          categoryOptionCombos: {
            'female|0-17': 'Prlt0C1RF0s',
            'female|18-24': 'V6L425pT3A0',
            'female|25-59': 'hEFKSsPV5et',
            'male|0-17': 'psbwp3CQEhs',
            'male|18-24': 'Gmbgme7z9BF',
            // male|25-59 deliberately unmapped
          },
        },
      },
    });
    // The documented JSON shape (Web API "Sending bulks of data values"), as a schema.
    const schema = {
      type: 'object',
      required: ['dataValues'],
      additionalProperties: false,
      properties: {
        dataSet: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]{10}$' },
        completeDate: { type: 'string' },
        dataValues: {
          type: 'array',
          items: {
            type: 'object',
            required: ['dataElement', 'period', 'orgUnit', 'value'],
            additionalProperties: false,
            properties: {
              dataElement: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]{10}$' },
              period: { type: 'string', pattern: '^(\\d{4}|\\d{6}|\\d{4}Q[1-4])$' },
              orgUnit: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]{10}$' },
              categoryOptionCombo: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]{10}$' },
              attributeOptionCombo: { type: 'string' },
              value: { type: 'string' },
              comment: { type: 'string' },
            },
          },
        },
      },
    };

    it('maps published cells to data element × category option combo and org unit, leaving withheld ones out', () => {
      const period = dhis2Period('2026-01-01', '2026-03-31')!;
      const { payload, skipped } = toDataValueSet([pss], mapping, 'MA-02', period);
      const validate = new Ajv({ allErrors: true }).compile(schema);
      expect(validate(payload)).toBe(true);
      expect(payload.dataSet).toBe('pBOMPrpg1QX');
      const withheld = pss.entries.filter((e) => e.suppressed && !e.coord.includes(null)).length;
      expect(skipped.filter((s) => s.reason === 'withheld')).toHaveLength(withheld);
      expect(skipped).toContainEqual({ indicator: 'PSS-1', coord: ['male', '25-59'], reason: 'no_category_option_combo' });
      for (const dv of payload.dataValues) {
        expect(dv).toMatchObject({ dataElement: 'f7n9E0hX8qk', period: '2026Q1', orgUnit: 'DiszpKrYNg8' });
        expect(dv.value).toMatch(/^\d+$/);
      }
      // Exactly the published inner cells that have a combo, with their numbers.
      const expected = pss.entries
        .filter((e) => !e.suppressed && !e.coord.includes(null) && mapping.dataElements['PSS-1']!.categoryOptionCombos[e.coord.join('|')])
        .map((e) => ({ dataElement: 'f7n9E0hX8qk', period: '2026Q1', orgUnit: 'DiszpKrYNg8', categoryOptionCombo: mapping.dataElements['PSS-1']!.categoryOptionCombos[e.coord.join('|')], value: String(e.value) }));
      expect(expected.length).toBeGreaterThan(0);
      expect(payload.dataValues).toEqual(expected);
      expect(payload.dataValues).toContainEqual({ dataElement: 'f7n9E0hX8qk', period: '2026Q1', orgUnit: 'DiszpKrYNg8', categoryOptionCombo: 'hEFKSsPV5et', value: '40' });
      expect(JSON.stringify(payload)).not.toContain('<5');
    });

    it('names DHIS2 periods and refuses ranges that are none', () => {
      expect(dhis2Period('2026-03-01', '2026-03-31')).toBe('202603');
      expect(dhis2Period('2026-02-01', '2026-02-28')).toBe('202602');
      expect(dhis2Period('2026-04-01', '2026-06-30')).toBe('2026Q2');
      expect(dhis2Period('2026-01-01', '2026-12-31')).toBe('2026');
      expect(dhis2Period('2026-01-05', '2026-01-31')).toBeNull();
      expect(dhis2Period('2026-02-01', '2026-04-30')).toBeNull();
    });

    it('validates the mapping file', () => {
      expect(() => dhis2MappingSchema.parse({ orgUnits: { 'MA-02': 'not a uid' }, dataElements: {} })).toThrow();
      expect(() => dhis2MappingSchema.parse({ orgUnits: {}, dataElements: { 'XXX-1': { dataElement: 'f7n9E0hX8qk' } } })).toThrow();
    });
  });
});
