import type { Disaggregation } from './indicator-catalogue.js';
import { REPORT_TIME_ZONE, type GroupRow, type Source, type TableRequest } from './report-sources.js';

/**
 * The statement builder: several sources of one family (report-sources.ts) become one statement
 * over the family's rows, every cell and margin at once with GROUPING SETS. Pure: it writes SQL
 * with named parameters and reads the rows back; the repository runs it.
 *
 * Conditions every source has filter the rows; each source's own conditions become a flag `k<k>`
 * of the row, and each aggregate call of the source is filtered by it
 * (`COUNT(*)` → `COUNT(*) FILTER (WHERE r.k<k>)`), see `rewriteAggregates`. A source with no
 * conditions of its own counts every row: it gets no flag (a constant column behind the subquery's
 * fence is still projected and tested for every row; about 0.1 ms of a supervisor's referrals pass).
 */

/** An aggregate call of a source's `value`/`base`/`companion`, with its WITHIN GROUP and FILTER if any. */
const AGGREGATE_CALL = /\b((?:COUNT|SUM|percentile_cont)\([^()]*\))(\s+WITHIN GROUP \([^()]*\))?(\s+FILTER \(WHERE ([^()]*)\))?/g;

/**
 * One source's aggregate expression as it reads the shared subquery: its fields `r.<name>` become
 * the subquery's columns (`fields`: name → column), and every aggregate call (COUNT, SUM,
 * percentile_cont, with WITHIN GROUP) gets the source's flag `r.k<k>` as its FILTER — joined with
 * AND to a FILTER it already had; with no flag (`k` null: the source counts every row) a call keeps
 * only its own FILTER. Anything outside an aggregate call is left as written.
 */
export function rewriteAggregates(agg: string, k: number | null, fields: ReadonlyMap<string, string>): string {
  return agg
    .replace(/\br\.(\w+)/g, (_, f: string) => `r.${fields.get(f) ?? f}`)
    .replace(AGGREGATE_CALL, (_, call: string, within = '', _f: string, cond?: string) => {
      const conds = [...(k === null ? [] : [`r.k${k}`]), ...(cond ? [`(${cond})`] : [])];
      return `${call}${within}${conds.length ? ` FILTER (WHERE ${conds.join(' AND ')})` : ''}`;
    });
}

/** A statement with named parameters (`:name`, `:...list`), and how many dimensions its rows carry. */
export interface PassStatement {
  sql: string;
  params: Record<string, unknown>;
  dims: number;
}

/** The statement computing `sources` (one family, one scope) for a request. */
export function passStatement(sources: Source[], req: TableRequest): PassStatement {
  return { ...passText(sources, passShape(req)), params: passParams(sources, req) };
}

/**
 * All of a request that a pass's text may read besides its sources: the breakdown, which filters
 * are given (not their values) and the scope's SQL. `passText` sees nothing else, so equal shapes
 * (and sources) give equal texts, and `shapeKey` can stand for the text.
 */
export interface PassShape {
  interval: TableRequest['interval'];
  by: TableRequest['by'];
  region: boolean;
  province: boolean;
  unit: boolean;
  scopeSql: string;
}

export const passShape = (req: TableRequest): PassShape => ({
  interval: req.interval,
  by: req.by,
  region: !!req.region,
  province: !!req.province,
  unit: !!req.unit,
  scopeSql: req.scope.sql,
});

export const shapeKey = (shape: PassShape): string =>
  [shape.interval, shape.by.join(','), shape.region ? 'r' : '', shape.province ? 'p' : '', shape.unit ? 'u' : '', shape.scopeSql].join('|');

/** The values of a pass statement's named parameters (the period, the filters, the scope's and the sources' own). */
export function passParams(sources: Source[], req: TableRequest): Record<string, unknown> {
  const first = sources[0]!;
  const params: Record<string, unknown> = { ...req.scope.params, rFrom: req.from, rTo: req.to };
  for (const s of sources) Object.assign(params, s.params);
  if (req.region) params.rRegion = req.region;
  if (req.province) params.rProvince = req.province;
  if (req.unit && first.filters.unit) params.rUnit = req.unit;
  return params;
}

/** The text of a pass statement, and how many dimensions its rows carry: values never go into it. */
export function passText(sources: Source[], shape: PassShape): Omit<PassStatement, 'params'> {
  const first = sources[0]!;
  const local = first.at.type === 'timestamptz' ? `(${first.at.expr} AT TIME ZONE '${REPORT_TIME_ZONE}')` : first.at.expr;
  const dimExpr = (d: Disaggregation): string => {
    if (d === 'period') {
      const fmt = { month: "'YYYY-MM'", quarter: `'YYYY"-Q"Q'`, year: "'YYYY'" }[shape.interval];
      return `to_char(date_trunc('${shape.interval}', ${local}), ${fmt})`;
    }
    const e = first.dims[d];
    if (!e) throw new Error(`source has no dimension ${d}`);
    return e;
  };
  const exprs = shape.by.map(dimExpr);
  const common = first.where.filter((w) => sources.every((s) => s.where.includes(w)));
  const own = sources.map((s) => s.where.filter((w) => !common.includes(w)));
  // A source's flag, k, when it has conditions of its own; null when it counts every row.
  const flags = own.map((o, k) => (o.length ? k : null));
  const where = [...common];
  // Rows no source counts are dropped after the subquery (where each condition is computed once);
  // only possible when every source has a flag.
  const filter = flags.every((f) => f !== null) ? flags.map((f) => `r.k${f}`) : [];
  if (first.at.type === 'date') where.push(`${first.at.expr} BETWEEN CAST(:rFrom AS date) AND CAST(:rTo AS date)`);
  else
    where.push(
      `${first.at.expr} >= (CAST(:rFrom AS date)::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}')`,
      `${first.at.expr} < ((CAST(:rTo AS date) + 1)::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}')`,
    );
  if (shape.region) where.push(`${first.filters.region} = :rRegion`);
  if (shape.province) where.push(`${first.filters.province} = :rProvince`);
  if (shape.unit && first.filters.unit) where.push(`${first.filters.unit} = :rUnit`);
  where.push(`(${shape.scopeSql})`);

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
    const flag = flags[k] ?? null;
    if (flag !== null) inner.push(`(${own[k]!.join(' AND ')}) AS k${k}`);
    const mine = new Map<string, string>();
    for (const [f, e] of Object.entries(s.fields)) {
      if (!fieldNames.has(e)) (fieldNames.set(e, `f${fieldNames.size}`), inner.push(`${e} AS f${fieldNames.size - 1}`));
      mine.set(f, fieldNames.get(e)!);
    }
    // Each aggregate call of a flagged source gets the flag as (part of) its FILTER, so it reads
    // only the source's rows (a distinct count or a median then sorts those alone).
    aggregates.push(
      `(${rewriteAggregates(s.value, flag, mine)})::float8 AS v${k}`,
      `(${rewriteAggregates(s.base ?? 'COUNT(*)', flag, mine)})::int AS b${k}`,
      `(${rewriteAggregates(s.companion ?? '0', flag, mine)})::int AS c${k}`,
      `${rewriteAggregates('COUNT(*)', flag, mine)}::int AS n${k}`,
    );
  });
  const dims = exprs.map((_, i) => `r.d${i}`);
  const select = [...dims.map((d, i) => `${d} AS d${i}`), ...dims.map((d, i) => `GROUPING(${d}) AS g${i}`), ...aggregates];
  const sets = dims.length === 2 ? `(${dims[0]}, ${dims[1]}), (${dims[0]}), (${dims[1]}), ()` : dims.length === 1 ? `(${dims[0]}), ()` : '';
  const sql =
    `SELECT ${select.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${first.from} WHERE ${where.join(' AND ')} OFFSET 0) r` +
    (filter.length ? ` WHERE ${filter.join(' OR ')}` : '') +
    (sets ? ` GROUP BY GROUPING SETS (${sets})` : '');
  return { sql, dims: exprs.length };
}

/** The rows of a pass statement as each source's cells and margins (a cell none of its rows falls in is absent). */
export function readPass(rows: Record<string, unknown>[], sources: number, dims: number): GroupRow[][] {
  const coordOf = (r: Record<string, unknown>) => Array.from({ length: dims }, (_, i) => (Number(r[`g${i}`]) === 1 ? null : String(r[`d${i}`])));
  // A cell no row of this source falls in is absent, as if the source had run alone.
  return Array.from({ length: sources }, (_, k) =>
    rows
      .map((r) => ({ r, coord: coordOf(r) }))
      .filter(({ r, coord }) => Number(r[`n${k}`]) > 0 || coord.every((c) => c === null))
      .map(({ r, coord }) => ({ coord, value: Number(r[`v${k}`] ?? 0), base: Number(r[`b${k}`] ?? 0), companion: Number(r[`c${k}`] ?? 0) })),
  );
}
