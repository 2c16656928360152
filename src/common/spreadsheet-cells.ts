import { stringify, type Options, type Stringifier } from 'csv-stringify';

/**
 * CSV and spreadsheet injection (OWASP "CSV Injection"): a cell that starts with `=`, `+`, `-`, `@`,
 * a tab or a carriage return is read as a formula by spreadsheet programs. A place, unit or service
 * name typed by a user may start so; it is written with a leading `'`, which shows it as text.
 * Every export writes its cells through here.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell<T>(value: T): T | string {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/** A row of cells, each neutralised (XLSX rows). */
export const neutraliseRow = (cells: readonly unknown[]): unknown[] => cells.map(neutraliseCell);

/** csv-stringify with every string cell neutralised (the header too). */
export function safeCsvStringify(options: Options): Stringifier {
  return stringify({ ...options, cast: { ...options.cast, string: (v) => neutraliseCell(v) } });
}
