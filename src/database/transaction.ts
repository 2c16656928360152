import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { PoolClient } from 'pg';
import { ReadReplica, replicaScope } from './read-replica.js';

/** How many rows of one writer still go into the commit's combined statement (more: its own `flush`). */
const COMBINED_ROWS = 8;

/**
 * What a repository writes at commit (TransactionHost.appendAtCommit): `flush` writes rows on their
 * own; `insert`, when given, says them as one INSERT (its parameters pushed to `params`, numbered
 * from there) to go with the other writers' in one statement, its `name` per row count prepared.
 */
export interface CommitWriter<R> {
  flush(rows: R[]): Promise<void>;
  insert?: { name: string; sql(rows: R[], params: unknown[]): string };
}

/**
 * Unit of work across repositories: `tx.run(fn)` opens one transaction and every repository that
 * asks `tx.manager` inside `fn` writes through it. So a change, its history, its audit row and its
 * outbox messages commit or roll back together without passing a manager around.
 */
@Injectable()
export class TransactionHost {
  private readonly als = new AsyncLocalStorage<EntityManager>();
  /** Statement names of `preparedNamed`, by SQL text. */
  private readonly names = new Map<string, string>();
  /** Named parameters as TypeORM binds them, remembered per text and shape (NamedBindings). */
  private bindings?: NamedBindings;
  /** How many texts each name of `preparedNamed` has prepared (bounded per name by `upTo`). */
  private readonly texts = new Map<string, number>();
  /** Per open transaction: rows waiting for `appendAtCommit`, by their writer. */
  private readonly pending = new WeakMap<EntityManager, Map<CommitWriter<never>, unknown[]>>();

  constructor(
    @InjectDataSource() readonly dataSource: DataSource,
    @Optional() private readonly replica?: ReadReplica,
  ) {}

  get manager(): EntityManager {
    return this.als.getStore() ?? this.dataSource.manager;
  }

  /**
   * For reads that tolerate lag: the streaming replica inside a @LagTolerant() route (when
   * DATABASE_REPLICA_URL is set), otherwise exactly `manager` (an open transaction, or the primary).
   */
  get reader(): EntityManager {
    return this.als.getStore() ?? (replicaScope.getStore() && this.replica?.manager) ?? this.dataSource.manager;
  }

  /** How far behind the data read by `reader` may be, in seconds (0 on the primary). */
  get readerLagSeconds(): number {
    return this.als.getStore() ? 0 : (replicaScope.getStore()?.lagSeconds ?? 0);
  }

  get inTransaction(): boolean {
    return this.als.getStore() !== undefined;
  }

  /**
   * Independent reads: side by side on pool connections, but one after another inside a transaction,
   * whose single connection runs one query at a time (pg 9 will refuse overlapping queries).
   */
  async all<const T extends readonly (() => Promise<unknown>)[]>(tasks: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
    if (!this.inTransaction) return Promise.all(tasks.map((t) => t())) as never;
    const out: unknown[] = [];
    for (const t of tasks) out.push(await t());
    return out as never;
  }

  /** Runs reads in one REPEATABLE READ snapshot (so several statements see the same data), or in the transaction already open. */
  snapshot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.als.getStore()) return fn();
    return this.dataSource.transaction('REPEATABLE READ', (manager) => this.als.run(manager, () => this.unit(manager, fn)));
  }

  /** Runs `fn` in a transaction, or joins the one already open. */
  run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const open = this.als.getStore();
    if (open) return fn(open);
    return this.dataSource.transaction((manager) => this.als.run(manager, () => this.unit(manager, fn)));
  }

  /**
   * A hot read (a token's caller, a page of a list), as a named prepared statement on a
   * pooled connection: PostgreSQL parses and plans it once per connection, and it skips TypeORM's
   * query runner (created, connected and released per statement) — issue #18. Logged to TypeORM's
   * logger as any statement (so the statement counts of the tests see it). Inside a transaction it
   * runs there, on the transaction's connection (named there too). `name` undefined: unnamed.
   */
  prepared<R = Record<string, unknown>>(name: string | undefined, sql: string, params: unknown[]): Promise<R[]> {
    return this.send(this.dataSource, name, sql, params);
  }

  /**
   * `prepared` for reads that tolerate lag, where `reader` reads: the replica's pool inside a
   * @LagTolerant() route (when there is one), else exactly as `prepared` (the open transaction, or
   * the primary). Each pool's connections keep their own named statements.
   */
  readerPrepared<R = Record<string, unknown>>(name: string | undefined, sql: string, params: unknown[]): Promise<R[]> {
    const replica = !this.als.getStore() && replicaScope.getStore() ? this.replica?.manager?.connection : undefined;
    return this.send(replica ?? this.dataSource, name, sql, params);
  }

  /**
   * `prepared` for SQL with named parameters (`:name`, `:...list`, as in a SqlScope's fragment),
   * bound exactly as QueryBuilder binds them. A statement's name is per distinct text (a scope's
   * shape or a list's length changes it); past a bound (1,000 texts in all, `upTo` for this name),
   * further texts run unnamed.
   */
  preparedNamed<R = Record<string, unknown>>(name: string | null, sql: string, params: Record<string, unknown>, upTo?: number): Promise<R[]> {
    const [text, values, named] = this.bind(name, sql, params, upTo);
    return this.prepared<R>(named, text, values);
  }

  /** `preparedNamed` where `reader` reads (see `readerPrepared`). */
  readerPreparedNamed<R = Record<string, unknown>>(name: string | null, sql: string, params: Record<string, unknown>, upTo?: number): Promise<R[]> {
    const [text, values, named] = this.bind(name, sql, params, upTo);
    return this.readerPrepared<R>(named, text, values);
  }

  /** Named parameters bound; the statement's name (none for `name` null: planned for its values each time). */
  private bind(name: string | null, sql: string, params: Record<string, unknown>, upTo = Infinity): [string, unknown[], string | undefined] {
    const [text, values] = (this.bindings ??= new NamedBindings(this.dataSource.driver)).bind(sql, params);
    if (name === null) return [text, values, undefined];
    let named = this.names.get(text);
    const taken = this.texts.get(name) ?? 0;
    if (named === undefined && this.names.size < 1000 && taken < upTo) {
      this.names.set(text, (named = `${name}.${this.names.size}`));
      this.texts.set(name, taken + 1);
    }
    return [text, values, named];
  }

  /** One statement on `source`'s pool, or on the open transaction's connection (always the primary's). */
  private async send<R>(source: DataSource, name: string | undefined, sql: string, params: unknown[]): Promise<R[]> {
    const runner = this.als.getStore()?.queryRunner;
    const { logger, driver } = source;
    logger.logQuery(sql, params, runner);
    try {
      // In a transaction, on its connection: named there too (each pooled connection keeps its own).
      const client = runner ? ((await runner.connect()) as PoolClient) : (driver as PostgresDriver).master;
      const result = await client.query({ name, text: sql, values: params });
      return result.rows as R[];
    } catch (e) {
      logger.logQueryError(e as Error, sql, params, runner);
      throw e;
    }
  }

  /**
   * Rows written at the end of the open transaction, just before it commits: every call with the
   * same `writer` (a stable object) adds to its rows, so a command's audit rows cost one INSERT
   * however many of its steps record one; and the writers that can say their rows as an INSERT
   * (`insert`, up to COMBINED_ROWS rows each) are written together, in one statement (issue #18:
   * a step's audit row and its e-mail). Outside a transaction, written at once. A failing write
   * rolls the transaction back, as the same write in place would have.
   */
  appendAtCommit<R>(writer: CommitWriter<R>, rows: R[]): Promise<void> {
    const open = this.als.getStore();
    if (!open) return writer.flush(rows);
    let byWriter = this.pending.get(open);
    if (!byWriter) this.pending.set(open, (byWriter = new Map()));
    const queued = byWriter.get(writer as CommitWriter<never>);
    if (queued) queued.push(...rows);
    else byWriter.set(writer as CommitWriter<never>, [...rows]);
    return Promise.resolve();
  }

  /** The transaction's work, then what waits for its end (appendAtCommit), inside it. */
  private async unit<T>(manager: EntityManager, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const out = await fn(manager);
    const pending = this.pending.get(manager);
    // A write may queue for another: until nothing waits.
    while (pending?.size) {
      const batch = [...pending];
      pending.clear();
      const together = batch.filter(([w, rows]) => w.insert && rows.length <= COMBINED_ROWS);
      for (const [w, rows] of batch) if (together.length < 2 || !together.some(([t]) => t === w)) await w.flush(rows as never[]);
      if (together.length < 2) continue;
      // WITH w0 AS (INSERT …), w1 AS (INSERT …) INSERT …: the data-modifying CTEs all run, in one statement.
      const params: unknown[] = [];
      const inserts = together.map(([w, rows]) => w.insert!.sql(rows as never[], params));
      const last = inserts.pop()!;
      const sql = `WITH ${inserts.map((x, k) => `w${k} AS (${x})`).join(', ')} ${last}`;
      await this.prepared(`commit:${together.map(([w, rows]) => `${w.insert!.name}.${rows.length}`).join('+')}`, sql, params);
    }
    return out;
  }
}

/**
 * TypeORM's binding of named parameters (`:name`, `:...list`), worked out once per text and shape
 * of its parameters (which names are given, the length of each list): a regular expression over a
 * text of a few kB is a tenth of a millisecond, on statements sent with every request. The first
 * binding is made with markers for the values, so the positions are TypeORM's own; later ones only
 * fill them in. A function value is SQL of its own: such statements are bound every time.
 */
export class NamedBindings {
  private readonly known = new Map<string, { text: string; slots: [string, number | null][] }>();

  constructor(private readonly driver: Pick<DataSource['driver'], 'escapeQueryWithParameters'>) {}

  bind(sql: string, params: Record<string, unknown>): [string, unknown[]] {
    let shape = sql;
    for (const k in params) {
      const v = params[k];
      if (typeof v === 'function') return this.driver.escapeQueryWithParameters(sql, params);
      shape += `\u0000${k}${Array.isArray(v) ? `[${v.length}]` : ''}`;
    }
    let bound = this.known.get(shape);
    if (!bound) {
      const at = new Map<object, [string, number | null]>();
      const marker = (key: string, index: number | null) => {
        const m = {};
        at.set(m, [key, index]);
        return m;
      };
      const marked: Record<string, unknown> = {};
      for (const k in params) {
        const v = params[k];
        if (!Array.isArray(v)) {
          marked[k] = marker(k, null);
          continue;
        }
        const list = v.map((_, i) => marker(k, i));
        at.set(list, [k, null]); // `:list` (not `:...list`) binds the array whole
        marked[k] = list;
      }
      const [text, markers] = this.driver.escapeQueryWithParameters(sql, marked);
      bound = { text, slots: markers.map((m) => at.get(m as object)!) };
      if (this.known.size >= 2000) this.known.clear();
      this.known.set(shape, bound);
    }
    return [bound.text, bound.slots.map(([k, i]) => (i === null ? params[k] : (params[k] as unknown[])[i]))];
  }
}
