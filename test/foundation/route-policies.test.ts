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

  it('keeps the list of public routes deliberate: exactly these, written out (a new public route changes this list, in review)', () => {
    const pub = routes()
      .filter((r) => r.isPublic)
      .map((r) => r.route)
      .sort();
    expect(pub).toEqual([
      'GET /',
      'GET /api/hsds',
      'GET /api/hsds/organizations',
      'GET /api/hsds/organizations/:id',
      'GET /api/hsds/profile',
      'GET /api/hsds/service_at_locations',
      'GET /api/hsds/service_at_locations/:id',
      'GET /api/hsds/services',
      'GET /api/hsds/services/:id',
      'GET /api/hsds/taxonomies',
      'GET /api/hsds/taxonomies/:id',
      'GET /api/hsds/taxonomy_terms',
      'GET /api/hsds/taxonomy_terms/:id',
      'GET /fhir/CodeSystem/:id',
      'GET /fhir/NamingSystem/:id',
      'GET /fhir/StructureDefinition/:id',
      'GET /fhir/ValueSet/:id',
      'GET /fhir/metadata',
      'GET /health',
      'GET /login',
      'GET /services/:id',
      'GET /set-password',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/logout',
      'POST /api/v1/auth/refresh',
      'POST /api/v1/auth/set-password',
      'POST /language',
      'POST /login',
      'POST /login/otp',
      'POST /logout',
      'POST /set-password',
    ]);
  });
});
