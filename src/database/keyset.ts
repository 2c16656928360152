import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor, type Page } from '../common/pagination.js';

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
  const { entities, raw } = await qb
    .addSelect(`${alias}.created_at::text`, 'keyset_at')
    .orderBy(`${alias}.created_at`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(limit + 1)
    .getRawAndEntities();
  const items = entities.slice(0, limit);
  const last = items.at(-1);
  const lastRaw = raw[items.length - 1] as { keyset_at: string } | undefined;
  return { items, nextCursor: entities.length > limit && last && lastRaw ? encodeCursor(lastRaw.keyset_at, last.id) : null };
}
