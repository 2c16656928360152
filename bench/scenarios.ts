// The bench's scenarios: each one request shape against the app (through auth, CASL, validation)
// and the same work against the floor server. Features not yet merged are reported as pending.
import type pg from 'pg';
import { encodeCursor } from '../src/common/pagination.js';
import type { ReportFixtures } from './reports.scenario.js';

export interface Fixtures {
  unitId: string;
  unitCode: string;
  unitCases: number;
  userId: string;
  token: string;
  caseIds: string[];
  codePrefix: string;
  deepCursor: { at: string; id: string };
  deepPage: number;
  /** The busiest provider organisation (the deepest inbox) and its focal point's token. */
  /** The busiest provider (most referrals received); `regionId` is its organisation's region, where its referrals come from. */
  provider: { orgId: string; regionId: string; userId: string; token: string; referrals: number; deepCursor: { at: string; id: string } | null; deepPage: number };
  /** Referrals of that provider (detail scenario). */
  referralIds: string[];
  /** Referrals the accept scenario sets back to `sent` before each load, each with its provider's token. */
  acceptPool: Array<{ id: string; orgId: string; userId: string; token: string }>;
  /** Open needs of the counsellor's unit covered by an active consent, with a visible accepting service for them. */
  createTargets: Array<{ caseId: string; needId: string; salId: string }>;
  /** The need and province the suggestions scenario asks about. */
  suggestion: { need: string; provinceCode: string };
  /** For the reports scenario: the unit's region and a year with data. */
  regionId: string;
  year: number;
  /** A national analyst (reports, exports). */
  analystToken: string;
  /** The report callers of the region: its coordinator, the supervisor of the busiest unit, and the busiest provider (provider.token). */
  coordinatorToken: string;
  supervisorToken: string;
  /** The programme's admin (the whole audit trail) and the trail's length when the export runs. */
  adminToken: string;
  auditRows: number;
  /** The dataset's first and last day (the export's period). */
  period: { from: string; to: string };
}

export interface RequestShape {
  method?: 'GET' | 'POST' | 'PATCH';
  headers?: Record<string, string>;
  /** Called for every request: lets a scenario vary ids, bodies or the caller. */
  next(): { path: string; body?: string; headers?: Record<string, string> };
}

export interface Scenario {
  name: string;
  /**
   * read/write scenarios have throughput targets against the floor (≥ 50% / ≥ 40%); report
   * (≤ 1.5× the hand-written SQL's time) and memory (peak RSS ≤ idle + 100 MB) are measured apart.
   */
  kind: 'read' | 'write' | 'report' | 'memory';
  app(f: Fixtures): RequestShape;
  floor(f: Fixtures): RequestShape;
  describe?(f: Fixtures): string;
  /** A reason not to run (feature not merged yet), or undefined. */
  pending?(db: pg.Pool): Promise<string | undefined>;
  /** Run before every load of either side (e.g. put back the referrals an accept load used up). */
  prepare?(db: pg.Pool, f: Fixtures): Promise<void>;
  /** kind 'report': the hand-written SQL the app's request is compared with (run directly on a pool, and by the floor server over HTTP). */
  floorSql?(db: pg.Pool, f: ReportFixtures): Promise<unknown>;
}

const bearer = (f: Fixtures) => ({ authorization: `Bearer ${f.token}` });
const floorQs = (f: Fixtures) => `unit=${f.unitId}&actor=${f.userId}`;
const cycle = <T>(xs: T[]) => {
  let i = 0;
  return () => xs[i++ % xs.length]!;
};

let seq = 0;
/** A new person each time (the duplicate check then finds nothing, as for most intakes). */
const newCase = () =>
  JSON.stringify({
    person: { givenName: `Bench${++seq}`, familyName: 'Diallo', sex: seq % 2 ? 'female' : 'male', birthDate: '1996-04-12', nationality: 'GN', populationGroup: 'migrant', phone: `+2126${String(10_000_000 + seq).slice(-8)}` },
    riskLevel: 'medium',
    needs: ['mhpss', 'health_care'],
  });

const CASE_SCENARIOS: Scenario[] = [
  {
    name: 'case-list',
    kind: 'read',
    describe: (f) => `first page (50) of unit ${f.unitCode}'s ${f.unitCases} cases, as a counsellor`,
    app: (f) => ({ headers: bearer(f), next: () => ({ path: '/api/v1/cases?limit=50' }) }),
    floor: (f) => ({ next: () => ({ path: `/cases?${floorQs(f)}&limit=50` }) }),
  },
  {
    name: 'case-list-deep',
    kind: 'read',
    describe: (f) => `page ${f.deepPage} (keyset cursor) of the same list`,
    app: (f) => {
      const c = encodeCursor(f.deepCursor.at, f.deepCursor.id);
      return { headers: bearer(f), next: () => ({ path: `/api/v1/cases?limit=50&cursor=${c}` }) };
    },
    floor: (f) => {
      const c = encodeCursor(f.deepCursor.at, f.deepCursor.id);
      return { next: () => ({ path: `/cases?${floorQs(f)}&limit=50&cursor=${c}` }) };
    },
  },
  {
    name: 'case-search',
    kind: 'read',
    describe: (f) => `case code prefix "${f.codePrefix}" (≈10 hits)`,
    app: (f) => ({ headers: bearer(f), next: () => ({ path: `/api/v1/cases?limit=50&code=${f.codePrefix}` }) }),
    floor: (f) => ({ next: () => ({ path: `/cases?${floorQs(f)}&limit=50&code=${f.codePrefix}` }) }),
  },
  {
    name: 'case-detail',
    kind: 'read',
    describe: () => 'one case with its person (identity decrypted) and needs; 500 cases in turn',
    app: (f) => {
      const id = cycle(f.caseIds);
      return { headers: bearer(f), next: () => ({ path: `/api/v1/cases/${id()}` }) };
    },
    floor: (f) => {
      const id = cycle(f.caseIds);
      return { next: () => ({ path: `/cases/${id()}?${floorQs(f)}` }) };
    },
  },
  {
    name: 'case-create',
    kind: 'write',
    describe: () => 'register a person (encrypted identity, duplicate check) and open a case with two needs',
    app: (f) => ({ method: 'POST', headers: bearer(f), next: () => ({ path: '/api/v1/cases', body: newCase() }) }),
    floor: (f) => ({ method: 'POST', next: () => ({ path: `/cases?${floorQs(f)}`, body: newCase() }) }),
  },
];

/** Scenarios of features other branches are building; wired when they land on main. */
const pendingScenario = (name: string, kind: Scenario['kind'], table: string, what: string): Scenario => ({
  name,
  kind,
  describe: () => what,
  app: () => {
    throw new Error('not wired');
  },
  floor: () => {
    throw new Error('not wired');
  },
  pending: async (db) => {
    const found = (await db.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [table])).rows[0].ok;
    return found ? `pending: ${what} (feature merged, scenario not wired yet)` : `pending (feature not merged): ${what}`;
  },
});

const providerBearer = (f: Fixtures) => ({ authorization: `Bearer ${f.provider.token}` });
const providerQs = (f: Fixtures) => `provider=${f.provider.orgId}&actor=${f.provider.userId}`;

const REFERRAL_SCENARIOS: Scenario[] = [
  {
    name: 'provider-inbox',
    kind: 'read',
    describe: (f) => `first page (50) of a provider's inbox (${f.provider.referrals} referrals), as its focal point`,
    app: (f) => ({ headers: providerBearer(f), next: () => ({ path: '/api/v1/referrals?limit=50' }) }),
    floor: (f) => ({ next: () => ({ path: `/referrals?${providerQs(f)}&limit=50` }) }),
  },
  {
    name: 'provider-inbox-deep',
    kind: 'read',
    describe: (f) => `page ${f.provider.deepPage} (keyset cursor) of the same inbox`,
    app: (f) => {
      const c = f.provider.deepCursor ? `&cursor=${encodeCursor(f.provider.deepCursor.at, f.provider.deepCursor.id)}` : '';
      return { headers: providerBearer(f), next: () => ({ path: `/api/v1/referrals?limit=50${c}` }) };
    },
    floor: (f) => {
      const c = f.provider.deepCursor ? `&cursor=${encodeCursor(f.provider.deepCursor.at, f.provider.deepCursor.id)}` : '';
      return { next: () => ({ path: `/referrals?${providerQs(f)}&limit=50${c}` }) };
    },
  },
  {
    name: 'referral-detail',
    kind: 'read',
    describe: () => 'one referral with its history and shared fields, as the provider; 500 referrals in turn',
    app: (f) => {
      const id = cycle(f.referralIds);
      return { headers: providerBearer(f), next: () => ({ path: `/api/v1/referrals/${id()}` }) };
    },
    floor: (f) => {
      const id = cycle(f.referralIds);
      return { next: () => ({ path: `/referrals/${id()}?${providerQs(f)}` }) };
    },
  },
  {
    name: 'directory-suggestions',
    kind: 'read',
    describe: (f) => `ten services ranked for need ${f.suggestion.need} near ${f.suggestion.provinceCode}, as a counsellor`,
    app: (f) => ({ headers: bearer(f), next: () => ({ path: `/api/v1/directory/suggestions?need=${f.suggestion.need}&province=${f.suggestion.provinceCode}` }) }),
    floor: (f) => ({ next: () => ({ path: `/suggestions?need=${f.suggestion.need}&province=${f.suggestion.provinceCode}` }) }),
  },
  {
    name: 'referral-create',
    kind: 'write',
    describe: (f) => `create and send a referral (consent gate, numbering, history, audit); ${f.createTargets.length} open needs in turn`,
    app: (f) => {
      const t = cycle(f.createTargets);
      return { method: 'POST', headers: bearer(f), next: () => ({ path: '/api/v1/referrals', body: referralBody(t()) }) };
    },
    floor: (f) => {
      const t = cycle(f.createTargets);
      return { method: 'POST', next: () => ({ path: `/referrals?${floorQs(f)}`, body: referralBody(t()) }) };
    },
  },
  {
    name: 'referral-accept',
    kind: 'write',
    describe: (f) => `accept a sent referral (a different one each time: ${f.acceptPool.length} put back to sent before each load), as its provider`,
    prepare: async (db, f) => {
      await db.query(
        `UPDATE referral SET status = 'sent', answered_at = NULL, started_at = NULL, closed_at = NULL, reason_code = NULL, outcome_code = NULL,
                sent_at = coalesce(sent_at, now()), response_due_at = coalesce(response_due_at, now() + interval '72 hours')
          WHERE id = ANY($1::uuid[])`,
        [f.acceptPool.map((r) => r.id)],
      );
    },
    app: (f) => {
      const r = cycle(f.acceptPool);
      return {
        method: 'POST',
        next: () => {
          const x = r();
          return { path: `/api/v1/referrals/${x.id}/accept`, body: '{}', headers: { authorization: `Bearer ${x.token}` } };
        },
      };
    },
    floor: (f) => {
      const r = cycle(f.acceptPool);
      return {
        method: 'POST',
        next: () => {
          const x = r();
          return { path: `/referrals/${x.id}/accept?provider=${x.orgId}&actor=${x.userId}`, body: '{}' };
        },
      };
    },
  },
];

const referralBody = (t: Fixtures['createTargets'][number]) =>
  JSON.stringify({ caseId: t.caseId, needId: t.needId, serviceAtLocationId: t.salId, priority: 'routine', sharedFields: ['age_band', 'sex'], send: true });

/** The report scenarios (bench/reports.scenario.ts): the catalogue for each role, and the national ten-year table. */
async function reportScenarios(): Promise<Scenario[]> {
  try {
    const path = './reports.scenario.js';
    const mod = (await import(path)) as { REPORT_SCENARIOS?: Scenario[] };
    if (mod.REPORT_SCENARIOS?.length) return mod.REPORT_SCENARIOS;
  } catch {
    /* not there yet */
  }
  return [pendingScenario('reports-catalogue', 'report', 'activity', 'every indicator for a region and year vs the hand-written SQL')];
}

/**
 * Peak RSS while the app streams a million-row CSV: the audit trail export (an admin's whole trail,
 * oldest first, from a server-side cursor), over at least AUDIT_EXPORT_ROWS rows that loadFixtures
 * makes sure of — measured against the idle RSS (run.ts, kind 'memory').
 */
export const AUDIT_EXPORT_ROWS = 1_000_000;
const EXPORT_MEMORY: Scenario = {
  name: 'export-memory',
  kind: 'memory',
  describe: (f) => `audit trail CSV, ${f.auditRows.toLocaleString('en')} rows, as an admin`,
  app: (f) => ({
    headers: { authorization: `Bearer ${f.adminToken}` },
    next: () => ({ path: '/api/v1/audit/export' }),
  }),
  floor: () => {
    throw new Error('memory scenarios have no floor');
  },
};

export const SCENARIOS: Scenario[] = [
  ...CASE_SCENARIOS,
  ...REFERRAL_SCENARIOS,
  ...(await reportScenarios()),
  EXPORT_MEMORY,
];
