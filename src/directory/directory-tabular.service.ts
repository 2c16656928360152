import { Injectable } from '@nestjs/common';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { DirectoryImportService, type UpsertReport } from './directory-import.service.js';
import { DirectoryErrors } from './directory.errors.js';
import { filesOf, locate, readTables, servicesOf, TabularError, tabularZip } from './hsds-tabular.js';
import { readSheet, type SheetRow } from '../imports/sheet-reader.js';
import { columnName, existingByName, findHeader, servicesFromSheet, sheetFieldOf } from './services-sheet.js';

/** A services sheet is one row per service: a region's map is a few hundred. */
const SHEET_MAX_ROWS = 5000;

export interface TabularReport extends Omit<UpsertReport, 'errors' | 'services'> {
  services: Array<{ row: number; id: string; action: 'create' | 'update' }>;
  errors: Array<{ table: string; row: number; column: string; id?: string; message: string }>;
}

/**
 * The directory in HSDS tabular form (datapackage.json + CSVs, zipped): the same services as the
 * NDJSON export, and an import through the same matching, validation and all-or-nothing write,
 * whose report names each error's table, row (line of the CSV, the header being line 1) and column.
 */
@Injectable()
export class DirectoryTabularService {
  constructor(private readonly ndjson: DirectoryImportService) {}

  async exportZip(ability: AppAbility, actor: Actor): Promise<Uint8Array> {
    const services: Array<Record<string, unknown>> = [];
    for await (const s of this.ndjson.exportObjects(ability, actor)) services.push(s);
    return tabularZip(services);
  }

  async import(ability: AppAbility, actor: Actor, uploads: Array<{ name: string; data: Uint8Array }>, dryRun: boolean): Promise<TabularReport> {
    if (!uploads.length || uploads.every((u) => !u.data.length)) throw DirectoryErrors.tabularNoFile();
    let rebuilt: ReturnType<typeof servicesOf>;
    try {
      rebuilt = servicesOf(readTables(filesOf(uploads)));
    } catch (e) {
      if (!(e instanceof TabularError)) throw e;
      throw {
        unreadable: DirectoryErrors.tabularUnreadable,
        too_large: DirectoryErrors.tabularTooLarge,
        no_services: DirectoryErrors.tabularNoServices,
        datapackage_invalid: DirectoryErrors.tabularDatapackageInvalid,
        csv_invalid: () => DirectoryErrors.tabularCsvInvalid(e.table ?? 'services', e.row),
      }[e.code]();
    }
    const { services, origins } = rebuilt;
    const report = await this.ndjson.upsert(ability, actor, services.map((s) => ({ record: s.row, value: s.value })), { dryRun });
    const byRow = new Map(services.map((s) => [s.row, s.value]));
    const errors = report.errors.map(({ record, id, field, message }) => ({ ...locate(byRow.get(record)!, field, origins), ...(id ? { id } : {}), message }));
    if (!dryRun && errors.length) throw DirectoryErrors.importInvalid(errors);
    return { ...report, services: report.services.map(({ record, ...s }) => ({ row: record, ...s })), errors };
  }

  /**
   * A services sheet (XLSX or CSV in any of the encodings Excel writes): rows matched to the
   * services the caller manages by organisation and service name, then the same upsert. Cells that
   * do not read are reported with the row and column the user sees; any error and nothing is written.
   */
  async importSheet(ability: AppAbility, actor: Actor, file: Buffer | undefined, dryRun: boolean): Promise<TabularReport> {
    if (!file?.length) throw DirectoryErrors.tabularNoFile();
    const rows: SheetRow[] = [];
    for await (const r of readSheet(file).rows) {
      rows.push(r);
      if (rows.length > SHEET_MAX_ROWS) throw DirectoryErrors.sheetTooLarge(SHEET_MAX_ROWS);
    }
    const cols = findHeader(rows);
    if (!cols) throw DirectoryErrors.sheetNoHeader();
    const managed: Array<Record<string, unknown>> = [];
    for await (const s of this.ndjson.exportObjects(ability, actor)) managed.push(s);
    const { records, errors: cellErrors } = servicesFromSheet(rows, cols, existingByName(managed));
    if (!records.length && !cellErrors.length) throw DirectoryErrors.sheetEmpty();
    const failed = new Set(cellErrors.map((e) => e.row));
    const report = await this.ndjson.upsert(ability, actor, records.filter((r) => !failed.has(r.row)).map((r) => ({ record: r.row, value: r.value })), { dryRun: dryRun || failed.size > 0 });
    const headers = rows.find((r) => r.number === cols.headerRow)!.cells;
    const errors = [
      ...cellErrors.map((e) => ({ table: 'sheet', ...e })),
      ...report.errors.map(({ record, id, field, message }) => ({ table: 'sheet', row: record, column: columnName(cols, sheetFieldOf(field), headers), ...(id ? { id } : {}), message })),
    ].sort((a, b) => a.row - b.row);
    if (!dryRun && errors.length) throw DirectoryErrors.importInvalid(errors);
    return { ...report, dryRun, services: report.services.map(({ record, ...s }) => ({ row: record, ...s })), errors };
  }
}
