/// <reference types="pdfkit" />
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import type { Language } from '../../authorization/actor.js';
import { longDate } from '../narrative.js';
import { periodLabel, SUPPRESSION_NOTE } from '../report-table.js';
import { drawText, hasArabic, REGULAR, registerFonts } from './pdf-text.js';

/** A figure as published: the number, or null with its mark (`<5`, `x`). */
export interface Figure {
  label: string;
  value: number | null;
  display: string;
}

/**
 * Everything the regional report shows, already protected and labelled in the report's language.
 * Built by the reporting service from indicator tables; the PDF code only lays it out.
 */
export interface RegionalReportData {
  language: Language;
  region: string;
  from: string;
  to: string;
  generatedOn: string;
  threshold: number;
  /** One line per indicator of the catalogue: name, figure, SDG targets. */
  headline: { code: string; name: string; display: string; sdg: string }[];
  narrative: string;
  byMonth: { title: string; points: Figure[] };
  bySexAndAge: { title: string; series: string[]; categories: string[]; values: Figure[][] };
  funnel: { title: string; steps: Figure[] };
  topNeeds: { title: string; items: Figure[] };
}

const WORDS: Record<Language, { title: string; period: string; generated: string; indicators: string; indicator: string; value: string; sdg: string; note: string; nothing: string }> = {
  fr: { title: 'Rapport régional', period: 'Période', generated: 'Produit le', indicators: 'Indicateurs du programme', indicator: 'Indicateur', value: 'Valeur', sdg: 'ODD', note: 'Petits effectifs', nothing: 'Aucun chiffre publiable : pas de graphique.' },
  en: { title: 'Regional report', period: 'Period', generated: 'Produced on', indicators: 'Programme indicators', indicator: 'Indicator', value: 'Value', sdg: 'SDG', note: 'Small numbers', nothing: 'No figure that can be published: no chart.' },
  ar: { title: 'التقرير الجهوي', period: 'الفترة', generated: 'أنجز في', indicators: 'مؤشرات البرنامج', indicator: 'المؤشر', value: 'القيمة', sdg: 'أهداف التنمية المستدامة', note: 'الأعداد الصغيرة', nothing: 'لا توجد أرقام قابلة للنشر: لا رسم بياني.' },
};

/** Whether a chart would show anything: at least one published figure above zero. */
const publishable = (figures: Figure[]) => figures.some((f) => f.value !== null && f.value > 0);

const PALETTE = ['#1f6f8b', '#e07a5f', '#81b29a', '#f2cc8f', '#3d405b', '#99582a'];
const MARGIN = 50;

/** Writes the regional report as a PDF into `out` (and ends it). */
export async function writeRegionalReport(data: RegionalReportData, out: Writable): Promise<void> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `Tawjih — ${data.region} — ${data.from}/${data.to}`, Author: 'Tawjih' } });
  registerFonts(doc);
  const done = pipeline(doc as unknown as NodeJS.ReadableStream, out);
  const L = new Layout(doc, data.language === 'ar');
  const w = WORDS[data.language];

  L.text(`${w.title} — ${data.region}`, 20, { bold: true });
  const colon = data.language === 'fr' ? ' :' : ':';
  L.text(`${w.period}${colon} ${longDate(data.from, data.language)} – ${longDate(data.to, data.language)} · ${w.generated} ${longDate(data.generatedOn, data.language)}`, 10, { color: '#555555' });
  L.gap(8);
  L.text(data.narrative, 11);
  L.gap(10);

  L.text(w.indicators, 14, { bold: true });
  L.table(
    [w.indicator, '', w.value, w.sdg],
    [0.12, 0.6, 0.12, 0.16],
    data.headline.map((h) => [h.code, h.name, h.display, h.sdg]),
  );

  // A chart only where something can be published; otherwise its title and one sentence.
  const chart = (title: string, figures: Figure[], draw: () => void, space: number) => {
    L.newPageIfBelow(publishable(figures) ? space : 40);
    if (publishable(figures)) return draw();
    L.text(title, 12, { bold: true });
    L.text(w.nothing, 9, { color: '#555555' });
    L.gap(8);
  };
  // The months along the axis in words, short (« jan. 26 »): the points carry their codes (`2026-01`).
  const months = data.byMonth.points.map((p) => periodLabel(p.label, data.language, 'short'));
  if (data.byMonth.title) chart(data.byMonth.title, data.byMonth.points, () => L.barChart(data.byMonth.title, [{ name: '', values: data.byMonth.points }], months, true), 260);
  const { series, categories, values } = data.bySexAndAge;
  if (data.bySexAndAge.title) {
    chart(data.bySexAndAge.title, values.flat(), () => L.barChart(data.bySexAndAge.title, series.map((name, i) => ({ name, values: values[i]! })), categories, false), 260);
  }
  if (data.funnel.steps.length) chart(data.funnel.title, data.funnel.steps, () => L.hbars(data.funnel.title, data.funnel.steps), 200);
  if (data.topNeeds.items.length) chart(data.topNeeds.title, data.topNeeds.items, () => L.hbars(data.topNeeds.title, data.topNeeds.items), 200);

  L.gap(10);
  L.text(`${w.note}: ${SUPPRESSION_NOTE[data.language](data.threshold)}`, 8, { color: '#555555' });
  doc.end();
  await done;
}

/** Page layout that mirrors horizontally for Arabic (tables and labels run right to left). */
class Layout {
  private readonly left = MARGIN;
  private readonly width: number;
  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly rtl: boolean,
  ) {
    this.width = doc.page.width - 2 * MARGIN;
  }

  private get y() {
    return this.doc.y;
  }
  private set y(v: number) {
    this.doc.y = v;
  }

  gap(h: number) {
    this.y += h;
  }

  newPageIfBelow(space: number) {
    if (this.y + space > this.doc.page.height - MARGIN) {
      this.doc.addPage();
      this.y = MARGIN;
    }
  }

  /** x of a box of width w placed at offset `at` from the reading start (left, or right in Arabic). */
  private x(at: number, w: number) {
    return this.rtl ? this.left + this.width - at - w : this.left + at;
  }

  text(s: string, size: number, opts: { bold?: boolean; color?: string } = {}) {
    this.y = drawText(this.doc, s, { x: this.left, y: this.y, width: this.width, size, rtl: this.rtl, ...opts });
  }

  table(header: string[], fractions: number[], rows: string[][]) {
    const cols = fractions.map((f) => f * this.width);
    const draw = (cells: string[], bold: boolean) => {
      this.newPageIfBelow(30);
      let at = 0;
      let bottom = this.y;
      cells.forEach((c, i) => {
        const w = cols[i]!;
        // Codes, figures and SDG targets read left to right even in an Arabic table.
        const rtl = this.rtl && hasArabic(c);
        const end = drawText(this.doc, c, { x: this.x(at, w) + 2, y: this.y, width: w - 4, size: 9, rtl, align: this.rtl ? 'right' : 'left', bold });
        bottom = Math.max(bottom, end);
        at += w;
      });
      this.doc.moveTo(this.left, bottom + 1).lineTo(this.left + this.width, bottom + 1).lineWidth(0.3).strokeColor('#bbbbbb').stroke();
      this.y = bottom + 4;
    };
    draw(header, true);
    for (const r of rows) draw(r, false);
  }

  /** Vertical bars by category (grouped by series), or a line when `line` and one series. */
  barChart(title: string, series: { name: string; values: Figure[] }[], categories: string[], line: boolean) {
    this.text(title, 12, { bold: true });
    const top = this.y + 4;
    const height = 150;
    const plotLeft = this.left + 30;
    const plotWidth = this.width - 30;
    const max = Math.max(1, ...series.flatMap((s) => s.values.map((v) => v.value ?? 0)));
    const doc = this.doc;
    doc.lineWidth(0.5).strokeColor('#888888').moveTo(plotLeft, top).lineTo(plotLeft, top + height).lineTo(plotLeft + plotWidth, top + height).stroke();
    doc.font(REGULAR.latin).fontSize(7).fillColor('#555555').text(String(max), this.left, top - 3, { width: 26, align: 'right' });
    doc.text('0', this.left, top + height - 4, { width: 26, align: 'right' });
    const slot = plotWidth / Math.max(1, categories.length);
    const widest = Math.max(0, ...categories.map((c) => doc.font(REGULAR.latin).fontSize(7).widthOfString(c)));
    const barW = Math.max(2, (slot * 0.7) / Math.max(1, series.length));
    const yOf = (v: number) => top + height - (v / max) * height;
    let previous: [number, number] | null = null;
    categories.forEach((cat, ci) => {
      const slotX = plotLeft + ci * slot;
      series.forEach((s, si) => {
        const f = s.values[ci];
        const x = slotX + slot * 0.15 + si * barW;
        const color = PALETTE[si % PALETTE.length]!;
        if (f?.value !== null && f?.value !== undefined) {
          if (line && series.length === 1) {
            const cx = slotX + slot / 2;
            const cy = yOf(f.value);
            if (previous) doc.moveTo(previous[0], previous[1]).lineTo(cx, cy).lineWidth(1.5).strokeColor(color).stroke();
            doc.circle(cx, cy, 2).fill(color);
            previous = [cx, cy];
          } else {
            doc.rect(x, yOf(f.value), barW - 1, (f.value / max) * height).fill(color);
          }
        } else if (line) previous = null;
        const labelX = line && series.length === 1 ? slotX : x - 4;
        const labelW = line && series.length === 1 ? slot : barW + 8;
        // Short marks only (a number, <5, x), never wrapped: PDFKit breaks a word that does not fit
        // its box letter by letter, which pdftotext reads as "R E F-3".
        const label = f?.display ?? '';
        if (label.length <= 6 && doc.font(REGULAR.latin).fontSize(6).widthOfString(label) <= labelW + 8) {
          doc.fillColor('#333333').text(label, labelX, (f?.value != null ? yOf(f.value) : top + height) - 9, { width: labelW, align: 'center', lineBreak: false });
        }
      });
      // Category labels: as many as fit side by side (every k-th month on a long period), by the widest
      // (month names differ in length: « mai 26 », « sept. 26 »).
      const every = Math.max(1, Math.ceil(widest / (slot - 2)));
      // Under its point or bars when every label fits; from the slot's start when they are thinned.
      if (ci % every === 0) drawText(doc, cat, { x: slotX, y: top + height + 3, width: slot * every, size: 7, rtl: false, align: every === 1 ? 'center' : 'left' });
    });
    let y = top + height + 18;
    if (series.length > 1 || series[0]?.name) {
      let x = plotLeft;
      series.forEach((s, si) => {
        doc.rect(x, y + 2, 8, 8).fill(PALETTE[si % PALETTE.length]!);
        drawText(doc, s.name, { x: x + 11, y, width: 90, size: 8, rtl: false, align: 'left' });
        x += 100;
      });
      y += 16;
    }
    this.y = y + 6;
  }

  /** Horizontal bars with their labels (a funnel, a ranking). */
  hbars(title: string, items: Figure[]) {
    this.text(title, 12, { bold: true });
    const labelW = this.width * 0.35;
    const barArea = this.width * 0.55;
    const max = Math.max(1, ...items.map((i) => i.value ?? 0));
    for (const [i, item] of items.entries()) {
      const y = this.y;
      drawText(this.doc, item.label, { x: this.x(0, labelW), y, width: labelW - 6, size: 9, rtl: this.rtl });
      const len = ((item.value ?? 0) / max) * barArea;
      const barX = this.rtl ? this.x(labelW, barArea) + barArea - len : this.x(labelW, barArea);
      if (item.value) this.doc.rect(barX, y + 2, len, 10).fill(PALETTE[i % PALETTE.length]!);
      const textX = this.rtl ? barX - 50 : barX + len + 4;
      this.doc.font(REGULAR.latin).fontSize(9).fillColor('#222222').text(item.display, textX, y + 2, { width: 46, align: this.rtl ? 'right' : 'left', lineBreak: false });
      this.y = y + 17;
    }
    this.y += 6;
  }
}
