import { z } from 'zod';
import { pageOf } from '../common/api-views.js';
import { ORGANISATION_TYPES } from '../vocabulary/codes.js';

/** What the organisations API answers (common/api-views.ts): the service returns these types. */
export const OrganisationView = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The name in Arabic when held (readers of Arabic see it, else `name`). */
  nameAr: z.string().nullable(),
  /** Counselling units only: the prefix of their case codes. */
  code: z.string().nullable(),
  type: z.enum(ORGANISATION_TYPES),
  regionId: z.uuid().nullable(),
  provinceId: z.uuid().nullable(),
  status: z.enum(['active', 'inactive']),
  isDemo: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type OrganisationView = z.infer<typeof OrganisationView>;

export const OrganisationPageView = pageOf(OrganisationView);
export type OrganisationPageView = z.infer<typeof OrganisationPageView>;
