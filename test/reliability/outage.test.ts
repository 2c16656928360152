import { readFileSync } from 'node:fs';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { signIn } from '../web/web-support.js';

// The app reaches PostgreSQL only through a proxy this test cuts: the database "restarts" (every
// connection dropped, new ones refused) or "partitions" (connections hang until the pool's timeout).
let t: TestApp;
let proxy: TcpProxy;

beforeAll(async () => {
  const direct = new URL(process.env.TAWJIH_TEST_ADMIN_URL!);
  proxy = await new TcpProxy(Number(direct.port || 5432), direct.hostname).start();
  t = await createTestApp({ DATABASE_CONNECT_TIMEOUT_MS: '1000' }, { appDatabaseUrl: (url) => proxy.rewrite(url) });
}, 400_000);
afterAll(async () => {
  await proxy.restore();
  await t.close();
  await proxy.stop();
}, 120_000);

const expectOutage = (res: { status: number; headers: Record<string, string>; body: { code?: string } }) => {
  expect({ status: res.status, code: res.body.code }).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE' });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
};

describe('a database outage is answered as an outage (503), never as a bad token (401)', () => {
  it.each(['refuse', 'hang'] as const)('database %s: valid tokens get 503 + Retry-After, bad tokens still 401, and the same token works again afterwards', async (mode) => {
    const counsellor = await t.as(DEMO.counsellorOujda);
    const page = await signIn(t, DEMO.counsellorOujda);
    await counsellor.get('/api/v1/me').expect(200);

    await proxy.cut(mode);
    try {
      // The JWT strategy's read of the user fails: that is the outage, not the token.
      expectOutage(await counsellor.get('/api/v1/me'));
      expectOutage(await counsellor.get('/api/v1/cases'));
      expectOutage(await counsellor.post('/api/v1/cases').send({}));
      // Sign-in (the local strategy) and a page with its session cookies: 503 too, and the session is kept.
      expectOutage(await t.http().post('/api/v1/auth/login').send({ email: DEMO.counsellorOujda, password: 'whatever-password-1' }));
      const pageRes = await page.get('/dashboard');
      expect(pageRes.status).toBe(503);
      expect(pageRes.headers['retry-after']).toBeDefined();
      const cookies = [pageRes.headers['set-cookie'] ?? []].flat() as string[];
      expect(cookies.filter((c) => !c.startsWith('tawjih_csrf='))).toEqual([]);
      // A bad token is still a bad token, outage or not.
      const bad = await t.http().get('/api/v1/me').set('Authorization', 'Bearer not.a.token');
      expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect((await t.http().get('/health')).status).toBe(503);
    } finally {
      await proxy.restore();
    }
    // The pool reconnects by itself: the same token and the same session work again.
    await counsellor.get('/api/v1/me').expect(200);
    await page.get('/dashboard').expect(200);
  });

  it('logs every line as JSON, the outage at warn (the pool’s lost connections included), never as an unhandled error', async () => {
    const lines = readFileSync(t.config.logFile!, 'utf8').trim().split('\n');
    const entries = lines.map((l) => JSON.parse(l) as { level: number; msg?: string; code?: string; res?: { statusCode: number } });
    const outages = entries.filter((e) => e.msg === 'service unavailable');
    expect(outages.length).toBeGreaterThan(0);
    expect(outages.every((e) => e.level === 40)).toBe(true);
    expect(entries.filter((e) => e.res?.statusCode === 503).every((e) => e.level === 40)).toBe(true);
    expect(entries.some((e) => e.msg === 'database connection lost' && e.level === 40)).toBe(true);
    expect(entries.filter((e) => e.msg === 'unhandled error')).toEqual([]);
  });
});
