import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';

/**
 * Newest first on (created_at, id), continuing after the cursor. Reads `limit + 1` rows to know
 * whether there is a next page; no OFFSET, so page 10,000 costs what page 1 costs.
 */
export async function keysetPage<T extends ObjectLiteral & { id: string; createdAt: Date }>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  query: { cursor?: string; limit?: number },
): Promise<Page<T>> {
  const limit = query.limit ?? 50;
  const cursor = decodeCursor(query.cursor);
  if (cursor) {
    qb.andWhere(`(${alias}.created_at, ${alias}.id) < (:cursorAt, :cursorId)`, { cursorAt: cursor.at, cursorId: cursor.id });
  }
  const rows = await qb
    .orderBy(`${alias}.created_at`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(limit + 1)
    .getMany();
  return toPage(rows, limit, (r) => r.createdAt);
}
