import { z } from 'zod';
import { CAPACITY_STATUSES, CATEGORIES, SERVICE_TIERS } from '../vocabulary/index.js';
import { SERVICE_STATUSES } from './taxonomy.data.js';

/**
 * What the HSDS 3.1 API answers (common/api-views.ts). HSDS's own schemas type every object in full
 * (test/directory validates the answers against them); the contract here states what each object
 * is, the fields HSDS requires and the Tawjih profile's extensions, and leaves the rest open.
 */
const id = z.uuid();
const text = z.string().nullable().optional();
const I18n = z.object({ fr: text, ar: text, en: text });

export const HsdsTaxonomyView = z.object({ id, name: z.string(), description: z.string(), version: z.string().optional() });
export type HsdsTaxonomyView = z.infer<typeof HsdsTaxonomyView>;

export const HsdsTaxonomyTermView = z.looseObject({
  id,
  code: z.string(),
  name: z.string(),
  description: z.string(),
  taxonomy: z.string().optional(),
  taxonomy_id: id.optional(),
  language: z.string().optional(),
});
export type HsdsTaxonomyTermView = z.infer<typeof HsdsTaxonomyTermView>;

export const HsdsOrganizationView = z.looseObject({
  id,
  name: z.string(),
  description: z.string(),
  description_i18n: I18n.optional(),
  /** The name in French and Arabic, when held in Arabic. */
  name_i18n: I18n.optional(),
  /** With `full_service=true`: the organisation's services, whole. */
  services: z.array(z.looseObject({ id, name: z.string() })).optional(),
});
export type HsdsOrganizationView = z.infer<typeof HsdsOrganizationView>;

/** A service; `minimal=true` lists only what HSDS requires of it. */
export const HsdsServiceView = z.looseObject({
  id,
  name: z.string(),
  status: z.enum(SERVICE_STATUSES).optional(),
  organization_id: id.optional(),
  organization: HsdsOrganizationView.optional(),
  last_modified: z.string().optional(),
  name_i18n: I18n.optional(),
  categories: z.array(z.enum(CATEGORIES)).optional(),
  populations: z.array(z.string()).optional(),
  capacity_status: z.enum(CAPACITY_STATUSES).optional(),
  visibility_tier: z.enum(SERVICE_TIERS).optional(),
  province: z.string().nullable().optional(),
  /** Opening hours, local time (RFC 5545 weekdays in `byday`, comma-separated). */
  schedules: z.array(z.looseObject({ id, byday: z.string().optional(), opens_at: z.string().optional(), closes_at: z.string().optional() })).optional(),
});
export type HsdsServiceView = z.infer<typeof HsdsServiceView>;

export const HsdsLocationView = z.looseObject({ id, name: z.string().nullable().optional(), name_i18n: I18n.optional(), location_type: z.string(), latitude: z.number().nullable().optional(), longitude: z.number().nullable().optional() });

export const HsdsServiceAtLocationView = z.looseObject({ id, service_id: id.optional(), location_id: id.optional(), location: HsdsLocationView.optional(), service: HsdsServiceView.optional() });
export type HsdsServiceAtLocationView = z.infer<typeof HsdsServiceAtLocationView>;

/** The HSDS page envelope; with `format=ndjson` the contents instead, one per line (all pages). */
export const hsdsPageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    total_items: z.number().int(),
    total_pages: z.number().int(),
    page_number: z.number().int(),
    size: z.number().int(),
    first_page: z.boolean(),
    last_page: z.boolean(),
    empty: z.boolean(),
    contents: z.array(item),
  });

export const HsdsAboutView = z.object({ version: z.string(), profile: z.string(), openapi_url: z.string() });
export const HsdsProfileView = z.looseObject({ name: z.string(), base: z.string(), extensions: z.record(z.string(), z.record(z.string(), z.string())) });
