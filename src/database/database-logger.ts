import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

const logger = new NestLogger('Database');

/**
 * TypeORM's messages and the pool's errors as JSON lines through the app's logger (pino), at warn:
 * a connection dropped by a restarting server is expected and the pool recovers by itself. Queries
 * and their parameters are never logged (they can carry personal data).
 */
export class DatabaseLogger implements TypeOrmLogger {
  logQuery(): void {}
  logQueryError(error: string | Error): void {
    const e = error as { name?: string; code?: string };
    logger.warn({ err: { type: e?.name, code: e?.code } }, 'query failed');
  }
  logQuerySlow(time: number): void {
    logger.warn({ durationMs: time }, 'slow query');
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    logger.log({ migration: message }, 'migration');
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') logger.warn({ detail: String(message) }, 'database warning');
    else logger.log({ detail: String(message) }, 'database');
  }
}

/** An idle pooled connection broke (server restarted or unreachable): the pool drops it and opens another. */
export function onPoolError(err: Error): void {
  const e = err as Error & { code?: string };
  logger.warn({ err: { type: e.name, code: e.code, message: e.message } }, 'database connection lost');
}
