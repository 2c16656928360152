import { z } from 'zod';
import { pageOf } from '../common/api-views.js';
import { CAPACITY_STATUSES, CATEGORIES, LANGUAGES, SERVICE_TIERS } from '../vocabulary/index.js';
import { SERVICE_STATUSES } from './taxonomy.data.js';

/** What the directory management API answers (common/api-views.ts); services themselves are HSDS (hsds.views.ts). */
const id = z.uuid();

export const ManagedServiceView = z.object({
  id,
  organisationId: id,
  name: z.string().nullable(),
  tier: z.enum(SERVICE_TIERS),
  capacityStatus: z.enum(CAPACITY_STATUSES),
  status: z.enum(SERVICE_STATUSES),
  lastModified: z.date(),
});
export const ManagedServicePageView = pageOf(ManagedServiceView).extend({ language: z.enum(LANGUAGES) });
export type ManagedServicePageView = z.infer<typeof ManagedServicePageView>;

const SCORE_PARTS = ['category', 'proximity', 'language', 'population', 'access', 'capacity', 'responseTime'] as const;
const parts = <T extends z.ZodType>(t: T) => z.object(Object.fromEntries(SCORE_PARTS.map((p) => [p, t])) as Record<(typeof SCORE_PARTS)[number], T>);

/** Services ranked for a need, best first, with each part of the score and how each part is weighed. */
export const SuggestionsView = z.object({
  need: z.enum(CATEGORIES),
  weights: parts(z.string()),
  items: z.array(
    z.object({
      serviceId: id,
      /** In the reader's language (falling back fr → ar → en); null when the service has no name in any. */
      name: z.string().nullable(),
      organisation: z.object({ id, name: z.string() }),
      province: z.string().nullable(),
      serviceAtLocationIds: z.array(id),
      categories: z.array(z.enum(CATEGORIES)),
      capacityStatus: z.enum(CAPACITY_STATUSES),
      freeOfCharge: z.boolean(),
      noDocumentsRequired: z.boolean(),
      interpreterAvailable: z.boolean(),
      languages: z.array(z.string()),
      /** Where it is offered: each service-at-location with its city. */
      locations: z.array(z.object({ serviceAtLocationId: id, city: z.string().nullable() })),
      /** Today's opening hours in Morocco ("08:30–16:30"), empty when closed today; null when the service gives no hours. */
      hoursToday: z.array(z.string()).nullable(),
      /** The provider's median time to answer a referral, in hours; null while unknown. */
      medianResponseHours: z.number().nullable(),
      distanceKm: z.number().nullable(),
      score: z.number(),
      parts: parts(z.number()),
    }),
  ),
});
export type SuggestionsView = z.infer<typeof SuggestionsView>;

/** An NDJSON import: all or nothing, so these are what it wrote. */
export const DirectoryImportView = z.object({ created: z.number().int(), updated: z.number().int(), ids: z.array(id), organisationsCreated: z.number().int() });
export type DirectoryImportView = z.infer<typeof DirectoryImportView>;
