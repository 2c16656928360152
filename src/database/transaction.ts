import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { PoolClient } from 'pg';
import { ReadReplica, replicaScope } from './read-replica.js';

/**
 * Unit of work across repositories: `tx.run(fn)` opens one transaction and every repository that
 * asks `tx.manager` inside `fn` writes through it. So a change, its history, its audit row and its
 * outbox messages commit or roll back together without passing a manager around.
 */
@Injectable()
export class TransactionHost {
  private readonly als = new AsyncLocalStorage<EntityManager>();
  /** Per open transaction: rows waiting for `appendAtCommit`'s one statement, by their flush. */
  /** Statement names of `preparedNamed`, by SQL text. */
  private readonly names = new Map<string, string>();
  private readonly pending = new WeakMap<EntityManager, Map<(rows: never[]) => Promise<void>, unknown[]>>();

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
   * A hot read that every request makes (the caller's re-read), as a named prepared statement on a
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
   * shape or a list's length changes it); past a bound, further texts run unnamed.
   */
  preparedNamed<R = Record<string, unknown>>(name: string | null, sql: string, params: Record<string, unknown>): Promise<R[]> {
    const [text, values, named] = this.bind(name, sql, params);
    return this.prepared<R>(named, text, values);
  }

  /** `preparedNamed` where `reader` reads (see `readerPrepared`). */
  readerPreparedNamed<R = Record<string, unknown>>(name: string, sql: string, params: Record<string, unknown>): Promise<R[]> {
    const [text, values, named] = this.bind(name, sql, params);
    return this.readerPrepared<R>(named, text, values);
  }

  /** Named parameters bound; the statement's name (none for `name` null: planned for its values each time). */
  private bind(name: string | null, sql: string, params: Record<string, unknown>): [string, unknown[], string | undefined] {
    const [text, values] = this.dataSource.driver.escapeQueryWithParameters(sql, params);
    if (name === null) return [text, values, undefined];
    let named = this.names.get(text);
    if (named === undefined && this.names.size < 1000) this.names.set(text, (named = `${name}.${this.names.size}`));
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
   * Rows written in one statement at the end of the open transaction, just before it commits: every
   * call with the same `flush` (a stable function) adds to that statement, so a command's audit rows
   * cost one INSERT however many of its steps record one. Outside a transaction, written at once.
   * A failing flush rolls the transaction back, as the same write in place would have.
   */
  appendAtCommit<R>(flush: (rows: R[]) => Promise<void>, rows: R[]): Promise<void> {
    const open = this.als.getStore();
    if (!open) return flush(rows);
    let byFlush = this.pending.get(open);
    if (!byFlush) this.pending.set(open, (byFlush = new Map()));
    const queued = byFlush.get(flush as (rows: never[]) => Promise<void>);
    if (queued) queued.push(...rows);
    else byFlush.set(flush as (rows: never[]) => Promise<void>, [...rows]);
    return Promise.resolve();
  }

  /** The transaction's work, then what waits for its end (appendAtCommit), inside it. */
  private async unit<T>(manager: EntityManager, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const out = await fn(manager);
    // A Map iterates over entries added while it is iterated: a flush may queue for another.
    for (const [flush, rows] of this.pending.get(manager) ?? []) await flush(rows as never[]);
    return out;
  }
}
