import type { INestApplication } from '@nestjs/common';
import { DataSource, type Logger } from 'typeorm';

/**
 * Every statement the app sends from now on, as it sends it: counted on the app's real connection
 * (TypeORM's query logger). Empty the array (`length = 0`) to start counting again.
 */
export function recordStatements(app: INestApplication): string[] {
  const statements: string[] = [];
  const logger: Logger = app.get(DataSource).logger;
  const logQuery = logger.logQuery.bind(logger);
  logger.logQuery = (query, parameters, runner) => {
    statements.push(query);
    return logQuery(query, parameters, runner);
  };
  return statements;
}
