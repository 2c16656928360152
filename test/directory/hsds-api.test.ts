import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { hsdsSchemaDir, hsdsValidators, type HsdsValidators } from '../support/hsds-schemas.js';
import { demoServiceId } from '../../src/directory/directory.seeder.js';
import { CATEGORIES, TAXONOMIES } from '../../src/directory/taxonomy.data.js';
import { utf8Text } from '../support/bodies.js';

let t: TestApp;
const schemaDir = hsdsSchemaDir();
let v: HsdsValidators | undefined;

beforeAll(async () => {
  t = await createTestApp();
  if (schemaDir) v = hsdsValidators(schemaDir);
  else process.stderr.write('HSDS schemas not found at ../shared/hsds (or HSDS_SCHEMA_DIR): schema validation tests are skipped.\n');
});
afterAll(() => t.close());

const PUBLIC_ID = demoServiceId('oujda-pss-individual'); // public
const PARTNERS_ID = demoServiceId('oujda-interpretation'); // partners
const RESTRICTED_ID = demoServiceId('oujda-shelter'); // restricted, shelter-oujda
const RESTRICTED_HEALTH_ID = demoServiceId('oujda-cmr'); // restricted, health-oujda

const schemaIt = schemaDir ? it : it.skip;
const errorsOf = (f: { errors?: unknown }) => JSON.stringify(f.errors, null, 1);

describe('HSDS API', () => {
  it('GET /api/hsds describes the version, profile and OpenAPI document', async () => {
    const res = await t.http().get('/api/hsds').expect(200);
    expect(res.body.version).toBe('3.1');
    expect(res.body.profile).toMatch(/\/api\/hsds\/profile$/);
    expect(res.body.openapi_url).toMatch(/\/api\/openapi\.json$/);
    const profile = await t.http().get('/api/hsds/profile').expect(200);
    expect(Object.keys(profile.body.extensions.service)).toEqual(expect.arrayContaining(['capacity_status', 'visibility_tier', 'name_i18n']));
  });

  it('GET /api/hsds/services answers the page envelope', async () => {
    const res = await t.http().get('/api/hsds/services?per_page=5').expect(200);
    expect(res.body).toMatchObject({ page_number: 1, size: 5, first_page: true, last_page: false, empty: false });
    expect(res.body.total_items).toBeGreaterThan(20);
    expect(res.body.total_pages).toBe(Math.ceil(res.body.total_items / 5));
    const page2 = await t.http().get('/api/hsds/services?per_page=5&page=2').expect(200);
    expect(page2.body.contents.map((s: { id: string }) => s.id)).not.toContain(res.body.contents[0].id);
    const minimal = await t.http().get('/api/hsds/services?minimal=true&per_page=200').expect(200);
    // Minimal: what service_list requires (id, name, status) and last_modified, nothing more.
    expect(Object.keys(minimal.body.contents[0]).sort()).toEqual(['id', 'last_modified', 'name', 'status']);
    if (v) expect(v.servicePage(minimal.body) || errorsOf(v.servicePage)).toBe(true);
    expect(minimal.body.size).toBe(minimal.body.total_items);
  });

  schemaIt('the service list envelope and a full service validate against the HSDS schemas', async () => {
    const list = await t.http().get('/api/hsds/services?per_page=50').expect(200);
    expect(v!.servicePage(list.body) || errorsOf(v!.servicePage)).toBe(true);
    const full = await t.http().get('/api/hsds/services?per_page=3&full=true').expect(200);
    for (const s of full.body.contents) expect(v!.service(s) || errorsOf(v!.service)).toBe(true);
    const one = await t.http().get(`/api/hsds/services/${PUBLIC_ID}`).expect(200);
    expect(v!.service(one.body) || errorsOf(v!.service)).toBe(true);
    // A service with capacities, focal points and schedules every day, seen by its manager.
    const shelter = await (await t.as(DEMO.coordinator)).get(`/api/hsds/services/${RESTRICTED_ID}`).expect(200);
    expect(shelter.body.capacities[0]).toMatchObject({ unit: { name: 'beds' }, maximum: 20 });
    expect(v!.service(shelter.body) || errorsOf(v!.service)).toBe(true);
  });

  it('GET /api/hsds/services/{id} nests locations, schedules, languages and taxonomy terms, in the asked language', async () => {
    const fr = await t.http().get(`/api/hsds/services/${PUBLIC_ID}`).expect(200);
    expect(fr.body.name).toBe('Soutien psychosocial individuel');
    expect(fr.body.name_i18n.ar).toBe('الدعم النفسي والاجتماعي الفردي');
    expect(fr.body.service_at_locations[0].location.addresses[0]).toMatchObject({ city: 'Oujda', country: 'MA' });
    expect(fr.body.schedules[0]).toMatchObject({ byday: 'MO,TU,WE,TH,FR', opens_at: '08:30', closes_at: '16:30' });
    expect(fr.body.languages.map((l: { code: string }) => l.code)).toEqual(expect.arrayContaining(['ar', 'ary', 'fr', 'en']));
    expect(fr.body.attributes.map((a: { taxonomy_term: { code: string } }) => a.taxonomy_term.code)).toContain('mhpss');
    expect(fr.body).toMatchObject({ free_of_charge: true, no_documents_required: true, capacity_status: 'accepting', visibility_tier: 'public' });
    // Focal points are for those who manage the service only.
    expect(fr.body.referral_focal_points).toBeUndefined();
    expect(fr.body.organization.name).toBe('Centre psychosocial associatif, Oujda (démo)');
    expect(fr.body.service_at_locations[0].location).toMatchObject({ name: 'Centre psychosocial', addresses: [expect.objectContaining({ address_1: 'Rue de Marrakech', city: 'Oujda' })] });
    const ar = await t.http().get(`/api/hsds/services/${PUBLIC_ID}?lang=ar`).expect(200);
    expect(ar.body.name).toBe('الدعم النفسي والاجتماعي الفردي');
    expect(ar.body.description).toBe('الإنصات والدعم النفسي والاجتماعي والتوجيه نحو طبيب نفسي عند الحاجة.');
    // The organisation and the place where the directory holds them in Arabic (issue #14); still plain HSDS.
    expect(ar.body.organization.name).toBe('المركز الجمعوي للدعم النفسي والاجتماعي، وجدة (تجريبي)');
    expect(ar.body.service_at_locations[0].location).toMatchObject({ name: 'المركز النفسي والاجتماعي', addresses: [expect.objectContaining({ address_1: 'شارع مراكش', city: 'وجدة' })] });
    if (v) expect(v.service(ar.body) || errorsOf(v.service)).toBe(true);
    const en = await (await t.as(DEMO.analyst)).get(`/api/hsds/services/${PUBLIC_ID}`).expect(200); // analyst's language is en
    expect(en.body.name).toBe('Individual psychosocial support');
    expect(en.body.organization.name).toBe('Centre psychosocial associatif, Oujda (démo)');
  });

  it('GET /api/hsds/services/{id} with a malformed or unknown id', async () => {
    await t.http().get('/api/hsds/services/not-a-uuid').expect(400);
    await t.http().get('/api/hsds/services/00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('GET /api/hsds/organizations and /organizations/{id}', async () => {
    const list = await t.http().get('/api/hsds/organizations').expect(200);
    expect(list.body.total_items).toBeGreaterThan(5);
    if (v) expect(v.organizationPage(list.body) || errorsOf(v.organizationPage)).toBe(true);
    const svc = await t.http().get(`/api/hsds/services/${PUBLIC_ID}`).expect(200);
    const org = await t.http().get(`/api/hsds/organizations/${svc.body.organization_id}`).expect(200);
    expect(org.body.name).toMatch(/Centre psychosocial/);
    expect(org.body.services.map((s: { id: string }) => s.id)).toContain(PUBLIC_ID);
    if (v) expect(v.organization(org.body) || errorsOf(v.organization)).toBe(true);
    // The shelter organisation only has restricted services: anonymous callers do not learn it exists.
    const shelter = await (await t.as(DEMO.coordinator)).get(`/api/hsds/services/${RESTRICTED_ID}`).expect(200);
    await t.http().get(`/api/hsds/organizations/${shelter.body.organization_id}`).expect(404);
    const ids = list.body.contents.map((o: { id: string }) => o.id);
    expect(ids).not.toContain(shelter.body.organization_id);
    await (await t.as(DEMO.counsellorOujda)).get(`/api/hsds/organizations/${shelter.body.organization_id}`).expect(200);
  });

  it('GET /api/hsds/service_at_locations and /service_at_locations/{id}', async () => {
    const list = await t.http().get(`/api/hsds/service_at_locations?service_id=${PUBLIC_ID}`).expect(200);
    expect(list.body.total_items).toBe(1);
    const sal = list.body.contents[0];
    expect(sal).toMatchObject({ service_id: PUBLIC_ID, location: { latitude: expect.any(Number) } });
    if (v) expect(v.serviceAtLocationPage(list.body) || errorsOf(v.serviceAtLocationPage)).toBe(true);
    const one = await t.http().get(`/api/hsds/service_at_locations/${sal.id}`).expect(200);
    expect(one.body.id).toBe(sal.id);
    const hidden = await (await t.as(DEMO.coordinator)).get(`/api/hsds/service_at_locations?service_id=${RESTRICTED_ID}`).expect(200);
    await t.http().get(`/api/hsds/service_at_locations/${hidden.body.contents[0].id}`).expect(404);
  });

  it('GET /api/hsds/taxonomies and /taxonomy_terms (with stable ids and three languages)', async () => {
    const tax = await t.http().get('/api/hsds/taxonomies').expect(200);
    expect(tax.body.contents.map((x: { id: string }) => x.id)).toEqual(TAXONOMIES.map((x) => x.id));
    await t.http().get(`/api/hsds/taxonomies/${TAXONOMIES[0].id}`).expect(200);
    const terms = await t.http().get(`/api/hsds/taxonomy_terms?taxonomy_id=${TAXONOMIES[0].id}&lang=ar`).expect(200);
    expect(terms.body.total_items).toBe(CATEGORIES.length);
    const legal = CATEGORIES.find((c) => c.code === 'legal_aid')!;
    const one = await t.http().get(`/api/hsds/taxonomy_terms/${legal.id}?lang=en`).expect(200);
    expect(one.body).toMatchObject({ code: 'legal_aid', name: 'Legal aid', taxonomy_id: TAXONOMIES[0].id });
    await t.http().get('/api/hsds/taxonomy_terms/00000000-0000-4000-8000-000000000000').expect(404);
  });
});

describe('HSDS 3.1 list parameters', () => {
  const ndjson = async (url: string): Promise<Array<Record<string, any>>> => {
    const res = await t
      .http()
      .get(url)
      .buffer(true)
      .parse(utf8Text);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    return (res.body as string).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  };

  it('format=ndjson streams every result of each list, one per line, without paging; format=json is the page', async () => {
    const page = await t.http().get('/api/hsds/services?per_page=200').expect(200);
    const lines = await ndjson('/api/hsds/services?format=ndjson&per_page=2');
    expect(lines.map((s) => s.id).sort()).toEqual(page.body.contents.map((s: { id: string }) => s.id).sort());
    if (v) for (const s of lines.slice(0, 5)) expect(v.service({ ...s, schedules: [], phones: [] }) || errorsOf(v.service)).toBe(true);
    expect((await t.http().get('/api/hsds/services?format=json&per_page=3').expect(200)).body.size).toBe(3);
    expect((await ndjson('/api/hsds/organizations?format=ndjson')).length).toBe((await t.http().get('/api/hsds/organizations?per_page=200').expect(200)).body.total_items);
    expect((await ndjson('/api/hsds/taxonomies?format=ndjson')).length).toBe(TAXONOMIES.length);
    expect((await ndjson('/api/hsds/taxonomy_terms?format=ndjson')).length).toBeGreaterThan(CATEGORIES.length);
    expect((await ndjson(`/api/hsds/service_at_locations?format=ndjson&service_id=${PUBLIC_ID}`)).length).toBe(1);
    await t.http().get('/api/hsds/services?format=xml').expect(400);
  });

  it('minimal=true items carry what service_list requires', async () => {
    const minimal = await t.http().get('/api/hsds/services?minimal=true&per_page=3').expect(200);
    for (const s of minimal.body.contents) expect(s).toEqual({ id: expect.any(String), name: expect.any(String), status: expect.any(String), last_modified: expect.any(String) });
    if (v) expect(v.servicePage(minimal.body) || errorsOf(v.servicePage)).toBe(true);
  });

  it('organizations: full_service nests whole services, full their list items; search, taxonomy_term_id filter', async () => {
    const full = await t.http().get('/api/hsds/organizations?full_service=true&per_page=3').expect(200);
    expect(full.body.contents[0].services[0]).toHaveProperty('schedules');
    if (v) for (const o of full.body.contents) for (const s of o.services) expect(v.service(s) || errorsOf(v.service)).toBe(true);
    const items = await t.http().get('/api/hsds/organizations?full=true&per_page=3').expect(200);
    expect(items.body.contents[0].services[0]).not.toHaveProperty('schedules');
    const svc = await t.http().get(`/api/hsds/services/${PUBLIC_ID}`).expect(200);
    const one = await t.http().get(`/api/hsds/organizations/${svc.body.organization_id}?full_service=true`).expect(200);
    expect(one.body.services.find((s: { id: string }) => s.id === PUBLIC_ID)).toHaveProperty('service_at_locations');
    const found = await t.http().get('/api/hsds/organizations?search=psychosocial').expect(200);
    expect(found.body.contents.map((o: { id: string }) => o.id)).toContain(svc.body.organization_id);
    expect(found.body.total_items).toBeLessThan((await t.http().get('/api/hsds/organizations').expect(200)).body.total_items);
    const legal = CATEGORIES.find((c) => c.code === 'legal_aid')!;
    const lawyers = await t.http().get(`/api/hsds/organizations?taxonomy_term_id=${legal.id}`).expect(200);
    expect(lawyers.body.contents.map((o: { id: string }) => o.id)).not.toContain(svc.body.organization_id);
    if (v) expect(v.organizationPage(lawyers.body) || errorsOf(v.organizationPage)).toBe(true);
  });

  it('taxonomy_terms: search (any language, accents ignored), top_only, parent_id; taxonomies: search', async () => {
    const found = await t.http().get('/api/hsds/taxonomy_terms?search=juridique').expect(200);
    expect(found.body.contents.map((x: { code: string }) => x.code)).toEqual(['legal_aid']);
    expect((await t.http().get(`/api/hsds/taxonomy_terms?search=${encodeURIComponent('قانونية')}`).expect(200)).body.total_items).toBeGreaterThanOrEqual(1);
    const all = (await t.http().get('/api/hsds/taxonomy_terms?per_page=200').expect(200)).body.total_items;
    expect((await t.http().get('/api/hsds/taxonomy_terms?top_only=true&per_page=200').expect(200)).body.total_items).toBe(all);
    expect((await t.http().get(`/api/hsds/taxonomy_terms?parent_id=${CATEGORIES[0].id}`).expect(200)).body.total_items).toBe(0);
    expect((await t.http().get('/api/hsds/taxonomies?search=population').expect(200)).body.total_items).toBe(1);
    await t.http().get('/api/hsds/taxonomy_terms?top_only=maybe').expect(400);
  });

  it('service_at_locations: search, taxonomy, modified_after, full, postcode and proximity', async () => {
    const mhpss = CATEGORIES.find((c) => c.code === 'mhpss')!;
    const list = await t.http().get(`/api/hsds/service_at_locations?taxonomy_term_id=${mhpss.id}&per_page=200`).expect(200);
    expect(list.body.contents.map((x: { service_id: string }) => x.service_id)).toContain(PUBLIC_ID);
    expect(list.body.total_items).toBeLessThan((await t.http().get('/api/hsds/service_at_locations?per_page=200').expect(200)).body.total_items);
    const full = await t.http().get(`/api/hsds/service_at_locations?service_id=${PUBLIC_ID}&full=true`).expect(200);
    expect(full.body.contents[0].service).toHaveProperty('schedules');
    expect((await t.http().get('/api/hsds/service_at_locations?modified_after=2999-01-01T00:00:00Z').expect(200)).body.total_items).toBe(0);
    expect((await t.http().get(`/api/hsds/service_at_locations?search=psychosocial`).expect(200)).body.total_items).toBeGreaterThan(0);
    const sal = (await t.http().get(`/api/hsds/service_at_locations?service_id=${PUBLIC_ID}`).expect(200)).body.contents[0];
    const postcode = sal.location.addresses[0]?.postal_code;
    if (postcode) {
      const here = await t.http().get(`/api/hsds/service_at_locations?postcode=${postcode}&per_page=200`).expect(200);
      expect(here.body.contents.map((x: { id: string }) => x.id)).toContain(sal.id);
      const near = await t.http().get(`/api/hsds/service_at_locations?postcode=${postcode}&proximity=50000&per_page=200`).expect(200);
      expect(near.body.total_items).toBeGreaterThanOrEqual(here.body.total_items);
    }
    expect((await t.http().get('/api/hsds/service_at_locations?postcode=00000').expect(200)).body.total_items).toBe(0);
    const bad = await t.http().get('/api/hsds/service_at_locations?proximity=1000').expect(400);
    expect(bad.body.code).toBeDefined();
  });
});

describe('visibility tiers', () => {
  const ids = async (who?: string) => {
    const agent = who ? await t.as(who) : { get: (u: string) => t.http().get(u) };
    const res = await agent.get('/api/hsds/services?minimal=true&per_page=200').expect(200);
    return new Set<string>(res.body.contents.map((s: { id: string }) => s.id));
  };

  it('anonymous callers see public services only; hidden ones answer 404', async () => {
    const seen = await ids();
    expect(seen.has(PUBLIC_ID)).toBe(true);
    expect(seen.has(PARTNERS_ID)).toBe(false);
    expect(seen.has(RESTRICTED_ID)).toBe(false);
    const tiers = await t.db.query(`SELECT tier, count(*)::int AS n FROM service GROUP BY tier`);
    const publicCount = tiers.rows.find((r) => r.tier === 'public').n;
    expect(seen.size).toBe(publicCount);
    await t.http().get(`/api/hsds/services/${PARTNERS_ID}`).expect(404);
    await t.http().get(`/api/hsds/services/${RESTRICTED_ID}`).expect(404);
  });

  it('a provider sees public and partner services, and its own restricted ones, not other restricted ones', async () => {
    const seen = await ids(DEMO.providerHealthOujda);
    expect(seen.has(PUBLIC_ID)).toBe(true);
    expect(seen.has(PARTNERS_ID)).toBe(true);
    expect(seen.has(RESTRICTED_HEALTH_ID)).toBe(true); // its own organisation's
    expect(seen.has(RESTRICTED_ID)).toBe(false);
    const provider = await t.as(DEMO.providerHealthOujda);
    await provider.get(`/api/hsds/services/${RESTRICTED_ID}`).expect(404);
    const own = await provider.get(`/api/hsds/services/${RESTRICTED_HEALTH_ID}`).expect(200);
    expect(own.body.referral_focal_points[0]).toMatchObject({ language: 'fr', user_id: expect.any(String) });
  });

  it('a counsellor sees every tier, restricted included', async () => {
    const seen = await ids(DEMO.counsellorOujda);
    const all = await t.db.query(`SELECT count(*)::int AS n FROM service`);
    expect(seen.size).toBe(all.rows[0].n);
    const res = await (await t.as(DEMO.counsellorOujda)).get(`/api/hsds/services/${RESTRICTED_ID}`).expect(200);
    expect(res.body.visibility_tier).toBe('restricted');
  });
});
