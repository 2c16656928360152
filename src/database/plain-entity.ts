import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';

/**
 * An entity of plain columns for hand-written SQL (issue #18): `select` lists its columns under
 * `<alias>_<column>`, and `hydrate` turns such a row back into the entity, each value converted by
 * the driver's own per-column hydration (timestamps as Date, jsonb, arrays, enums, transformers) —
 * what TypeORM does for that entity, without building the query or its result transformer.
 */
export interface PlainEntity<T> {
  readonly select: string;
  hydrate(row: Record<string, unknown>): T;
}

const cache = new WeakMap<DataSource, Map<string, PlainEntity<unknown>>>();

export function plainEntity<T extends ObjectLiteral>(dataSource: DataSource, entity: EntityTarget<T>, alias: string): PlainEntity<T> {
  let byKey = cache.get(dataSource);
  if (!byKey) cache.set(dataSource, (byKey = new Map()));
  const metadata = dataSource.getMetadata(entity);
  const key = `${metadata.name}:${alias}`;
  const found = byKey.get(key);
  if (found) return found as PlainEntity<T>;
  if (metadata.embeddeds.length || metadata.relations.some((r) => r.isEager)) throw new Error(`plainEntity: ${metadata.name} is not plain`);
  const columns: Array<{ c: ColumnMetadata; key: string }> = metadata.columns.map((c) => ({ c, key: `${alias}_${c.databaseName}` }));
  const driver = dataSource.driver;
  const made: PlainEntity<T> = {
    select: columns.map(({ c, key }) => `${alias}.${driver.escape(c.databaseName)} AS ${driver.escape(key)}`).join(', '),
    hydrate(row) {
      const out = metadata.create() as Record<string, unknown>;
      for (const { c, key } of columns) out[c.propertyName] = driver.prepareHydratedValue(row[key], c);
      return out as T;
    },
  };
  byKey.set(key, made);
  return made;
}
