import { createHash } from 'node:crypto';

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

export const CATEGORIES: readonly Term[] = [
  term('category', 'health_care', 'Soins de santé', 'الرعاية الصحية', 'Health care'),
  term('category', 'sexual_reproductive_health', 'Santé sexuelle et reproductive', 'الصحة الجنسية والإنجابية', 'Sexual and reproductive health'),
  term('category', 'mhpss', 'Santé mentale et soutien psychosocial', 'الصحة النفسية والدعم النفسي والاجتماعي', 'Mental health and psychosocial support'),
  term('category', 'clinical_management_of_rape', 'Prise en charge clinique du viol', 'التدبير السريري للاغتصاب', 'Clinical management of rape'),
  term('category', 'legal_aid', 'Aide juridique', 'المساعدة القانونية', 'Legal aid'),
  term('category', 'shelter', 'Hébergement et logement sûr', 'الإيواء والسكن الآمن', 'Shelter and safe housing'),
  term('category', 'documentation', 'Documentation et état civil', 'الوثائق والحالة المدنية', 'Documentation'),
  term('category', 'employment_business', 'Emploi et appui à l’entrepreneuriat', 'التشغيل ودعم المقاولة', 'Employment and business support'),
  term('category', 'education', 'Éducation', 'التعليم', 'Education'),
  term('category', 'food_basic_needs', 'Alimentation et besoins de base', 'الغذاء والحاجيات الأساسية', 'Food and basic needs'),
  term('category', 'child_protection', 'Protection de l’enfance', 'حماية الطفولة', 'Child protection'),
  term('category', 'interpretation', 'Interprétariat', 'الترجمة الفورية', 'Interpretation'),
];

export const POPULATIONS: readonly Term[] = [
  term('population', 'women', 'Femmes', 'النساء', 'Women'),
  term('population', 'children', 'Enfants', 'الأطفال', 'Children'),
  term('population', 'unaccompanied_children', 'Enfants non accompagnés', 'الأطفال غير المصحوبين', 'Unaccompanied children'),
  term('population', 'migrants', 'Migrants quel que soit leur statut', 'المهاجرون بغض النظر عن وضعيتهم', 'Migrants regardless of status'),
  term('population', 'refugees', 'Réfugiés et demandeurs d’asile', 'اللاجئون وطالبو اللجوء', 'Refugees and asylum-seekers'),
  term('population', 'survivors', 'Survivant·es de violence', 'الناجون والناجيات من العنف', 'Survivors of violence'),
  term('population', 'disabilities', 'Personnes en situation de handicap', 'الأشخاص في وضعية إعاقة', 'Persons with disabilities'),
];

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

/** Languages a service may speak (ISO 639 codes; Darija = ary, Tamazight = zgh). */
export const SPOKEN_LANGUAGES: Record<string, Labels> = {
  ar: { fr: 'Arabe', ar: 'العربية', en: 'Arabic' },
  ary: { fr: 'Darija', ar: 'الدارجة', en: 'Moroccan Arabic (Darija)' },
  zgh: { fr: 'Tamazight', ar: 'الأمازيغية', en: 'Tamazight' },
  fr: { fr: 'Français', ar: 'الفرنسية', en: 'French' },
  en: { fr: 'Anglais', ar: 'الإنجليزية', en: 'English' },
  es: { fr: 'Espagnol', ar: 'الإسبانية', en: 'Spanish' },
  pt: { fr: 'Portugais', ar: 'البرتغالية', en: 'Portuguese' },
  wo: { fr: 'Wolof', ar: 'الولوفية', en: 'Wolof' },
  bm: { fr: 'Bambara', ar: 'البامبارية', en: 'Bambara' },
  ff: { fr: 'Peul', ar: 'الفولانية', en: 'Fula' },
  ln: { fr: 'Lingala', ar: 'اللينغالا', en: 'Lingala' },
  ha: { fr: 'Haoussa', ar: 'الهوسا', en: 'Hausa' },
  ti: { fr: 'Tigrigna', ar: 'التغرينية', en: 'Tigrinya' },
};
export const SPOKEN_LANGUAGE_CODES = Object.keys(SPOKEN_LANGUAGES);

export const CAPACITY_STATUSES = ['accepting', 'waiting_list', 'not_accepting'] as const;
export type CapacityStatus = (typeof CAPACITY_STATUSES)[number];

export const SERVICE_STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Text in the caller's language, else French, Arabic, English — whichever exists first. */
export function pick(texts: Partial<Record<'fr' | 'ar' | 'en', string | null | undefined>>, lang: 'fr' | 'ar' | 'en'): string | null {
  for (const l of [lang, 'fr', 'ar', 'en'] as const) {
    const v = texts[l];
    if (v) return v;
  }
  return null;
}
