import ExcelJS from 'exceljs';
import type { Language } from '../authorization/actor.js';
import { templateHeaders } from './register-fields.js';

/** An empty register with the header row the import recognises, in the reader's language. */
export async function registerTemplate(lang: Language): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(lang === 'ar' ? 'السجل' : lang === 'en' ? 'Register' : 'Registre', { views: [{ state: 'frozen', ySplit: 1, rightToLeft: lang === 'ar' }] });
  const headers = templateHeaders(lang);
  ws.addRow(headers).font = { bold: true };
  headers.forEach((h, i) => (ws.getColumn(i + 1).width = Math.max(14, h.length + 4)));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
