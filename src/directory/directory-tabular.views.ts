import { z } from 'zod';

/** What a tabular import did or would do (dry run): services created / updated, organisations matched / created, every error by table, row, column. */
export const TabularImportReportView = z.object({
  dryRun: z.boolean(),
  created: z.number().int(),
  updated: z.number().int(),
  ids: z.array(z.uuid()),
  services: z.array(z.object({ row: z.number().int(), id: z.string(), action: z.enum(['create', 'update']) })),
  organisationsCreated: z.number().int(),
  organisationsMatched: z.number().int(),
  errors: z.array(z.object({ table: z.string(), row: z.number().int(), column: z.string(), id: z.string().optional(), message: z.string() })),
});

/** The zip of the HSDS tabular data package. */
export const TabularZipView = z.string().meta({ format: 'binary', description: 'application/zip: datapackage.json and one CSV per HSDS table' });
