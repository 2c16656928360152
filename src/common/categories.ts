/**
 * Service categories (domain.md §3): the stable codes shared by the directory's taxonomy and a
 * case's needs. Adding a code needs a migration of the `need_category` enum too.
 */
export const CATEGORIES = [
  'health_care',
  'sexual_reproductive_health',
  'mhpss',
  'clinical_management_of_rape',
  'legal_aid',
  'shelter',
  'documentation',
  'employment_business',
  'education',
  'food_basic_needs',
  'child_protection',
  'interpretation',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const isCategory = (v: unknown): v is Category => typeof v === 'string' && (CATEGORIES as readonly string[]).includes(v);
