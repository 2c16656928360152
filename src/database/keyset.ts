import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';

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
  const { entities, raw } = await qb
    .addSelect(`to_char(${alias}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, 'keyset_at')
    .orderBy(`${alias}.created_at`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(limit + 1)
    .getRawAndEntities<{ keyset_at: string } & Record<string, unknown>>();
  const exactAt = new Map(raw.map((r) => [r[`${alias}_id`] as string, r.keyset_at]));
  return toPage(entities, limit, (r) => exactAt.get(r.id)!);
}
