import { z } from 'zod';
import { CaseListItemView } from './case.views.js';

/** One case of a caseload or a search (CasesService.caseload): the person's name for those who may read the case. */
export const CaseloadItemView = CaseListItemView.extend({
  name: z.string().nullable(),
  counsellorName: z.string().nullable(),
  nextFollowUp: z.string().nullable().describe('YYYY-MM-DD, a date in Morocco'),
  lastActivity: z.date(),
});
