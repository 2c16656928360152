import { createHash } from 'node:crypto';
import * as V from '../vocabulary/index.js';

/**
 * The directory's reference vocabularies (domain.md §3), with stable codes and labels in French,
 * Arabic and English. Ids are UUIDs derived from the codes (name-based, v5 style), so they never
 * change between installations and the HSDS `taxonomy_term_id` of a category is the same everywhere.
 */
export function stableUuid(name: string): string {
  const h = createHash('sha1').update(`tawjih:${name}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export interface Labels {
  fr: string;
  ar: string;
  en: string;
}

export interface Term {
  id: string;
  code: string;
  taxonomy: TaxonomyCode;
  labels: Labels;
}

export type TaxonomyCode = 'category' | 'population';

const term = (taxonomy: TaxonomyCode, code: string, fr: string, ar: string, en: string): Term => ({
  id: stableUuid(`${taxonomy}:${code}`),
  code,
  taxonomy,
  labels: { fr, ar, en },
});

const termsOf = (taxonomy: TaxonomyCode, list: 'category' | 'populationServed'): Term[] =>
  V.CODE_LISTS[list].codes.map((code) => term(taxonomy, code, V.label(list, code, 'fr'), V.label(list, code, 'ar'), V.label(list, code, 'en')));

/** The categories as taxonomy terms (codes and labels from the vocabulary). */
export const CATEGORIES: readonly Term[] = termsOf('category', 'category');
export const POPULATIONS: readonly Term[] = termsOf('population', 'populationServed');

export const TAXONOMIES = [
  {
    id: stableUuid('taxonomy:category'),
    code: 'category' as const,
    name: 'Tawjih service categories',
    description: 'Categories of service of the Oriental referral directory (needs use the same codes).',
    version: '1',
  },
  {
    id: stableUuid('taxonomy:population'),
    code: 'population' as const,
    name: 'Tawjih populations served',
    description: 'Groups a service is meant for.',
    version: '1',
  },
];

export const CATEGORY_CODES = CATEGORIES.map((c) => c.code);
export const POPULATION_CODES = POPULATIONS.map((c) => c.code);
export const ALL_TERMS: readonly Term[] = [...CATEGORIES, ...POPULATIONS];
export const TERM_BY_ID = new Map(ALL_TERMS.map((t) => [t.id, t]));
export const TERM_BY_CODE = new Map(ALL_TERMS.map((t) => [`${t.taxonomy}:${t.code}`, t]));

/** Languages a service may speak (ISO 639 codes; Darija = ary, Tamazight = zgh), with their labels. */
export const SPOKEN_LANGUAGE_CODES: readonly V.SpokenLanguage[] = V.SPOKEN_LANGUAGES.filter((c) => c !== 'other');
export const SPOKEN_LANGUAGES: Record<string, Labels> = Object.fromEntries(
  SPOKEN_LANGUAGE_CODES.map((c) => [c, { fr: V.label('spokenLanguage', c, 'fr'), ar: V.label('spokenLanguage', c, 'ar'), en: V.label('spokenLanguage', c, 'en') }]),
);

export { CAPACITY_STATUSES } from '../vocabulary/index.js';
export type { CapacityStatus } from '../vocabulary/index.js';

export const SERVICE_STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * Text in the caller's language, else French, Arabic, English — whichever exists first. The one
 * helper for every text held in several languages: a service's name, and an organisation's or a
 * location's name, street and city where the directory holds them in Arabic beside the French.
 */
export function pick(texts: Partial<Record<'fr' | 'ar' | 'en', string | null | undefined>>, lang: 'fr' | 'ar' | 'en'): string | null {
  for (const l of [lang, 'fr', 'ar', 'en'] as const) {
    const v = texts[l];
    if (v) return v;
  }
  return null;
}
