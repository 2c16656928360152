import { createHash } from 'node:crypto';
import { PROGRAMME_TIME_ZONE } from '../vocabulary/index.js';
import type { ScopeColumns, SqlScope } from '../authorization/scope.js';
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
 * The report SQL definitions: what each indicator counts. Each indicator is a *source*: the rows
 * it counts (FROM and WHERE), the column that places a row in time, an SQL expression per
 * dimension, and the aggregate. The statement builder (report-statement.ts) turns sources into
 * one GROUPING SETS statement per family; the repository runs them. Only codes and ids leave
 * these definitions — never a name or a case code.
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
  /**
   * Dimensions on which a person has one value in a table (attributes of the person; the age band
   * at the period's end): a count of distinct persons cut by these alone is the sum of its cells.
   */
  oneCellPerPerson?: readonly Disaggregation[];
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
  // Not the unit, province or region (a person may be served by two units), nor the period.
  oneCellPerPerson: ['sex', 'age_band', 'population_group', 'nationality_group'],
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
  // The age band is the one on the day each referral was sent: a person's may differ between two.
  oneCellPerPerson: ['sex', 'population_group', 'nationality_group'],
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
export const ROLLUP_ROW = `date_trunc('month', r.sent_at AT TIME ZONE '${REPORT_TIME_ZONE}')::date AS month, r.unit_id, ${STAGE} AS stage, p.sex::text AS sex,
  ${ageBand('p', SENT_DAY)} AS age_band, COALESCE(p.population_group::text, 'unknown') AS population_group, ${nationalityGroup('p')} AS nationality_group`;
export const ROLLUP_FACTS = 'referral r JOIN case_file c ON c.id = r.case_id JOIN person p ON p.id = c.person_id';
/** The roll-up's definition: months built from other SQL (an older grouping of nationalities, say) are rebuilt. */
export const ROLLUP_DEFINITION = createHash('sha1').update(ROLLUP_ROW + ROLLUP_FACTS).digest('hex').slice(0, 16);

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
      // A survivor: the person has a recorded incident of violence in any of their cases. Looked
      // up per row (two index probes) as a LIMIT 1 subquery: as an EXISTS the planner hashed every
      // case × incident of the country for each request (≈ 0.2–0.4 s at 100k), whatever the scope,
      // which made a supervisor's catalogue slower than the analyst's (EXPLAIN in issue #15's note).
      '(SELECT true FROM case_file ic JOIN incident i ON i.case_id = ic.id WHERE ic.person_id = d.person_id LIMIT 1) IS NOT NULL',
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
