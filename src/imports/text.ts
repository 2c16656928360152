import { foldText } from '../vocabulary/index.js';

/** Text folding shared by header and value matching: what differs between two spellings of one word in a sheet. */

const ARABIC_INDIC = /[\u0660-\u0669\u06F0-\u06F9]/g;

/** ٠١٢٣ and ۰۱۲۳ → 0123 (sheets typed on Arabic keyboards). */
export const westernDigits = (s: string) => s.replace(ARABIC_INDIC, (d) => String((d.charCodeAt(0) & 0xf) % 10));

/** Case, accents, punctuation, Arabic letter forms and digits do not matter (the vocabulary's folding). */
export const fold = foldText;

/** A, B, …, Z, AA: the column letter a spreadsheet user sees (1-based index). */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
