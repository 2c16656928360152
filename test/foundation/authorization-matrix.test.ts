import { randomUUID } from 'node:crypto';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';

/** Every role × every admin route, with the status each must get (domain.md §2). */
let t: TestApp;
let ids: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  const q = async (sql: string, p: unknown[]) => (await t.db.query(sql, p)).rows[0].id as string;
  ids = {
    berkaneUnit: await q(`SELECT id FROM organisation WHERE code = 'BRK'`, []),
    legalBerkane: await q(`SELECT o.id FROM organisation o JOIN app_user u ON u.organisation_id = o.id WHERE u.email = $1`, [DEMO.providerLegalBerkane]),
    counsellorBerkane: await q(`SELECT id FROM app_user WHERE email = $1`, [DEMO.counsellorBerkane]),
    oujdaProvince: await q(`SELECT id FROM place WHERE code = 'MA-OUJ'`, []),
    oujdaCommune: await q(`SELECT id FROM place WHERE code = 'MA-OUJ-OUJ'`, []),
    legalBerkaneUser: await q(`SELECT id FROM app_user WHERE email = $1`, [DEMO.providerLegalBerkane]),
  };
});
afterAll(() => t.close());

const ROLES = {
  admin: DEMO.admin,
  analyst: DEMO.analyst,
  coordinator: DEMO.coordinator,
  supervisor: DEMO.supervisorOujda,
  counsellor: DEMO.counsellorOujda,
  provider: DEMO.providerHealthOujda,
} as const;
type RoleName = keyof typeof ROLES;

interface Case {
  name: string;
  method: 'get' | 'post' | 'patch';
  url: () => string;
  body?: (role: RoleName) => object;
  expect: Record<RoleName, number>;
}

const all = (status: number): Record<RoleName, number> => ({ admin: status, analyst: status, coordinator: status, supervisor: status, counsellor: status, provider: status });
const adminOnly = (ok: number): Record<RoleName, number> => ({ ...all(403), admin: ok });

const CASES: Case[] = [
  { name: 'list organisations', method: 'get', url: () => '/api/v1/organisations', expect: all(200) },
  { name: 'read another unit', method: 'get', url: () => `/api/v1/organisations/${ids.berkaneUnit}`, expect: { ...all(404), admin: 200, coordinator: 200 } },
  {
    name: 'create an organisation',
    method: 'post',
    url: () => '/api/v1/organisations',
    body: (r) => ({ name: `Nouveau prestataire ${r}`, type: 'service_provider', placeId: ids.oujdaProvince }),
    expect: { ...all(403), admin: 201, coordinator: 201 },
  },
  { name: 'edit an organisation', method: 'patch', url: () => `/api/v1/organisations/${ids.legalBerkane}`, body: () => ({ name: 'Clinique juridique, Berkane (démo)' }), expect: { ...all(403), admin: 200, coordinator: 200 } },
  { name: 'list users', method: 'get', url: () => '/api/v1/users', expect: all(200) },
  { name: 'read a user of another organisation', method: 'get', url: () => `/api/v1/users/${ids.counsellorBerkane}`, expect: { ...all(404), admin: 200 } },
  {
    name: 'create (invite) a user',
    method: 'post',
    url: () => '/api/v1/users',
    body: (r) => ({ email: `new.${r}.${randomUUID().slice(0, 8)}@tawjih.test`, displayName: 'Nouvelle personne', organisationId: ids.berkaneUnit, roles: ['counsellor'] }),
    expect: adminOnly(201),
  },
  { name: 'edit a user', method: 'patch', url: () => `/api/v1/users/${ids.legalBerkaneUser}`, body: () => ({ language: 'fr' }), expect: adminOnly(200) },
  { name: 'send a set-password link', method: 'post', url: () => `/api/v1/users/${ids.legalBerkaneUser}/invite`, expect: adminOnly(200) },
  { name: 'reset a second factor', method: 'post', url: () => `/api/v1/users/${ids.legalBerkaneUser}/reset-mfa`, expect: adminOnly(200) },
  { name: 'enable a user', method: 'post', url: () => `/api/v1/users/${ids.legalBerkaneUser}/enable`, expect: adminOnly(200) },
  { name: 'list places', method: 'get', url: () => '/api/v1/places?level=province', expect: all(200) },
  { name: 'read a place', method: 'get', url: () => `/api/v1/places/${ids.oujdaProvince}`, expect: all(200) },
  {
    name: 'create a place',
    method: 'post',
    url: () => '/api/v1/places',
    body: (r) => ({ code: `MA-OUJ-T${r.slice(0, 3).toUpperCase()}`, level: 'commune', nameFr: `Commune ${r}`, nameAr: 'جماعة', parentId: ids.oujdaProvince }),
    expect: adminOnly(201),
  },
  { name: 'rename a place', method: 'patch', url: () => `/api/v1/places/${ids.oujdaCommune}`, body: () => ({ nameFr: 'Oujda' }), expect: adminOnly(200) },
  { name: 'list the outbox', method: 'get', url: () => '/api/v1/outbox', expect: adminOnly(200) },
  { name: 'retry an unknown message', method: 'post', url: () => `/api/v1/outbox/${randomUUID()}/retry`, expect: adminOnly(404) },
];

describe.each(CASES)('$name', (c) => {
  it.each(Object.keys(ROLES) as RoleName[])('as %s', async (role) => {
    const agent = await t.as(ROLES[role]);
    const req = agent[c.method](c.url());
    const res = c.body ? await req.send(c.body(role)) : await req;
    expect({ role, status: res.status, code: res.body?.code }).toEqual({ role, status: c.expect[role], code: res.body?.code });
    if (res.status >= 400) expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
  it('anonymous → 401', async () => {
    const req = t.http()[c.method](c.url());
    const res = c.body ? await req.send(c.body('admin')) : await req;
    expect(res.status).toBe(401);
  });
});

describe('list scoping happens in SQL', () => {
  it('a supervisor lists only the users of the unit; a provider only themself', async () => {
    const sup = await (await t.as(DEMO.supervisorOujda)).get('/api/v1/users?limit=200').expect(200);
    const orgs = new Set(sup.body.items.map((u: { organisationId: string }) => u.organisationId));
    expect(orgs.size).toBe(1);
    expect(sup.body.items.map((u: { email: string }) => u.email)).toEqual(expect.arrayContaining([DEMO.counsellorOujda, DEMO.counsellor2Oujda]));
    const prov = await (await t.as(DEMO.providerHealthOujda)).get('/api/v1/users').expect(200);
    expect(prov.body.items.map((u: { email: string }) => u.email)).toEqual([DEMO.providerHealthOujda]);
  });

  it('a coordinator lists the organisations of the region only', async () => {
    const other = await t.db.query(`INSERT INTO organisation (name, type, region_id) SELECT 'Prestataire Souss (test)', 'service_provider', id FROM place WHERE code = 'MA-09' RETURNING id`);
    const res = await (await t.as(DEMO.coordinator)).get('/api/v1/organisations?limit=200').expect(200);
    const ids = res.body.items.map((o: { id: string }) => o.id);
    expect(ids).not.toContain(other.rows[0].id);
    expect(ids.length).toBeGreaterThan(10);
    const admin = await (await t.as(DEMO.admin)).get('/api/v1/organisations?limit=200').expect(200);
    expect(admin.body.items.map((o: { id: string }) => o.id)).toContain(other.rows[0].id);
  });

  it('pages with a cursor and never repeats or skips', async () => {
    const agent = await t.as(DEMO.admin);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await agent
        .get(`/api/v1/organisations?limit=4${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      seen.push(...res.body.items.map((o) => o.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM organisation');
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(rows[0].n);
  });
});
