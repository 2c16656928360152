import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor, type OnModuleDestroy } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { Observable } from 'rxjs';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';

/** Set while a lag-tolerant route runs: its reads may go to the replica, stating how far behind it is. */
export const replicaScope = new AsyncLocalStorage<{ lagSeconds: number }>();

/** Seconds behind the primary of what this request reads (0 outside lag-tolerant routes or without a replica). */
export const currentLagSeconds = (): number => replicaScope.getStore()?.lagSeconds ?? 0;

/**
 * The streaming replica of DATABASE_REPLICA_URL, when there is one: a second pool with the same
 * entities, read-only by nature (PostgreSQL refuses writes on a standby). Without it, null, and
 * every read stays on the primary.
 */
@Injectable()
export class ReadReplica implements OnModuleDestroy {
  private source: DataSource | null = null;

  constructor(
    @InjectDataSource() private readonly primary: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async connect(): Promise<void> {
    const url = this.config.database.replicaUrl;
    if (!url || this.source) return;
    const options = this.primary.options as Extract<DataSource['options'], { type: 'postgres' }>;
    this.source = await new DataSource({
      ...options,
      url,
      migrationsRun: false,
      // No LISTEN on a standby (PostgreSQL refuses it there): caller notices come from the primary.
      extra: { ...(options.extra as object), application_name: 'tawjih-replica', onConnect: undefined },
    }).initialize();
  }

  get manager(): EntityManager | null {
    return this.source?.manager ?? null;
  }

  /**
   * Seconds the replica is behind the primary: 0 when it has replayed all it received, otherwise
   * the age of the last transaction it replayed.
   */
  async lagSeconds(): Promise<number> {
    if (!this.source) return 0;
    const rows: Array<{ lag: string | number | null }> = await this.source.query(
      `SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                   ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END AS lag`,
    );
    return Math.max(0, Math.round(Number(rows[0]?.lag ?? 0)));
  }

  async onModuleDestroy(): Promise<void> {
    await this.source?.destroy();
    this.source = null;
  }
}

const LAG_TOLERANT = 'tawjih:lag-tolerant';

/**
 * Runs a lag-tolerant route's reads on the replica and states its lag in `X-Data-Lag-Seconds`.
 * Registered for every route only when a replica is configured (app.setup.ts): without one, no
 * route pays for an interceptor that would do nothing (a third of a millisecond a request: issue #15).
 */
@Injectable()
export class ReplicaReadsInterceptor implements NestInterceptor {
  constructor(
    private readonly replica: ReadReplica,
    private readonly reflector: Reflector,
  ) {}

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (!this.replica.manager || ctx.getType() !== 'http') return next.handle();
    if (!this.reflector.getAllAndOverride<boolean>(LAG_TOLERANT, [ctx.getHandler(), ctx.getClass()])) return next.handle();
    const lagSeconds = await this.replica.lagSeconds();
    ctx.switchToHttp().getResponse<Response>().setHeader('X-Data-Lag-Seconds', String(lagSeconds));
    return new Observable((subscriber) => replicaScope.run({ lagSeconds }, () => next.handle().subscribe(subscriber)));
  }
}

/**
 * Marks read-only routes whose figures may be a few seconds old (reports, exports, HSDS, the public
 * directory). Anything that reads its own writes stays unmarked, on the primary.
 */
export const LagTolerant = () => SetMetadata(LAG_TOLERANT, true);
