import { Injectable } from '@nestjs/common';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { DirectoryImportService, type UpsertReport } from './directory-import.service.js';
import { DirectoryErrors } from './directory.errors.js';
import { filesOf, locate, readTables, servicesOf, TabularError, tabularZip } from './hsds-tabular.js';

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
}
