import type { Language } from '../authorization/actor.js';
import type { IndicatorCode } from './indicator-catalogue.js';

/** A published figure (from disclosure.ts): its number, or null and the words or mark shown instead. */
export interface NarrativeFigure {
  value: number | null;
  display: string;
}

export type Figures = Partial<Record<IndicatorCode | 'CAP-1:activities' | 'CAP-2:activities', NarrativeFigure>>;

interface NarrativeInput {
  region: string;
  from: string;
  to: string;
  figures: Figures;
}

const LOCALE: Record<Language, string> = { fr: 'fr-MA', en: 'en-GB', ar: 'ar-MA' };

/** A calendar day (YYYY-MM-DD) written out in the language: "1 janvier 2026", "1 January 2026". */
export function longDate(day: string, language: Language): string {
  const d = new Date(`${day}T12:00:00Z`);
  return new Intl.DateTimeFormat(LOCALE[language], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC', numberingSystem: 'latn' }).format(d);
}

/** Picks the form of a phrase for a count by Intl.PluralRules; a withheld figure takes the plural. */
export function plural(language: Language, figure: NarrativeFigure | undefined, forms: { one: string; other: string }): string {
  const f = figure ?? { value: null, display: '–' };
  const category = f.value === null ? 'other' : new Intl.PluralRules(LOCALE[language]).select(f.value);
  return (category === 'one' ? forms.one : forms.other).replace('#', f.display);
}

/**
 * The short narrative of the regional report, in the report's language. It quotes published
 * figures only (a withheld one keeps its mark or its words); counts agree with their nouns by
 * Intl.PluralRules in French and English, and Arabic sentences name the number ("عدد … : 12")
 * so that no noun has to agree with it. Nothing in it refers to a person.
 */
export function narrative(language: Language, input: NarrativeInput): string {
  const fig = (code: keyof Figures) => input.figures[code];
  const d = (code: keyof Figures) => fig(code)?.display ?? '–';
  const p = (code: keyof Figures, forms: { one: string; other: string }) => plural(language, fig(code), forms);
  const from = longDate(input.from, language);
  const to = longDate(input.to, language);
  const { region } = input;
  /** A percentage or a median: the number with its unit, or the words that say why it is not published. */
  const unit = (code: keyof Figures, suffix: string) => (fig(code)?.value === null || fig(code) === undefined ? d(code) : `${d(code)}${suffix}`);
  switch (language) {
    case 'fr':
      return [
        `Du ${from} au ${to}, dans la région ${region} : ${p('PSS-1', { one: '# personne a accédé', other: '# personnes ont accédé' })} aux services psychosociaux et ${p('GBV-1', { one: '# survivant·e de violence a reçu', other: '# survivant·es de violence ont reçu' })} au moins un service de santé ou psychosocial ; ${p('GBV-2', { one: '# survivant·e de viol a été orienté·e', other: '# survivant·es de viol ont été orienté·es' })} vers une prise en charge clinique dans les 72 heures.`,
        `Orientations effectuées : ${d('REF-1')}. Part acceptée : ${unit('REF-2', ' %')} ; part clôturée avec un résultat : ${unit('REF-3', ' %')}. Délai médian d’acceptation : ${unit('REF-4', ' h')} ; délai médian jusqu’au service : ${unit('REF-5', ' j')}.`,
        `Moyens de subsistance : ${p('LIV-1', { one: '# entrepreneur·e a bénéficié', other: '# entrepreneur·es ont bénéficié' })} d’un conseil, ${p('LIV-2', { one: '# entreprise', other: '# entreprises' })} d’un appui au démarrage et ${p('LIV-3', { one: '# bénéficiaire a ouvert', other: '# bénéficiaires ont ouvert' })} une entreprise. ${p('CAP-1:activities', { one: '# formation a réuni', other: '# formations ont réuni' })} ${p('CAP-1', { one: '# participant·e', other: '# participant·es' })}, et ${p('CAP-2:activities', { one: '# atelier, foire ou colloque', other: '# ateliers, foires et colloques' })} ${p('CAP-2', { one: '# participant·e', other: '# participant·es' })}.`,
      ].join('\n');
    case 'ar':
      return [
        `من ${from} إلى ${to}، في جهة ${region}: عدد الأشخاص الذين استفادوا من خدمات الدعم النفسي والاجتماعي: ${d('PSS-1')}؛ عدد الناجين والناجيات من العنف الذين تلقوا خدمة صحية أو نفسية واحدة على الأقل: ${d('GBV-1')}؛ عدد الناجين والناجيات من الاغتصاب الموجهين إلى التكفل السريري خلال 72 ساعة: ${d('GBV-2')}.`,
        `عدد الإحالات المنجزة: ${d('REF-1')}. نسبة الإحالات المقبولة: ${unit('REF-2', ' %')}؛ نسبة الإحالات المغلقة بنتيجة: ${unit('REF-3', ' %')}. الوسيط الزمني للقبول بالساعات: ${d('REF-4')}؛ الوسيط الزمني حتى تقديم الخدمة بالأيام: ${d('REF-5')}.`,
        `سبل العيش: عدد المستفيدين من الإرشاد المهني: ${d('LIV-1')}؛ عدد المقاولات التي تلقت دعما للانطلاق: ${d('LIV-2')}؛ عدد المستفيدين الذين أنشأوا مقاولة: ${d('LIV-3')}. عدد الدورات التكوينية: ${d('CAP-1:activities')}، وعدد المشاركين فيها: ${d('CAP-1')}؛ عدد الورشات والمعارض والندوات: ${d('CAP-2:activities')}، وعدد المشاركين فيها: ${d('CAP-2')}.`,
      ].join('\n');
    default:
      return [
        `From ${from} to ${to}, in the ${region} region: ${p('PSS-1', { one: '# person accessed', other: '# people accessed' })} psychosocial services and ${p('GBV-1', { one: '# survivor of violence received', other: '# survivors of violence received' })} at least one health or psychosocial service; ${p('GBV-2', { one: '# survivor of rape was', other: '# survivors of rape were' })} referred to clinical care within 72 hours.`,
        `Referrals made: ${d('REF-1')}. Share accepted: ${unit('REF-2', '%')}; share closed with an outcome: ${unit('REF-3', '%')}. Median time to acceptance: ${unit('REF-4', ' h')}; median time to service: ${unit('REF-5', ' days')}.`,
        `Livelihoods: ${p('LIV-1', { one: '# entrepreneur', other: '# entrepreneurs' })} received career counselling, ${p('LIV-2', { one: '# business', other: '# businesses' })} received start-up support and ${p('LIV-3', { one: '# beneficiary', other: '# beneficiaries' })} opened a business. ${p('CAP-1:activities', { one: '# training brought', other: '# trainings brought' })} together ${p('CAP-1', { one: '# participant', other: '# participants' })}, and ${p('CAP-2:activities', { one: '# workshop, fair or symposium', other: '# workshops, fairs and symposiums' })} ${p('CAP-2', { one: '# participant', other: '# participants' })}.`,
      ].join('\n');
  }
}
