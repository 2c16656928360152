// The bench's scenarios: each one request shape against the app (through auth, CASL, validation)
// and the same work against the floor server. Features not yet merged are reported as pending.
import type pg from 'pg';
import { encodeCursor } from '../src/common/pagination.js';

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
}

export interface RequestShape {
  method?: 'GET' | 'POST' | 'PATCH';
  headers?: Record<string, string>;
  /** Called for every request: lets a scenario vary ids or bodies. */
  next(): { path: string; body?: string };
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

export const SCENARIOS: Scenario[] = [
  ...CASE_SCENARIOS,
  pendingScenario('provider-inbox', 'read', 'referral', 'provider inbox, 50 items, scoped'),
  pendingScenario('referral-detail', 'read', 'referral', 'one referral with its shared fields'),
  pendingScenario('directory-suggestions', 'read', 'service', 'ranked services for a need'),
  pendingScenario('referral-create', 'write', 'referral', 'create and send a referral'),
  pendingScenario('referral-accept', 'write', 'referral', 'accept a sent referral'),
  pendingScenario('reports-catalogue', 'report', 'activity', 'every indicator for a region and year vs the hand-written SQL'),
  pendingScenario('export-memory', 'memory', 'activity', 'peak RSS while streaming a 1M-row CSV vs idle RSS'),
];
