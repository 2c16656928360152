import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Language } from '../../authorization/actor.js';
import { neutraliseRow } from '../../common/spreadsheet-cells.js';
import { DISAGGREGATION_LABELS, indicator } from '../indicator-catalogue.js';
import { COLUMN_HEADERS, SUPPRESSION_NOTE, dimensionsOf, flatRows, type Labeller, type ReportTable } from '../report-table.js';

const ABOUT: Record<Language, { sheet: string; data: string; definition: string; note: string }> = {
  en: { sheet: 'About', data: 'Indicators', definition: 'Definition', note: 'Small numbers' },
  fr: { sheet: 'À propos', data: 'Indicateurs', definition: 'Définition', note: 'Petits effectifs' },
  ar: { sheet: 'حول', data: 'المؤشرات', definition: 'التعريف', note: 'الأعداد الصغيرة' },
};

/**
 * Streams an XLSX workbook into `out` (exceljs' streaming writer: rows are committed as they are
 * written, so memory does not grow with the table). Sheet 1 holds the long-format figures
 * (numbers as numbers, withheld figures as their mark); sheet 2 the definitions and the note on
 * small numbers.
 */
export async function writeXlsx(
  tables: readonly ReportTable[],
  label: Labeller,
  language: Language,
  threshold: number,
  out: Writable,
): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Tawjih';
  const rtl = language === 'ar';
  const dims = dimensionsOf(tables);
  const h = COLUMN_HEADERS[language];

  const data = wb.addWorksheet(ABOUT[language].data, { views: [{ rightToLeft: rtl, state: 'frozen', ySplit: 1 }] });
  const header = data.addRow(neutraliseRow([h.indicator, h.name, h.unit, h.sdg, h.from, h.to, ...dims.map((d) => DISAGGREGATION_LABELS[d][language]), h.value, h.status, h.reason]));
  header.font = { bold: true };
  header.commit();
  for (const r of flatRows(tables, label, language)) {
    data.addRow(neutraliseRow([r.indicator, r.name, r.unit, r.sdg, r.from, r.to, ...dims.map((d) => r.dimensions[d] ?? ''), r.value, r.status, r.reason])).commit();
  }
  data.commit();

  const about = wb.addWorksheet(ABOUT[language].sheet, { views: [{ rightToLeft: rtl }] });
  about.addRow([h.indicator, h.name, ABOUT[language].definition, h.sdg]).commit();
  for (const code of new Set(tables.map((t) => t.indicator))) {
    const def = indicator(code);
    about.addRow(neutraliseRow([def.code, def.name[language], def.definition[language], def.sdg.join(' ')])).commit();
  }
  about.addRow([]).commit();
  about.addRow([ABOUT[language].note, SUPPRESSION_NOTE[language](threshold)]).commit();
  about.commit();
  await wb.commit();
}
