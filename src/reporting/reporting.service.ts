import { Inject, Injectable } from '@nestjs/common';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { ScopeColumns, SqlScope } from '../authorization/scope.js';
import type { Actor, Language } from '../authorization/actor.js';
import { notFound } from '../common/domain-error.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import type { IndicatorQuery, Interval } from './dto/indicator-query.dto.js';
import {
  AGE_BANDS,
  INDICATORS,
  POPULATION_GROUPS,
  SEX_VALUES,
  ACTIVITY_KINDS,
  NATIONALITY_GROUP_VALUES,
  indicator,
  type Disaggregation,
  type IndicatorCode,
  type IndicatorDefinition,
} from './indicator-catalogue.js';
import { labellerFrom, type Labeller, type ReportTable } from './report-table.js';
import { indicatorAvailable, regionOnlyGrants, reportScope, scopedOnlyBy, unitOnlyGrants } from './report-scope.js';
import { ReportingErrors } from './reporting.errors.js';
import { REFERRAL_CHAIN, ROLLUP_SCOPE, SOURCES, type GroupRow, type Source, type TableRequest } from './report-sources.js';
import { ReportLookups } from './report-lookups.repository.js';
import { ReportingRepository } from './reporting.repository.js';
import { Disclosure, type Entry, type Published } from './disclosure.js';
import type { CellView, IndicatorsView as IndicatorsResponse, IndicatorView } from './reporting.views.js';

/** Longest period one request may cover. */
export const MAX_REPORT_YEARS = 10;

/** Values a closed dimension always shows (a zero is a figure too); open ones come from the data. */
const CLOSED_VALUES: Partial<Record<Disaggregation, readonly string[]>> = {
  sex: SEX_VALUES,
  age_band: AGE_BANDS,
  population_group: POPULATION_GROUPS,
  nationality_group: NATIONALITY_GROUP_VALUES,
  activity_kind: ACTIVITY_KINDS,
};

/** A checked request: the table request without its scope (that depends on each source), plus what to show. */
export interface ResolvedRequest extends Omit<TableRequest, 'scope'> {
  language: Language;
  codes: IndicatorCode[];
}

/** The answer's types are the views (reporting.views.ts). */
export type { CellView, IndicatorView, IndicatorsResponse };

@Injectable()
export class ReportingService {
  constructor(
    private readonly reports: ReportingRepository,
    private readonly lookups: ReportLookups,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get threshold(): number {
    return this.config.suppressionThreshold;
  }

  async indicators(actor: Actor, ability: AppAbility, q: IndicatorQuery): Promise<IndicatorsResponse> {
    const req = await this.resolve(actor, ability, q);
    const tables = await this.tables(ability, req);
    const label = await this.labeller(tables);
    const labels: Record<string, string> = {};
    const views = tables.map((t) => this.view(t, req.language, label, labels));
    return {
      from: req.from,
      to: req.to,
      interval: req.interval,
      by: req.by,
      filters: { region: req.region ?? null, province: req.province ?? null, unit: req.unit ?? null },
      threshold: this.threshold,
      indicators: views,
      labels,
    };
  }

  /**
   * Checks the request against the catalogue and the caller's reach; picks the indicators (all
   * that fit and are available when none is named).
   */
  async resolve(actor: Actor, ability: AppAbility, q: IndicatorQuery): Promise<ResolvedRequest> {
    if (q.from > q.to) throw ReportingErrors.badPeriod();
    if (Number(q.to.slice(0, 4)) - Number(q.from.slice(0, 4)) > MAX_REPORT_YEARS) throw ReportingErrors.periodTooLong(MAX_REPORT_YEARS);
    const by = q.by ?? [];
    await this.checkFilters(ability, q);
    const fits = (code: IndicatorCode): true | ReturnType<typeof ReportingErrors.notDisaggregable> => {
      const def = indicator(code);
      const missing = by.filter((d) => !def.disaggregations.includes(d));
      if (missing.length) return ReportingErrors.notDisaggregable(code, missing);
      if (q.unit && !SOURCES[code]?.filters.unit) return ReportingErrors.filterNotApplicable(code, 'unit');
      return true;
    };
    const usable = (code: IndicatorCode) => SOURCES[code] !== undefined && indicatorAvailable(ability, SOURCES[code]!.scope);
    let codes: IndicatorCode[];
    if (q.indicators?.length) {
      for (const code of q.indicators) {
        const fit = fits(code);
        if (fit !== true) throw fit;
        if (!usable(code)) throw ReportingErrors.indicatorNotAvailable(code);
      }
      codes = q.indicators;
    } else {
      codes = INDICATORS.map((i) => i.code).filter((c) => usable(c) && fits(c) === true);
      if (!codes.length) throw ReportingErrors.noIndicator();
    }
    return {
      from: q.from,
      to: q.to,
      interval: q.interval ?? 'month',
      by,
      region: q.region,
      province: q.province,
      unit: q.unit,
      language: q.lang ?? actor.language,
      codes,
    };
  }

  /** Filters must name real places/units; one clearly outside the caller's reach answers 404. */
  private async checkFilters(ability: AppAbility, q: IndicatorQuery): Promise<void> {
    const regions = regionOnlyGrants(ability);
    if (q.region) {
      const p = await this.lookups.place(q.region);
      if (p?.level !== 'region') throw ReportingErrors.placeNotFound('region');
      if (regions && !regions.includes(p.id)) throw notFound('region');
    }
    if (q.province) {
      const p = await this.lookups.place(q.province);
      if (p?.level !== 'province') throw ReportingErrors.placeNotFound('province');
      if (regions && !regions.includes(p.parentId ?? '')) throw notFound('province');
    }
    if (q.unit) {
      const u = await this.lookups.unit(q.unit);
      if (!u) throw ReportingErrors.unitNotFound();
      const units = unitOnlyGrants(ability);
      if (regions && !regions.includes(u.regionId ?? '')) throw notFound('unit');
      if (units && !units.includes(u.id)) throw notFound('unit');
    }
  }

  /**
   * The protected tables of the request (what every output is made from). The referral
   * indicators are protected together, as one chain (sent ⊇ accepted ⊇ closed ⊇ completed) whatever
   * the request names, so REF-1 and the percentages computed on it cannot be combined, and the
   * same cells are withheld in every report of the same table.
   */
  async tables(ability: AppAbility, req: ResolvedRequest): Promise<ReportTable[]> {
    const chained = req.codes.some((c) => CHAIN_CODES.has(c));
    const rollup = chained && usesRollup(ability, req);
    // REF-2 and REF-3 are computed from the chain's counts, not queried on their own; REF-1 and
    // the chain come from the roll-up when it can answer the request exactly.
    const queried = [...new Set([...req.codes.filter((c) => c !== 'REF-2' && c !== 'REF-3' && !(rollup && c === 'REF-1')), ...(chained && !rollup ? (['REF-1'] as const) : [])])];
    // The caller's scope rendered once per set of scope columns (the sources of a family share theirs),
    // not once per indicator: rendering walks the ability's rules and hashes each condition.
    const scopes = new Map<string, SqlScope>();
    const scopeOn = (columns: ScopeColumns) => {
      const key = JSON.stringify(columns);
      if (!scopes.has(key)) scopes.set(key, reportScope(ability, columns));
      return scopes.get(key)!;
    };
    const items = queried.map((code) => ({ source: SOURCES[code]!, scope: scopeOn(SOURCES[code]!.scope) }));
    if (chained && !rollup) items.push({ source: REFERRAL_CHAIN, scope: scopeOn(REFERRAL_CHAIN.scope) });
    const rows = await this.reports.tables(items, req, rollup ? scopeOn(ROLLUP_SCOPE) : undefined);
    const rowsOf = new Map<IndicatorCode | 'chain', GroupRow[]>(queried.map((c, i) => [c, rows[i]!]));
    if (chained) {
      rowsOf.set('REF-1', rows[rollup ? items.length : queried.indexOf('REF-1')]!);
      rowsOf.set('chain', rows[rollup ? items.length + 1 : queried.length]!);
    }
    const disclosure = new Disclosure(this.threshold, req.language);
    const chain = chained ? this.referralChain(req, rowsOf.get('REF-1')!, rowsOf.get('chain')!, disclosure) : undefined;
    return req.codes.map((code) => this.protectTable(code, req, rowsOf.get(code) ?? [], disclosure, chain));
  }

  /** The referral chain over the request's grid: sent (REF-1), accepted, closed with an outcome, completed. */
  private referralChain(req: ResolvedRequest, sent: GroupRow[], counts: GroupRow[], disclosure: Disclosure) {
    const grid = fillGrid(req, sent);
    const byKey = new Map(counts.map((r) => [JSON.stringify(r.coord), r]));
    const at = (coord: readonly (string | null)[]) => byKey.get(JSON.stringify(coord));
    const steps = [
      grid.map((e) => e.value),
      grid.map((e) => at(e.coord)?.value ?? 0),
      grid.map((e) => at(e.coord)?.base ?? 0),
      grid.map((e) => at(e.coord)?.companion ?? 0),
    ];
    return { coords: grid.map((e) => e.coord), steps, published: disclosure.chain({ coords: grid.map((e) => e.coord), steps }) };
  }

  private protectTable(
    code: IndicatorCode,
    req: ResolvedRequest,
    rows: GroupRow[],
    disclosure: Disclosure,
    chain: ReturnType<ReportingService['referralChain']> | undefined,
  ): ReportTable {
    const def = indicator(code);
    const table: ReportTable = { indicator: code, by: req.by, from: req.from, to: req.to, entries: [] };
    if (chain && (code === 'REF-1' || code === 'REF-2' || code === 'REF-3')) {
      const [sent, accepted, closed] = chain.published as [Published[], Published[], Published[]];
      if (code === 'REF-1') (table.entries = sent), (table.funnel = chain.published);
      else {
        const step = code === 'REF-2' ? 1 : 2;
        const num = code === 'REF-2' ? accepted : closed;
        table.entries = sent.map((den, i) => disclosure.ratio(num[i]!, den, chain.steps[step]![i]!, chain.steps[0]![i]!));
      }
      return table;
    }
    const grid = fillGrid(req, rows);
    // A median is behind the count of its records: the chain's step when the chain is published
    // beside it (accepted for REF-4, completed for REF-5), else that count protected on its own.
    const step = chain && (code === 'REF-4' ? 1 : code === 'REF-5' ? 3 : undefined);
    if (def.aggregation === 'median' && step) {
      const at = new Map(chain.coords.map((c, i) => [JSON.stringify(c), chain.published[step]![i]!]));
      table.entries = grid.map((e) => disclosure.median(e.coord, e.value, e.base, at.get(JSON.stringify(e.coord))));
    } else if (def.aggregation === 'median') table.entries = disclosure.medians(grid);
    else table.entries = disclosure.counts(grid.map((e): Entry => ({ coord: e.coord, value: e.value })), additive(code, req.by));
    if (def.theme === 'capacity') {
      table.activityCounts = grid.map((e) => e.companion);
      table.activities = grid.find((e) => e.coord.every((v) => v === null))?.companion ?? 0;
    }
    return table;
  }

  async labeller(tables: ReportTable[]): Promise<Labeller> {
    const ids = new Set<string>();
    for (const t of tables) {
      t.by.forEach((d, i) => {
        if (d === 'region' || d === 'province' || d === 'unit') for (const e of t.entries) if (e.coord[i]) ids.add(e.coord[i]!);
      });
    }
    return labellerFrom(await this.lookups.names([...ids]));
  }

  private view(t: ReportTable, language: Language, label: Labeller, labels: Record<string, string>): IndicatorView {
    const def = indicator(t.indicator);
    const cell = (e: Published) => ({ value: e.value, display: e.display, suppressed: e.suppressed, reason: e.reason });
    const total = t.entries.find((e) => e.coord.every((v) => v === null))!;
    return {
      code: def.code,
      name: def.name[language],
      definition: def.definition[language],
      unit: def.unit,
      aggregation: def.aggregation,
      sdg: def.sdg,
      by: t.by,
      total: cell(total),
      cells: t.entries.map((e) => {
        const coord: CellView['coord'] = {};
        t.by.forEach((d, i) => {
          const v = e.coord[i] ?? null;
          coord[d] = v;
          if (v && (d === 'region' || d === 'province' || d === 'unit')) labels[v] = label(d, v, language);
        });
        return { coord, ...cell(e) };
      }),
      ...(t.activities !== undefined ? { activities: t.activities } : {}),
    };
  }
}

/**
 * Whether a table's margins are sums of its cells, so that the disclosure audit (an attacker solving
 * the linear system) applies: counts always; counts of distinct persons when every dimension puts
 * each person in one cell (by sex or age band, not by month or unit, where one person may be in two).
 */
export function additive(code: IndicatorCode, by: readonly Disaggregation[]): boolean {
  const def = indicator(code);
  if (def.aggregation === 'count') return true;
  const once = SOURCES[code]?.oneCellPerPerson ?? [];
  return def.aggregation === 'distinct_count' && by.every((d) => once.includes(d));
}

/**
 * Whether the monthly roll-up answers the request's referral figures exactly: REF-1/2/3 only (the
 * medians need each referral's times, GBV-2 distinct persons), whole months, and a caller scoped
 * by unit or region (the roll-up has no provider).
 */
function usesRollup(ability: AppAbility, req: ResolvedRequest): boolean {
  if (req.codes.some((c) => c === 'REF-4' || c === 'REF-5' || c === 'GBV-2')) return false;
  if (!req.from.endsWith('-01') || req.to !== lastDayOfMonth(req.to)) return false;
  return scopedOnlyBy(ability, Object.keys(ROLLUP_SCOPE));
}

const lastDayOfMonth = (day: string) => {
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  return `${day.slice(0, 7)}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

/** Indicators protected as the referral chain. */
const CHAIN_CODES = new Set<IndicatorCode>(['REF-1', 'REF-2', 'REF-3']);

/** Periods of the request as the `period` dimension writes them. */
export function periodsBetween(from: string, to: string, interval: Interval): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const [ty, tm] = [Number(to.slice(0, 4)), Number(to.slice(5, 7))];
  if (interval === 'quarter') m = Math.floor((m - 1) / 3) * 3 + 1;
  if (interval === 'year') m = 1;
  const step = { month: 1, quarter: 3, year: 12 }[interval];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(interval === 'year' ? String(y) : interval === 'quarter' ? `${y}-Q${(m + 2) / 3}` : `${y}-${String(m).padStart(2, '0')}`);
    m += step;
    while (m > 12) (m -= 12), (y += 1);
  }
  return out;
}

/**
 * Every cell and margin of the table, zeros included: the values of each dimension are its fixed
 * values (or the periods of the request) plus whatever the data holds.
 */
function fillGrid(req: Pick<ResolvedRequest, 'by' | 'from' | 'to' | 'interval'>, rows: GroupRow[]): (Entry & { base: number; companion: number })[] {
  const values = req.by.map((d, i) => {
    const seen = new Set<string>(d === 'period' ? periodsBetween(req.from, req.to, req.interval) : (CLOSED_VALUES[d] ?? []));
    for (const r of rows) if (r.coord[i] !== null) seen.add(r.coord[i]!);
    return [...seen, null];
  });
  const byKey = new Map(rows.map((r) => [JSON.stringify(r.coord), r]));
  const coords: (string | null)[][] = values.reduce<(string | null)[][]>((acc, vs) => acc.flatMap((c) => vs.map((v) => [...c, v])), [[]]);
  return coords.map((coord) => {
    const r = byKey.get(JSON.stringify(coord));
    return { coord, value: r?.value ?? 0, base: r?.base ?? 0, companion: r?.companion ?? 0 };
  });
}

export type { Source };
