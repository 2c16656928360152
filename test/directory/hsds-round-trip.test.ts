import request from 'supertest';
import { hsdsSchemaDir, hsdsValidators } from '../support/hsds-schemas.js';
import { freshDatabase, type FreshDatabase } from '../support/fresh-database.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { demoServiceId } from '../../src/directory/directory.seeder.js';
import { utf8Text } from '../support/bodies.js';

/**
 * The coordinator's HSDS export, imported into a database that has never seen these organisations
 * (only migrations, reference places and one coordinator), exported again: the same services — ids,
 * texts, locations, schedules, taxonomy, organisation — line for line.
 */
let source: TestApp;
let fresh: FreshDatabase;
let exportedFile: string;
let providerToken: string;

async function exportOf(agent: request.Test): Promise<string> {
  const res = await agent.buffer(true).parse(utf8Text);
  if (res.status !== 200) throw new Error(`export: ${res.status}`);
  return res.body as string;
}

beforeAll(async () => {
  source = await createTestApp();
  exportedFile = await exportOf((await source.as(DEMO.coordinator)).get('/api/v1/directory/export'));
  providerToken = await source.token(DEMO.providerPssOujda);
  fresh = await freshDatabase('tawjih_fresh');
}, 180_000);

afterAll(async () => {
  await fresh?.close();
  await source?.close();
}, 180_000);

type Json = Record<string, any>;
const lines = (ndjson: string): Json[] => ndjson.split('\n').filter(Boolean).map((l) => JSON.parse(l));
const byId = (services: Json[]) => new Map(services.map((s) => [s.id as string, s]));

/**
 * What an import does not carry over: when it was written here, and the accounts of focal points
 * (users of the other database; their e-mail stays the focal point). Everything else must come back.
 */
function comparable(s: Json): Json {
  const { last_modified: _l, ...rest } = s;
  return {
    ...rest,
    capacities: (rest.capacities ?? []).map(({ updated: _u, ...c }: Json) => c),
    referral_focal_points: (rest.referral_focal_points ?? []).map(({ user_id: _u, ...f }: Json) => f),
  };
}

describe('HSDS round trip: export → import into a fresh database → export', () => {
  it('gives back the same services, organisations created or matched, nothing lost', async () => {
    const first = lines(exportedFile);
    expect(first.length).toBeGreaterThan(10);
    // The names, streets and cities held in Arabic travel beside the French (the comparison below says they come back).
    const pss = first.find((s) => s.id === demoServiceId('oujda-pss-individual'))!;
    // The service itself: French `name` and `description` (what an import stores as French), every language in `*_i18n`.
    expect(pss).toMatchObject({ name: 'Soutien psychosocial individuel', name_i18n: { fr: 'Soutien psychosocial individuel', ar: 'الدعم النفسي والاجتماعي الفردي', en: 'Individual psychosocial support' } });
    expect(pss.description_i18n.ar).toBe('الإنصات والدعم النفسي والاجتماعي والتوجيه نحو طبيب نفسي عند الحاجة.');
    expect(pss.organization.name_i18n).toEqual({ fr: 'Centre psychosocial associatif, Oujda (démo)', ar: 'المركز الجمعوي للدعم النفسي والاجتماعي، وجدة (تجريبي)' });
    const location = pss.service_at_locations[0].location;
    expect(location.name_i18n).toEqual({ fr: 'Centre psychosocial', ar: 'المركز النفسي والاجتماعي' });
    expect(location.addresses[0]).toMatchObject({ address_1_i18n: { fr: 'Rue de Marrakech', ar: 'شارع مراكش' }, city_i18n: { fr: 'Oujda', ar: 'وجدة' } });
    const schemaDir = hsdsSchemaDir();
    if (schemaDir) {
      const v = hsdsValidators(schemaDir);
      for (const s of first) expect(v.service(s) || JSON.stringify(v.service.errors)).toBe(true);
    } else process.stderr.write('HSDS schemas not found at ../shared/hsds (or HSDS_SCHEMA_DIR): the exported lines are not schema-validated.\n');

    const http = () => request(fresh.app.getHttpServer());
    const imported = await http()
      .post('/api/v1/directory/import')
      .set('Authorization', `Bearer ${fresh.token}`)
      .set('Content-Type', 'application/x-ndjson')
      .send(exportedFile);
    expect({ status: imported.status, body: imported.status === 200 ? 'ok' : imported.body }).toEqual({ status: 200, body: 'ok' });
    expect(imported.body).toMatchObject({ created: first.length, updated: 0 });
    const organisations = new Set(first.map((s) => s.organization_id));
    expect(imported.body.organisationsCreated).toBe(organisations.size);

    const second = byId(lines(await exportOf(http().get('/api/v1/directory/export').set('Authorization', `Bearer ${fresh.token}`))));
    expect([...second.keys()].sort()).toEqual(first.map((s) => s.id).sort());
    for (const s of first) expect(comparable(second.get(s.id)!)).toEqual(comparable(s));

    // Imported once more, the same file matches everything by id: all updates, no new organisation.
    const twice = await http().post('/api/v1/directory/import').set('Authorization', `Bearer ${fresh.token}`).set('Content-Type', 'application/x-ndjson').send(exportedFile).expect(200);
    expect(twice.body).toMatchObject({ created: 0, updated: first.length, organisationsCreated: 0 });
  }, 300_000);

  it('matches an organisation by name within the region when the file’s id is unknown here, and refuses to create one the importer may not', async () => {
    const [one] = lines(exportedFile);
    const http = () => request(fresh.app.getHttpServer());
    // Another system's id for an organisation this database already has (created by the first test): matched by name.
    const renamed = { ...one, id: '5b0c7c7e-1111-4111-8111-000000000001', organization_id: '5b0c7c7e-1111-4111-8111-0000000000aa', service_at_locations: [], phones: [], contacts: [], schedules: [], capacities: [], referral_focal_points: [], service_areas: [], cost_options: [], required_documents: [] };
    const res = await http().post('/api/v1/directory/import').set('Authorization', `Bearer ${fresh.token}`).set('Content-Type', 'application/x-ndjson').send(`${JSON.stringify(renamed)}\n`);
    expect({ status: res.status, report: res.status === 200 ? null : res.body }).toEqual({ status: 200, report: null });
    expect(res.body).toMatchObject({ created: 1, organisationsCreated: 0 });
    const created = await http().get(`/api/hsds/services/${renamed.id}`).set('Authorization', `Bearer ${fresh.token}`).expect(200);
    expect(created.body.organization_id).toBe(one.organization_id);

    // A provider (no right to create organisations) importing a service of an unknown organisation: a clear 400, nothing written.
    const stranger = { ...renamed, id: '5b0c7c7e-1111-4111-8111-000000000002', organization_id: '5b0c7c7e-1111-4111-8111-0000000000bb', organization: { id: '5b0c7c7e-1111-4111-8111-0000000000bb', name: 'Nowhere Association' } };
    const refused = await source.http().post('/api/v1/directory/import').set('Authorization', `Bearer ${providerToken}`).set('Content-Type', 'application/x-ndjson').send(`${JSON.stringify(stranger)}\n`);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect((await source.db.query(`SELECT count(*)::int AS n FROM organisation WHERE name = 'Nowhere Association'`)).rows[0].n).toBe(0);
  }, 120_000);
});
