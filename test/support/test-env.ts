import { randomBytes } from 'node:crypto';

/** Known only to the test run: the demo accounts' password and fixed keys. */
export const DEMO_PASSWORD = 'Tawjih-Demo-2026!';

const key = (seed: string) => Buffer.from(seed.padEnd(32, '#').slice(0, 32)).toString('base64');

export function testEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '5',
    MIGRATIONS_RUN: 'false',
    JOBS_ENABLED: 'false',
    LOG_LEVEL: 'info',
    DATA_DIR: `.data/test-run`,
    DEMO_PASSWORD,
    JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123456789',
    ENCRYPTION_KEYS: `t1:${key('tawjih-test-key-1')}`,
    BLIND_INDEX_KEY: 'test-blind-index-key-long-enough-0123456789',
    LOGIN_RATE_PER_MINUTE: '1000',
    RATE_PER_MINUTE: '100000',
    PUBLIC_URL: 'http://tawjih.test',
    ...extra,
  };
}

export const randomName = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;
