import type { INestApplication } from '@nestjs/common';
import { DataSource, type Logger } from 'typeorm';
import { createTestApp, type TestApp } from './test-app.js';

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

/**
 * A test app for the file (made before its tests, closed after them) whose statements are recorded:
 * `const app = appRecordingStatements();` then `app.t` and `app.statements` inside the tests.
 */
export function appRecordingStatements(): { readonly t: TestApp; readonly statements: string[] } {
  let t: TestApp | undefined;
  let statements: string[] = [];
  beforeAll(async () => {
    t = await createTestApp();
    statements = recordStatements(t.app);
  }, 120_000);
  afterAll(() => t?.close());
  return {
    get t() {
      return t!;
    },
    get statements() {
      return statements;
    },
  };
}
