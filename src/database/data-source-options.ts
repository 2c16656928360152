import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';
import { DatabaseLogger, onPoolError } from './database-logger.js';

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  migrationsRun: boolean;
}

/** One definition of how we talk to PostgreSQL, shared by the app, the CLI, the tests and the benches. */
export function dataSourceOptions(db: DatabaseSettings, entities: DataSourceOptions['entities'] = []): DataSourceOptions {
  return {
    type: 'postgres',
    url: db.url,
    entities,
    migrations: MIGRATIONS,
    migrationsRun: db.migrationsRun,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+; extensions are created by migrations, not at connect.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    namingStrategy: new SnakeNamingStrategy(),
    // `where: { id: undefined }` must never silently become "no condition".
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
    extra: {
      max: db.poolSize,
      connectionTimeoutMillis: db.connectTimeoutMs,
      statement_timeout: db.statementTimeoutMs,
      application_name: 'tawjih',
      // No JIT compilation: it costs more than it saves on every statement of the app (over a second
      // per report statement at a million persons) and OLTP statements never gain from it.
      options: '-c jit=off',
    },
    // Not 'error': TypeORM would log a failing query with its parameters, which can be personal data.
    logging: ['warn', 'migration'],
    logger: new DatabaseLogger(),
    poolErrorHandler: onPoolError,
  };
}
