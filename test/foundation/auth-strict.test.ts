import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';

// Its own file: Passport strategies are process-wide, so each test file runs one app.
let strict: TestApp;
beforeAll(async () => {
  strict = await createTestApp({ MFA_REQUIRED: 'true', LOGIN_RATE_PER_MINUTE: '4' });
});
afterAll(() => strict.close());

describe('MFA_REQUIRED=true', () => {
  it('lets a counsellor without a second factor only enrol', async () => {
    const counsellor = await strict.as(DEMO.counsellorOujda);
    await counsellor.get('/api/v1/me').expect(200);
    const res = await counsellor.get('/api/v1/users').expect(403);
    expect(res.body.code).toBe('MFA_REQUIRED');
    await counsellor.post('/api/v1/auth/mfa/setup').expect(200);
  });

  it('does not bind roles that read no case data', async () => {
    await (await strict.as(DEMO.admin)).get('/api/v1/users').expect(200);
  });
});

describe('per-address rate limit on sign-in', () => {
  it('answers 429 RATE_LIMITED once the minute’s budget is spent', async () => {
    // Two sign-ins above already used part of this minute's budget of four.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await strict.http().post('/api/v1/auth/login').send({ email: 'nobody@tawjih.test', password: 'x' })).status);
    }
    expect(statuses).toEqual([401, 401, 429, 429]);
    const res = await strict.http().post('/api/v1/auth/login').send({ email: 'nobody@tawjih.test', password: 'x' }).expect(429);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('RATE_LIMITED');
  });
});
