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
});
