import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver.js';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { decodeCursor, toPage, type Page } from './pagination.js';

/**
 * Newest first on (created_at, id), continuing after the cursor. Reads `limit + 1` rows to know
 * whether there is a next page; no OFFSET, so page 10,000 costs what page 1 costs.
 * The cursor carries created_at as PostgreSQL prints it (microseconds): a JS Date would round to
 * milliseconds and skip rows written in the same millisecond.
 */
export async function keysetPage<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  query: { cursor?: string; limit?: number },
): Promise<Page<T>> {
  const { entities, raw } = await keysetQuery(qb, alias, query).getRawAndEntities<{ keyset_at: string } & Record<string, unknown>>();
  const exactAt = new Map(raw.map((r) => [r[`${alias}_id`] as string, r.keyset_at]));
  return toPage(entities, query.limit ?? 50, (r) => exactAt.get(r.id)!);
}

/**
 * The same page for lists of plain column values (no joins, relations or embedded entities): each row's
 * columns are converted with the driver's own per-column hydration, without TypeORM's entity
 * transformer — a measurable share of a list request's CPU (bench/analysis.md).
 */
export async function keysetPlainPage<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  query: { cursor?: string; limit?: number },
): Promise<Page<T>> {
  const metadata = qb.expressionMap.mainAlias!.metadata;
  const columns = metadata.columns.map((c) => ({ c, key: `${alias}_${c.databaseName}` }));
  // TypeORM names selected columns `<alias>_<column>` unless that is longer than PostgreSQL's 63 characters.
  const plain = !columns.some((x) => x.key.length > 63) && !metadata.relations.some((r) => r.isEager) && !metadata.embeddeds.length && !qb.expressionMap.joinAttributes.length;
  if (!plain) return keysetPage(qb, alias, query);
  const q = keysetQuery(qb, alias, query);
  const raw = await q.getRawMany<Record<string, unknown>>();
  const rows = raw.map((r) => Object.assign(hydratePlain<T>(q.connection.driver, columns, r), { keysetAt: r.keyset_at as string }));
  const page = toPage(rows, query.limit ?? 50, (r) => r.keysetAt);
  for (const r of page.items) delete (r as { keysetAt?: string }).keysetAt;
  return page;
}

/**
 * An entity of plain columns from a raw row (`key` names each column's value in it), each value
 * converted by the driver's own per-column hydration, as TypeORM would but without its transformer.
 */
export function hydratePlain<T>(driver: Driver, columns: ReadonlyArray<{ c: ColumnMetadata; key: string }>, row: Record<string, unknown>): T {
  const out = columns[0]!.c.entityMetadata.create() as Record<string, unknown>;
  for (const { c, key } of columns) out[c.propertyName] = driver.prepareHydratedValue(row[key], c);
  return out as T;
}

/** Newest first on (created_at, id) after the cursor, `limit + 1` rows, with the exact created_at. */
function keysetQuery<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, query: { cursor?: string; limit?: number }): SelectQueryBuilder<T> {
  const limit = query.limit ?? 50;
  const cursor = decodeCursor(query.cursor);
  if (cursor) {
    qb.andWhere(`(${alias}.created_at, ${alias}.id) < (CAST(:cursorAt AS timestamptz), CAST(:cursorId AS uuid))`, {
      cursorAt: cursor.at,
      cursorId: cursor.id,
    });
  }
  // The cursor carries created_at at full (microsecond) precision: a JS Date keeps milliseconds
  // only, and rows written in one transaction share a timestamp, so a millisecond cursor skips rows.
  return qb
    .addSelect(`to_char(${alias}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, 'keyset_at')
    .orderBy(`${alias}.created_at`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(limit + 1);
}
