// The indicator catalogue (issues 6 and 15, scale): every indicator a caller may read for one region
// and one year, through the API, as the national analyst, the region's coordinator, the supervisor
// of its busiest unit and the busiest provider — each against the hand-written SQL that computes
// the same totals in that caller's scope (one statement per table, side by side on the pool; the
// same covering indexes). And the national ten-year table of referrals by sex × age band (REF-1..3,
// answered from the monthly roll-up) against the same figures computed from the referrals. run.ts
// compares median wall times, roles interleaved (kind 'report', target ≤ 1.5×; each role within 1.2× of the analyst;
// the national table under a second). The same hand-written SQL is also timed through the floor
// server (bench/floor-server.ts: node:http + pg, nothing else), which tells how much of the app's time
// over the SQL any HTTP server pays and how much is the app's own.
import { isUUID } from 'class-validator';
import type pg from 'pg';
import {
  CAP_ACTIVITY_KINDS,
  CLINICAL_RAPE_CATEGORY,
  HEALTH_OR_PSS_CATEGORIES,
  LIVELIHOOD_CATEGORY,
  LIVELIHOOD_OUTCOMES,
  PSS_CATEGORY,
} from '../src/reporting/indicator-catalogue.js';
import type { Fixtures, Scenario } from './scenarios.js';

const TZ = 'Africa/Casablanca';
const period = (f: ReportFixtures) => ({ from: `${f.year}-01-01`, to: `${f.year}-12-31` });

/** PSS-1, GBV-1, LIV-1..6 in one pass over the region's deliveries of the year. */
const DELIVERIES = `
  SELECT count(DISTINCT d.person_id) FILTER (WHERE d.category = $4) AS pss1,
         count(DISTINCT d.person_id) FILTER (WHERE d.category = ANY($5)
           AND EXISTS (SELECT 1 FROM incident i JOIN case_file ic ON ic.id = i.case_id WHERE ic.person_id = d.person_id)) AS gbv1,
         count(DISTINCT d.person_id) FILTER (WHERE d.category = $6 AND d.outcome = $7) AS liv1,
         count(DISTINCT d.person_id) FILTER (WHERE d.category = $6 AND d.outcome = $8) AS liv2,
         count(DISTINCT d.person_id) FILTER (WHERE d.category = $6 AND d.outcome = $9) AS liv3,
         count(*) FILTER (WHERE d.category = $6 AND d.outcome = $10) AS liv4,
         count(*) FILTER (WHERE d.category = $6 AND d.outcome = $11) AS liv5,
         count(DISTINCT d.person_id) FILTER (WHERE d.category = $6 AND d.outcome = $12) AS liv6
    FROM delivery d JOIN organisation u ON u.id = d.unit_id
   WHERE u.region_id = $1 AND d.delivered_on BETWEEN $2::date AND $3::date`;


/** REF-1..5 and GBV-2 in one pass over the region's referrals sent in the year. */
const referrals = (gbv2: boolean) => `
  SELECT count(*) AS ref1,
         100.0 * count(*) FILTER (WHERE r.answered_at IS NOT NULL AND r.status <> 'declined') / NULLIF(count(*), 0) AS ref2,
         100.0 * count(*) FILTER (WHERE r.status IN ('completed', 'not_completed')) / NULLIF(count(*), 0) AS ref3,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.answered_at - r.sent_at) / 3600)
           FILTER (WHERE r.answered_at IS NOT NULL AND r.status <> 'declined') AS ref4,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY (SELECT dl.delivered_on FROM delivery dl WHERE dl.referral_id = r.id) - (r.sent_at AT TIME ZONE '${TZ}')::date)
           FILTER (WHERE r.status = 'completed') AS ref5${gbv2 ? `,
         count(DISTINCT (SELECT c.person_id FROM case_file c WHERE c.id = r.case_id)) FILTER (WHERE r.category = $4 AND EXISTS (
           SELECT 1 FROM incident i WHERE i.case_id = r.case_id AND i.type = 'rape'
              AND r.sent_at >= (i.incident_date::timestamp AT TIME ZONE '${TZ}')
              AND r.sent_at <= (i.incident_date::timestamp AT TIME ZONE '${TZ}') + interval '72 hours')) AS gbv2` : ''}
    FROM referral r JOIN organisation u ON u.id = r.unit_id
   WHERE u.region_id = $1 AND r.sent_at >= ($2::date::timestamp AT TIME ZONE '${TZ}') AND r.sent_at < (($3::date + 1)::timestamp AT TIME ZONE '${TZ}')`;

/** CAP-1 and CAP-2: participants and activities of the region's activities held in the year. */
const ACTIVITIES = `
  SELECT coalesce(sum(ap.count) FILTER (WHERE a.kind = ANY($4)), 0) AS cap1, count(DISTINCT a.id) FILTER (WHERE a.kind = ANY($4)) AS cap1_activities,
         coalesce(sum(ap.count) FILTER (WHERE a.kind = ANY($5)), 0) AS cap2, count(DISTINCT a.id) FILTER (WHERE a.kind = ANY($5)) AS cap2_activities
    FROM activity a LEFT JOIN activity_participation ap ON ap.activity_id = a.id
   WHERE a.region_id = $1 AND a.held_on BETWEEN $2::date AND $3::date`;

type Role = 'analyst' | 'coordinator' | 'supervisor' | 'provider';

/**
 * One statement on a connection of the pool, as an expert would run it: the bench's pool has JIT off
 * for the session (run.ts), as the app's has, so no SET/RESET round trips are timed with it.
 */
async function run(db: pg.Pool, sql: string, params: unknown[]): Promise<unknown[]> {
  return (await db.query(sql, params)).rows;
}

/** What the hand-written SQL of a report scenario reads of the fixtures: the floor server gets them in its query string. */
export interface ReportFixtures {
  year: number;
  regionId: string;
  unitId: string;
  provider: { orgId: string; regionId: string };
}

export const reportFixtureQuery = (f: ReportFixtures) =>
  new URLSearchParams({ year: String(f.year), region: f.regionId, unit: f.unitId, providerOrg: f.provider.orgId, providerRegion: f.provider.regionId }).toString();

/** The floor server's side; the ids go into the hand-written SQL as literals, so anything but a UUID (and a year) is refused. */
export function reportFixturesFrom(q: URLSearchParams): ReportFixtures {
  const uuid = (name: string) => {
    const v = q.get(name) ?? '';
    if (!isUUID(v)) throw new Error(`report fixtures: ${name} is not a UUID`);
    return v;
  };
  const year = Number(q.get('year'));
  if (!Number.isInteger(year)) throw new Error('report fixtures: year is not a year');
  return { year, regionId: uuid('region'), unitId: uuid('unit'), provider: { orgId: uuid('providerOrg'), regionId: uuid('providerRegion') } };
}

const TOKEN: Record<Role, (f: Fixtures) => string> = {
  analyst: (f) => f.analystToken,
  coordinator: (f) => f.coordinatorToken,
  supervisor: (f) => f.supervisorToken,
  provider: (f) => f.provider.token,
};

/**
 * The region each role reads: the busiest unit's for the analyst, the coordinator and the
 * supervisor; the provider's own (where its referrals come from), since the busiest unit's region
 * may send it nothing, which would measure an empty report.
 */
const regionOf = (role: Role, f: ReportFixtures) => (role === 'provider' ? f.provider.regionId : f.regionId);

/** The catalogue for a region and year as one role, against the SQL of that role's scope. */
function catalogue(role: Role): Scenario {
  return {
    name: role === 'analyst' ? 'reports-catalogue' : `reports-catalogue-${role}`,
    kind: 'report',
    describe: (f) =>
      `every indicator the ${role} may read (${role === 'provider' ? 'REF-1..5' : role === 'supervisor' ? '14' : '16'}) for region ${regionOf(role, f).slice(0, 8)}… and ${f.year}, totals, as the ${role}`,
    app: (f) => {
      const { from, to } = period(f);
      return { headers: { authorization: `Bearer ${TOKEN[role](f)}` }, next: () => ({ path: `/api/v1/reports/indicators?from=${from}&to=${to}&region=${regionOf(role, f)}` }) };
    },
    floor: () => {
      throw new Error('report scenarios are compared with floorSql');
    },
    async floorSql(db: pg.Pool, f: ReportFixtures): Promise<unknown[]> {
      const { from, to } = period(f);
      const o = LIVELIHOOD_OUTCOMES;
      // The caller's scope, as the hand-written SQL would add it: the supervisor's unit, the provider's organisation.
      const unit = role === 'supervisor' ? ` AND d.unit_id = '${f.unitId}'` : '';
      const refScope = role === 'supervisor' ? ` AND r.unit_id = '${f.unitId}'` : role === 'provider' ? ` AND r.provider_organisation_id = '${f.provider.orgId}'` : '';
      const at = [regionOf(role, f), from, to];
      const statements: Promise<unknown[]>[] = [run(db, referrals(role !== 'provider') + refScope, role === 'provider' ? at : [...at, CLINICAL_RAPE_CATEGORY])];
      if (role !== 'provider') {
        statements.push(run(db, DELIVERIES + unit, [...at, PSS_CATEGORY, HEALTH_OR_PSS_CATEGORIES, LIVELIHOOD_CATEGORY, o['LIV-1'], o['LIV-2'], o['LIV-3'], o['LIV-4'], o['LIV-5'], o['LIV-6']]));
      }
      if (role === 'analyst' || role === 'coordinator') statements.push(run(db, ACTIVITIES, [...at, CAP_ACTIVITY_KINDS['CAP-1'], CAP_ACTIVITY_KINDS['CAP-2']]));
      return Promise.all(statements);
    },
  };
}

/** REF-1..3 for the whole country over ten years by sex × age band (age on the day sent), from the referrals. */
const NATIONAL_SEX_AGE = `
  SELECT p.sex::text AS sex, COALESCE(CASE WHEN p.birth_date IS NULL THEN NULL
           WHEN p.birth_date > (r.sent_at AT TIME ZONE '${TZ}')::date - interval '18 years' THEN '0-17'
           WHEN p.birth_date > (r.sent_at AT TIME ZONE '${TZ}')::date - interval '25 years' THEN '18-24'
           WHEN p.birth_date > (r.sent_at AT TIME ZONE '${TZ}')::date - interval '60 years' THEN '25-59'
           ELSE '60+' END, p.age_band::text, 'unknown') AS age_band,
         count(*) AS ref1,
         count(*) FILTER (WHERE r.answered_at IS NOT NULL AND r.status <> 'declined') AS accepted,
         count(*) FILTER (WHERE r.answered_at IS NOT NULL AND r.status IN ('completed', 'not_completed')) AS closed,
         count(*) FILTER (WHERE r.answered_at IS NOT NULL AND r.status = 'completed') AS completed
    FROM referral r JOIN case_file c ON c.id = r.case_id JOIN person p ON p.id = c.person_id
   WHERE r.sent_at >= ($1::date::timestamp AT TIME ZONE '${TZ}') AND r.sent_at < (($2::date + 1)::timestamp AT TIME ZONE '${TZ}')
   GROUP BY GROUPING SETS ((1, 2), (1), (2), ())`;

const nationalPeriod = (f: ReportFixtures) => ({ from: `${f.year - 9}-01-01`, to: `${f.year}-12-31` });

export const nationalSexAgeScenario: Scenario = {
  name: 'reports-national-sex-age',
  kind: 'report',
  describe: (f) => `REF-1, REF-2, REF-3 for the whole country, ${f.year - 9}–${f.year}, by sex × age band, as the national analyst (monthly roll-up)`,
  app: (f) => {
    const { from, to } = nationalPeriod(f);
    return {
      headers: { authorization: `Bearer ${f.analystToken}` },
      next: () => ({ path: `/api/v1/reports/indicators?from=${from}&to=${to}&by=sex,age_band&indicators=REF-1,REF-2,REF-3` }),
    };
  },
  floor: () => {
    throw new Error('report scenarios are compared with floorSql');
  },
  floorSql(db: pg.Pool, f: ReportFixtures): Promise<unknown[]> {
    const { from, to } = nationalPeriod(f);
    return run(db, NATIONAL_SEX_AGE, [from, to]);
  },
};

export const REPORT_SCENARIOS: Scenario[] = [...(['analyst', 'coordinator', 'supervisor', 'provider'] as const).map(catalogue), nationalSexAgeScenario];
