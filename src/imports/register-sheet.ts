import { fieldOfHeader, isRegisterField, REQUIRED_FIELDS, type RegisterField } from './register-fields.js';
import type { Cell } from './register-values.js';
import type { SheetRow } from './sheet-reader.js';
import { columnLetter } from './text.js';
import { ImportErrors } from './imports.errors.js';

export interface Column {
  index: number;
  letter: string;
  header: string;
  field: RegisterField | null;
}

export interface RegisterSheet {
  headerRow: number;
  columns: Column[];
  /** The data rows after the header, blank rows left out, as cells by field. */
  rows: AsyncGenerator<{ number: number; cells: Partial<Record<RegisterField, Cell>> }>;
}

const HEADER_SEARCH_ROWS = 30;
const cellText = (c: Cell) => (c === null ? '' : c instanceof Date ? '' : String(c).trim());

/**
 * Finds the header row below any banner (title rows, merged cells: one filled cell, or none
 * recognisable) and maps its columns: `explicit` (column letter → field, "" to ignore) over the
 * unit's `remembered` titles over the headers the app knows in fr/ar/en.
 * A field is taken by its first column only.
 */
export async function openRegister(
  rows: AsyncGenerator<SheetRow>,
  remembered: (header: string) => string | undefined,
  explicit: Record<string, string> = {},
  fixed?: { headerRow: number; columns: Record<string, string> },
): Promise<RegisterSheet> {
  const fieldOf = (header: string): RegisterField | undefined => {
    if (!header) return undefined;
    const r = remembered(header);
    return isRegisterField(r) ? r : fieldOfHeader(header);
  };
  let header: SheetRow | undefined;
  for (let n = 0; n < HEADER_SEARCH_ROWS; n++) {
    const next = await rows.next();
    if (next.done) break;
    const row = next.value;
    if (fixed ? row.number === fixed.headerRow : row.cells.filter((c) => fieldOf(cellText(c))).length >= 2) {
      header = row;
      break;
    }
  }
  if (!header) throw ImportErrors.noHeader();
  const taken = new Set<RegisterField>();
  const columns: Column[] = header.cells.map((c, index) => {
    const letter = columnLetter(index + 1);
    const text = cellText(c);
    let field: RegisterField | null = null;
    if (fixed) field = (fixed.columns[String(index)] as RegisterField | undefined) ?? null;
    else if (letter in explicit) field = isRegisterField(explicit[letter]) ? explicit[letter] : null;
    else field = fieldOf(text) ?? null;
    if (field && taken.has(field)) field = null;
    if (field) taken.add(field);
    return { index, letter, header: text, field };
  });
  if (!fixed) {
    const missing = REQUIRED_FIELDS.filter((f) => !taken.has(f));
    if (missing.length) throw ImportErrors.missingColumns(missing);
  }
  const mapped = columns.filter((c): c is Column & { field: RegisterField } => c.field !== null);
  async function* data() {
    for await (const row of rows) {
      if (row.cells.every((c) => c === null || cellText(c) === '')) continue;
      const cells: Partial<Record<RegisterField, Cell>> = {};
      for (const c of mapped) cells[c.field] = row.cells[c.index] ?? null;
      yield { number: row.number, cells };
    }
  }
  return { headerRow: header.number, columns, rows: data() };
}

/** Explicit mapping from the request: JSON of column letter → field ("" ignores the column). */
export function parseMapping(json: string | undefined): Record<string, string> {
  if (!json) return {};
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    throw ImportErrors.badMapping();
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw ImportErrors.badMapping();
  for (const [k, f] of Object.entries(v)) if (!/^[A-Z]{1,3}$/.test(k) || typeof f !== 'string' || (f !== '' && !isRegisterField(f))) throw ImportErrors.badMapping();
  return v as Record<string, string>;
}
