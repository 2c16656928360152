import { createTestApp, DEMO, DEMO_PASSWORD, type TestApp } from '../support/test-app.js';
import { browser, csrfOf, postForm, signIn } from './web-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('web sessions, CSRF and languages', () => {
  it('renders the sign-in page in French by default, with lang/dir and a CSRF field', async () => {
    const res = await browser(t).get('/login').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<html lang="fr" dir="ltr">');
    expect(res.text).toContain('Connexion');
    expect(csrfOf(res.text)).toMatch(/\./);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(cookies.some((c) => /^tawjih_csrf=.*HttpOnly.*SameSite=Lax/i.test(c))).toBe(true);
  });

  it('refuses a form post without its token with a clear page', async () => {
    const agent = browser(t);
    await agent.get('/login');
    const res = await agent.post('/login').type('form').send({ email: DEMO.admin, password: DEMO_PASSWORD }).expect(403);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('Formulaire expiré');
    // nothing happened: no session cookie was set
    expect(([] as string[]).concat(res.headers['set-cookie'] ?? []).some((c) => c.startsWith('tawjih_at='))).toBe(false);
  });

  it('refuses a token from another browser session', async () => {
    const a = browser(t);
    const b = browser(t);
    const tokenOfA = csrfOf((await a.get('/login')).text);
    await b.get('/login');
    await b.post('/login').type('form').send({ _csrf: tokenOfA, email: DEMO.admin, password: DEMO_PASSWORD }).expect(403);
  });

  it('shows a failed sign-in on the form, counts it against the account, and sets no session', async () => {
    const agent = browser(t);
    const res = await postForm(agent, '/login', '/login', { email: DEMO.counsellorBerkane, password: 'wrong-password-123' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Adresse e-mail ou mot de passe incorrect.');
    expect(res.text).toContain(`value="${DEMO.counsellorBerkane}"`);
    const { rows } = await t.db.query('SELECT failed_logins FROM app_user WHERE email = $1', [DEMO.counsellorBerkane]);
    expect(rows[0].failed_logins).toBe(1);
    await agent.get('/dashboard').expect(303).expect('location', '/login?next=%2Fdashboard');
  });

  it('signs in with cookies (http-only, SameSite=Lax), shows the dashboard, and signs out', async () => {
    const agent = browser(t);
    const form = await agent.get('/login?next=/admin/users');
    const res = await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email: DEMO.admin, password: DEMO_PASSWORD, next: '/admin/users' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/users');
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(cookies.find((c) => c.startsWith('tawjih_at='))).toMatch(/HttpOnly.*SameSite=Lax/i);
    expect(cookies.find((c) => c.startsWith('tawjih_rt='))).toMatch(/HttpOnly/i);
    const dash = await agent.get('/dashboard').expect(200);
    expect(dash.headers['cache-control']).toBe('no-store');
    expect(dash.text).toContain('Admin (démo)');
    const out = await postForm(agent, '/dashboard', '/logout', {});
    expect(out.status).toBe(303);
    await agent.get('/dashboard').expect(303);
    // the refresh token was revoked, not just forgotten
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM refresh_token r JOIN app_user u ON u.id = r.user_id WHERE u.email = $1 AND r.revoked_at IS NULL AND r.used_at IS NULL`, [DEMO.admin]);
    expect(rows[0].n).toBe(0);
  });

  it('renews an expired access cookie from the refresh cookie (rotating it)', async () => {
    const agent = browser(t);
    const form = await agent.get('/login');
    const login = await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email: DEMO.admin, password: DEMO_PASSWORD });
    const refresh = ([] as string[]).concat(login.headers['set-cookie'] ?? []).find((c) => c.startsWith('tawjih_rt='))!.split(';')[0]!;
    // An access cookie that does not verify (expired or tampered): the guard falls back to the refresh cookie.
    const res = await browser(t).get('/dashboard').set('Cookie', `tawjih_at=expired.or.tampered; ${refresh}`).expect(200);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(cookies.some((c) => c.startsWith('tawjih_at=ey'))).toBe(true);
    expect(cookies.find((c) => c.startsWith('tawjih_rt='))!.split(';')[0]).not.toBe(refresh);
    // The spent refresh token cannot be replayed: it ends the session family.
    await browser(t).get('/dashboard').set('Cookie', refresh).expect(303).expect('location', '/login?next=%2Fdashboard');
  });

  it('lets two page requests of one browser session renew the same expired access cookie at once', async () => {
    const agent = browser(t);
    const form = await agent.get('/login');
    const login = await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email: DEMO.admin, password: DEMO_PASSWORD });
    const set = ([] as string[]).concat(login.headers['set-cookie'] ?? []);
    const cookie = (name: string) => set.find((c) => c.startsWith(`${name}=`))!.split(';')[0]!;
    const session = `tawjih_at=expired.or.tampered; ${cookie('tawjih_rt')}; ${cookie('tawjih_sid')}`;
    // Both present the same refresh token; whichever comes second finds it spent by its own session.
    const both = await Promise.all([browser(t).get('/dashboard').set('Cookie', session), browser(t).get('/dashboard').set('Cookie', session)]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    // The family is still live: each answer's refresh cookie renews again.
    for (const r of both) {
      const next = ([] as string[]).concat(r.headers['set-cookie'] ?? []).find((c) => c.startsWith('tawjih_rt='))!.split(';')[0]!;
      await browser(t).get('/dashboard').set('Cookie', `${next}; ${cookie('tawjih_sid')}`).expect(200);
    }
    // Another browser (no such session id) replaying the spent token is still a re-use: the family ends.
    await browser(t).get('/dashboard').set('Cookie', `${cookie('tawjih_rt')}; tawjih_sid=someone-else`).expect(303);
    const tokenId = decodeURIComponent(cookie('tawjih_rt').slice('tawjih_rt='.length)).split('.')[0];
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM refresh_token WHERE family_id = (SELECT family_id FROM refresh_token WHERE id = $1) AND revoked_at IS NULL`,
      [tokenId],
    );
    expect(rows[0].n).toBe(0);
  });

  it('never accepts the session cookie on the API', async () => {
    const agent = await signIn(t, DEMO.admin);
    await agent.get('/api/v1/me').expect(401);
  });

  it('switches the language: Arabic pages are right-to-left, and the choice is saved on the account', async () => {
    const agent = await signIn(t, DEMO.counsellorOujda);
    const res = await postForm(agent, '/dashboard', '/language', { lang: 'ar', next: '/dashboard' });
    expect(res.status).toBe(303);
    const page = await agent.get('/dashboard').expect(200);
    expect(page.text).toContain('<html lang="ar" dir="rtl">');
    expect(page.text).toContain('لوحة القيادة');
    const { rows } = await t.db.query('SELECT language FROM app_user WHERE email = $1', [DEMO.counsellorOujda]);
    expect(rows[0].language).toBe('ar');
  });

  it('lets an anonymous visitor switch the language with a cookie', async () => {
    const agent = browser(t);
    await postForm(agent, '/login', '/language', { lang: 'en', next: '/login' });
    const page = await agent.get('/login').expect(200);
    expect(page.text).toContain('<html lang="en" dir="ltr">');
    expect(page.text).toContain('Sign in');
  });

  it('renders unknown pages as a not-found page, and keeps problem+json for the API', async () => {
    const page = await browser(t).get('/no/such/page').expect(404);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('Page introuvable');
    const api = await t.http().get('/api/v1/no-such-thing').expect(404);
    expect(api.headers['content-type']).toMatch(/problem\+json/);
  });

  it('serves the stylesheet with long-lived caching', async () => {
    const page = await browser(t).get('/login');
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page.text)![1]!;
    const css = await browser(t).get(href).expect(200);
    expect(css.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
  });
});

describe('sign-in rate limit on the pages', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await createTestApp({ LOGIN_RATE_PER_MINUTE: '2' });
  });
  afterAll(() => strict.close());

  it('answers a page (not problem+json) once the minute’s budget is spent', async () => {
    const agent = browser(strict);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await postForm(agent, '/login', '/login', { email: 'nobody@tawjih.test', password: 'x' })).status);
    expect(statuses).toEqual([401, 401, 429]);
    const res = await postForm(agent, '/login', '/login', { email: 'nobody@tawjih.test', password: 'x' });
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('réessayez dans une minute');
  });
});
