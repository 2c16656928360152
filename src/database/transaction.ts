import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Unit of work across repositories: `tx.run(fn)` opens one transaction and every repository that
 * asks `tx.manager` inside `fn` writes through it. So a change, its history, its audit row and its
 * outbox messages commit or roll back together without passing a manager around.
 */
@Injectable()
export class TransactionHost {
  private readonly als = new AsyncLocalStorage<EntityManager>();

  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.als.getStore() ?? this.dataSource.manager;
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
