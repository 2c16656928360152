import { routesOf } from '../support/routes.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const routes = () => routesOf(t.app);

describe('every route declares who may call it', () => {
  it('finds the routes (the enumeration itself works)', () => {
    const found = routes().map((r) => r.route);
    expect(found).toEqual(expect.arrayContaining(['POST /api/v1/auth/login', 'GET /api/v1/users', 'GET /health']));
    expect(found.length).toBeGreaterThan(15);
  });

  it('is either @Public() or has a policy, never neither', () => {
    const bare = routes().filter((r) => !r.isPublic && r.policies === 0).map((r) => r.route);
    expect(bare).toEqual([]);
  });

  it('keeps the list of public routes deliberate', () => {
    const pub = routes().filter((r) => r.isPublic).map((r) => r.route);
    // Public API routes must be reviewed: auth entry points, health, and read-only public surfaces.
    for (const r of pub) {
      expect(r).toMatch(/^(POST \/api\/v1\/auth\/(login|refresh|logout|set-password)|GET \/health|GET \/api\/hsds(\/.*)?|GET .*|POST \/(login|logout|set-password|lang|language)(\/.*)?)$/);
    }
  });
});
