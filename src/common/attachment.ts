import type { Response } from 'express';

export const DOWNLOAD_CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

/** Download headers for an export (API and pages). File names carry the period only: never a name, and no ids in what people forward. */
export function attachment(res: Response, kind: keyof typeof DOWNLOAD_CONTENT_TYPES, stem: string): void {
  res.setHeader('Content-Type', DOWNLOAD_CONTENT_TYPES[kind]);
  res.setHeader('Content-Disposition', `attachment; filename="${stem}.${kind}"`);
  res.setHeader('Cache-Control', 'no-store');
}
