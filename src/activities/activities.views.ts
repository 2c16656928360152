import { z } from 'zod';
import { pageOf } from '../common/api-views.js';
import { ACTIVITY_KINDS, PARTICIPANT_ORGANISATION_TYPES, PARTICIPANT_SEXES } from './activity.constants.js';

/** What the activities API answers (common/api-views.ts): the service returns these types. */
export const ActivityView = z.object({
  id: z.uuid(),
  kind: z.enum(ACTIVITY_KINDS),
  topic: z.string(),
  heldOn: z.string().describe('YYYY-MM-DD'),
  placeId: z.uuid(),
  regionId: z.uuid(),
  provinceId: z.uuid().nullable(),
  organiserOrganisationId: z.uuid(),
  participants: z.array(z.object({ organisationType: z.enum(PARTICIPANT_ORGANISATION_TYPES), sex: z.enum(PARTICIPANT_SEXES), count: z.number().int() })),
  participantsTotal: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type ActivityView = z.infer<typeof ActivityView>;

export const ActivityPageView = pageOf(ActivityView);
export type ActivityPageView = z.infer<typeof ActivityPageView>;
