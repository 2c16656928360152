import { LANGUAGES, LOCALES, PROGRAMME_TIME_ZONE, isLanguage, vocabularyMessages, type Language } from '../../vocabulary/index.js';
import { ar } from './messages.ar.js';
import { en } from './messages.en.js';
import { fr, type MessageKey } from './messages.fr.js';

export type { MessageKey };

/** The page messages of each language, with every code's label taken from the vocabulary (`sex.female`, …). */
const CATALOGUES: Record<Language, Record<string, string>> = {
  fr: { ...fr, ...vocabularyMessages('fr') },
  ar: { ...ar, ...vocabularyMessages('ar') },
  en: { ...en, ...vocabularyMessages('en') },
};
const TIME_ZONE = PROGRAMME_TIME_ZONE;

export { isLanguage };

/** Everything a page needs to speak one language: messages, direction, dates and numbers. */
export class Translator {
  readonly dir: 'rtl' | 'ltr';
  readonly locale: string;
  private readonly messages: Record<string, string>;
  private readonly dateFmt: Intl.DateTimeFormat;
  private readonly dateTimeFmt: Intl.DateTimeFormat;
  private readonly numberFmt: Intl.NumberFormat;
  private readonly weekdayFmt: Intl.DateTimeFormat;
  private readonly regionNames: Intl.DisplayNames;
  private readonly listFmt: Intl.ListFormat;

  constructor(readonly lang: Language) {
    this.dir = lang === 'ar' ? 'rtl' : 'ltr';
    this.locale = LOCALES[lang];
    this.messages = CATALOGUES[lang];
    this.dateFmt = new Intl.DateTimeFormat(this.locale, { dateStyle: 'long', timeZone: TIME_ZONE });
    this.dateTimeFmt = new Intl.DateTimeFormat(this.locale, { dateStyle: 'long', timeStyle: 'short', timeZone: TIME_ZONE });
    this.numberFmt = new Intl.NumberFormat(this.locale);
    this.regionNames = new Intl.DisplayNames([this.locale], { type: 'region' });
    this.listFmt = new Intl.ListFormat(this.locale, { type: 'unit', style: 'short' });
    this.weekdayFmt = new Intl.DateTimeFormat(this.locale, { weekday: 'long', timeZone: 'UTC' });
  }

  /** The message for `key` with `{placeholders}` filled; unknown keys fall back to French, then to the key. */
  t = (key: MessageKey | string, vars: Record<string, string | number> = {}): string => {
    const text = this.messages[key] ?? CATALOGUES.fr[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  };

  has = (key: string): boolean => key in this.messages;

  date = (d: Date | string | null | undefined): string => (d ? this.dateFmt.format(new Date(d)) : '');
  dateTime = (d: Date | string | null | undefined): string => (d ? this.dateTimeFmt.format(new Date(d)) : '');
  /** The name of a weekday given as an iCalendar code (MO … SU). */
  weekday = (code: string): string => {
    const i = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'].indexOf(code);
    return i < 0 ? code : this.weekdayFmt.format(new Date(Date.UTC(2024, 0, 1 + i, 12)));
  };

  country = (code: string): string => {
    try {
      return this.regionNames.of(code.toUpperCase()) ?? code;
    } catch {
      return code;
    }
  };

  /** "arabe, français" with the language's own separators (the Arabic comma on Arabic pages). */
  list = (items: string[]): string => this.listFmt.format(items);

  number = (n: number | null | undefined): string => (n === null || n === undefined ? '' : this.numberFmt.format(n));
}

const translators = new Map<Language, Translator>(LANGUAGES.map((l) => [l, new Translator(l)]));
export const translatorFor = (lang: Language): Translator => translators.get(lang)!;
