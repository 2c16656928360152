import { Injectable } from '@nestjs/common';
import type { SqlScope } from '../authorization/scope.js';
import { TransactionHost } from '../database/transaction.js';
import { ROLLUP_LOCK } from '../../migrations/1796158210615-ReportReferralRollup.js';
import { passParams, passShape, passStatement, passText, readPass, shapeKey, type PassStatement } from './report-statement.js';
import { REPORT_TIME_ZONE, ROLLUP_DEFINITION, ROLLUP_FACTS, ROLLUP_ROW, rollupSources, type GroupRow, type Source, type TableRequest } from './report-sources.js';

/**
 * Runs the reporting statements: the indicator tables (definitions in report-sources.ts, SQL
 * written by report-statement.ts), the monthly roll-up and the needs chart. The families run side
 * by side on separate connections. Names and places for labels are report-lookups.repository.ts.
 */

const nextMonth = (ym: string) => {
  const [y, m] = [Number(ym.slice(0, 4)), Number(ym.slice(5, 7))];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/**
 * How many report texts are prepared (each connection keeps the ones it ran: about 190 kB of
 * PostgreSQL's memory each, with its plan); further shapes of request run unprepared.
 */
export const PREPARED_PASSES = 32;

@Injectable()
export class ReportingRepository {
  /** Texts of prepared passes by shape (see `textOf`), and the sources' numbers in those keys. */
  private readonly texts = new Map<string, Omit<PassStatement, 'params'>>();
  private readonly sourceIds = new WeakMap<Source, number>();
  private sources = 0;

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
      // Not prepared: the text holds the request's dates.
      return this.pass([ref1, chain], { ...req, scope }, false);
    });
  }

  /**
   * One statement over a family's rows for several sources (report-statement.ts writes it).
   * Prepared (`prepare`) when its text holds no value of the request — the period and the ids are
   * parameters — so that a report asked again (the same indicators, breakdown and kind of scope)
   * is neither parsed nor, once PostgreSQL settles on a generic plan, planned again: about a
   * millisecond a statement at 100k persons, on texts of 2–3 kB.
   */
  private async pass(sources: Source[], req: TableRequest, prepare = true): Promise<GroupRow[][]> {
    const st = prepare ? { ...this.textOf(sources, req), params: passParams(sources, req) } : passStatement(sources, req);
    // JIT is off for every connection (data-source-options.ts): here it cost over a second per
    // statement at a million persons. (More work_mem is no gain: the planner then hashes GBV-1's
    // whole incident × case table.)
    const rows = await this.tx.readerPreparedNamed(prepare ? 'reports.pass' : null, st.sql, st.params, PREPARED_PASSES);
    return readPass(rows, sources.length, st.dims);
  }

  /**
   * A prepared pass's text, written once per shape of request (its sources, breakdown, filters
   * and kind of scope): the same shapes come back with every report, and writing a text of 2–3 kB
   * again is a tenth of a millisecond each time. As bounded as the prepared texts themselves.
   */
  private textOf(sources: Source[], req: TableRequest): Omit<PassStatement, 'params'> {
    const shape = passShape(req);
    const key = `${sources.map((s) => this.sourceId(s)).join(',')}|${shapeKey(shape)}`;
    let text = this.texts.get(key);
    if (!text) {
      text = passText(sources, shape);
      if (this.texts.size < PREPARED_PASSES * 4) this.texts.set(key, text);
    }
    return text;
  }

  private sourceId(source: Source): number {
    let id = this.sourceIds.get(source);
    if (id === undefined) this.sourceIds.set(source, (id = ++this.sources));
    return id;
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

  /**
   * Fresh planner statistics for the roll-up, after months were built. Without them (autovacuum
   * comes later, and never before the first national report after a bulk build) PostgreSQL takes a
   * report's `month = ANY(…)` for a few hundred rows and reads 344,000 through the primary key's
   * index instead of the table: at a million persons the national ten-year table by sex × age band
   * took 1.3–1.6 s rather than 0.25–0.3 s (issue #15).
   */
  async analyzeRollup(): Promise<void> {
    await this.tx.manager.query('ANALYZE report_referral_month');
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
}
