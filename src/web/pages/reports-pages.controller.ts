import { Controller, Get, Injectable, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppAbility } from '../../authorization/ability.factory.js';
import type { Actor } from '../../authorization/actor.js';
import { Can, CurrentAbility, CurrentActor } from '../../authorization/policies.js';
import { PlacesService } from '../../places/places.service.js';
import { ReportingService, type IndicatorView } from '../../reporting/reporting.service.js';
import { ReportOutputsService } from '../../reporting/report-outputs.service.js';
import { FactsheetService } from '../../reporting/factsheet.service.js';
import { DISAGGREGATIONS } from '../../reporting/indicator-catalogue.js';
import { IndicatorQuery, INTERVALS, RegionalReportQuery } from '../../reporting/dto/indicator-query.dto.js';
import { Dhis2Query, ExportQuery } from '../../reporting/dto/dhis2-query.dto.js';
import { labellerFrom, periodLabel } from '../../reporting/report-table.js';
import { regionOnlyGrants, unitOnlyGrants } from '../../reporting/report-scope.js';
import { OrganisationsService } from '../../organisations/organisations.service.js';
import type { DashboardCard, DashboardSource } from '../dashboard-cards.js';
import { attempt, parseForm, type FormBody } from '../forms.js';
import { Views, type PageRequest } from '../views.service.js';
import { attachment } from '../../common/attachment.js';
import { LagTolerant } from '../../database/read-replica.js';

const FILTERS = ['from', 'to', 'region', 'province', 'unit', 'by', 'interval', 'indicators'] as const;
/**
 * A horizontal bar chart in HTML: each row's label and value are page text (they wrap and stay
 * readable at 360 px, right to left in Arabic), the bar a one-rectangle SVG stretched to its cell
 * (no script, no style attribute: the CSP stays strict). A withheld value draws no bar.
 */
export function barChart(bars: Array<{ label: string; value: number | null; display: string }>, title: string, rtl: boolean): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  const rows = bars.map((b) => {
    const w = b.value === null ? 0 : Math.round((b.value / max) * 1000) / 10;
    const bar = `<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false" aria-hidden="true"><rect x="${rtl ? 100 - w : 0}" y="0" width="${w}" height="10" fill="#0b5c4a"></rect></svg>`;
    return `<span class="bar-label">${esc(b.label)}</span>${bar}<span class="bar-value">${esc(b.display)}</span>`;
  });
  const summary = `${title} — ${bars.map((b) => `${b.label} ${b.display}`).join(rtl ? '، ' : ', ')}`;
  return `<div class="chart" role="img" aria-label="${esc(summary)}">${rows.join('')}</div>`;
}

/**
 * Reports for coordinators and analysts (and units, their own): filters, tables with the withheld
 * cells marked, bar charts, and the CSV / XLSX / PDF / DHIS2 exports — all through the reporting
 * services (scope, suppression and all), the exports as page routes so that the session works.
 */
@ApiExcludeController()
@Controller('reports')
@LagTolerant()
export class ReportsPagesController {
  constructor(
    private readonly views: Views,
    private readonly reporting: ReportingService,
    private readonly outputs: ReportOutputsService,
    private readonly places: PlacesService,
    private readonly organisations: OrganisationsService,
    private readonly factsheets: FactsheetService,
  ) {}

  @Get()
  @Can('read', 'Report')
  async index(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Query() raw: FormBody) {
    const year = new Date().getUTCFullYear();
    const places = await this.placeFilters(ability);
    const q: Record<string, string | undefined> = { from: `${year}-01-01`, to: `${year}-12-31`, ...this.filters(raw) };
    // A reader of one region (a coordinator) reads that region's report: the PDF and DHIS2 links are offered at once.
    if (!q.region && places.regions.length === 1) q.region = places.regions[0]!.id;
    const lang = this.views.language(req);
    // A compact summary of the totals first; each indicator's breakdown and chart folded beneath it
    // (open when one indicator is asked for). One query, the API's own: the page adds no round trip.
    const detail = typeof q.indicators === 'string' && !q.indicators.includes(',') ? q.indicators : null;
    const r = await attempt(async () => this.reporting.indicators(actor, ability, await parseForm(IndicatorQuery, { ...q, lang } as FormBody)));
    // Bad filters are shown on the page; a place outside the caller's scope is the not-found page.
    if (!r.ok && r.error.status === 404) throw r.error;
    const label = labellerFrom();
    // Periods in words on the page (« T1 2026 »); the exports keep their codes, which sort.
    const dimLabel = (d: string, v: string | null) => (d === 'period' && v ? periodLabel(v, lang) : (v && r.ok && r.value.labels[v]) || label(d as never, v, lang));
    const charts = new Map<string, string>();
    if (r.ok) {
      for (const ind of r.value.indicators as IndicatorView[]) {
        if (ind.by.length !== 1) continue;
        const bars = ind.cells.filter((c) => c.coord[ind.by[0]!] !== null).map((c) => ({ label: dimLabel(ind.by[0]!, c.coord[ind.by[0]!] ?? null), value: c.suppressed ? null : Number(c.value), display: String(c.display) }));
        if (bars.length) charts.set(ind.code, barChart(bars, ind.name, lang === 'ar'));
      }
    }
    const query = new URLSearchParams(Object.entries(q).filter(([, v]) => typeof v === 'string') as Array<[string, string]>).toString();
    await this.views.send(
      req,
      res,
      'reports/index',
      { title: 'reports.title', q, detail, showDetails: !!detail || !!q.by, detailQuery: (code: string) => new URLSearchParams({ ...Object.fromEntries(Object.entries(q).filter(([, v]) => typeof v === 'string')), indicators: code }).toString(), result: r.ok ? r.value : null, error: r.ok ? null : r.error, ...places, dimensions: DISAGGREGATIONS, by: q.by?.split(',') ?? [], intervals: INTERVALS, dimLabel, charts, query, canExport: ability.can('export', 'Report') },
      r.ok ? 200 : r.error.status,
    );
  }

  /** The programme factsheet's section as a page: a region (the coordinator's own by default) and a period. */
  @Get('factsheet')
  @Can('read', 'Report')
  async factsheet(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Query() raw: FormBody) {
    const year = new Date().getUTCFullYear();
    const places = await this.placeFilters(ability);
    const region = typeof raw.region === 'string' && raw.region ? raw.region : (actor.regionId ?? places.regions[0]?.id ?? '');
    const q = { from: `${year}-01-01`, to: `${year}-12-31`, ...this.filters(raw), region };
    const lang = this.views.language(req);
    const r = await attempt(async () => this.factsheets.build(actor, ability, await parseForm(RegionalReportQuery, { region: q.region, from: q.from, to: q.to, lang } as FormBody)));
    if (!r.ok && r.error.status === 404) throw r.error;
    await this.views.send(req, res, 'reports/factsheet', { title: 'factsheet.title', q, regions: places.regions, sheet: r.ok ? r.value : null, error: r.ok ? null : r.error }, r.ok ? 200 : r.error.status);
  }

  @Get('export')
  @Can('export', 'Report')
  async export(@Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Query() raw: FormBody) {
    const { format, ...query } = await parseForm(ExportQuery, { ...this.filters(raw), format: raw.format } as FormBody);
    const prepared = await this.outputs.prepareTable(actor, ability, query);
    attachment(res, format, `tawjih-indicators-${query.from}-${query.to}`);
    await this.outputs.writeTable(format, prepared, res);
  }

  @Get('regional.pdf')
  @Can('export', 'Report')
  async regional(@Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Query() raw: FormBody) {
    const q = await parseForm(RegionalReportQuery, { region: raw.region, from: raw.from, to: raw.to, lang: raw.lang } as FormBody);
    const data = await this.outputs.prepareRegionalReport(actor, ability, q);
    attachment(res, 'pdf', `tawjih-regional-report-${q.from}-${q.to}`);
    await this.outputs.writeRegionalReport(data, res);
  }

  @Get('dhis2.json')
  @Can('export', 'Report')
  async dhis2(@Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Query() raw: FormBody) {
    const q = await parseForm(Dhis2Query, { region: raw.region, from: raw.from, to: raw.to } as FormBody);
    const { payload, skipped } = await this.outputs.dhis2(actor, ability, q);
    res.setHeader('X-Tawjih-Skipped-Values', String(skipped.length));
    res.setHeader('Content-Disposition', `attachment; filename="tawjih-dhis2-${q.from}-${q.to}.json"`);
    res.json(payload);
  }

  /**
   * The places and units the caller may narrow to: a unit-bound caller (supervisor) gets none (the
   * report is already its unit's), a coordinator its region's, a national reader every region.
   */
  private async placeFilters(ability: AppAbility) {
    if (unitOnlyGrants(ability) !== null) return { regions: [], provinces: [], units: [] };
    const allowed = regionOnlyGrants(ability);
    const regions = (await this.places.list({ level: 'region', limit: 50 })).items.filter((p) => !allowed || allowed.includes(p.id));
    const provinces = await this.places.within(regions.map((p) => p.id), { communes: false });
    // Units listed are the counselling units the caller may read (a coordinator: its region's).
    const units = (await this.organisations.list(ability, { type: 'counselling_unit', limit: 100 })).items;
    return { regions, provinces, units };
  }

  /**
   * The filters as one string each. `by` comes from two selects ("break down by", "then by"), so it
   * may be repeated: joined as the API reads it (`sex,age_band`), a dimension picked twice once. The
   * interval only means something beside a breakdown by period, and is kept only then.
   */
  private filters(raw: FormBody): Record<string, string> {
    const by = [...new Set([raw.by].flat().flatMap((v) => (typeof v === 'string' ? v.split(',') : [])).map((v) => v.trim()).filter(Boolean))];
    const out = Object.fromEntries(FILTERS.map((k) => [k, k === 'by' ? by.join(',') : raw[k]]).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<string, string>;
    if (!by.includes('period')) delete out.interval;
    return out;
  }

}

/** Coordinators, analysts and unit supervisors: a card to the reports page. */
@Injectable()
export class ReportsDashboard implements DashboardSource {
  async cards(_actor: Actor, ability: AppAbility): Promise<DashboardCard[]> {
    if (!ability.can('export', 'Report')) return [];
    return [{ id: 'reports', title: 'nav.reports', href: '/reports', text: 'dashboard.reportsText' }];
  }
}
