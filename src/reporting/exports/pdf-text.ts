/// <reference types="pdfkit" />
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as bidiModule from 'bidi-js';

/**
 * Text in PDFKit for three languages. Latin text uses Noto Sans (`@embedpdf/fonts-latin`), embedded.
 * Arabic needs a font with Arabic glyphs — Noto Naskh Arabic, shipped by the
 * `@embedpdf/fonts-arabic` package so no system font is assumed — and needs two things PDFKit does
 * not do on its own for mixed text: the Unicode bidirectional algorithm (UBA), so that numbers,
 * codes and punctuation sit where an Arabic reader expects them, and a font switch between
 * Arabic and Latin runs. Shaping (joining forms, lam-alef) is done by fontkit inside PDFKit, which
 * also reverses a run of Arabic script itself: runs are therefore handed over in logical order.
 */

// The package exports only its JS entry; the fonts sit beside it (package.json "files": fonts/*.ttf).
const fontDir = join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-arabic')), '..', 'fonts');
export const ARABIC_FONT_FILE = join(fontDir, 'NotoNaskhArabic-Regular.ttf');
export const ARABIC_BOLD_FONT_FILE = join(fontDir, 'NotoNaskhArabic-Bold.ttf');
// Latin text in Noto Sans, embedded (subset) like the Arabic: the PDF standard Helvetica is not
// embedded, so each viewer drew it with its own substitute and its own widths (gaps inside words
// such as « REF-OUJ -2026 » where the substitute's letters are narrower than Helvetica's).
const latinDir = join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-latin')), '..', 'fonts');
export const LATIN_FONT_FILE = join(latinDir, 'NotoSans-Regular.ttf');
export const LATIN_BOLD_FONT_FILE = join(latinDir, 'NotoSans-Bold.ttf');

// bidi-js is CommonJS with an ESM-style typing: find the factory whichever way it was loaded.
type BidiFactory = () => bidiModule.Bidi;
const loaded = bidiModule as unknown as { default?: BidiFactory | { default?: BidiFactory } };
const factory = (typeof loaded.default === 'function' ? loaded.default : (loaded.default?.default ?? (bidiModule as unknown as BidiFactory))) as BidiFactory;
const bidi = factory();
const ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
export const hasArabic = (s: string) => ARABIC.test(s);

export interface Fonts {
  latin: string;
  arabic: string;
}
export const REGULAR: Fonts = { latin: 'tawjih-latin', arabic: 'tawjih-arabic' };
export const BOLD: Fonts = { latin: 'tawjih-latin-bold', arabic: 'tawjih-arabic-bold' };

export function registerFonts(doc: PDFKit.PDFDocument): void {
  doc.registerFont(REGULAR.latin, LATIN_FONT_FILE);
  doc.registerFont(BOLD.latin, LATIN_BOLD_FONT_FILE);
  doc.registerFont(REGULAR.arabic, ARABIC_FONT_FILE);
  doc.registerFont(BOLD.arabic, ARABIC_BOLD_FONT_FILE);
}

interface Run {
  text: string;
  font: string;
}

/**
 * The runs of one line in visual order (left to right), each with its font and the text to hand
 * to PDFKit. `rtl`: the paragraph direction.
 */
export function visualRuns(line: string, rtl: boolean, fonts: Fonts): Run[] {
  if (!line) return [];
  const embedding = bidi.getEmbeddingLevels(line, rtl ? 'rtl' : 'ltr');
  const levels = embedding.levels;
  const order = Array.from(line, (_, i) => i);
  // Note: Array.from(line) splits by code point; the texts here are in the BMP, so indices match.
  for (const [start, end] of bidi.getReorderSegments(line, embedding)) {
    const flipped = order.slice(start, end + 1).reverse();
    order.splice(start, flipped.length, ...flipped);
  }
  const runs: { idx: number[]; level: number; arabic: boolean }[] = [];
  for (const i of order) {
    const level = levels[i]!;
    const arabic = ARABIC.test(line[i]!) || (level % 2 === 1 && /\s/.test(line[i]!) && hasArabicNeighbour(line, i));
    const last = runs.at(-1);
    const step = level % 2 ? -1 : 1;
    if (last && last.level === level && last.arabic === arabic && last.idx.at(-1)! + step === i) last.idx.push(i);
    else runs.push({ idx: [i], level, arabic });
  }
  return runs.flatMap((r): Run[] => {
    if (r.arabic) {
      // fontkit shapes and lays out one Arabic word right to left itself, but loses the width of
      // spaces inside a reversed run: hand it single words (logical order), words in visual order.
      const logical = [...r.idx].sort((a, b) => a - b).map((i) => line[i]).join('');
      return logical
        .split(/(\s+)/)
        .filter(Boolean)
        .reverse()
        .map((part) => ({ text: part, font: /^\s+$/.test(part) ? fonts.latin : fonts.arabic }));
    }
    const text = r.idx.map((i) => (r.level % 2 ? (bidi.getMirroredCharacter(line[i]!) ?? line[i]) : line[i])).join('');
    return [{ text, font: fonts.latin }];
  });
}

function hasArabicNeighbour(line: string, i: number): boolean {
  return ARABIC.test(line[i - 1] ?? '') && ARABIC.test(line[i + 1] ?? '');
}

export function lineWidth(doc: PDFKit.PDFDocument, runs: Run[], size: number): number {
  return runs.reduce((w, r) => w + doc.font(r.font).fontSize(size).widthOfString(r.text), 0);
}

/** Words of a paragraph broken into lines no wider than `width` (measured per script). */
export function wrap(doc: PDFKit.PDFDocument, text: string, width: number, size: number, fonts: Fonts, rtl: boolean): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let current = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = current ? `${current} ${word}` : word;
      const w = lineWidth(doc, visualRuns(candidate, rtl, fonts), size);
      if (w > width && current) {
        lines.push(current);
        current = word;
      } else current = candidate;
    }
    lines.push(current);
  }
  return lines;
}

export interface TextBox {
  x: number;
  y: number;
  width: number;
  size: number;
  align?: 'left' | 'right' | 'center';
  bold?: boolean;
  rtl: boolean;
  color?: string;
}

/** Draws (wrapped) text; returns the y below it. Arabic and mixed lines go through visualRuns. */
export function drawText(doc: PDFKit.PDFDocument, text: string, box: TextBox): number {
  const fonts = box.bold ? BOLD : REGULAR;
  const lineHeight = box.size * (box.rtl || hasArabic(text) ? 1.7 : 1.3);
  let y = box.y;
  doc.fillColor(box.color ?? '#222222');
  for (const line of wrap(doc, text, box.width, box.size, fonts, box.rtl)) {
    const runs = visualRuns(line, box.rtl, fonts);
    const w = lineWidth(doc, runs, box.size);
    const align = box.align ?? (box.rtl ? 'right' : 'left');
    let x = align === 'left' ? box.x : align === 'right' ? box.x + box.width - w : box.x + (box.width - w) / 2;
    for (const r of runs) {
      doc.font(r.font).fontSize(box.size).text(r.text, x, y, { lineBreak: false });
      x += doc.widthOfString(r.text);
    }
    y += lineHeight;
  }
  doc.fillColor('#222222');
  return y;
}
