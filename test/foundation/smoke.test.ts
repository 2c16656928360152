import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('foundation smoke', () => {
  it('answers /health with the database up', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body.info.database.status).toBe('up');
  });

  it('lets every demo account sign in and see itself', async () => {
    for (const email of Object.values(DEMO)) {
      const me = await (await t.as(email)).get('/api/v1/me').expect(200);
      expect(me.body.email).toBe(email);
      expect(me.body.organisation.id).toBe(me.body.organisationId);
    }
  });

  it('publishes the OpenAPI document and its UI', async () => {
    const res = await t.http().get('/api/openapi.json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/users', '/api/v1/organisations']));
    await t.http().get('/api/docs/').expect(200);
  });

  it('sends security headers and a request id, and logs JSON lines with it', async () => {
    const res = await t.http().get('/health').set('X-Request-Id', 'smoke-test-0001').expect(200);
    expect(res.headers['x-request-id']).toBe('smoke-test-0001');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    await t.http().get('/api/v1/me').set('X-Request-Id', 'smoke-test-0002').expect(401);
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync(t.config.logFile!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { req?: { id: string; path: string } });
    expect(lines.some((l) => l.req?.id === 'smoke-test-0002' && l.req.path === '/api/v1/me')).toBe(true);
  });
});
