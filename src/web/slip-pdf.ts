/// <reference types="pdfkit" />
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { ReferralSlip } from '../referrals/referral-views.service.js';
import { drawText, registerFonts } from '../reporting/exports/pdf-text.js';
import { translatorFor } from './i18n/i18n.js';

export const SLIP_SIZES = ['A5', 'A4'] as const;
export type SlipSize = (typeof SLIP_SIZES)[number];

/** The texts of a slip in its language, shared by the page and the PDF (one wording). */
export function slipLines(slip: ReferralSlip): { title: string; sections: Array<{ label: string; lines: string[]; strong?: boolean; ltr?: boolean }> } {
  const st = translatorFor(slip.language);
  const sep = st.t('common.listSep');
  const colon = st.t('common.colon');
  const range = (h: { opens: string; closes: string }) => st.t('slip.hoursRange', { opens: h.opens, closes: h.closes });
  const todays = slip.hours.filter((h) => h.day === slip.today).map(range);
  const week = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']
    .map((d) => [d, slip.hours.filter((h) => h.day === d)] as const)
    .filter(([, hs]) => hs.length)
    .map(([d, hs]) => `${st.weekday(d)}${colon}${hs.map(range).join(sep)}`);
  const cost = slip.freeOfCharge
    ? st.t('slip.free')
    : slip.costs.length
      ? slip.costs.map((c) => [c.option, c.amount !== null ? `${st.number(c.amount)} ${c.currency ?? ''}`.trim() : ''].filter(Boolean).join(' ')).join(sep)
      : st.t('slip.costUnknown');
  const bring = [st.t('slip.bringThis'), ...slip.documents, ...(slip.noDocumentsRequired && !slip.documents.length ? [st.t('slip.noDocuments')] : [])];
  return {
    title: `${st.t('slip.title')} — ${st.t('app.name')}`,
    sections: [
      { label: st.t('slip.reference'), lines: [slip.reference], strong: true, ltr: true },
      { label: st.t('slip.goTo'), lines: [slip.title ?? st.t('slip.restrictedTitle'), ...(slip.organisationName ? [slip.organisationName] : [])], strong: true },
      ...(slip.address ? [{ label: st.t('slip.address'), lines: [slip.address.join(sep)] }] : []),
      ...(slip.restricted ? [{ label: st.t('slip.address'), lines: [st.t('slip.restricted')] }] : []),
      ...(slip.phones.length ? [{ label: st.t('slip.phone'), lines: slip.phones, ltr: true }] : []),
      { label: st.t('slip.appointment'), lines: [slip.appointmentAt ? `${st.dateTime(slip.appointmentAt)} (${st.t('slip.moroccoTime')})` : st.t('slip.noAppointment')], strong: !!slip.appointmentAt },
      {
        label: st.t('slip.hours'),
        lines: slip.hours.length ? [`${st.t('slip.today', { day: st.weekday(slip.today) })}${colon}${todays.length ? todays.join(sep) : st.t('slip.closedToday')}`, ...week] : [st.t('slip.noHours')],
      },
      { label: st.t('slip.bring'), lines: [bring.join(' ')] },
      { label: st.t('slip.cost'), lines: [cost] },
    ],
  };
}

/** The map link as an inline SVG QR code (for the page). */
export function qrSvg(url: string, label: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then((svg) => svg.replace('<svg ', `<svg role="img" aria-label="${label.replace(/"/g, '&quot;')}" `));
}

/**
 * Writes the slip as a PDF (A5 or A4) into `out`: the same lines as the page, Arabic shaped and
 * laid out right to left by pdf-text's bidi runs, and the map link as a QR code drawn in vectors.
 */
export async function writeSlipPdf(slip: ReferralSlip, size: SlipSize, out: Writable): Promise<void> {
  const margin = size === 'A5' ? 30 : 50;
  const doc = new PDFDocument({ size, margin, info: { Title: `Tawjih — ${slip.reference}`, Author: 'Tawjih' } });
  registerFonts(doc);
  const done = pipeline(doc as unknown as NodeJS.ReadableStream, out);
  const rtl = slip.language === 'ar';
  const width = doc.page.width - 2 * margin;
  const base = size === 'A5' ? 10 : 12;
  const { title, sections } = slipLines(slip);
  let y = drawText(doc, title, { x: margin, y: margin, width, size: base + 6, bold: true, rtl });
  y += 4;
  for (const s of sections) {
    y = drawText(doc, s.label, { x: margin, y, width, size: base - 1, rtl, color: '#555555' });
    // Codes and phone numbers read left to right even on an Arabic slip (aligned to its side).
    for (const line of s.lines) y = drawText(doc, line, { x: margin, y, width, size: s.strong ? base + 2 : base, bold: s.strong, rtl: rtl && !s.ltr, align: rtl ? 'right' : 'left' });
    y += 5;
  }
  if (slip.mapUrl) {
    const qr = QRCode.create(slip.mapUrl, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    const side = size === 'A5' ? 90 : 120;
    const cell = side / n;
    const x0 = rtl ? margin : margin + width - side;
    if (y + side + 30 > doc.page.height - margin) {
      doc.addPage();
      y = margin;
    }
    doc.fillColor('#000000');
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) doc.rect(x0 + c * cell, y + r * cell, cell, cell).fill();
    y = drawText(doc, translatorFor(slip.language).t('slip.map'), { x: margin, y: y + side + 4, width, size: base - 2, rtl, color: '#555555' });
    y = drawText(doc, slip.mapUrl, { x: margin, y, width, size: base - 3, rtl: false, color: '#555555' });
  }
  drawText(doc, translatorFor(slip.language).t('slip.privacy'), { x: margin, y: y + 6, width, size: base - 2, rtl, color: '#555555' });
  doc.end();
  await done;
}
