import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { HSDS_PROFILE, HSDS_VERSION, taxonomyJson } from './hsds.mapper.js';
import { TAXONOMIES } from './taxonomy.data.js';

/**
 * HSDS 3.1 tabular form (a Frictionless data package: `datapackage.json` + one CSV per table, as
 * Open Referral publishes it) ⇄ the HSDS service objects of the NDJSON export and import. The
 * tables are a lossless projection of those objects: the Tawjih profile's extra fields are extra
 * columns (`name_i18n.fr`, `free_of_charge`, …) and two extra tables (service_capacities + units,
 * referral_focal_points), so a tabular export imports back as the same services.
 */
type Json = Record<string, unknown>;

/** HSDS 3.1 tabular columns (schema/compiled/tabular.json), in its order; profile columns follow. */
const HSDS_COLUMNS: Record<string, string[]> = {
  organizations: ['id', 'name', 'alternate_name', 'description', 'email', 'website', 'tax_status', 'tax_id', 'year_incorporated', 'legal_status', 'logo', 'uri', 'parent_organization_id'],
  services: ['id', 'organization_id', 'program_id', 'name', 'alternate_name', 'description', 'url', 'email', 'status', 'interpretation_services', 'application_process', 'fees_description', 'wait_time', 'fees', 'accreditations', 'eligibility_description', 'minimum_age', 'maximum_age', 'assured_date', 'assurer_email', 'licenses', 'alert', 'last_modified'],
  attributes: ['id', 'link_id', 'taxonomy_term_id', 'link_type', 'link_entity', 'value'],
  service_at_location: ['id', 'service_id', 'location_id', 'description'],
  locations: ['id', 'location_type', 'url', 'organization_id', 'name', 'alternate_name', 'description', 'transportation', 'latitude', 'longitude', 'external_identifier', 'external_identifier_type'],
  phones: ['id', 'location_id', 'service_id', 'organization_id', 'contact_id', 'service_at_location_id', 'number', 'extension', 'type', 'description'],
  contacts: ['id', 'organization_id', 'service_id', 'service_at_location_id', 'location_id', 'name', 'title', 'department', 'email'],
  addresses: ['id', 'location_id', 'attention', 'address_1', 'address_2', 'city', 'region', 'state_province', 'postal_code', 'country', 'address_type'],
  schedules: ['id', 'service_id', 'location_id', 'service_at_location_id', 'valid_from', 'valid_to', 'dtstart', 'timezone', 'until', 'count', 'wkst', 'freq', 'interval', 'byday', 'byweekno', 'bymonthday', 'byyearday', 'description', 'opens_at', 'closes_at', 'schedule_link', 'attending_type', 'notes'],
  service_areas: ['id', 'service_id', 'name', 'description', 'extent', 'extent_type', 'uri'],
  required_documents: ['id', 'service_id', 'document', 'uri'],
  languages: ['id', 'service_id', 'location_id', 'phone_id', 'name', 'code', 'note'],
  taxonomy_terms: ['id', 'code', 'name', 'description', 'parent_id', 'taxonomy', 'language', 'taxonomy_id', 'term_uri'],
  taxonomies: ['id', 'name', 'description', 'uri', 'version'],
  cost_options: ['id', 'service_id', 'valid_from', 'valid_to', 'option', 'currency', 'amount', 'amount_description'],
  // HSDS 3.1 objects the compiled tabular schema leaves out, and the Tawjih profile's focal points.
  service_capacities: ['id', 'service_id', 'unit_id', 'available', 'maximum', 'description', 'updated'],
  units: ['id', 'name', 'scheme', 'identifier', 'uri'],
  referral_focal_points: ['id', 'service_id', 'user_id', 'email', 'name', 'language'],
};
/** Table name → file, in the order a reader needs them (referenced tables first). */
export const TABLES = Object.keys(HSDS_COLUMNS);
/** Table → the HSDS resource (object) name. */
const RESOURCE: Record<string, string> = Object.fromEntries(
  TABLES.map((t) => [t, ({ addresses: 'address', taxonomies: 'taxonomy', service_capacities: 'service_capacity', service_at_location: 'service_at_location' } as Record<string, string>)[t] ?? t.replace(/s$/, '')]),
);
const fileOf = (table: string) => (table === 'service_at_location' ? 'service_at_location.csv' : `${table}.csv`);
/** Objects of the Tawjih profile written as `key.sub` columns of their row. */
const INLINE = new Set(['name_i18n', 'description_i18n', 'eligibility_description_i18n', 'response_deadline_hours', 'address_1_i18n', 'city_i18n']);

export type Tables = Map<string, Json[]>;

// ---- export ----------------------------------------------------------------------------------

/** The rows of every table for these HSDS service objects (shared organisations, locations, terms once). */
export function tablesOf(services: Json[]): Tables {
  const tables: Tables = new Map(TABLES.map((t) => [t, []]));
  const seen = new Set<string>();
  const add = (table: string, o: Json, extra: Json = {}) => {
    const row: Json = { ...extra };
    for (const [k, v] of Object.entries(o)) {
      if (v === null || v === undefined || Array.isArray(v)) continue;
      if (typeof v === 'object') {
        if (INLINE.has(k)) for (const [sub, x] of Object.entries(v as Json)) row[`${k}.${sub}`] = x;
        continue;
      }
      row[k] = v;
    }
    tables.get(table)!.push(row);
  };
  const once = (table: string, id: unknown) => {
    const key = `${table}:${String(id)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const arr = (v: unknown) => (Array.isArray(v) ? (v as Json[]) : []);
  for (const t of TAXONOMIES) add('taxonomies', taxonomyJson(t));
  for (const s of services) {
    const org = s.organization as Json | undefined;
    if (org && once('organizations', org.id)) {
      add('organizations', org);
      for (const p of arr(org.phones)) add('phones', p, { organization_id: org.id });
    }
    add('services', s);
    for (const p of arr(s.phones)) {
      add('phones', p);
      for (const l of arr(p.languages)) add('languages', l);
    }
    for (const x of arr(s.schedules)) add('schedules', x);
    for (const x of arr(s.service_areas)) add('service_areas', x);
    for (const sal of arr(s.service_at_locations)) {
      add('service_at_location', sal);
      const l = sal.location as Json | undefined;
      if (l && once('locations', l.id)) {
        add('locations', l);
        for (const a of arr(l.addresses)) add('addresses', a);
      }
    }
    for (const x of arr(s.languages)) add('languages', x);
    for (const x of arr(s.cost_options)) add('cost_options', x);
    for (const x of arr(s.required_documents)) add('required_documents', x);
    for (const c of arr(s.contacts)) {
      add('contacts', c);
      for (const p of arr(c.phones)) add('phones', p);
    }
    for (const c of arr(s.capacities)) {
      const unit = c.unit as Json | undefined;
      add('service_capacities', c, { unit_id: unit?.id });
      if (unit && once('units', unit.id)) add('units', unit);
    }
    for (const a of arr(s.attributes)) {
      add('attributes', a);
      const term = a.taxonomy_term as Json | undefined;
      if (term && once('taxonomy_terms', term.id)) add('taxonomy_terms', term);
    }
    for (const f of arr(s.referral_focal_points)) add('referral_focal_points', f, { service_id: s.id });
  }
  return tables;
}

type FieldType = 'string' | 'number' | 'integer' | 'boolean';

function columnsOf(table: string, rows: Json[]): Array<{ name: string; type: FieldType }> {
  const names = [...HSDS_COLUMNS[table]!];
  for (const r of rows) for (const k of Object.keys(r)) if (!names.includes(k)) names.push(k);
  return names.map((name) => {
    const values = rows.map((r) => r[name]).filter((v) => v !== undefined && v !== null);
    const type: FieldType =
      values.length && values.every((v) => typeof v === 'boolean') ? 'boolean'
      : values.length && values.every((v) => Number.isInteger(v)) ? 'integer'
      : values.length && values.every((v) => typeof v === 'number') ? 'number'
      : 'string';
    return { name, type };
  });
}

/** The data package as a zip: `datapackage.json` first, then one CSV per table (UTF-8, `,`, header row). */
export function tabularZip(services: Json[]): Uint8Array {
  const tables = tablesOf(services);
  const resources = TABLES.map((table) => {
    const rows = tables.get(table)!;
    const fields = columnsOf(table, rows);
    const csv = stringify(rows.map((r) => fields.map((f) => cell(r[f.name]))), { header: true, columns: fields.map((f) => f.name), record_delimiter: '\n' });
    return { table, fields, csv };
  });
  const datapackage = {
    name: 'tawjih-directory',
    title: 'Tawjih service directory (HSDS 3.1 tabular)',
    profile: 'tabular-data-package',
    hsds_version: HSDS_VERSION,
    description: `Open Referral HSDS ${HSDS_VERSION}, ${HSDS_PROFILE.name}: profile fields are extra columns and the tables service_capacities, units, referral_focal_points.`,
    resources: resources.map(({ table, fields }) => ({
      name: RESOURCE[table],
      path: fileOf(table),
      profile: 'tabular-data-resource',
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8',
      schema: { fields, primaryKey: 'id' },
    })),
  };
  const files: Record<string, Uint8Array> = { 'datapackage.json': strToU8(JSON.stringify(datapackage, null, 2) + '\n') };
  for (const r of resources) files[fileOf(r.table)] = strToU8(r.csv);
  // A fixed date: the same directory gives the same bytes.
  return zipSync(files, { level: 6, mtime: new Date('2020-01-01T00:00:00Z') });
}

const cell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v));

// ---- import ----------------------------------------------------------------------------------

export class TabularError extends Error {
  constructor(
    readonly code: 'unreadable' | 'too_large' | 'no_services' | 'csv_invalid' | 'datapackage_invalid',
    readonly table?: string,
    readonly row?: number,
  ) {
    super(code);
  }
}

/** Where a rebuilt object came from, for the report's table / row / column. */
export interface Origin {
  table: string;
  row: number;
}

const MAX_UNZIPPED = 50 * 1024 * 1024;
const MAX_ENTRIES = 200;

/** The files of an upload: a zip's entries (a folder inside is fine) or the files as sent. */
export function filesOf(uploads: Array<{ name: string; data: Uint8Array }>): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const u of uploads) {
    const zip = u.data.length > 4 && u.data[0] === 0x50 && u.data[1] === 0x4b && u.data[2] === 0x03 && u.data[3] === 0x04;
    if (!zip) {
      files.set(baseName(u.name), u.data);
      continue;
    }
    let total = 0;
    let entries = 0;
    let tooLarge = false;
    let unzipped: Record<string, Uint8Array>;
    try {
      unzipped = unzipSync(u.data, {
        filter: (f) => {
          entries++;
          total += f.originalSize;
          if (entries > MAX_ENTRIES || total > MAX_UNZIPPED) tooLarge = true;
          return !tooLarge && /\.(csv|json)$/i.test(f.name) && !baseName(f.name).startsWith('.');
        },
      });
    } catch {
      throw new TabularError('unreadable');
    }
    if (tooLarge) throw new TabularError('too_large');
    // datapackage.json's folder is the package root; without one, files by their own name.
    const dp = Object.keys(unzipped).find((n) => baseName(n) === 'datapackage.json');
    const root = dp ? dp.slice(0, dp.length - 'datapackage.json'.length) : '';
    for (const [name, data] of Object.entries(unzipped)) if (name.startsWith(root)) files.set(dp ? name.slice(root.length) : baseName(name), data);
  }
  return files;
}

const baseName = (n: string) => n.split(/[\\/]/).pop() ?? n;

/** Reads the package's tables, typed by its `datapackage.json` (numbers, integers, booleans), with each row's line. */
export function readTables(files: Map<string, Uint8Array>): Map<string, Array<{ row: number; value: Json }>> {
  let resources: Array<{ name?: string; path?: string; schema?: { fields?: Array<{ name: string; type?: string }> } }> = [];
  const dp = files.get('datapackage.json');
  if (dp) {
    try {
      const parsed = JSON.parse(strFromU8(dp)) as { resources?: unknown };
      if (!Array.isArray(parsed.resources)) throw new Error();
      resources = parsed.resources as typeof resources;
    } catch {
      throw new TabularError('datapackage_invalid');
    }
  }
  const out = new Map<string, Array<{ row: number; value: Json }>>();
  for (const table of TABLES) {
    const resource = resources.find((r) => r.path && baseName(r.path) === fileOf(table)) ?? resources.find((r) => r.name && tableOfResource(r.name) === table);
    const path = resource?.path ?? fileOf(table);
    const data = files.get(path) ?? files.get(baseName(path));
    if (!data) continue;
    const types = new Map((resource?.schema?.fields ?? []).map((f) => [f.name, f.type ?? 'string']));
    let records: string[][];
    try {
      records = parse(strFromU8(data).replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true });
    } catch (e) {
      const line = (e as { lines?: number }).lines;
      throw new TabularError('csv_invalid', table, typeof line === 'number' ? line : undefined);
    }
    const [header = [], ...body] = records;
    const names = header.map((h) => h.trim());
    out.set(
      table,
      body.map((cells, i) => {
        const value: Json = {};
        names.forEach((name, c) => {
          const v = typed(cells[c] ?? '', types.get(name) ?? 'string');
          if (v !== undefined && name) value[name] = v;
        });
        return { row: i + 2, value };
      }),
    );
  }
  if (!out.get('services')?.length) throw new TabularError('no_services');
  return out;
}

/** A resource named as HSDS names it (`organization`, `service_at_location`, …) → our table. */
const tableOfResource = (name: string) => TABLES.find((t) => RESOURCE[t] === name);

/** A cell as its declared type; a cell that does not parse stays text, for the validation to name. */
function typed(text: string, type: string): unknown {
  const v = text.trim();
  if (v === '') return undefined;
  if (type === 'number' || type === 'integer') {
    const n = Number(v);
    return Number.isFinite(n) ? n : v;
  }
  if (type === 'boolean') return /^(true|1|yes)$/i.test(v) ? true : /^(false|0|no)$/i.test(v) ? false : v;
  return v;
}

/**
 * The HSDS service objects the tables describe, as the NDJSON export writes them, with where each
 * (nested) object came from. Rows whose link names no service are ignored, as HSDS readers do.
 */
export function servicesOf(tables: Map<string, Array<{ row: number; value: Json }>>): { services: Array<{ row: number; value: Json }>; origins: WeakMap<object, Origin> } {
  const origins = new WeakMap<object, Origin>();
  const rows = (table: string) => tables.get(table) ?? [];
  const build = (table: string, r: { row: number; value: Json }): Json => {
    const o: Json = {};
    for (const [k, v] of Object.entries(r.value)) {
      const dot = k.indexOf('.');
      if (dot > 0 && INLINE.has(k.slice(0, dot))) ((o[k.slice(0, dot)] ??= {}) as Json)[k.slice(dot + 1)] = v;
      else o[k] = v;
    }
    origins.set(o, { table, row: r.row });
    return o;
  };
  const by = (table: string, key: string) => {
    const m = new Map<string, Json[]>();
    for (const r of rows(table)) {
      const k = r.value[key];
      if (k === undefined) continue;
      const list = m.get(String(k)) ?? [];
      list.push(build(table, r));
      m.set(String(k), list);
    }
    return (k: unknown) => (k === undefined ? [] : (m.get(String(k)) ?? []));
  };
  const one = (table: string) => {
    const m = new Map<string, { row: number; value: Json }>();
    for (const r of rows(table)) if (r.value.id !== undefined && !m.has(String(r.value.id))) m.set(String(r.value.id), r);
    return (id: unknown) => {
      const r = id === undefined ? undefined : m.get(String(id));
      return r ? build(table, r) : undefined;
    };
  };
  const organisation = one('organizations');
  const location = one('locations');
  const unit = one('units');
  const term = one('taxonomy_terms');
  const phonesOfService = by('phones', 'service_id');
  const phonesOfOrganisation = by('phones', 'organization_id');
  const phonesOfContact = by('phones', 'contact_id');
  const languagesOfService = by('languages', 'service_id');
  const languagesOfPhone = by('languages', 'phone_id');
  const addresses = by('addresses', 'location_id');
  const schedules = by('schedules', 'service_id');
  const areas = by('service_areas', 'service_id');
  const sals = by('service_at_location', 'service_id');
  const costs = by('cost_options', 'service_id');
  const documents = by('required_documents', 'service_id');
  const contacts = by('contacts', 'service_id');
  const capacities = by('service_capacities', 'service_id');
  const focal = by('referral_focal_points', 'service_id');
  const attributes = by('attributes', 'link_id');
  const services = rows('services').map((r) => {
    const s = build('services', r);
    const org = organisation(s.organization_id);
    if (org) org.phones = phonesOfOrganisation(org.id).filter((p) => p.service_id === undefined && p.contact_id === undefined);
    Object.assign(s, {
      organization: org,
      phones: phonesOfService(s.id).map((p) => withOrigin(p, { languages: languagesOfPhone(p.id) })),
      schedules: schedules(s.id),
      service_areas: areas(s.id),
      service_at_locations: sals(s.id).map((sal) => {
        const l = location(sal.location_id);
        if (l) l.addresses = addresses(l.id);
        return withOrigin(sal, { location: l });
      }),
      languages: languagesOfService(s.id),
      cost_options: costs(s.id),
      required_documents: documents(s.id),
      contacts: contacts(s.id).map((c) => withOrigin(c, { phones: phonesOfContact(c.id) })),
      capacities: capacities(s.id).map((c) => withOrigin(c, { unit: unit(c.unit_id) })),
      attributes: attributes(s.id)
        .filter((a) => a.link_entity === undefined || a.link_entity === 'service')
        .map((a) => withOrigin(a, { taxonomy_term: term(a.taxonomy_term_id) })),
    });
    const points = focal(s.id);
    if (points.length || tables.has('referral_focal_points')) s.referral_focal_points = points;
    return { row: r.row, value: s };
  });
  return { services, origins };
}

/** The object with more fields, in place: a copy would lose its origin. */
function withOrigin(o: Json, more: Json): Json {
  Object.assign(o, more);
  return o;
}

/**
 * The table, row and column of an HSDS field path of a rebuilt service (`schedules[1].closes_at`):
 * the deepest object on the path that came from a row, and the rest of the path as its column.
 */
export function locate(service: Json, path: string, origins: WeakMap<object, Origin>): { table: string; row: number; column: string } {
  const segments = path.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean);
  let at: unknown = service;
  let found = { origin: origins.get(service)!, rest: 0 };
  segments.forEach((seg, i) => {
    at = at && typeof at === 'object' ? (at as Json)[seg] : undefined;
    const o = at && typeof at === 'object' ? origins.get(at) : undefined;
    if (o) found = { origin: o, rest: i + 1 };
  });
  const column = segments.slice(found.rest).filter((s) => !/^\d+$/.test(s)).join('.') || 'id';
  return { table: found.origin.table, row: found.origin.row, column };
}
