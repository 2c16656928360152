import pg from 'pg';
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { freshDatabase, type FreshDatabase } from '../support/fresh-database.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { binary as collect, utf8Text } from '../support/bodies.js';

/**
 * The directory as an HSDS 3.1 tabular data package (datapackage.json + CSVs, zipped): exported by
 * the demo coordinator, dry-run then imported into a database that has never seen these
 * organisations, exported again — the same tables; a broken package reports each error by table,
 * row and column and writes nothing.
 */
let source: TestApp;
let fresh: FreshDatabase & { db: pg.Client };
let zip: Buffer;
let ndjsonCount: number;

const binary = (agent: request.Test) => agent.buffer(true).parse(collect);

type Row = Record<string, string>;
function tablesOf(file: Buffer): { datapackage: any; tables: Map<string, Row[]>; headers: Map<string, string[]> } {
  const files = unzipSync(new Uint8Array(file));
  const datapackage = JSON.parse(strFromU8(files['datapackage.json']!));
  const tables = new Map<string, Row[]>();
  const headers = new Map<string, string[]>();
  for (const r of datapackage.resources) {
    const text = strFromU8(files[r.path]!);
    headers.set(r.path, (parse(text, { to_line: 1 }) as string[][])[0]!);
    tables.set(r.path, parse(text, { columns: true }) as Row[]);
  }
  return { datapackage, tables, headers };
}

/** What an import does not carry over (as for NDJSON): when it was written, and focal points' accounts of the other database. */
const DROPPED: Record<string, string[]> = { 'services.csv': ['last_modified'], 'service_capacities.csv': ['updated'], 'referral_focal_points.csv': ['user_id'] };
function comparable(t: Map<string, Row[]>): Record<string, Row[]> {
  return Object.fromEntries(
    [...t].map(([path, rows]) => [
      path,
      rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !(DROPPED[path] ?? []).includes(k)))).sort((a, b) => (a.id! < b.id! ? -1 : a.id! > b.id! ? 1 : 0)),
    ]),
  );
}

function rezip(file: Buffer, change: (files: Record<string, Uint8Array>) => void): Buffer {
  const files = unzipSync(new Uint8Array(file));
  change(files);
  return Buffer.from(zipSync(files));
}

function editCsv(files: Record<string, Uint8Array>, path: string, edit: (rows: Row[]) => void) {
  const text = strFromU8(files[path]!);
  const columns = (parse(text, { to_line: 1 }) as string[][])[0]!;
  const rows = parse(text, { columns: true }) as Row[];
  edit(rows);
  files[path] = strToU8(stringify(rows, { header: true, columns }));
}

beforeAll(async () => {
  source = await createTestApp();
  const coordinator = await source.as(DEMO.coordinator);
  zip = (await binary(coordinator.get('/api/v1/directory/export.zip')).expect(200).expect('Content-Type', 'application/zip')).body as Buffer;
  ndjsonCount = ((await coordinator.get('/api/v1/directory/export').buffer(true).parse(utf8Text)).body as string).split('\n').filter(Boolean).length;
  const f = await freshDatabase('tawjih_tabular');
  const db = new pg.Client({ connectionString: f.url });
  await db.connect();
  fresh = Object.assign(f, { db });
}, 180_000);

afterAll(async () => {
  await fresh?.db.end();
  await fresh?.close();
  await source?.close();
}, 180_000);

const upload = (file: Buffer, query = '', name = 'directory.zip') =>
  request(fresh.app.getHttpServer()).post(`/api/v1/directory/import/tabular${query}`).set('Authorization', `Bearer ${fresh.token}`).attach('file', file, name);
const counts = async () => (await fresh.db.query(`SELECT (SELECT count(*) FROM service)::int AS services, (SELECT count(*) FROM organisation)::int AS organisations`)).rows[0];

describe('HSDS tabular export and import', () => {
  it('exports datapackage.json and one CSV per HSDS table, with the HSDS 3.1 column names first', () => {
    const { datapackage, tables, headers } = tablesOf(zip);
    expect(datapackage.profile).toBe('tabular-data-package');
    expect(datapackage.resources.map((r: any) => r.path)).toEqual(expect.arrayContaining(['organizations.csv', 'services.csv', 'service_at_location.csv', 'locations.csv', 'addresses.csv', 'phones.csv', 'schedules.csv', 'languages.csv', 'attributes.csv', 'taxonomy_terms.csv', 'taxonomies.csv']));
    expect(headers.get('services.csv')!.slice(0, 4)).toEqual(['id', 'organization_id', 'program_id', 'name']);
    expect(headers.get('schedules.csv')!.slice(0, 4)).toEqual(['id', 'service_id', 'location_id', 'service_at_location_id']);
    expect(tables.get('services.csv')!.length).toBe(ndjsonCount);
    expect(ndjsonCount).toBeGreaterThan(10);
    for (const path of ['organizations.csv', 'locations.csv', 'schedules.csv', 'attributes.csv']) expect(tables.get(path)!.length).toBeGreaterThan(0);
    // Every declared field is a column, in order.
    for (const r of datapackage.resources) expect(r.schema.fields.map((f: any) => f.name)).toEqual(headers.get(r.path));
  });

  it('dry run → import into a fresh database → export gives the same tables; importing again updates and matches', async () => {
    const before = await counts();
    const dry = await upload(zip, '?dryRun=true');
    expect({ status: dry.status, errors: dry.body.errors }).toEqual({ status: 200, errors: [] });
    const organisations = new Set(tablesOf(zip).tables.get('services.csv')!.map((s) => s.organization_id)).size;
    expect(dry.body).toMatchObject({ dryRun: true, created: ndjsonCount, updated: 0, organisationsCreated: organisations, organisationsMatched: 0 });
    expect(dry.body.services[0]).toMatchObject({ row: 2, action: 'create' });
    expect(await counts()).toEqual(before); // a dry run writes nothing, organisations included

    const imported = await upload(zip);
    expect({ status: imported.status, errors: imported.body.errors }).toEqual({ status: 200, errors: [] });
    expect(imported.body).toMatchObject({ dryRun: false, created: ndjsonCount, updated: 0, organisationsCreated: organisations });

    const again = (await binary(request(fresh.app.getHttpServer()).get('/api/v1/directory/export.zip').set('Authorization', `Bearer ${fresh.token}`)).expect(200)).body as Buffer;
    const [a, b] = [tablesOf(zip), tablesOf(again)];
    expect(b.datapackage).toEqual(a.datapackage);
    expect(comparable(b.tables)).toEqual(comparable(a.tables));

    const twice = await upload(zip, '?dryRun=true');
    expect(twice.body).toMatchObject({ created: 0, updated: ndjsonCount, organisationsCreated: 0, organisationsMatched: organisations, errors: [] });
  }, 300_000);

  it('reports each error by table, row and column, and an import with errors writes nothing', async () => {
    const { tables } = tablesOf(zip);
    const services = tables.get('services.csv')!;
    const schedules = tables.get('schedules.csv')!;
    const scheduleIndex = 1;
    const broken = rezip(zip, (files) => {
      editCsv(files, 'services.csv', (rows) => {
        rows[2]!.visibility_tier = 'everyone';
      });
      editCsv(files, 'schedules.csv', (rows) => {
        rows[scheduleIndex]!.closes_at = '25:99';
      });
    });
    const dry = await upload(broken, '?dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.body.errors).toEqual([
      ...[
        { table: 'services', row: 4, column: 'visibility_tier', id: services[2]!.id, message: expect.any(String) },
        { table: 'schedules', row: scheduleIndex + 2, column: 'closes_at', id: schedules[scheduleIndex]!.service_id, message: expect.any(String) },
      ].sort((x, y) => services.findIndex((s) => s.id === x.id) - services.findIndex((s) => s.id === y.id)),
    ]);
    const before = await counts();
    const refused = await upload(broken);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('DIRECTORY_IMPORT_INVALID');
    expect(refused.body.report).toHaveLength(2);
    expect(await counts()).toEqual(before);
  }, 120_000);

  it('answers unreadable packages with a 4xx problem and a stable code', async () => {
    const notZip = await upload(Buffer.from('PK\u0003\u0004 not really a zip'));
    expect({ status: notZip.status, code: notZip.body.code }).toEqual({ status: 400, code: 'DIRECTORY_TABULAR_UNREADABLE' });
    const noServices = await upload(rezip(zip, (f) => delete f['services.csv']));
    expect({ status: noServices.status, code: noServices.body.code }).toEqual({ status: 400, code: 'DIRECTORY_TABULAR_NO_SERVICES' });
    const badPackage = await upload(rezip(zip, (f) => (f['datapackage.json'] = strToU8('{"resources": 3}'))));
    expect({ status: badPackage.status, code: badPackage.body.code }).toEqual({ status: 400, code: 'DIRECTORY_TABULAR_DATAPACKAGE_INVALID' });
    const badCsv = await upload(rezip(zip, (f) => (f['services.csv'] = strToU8('id,name\n"unclosed,x\n'))));
    expect({ status: badCsv.status, code: badCsv.body.code }).toEqual({ status: 400, code: 'DIRECTORY_TABULAR_CSV_INVALID' });
    const none = await request(fresh.app.getHttpServer()).post('/api/v1/directory/import/tabular').set('Authorization', `Bearer ${fresh.token}`);
    expect({ status: none.status, code: none.body.code }).toEqual({ status: 400, code: 'DIRECTORY_TABULAR_NO_FILE' });
    // The package as loose files (datapackage.json + CSVs as several parts) reads the same.
    const loose = unzipSync(new Uint8Array(zip));
    let req = request(fresh.app.getHttpServer()).post('/api/v1/directory/import/tabular?dryRun=true').set('Authorization', `Bearer ${fresh.token}`);
    for (const [n, data] of Object.entries(loose)) req = req.attach('file', Buffer.from(data), n);
    const looseReport = await req;
    expect({ status: looseReport.status, errors: looseReport.body.errors, created: looseReport.body.created }).toEqual({ status: 200, errors: [], created: 0 });
  }, 120_000);
});
