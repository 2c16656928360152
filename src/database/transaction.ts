import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ReadReplica, replicaScope } from './read-replica.js';

/**
 * Unit of work across repositories: `tx.run(fn)` opens one transaction and every repository that
 * asks `tx.manager` inside `fn` writes through it. So a change, its history, its audit row and its
 * outbox messages commit or roll back together without passing a manager around.
 */
@Injectable()
export class TransactionHost {
  private readonly als = new AsyncLocalStorage<EntityManager>();

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
    return this.dataSource.transaction('REPEATABLE READ', (manager) => this.als.run(manager, fn));
  }

  /** Runs `fn` in a transaction, or joins the one already open. */
  run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const open = this.als.getStore();
    if (open) return fn(open);
    return this.dataSource.transaction((manager) => this.als.run(manager, () => fn(manager)));
  }
}
