import { Injectable } from '@nestjs/common';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor, Language } from '../authorization/actor.js';
import type { RegionalReportQuery } from './dto/indicator-query.dto.js';
import { indicator, type Disaggregation, type IndicatorCode } from './indicator-catalogue.js';
import type { ReportTable } from './report-table.js';
import { ReportLookups } from './report-lookups.repository.js';
import { ReportingService } from './reporting.service.js';
import type { FactsheetFigureView as FactsheetFigure, FactsheetItemView as FactsheetItem, FactsheetView as Factsheet } from './reporting.views.js';

/** The factsheet's types are the views (reporting.views.ts). */
export type { FactsheetFigure, FactsheetItem, Factsheet };

const TITLE: Record<Language, string> = {
  en: 'Putting policies into practice to improve community wellbeing',
  fr: 'Mettre les politiques en pratique pour améliorer le bien-être des communautés',
  ar: 'تنزيل السياسات على أرض الواقع لتحسين رفاه المجتمعات',
};

type Phrase = (n: string, extra?: string) => string;
const LINES: Record<string, Record<Language, Phrase>> = {
  units: {
    en: (n) => `${n} counselling units providing psychosocial services and helping migrants and survivors of violence access local services`,
    fr: (n) => `${n} unités d’écoute offrant des services psychosociaux et aidant les migrant·es et les survivant·es de violence à accéder aux services locaux`,
    ar: (n) => `${n} وحدات إنصات تقدم خدمات الدعم النفسي والاجتماعي وتساعد المهاجرين والناجين من العنف على الولوج إلى الخدمات المحلية`,
  },
  'PSS-1': {
    en: (n) => `${n} people (incl. women, men, children, migrants and Moroccans) accessed psycho-social services`,
    fr: (n) => `${n} personnes (femmes, hommes, enfants, migrant·es et Marocain·es) ont accédé aux services psychosociaux`,
    ar: (n) => `${n} شخصا (نساء ورجال وأطفال ومهاجرون ومغاربة) استفادوا من خدمات الدعم النفسي والاجتماعي`,
  },
  'GBV-1': {
    en: (n) => `${n} survivors of violence received health or psychosocial care`,
    fr: (n) => `${n} survivant·es de violence ont reçu des soins de santé ou un soutien psychosocial`,
    ar: (n) => `${n} من الناجين والناجيات من العنف تلقوا رعاية صحية أو دعما نفسيا`,
  },
  'REF-1': {
    en: (n) => `${n} referrals to local health, psychosocial, legal, shelter and livelihood services`,
    fr: (n) => `${n} orientations vers les services locaux de santé, psychosociaux, juridiques, d’hébergement et d’emploi`,
    ar: (n) => `${n} إحالة نحو الخدمات المحلية الصحية والنفسية والقانونية والإيواء والتشغيل`,
  },
  training: {
    en: (n, a) => `${a} trainings with ${n} representatives`,
    fr: (n, a) => `${a} formations avec ${n} représentant·es`,
    ar: (n, a) => `${a} دورات تكوينية بمشاركة ${n} ممثلا`,
  },
  workshop: {
    en: (n, a) => `${a} workshops with ${n} participants`,
    fr: (n, a) => `${a} ateliers avec ${n} participant·es`,
    ar: (n, a) => `${a} ورشات بمشاركة ${n} مشاركا`,
  },
  fair: {
    en: (n, a) => `${a} employment and social entrepreneurship fairs with ${n} participants`,
    fr: (n, a) => `${a} foires de l’emploi et de l’entrepreneuriat social avec ${n} participant·es`,
    ar: (n, a) => `${a} معارض للتشغيل والمقاولة الاجتماعية بمشاركة ${n} مشاركا`,
  },
  symposium: {
    en: (n, a) => `${a} symposiums with ${n} participants`,
    fr: (n, a) => `${a} colloques avec ${n} participant·es`,
    ar: (n, a) => `${a} ندوات بمشاركة ${n} مشاركا`,
  },
  'LIV-1': { en: (n) => `${n} entrepreneurs received career counselling`, fr: (n) => `${n} entrepreneur·es ont bénéficié d’un conseil en orientation professionnelle`, ar: (n) => `${n} مقاولا استفادوا من الإرشاد المهني` },
  'LIV-2': { en: (n) => `${n} businesses received start-up support`, fr: (n) => `${n} entreprises ont reçu un appui au démarrage`, ar: (n) => `${n} مقاولة تلقت دعما للانطلاق` },
  'LIV-3': { en: (n) => `${n} beneficiaries opened businesses`, fr: (n) => `${n} bénéficiaires ont ouvert une entreprise`, ar: (n) => `${n} مستفيدا أنشأوا مقاولات` },
  'LIV-4': { en: (n) => `${n} internships`, fr: (n) => `${n} stages`, ar: (n) => `${n} تداريب مهنية` },
  'LIV-5': { en: (n) => `${n} job interviews`, fr: (n) => `${n} entretiens d’embauche`, ar: (n) => `${n} مقابلات عمل` },
  'LIV-6': { en: (n) => `${n} people registered as "self-entrepreneurs"`, fr: (n) => `${n} personnes inscrites comme « auto-entrepreneur·es »`, ar: (n) => `${n} شخصا مسجلين كمقاولين ذاتيين` },
};

/**
 * The factsheet's "putting policies into practice" section for a region and period, from the data:
 * one call, every figure protected like any other report cell.
 */
@Injectable()
export class FactsheetService {
  constructor(
    private readonly reporting: ReportingService,
    private readonly lookups: ReportLookups,
  ) {}

  async build(actor: Actor, ability: AppAbility, q: RegionalReportQuery): Promise<Factsheet> {
    const language: Language = q.lang ?? actor.language;
    const base = { from: q.from, to: q.to, region: q.region, lang: language };
    const headline = await this.reporting.resolve(actor, ability, base);
    const available = new Set(headline.codes);
    const table = async (code: IndicatorCode, by: Disaggregation[] = []): Promise<ReportTable | undefined> => {
      if (!available.has(code)) return undefined;
      const req = await this.reporting.resolve(actor, ability, { ...base, indicators: [code], by });
      return (await this.reporting.tables(ability, req))[0];
    };
    const figure = (t: ReportTable | undefined, coord: (string | null)[] = []): FactsheetFigure => {
      const e = t?.entries.find((x) => JSON.stringify(x.coord) === JSON.stringify(coord));
      return { value: e?.value ?? null, display: e?.display ?? '–' };
    };
    const items: FactsheetItem[] = [];
    const line = (key: string, fig: FactsheetFigure, extra?: string) => LINES[key]![language](fig.display, extra);

    const units = await this.lookups.countUnits(q.region);
    items.push({ key: 'counselling_units', sdg: ['3.8'], figure: { value: units, display: String(units) }, text: line('units', { value: units, display: String(units) }) });

    const pss = await table('PSS-1');
    if (pss) {
      const [bySex, byAge, byNat, byPop] = await Promise.all([
        table('PSS-1', ['sex']),
        table('PSS-1', ['age_band']),
        table('PSS-1', ['nationality_group']),
        table('PSS-1', ['population_group']),
      ]);
      const fig = figure(pss);
      items.push({
        key: 'psychosocial',
        indicator: 'PSS-1',
        sdg: indicator('PSS-1').sdg,
        figure: fig,
        text: line('PSS-1', fig),
        breakdown: {
          women: figure(bySex, ['female']),
          men: figure(bySex, ['male']),
          children: figure(byAge, ['0-17']),
          migrants: figure(byPop, ['migrant']),
          moroccans: figure(byNat, ['moroccan']),
        },
      });
    }
    for (const code of ['GBV-1', 'REF-1'] as const) {
      const t = await table(code);
      if (t) items.push({ key: code === 'GBV-1' ? 'survivors' : 'referrals', indicator: code, sdg: indicator(code).sdg, figure: figure(t), text: line(code, figure(t)) });
    }
    const cap1 = await table('CAP-1');
    if (cap1) {
      const fig = figure(cap1);
      items.push({ key: 'trainings', indicator: 'CAP-1', sdg: indicator('CAP-1').sdg, figure: fig, activities: cap1.activities, text: line('training', fig, String(cap1.activities)) });
    }
    const cap2 = await table('CAP-2', ['activity_kind']);
    if (cap2) {
      for (const kind of ['workshop', 'fair', 'symposium']) {
        const i = cap2.entries.findIndex((e) => e.coord[0] === kind);
        const fig = figure(cap2, [kind]);
        const activities = cap2.activityCounts?.[i] ?? 0;
        items.push({ key: `${kind}s`, indicator: 'CAP-2', sdg: indicator('CAP-2').sdg, figure: fig, activities, text: line(kind, fig, String(activities)) });
      }
    }
    for (const code of ['LIV-1', 'LIV-2', 'LIV-3', 'LIV-4', 'LIV-5', 'LIV-6'] as const) {
      const t = await table(code);
      if (t) items.push({ key: code.toLowerCase(), indicator: code, sdg: indicator(code).sdg, figure: figure(t), text: line(code, figure(t)) });
    }
    const names = await this.lookups.names([q.region]);
    return {
      region: { id: q.region, name: names.get(q.region)?.[language === 'ar' ? 'ar' : 'fr'] ?? q.region },
      from: q.from,
      to: q.to,
      threshold: this.reporting.threshold,
      title: TITLE[language],
      items,
      sdg: [...new Set(items.flatMap((i) => i.sdg))].sort(),
    };
  }
}
