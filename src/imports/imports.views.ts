import { z } from 'zod';
import { IMPORT_STATUSES } from './import-batch.entity.js';
import { REGISTER_FIELDS } from './register-fields.js';
import { ISSUE_CODES } from './register-values.js';

/**
 * What the register-imports API answers (common/api-views.ts): the service returns these types.
 * A batch never shows a cell's value: columns by their title, issues by row, column and code.
 */
const id = z.uuid();
const Counts = z.object({ persons: z.number().int(), cases: z.number().int(), needs: z.number().int(), sessions: z.number().int(), deliveries: z.number().int() });

export const ImportSummaryView = z.object({
  rows: z.number().int(),
  valid: z.number().int(),
  errors: z.number().int(),
  duplicatesExisting: z.number().int(),
  duplicatesInSheet: z.number().int(),
  toImport: z.number().int(),
  wouldCreate: Counts,
});

export const ImportBatchSummaryView = z.object({
  id,
  unitId: id,
  status: z.enum(IMPORT_STATUSES),
  format: z.enum(['xlsx', 'csv']),
  /** CSV only: the encoding the sheet was read in. */
  encoding: z.string().nullable(),
  headerRow: z.number().int(),
  importDuplicates: z.boolean(),
  summary: ImportSummaryView,
  /** What the import wrote, once it ran. */
  imported: Counts.nullable(),
  progress: z.object({ rowsDone: z.number().int(), casesWritten: z.number().int(), casesToWrite: z.number().int(), percent: z.number().int() }),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  undoUntil: z.date().nullable(),
  undoneAt: z.date().nullable(),
});
export type ImportBatchSummaryView = z.infer<typeof ImportBatchSummaryView>;

export const ImportBatchListView = z.object({ items: z.array(ImportBatchSummaryView) });
export type ImportBatchListView = z.infer<typeof ImportBatchListView>;

export const ImportIssueView = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  field: z.string().nullable(),
  fieldLabel: z.string().nullable(),
  code: z.enum(ISSUE_CODES),
  kind: z.enum(['warning', 'error']),
  /** In the reader's language. */
  message: z.string(),
  /** The case of the unit this row duplicates. */
  caseCode: z.string().nullable(),
  /** The row of the sheet this row duplicates. */
  otherRow: z.number().int().nullable(),
});

/** A batch with its columns (title → field) and a page of its row issues (200 from `fromRow`). */
export const ImportBatchView = ImportBatchSummaryView.extend({
  columns: z.array(z.object({ letter: z.string(), header: z.string(), field: z.enum(REGISTER_FIELDS).nullable() })),
  issues: z.array(ImportIssueView),
  nextIssuesFromRow: z.number().int().nullable(),
});
export type ImportBatchView = z.infer<typeof ImportBatchView>;
