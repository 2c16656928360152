import { DEFAULT_RESPONSE_HOURS, type Priority } from './codes.js';
import { CODE_LISTS, type CodeListName, type CodeOf } from './labels.js';
import { LANGUAGES, type Language } from './languages.js';

/** The label of a code in a language; an unknown code (old data, a typo upstream) reads as itself. */
export function label<L extends CodeListName>(list: L, code: CodeOf<L> | string, lang: Language): string {
  const labels = CODE_LISTS[list].labels[lang] as Readonly<Record<string, string>>;
  return Object.hasOwn(labels, code) ? labels[code]! : code;
}

/** The choices of a list in its own order, for a select or a set of boxes. */
export function options<L extends CodeListName>(list: L, lang: Language): Array<{ code: CodeOf<L>; label: string }> {
  return (CODE_LISTS[list].codes as readonly CodeOf<L>[]).map((code) => ({ code, label: label(list, code, lang) }));
}

export function isCode<L extends CodeListName>(list: L, v: unknown): v is CodeOf<L> {
  return typeof v === 'string' && (CODE_LISTS[list].codes as readonly string[]).includes(v);
}

/**
 * Text folded for comparison: case, Latin accents, Arabic diacritics and tatweel, the forms of alef,
 * teh marbuta / heh and alef maqsura / yeh, Arabic-Indic digits, punctuation and spacing.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\p{M}\u0640]/gu, '')
    .toLowerCase()
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ة/g, 'ه')
    .replace(/ى/g, 'ي')
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[^\p{L}\p{N}+]+/gu, ' ')
    .trim();
}

const byFolded = new Map<CodeListName, Map<string, string>>();

/** The code a person meant: the code itself or its label in any language, folded; else undefined. */
export function codeFromLabel<L extends CodeListName>(list: L, text: string): CodeOf<L> | undefined {
  let index = byFolded.get(list);
  if (!index) {
    index = new Map();
    for (const code of CODE_LISTS[list].codes as readonly string[]) {
      index.set(foldText(code), code);
      for (const lang of LANGUAGES) index.set(foldText(label(list, code, lang)), code);
    }
    byFolded.set(list, index);
  }
  return index.get(foldText(text)) as CodeOf<L> | undefined;
}

const HOURS: Record<Language, (h: number) => string> = {
  fr: (h) => `${h} h`,
  ar: (h) => (h === 1 ? 'ساعة واحدة' : h === 2 ? 'ساعتان' : h <= 10 ? `${h} ساعات` : `${h} ساعة`),
  en: (h) => `${h} h`,
};

/** "Urgence (4 h)": the priority with the hours the service actually gives itself to respond. */
export function priorityLabel(priority: Priority, responseHours: number | null | undefined, lang: Language): string {
  const hours = responseHours ?? DEFAULT_RESPONSE_HOURS[priority];
  return `${label('priority', priority, lang)} (${HOURS[lang](hours)})`;
}

/**
 * The message-catalogue prefixes under which pages have always read these labels
 * (`t('sex.female')`): the catalogues take them from here instead of keeping copies.
 */
export const MESSAGE_PREFIXES: Partial<Record<CodeListName, string>> = {
  sex: 'sex',
  ageBand: 'ageBand',
  populationGroup: 'population',
  caseStatus: 'caseStatus',
  riskLevel: 'risk',
  closureReason: 'closure',
  reopenReason: 'reopen',
  needStatus: 'needStatus',
  consentGiver: 'consentGiver',
  consentMethod: 'consentMethod',
  shareableField: 'shareField',
  incidentType: 'incident',
  incidentPlaceType: 'incidentPlace',
  timeElapsed: 'elapsed',
  sessionKind: 'session',
  deliveryOutcome: 'outcome',
  category: 'category',
  referralStatus: 'refStatus',
  referralEvent: 'refEvent',
  referralReason: 'reason',
  capacity: 'capacity',
  tier: 'tier',
  role: 'role',
  organisationType: 'orgType',
  activityKind: 'activityKind',
  participantOrgType: 'participantOrg',
  messageKind: 'messageKind',
  uiLanguage: 'lang',
  documentType: 'documentType',
  spokenLanguage: 'spokenLanguage',
  populationServed: 'populationServed',
  nationalityGroup: 'nationalityGroup',
  taskStatus: 'taskStatus',
};

/** Every label as a `prefix.code` message of one language (merged into the page catalogues). */
export function vocabularyMessages(lang: Language): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [list, prefix] of Object.entries(MESSAGE_PREFIXES) as Array<[CodeListName, string]>) {
    for (const code of CODE_LISTS[list].codes as readonly string[]) out[`${prefix}.${code}`] = label(list, code, lang);
  }
  // The priority as pages show it without a service at hand: with the default hours.
  for (const p of CODE_LISTS.priority.codes) out[`priority.${p}`] = priorityLabel(p, null, lang);
  return out;
}
