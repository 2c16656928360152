import { readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor, Language } from '../authorization/actor.js';
import { DomainError } from '../common/domain-error.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import type { ExportFormat, IndicatorQuery, RegionalReportQuery } from './dto/indicator-query.dto.js';
import { writeCsv } from './exports/csv.export.js';
import { dhis2MappingSchema, dhis2Period, toDataValueSet, type Dhis2Mapping, type Dhis2Result } from './exports/dhis2.export.js';
import { writeRegionalReport, type Figure, type RegionalReportData } from './exports/regional-report.pdf.js';
import { writeXlsx } from './exports/xlsx.export.js';
import { indicator, type IndicatorCode } from './indicator-catalogue.js';
import { narrative, type Figures } from './narrative.js';
import type { Labeller, ReportTable } from './report-table.js';
import { ReportingErrors } from './reporting.errors.js';
import { NEEDS_SCOPE, REFERRAL_SOURCES } from './report-sources.js';
import { ReportLookups } from './report-lookups.repository.js';
import { ReportingRepository } from './reporting.repository.js';
import { indicatorAvailable, reportScope } from './report-scope.js';
import { Disclosure, withSummedMargins } from './disclosure.js';
import { CATEGORIES } from '../common/categories.js';
import { TERM_BY_CODE } from '../directory/taxonomy.data.js';
import { ReportingService, type ResolvedRequest } from './reporting.service.js';

/** Files and payloads made from the protected tables: CSV, XLSX, the regional PDF, DHIS2. */
@Injectable()
export class ReportOutputsService implements OnModuleInit {
  private readonly logger = new Logger('ReportOutputs');
  private mapping?: Dhis2Mapping;

  constructor(
    private readonly reporting: ReportingService,
    private readonly reports: ReportingRepository,
    private readonly lookups: ReportLookups,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A configured DHIS2 mapping is read and validated at start: a bad file stops the boot. */
  onModuleInit(): void {
    const file = this.config.dhis2MappingFile;
    if (!file) return;
    const parsed = dhis2MappingSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`DHIS2_MAPPING_FILE is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    this.mapping = parsed.data;
    this.logger.log({ indicators: Object.keys(parsed.data.dataElements).length }, 'DHIS2 mapping loaded');
  }

  /** Resolves and computes first (errors become problem+json), then streams. */
  async prepareTable(actor: Actor, ability: AppAbility, q: IndicatorQuery) {
    const req = await this.reporting.resolve(actor, ability, q);
    const tables = await this.reporting.tables(ability, req);
    const label = await this.reporting.labeller(tables);
    return { req, tables, label };
  }

  async writeTable(format: ExportFormat, prepared: { req: ResolvedRequest; tables: ReportTable[]; label: Labeller }, out: Writable): Promise<void> {
    const { req, tables, label } = prepared;
    if (format === 'csv') await writeCsv(tables, label, req.language, out);
    else await writeXlsx(tables, label, req.language, this.reporting.threshold, out);
  }

  /** The regional report's figures, resolved and protected before any byte is written. */
  async prepareRegionalReport(actor: Actor, ability: AppAbility, q: RegionalReportQuery): Promise<RegionalReportData> {
    const language: Language = q.lang ?? actor.language;
    const base = { from: q.from, to: q.to, region: q.region, lang: language };
    const headlineReq = await this.reporting.resolve(actor, ability, base);
    const headline = await this.reporting.tables(ability, headlineReq);
    const total = (t: ReportTable) => t.entries.find((e) => e.coord.every((v) => v === null))!;
    const figures: Figures = {};
    for (const t of headline) {
      figures[t.indicator] = { value: total(t).value, display: total(t).display };
      if (t.activities !== undefined) figures[`${t.indicator as 'CAP-1' | 'CAP-2'}:activities`] = { value: t.activities, display: String(t.activities) };
    }
    const names = await this.lookups.names([q.region]);
    const regionName = names.get(q.region)?.[language === 'ar' ? 'ar' : 'fr'] ?? q.region;
    const pick = (codes: IndicatorCode[]) => codes.find((c) => headlineReq.codes.includes(c));

    const monthly = pick(['PSS-1', 'GBV-1', 'REF-1', 'CAP-1']);
    const byMonth = monthly ? await this.one(actor, ability, { ...base, indicators: [monthly], by: ['period'] }) : undefined;
    const people = pick(['PSS-1', 'GBV-1', 'LIV-1']);
    const bySexAge = people ? await this.one(actor, ability, { ...base, indicators: [people], by: ['sex', 'age_band'] }) : undefined;
    const label = await this.reporting.labeller([]);
    const fig = (t: ReportTable | undefined, coord: (string | null)[], text: string): Figure => {
      const e = t?.entries.find((x) => JSON.stringify(x.coord) === JSON.stringify(coord));
      return { label: text, value: e?.value ?? null, display: e?.display ?? '–' };
    };
    const inner = (t: ReportTable | undefined, dim: number) =>
      [...new Set((t?.entries ?? []).map((e) => e.coord[dim]).filter((v): v is string => v !== null))];
    const sexes = inner(bySexAge, 0).filter((s) => s === 'female' || s === 'male' || bySexAge!.entries.some((e) => e.coord[0] === s && e.coord[1] === null && e.value !== 0));
    const bands = inner(bySexAge, 1);
    // Titles say what is broken down, so the two charts of one indicator never share a title.
    const name = (code: IndicatorCode | undefined, by: keyof typeof BROKEN_DOWN) => (code ? `${code} — ${indicator(code).name[language]} — ${BROKEN_DOWN[by][language]}` : '');
    return {
      language,
      region: regionName,
      from: q.from,
      to: q.to,
      generatedOn: new Date().toISOString().slice(0, 10),
      threshold: this.reporting.threshold,
      headline: headline.map((t) => ({ code: t.indicator, name: indicator(t.indicator).name[language], display: total(t).display, sdg: indicator(t.indicator).sdg.join(' ') })),
      narrative: narrative(language, { region: regionName, from: q.from, to: q.to, figures }),
      byMonth: { title: name(monthly, 'month'), points: inner(byMonth, 0).map((p) => fig(byMonth, [p], p)) },
      bySexAndAge: {
        title: name(people, 'sexAge'),
        series: sexes.map((s) => label('sex', s, language)),
        categories: bands,
        values: sexes.map((s) => bands.map((b) => fig(bySexAge, [s, b], b))),
      },
      funnel: { title: FUNNEL_TITLE[language], steps: this.funnel(headline, language) },
      topNeeds: { title: NEEDS_TITLE[language], items: await this.topNeeds(ability, q, language) },
    };
  }

  /**
   * Needs by category, protected as a one-way table with its total, then ranked by published
   * figures only (ranking by a withheld figure would tell something about it).
   */
  private async topNeeds(ability: AppAbility, q: RegionalReportQuery, language: Language): Promise<Figure[]> {
    if (!indicatorAvailable(ability, NEEDS_SCOPE)) return [];
    const rows = await this.reports.needsByCategory({ from: q.from, to: q.to, region: q.region, scope: reportScope(ability, NEEDS_SCOPE) });
    const cells = CATEGORIES.map((c) => ({ coord: [c], value: rows.find((r) => r.category === c)?.count ?? 0 }));
    const published = new Disclosure(this.reporting.threshold, language).counts(withSummedMargins(cells)).filter((e) => e.coord[0] !== null);
    return published
      .filter((e) => e.value !== 0)
      .sort((a, b) => (b.value ?? -1) - (a.value ?? -1))
      .slice(0, 6)
      .map((e) => ({ label: TERM_BY_CODE.get(`category:${e.coord[0]}`)?.labels[language] ?? String(e.coord[0]), value: e.value, display: e.display }));
  }

  /**
   * Sent → accepted → closed with an outcome → completed: the chain the disclosure module protected
   * with REF-1/2/3 (a step, or its difference to the step before, below the threshold is withheld).
   */
  private funnel(headline: ReportTable[], language: Language): Figure[] {
    const ref1 = headline.find((t) => t.indicator === 'REF-1');
    if (!ref1?.funnel) return [];
    const i = ref1.entries.findIndex((e) => e.coord.every((v) => v === null));
    return (['sent', 'accepted', 'closed', 'completed'] as const).map((k, j) => {
      const e = ref1.funnel![j]![i]!;
      return { label: FUNNEL_STEPS[k][language], value: e.value, display: e.display };
    });
  }

  private async one(actor: Actor, ability: AppAbility, q: IndicatorQuery): Promise<ReportTable> {
    const req = await this.reporting.resolve(actor, ability, q);
    return (await this.reporting.tables(ability, req))[0]!;
  }

  async writeRegionalReport(data: RegionalReportData, out: Writable): Promise<void> {
    await writeRegionalReport(data, out);
  }

  /**
   * DHIS2 `dataValueSets` for a region (or the whole country) and a DHIS2 period, for the mapped
   * indicators available to the caller, each cut by its mapped category dimensions.
   */
  async dhis2(actor: Actor, ability: AppAbility, q: { from: string; to: string; region?: string }): Promise<Dhis2Result> {
    const mapping = this.mapping;
    if (!mapping) throw ReportingErrors.dhis2NotConfigured();
    const period = dhis2Period(q.from, q.to);
    if (!period) throw ReportingErrors.dhis2Period();
    // Period, region and reach are checked once here, so that a refusal is an error, not an empty payload.
    await this.reporting.resolve(actor, ability, { from: q.from, to: q.to, region: q.region });
    const orgUnitKey = q.region ? ((await this.lookups.placeCode(q.region)) ?? q.region) : 'MA';
    const tables: ReportTable[] = [];
    for (const [code, m] of Object.entries(mapping.dataElements) as [IndicatorCode, NonNullable<Dhis2Mapping['dataElements'][IndicatorCode]>][]) {
      // A mapped indicator the caller may not see, or that has no such disaggregation, is left out.
      const req = await this.reporting.resolve(actor, ability, { from: q.from, to: q.to, region: q.region, by: m.disaggregation, indicators: [code] }).catch((e: unknown) => {
        if (e instanceof DomainError && (e.status === 403 || e.status === 400)) return null;
        throw e;
      });
      if (req) tables.push(...(await this.reporting.tables(ability, req)));
    }
    return toDataValueSet(tables, mapping, orgUnitKey, period);
  }
}

const FUNNEL_STEPS: Record<'sent' | 'accepted' | 'closed' | 'completed', Record<Language, string>> = {
  sent: { fr: 'Envoyées', en: 'Sent', ar: 'مرسلة' },
  accepted: { fr: 'Acceptées', en: 'Accepted', ar: 'مقبولة' },
  closed: { fr: 'Clôturées avec un résultat', en: 'Closed with an outcome', ar: 'مغلقة بنتيجة' },
  completed: { fr: 'Réalisées', en: 'Completed', ar: 'منجزة' },
};

const BROKEN_DOWN: Record<'month' | 'sexAge', Record<Language, string>> = {
  month: { fr: 'par mois', en: 'by month', ar: 'حسب الشهر' },
  sexAge: { fr: 'par sexe et tranche d’âge', en: 'by sex and age band', ar: 'حسب الجنس والفئة العمرية' },
};

const FUNNEL_TITLE: Record<Language, string> = { fr: 'Parcours des orientations', en: 'Referrals funnel', ar: 'مسار الإحالات' };
const NEEDS_TITLE: Record<Language, string> = { fr: 'Besoins les plus fréquents', en: 'Top needs', ar: 'الاحتياجات الأكثر تكرارا' };
