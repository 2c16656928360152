import { z } from 'zod';
import { CASE_STATUSES, CATEGORIES, CLOSURE_REASONS, RISK_LEVELS } from '../vocabulary/index.js';

/** One case of a caseload or a search (CasesService.caseload): the person's name for those who may read the case. */
export const CaseloadItemView = z.object({
  id: z.uuid(),
  code: z.string(),
  unitId: z.uuid(),
  assignedCounsellorId: z.uuid(),
  status: z.enum(CASE_STATUSES),
  riskLevel: z.enum(RISK_LEVELS),
  closureReason: z.enum(CLOSURE_REASONS).nullable(),
  openNeeds: z.array(z.enum(CATEGORIES)),
  anonymised: z.boolean(),
  createdAt: z.date(),
  closedAt: z.date().nullable(),
  updatedAt: z.date(),
  name: z.string().nullable(),
  counsellorName: z.string().nullable(),
  nextFollowUp: z.string().nullable().describe('YYYY-MM-DD, a date in Morocco'),
  lastActivity: z.date(),
});
