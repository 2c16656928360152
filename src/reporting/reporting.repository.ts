import { createHash } from 'node:crypto';
import { PROGRAMME_TIME_ZONE } from '../vocabulary/index.js';
import { Injectable } from '@nestjs/common';
import type { ScopeColumns, SqlScope } from '../authorization/scope.js';
import { TransactionHost } from '../database/transaction.js';
import { ROLLUP_LOCK } from '../../migrations/1796158210615-ReportReferralRollup.js';
import type { Interval } from './dto/indicator-query.dto.js';
import { acceptedSql } from '../referrals/referral-rules.js';
import {
  CAP_ACTIVITY_KINDS,
  CLINICAL_RAPE_CATEGORY,
  HEALTH_OR_PSS_CATEGORIES,
  LIVELIHOOD_CATEGORY,
  LIVELIHOOD_OUTCOMES,
  NATIONALITY_GROUPS,
  PSS_CATEGORY,
  type Disaggregation,
  type IndicatorCode,
} from './indicator-catalogue.js';

/**
 * All SQL of the reporting feature. Each indicator is a *source*: the rows it counts (FROM and
 * WHERE), the column that places a row in time, an SQL expression per dimension, and the
 * aggregate. Every cell and every margin is computed at once with GROUPING SETS, so
 * distinct-person margins are true distinct counts (not sums of cells) and no row ever reaches
 * Node. Sources of one family (deliveries, referrals, activities) under the same scope are
 * computed in one pass over their table, each indicator's own conditions becoming a filter of its
 * aggregates; the families run side by side on separate connections. Only codes and ids leave
 * this file — never a name or a case code.
 */

/** Dates are bucketed and compared in the programme's local time. */
export const REPORT_TIME_ZONE = PROGRAMME_TIME_ZONE;

export interface Source {
  /** Sources of a family share FROM, moment, dimensions and filters: one statement computes them together. */
  family: 'delivery' | 'referral' | 'activity' | 'referral_rollup';
  from: string;
  where: string[];
  params?: Record<string, unknown>;
  /** The row's moment: a `date` column or a `timestamptz` one. */
  at: { expr: string; type: 'date' | 'timestamptz' };
  dims: Partial<Record<Disaggregation, string>>;
  /** Row columns the aggregates read, as `r.<name>` (e.g. `{ person_id: 'd.person_id' }`). */
  fields: Record<string, string>;
  /** Columns the region / province / unit filters apply to (absent: the filter does not apply). */
  filters: { region: string; province: string; unit?: string };
  /** Condition fields of the Report subject (ability.factory.ts) → columns of this source. */
  scope: ScopeColumns;
  /**
   * Aggregates over the rows `r` (a figure, the records behind it, CAP's number of activities).
   * Written as for this source alone: `COUNT(*)` and `r.<field>` are rewritten when the source
   * shares its statement with others.
   */
  value: string;
  base?: string;
  companion?: string;
}

export interface TableRequest {
  from: string;
  to: string;
  interval: Interval;
  by: Disaggregation[];
  region?: string;
  province?: string;
  unit?: string;
  scope: SqlScope;
}

/** One row of a grouping-sets result: dimension values (null = margin), the figure and its base. */
export interface GroupRow {
  coord: (string | null)[];
  value: number;
  base: number;
  companion: number;
}

const activitySource = (code: 'CAP-1' | 'CAP-2'): Source => ({
  family: 'activity',
  from: 'activity a LEFT JOIN activity_participation ap ON ap.activity_id = a.id',
  where: [`a.kind IN (:...kinds_${code.replace('-', '')})`],
  params: { [`kinds_${code.replace('-', '')}`]: CAP_ACTIVITY_KINDS[code] },
  at: { expr: 'a.held_on', type: 'date' },
  dims: {
    region: 'a.region_id::text',
    province: "COALESCE(a.province_id::text, 'none')",
    sex: "COALESCE(ap.sex::text, 'unknown')",
    organisation_type: "COALESCE(ap.organisation_type::text, 'unknown')",
    activity_kind: 'a.kind::text',
  },
  fields: { activity_id: 'a.id', participants: 'ap.count' },
  filters: { region: 'a.region_id', province: 'a.province_id' },
  scope: { regionId: 'a.region_id' },
  value: 'COALESCE(SUM(r.participants), 0)',
  companion: 'COUNT(DISTINCT r.activity_id)',
});

/**
 * A person's age band for a table: from the birth date, at the last day of the period (so a
 * person sits in one band per table); else the band recorded at intake; else unknown.
 */
const ageBand = (p: string, at = 'CAST(:rTo AS date)') => `COALESCE(CASE
    WHEN ${p}.birth_date IS NULL THEN NULL
    WHEN ${p}.birth_date > ${at} - INTERVAL '18 years' THEN '0-17'
    WHEN ${p}.birth_date > ${at} - INTERVAL '25 years' THEN '18-24'
    WHEN ${p}.birth_date > ${at} - INTERVAL '60 years' THEN '25-59'
    ELSE '60+' END, ${p}.age_band::text, 'unknown')`;

/**
 * Referrals are events: the person's age band is taken on the day the referral was sent (so a
 * month's referrals keep their bands in the monthly roll-up, whatever period a table covers).
 */
const SENT_DAY = `(r.sent_at AT TIME ZONE '${REPORT_TIME_ZONE}')::date`;

/** Nationality → group, from the catalogue's table (ISO codes are constants, inlined). */
const nationalityGroup = (p: string) =>
  `CASE WHEN ${p}.nationality IS NULL THEN 'unknown' ${Object.entries(NATIONALITY_GROUPS)
    .map(([g, codes]) => `WHEN upper(${p}.nationality) IN (${codes.map((c) => `'${c}'`).join(', ')}) THEN '${g}'`)
    .join(' ')} ELSE 'other' END`;

/** Person dimensions and the geography of the counselling unit (`u`) holding the case. */
const personDims = (p: string, unitCol: string): Source['dims'] => ({
  region: "COALESCE(u.region_id::text, 'none')",
  province: "COALESCE(u.province_id::text, 'none')",
  unit: `${unitCol}::text`,
  sex: `${p}.sex::text`,
  age_band: ageBand(p),
  population_group: `COALESCE(${p}.population_group::text, 'unknown')`,
  nationality_group: nationalityGroup(p),
});

/** Deliveries (`d`) with their person (`p`) and the unit holding the case (`u`). */
const deliverySource = (where: string[], params: Record<string, unknown>, value: string): Source => ({
  family: 'delivery',
  // LEFT JOINs on primary keys: PostgreSQL drops a join whose columns a query does not use.
  from: 'delivery d LEFT JOIN person p ON p.id = d.person_id LEFT JOIN organisation u ON u.id = d.unit_id',
  where,
  params,
  at: { expr: 'd.delivered_on', type: 'date' },
  dims: personDims('p', 'd.unit_id'),
  fields: { person_id: 'd.person_id' },
  filters: { region: 'u.region_id', province: 'u.province_id', unit: 'd.unit_id' },
  // Providers read referral figures only (issue 6): deliveries are not scoped to them.
  scope: { unitId: 'd.unit_id', regionId: 'u.region_id' },
  value,
});

const livelihood = (code: keyof typeof LIVELIHOOD_OUTCOMES, persons: boolean): Source => {
  const key = `liv_${code.slice(-1)}`;
  return deliverySource(
    [`d.category = :livCategory`, `d.outcome = :${key}`],
    { livCategory: LIVELIHOOD_CATEGORY, [key]: LIVELIHOOD_OUTCOMES[code] },
    persons ? 'COUNT(DISTINCT r.person_id)' : 'COUNT(*)',
  );
};

/**
 * Referrals (`r`) sent in the period, with the case's person (`p`) and the referring unit (`u`).
 * A referral was accepted when it was answered and not declined (answered = accepted or declined;
 * a later cancel keeps the acceptance); it closed with an outcome when completed or not completed.
 * Providers see the referrals sent to their organisation (their Report rule).
 */
const referralSource = (extra: Partial<Source> & Pick<Source, 'value'>): Source => ({
  family: 'referral',
  from: `referral r LEFT JOIN case_file c ON c.id = r.case_id LEFT JOIN person p ON p.id = c.person_id LEFT JOIN organisation u ON u.id = r.unit_id`,
  where: ['r.sent_at IS NOT NULL'],
  at: { expr: 'r.sent_at', type: 'timestamptz' },
  dims: { ...personDims('p', 'r.unit_id'), age_band: ageBand('p', SENT_DAY) },
  fields: {
    referral_id: 'r.id',
    // Nested by construction (closed and completed ones were accepted), as the funnel's chain needs.
    accepted: acceptedSql('r'),
    closed: "(r.answered_at IS NOT NULL AND r.status IN ('completed', 'not_completed'))",
    completed: "(r.answered_at IS NOT NULL AND r.status = 'completed')",
    hours_to_accept: `CASE WHEN ${acceptedSql('r')} THEN EXTRACT(EPOCH FROM r.answered_at - r.sent_at) / 3600 END`,
    // A referral has at most one delivery (delivery_referral_uq), recorded when it is completed (a
    // final state; no other path sets delivery.referral_id): looked up for completed ones only.
    days_to_service: `CASE WHEN r.status = 'completed' THEN (SELECT dl.delivered_on FROM delivery dl WHERE dl.referral_id = r.id) - (r.sent_at AT TIME ZONE '${REPORT_TIME_ZONE}')::date END`,
  },
  filters: { region: 'u.region_id', province: 'u.province_id', unit: 'r.unit_id' },
  scope: { unitId: 'r.unit_id', regionId: 'u.region_id', providerOrganisationId: 'r.provider_organisation_id' },
  ...extra,
});

export const REFERRAL_SOURCES: Partial<Record<IndicatorCode, Source>> = {
  'REF-1': referralSource({ value: 'COUNT(*)' }),
  // REF-2 and REF-3 are computed from REFERRAL_CHAIN's counts (disclosure control needs them).
  'REF-2': referralSource({ value: 'COUNT(*) FILTER (WHERE r.accepted)', base: 'COUNT(*)' }),
  'REF-3': referralSource({ value: 'COUNT(*) FILTER (WHERE r.closed)', base: 'COUNT(*)' }),
  'REF-4': referralSource({
    value: 'percentile_cont(0.5) WITHIN GROUP (ORDER BY r.hours_to_accept)',
    base: 'COUNT(r.hours_to_accept)',
  }),
  'REF-5': referralSource({
    where: ['r.sent_at IS NOT NULL', "r.status = 'completed'"],
    value: 'percentile_cont(0.5) WITHIN GROUP (ORDER BY r.days_to_service)',
    base: 'COUNT(r.days_to_service)',
  }),
  // Survivors of rape whose referral to clinical care was sent within 72 h of the start of the
  // incident day (incident dates are days; the earliest moment is the generous reading).
  'GBV-2': referralSource({
    where: [
      'r.sent_at IS NOT NULL',
      'r.category = :gbv2Category',
      `EXISTS (SELECT 1 FROM incident i WHERE i.case_id = r.case_id AND i.type = 'rape' AND i.incident_date IS NOT NULL
         AND r.sent_at >= (i.incident_date::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}')
         AND r.sent_at <= (i.incident_date::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}') + INTERVAL '72 hours')`,
    ],
    params: { gbv2Category: CLINICAL_RAPE_CATEGORY },
    // The person is looked up for clinical-care referrals only, rather than joined to every referral.
    fields: { person_id: 'CASE WHEN r.category = :gbv2Category THEN (SELECT pc.person_id FROM case_file pc WHERE pc.id = r.case_id) END' },
    scope: { unitId: 'r.unit_id', regionId: 'u.region_id' },
    value: 'COUNT(DISTINCT r.person_id)',
  }),
};

/**
 * The referral chain behind REF-1/2/3 and the funnel, in the same pass as REF-1: accepted (value),
 * closed with an outcome (base) and completed (companion) referrals of each cell.
 */
export const REFERRAL_CHAIN: Source = referralSource({
  value: 'COUNT(*) FILTER (WHERE r.accepted)',
  base: 'COUNT(*) FILTER (WHERE r.closed)',
  companion: 'COUNT(*) FILTER (WHERE r.completed)',
});

/** The stage a referral reached, as the roll-up stores it: 0 not accepted, 1 accepted, 2 closed, 3 completed. */
const STAGE = `CASE WHEN r.answered_at IS NULL OR r.status = 'declined' THEN 0 WHEN r.status = 'completed' THEN 3 WHEN r.status = 'not_completed' THEN 2 ELSE 1 END`;

/** One referral as a roll-up row (month, unit, stage, person attributes, 1). */
const ROLLUP_ROW = `date_trunc('month', r.sent_at AT TIME ZONE '${REPORT_TIME_ZONE}')::date AS month, r.unit_id, ${STAGE} AS stage, p.sex::text AS sex,
  ${ageBand('p', SENT_DAY)} AS age_band, COALESCE(p.population_group::text, 'unknown') AS population_group, ${nationalityGroup('p')} AS nationality_group`;
const ROLLUP_FACTS = 'referral r JOIN case_file c ON c.id = r.case_id JOIN person p ON p.id = c.person_id';
/** The roll-up's definition: months built from other SQL (an older grouping of nationalities, say) are rebuilt. */
const ROLLUP_DEFINITION = createHash('sha1').update(ROLLUP_ROW + ROLLUP_FACTS).digest('hex').slice(0, 16);

/** Scope columns of the roll-up: units and regions (no provider: a provider's figures come from the referrals). */
export const ROLLUP_SCOPE = { unitId: 'm.unit_id', regionId: 'u.region_id' };

/**
 * REF-1 and the chain (REF-2, REF-3, the funnel) from the monthly roll-up: built months from
 * report_referral_month, the other months of the request from the referrals (`facts`: a condition
 * on r.sent_at), in one statement. Same dimensions and scope columns as the referral source, minus
 * the provider (a provider's scope falls back to the referrals).
 */
export function rollupSources(builtMonths: string[], facts: string): { ref1: Source; chain: Source } {
  const from = `(SELECT month, unit_id, stage, sex, age_band, population_group, nationality_group, referrals
      FROM report_referral_month WHERE month = ANY(CAST(:rollupMonths AS date[]))
    UNION ALL SELECT ${ROLLUP_ROW}, 1 FROM ${ROLLUP_FACTS}
      WHERE r.sent_at IS NOT NULL AND (${facts})) m LEFT JOIN organisation u ON u.id = m.unit_id`;
  const base: Omit<Source, 'value'> = {
    family: 'referral_rollup',
    from,
    where: [],
    params: { rollupMonths: builtMonths },
    at: { expr: 'm.month', type: 'date' },
    dims: { ...personDims('m', 'm.unit_id'), age_band: 'm.age_band', population_group: 'm.population_group', nationality_group: 'm.nationality_group' },
    fields: { n: 'm.referrals', stage: 'm.stage' },
    filters: { region: 'u.region_id', province: 'u.province_id', unit: 'm.unit_id' },
    scope: ROLLUP_SCOPE,
  };
  return {
    ref1: { ...base, value: 'SUM(r.n)' },
    chain: { ...base, value: 'SUM(r.n) FILTER (WHERE r.stage >= 1)', base: 'SUM(r.n) FILTER (WHERE r.stage >= 2)', companion: 'SUM(r.n) FILTER (WHERE r.stage = 3)' },
  };
}

/** Every indicator's source. */
export const SOURCES: Partial<Record<IndicatorCode, Source>> = {
  ...REFERRAL_SOURCES,
  'PSS-1': deliverySource(['d.category = :pssCategory'], { pssCategory: PSS_CATEGORY }, 'COUNT(DISTINCT r.person_id)'),
  'GBV-1': deliverySource(
    [
      'd.category IN (:...gbvCategories)',
      // A survivor: the person has a recorded incident of violence in any of their cases.
      'EXISTS (SELECT 1 FROM incident i JOIN case_file ic ON ic.id = i.case_id WHERE ic.person_id = d.person_id)',
    ],
    { gbvCategories: HEALTH_OR_PSS_CATEGORIES },
    'COUNT(DISTINCT r.person_id)',
  ),
  'LIV-1': livelihood('LIV-1', true),
  'LIV-2': livelihood('LIV-2', true),
  'LIV-3': livelihood('LIV-3', true),
  'LIV-4': livelihood('LIV-4', false),
  'LIV-5': livelihood('LIV-5', false),
  'LIV-6': livelihood('LIV-6', true),
  'CAP-1': activitySource('CAP-1'),
  'CAP-2': activitySource('CAP-2'),
};

/** Scope columns of the needs chart (case `c`, its unit `u`). */
export const NEEDS_SCOPE = { unitId: 'c.unit_id', regionId: 'u.region_id' };



const nextMonth = (ym: string) => {
  const [y, m] = [Number(ym.slice(0, 4)), Number(ym.slice(5, 7))];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/** An aggregate call of a source's `value`/`base`/`companion`, with its WITHIN GROUP and FILTER if any. */
const AGGREGATE_CALL = /\b((?:COUNT|SUM|percentile_cont)\([^()]*\))(\s+WITHIN GROUP \([^()]*\))?(\s+FILTER \(WHERE ([^()]*)\))?/g;

@Injectable()
export class ReportingRepository {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * Cells and margins of several indicators, each within its own scope, in as few statements as
   * possible: sources of one family under the same scope share a statement. The statements run
   * at once on separate connections (or one after another inside a transaction).
   */
  async tables(items: { source: Source; scope: SqlScope }[], req: Omit<TableRequest, 'scope'>, rollup?: SqlScope): Promise<GroupRow[][]> {
    const groups = new Map<string, number[]>();
    items.forEach(({ source, scope }, i) => {
      const key = JSON.stringify([source.family, source.from, scope.sql, scope.params]);
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    const out: GroupRow[][] = [];
    await this.tx.all([
      ...[...groups.values()].map((idx) => async () => {
        const results = await this.pass(
          idx.map((i) => items[i]!.source),
          { ...req, scope: items[idx[0]!]!.scope },
        );
        idx.forEach((i, k) => (out[i] = results[k]!));
      }),
      ...(rollup
        ? [
            async () => {
              const [ref1, chain] = await this.rollupPass(req, rollup);
              out[items.length] = ref1;
              out[items.length + 1] = chain;
            },
          ]
        : []),
    ]);
    return out;
  }

  /**
   * REF-1 and the referral chain from the monthly roll-up for a request over whole months: the
   * months built in report_rollup_month from the roll-up, the others from the referrals, read in
   * one snapshot so that a month is counted once, from one or the other.
   */
  private rollupPass(req: Omit<TableRequest, 'scope'>, scope: SqlScope): Promise<GroupRow[][]> {
    return this.tx.snapshot(async () => {
      const rows: { m: string }[] = await this.tx.manager.query(
        `SELECT to_char(month, 'YYYY-MM-DD') AS m FROM report_rollup_month WHERE month BETWEEN $1::date AND $2::date AND definition = $3 ORDER BY month`,
        [req.from, req.to, ROLLUP_DEFINITION],
      );
      const built = new Set(rows.map((r) => r.m));
      // The other months of the request, as ranges of consecutive months [start, end).
      const ranges: [string, string][] = [];
      for (let m = req.from.slice(0, 7); m <= req.to.slice(0, 7); m = nextMonth(m)) {
        if (built.has(`${m}-01`)) continue;
        const last = ranges.at(-1);
        if (last && last[1] === `${m}-01`) last[1] = `${nextMonth(m)}-01`;
        else ranges.push([`${m}-01`, `${nextMonth(m)}-01`]);
      }
      const bound = (d: string) => `(CAST('${d}' AS date)::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}')`;
      // Dates are the request's own (validated YYYY-MM-DD), inlined so each range is an index range.
      const facts = ranges.length ? ranges.map(([a, b]) => `(r.sent_at >= ${bound(a)} AND r.sent_at < ${bound(b)})`).join(' OR ') : 'FALSE';
      const { ref1, chain } = rollupSources([...built], facts);
      return this.pass([ref1, chain], { ...req, scope });
    });
  }

  /**
   * One statement over a family's rows for several sources. Conditions every source has filter
   * the rows; each source's own conditions become a flag `k<k>` of the row, and each aggregate
   * call of the source is filtered by it (`COUNT(*)` → `COUNT(*) FILTER (WHERE r.k<k>)`).
   */
  private async pass(sources: Source[], req: TableRequest): Promise<GroupRow[][]> {
    const first = sources[0]!;
    const local = first.at.type === 'timestamptz' ? `(${first.at.expr} AT TIME ZONE '${REPORT_TIME_ZONE}')` : first.at.expr;
    const dimExpr = (d: Disaggregation): string => {
      if (d === 'period') {
        const fmt = { month: "'YYYY-MM'", quarter: `'YYYY"-Q"Q'`, year: "'YYYY'" }[req.interval];
        return `to_char(date_trunc('${req.interval}', ${local}), ${fmt})`;
      }
      const e = first.dims[d];
      if (!e) throw new Error(`source has no dimension ${d}`);
      return e;
    };
    const exprs = req.by.map(dimExpr);
    const common = first.where.filter((w) => sources.every((s) => s.where.includes(w)));
    const own = sources.map((s) => s.where.filter((w) => !common.includes(w)));
    const where = [...common];
    const params: Record<string, unknown> = { ...req.scope.params, rFrom: req.from, rTo: req.to };
    for (const s of sources) Object.assign(params, s.params);
    // Rows no source counts are dropped after the subquery (where each condition is computed once).
    const filter = own.every((o) => o.length) ? sources.map((_, k) => `r.k${k}`) : [];
    if (first.at.type === 'date') where.push(`${first.at.expr} BETWEEN CAST(:rFrom AS date) AND CAST(:rTo AS date)`);
    else
      where.push(
        `${first.at.expr} >= (CAST(:rFrom AS date)::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}')`,
        `${first.at.expr} < ((CAST(:rTo AS date) + 1)::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}')`,
      );
    if (req.region) (where.push(`${first.filters.region} = :rRegion`), (params.rRegion = req.region));
    if (req.province) (where.push(`${first.filters.province} = :rProvince`), (params.rProvince = req.province));
    if (req.unit && first.filters.unit) (where.push(`${first.filters.unit} = :rUnit`), (params.rUnit = req.unit));
    where.push(`(${req.scope.sql})`);

    // Inner query: one row per record with its dimension values, whether each source counts it
    // (`k<k>`) and the fields the aggregates read (each distinct expression once). OFFSET 0 keeps
    // it a separate subquery, so a condition with a subquery (GBV-1, GBV-2) runs once per row
    // however often the aggregates mention it. Outer: every cell and margin of every source.
    // Dimension columns are named, so parameters inside them (the age at the end of the period)
    // appear once.
    const inner = exprs.map((e, i) => `${e} AS d${i}`);
    const fieldNames = new Map<string, string>();
    const aggregates: string[] = [];
    sources.forEach((s, k) => {
      inner.push(`(${own[k]!.length ? own[k]!.join(' AND ') : 'TRUE'}) AS k${k}`);
      const mine = new Map<string, string>();
      for (const [f, e] of Object.entries(s.fields)) {
        if (!fieldNames.has(e)) (fieldNames.set(e, `f${fieldNames.size}`), inner.push(`${e} AS f${fieldNames.size - 1}`));
        mine.set(f, fieldNames.get(e)!);
      }
      // Each aggregate call gets the source's flag as (part of) its FILTER, so it reads only the
      // source's rows (a distinct count or a median then sorts those alone).
      const rewrite = (agg: string) =>
        agg
          .replace(/\br\.(\w+)/g, (_, f: string) => `r.${mine.get(f) ?? f}`)
          .replace(AGGREGATE_CALL, (_, call: string, within = '', _f: string, cond?: string) => `${call}${within} FILTER (WHERE r.k${k}${cond ? ` AND (${cond})` : ''})`);
      aggregates.push(
        `(${rewrite(s.value)})::float8 AS v${k}`,
        `(${rewrite(s.base ?? 'COUNT(*)')})::int AS b${k}`,
        `(${rewrite(s.companion ?? '0')})::int AS c${k}`,
        `COUNT(*) FILTER (WHERE r.k${k})::int AS n${k}`,
      );
    });
    const dims = exprs.map((_, i) => `r.d${i}`);
    const select = [...dims.map((d, i) => `${d} AS d${i}`), ...dims.map((d, i) => `GROUPING(${d}) AS g${i}`), ...aggregates];
    const sets = dims.length === 2 ? `(${dims[0]}, ${dims[1]}), (${dims[0]}), (${dims[1]}), ()` : dims.length === 1 ? `(${dims[0]}), ()` : '';
    const sql =
      `SELECT ${select.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${first.from} WHERE ${where.join(' AND ')} OFFSET 0) r` +
      (filter.length ? ` WHERE ${filter.join(' OR ')}` : '') +
      (sets ? ` GROUP BY GROUPING SETS (${sets})` : '');
    const [text, values] = this.tx.reader.connection.driver.escapeQueryWithParameters(sql, params);
    // JIT is off for every connection (data-source-options.ts): here it cost over a second per
    // statement at a million persons. (More work_mem is no gain: the planner then hashes GBV-1's
    // whole incident × case table.)
    const rows: Record<string, unknown>[] = await this.tx.reader.query(text, values);
    const coordOf = (r: Record<string, unknown>) => exprs.map((_, i) => (Number(r[`g${i}`]) === 1 ? null : String(r[`d${i}`])));
    // A cell no row of this source falls in is absent, as if the source had run alone.
    return sources.map((_, k) =>
      rows
        .map((r) => ({ r, coord: coordOf(r) }))
        .filter(({ r, coord }) => Number(r[`n${k}`]) > 0 || coord.every((c) => c === null))
        .map(({ r, coord }) => ({ coord, value: Number(r[`v${k}`] ?? 0), base: Number(r[`b${k}`] ?? 0), companion: Number(r[`c${k}`] ?? 0) })),
    );
  }

  /**
   * Builds the roll-up of the latest past month not yet built (or rebuilt after a change), in its
   * own transaction under the exclusive roll-up lock; returns the month, or null when all are built.
   * The current month is never built: reports read it from the referrals.
   */
  async buildRollupMonth(): Promise<string | null> {
    return this.tx.run(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [ROLLUP_LOCK]);
      const [next]: { month: string }[] = await m.query(
        `SELECT to_char(g, 'YYYY-MM-DD') AS month FROM generate_series(
            (SELECT date_trunc('month', min(sent_at) AT TIME ZONE '${REPORT_TIME_ZONE}') FROM referral WHERE sent_at IS NOT NULL),
            date_trunc('month', now() AT TIME ZONE '${REPORT_TIME_ZONE}') - INTERVAL '1 month', INTERVAL '1 month') g
          WHERE NOT EXISTS (SELECT 1 FROM report_rollup_month b WHERE b.month = g::date AND b.definition = $1) ORDER BY g DESC LIMIT 1`,
        [ROLLUP_DEFINITION],
      );
      if (!next) return null;
      await m.query(`DELETE FROM report_referral_month WHERE month = $1::date`, [next.month]);
      await m.query(
        `INSERT INTO report_referral_month (month, unit_id, stage, sex, age_band, population_group, nationality_group, referrals)
         SELECT month, unit_id, stage, sex, age_band, population_group, nationality_group, count(*) FROM (SELECT ${ROLLUP_ROW} FROM ${ROLLUP_FACTS}
          WHERE r.sent_at >= ($1::date::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}') AND r.sent_at < (($1::date + INTERVAL '1 month')::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}')) x
         GROUP BY 1, 2, 3, 4, 5, 6, 7`,
        [next.month],
      );
      await m.query(
        `INSERT INTO report_rollup_month (month, definition) VALUES ($1::date, $2) ON CONFLICT (month) DO UPDATE SET definition = EXCLUDED.definition, built_at = now()`,
        [next.month, ROLLUP_DEFINITION],
      );
      return next.month;
    });
  }

  /** Names of places (fr/ar) and organisations (one name) for labelling ids in a report. */
  async names(ids: string[]): Promise<Map<string, { fr: string; ar: string }>> {
    const out = new Map<string, { fr: string; ar: string }>();
    const uuids = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (!uuids.length) return out;
    const rows: { id: string; fr: string; ar: string }[] = await this.tx.reader.query(
      `SELECT id::text, name_fr AS fr, name_ar AS ar FROM place WHERE id = ANY($1::uuid[])
       UNION ALL SELECT id::text, name AS fr, name AS ar FROM organisation WHERE id = ANY($1::uuid[])`,
      [uuids],
    );
    for (const r of rows) out.set(r.id, { fr: r.fr, ar: r.ar });
    return out;
  }

  /** A place with its level and parent, or a counselling unit with its region. */
  async place(id: string): Promise<{ id: string; level: string; parentId: string | null } | null> {
    const rows = await this.tx.reader.query(`SELECT id::text, level::text, parent_id::text AS "parentId" FROM place WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /**
   * Needs recorded in the period, by category (a case may have several): the "top needs" chart.
   * Scoped like the case-based indicators (unit and region of the case).
   */
  async needsByCategory(req: Omit<TableRequest, 'by' | 'interval'>): Promise<{ category: string; count: number }[]> {
    const where = [
      `n.created_at >= (CAST(:rFrom AS date)::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}')`,
      `n.created_at < ((CAST(:rTo AS date) + 1)::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}')`,
      `(${req.scope.sql})`,
    ];
    const params: Record<string, unknown> = { ...req.scope.params, rFrom: req.from, rTo: req.to };
    if (req.region) (where.push('u.region_id = :rRegion'), (params.rRegion = req.region));
    const sql = `SELECT n.category::text AS category, count(*)::int AS count FROM case_need n JOIN case_file c ON c.id = n.case_id
      JOIN organisation u ON u.id = c.unit_id WHERE ${where.join(' AND ')} GROUP BY n.category`;
    const [text, values] = this.tx.reader.connection.driver.escapeQueryWithParameters(sql, params);
    return this.tx.reader.query(text, values);
  }

  /** Counselling units of a region (an organisational fact, not a count of people). */
  async countUnits(regionId: string): Promise<number> {
    const rows = await this.tx.reader.query(
      `SELECT count(*)::int AS n FROM organisation WHERE type = 'counselling_unit' AND status = 'active' AND region_id = $1`,
      [regionId],
    );
    return rows[0].n;
  }

  async placeCode(id: string): Promise<string | null> {
    const rows = await this.tx.reader.query(`SELECT code FROM place WHERE id = $1`, [id]);
    return rows[0]?.code ?? null;
  }

  async unit(id: string): Promise<{ id: string; regionId: string | null } | null> {
    const rows = await this.tx.reader.query(
      `SELECT id::text, region_id::text AS "regionId" FROM organisation WHERE id = $1 AND type = 'counselling_unit'`,
      [id],
    );
    return rows[0] ?? null;
  }
}
