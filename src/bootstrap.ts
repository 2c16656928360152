import 'reflect-metadata';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, parseConfig, type AppConfig } from './config/config.js';
import { loadOrCreateDevSecrets } from './config/dev-secrets.js';
import { startEmbeddedPostgres, type EmbeddedHandle } from './database/embedded-postgres.js';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { indexRoutes } from './common/route-index.js';
import { createRootLogger, PinoNestLogger } from './common/logging.js';

/** Parses the environment or exits with the names of the bad settings. */
export function configFromEnv(): AppConfig {
  try {
    return parseConfig(process.env, loadOrCreateDevSecrets);
  } catch (e) {
    if (e instanceof ConfigError) {
      // One JSON line like every other; the message names each bad setting, never its value.
      process.stderr.write(`${JSON.stringify({ level: 60, time: Date.now(), app: 'tawjih', msg: 'invalid configuration', errors: e.message.split('\n').slice(1).map((l) => l.trim()) })}\n`);
      process.exit(1);
    }
    throw e;
  }
}

/** DATABASE_URL when given; otherwise the embedded server under DATA_DIR/pg. */
export async function resolveDatabase(config: AppConfig): Promise<{ config: AppConfig; embedded?: EmbeddedHandle }> {
  if (config.database.url) return { config };
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), app: 'tawjih', msg: 'no DATABASE_URL: starting the embedded PostgreSQL', dir: join(config.dataDir, 'pg') })}\n`);
  const embedded = await startEmbeddedPostgres(join(config.dataDir, 'pg'), 'tawjih');
  return { config: { ...config, database: { ...config.database, url: embedded.url } }, embedded };
}

export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, bodyParser: false });
  configureApp(app, config);
  // Initialised here (after the middleware is in place), so lifecycle checks such as the key check
  // have passed before a command or the seed writes anything.
  await app.init();
  // Every route is registered by now: index them by their leading segments (route-index.ts).
  indexRoutes(app.getHttpAdapter().getInstance());
  return app;
}

/** The same modules without an HTTP server, for a command that calls one service (src/cli). */
export async function createContext(config: AppConfig): Promise<INestApplicationContext> {
  const context = await NestFactory.createApplicationContext(AppModule.forRoot(config), { bufferLogs: true });
  context.useLogger(new PinoNestLogger(createRootLogger(config)));
  return context;
}
