import { z } from 'zod';
import { pageOf } from '../common/api-views.js';
import { PLACE_LEVELS } from './place.entity.js';

/** What the places API answers (common/api-views.ts): the service returns these types. */
export const PlaceView = z.object({
  id: z.uuid(),
  code: z.string(),
  level: z.enum(PLACE_LEVELS),
  nameFr: z.string(),
  nameAr: z.string(),
  parentId: z.uuid().nullable(),
  createdAt: z.date(),
});
export type PlaceView = z.infer<typeof PlaceView>;

export const PlacePageView = pageOf(PlaceView);
export type PlacePageView = z.infer<typeof PlacePageView>;
