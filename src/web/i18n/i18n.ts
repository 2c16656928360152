import { LANGUAGES, type Language } from '../../authorization/actor.js';
import { ar } from './messages.ar.js';
import { en } from './messages.en.js';
import { fr, type MessageKey, type Messages } from './messages.fr.js';

export type { MessageKey };

const CATALOGUES: Record<Language, Messages> = { fr, ar, en };

/** BCP 47 locales for Intl: Moroccan French and Arabic (Latin digits, as used locally), British English. */
const LOCALES: Record<Language, string> = { fr: 'fr-MA', ar: 'ar-MA', en: 'en-GB' };
const TIME_ZONE = 'Africa/Casablanca';

export const isLanguage = (v: unknown): v is Language => typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);

/** Everything a page needs to speak one language: messages, direction, dates and numbers. */
export class Translator {
  readonly dir: 'rtl' | 'ltr';
  readonly locale: string;
  private readonly messages: Messages;
  private readonly dateFmt: Intl.DateTimeFormat;
  private readonly dateTimeFmt: Intl.DateTimeFormat;
  private readonly numberFmt: Intl.NumberFormat;
  private readonly weekdayFmt: Intl.DateTimeFormat;
  private readonly regionNames: Intl.DisplayNames;
  private readonly languageNames: Intl.DisplayNames;

  constructor(readonly lang: Language) {
    this.dir = lang === 'ar' ? 'rtl' : 'ltr';
    this.locale = LOCALES[lang];
    this.messages = CATALOGUES[lang];
    this.dateFmt = new Intl.DateTimeFormat(this.locale, { dateStyle: 'long', timeZone: TIME_ZONE });
    this.dateTimeFmt = new Intl.DateTimeFormat(this.locale, { dateStyle: 'long', timeStyle: 'short', timeZone: TIME_ZONE });
    this.numberFmt = new Intl.NumberFormat(this.locale);
    this.regionNames = new Intl.DisplayNames([this.locale], { type: 'region' });
    this.languageNames = new Intl.DisplayNames([this.locale], { type: 'language', fallback: 'code' });
    this.weekdayFmt = new Intl.DateTimeFormat(this.locale, { weekday: 'long', timeZone: 'UTC' });
  }

  /** The message for `key` with `{placeholders}` filled; unknown keys fall back to French, then to the key. */
  t = (key: MessageKey | string, vars: Record<string, string | number> = {}): string => {
    const text = (this.messages as Record<string, string>)[key] ?? (fr as Record<string, string>)[key] ?? key;
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

  /** A language by its ISO 639 code (ar, ary, fr, tzm…), in the reader's language. */
  languageName = (code: string): string => {
    try {
      const name = this.languageNames.of(code);
      return name && name !== code ? name : code;
    } catch {
      return code;
    }
  };

  number = (n: number | null | undefined): string => (n === null || n === undefined ? '' : this.numberFmt.format(n));
}

const translators = new Map<Language, Translator>(LANGUAGES.map((l) => [l, new Translator(l)]));
export const translatorFor = (lang: Language): Translator => translators.get(lang)!;
