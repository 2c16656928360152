import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pg from 'pg';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { parseConfig, type AppConfig } from '../../src/config/config.js';
import { createApp } from '../../src/bootstrap.js';
import { contractOf, type Contract } from './contract.js';
import { ensureTemplate, withDatabase } from './template.js';
import { DEMO_PASSWORD, randomName, testEnv } from './test-env.js';

export { DEMO_PASSWORD };

export const DEMO = {
  admin: 'admin@tawjih.test',
  analyst: 'analyst@tawjih.test',
  coordinator: 'coordinator.oriental@tawjih.test',
  supervisorOujda: 'supervisor.oujda@tawjih.test',
  counsellorOujda: 'counsellor.oujda@tawjih.test',
  counsellor2Oujda: 'counsellor2.oujda@tawjih.test',
  counsellorBerkane: 'counsellor.berkane@tawjih.test',
  providerHealthOujda: 'provider.health.oujda@tawjih.test',
  providerPssOujda: 'provider.pss.oujda@tawjih.test',
  providerLegalBerkane: 'provider.legal.berkane@tawjih.test',
} as const;

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  /** Direct SQL on this file's database, for assertions and set-up that has no API. */
  db: pg.Pool;
  http(): TestAgent;
  /** The served OpenAPI document as a checker: every answer of `http()`/`as()` is validated against it. */
  contract: Contract;
  /** Access token of a demo (or any) account, cached per file. */
  token(email: string, password?: string): Promise<string>;
  /** Supertest with the account's bearer token: `await t.as(DEMO.admin).get('/api/v1/me')`. */
  as(email: string): Promise<{
    get(url: string): request.Test;
    post(url: string): request.Test;
    patch(url: string): request.Test;
    put(url: string): request.Test;
    delete(url: string): request.Test;
  }>;
  close(): Promise<void>;
}

/**
 * A fresh copy of the seeded template database and an app on it. `env` overrides settings
 * (e.g. SMTP_URL for a test's own SMTP server).
 */
export async function createTestApp(env: Record<string, string> = {}, opts: { appDatabaseUrl?: (url: string) => string } = {}): Promise<TestApp> {
  const adminUrl = process.env.TAWJIH_TEST_ADMIN_URL!;
  const template = process.env.TAWJIH_TEST_TEMPLATE!;
  await ensureTemplate(adminUrl, template);
  const name = randomName('tawjih_t');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      break;
    } catch (e) {
      // Two workers copying the template at the same instant: wait and try again.
      if (attempt > 20 || !/being accessed by other users/.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 300));
    }
  }
  await admin.end();

  const url = withDatabase(adminUrl, name);
  const logFile = `test/artifacts/logs/${expect.getState().testPath?.split('/').pop() ?? name}.log`;
  // The app may reach the database another way than the test's own pool (e.g. through a TcpProxy).
  const config = parseConfig(testEnv(opts.appDatabaseUrl?.(url) ?? url, { LOG_FILE: logFile, ...env }));
  const app = await createApp(config);
  await app.init();
  const db = new pg.Pool({ connectionString: url, max: 3 });
  const tokens = new Map<string, string>();

  const raw = () => request(app.getHttpServer());
  const contract = contractOf((await raw().get('/api/openapi.json').expect(200)).body);
  // Every call through the test app is held to the served contract (see contract.ts).
  const http = () =>
    new Proxy(raw(), {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof prop !== 'string' || !['get', 'post', 'put', 'patch', 'delete'].includes(prop)) return value;
        return (url: string) => (value as (u: string) => request.Test).call(target, url).expect((res) => void contract.check(prop, url, res as never));
      },
    });
  const token = async (email: string, password = DEMO_PASSWORD) => {
    const cached = tokens.get(email);
    if (cached) return cached;
    const res = await http().post('/api/v1/auth/login').send({ email, password });
    if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    tokens.set(email, res.body.accessToken);
    return res.body.accessToken as string;
  };
  const as = async (email: string) => {
    const auth = `Bearer ${await token(email)}`;
    return {
      get: (u: string) => http().get(u).set('Authorization', auth),
      post: (u: string) => http().post(u).set('Authorization', auth),
      patch: (u: string) => http().patch(u).set('Authorization', auth),
      put: (u: string) => http().put(u).set('Authorization', auth),
      delete: (u: string) => http().delete(u).set('Authorization', auth),
    };
  };
  const close = async () => {
    await app.close();
    await db.end();
    const a = new pg.Client({ connectionString: adminUrl });
    await a.connect();
    // Let connections that are still closing go first; FORCE only as the last resort.
    for (let attempt = 0; ; attempt++) {
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name}${attempt >= 10 ? ' WITH (FORCE)' : ''}`);
        break;
      } catch (e) {
        if (attempt >= 10 || !/being accessed by other users/.test(String(e))) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await a.end();
  };
  return { app, config, db, http, contract, token, as, close };
}

// Note: Passport keeps its strategies process-wide, so a test file creates ONE app (createTestApp
// once per file); a second app in the same file would take over the first one's strategies.
