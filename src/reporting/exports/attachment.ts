import type { Response } from 'express';

export const REPORT_CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

/** Download headers for a report file (API and pages). File names carry the period only: never a name, and no ids in what people forward. */
export function reportAttachment(res: Response, kind: keyof typeof REPORT_CONTENT_TYPES, stem: string): void {
  res.setHeader('Content-Type', REPORT_CONTENT_TYPES[kind]);
  res.setHeader('Content-Disposition', `attachment; filename="${stem}.${kind}"`);
  res.setHeader('Cache-Control', 'no-store');
}
