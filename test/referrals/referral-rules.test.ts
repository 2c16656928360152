import fc from 'fast-check';
import { Client } from 'pg';
import { acceptedSql, acceptsReferrals, isOverdue, overdueSql, wasAccepted } from '../../src/referrals/referral-rules.js';
import { REFERRAL_STATUSES, type ReferralStatus } from '../../src/referrals/referral-state.js';
import { CAPACITY_STATUSES } from '../../src/vocabulary/index.js';

/**
 * Each rule's SQL (read by referrals' lists, counts, reminders and by reporting's indicators) and
 * its TypeScript twin (read by pages and services) give the same answer: on a table of cases
 * written out, then on random ones. Only VALUES are queried: no table is read or written.
 */
let db: Client;
beforeAll(async () => {
  db = new Client({ connectionString: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  await db.connect();
});
afterAll(() => db.end());

interface Row {
  status: ReferralStatus;
  responseDueAt: Date | null;
  answeredAt: Date | null;
}

/** Both rules evaluated by PostgreSQL over the rows, in order. */
async function inSql(rows: Row[], now: Date): Promise<Array<{ overdue: boolean; accepted: boolean }>> {
  const { rows: out } = await db.query(
    `SELECT ${overdueSql('r', '$4')} AS overdue, ${acceptedSql('r')} AS accepted
       FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS r(status, response_due_at, answered_at, i)
      ORDER BY r.i`,
    [rows.map((r) => r.status), rows.map((r) => r.responseDueAt), rows.map((r) => r.answeredAt), now],
  );
  // A NULL deadline makes the SQL NULL, which a WHERE or FILTER reads as false.
  return out.map((r: { overdue: boolean | null; accepted: boolean | null }) => ({ overdue: r.overdue === true, accepted: r.accepted === true }));
}

const inTs = (rows: Row[], now: Date) => rows.map((r) => ({ overdue: isOverdue(r, now), accepted: wasAccepted(r) }));

describe('referral rules: SQL and TypeScript agree', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const hour = 3_600_000;
  const at = (h: number) => new Date(now.getTime() + h * hour);

  it('on the written cases (each status × deadline before, at, after now or none × answered or not)', async () => {
    const rows: Row[] = [];
    for (const status of REFERRAL_STATUSES) {
      for (const responseDueAt of [null, at(-1), now, at(1)]) for (const answeredAt of [null, at(-2)]) rows.push({ status, responseDueAt, answeredAt });
    }
    const sql = await inSql(rows, now);
    expect(sql).toEqual(inTs(rows, now));
    // And the rules say what the domain says.
    const same = (a: Date | null, b: Date | null) => (a === null ? b === null : a.getTime() === b?.getTime());
    const pick = (s: ReferralStatus, due: Date | null, answered: Date | null) => sql[rows.findIndex((r) => r.status === s && same(r.responseDueAt, due) && same(r.answeredAt, answered))]!;
    expect(pick('sent', at(-1), null)).toEqual({ overdue: true, accepted: false });
    expect(pick('sent', now, null).overdue).toBe(false); // due now is not yet late
    expect(pick('sent', null, null).overdue).toBe(false);
    expect(pick('accepted', at(-1), at(-2))).toEqual({ overdue: false, accepted: true });
    expect(pick('declined', at(-1), at(-2)).accepted).toBe(false);
    expect(pick('cancelled', null, at(-2)).accepted).toBe(true); // a cancel after acceptance keeps it
    expect(pick('cancelled', null, null).accepted).toBe(false);
  });

  it('on random cases', async () => {
    const date = fc.option(fc.integer({ min: -500, max: 500 }).map((m) => new Date(now.getTime() + m * 60_000)), { nil: null });
    const row = fc.record({ status: fc.constantFrom(...REFERRAL_STATUSES), responseDueAt: date, answeredAt: date });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 60 }), async (rows) => {
        expect(await inSql(rows, now)).toEqual(inTs(rows, now));
      }),
      { numRuns: 40 },
    );
  });

  it('a service accepts referrals while active and not full (a waiting list still does)', () => {
    const table = ['active', 'inactive', 'defunct'].flatMap((status) => CAPACITY_STATUSES.map((capacityStatus) => [status, capacityStatus, acceptsReferrals({ status, capacityStatus })] as const));
    expect(table.filter(([, , yes]) => yes).map(([s, c]) => `${s}/${c}`)).toEqual(['active/accepting', 'active/waiting_list']);
  });
});
