import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedSecrets } from './config.js';

/**
 * Outside production a newcomer should not have to invent keys: they are generated once and kept
 * in the data folder (mode 600), so encrypted data stays readable across restarts.
 */
export function loadOrCreateDevSecrets(dataDir: string): GeneratedSecrets {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as GeneratedSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: GeneratedSecrets = {
    JWT_SECRET: randomBytes(48).toString('base64'),
    ENCRYPTION_KEYS: `dev1:${randomBytes(32).toString('base64')}`,
    BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
