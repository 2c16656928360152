import { createTestApp, DEMO, DEMO_PASSWORD, type TestApp } from '../support/test-app.js';
import { routesOf } from '../support/routes.js';
import { browser, csrfOf, postForm } from '../web/web-support.js';

/**
 * Issue #12 findings 2, 5 and 6: sessions that end when they should (a thief's copy of a refresh
 * token dies with every account change, sign-out kills the access token at once) and no response
 * of the API or the pages may be cached.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 300_000);
afterAll(() => t?.close(), 120_000);

interface Pair {
  accessToken: string;
  refreshToken: string;
}
const login = async (email: string, password = DEMO_PASSWORD): Promise<Pair> => (await t.http().post('/api/v1/auth/login').send({ email, password }).expect(200)).body;
const refresh = (p: Pair) => t.http().post('/api/v1/auth/refresh').send({ refreshToken: p.refreshToken });
const me = (p: Pair) => t.http().get('/api/v1/me').set('Authorization', `Bearer ${p.accessToken}`);
const userId = async (email: string) => (await t.db.query('SELECT id FROM app_user WHERE email = $1', [email])).rows[0].id as string;
const liveFamilies = async (email: string) =>
  (await t.db.query(`SELECT count(DISTINCT family_id)::int AS n FROM refresh_token r JOIN app_user u ON u.id = r.user_id WHERE u.email = $1 AND r.revoked_at IS NULL`, [email])).rows[0].n as number;
const admin = () => t.as(DEMO.admin);

describe('a stolen refresh token dies with every account change (finding 2)', () => {
  it('password change: the thief can neither refresh nor use the access token', async () => {
    const email = DEMO.counsellor2Oujda;
    const thief = await login(email);
    const owner = await login(email);
    await t.http().post('/api/v1/auth/password').set('Authorization', `Bearer ${owner.accessToken}`).send({ currentPassword: DEMO_PASSWORD, newPassword: 'Another-Password-2026!' }).expect(204);
    expect(await liveFamilies(email)).toBe(0);
    expect((await refresh(thief)).status).toBe(401);
    await me(thief).expect(401);
    const again = await login(email, 'Another-Password-2026!');
    await me(again).expect(200);
  });

  const adminChanges: Array<[string, string, (id: string) => Promise<unknown>]> = [
    ['an admin reset (set-password link)', DEMO.counsellorBerkane, async (id) => (await admin()).post(`/api/v1/users/${id}/invite`).send({}).expect(200)],
    ['a role change', DEMO.supervisorOujda, async (id) => (await admin()).patch(`/api/v1/users/${id}`).send({ roles: ['supervisor', 'counsellor'] }).expect(200)],
    ['an MFA reset', DEMO.providerHealthOujda, async (id) => (await admin()).post(`/api/v1/users/${id}/reset-mfa`).send({}).expect(200)],
    ['a disable', DEMO.providerLegalBerkane, async (id) => (await admin()).post(`/api/v1/users/${id}/disable`).send({}).expect(200)],
  ];
  it.each(adminChanges)('%s revokes every refresh family of the account', async (_, email, change) => {
    const a = await login(email);
    const b = await login(email);
    expect(await liveFamilies(email)).toBeGreaterThanOrEqual(2);
    await change(await userId(email));
    expect(await liveFamilies(email)).toBe(0);
    for (const p of [a, b]) {
      expect((await refresh(p)).status).toBe(401);
      await me(p).expect(401);
    }
  });

  it('refresh checks the token version even when a family was not revoked', async () => {
    const email = DEMO.analyst;
    const p = await login(email);
    await t.db.query(`UPDATE app_user SET token_version = token_version + 1 WHERE email = $1`, [email]);
    const res = await refresh(p);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('REFRESH_TOKEN_INVALID');
  });
});

describe('sign-out kills the access token at once (finding 6)', () => {
  it('API: after logout the same bearer is refused; another session of the account lives on', async () => {
    const email = DEMO.coordinator;
    const mine = await login(email);
    const other = await login(email);
    await me(mine).expect(200);
    await t.http().post('/api/v1/auth/logout').send({ refreshToken: mine.refreshToken }).expect(204);
    await me(mine).expect(401);
    expect((await refresh(mine)).status).toBe(401);
    await me(other).expect(200);
  });

  it('API: a logout with only the bearer ends that session too; a forged bearer is refused and ends nothing', async () => {
    const email = DEMO.coordinator;
    const mine = await login(email);
    const other = await login(email);
    await t.http().post('/api/v1/auth/logout').set('Authorization', 'Bearer not.a.token').send({}).expect(401);
    await me(mine).expect(200);
    await t.http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${mine.accessToken}`).send({}).expect(204);
    await me(mine).expect(401);
    expect((await refresh(mine)).status).toBe(401);
    await me(other).expect(200);
  });

  it('pages: after signing out, the old cookies open nothing', async () => {
    const agent = browser(t);
    const form = await agent.get('/login').expect(200);
    const res = await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email: DEMO.counsellorOujda, password: DEMO_PASSWORD });
    expect(res.status).toBe(303);
    const access = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('tawjih_at='))!.split(';')[0]!;
    await agent.get('/dashboard').expect(200);
    await postForm(agent, '/dashboard', '/logout', {});
    // A copy of the access cookie alone (the refresh cookie cleared): no dashboard, no API.
    await browser(t).get('/dashboard').set('Cookie', access).expect(303);
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${access.slice('tawjih_at='.length)}`).expect(401);
  });
});

describe('no-store on every response (finding 5)', () => {
  it('every API and page route answers Cache-Control: no-store, whatever its status', async () => {
    const token = await t.token(DEMO.supervisorOujda);
    const id = '00000000-0000-4000-8000-000000000000';
    const routes = routesOf(t.app).filter((r) => !/\/auth\/(login|logout|refresh|password|set-password|mfa)|\/logout$|\/login$/.test(r.path));
    expect(routes.length).toBeGreaterThan(40);
    const missing: string[] = [];
    for (const r of routes) {
      const url = r.path.replace(/:[A-Za-z]+/g, id);
      const call = t.http()[r.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete'](url).set('Authorization', `Bearer ${token}`);
      const res = r.method === 'GET' ? await call : await call.send({});
      // terminus (/health) says `no-cache, no-store, must-revalidate`: as good.
      if (!/(^|, )no-store(,|$)/.test(res.headers['cache-control'] ?? '')) missing.push(`${r.route} → ${res.status} ${res.headers['cache-control'] ?? '(none)'}`);
    }
    expect(missing).toEqual([]);
  });

  it('a referral and its FHIR Bundle, read by the provider, are no-store', async () => {
    const list = await (await t.as(DEMO.providerPssOujda)).get('/api/v1/referrals').expect(200);
    expect(list.headers['cache-control']).toBe('no-store');
    const id = list.body.items[0]?.id as string | undefined;
    expect(id).toBeDefined();
    for (const url of [`/api/v1/referrals/${id}`, `/api/v1/referrals/${id}/fhir`]) {
      const res = await (await t.as(DEMO.providerPssOujda)).get(url).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('static assets stay cacheable', async () => {
    const page = await browser(t).get('/login').expect(200);
    const css = /href="(\/assets\/[^"]+)"/.exec(page.text)?.[1];
    expect(css).toBeDefined();
    const res = await t.http().get(css!).expect(200);
    expect(res.headers['cache-control']).toMatch(/max-age/);
  });
});
