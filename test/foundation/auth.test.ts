import { generate } from 'otplib';
import { OutboxWorker } from '../../src/notifications/outbox.worker.js';
import { createTestApp, DEMO, DEMO_PASSWORD, type TestApp } from '../support/test-app.js';
import { forgeJwt } from '../support/jwt.js';
import { TestSmtp } from '../support/smtp.js';

let t: TestApp;
const smtp = new TestSmtp();
const SECRET = 'test-jwt-secret-that-is-long-enough-0123456789';
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  await smtp.start();
  t = await createTestApp({ SMTP_URL: smtp.url, LOGIN_MAX_FAILURES: '4' });
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

const login = (email: string, password = DEMO_PASSWORD, otp?: string) =>
  t.http().post('/api/v1/auth/login').send(otp ? { email, password, otp } : { email, password });
const userId = async (email: string) => (await t.db.query('SELECT id FROM app_user WHERE email = $1', [email])).rows[0].id as string;

describe('sign-in', () => {
  it('returns an access token, a refresh token and the lifetime', async () => {
    const res = await login(DEMO.counsellorOujda).expect(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900, tokenType: 'Bearer' });
    const me = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ email: DEMO.counsellorOujda, roles: ['counsellor'], organisation: { type: 'counselling_unit', code: 'OUJ' } });
    expect(me.body.passwordHash).toBeUndefined();
    expect(me.body.mfaSecret).toBeUndefined();
  });

  it('refuses a wrong password with a problem document, the same as an unknown e-mail', async () => {
    const wrong = await login(DEMO.counsellor2Oujda, 'Not-The-Password-1').expect(401);
    const unknown = await login('nobody@tawjih.test', 'Not-The-Password-1').expect(401);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(wrong.body).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS', correlationId: expect.any(String) });
    expect(unknown.body.code).toBe(wrong.body.code);
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('locks the account after repeated failures, even for the right password, and says so', async () => {
    const email = DEMO.providerPssOujda;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(email, `Wrong-password-${i}`)).status);
    // The fourth failure reaches LOGIN_MAX_FAILURES: from then on the address waits (issue #12).
    expect(statuses).toEqual([401, 401, 401, 401]);
    const locked = await login(email).expect(429);
    expect(locked.body).toMatchObject({ code: 'ACCOUNT_LOCKED', lockedUntil: expect.any(String) });
  });
});

describe('forged and stale access tokens → 401', () => {
  const claims = async () => ({ sub: await userId(DEMO.admin), tv: 0, mfa: false, iss: 'tawjih', aud: 'tawjih-api', iat: now(), exp: now() + 600 });

  it('accepts the genuine article (the forgery below is the only difference)', async () => {
    const token = forgeJwt(await claims(), { secret: SECRET });
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it.each([
    ['alg none', async () => forgeJwt(await claims(), { alg: 'none' })],
    ['wrong key', async () => forgeJwt(await claims(), { secret: 'another-secret-of-sufficient-length-000' })],
    ['expired', async () => forgeJwt({ ...(await claims()), iat: now() - 3600, exp: now() - 60 }, { secret: SECRET })],
    ['wrong issuer', async () => forgeJwt({ ...(await claims()), iss: 'someone-else' }, { secret: SECRET })],
    ['wrong audience', async () => forgeJwt({ ...(await claims()), aud: 'other-api' }, { secret: SECRET })],
    ['stale token version', async () => forgeJwt({ ...(await claims()), tv: 99 }, { secret: SECRET })],
    ['garbage', async () => 'not.a.jwt'],
  ])('%s', async (_name, make) => {
    const res = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${await make()}`).expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('no token at all on a protected route', async () => {
    await t.http().get('/api/v1/users').expect(401);
  });
});

describe('refresh tokens rotate; a spent one revokes its family', () => {
  it('rotates, detects re-use and ends the whole session', async () => {
    const first = (await login(DEMO.counsellor2Oujda).expect(200)).body;
    const second = (await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const reused = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    expect(reused.body.code).toBe('REFRESH_TOKEN_REUSED');
    // The family is revoked: the newest token, never used, no longer works either.
    const after = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
    expect(after.body.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('logout revokes the refresh token', async () => {
    const pair = (await login(DEMO.analyst).expect(200)).body;
    await t.http().post('/api/v1/auth/logout').send({ refreshToken: pair.refreshToken }).expect(204);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(401);
  });

  it('rejects made-up refresh tokens', async () => {
    for (const refreshToken of ['x', '00000000-0000-0000-0000-000000000000.abc', 'a.b.c']) {
      await t.http().post('/api/v1/auth/refresh').send({ refreshToken }).expect(401);
    }
  });
});

describe('changes to an account apply at once', () => {
  it('disabling a user makes the token they hold fail on the next request', async () => {
    const token = (await login(DEMO.providerLegalBerkane).expect(200)).body.accessToken;
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
    const admin = await t.as(DEMO.admin);
    await admin.post(`/api/v1/users/${await userId(DEMO.providerLegalBerkane)}/disable`).expect(200);
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(401);
    await login(DEMO.providerLegalBerkane).expect(401);
    await admin.post(`/api/v1/users/${await userId(DEMO.providerLegalBerkane)}/enable`).expect(200);
    await login(DEMO.providerLegalBerkane).expect(200);
  });

  it('changing roles makes the old token fail', async () => {
    const token = (await login(DEMO.coordinator).expect(200)).body.accessToken;
    const admin = await t.as(DEMO.admin);
    await admin.patch(`/api/v1/users/${await userId(DEMO.coordinator)}`).send({ roles: ['coordinator', 'analyst'] }).expect(200);
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('refuses roles that do not fit the organisation type', async () => {
    const admin = await t.as(DEMO.admin);
    const res = await admin.patch(`/api/v1/users/${await userId(DEMO.providerHealthOujda)}`).send({ roles: ['counsellor'] }).expect(400);
    expect(res.body).toMatchObject({ code: 'ROLE_NOT_ALLOWED', errors: [{ field: 'roles' }] });
  });
});

describe('second factor (TOTP)', () => {
  it('enrols, then requires the code at sign-in', async () => {
    const email = DEMO.supervisorOujda;
    const token = (await login(email).expect(200)).body.accessToken;
    const setup = await t.http().post('/api/v1/auth/mfa/setup').set('Authorization', `Bearer ${token}`).expect(200);
    expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    await t.http().post('/api/v1/auth/mfa/enable').set('Authorization', `Bearer ${token}`).send({ otp: '000000' }).expect(401);
    const otp = await generate({ secret: setup.body.secret });
    await t.http().post('/api/v1/auth/mfa/enable').set('Authorization', `Bearer ${token}`).send({ otp }).expect(200);

    expect((await login(email).expect(401)).body.code).toBe('OTP_REQUIRED');
    expect((await login(email, DEMO_PASSWORD, otp === '123456' ? '654321' : '123456').expect(401)).body.code).toBe('OTP_INVALID');
    await login(email, DEMO_PASSWORD, await generate({ secret: setup.body.secret })).expect(200);
    const stored = await t.db.query('SELECT mfa_secret FROM app_user WHERE email = $1', [email]);
    expect(stored.rows[0].mfa_secret).not.toContain(setup.body.secret);

    // An admin resets it (lost phone): the password alone works again.
    await (await t.as(DEMO.admin)).post(`/api/v1/users/${await userId(email)}/reset-mfa`).expect(200);
    await login(email).expect(200);
  });
});

describe('invitation by e-mail', () => {
  it('creates the account, e-mails a one-time link, and the link sets the password once', async () => {
    const admin = await t.as(DEMO.admin);
    const orgId = (await t.db.query(`SELECT id FROM organisation WHERE code = 'OUJ'`)).rows[0].id;
    const email = 'new.counsellor@tawjih.test';
    const created = await admin.post('/api/v1/users').send({ email: 'New.Counsellor@Tawjih.test', displayName: 'Nouvelle conseillère', organisationId: orgId, roles: ['counsellor'], language: 'ar' }).expect(201);
    expect(created.body).toMatchObject({ email, status: 'invited' });
    await login(email, 'Whatever-Pass-1').expect(401);

    await t.app.get(OutboxWorker).drain();
    const mail = smtp.to(email).at(-1)!;
    expect(mail.subject).toBe('توجيه: حسابك');
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mail.text)![1]!);

    const weak = await t.http().post('/api/v1/auth/set-password').send({ token, password: 'short' }).expect(400);
    expect(weak.body).toMatchObject({ code: 'PASSWORD_POLICY', errors: [{ field: 'password' }] });
    await t.http().post('/api/v1/auth/set-password').send({ token, password: 'Une-Phrase-De-Passe-2026' }).expect(204);
    await t.http().post('/api/v1/auth/set-password').send({ token, password: 'Une-Autre-Phrase-2026' }).expect(400);
    await login(email, 'Une-Phrase-De-Passe-2026').expect(200);
  });

  it('refuses a second account with the same e-mail', async () => {
    const admin = await t.as(DEMO.admin);
    const orgId = (await t.db.query(`SELECT id FROM organisation WHERE code = 'OUJ'`)).rows[0].id;
    const res = await admin.post('/api/v1/users').send({ email: DEMO.counsellorOujda, displayName: 'x', organisationId: orgId, roles: ['counsellor'] }).expect(409);
    expect(res.body.code).toBe('USER_EMAIL_TAKEN');
  });
});
