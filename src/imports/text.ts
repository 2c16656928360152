/** Text folding shared by header and value matching: what differs between two spellings of one word in a sheet. */

const ARABIC_INDIC = /[\u0660-\u0669\u06F0-\u06F9]/g;

/** ٠١٢٣ and ۰۱۲۳ → 0123 (sheets typed on Arabic keyboards). */
export const westernDigits = (s: string) => s.replace(ARABIC_INDIC, (d) => String((d.charCodeAt(0) & 0xf) % 10));

/**
 * Case, accents, punctuation, spacing, Arabic letter variants (أ إ آ → ا, ة → ه, ى → ي), tatweel
 * and harakat do not matter.
 */
export function fold(s: string): string {
  return westernDigits(s)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/\u0640/g, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ة/g, 'ه')
    .replace(/ى/g, 'ي')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A, B, …, Z, AA: the column letter a spreadsheet user sees (1-based index). */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
