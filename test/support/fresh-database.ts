import pg from 'pg';
import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../src/bootstrap.js';
import { parseConfig } from '../../src/config/config.js';
import { OrganisationsRepository } from '../../src/organisations/organisations.repository.js';
import { PlacesRepository } from '../../src/places/places.repository.js';
import { SeedService } from '../../src/seed/seed.service.js';
import { hashPassword } from '../../src/users/password.js';
import { UsersRepository } from '../../src/users/users.repository.js';
import { withDatabase } from './template.js';
import { randomName, testEnv } from './test-env.js';

export interface FreshDatabase {
  app: NestExpressApplication;
  name: string;
  url: string;
  /** Bearer token of the one account: a coordinator of the Oriental region. */
  token: string;
  close(): Promise<void>;
}

/**
 * A database that has never seen the demo directory: migrations, reference places, and one
 * coordinator of the Oriental region — where an export of the demo database is imported back.
 */
export async function freshDatabase(prefix: string): Promise<FreshDatabase> {
  const adminUrl = process.env.TAWJIH_TEST_ADMIN_URL!;
  const name = randomName(prefix);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const app = await createApp(parseConfig(testEnv(url, { MIGRATIONS_RUN: 'true', LOG_FILE: `test/artifacts/logs/${prefix}.log` })));
  await app.init();
  await app.get(SeedService).run({ demo: false });
  const password = 'Fresh-Database-Password-2026!';
  const oriental = (await app.get(PlacesRepository).findByCode('MA-02'))!;
  const body = await app.get(OrganisationsRepository).save({ name: 'Coordination Oriental', type: 'coordination_body', regionId: oriental.id, provinceId: null });
  await app.get(UsersRepository).save({
    email: 'coordinator@fresh.test',
    displayName: 'Coordination',
    organisationId: body.id,
    roles: ['coordinator'],
    language: 'fr',
    status: 'active',
    passwordHash: await hashPassword(password),
  });
  const login = await request(app.getHttpServer()).post('/api/v1/auth/login').send({ email: 'coordinator@fresh.test', password }).expect(200);
  return {
    app,
    name,
    url,
    token: login.body.accessToken as string,
    async close() {
      await app.close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
