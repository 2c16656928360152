/** The languages the app speaks to people (pages, e-mails, PDFs): French first, Arabic (RTL), English. */
export const LANGUAGES = ['fr', 'ar', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'fr';

export const isLanguage = (v: unknown): v is Language => typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);

/** BCP 47 locales for Intl: Moroccan French and Arabic (Latin digits, as used locally), British English. */
export const LOCALES: Record<Language, string> = { fr: 'fr-MA', ar: 'ar-MA', en: 'en-GB' };
