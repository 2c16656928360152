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

/**
 * Column types whose value, as pg parses it, is already what TypeORM would hydrate: strings,
 * numbers of int2/int4, booleans, timestamps (Date), json. An enum array is read as text[] (pg
 * parses that; TypeORM splits the enum array's text itself).
 */
const AS_PARSED = new Set<unknown>(['uuid', 'varchar', 'character varying', 'text', 'integer', 'int', 'int4', 'smallint', 'boolean', 'bool', 'timestamptz', 'timestamp with time zone', 'jsonb', 'json']);

/**
 * `plainEntity` for the hot lists of one table (issue #18): each column selected under its property
 * name, so the row pg returns is the entity's values already — no per-column hydration but for the
 * columns pg does not parse as TypeORM would (none on Referral). The row is a plain object, not an
 * instance of the class: for reads that build views, never for rows saved back.
 */
export function plainRows<T extends ObjectLiteral>(dataSource: DataSource, entity: EntityTarget<T>, alias: string): PlainEntity<T> {
  let byKey = cache.get(dataSource);
  if (!byKey) cache.set(dataSource, (byKey = new Map()));
  const metadata = dataSource.getMetadata(entity);
  const key = `rows:${metadata.name}:${alias}`;
  const found = byKey.get(key);
  if (found) return found as PlainEntity<T>;
  if (metadata.embeddeds.length || metadata.relations.some((r) => r.isEager)) throw new Error(`plainRows: ${metadata.name} is not plain`);
  const driver = dataSource.driver;
  const enumArray = (c: ColumnMetadata) => (c.type === 'enum' || c.type === 'simple-enum') && c.isArray;
  const stringEnum = (c: ColumnMetadata) => (c.type === 'enum' || c.type === 'simple-enum') && (c.enum ?? []).every((v) => typeof v === 'string');
  const asParsed = (c: ColumnMetadata) => !c.transformer && (enumArray(c) ? stringEnum(c) : (!c.isArray && AS_PARSED.has(c.type)) || (!c.isArray && stringEnum(c)));
  const converted = metadata.columns.filter((c) => !asParsed(c));
  const made: PlainEntity<T> = {
    select: metadata.columns
      .map((c) => `${alias}.${driver.escape(c.databaseName)}${enumArray(c) && asParsed(c) ? '::text[]' : ''} AS ${driver.escape(c.propertyName)}`)
      .join(', '),
    hydrate: converted.length
      ? (row) => {
          for (const c of converted) row[c.propertyName] = driver.prepareHydratedValue(row[c.propertyName], c);
          return row as T;
        }
      : (row) => row as T,
  };
  byKey.set(key, made);
  return made;
}
