import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Language } from '../../authorization/actor.js';
import { safeCsvStringify } from '../../common/spreadsheet-cells.js';
import { DISAGGREGATION_LABELS } from '../indicator-catalogue.js';
import { COLUMN_HEADERS, dimensionsOf, flatRows, type Labeller, type ReportTable } from '../report-table.js';

/**
 * Streams the tables as one long-format CSV (UTF-8 with BOM, so spreadsheet programs read the
 * Arabic names) into `out`, and ends it. A row per cell and per margin; a withheld figure carries
 * its mark, never its number.
 */
export async function writeCsv(tables: readonly ReportTable[], label: Labeller, language: Language, out: Writable): Promise<void> {
  const dims = dimensionsOf(tables);
  const h = COLUMN_HEADERS[language];
  const columns = [
    { key: 'indicator', header: h.indicator },
    { key: 'name', header: h.name },
    { key: 'unit', header: h.unit },
    { key: 'sdg', header: h.sdg },
    { key: 'from', header: h.from },
    { key: 'to', header: h.to },
    ...dims.map((d) => ({ key: `dim_${d}`, header: DISAGGREGATION_LABELS[d][language] })),
    { key: 'value', header: h.value },
    { key: 'status', header: h.status },
    { key: 'reason', header: h.reason },
  ];
  function* records() {
    for (const row of flatRows(tables, label, language)) {
      const record: Record<string, unknown> = { ...row, dimensions: undefined };
      for (const d of dims) record[`dim_${d}`] = row.dimensions[d] ?? '';
      yield record;
    }
  }
  await pipeline(Readable.from(records()), safeCsvStringify({ bom: true, header: true, columns }), out);
}
