import type { Language } from '../authorization/actor.js';
import type { IndicatorCode } from './indicator-catalogue.js';

/** The published figure of each indicator (already protected: a number, `<5`, `x` or `–`). */
export type Figures = Partial<Record<IndicatorCode | 'CAP-1:activities' | 'CAP-2:activities', string>>;

interface NarrativeInput {
  region: string;
  from: string;
  to: string;
  figures: Figures;
}

/**
 * The short narrative of the regional report, in the report's language. It quotes published
 * figures only, so small numbers stay `<5` here too; nothing in it refers to a person.
 */
export function narrative(language: Language, input: NarrativeInput): string {
  const f = (code: keyof Figures) => input.figures[code] ?? '–';
  const { region, from, to } = input;
  switch (language) {
    case 'fr':
      return [
        `Du ${from} au ${to}, dans la région ${region}, ${f('PSS-1')} personnes ont accédé aux services psychosociaux et ${f('GBV-1')} survivant·es de violence ont reçu au moins un service de santé ou psychosocial ; ${f('GBV-2')} survivant·es de viol ont été orienté·es vers une prise en charge clinique dans les 72 heures.`,
        `${f('REF-1')} orientations ont été effectuées : ${f('REF-2')} % ont été acceptées et ${f('REF-3')} % clôturées avec un résultat. Le délai médian d’acceptation est de ${f('REF-4')} heures et le délai médian jusqu’au service de ${f('REF-5')} jours.`,
        `Moyens de subsistance : ${f('LIV-1')} entrepreneur·es ont bénéficié d’un conseil, ${f('LIV-2')} entreprises d’un appui au démarrage et ${f('LIV-3')} bénéficiaires ont ouvert une entreprise. ${f('CAP-1:activities')} formations ont réuni ${f('CAP-1')} participant·es, et ${f('CAP-2:activities')} ateliers, foires et colloques ${f('CAP-2')} participant·es.`,
      ].join('\n');
    case 'ar':
      return [
        `خلال الفترة من ${from} إلى ${to}، في جهة ${region}، استفاد ${f('PSS-1')} شخصا من خدمات الدعم النفسي والاجتماعي، وتلقى ${f('GBV-1')} من الناجين والناجيات من العنف خدمة صحية أو نفسية واحدة على الأقل، ووجه ${f('GBV-2')} من الناجين والناجيات من الاغتصاب إلى التكفل السريري خلال 72 ساعة.`,
        `أنجزت ${f('REF-1')} إحالة، قبل منها ${f('REF-2')} % وأغلق ${f('REF-3')} % بنتيجة مسجلة. الوسيط الزمني للقبول ${f('REF-4')} ساعة والوسيط الزمني حتى تقديم الخدمة ${f('REF-5')} يوما.`,
        `سبل العيش: استفاد ${f('LIV-1')} مقاولا من الإرشاد المهني، وتلقت ${f('LIV-2')} مقاولة دعما للانطلاق، وأنشأ ${f('LIV-3')} مستفيدا مقاولة. نظمت ${f('CAP-1:activities')} دورات تكوينية بمشاركة ${f('CAP-1')} شخصا، و${f('CAP-2:activities')} ورشات ومعارض وندوات بمشاركة ${f('CAP-2')} شخصا.`,
      ].join('\n');
    default:
      return [
        `From ${from} to ${to}, in the ${region} region, ${f('PSS-1')} people accessed psychosocial services and ${f('GBV-1')} survivors of violence received at least one health or psychosocial service; ${f('GBV-2')} survivors of rape were referred to clinical care within 72 hours.`,
        `${f('REF-1')} referrals were made: ${f('REF-2')}% were accepted and ${f('REF-3')}% closed with an outcome. The median time to acceptance was ${f('REF-4')} hours and the median time to service ${f('REF-5')} days.`,
        `Livelihoods: ${f('LIV-1')} entrepreneurs received career counselling, ${f('LIV-2')} businesses received start-up support and ${f('LIV-3')} beneficiaries opened a business. ${f('CAP-1:activities')} trainings brought together ${f('CAP-1')} participants, and ${f('CAP-2:activities')} workshops, fairs and symposiums ${f('CAP-2')} participants.`,
      ].join('\n');
  }
}
