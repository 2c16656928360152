import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import unzipper from 'unzipper';
import { ImportErrors } from './imports.errors.js';
import type { Cell } from './register-values.js';

/** One row of a sheet as the user sees it in Excel: its number and its cells (index 0 = column A). */
export interface SheetRow {
  number: number;
  cells: Cell[];
}

export const ENCODINGS = ['utf8', 'utf16le', 'utf16be', 'windows1256', 'windows1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export const isXlsx = (buf: Buffer) => buf.length > 4 && buf.readUInt32BE(0) === 0x504b0304;

/**
 * The encoding of a CSV as Excel writes it in Morocco: a BOM when there is one (UTF-8 « CSV UTF-8 »,
 * UTF-16 « Unicode text »); otherwise UTF-8 if it decodes cleanly, else one of the Windows code
 * pages — 1256 (Arabic, which also holds the French accented letters) when the text has runs of
 * Arabic letters, 1252 (Western) otherwise.
 */
export function detectEncoding(buf: Buffer): Encoding {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return 'utf8';
  if (buf[0] === 0xff && buf[1] === 0xfe) return 'utf16le';
  if (buf[0] === 0xfe && buf[1] === 0xff) return 'utf16be';
  const sample = buf.subarray(0, 8192);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 ? oddZeros++ : evenZeros++;
  if (oddZeros > sample.length / 4) return 'utf16le';
  if (evenZeros > sample.length / 4) return 'utf16be';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return 'utf8';
  } catch {
    const asArabic = iconv.decode(buf.subarray(0, 65536), 'windows1256');
    return /[\u0621-\u064a]{3}/.test(asArabic) ? 'windows1256' : 'windows1252';
  }
}

/** `;` (what Excel writes where the decimal separator is a comma), `,` or a tab: the most frequent outside quotes in the first lines. */
export function detectDelimiter(sample: string): ';' | ',' | '\t' {
  const counts = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  let lines = 0;
  for (const ch of sample) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
    else if (!quoted && ch === '\n' && ++lines > 50) break;
  }
  return (Object.entries(counts).sort((a, b) => b[1] - a[1])[0]![0] as ';' | ',' | '\t');
}

/** A cell of exceljs (rich text, formula results, hyperlinks, errors) → its plain value. */
function plain(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return plain((o.richText as Array<{ text: string }>).map((r) => r.text).join(''));
    if ('result' in o) return plain(o.result);
    if ('text' in o) return plain(o.text);
    if ('error' in o) return null;
  }
  return String(v);
}

/** exceljs's streaming reader, with the parts of it this file drives (exceljs 4.4, not in its types). */
interface PartReader {
  model?: { sheets?: Array<{ rId: string; state?: string }> };
  workbookRels?: Array<{ Id: string; Target: string }>;
  _parseRels(part: Readable): Promise<void>;
  _parseWorkbook(part: Readable): Promise<void>;
  _parseSharedStrings(part: Readable): AsyncGenerator<unknown>;
  _parseStyles(part: Readable): Promise<void>;
  _parseWorksheet(part: Readable, sheetNo: string): Generator<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
}

/**
 * The first visible worksheet (the first tab the user sees), row by row. exceljs's own streaming
 * reader takes the zip's parts in stored order in one pass and, now and then, parses the sheet
 * before the workbook part that names it: about one read in 300 of a file exceljs wrote (our
 * templates among them) threw "reading 'sheets'" and a good sheet was refused as unreadable
 * (exceljs#3064, unfixed in 4.4). It also decodes each chunk of XML on its own, so a letter split
 * across two chunks (any Arabic or accented one) came out as two replacement characters: a name
 * silently changed. Here the zip is opened by its central directory, the parts the sheet depends on
 * are parsed first, the XML reaches exceljs through a stream decoder, and the sheet is still
 * inflated and parsed row by row, never held whole.
 */
async function* xlsxRows(buf: Buffer): AsyncGenerator<SheetRow> {
  const zip = await unzipper.Open.buffer(buf);
  const entry = (path: string) => zip.files.find((f) => f.path.replace(/^\//, '') === path);
  const text = (file: unzipper.File) => file.stream().setEncoding('utf8');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  }) as unknown as PartReader;
  const rels = entry('xl/_rels/workbook.xml.rels');
  const book = entry('xl/workbook.xml');
  if (!rels || !book) throw ImportErrors.unreadable();
  await reader._parseRels(text(rels));
  await reader._parseWorkbook(text(book));
  const strings = entry('xl/sharedStrings.xml');
  if (strings) for await (const _ of reader._parseSharedStrings(text(strings)));
  const styles = entry('xl/styles.xml');
  if (styles) await reader._parseStyles(text(styles));

  // The first tab the user sees: a hidden sheet (lists behind drop-downs, say) is not the register.
  const tabs = reader.model?.sheets ?? [];
  const tab = tabs.find((t) => !t.state || t.state === 'visible') ?? tabs[0];
  const firstTab = reader.workbookRels?.find((r) => r.Id === tab?.rId)?.Target.replace(/^\/?(xl\/)?/, '');
  const sheetNo = /^worksheets\/sheet(\d+)\.xml$/.exec(firstTab ?? '')?.[1];
  const sheet = sheetNo ? entry(`xl/worksheets/sheet${sheetNo}.xml`) : undefined;
  if (!sheetNo || !sheet) throw ImportErrors.unreadable();
  for (const { eventType, value } of reader._parseWorksheet(text(sheet), sheetNo)) {
    if (eventType !== 'worksheet') continue;
    for await (const row of value) {
      const values = row.values as unknown[];
      const cells: Cell[] = [];
      for (let i = 1; i < values.length; i++) cells.push(plain(values[i]));
      yield { number: row.number, cells };
    }
  }
}

/** CSV rows, decoded as a stream; the row number is the record's (what Excel shows when it opens the file). */
async function* csvRows(buf: Buffer, encoding: Encoding): AsyncGenerator<SheetRow> {
  const delimiter = detectDelimiter(iconv.decode(buf.subarray(0, 65536), encoding));
  const parser = Readable.from([buf])
    .pipe(iconv.decodeStream(encoding))
    .pipe(parse({ delimiter, relax_column_count: true, relax_quotes: true, bom: true, skip_empty_lines: false }));
  let number = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    number++;
    yield { number, cells: record.map((c) => (c.trim() === '' ? null : c)) };
  }
}

/** Whatever the parser throws about the file (bad zip, bad XML, bad quoting) is the file's fault: a 422. */
async function* unreadableAs422(rows: AsyncGenerator<SheetRow>): AsyncGenerator<SheetRow> {
  try {
    yield* rows;
  } catch {
    throw ImportErrors.unreadable();
  }
}

/** The rows of an uploaded sheet (XLSX by its signature, CSV otherwise), one at a time. */
export function readSheet(buf: Buffer, encoding?: Encoding): { format: 'xlsx' | 'csv'; encoding: Encoding | null; rows: AsyncGenerator<SheetRow> } {
  if (isXlsx(buf)) return { format: 'xlsx', encoding: null, rows: unreadableAs422(xlsxRows(buf)) };
  const enc = encoding ?? detectEncoding(buf);
  return { format: 'csv', encoding: enc, rows: unreadableAs422(csvRows(buf, enc)) };
}
