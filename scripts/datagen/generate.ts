// The bulk part of `npm run datagen`: reference organisations and users by multi-row INSERT, then
// persons and everything hanging off their cases by COPY, one connection per table.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { FieldCipher } from '../../src/common/crypto/field-cipher.js';
import { IdentityCodec } from '../../src/cases/identity.codec.js';
import type { Category } from '../../src/common/categories.js';
import { ageBandAt } from '../../src/cases/cases.constants.js';
import { arr, CopyTable, t } from './copy-table.js';
import { BulkEncryptor, day, ts as iso } from './fast-format.js';
import { ReferralWriter, writeActivities, type ActivityRegion } from './referrals.js';
import {
  CLOSURE_REASONS,
  cumulative,
  EMPLOYMENT_OUTCOMES,
  EXTRA_PROVINCES,
  FAMILY_NAMES,
  FOREIGN_NATIONALITIES,
  GIVEN_NAMES,
  INCIDENT_PLACES,
  INCIDENT_TYPES,
  LANGUAGES_OF,
  NEEDS,
  NOTES,
  POPULATION,
  PROVIDER_KINDS,
  REGION_CENTRE,
  REGION_PROFILE,
  SESSION_KINDS,
  STREETS,
} from './reference.js';

const DAY = 86_400_000;
export const DATAGEN_MARK = '(datagen)';
/** Part of the bench datasets' names: bump it when the generator changes what it writes. */
export const DATAGEN_VERSION = '4';

/** Small, fast, seedable PRNG (sfc32): the same seed gives the same dataset shape. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }
  next(): number {
    const { a, b, c, d } = this;
    const t0 = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = ((c << 21) | (c >>> 11)) + t0;
    return (t0 >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  weighted<T>(w: { values: T[]; cum: Float64Array }): T {
    const r = this.next();
    let i = 0;
    while (i < w.cum.length - 1 && w.cum[i]! < r) i++;
    return w.values[i]!;
  }
}

/** A provider organisation with its focal-point account and its one service at one location. */
interface Provider {
  id: string;
  categories: Category[];
  userId: string;
  serviceId?: string;
  salId?: string;
}

interface Unit {
  id: string;
  code: string;
  regionCode: string;
  regionId: string;
  provinceId: string;
  regionProvinceIds: string[];
  counsellors: string[];
  providers: Provider[];
  /** The region's coordination body and its coordinator (organiser of the region's activities). */
  coordinationId: string;
  coordinatorId: string;
}

export interface GenerateOptions {
  persons: number;
  years: number;
  seed: number;
  passwordHash: string;
  cipher: FieldCipher;
  /** Called every few thousand persons. */
  progress?: (done: number) => void;
}

export interface GenerateResult {
  rows: Record<string, number>;
  units: Array<{ id: string; code: string; persons: number }>;
}

const W = {
  population: cumulative(POPULATION),
  foreign: cumulative(FOREIGN_NATIONALITIES),
  needs: cumulative(NEEDS),
  employment: cumulative(EMPLOYMENT_OUTCOMES),
  closure: cumulative(CLOSURE_REASONS),
  incident: cumulative(INCIDENT_TYPES),
  incidentPlace: cumulative(INCIDENT_PLACES),
  session: cumulative(SESSION_KINDS),
};


/** Provinces for every region, organisations and accounts. Returns the counselling units. */
export async function generateReference(db: pg.Pool, rng: Rng, passwordHash: string): Promise<Unit[]> {
  const places = (await db.query(`SELECT id, code, level, parent_id FROM place`)).rows as Array<{ id: string; code: string; level: string; parent_id: string | null }>;
  const byCode = new Map(places.map((p) => [p.code, p]));
  for (const [regionCode, provinces] of Object.entries(EXTRA_PROVINCES)) {
    const region = byCode.get(regionCode);
    if (!region) throw new Error(`region ${regionCode} is not seeded`);
    for (const [code, fr, ar] of provinces) {
      await db.query(
        `INSERT INTO place (code, level, name_fr, name_ar, parent_id) VALUES ($1, 'province', $2, $3, $4) ON CONFLICT (code) DO NOTHING`,
        [code, fr, ar, region.id],
      );
    }
  }
  const all = (await db.query(`SELECT id, code, level, parent_id FROM place`)).rows as typeof places;
  const regions = all.filter((p) => p.level === 'region');
  const provincesOf = (regionId: string) => all.filter((p) => p.level === 'province' && p.parent_id === regionId);

  const orgs: unknown[][] = [];
  const users: unknown[][] = [];
  const services: ServiceSeed[] = [];
  const addOrg = (name: string, type: string, code: string | null, regionId: string | null, provinceId: string | null) => {
    const id = randomUUID();
    orgs.push([id, `${name} ${DATAGEN_MARK}`, type, code, regionId, provinceId]);
    return id;
  };
  const addUser = (email: string, name: string, organisationId: string, role: string) => {
    const id = randomUUID();
    users.push([id, email, name, organisationId, `{${role}}`, rng.pick(['fr', 'ar', 'fr', 'en']), passwordHash]);
    return id;
  };

  const programme = addOrg('Programme — équipe nationale', 'programme', null, byCode.get('MA-02')!.id, null);
  addUser('admin@datagen.tawjih.test', 'Admin (datagen)', programme, 'admin');
  addUser('analyst@datagen.tawjih.test', 'Analyste (datagen)', programme, 'analyst');

  const units: Unit[] = [];
  for (const region of regions) {
    const profile = REGION_PROFILE[region.code];
    if (!profile) continue;
    const provinces = provincesOf(region.id);
    const short = region.code.toLowerCase();
    const coord = addOrg(`Mécanisme régional de coordination ${region.code}`, 'coordination_body', null, region.id, null);
    const coordinatorId = addUser(`coordinator.${short}@datagen.tawjih.test`, `Coordination ${region.code} (datagen)`, coord, 'coordinator');
    const providers: Unit['providers'] = [];
    const [lat, lon] = REGION_CENTRE[region.code] ?? [33.6, -7.6];
    provinces.forEach((province, pi) => {
      for (const kind of PROVIDER_KINDS) {
        if (kind.perProvince < 1 && pi % 2 === 1) continue;
        const id = addOrg(`${kind.label}, ${province.code}`, 'service_provider', null, region.id, province.id);
        services.push(serviceOf(rng, kind, id, region.id, province.id, `${kind.label}, ${province.code}`, lat + rng.next() - 0.5, lon + rng.next() - 0.5));
        const userId = addUser(`provider.${kind.kind}.${province.code.toLowerCase()}@datagen.tawjih.test`, `Point focal ${kind.kind} ${province.code}`, id, 'provider');
        providers.push({ id, categories: kind.categories, userId });
      }
    });
    for (let u = 0; u < profile.units; u++) {
      const province = provinces[u % provinces.length]!;
      // Unit codes are 2–6 capital letters (the organisations API's rule): province letters + A, B, …
      const code = `${province.code.slice(3)}${'ABCDEF'[Math.floor(u / provinces.length)]}`;
      const id = addOrg(`Unité d'écoute ${code}`, 'counselling_unit', code, region.id, province.id);
      const lc = code.toLowerCase();
      addUser(`supervisor.${lc}@datagen.tawjih.test`, `Superviseur·e ${code}`, id, 'supervisor');
      const counsellors: string[] = [];
      const n = 4 + Math.round(profile.weight / profile.units / 2);
      for (let c = 1; c <= n; c++) counsellors.push(addUser(`counsellor${c}.${lc}@datagen.tawjih.test`, `Conseiller·e ${c} ${code}`, id, 'counsellor'));
      units.push({
        id,
        code,
        regionCode: region.code,
        regionId: region.id,
        provinceId: province.id,
        regionProvinceIds: provinces.map((p) => p.id),
        counsellors,
        providers,
        coordinationId: coord,
        coordinatorId,
      });
    }
  }
  await insertMany(db, 'organisation', ['id', 'name', 'type', 'code', 'region_id', 'province_id'], orgs);
  await insertMany(db, 'app_user', ['id', 'email', 'display_name', 'organisation_id', 'roles', 'language', 'password_hash'], users, {
    status: `'active'`,
  });
  if ((await db.query(`SELECT to_regclass('service') IS NOT NULL AS ok`)).rows[0].ok) {
    await insertServices(db, services);
    // Referrals point at the provider's service and its one service-at-location.
    const rows = (await db.query(`SELECT s.organisation_id AS org, s.id AS service, sal.id AS sal FROM service s JOIN service_at_location sal ON sal.service_id = s.id`)).rows as Array<{
      org: string;
      service: string;
      sal: string;
    }>;
    const byOrg = new Map(rows.map((r) => [r.org, r]));
    for (const p of new Set(units.flatMap((u) => u.providers))) {
      const found = byOrg.get(p.id);
      if (found) Object.assign(p, { serviceId: found.service, salId: found.sal });
    }
  }
  return units;
}

interface ServiceSeed {
  org: string;
  region: string;
  prov: string;
  fr: string;
  cats: string[];
  pops: string[];
  tier: string;
  cap: string;
  free: boolean;
  nodocs: boolean;
  interp: boolean;
  lat: number;
  lon: number;
  langs: string[];
}

/** One directory service per provider, at one location, with its languages and opening hours. */
function serviceOf(rng: Rng, kind: (typeof PROVIDER_KINDS)[number], org: string, region: string, prov: string, name: string, lat: number, lon: number): ServiceSeed {
  const pops = ['migrants', 'women', 'children', 'survivors', 'refugees'].filter(() => rng.chance(0.5));
  return {
    org,
    region,
    prov,
    fr: name,
    cats: kind.categories,
    pops: pops.length ? pops : ['migrants'],
    tier: rng.chance(0.8) ? 'public' : rng.chance(0.5) ? 'partners' : 'restricted',
    cap: rng.chance(0.75) ? 'accepting' : rng.chance(0.6) ? 'waiting_list' : 'not_accepting',
    free: rng.chance(0.75),
    nodocs: rng.chance(0.55),
    interp: rng.chance(0.3),
    lat,
    lon,
    langs: ['ar', 'ary', 'fr', ...(rng.chance(0.4) ? ['en'] : []), ...(rng.chance(0.2) ? ['es'] : [])],
  };
}

async function insertServices(db: pg.Pool, services: ServiceSeed[]): Promise<void> {
  for (let i = 0; i < services.length; i += 200) {
    await db.query(
      `WITH input AS (SELECT * FROM json_to_recordset($1::json) AS x(org uuid, prov uuid, region uuid, fr text, cats varchar[], pops varchar[], tier service_tier, cap capacity_status,
                                                                     free bool, nodocs bool, interp bool, lat float8, lon float8, langs varchar[])),
       svc AS (INSERT INTO service (organisation_id, province_id, region_id, name_fr, categories, populations, tier, capacity_status, free_of_charge, no_documents_required, interpreter_available, assured_date)
               SELECT org, prov, region, fr, cats, pops, tier, cap, free, nodocs, interp, current_date - (random() * 200)::int FROM input RETURNING id, name_fr),
       joined AS (SELECT svc.id, input.* FROM svc JOIN input ON input.fr = svc.name_fr),
       loc AS (INSERT INTO location (organisation_id, address_id, name, city, province_id, latitude, longitude)
               SELECT org, gen_random_uuid(), fr, 'Ville', prov, lat, lon FROM joined RETURNING id, name),
       sal AS (INSERT INTO service_at_location (service_id, location_id) SELECT joined.id, loc.id FROM joined JOIN loc ON loc.name = joined.fr),
       lng AS (INSERT INTO service_language (service_id, code) SELECT id, unnest(langs) FROM joined)
       INSERT INTO service_schedule (service_id, byday, opens_at, closes_at) SELECT id, ARRAY['MO', 'TU', 'WE', 'TH', 'FR']::varchar[], '08:30', '16:30' FROM joined`,
      [JSON.stringify(services.slice(i, i + 200))],
    );
  }
}

async function insertMany(db: pg.Pool, table: string, columns: string[], rows: unknown[][], constants: Record<string, string> = {}) {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const params: unknown[] = [];
    const values = chunk.map((r) => `(${r.map((v) => `$${params.push(v)}`).concat(Object.values(constants)).join(', ')})`);
    await db.query(`INSERT INTO ${table} (${columns.concat(Object.keys(constants)).join(', ')}) VALUES ${values.join(', ')}`, params);
  }
}

const TABLES = {
  person: ['id', 'unit_id', 'sex', 'birth_date', 'age_band', 'nationality', 'population_group', 'province_id', 'disability', 'languages', 'created_at', 'updated_at'],
  person_identity: ['person_id', 'given_name_enc', 'family_name_enc', 'phone_enc', 'address_enc', 'document_type', 'document_number_enc', 'phone_bi', 'document_bi', 'name_birth_bi', 'updated_at'],
  case_file: ['id', 'code', 'unit_id', 'person_id', 'assigned_counsellor_id', 'status', 'risk_level', 'closure_reason', 'closed_at', 'reopen_reason', 'reopened_at', 'version', 'created_at', 'updated_at'],
  case_need: ['id', 'case_id', 'category', 'status', 'recorded_by_id', 'closed_at', 'created_at', 'updated_at'],
  consent: ['id', 'case_id', 'given_by', 'given_at', 'method', 'categories', 'fields', 'recorded_by_id', 'withdrawn_at', 'withdrawn_by_id', 'created_at'],
  incident: ['id', 'case_id', 'type', 'incident_date', 'place_type', 'time_elapsed', 'reported_at', 'description_enc', 'recorded_by_id', 'created_at'],
  case_session: ['id', 'case_id', 'session_date', 'kind', 'duration_minutes', 'author_id', 'note_enc', 'created_at'],
  delivery: ['id', 'person_id', 'case_id', 'unit_id', 'category', 'service_id', 'provider_organisation_id', 'delivered_on', 'outcome', 'referral_id', 'recorded_by_id', 'created_at'],
  follow_up_task: ['id', 'case_id', 'due_date', 'assigned_to_id', 'description_enc', 'status', 'completed_at', 'created_by_id', 'created_at', 'updated_at'],
  referral: [
    'id', 'reference', 'case_id', 'need_id', 'category', 'service_id', 'service_at_location_id', 'unit_id', 'provider_organisation_id', 'referred_by_id',
    'priority', 'status', 'version', 'shared_fields', 'note_enc', 'consent_id', 'sent_at', 'response_due_at', 'answered_at', 'started_at', 'closed_at',
    'appointment_at', 'reason_code', 'reason_text_enc', 'outcome_code', 'previous_referral_id', 'reminded_at', 'escalated_at', 'created_at', 'updated_at',
  ],
  referral_event: ['id', 'referral_id', 'actor_id', 'action', 'from_status', 'to_status', 'reason_code', 'reason_text_enc', 'outcome_code', 'at'],
  activity: ['id', 'kind', 'topic', 'held_on', 'place_id', 'region_id', 'province_id', 'organiser_organisation_id', 'created_by_id', 'created_at', 'updated_at'],
  activity_participation: ['id', 'activity_id', 'organisation_type', 'sex', 'count'],
} as const;
export const BULK_TABLES = Object.keys(TABLES);

function timeElapsed(days: number): string {
  if (days <= 3) return '0_3_days';
  if (days <= 5) return '4_5_days';
  if (days <= 14) return '6_14_days';
  if (days <= 31) return '2_weeks_1_month';
  return 'over_1_month';
}

/** Persons, identities, cases, needs, consents, incidents, sessions, deliveries and tasks by COPY. */
export async function generatePersons(db: pg.Pool, units: Unit[], rng: Rng, o: GenerateOptions): Promise<GenerateResult> {
  const codec = new IdentityCodec(o.cipher);
  const enc = new BulkEncryptor(o.cipher);
  const pool = <T extends string>(xs: readonly T[]) => new Map(xs.map((x) => [x, o.cipher.encrypt(x)]));
  // Values many persons share are encrypted once; values that identify one person (phone, document) each time.
  const givenEnc = pool([...GIVEN_NAMES.female, ...GIVEN_NAMES.male]);
  const familyEnc = pool(FAMILY_NAMES);
  const addressEnc = [...Array(200)].map((_, i) => o.cipher.encrypt(`${i + 1} ${STREETS[i % STREETS.length]}`));
  const noteEnc = [...Array(60)].map((_, i) => o.cipher.encrypt(`${NOTES[i % NOTES.length]} (${i})`));

  const clients: pg.PoolClient[] = [];
  const out = {} as Record<keyof typeof TABLES, CopyTable>;
  for (const [table, columns] of Object.entries(TABLES)) {
    const client = await db.connect();
    clients.push(client);
    await client.query(`SET synchronous_commit = off`);
    // The tables are empty and their foreign keys dropped (see datagen.cli.ts): truncating them in
    // the loading transaction lets COPY write frozen rows.
    await client.query('BEGIN');
    await client.query(`TRUNCATE ${table}`);
    out[table as keyof typeof TABLES] = new CopyTable(client, table, columns, true);
  }

  const unitWeights = cumulative(units.map((u) => [u, REGION_PROFILE[u.regionCode]!.weight / units.filter((x) => x.regionCode === u.regionCode).length] as [Unit, number]));
  const perUnit = new Map(units.map((u) => [u.id, 0]));
  const counters = new Map<string, number>();
  const now = Date.now();
  const start = now - o.years * 365.25 * DAY;
  const span = now - start;
  const referrals = new ReferralWriter(rng, out, noteEnc, W.employment);

  try {
    for (let i = 0; i < o.persons; i++) {
      // Chronological, denser in recent years (the programme grows): case numbers follow time.
      const created = Math.floor(start + span * Math.sqrt((i + rng.next()) / o.persons));
      const unit = rng.weighted(unitWeights);
      perUnit.set(unit.id, perUnit.get(unit.id)! + 1);
      const counsellor = rng.pick(unit.counsellors);
      const group = rng.weighted(W.population);
      const foreign = group === 'migrant' || group === 'refugee_asylum_seeker';
      const nationality = rng.chance(0.02) ? null : foreign ? rng.weighted(W.foreign) : 'MA';
      const femaleShare = group === 'migrant' ? 0.4 : group === 'refugee_asylum_seeker' ? 0.48 : 0.65;
      const r = rng.next();
      const sex = r < femaleShare ? 'female' : r < 0.985 ? 'male' : rng.chance(0.5) ? 'other' : 'unknown';
      const ar = rng.next();
      const age = ar < 0.12 ? rng.int(6, 17) : ar < 0.42 ? rng.int(18, 24) : ar < 0.97 ? rng.int(25, 59) : rng.int(60, 75);
      const birth = created - age * 365.25 * DAY - rng.int(0, 364) * DAY;
      const birthDate = rng.chance(0.85) ? day(birth) : null;
      const ageBand = birthDate ? ageBandAt(birthDate, new Date(created)) : age < 18 ? '0-17' : age < 25 ? '18-24' : age < 60 ? '25-59' : '60+';
      const provinceId = rng.chance(0.7) ? unit.provinceId : rng.pick(unit.regionProvinceIds);
      const languages = [...(LANGUAGES_OF[nationality ?? 'MA'] ?? ['other'])];
      if (foreign && rng.chance(0.25)) languages.push('ary');
      const disability = rng.chance(0.04) ? 'true' : rng.chance(0.7) ? 'false' : null;
      const personId = randomUUID();
      const createdAt = iso(created);
      out.person.push(
        [personId, unit.id, sex, t(birthDate), ageBand, t(nationality), group, provinceId, t(disability), arr(languages), createdAt, createdAt].join('\t'),
      );

      // Identity: encrypted fields and the blind indexes the duplicate check uses.
      const given = rng.pick(sex === 'female' ? GIVEN_NAMES.female : sex === 'male' ? GIVEN_NAMES.male : rng.chance(0.5) ? GIVEN_NAMES.female : GIVEN_NAMES.male);
      const family = rng.chance(0.85) ? rng.pick(FAMILY_NAMES) : null;
      const phone = rng.chance(0.65) ? `+2126${String(rng.int(0, 99_999_999)).padStart(8, '0')}` : null;
      const docType = rng.chance(0.4)
        ? group === 'refugee_asylum_seeker'
          ? rng.pick(['asylum_seeker_certificate', 'refugee_card'])
          : foreign
            ? rng.pick(['passport', 'passport', 'residence_card', 'other'])
            : 'national_id'
        : null;
      const docNumber = docType ? `${String.fromCharCode(65 + rng.int(0, 25), 65 + rng.int(0, 25))}${rng.int(100_000, 9_999_999)}` : null;
      const ix = codec.indexes({ givenName: given, familyName: family, phone, documentNumber: docNumber }, birthDate);
      out.person_identity.push(
        [
          personId,
          givenEnc.get(given)!,
          t(family ? familyEnc.get(family) : null),
          t(enc.encrypt(phone)),
          t(rng.chance(0.3) ? rng.pick(addressEnc) : null),
          t(docType),
          t(enc.encrypt(docNumber)),
          t(ix.phoneBi),
          t(ix.documentBi),
          t(ix.nameBirthBi),
          createdAt,
        ].join('\t'),
      );

      // The case: status follows its age; numbers per unit and year, in order.
      const caseId = randomUUID();
      const year = new Date(created).getUTCFullYear();
      const counterKey = `${unit.id}|${year}`;
      const number = (counters.get(counterKey) ?? 0) + 1;
      counters.set(counterKey, number);
      const ageDays = (now - created) / DAY;
      const cr = rng.next();
      let status = ageDays > 180 ? (cr < 0.9 ? 'closed' : 'active') : ageDays > 60 ? (cr < 0.5 ? 'closed' : 'active') : cr < 0.4 ? 'open' : cr < 0.9 ? 'active' : 'closed';
      const end = Math.min(now - 60_000, created + rng.int(10, 200) * DAY);
      const closedAt = status === 'closed' ? end : null;
      const reopened = status !== 'closed' && ageDays > 120 && rng.chance(0.05);
      const reopenedAt = reopened ? created + rng.int(60, Math.max(61, Math.floor(ageDays) - 1)) * DAY : null;
      const risk = rng.next() < 0.55 ? 'low' : rng.next() < 0.75 ? 'medium' : 'high';
      const updated = closedAt ?? reopenedAt ?? created + rng.int(0, 30) * DAY;
      out.case_file.push(
        [
          caseId,
          `${unit.code}-${year}-${String(number).padStart(5, '0')}`,
          unit.id,
          personId,
          counsellor,
          status,
          risk,
          t(closedAt ? rng.weighted(W.closure) : null),
          t(closedAt ? iso(closedAt) : null),
          t(reopened ? rng.pick(['new_need', 'situation_changed', 'returned']) : null),
          t(reopenedAt ? iso(reopenedAt) : null),
          rng.int(1, 6),
          createdAt,
          iso(Math.min(now, updated)),
        ].join('\t'),
      );
      const activityEnd = closedAt ?? Math.min(now - 60_000, end);
      const within = () => created + Math.floor(rng.next() * Math.max(1, activityEnd - created));

      // Incident (survivors of violence), recorded at intake.
      let rapeRecent = false;
      if (rng.chance(sex === 'female' ? 0.35 : 0.08)) {
        const type = rng.weighted(W.incident);
        const daysBefore = rng.chance(0.18) ? rng.int(0, 3) : rng.chance(0.1) ? rng.int(4, 5) : rng.chance(0.2) ? rng.int(6, 14) : rng.chance(0.25) ? rng.int(15, 31) : rng.int(32, 700);
        rapeRecent = type === 'rape' && daysBefore <= 3;
        out.incident.push(
          [
            randomUUID(),
            caseId,
            type,
            t(rng.chance(0.85) ? day(created - daysBefore * DAY) : null),
            rng.weighted(W.incidentPlace),
            timeElapsed(daysBefore),
            createdAt,
            t(rng.chance(0.4) ? rng.pick(noteEnc) : null),
            counsellor,
            createdAt,
          ].join('\t'),
        );
      }

      // Needs: one to three categories; what became of them follows the case.
      const needs = new Set<Category>();
      const k = 1 + (rng.chance(0.45) ? 1 : 0) + (rng.chance(0.15) ? 1 : 0);
      while (needs.size < k) needs.add(rng.weighted(W.needs));
      if (age < 18 && rng.chance(0.3)) needs.add('child_protection');
      if (rapeRecent) needs.add('clinical_management_of_rape');
      const caseNeeds: Array<{ id: string; category: Category; status: 'open' | 'met' | 'unmet' | 'withdrawn'; closedAt: number | null }> = [];
      for (const category of needs) {
        const ns = status === 'closed' ? (rng.chance(0.7) ? 'met' : rng.chance(0.67) ? 'unmet' : 'withdrawn') : rng.chance(0.25) ? 'met' : 'open';
        const needClosedAt = ns === 'open' ? null : (closedAt ?? within());
        const needId = randomUUID();
        caseNeeds.push({ id: needId, category, status: ns, closedAt: needClosedAt });
        const needClosed = needClosedAt === null ? null : iso(needClosedAt);
        out.case_need.push([needId, caseId, category, ns, counsellor, t(needClosed), createdAt, needClosed ?? createdAt].join('\t'));
      }

      // Consent, most of the time, covering the needs; guardians consent for children.
      let consentId: string | null = null;
      const consentFields = ['age_band', 'sex', 'nationality', 'languages', 'population_group', 'needs_summary'];
      if (rng.chance(0.92)) {
        if (rng.chance(0.6)) consentFields.push('phone');
        if (rng.chance(0.5)) consentFields.push('name');
        if (rapeRecent && rng.chance(0.6)) consentFields.push('incident_summary');
        const withdrawn = rng.chance(0.02) ? within() : null;
        consentId = randomUUID();
        out.consent.push(
          [
            consentId,
            caseId,
            age < 18 ? 'guardian' : 'person',
            iso(created + 5 * 60_000),
            rng.chance(0.7) ? 'written' : 'verbal',
            arr([...needs]),
            arr(consentFields),
            counsellor,
            t(withdrawn ? iso(withdrawn) : null),
            t(withdrawn ? counsellor : null),
            iso(created + 5 * 60_000),
          ].join('\t'),
        );
      }

      // Referrals of the needs to the region's providers (the unit itself answers a third of the MHPSS needs);
      // a need met through a completed referral gets that referral's delivery, the others one as before.
      for (const need of caseNeeds) {
        const completed =
          need.category === 'mhpss' && rng.chance(0.35)
            ? null
            : referrals.chain({
                now,
                unitId: unit.id,
                unitCode: unit.code,
                providers: unit.providers,
                counsellor,
                caseId,
                needId: need.id,
                category: need.category,
                needStatus: need.status,
                consentId,
                consentFields,
                created,
                end: need.closedAt ?? now - 60_000,
              });
        if (need.status !== 'met') continue;
        const category = need.category;
        const outcome = category === 'employment_business' ? rng.weighted(W.employment) : rng.chance(0.85) ? 'service_provided' : 'partially_provided';
        if (completed) {
          const at = iso(completed.closedAt);
          out.delivery.push(
            [randomUUID(), personId, caseId, unit.id, category, completed.serviceId, completed.providerId, day(completed.closedAt), completed.outcome, completed.referralId, completed.providerUserId, at].join('\t'),
          );
          continue;
        }
        const able = unit.providers.filter((p) => p.categories.includes(category));
        const provider = able.length ? rng.pick(able).id : category === 'mhpss' || !unit.providers.length ? unit.id : rng.pick(unit.providers).id;
        const at = within();
        out.delivery.push([randomUUID(), personId, caseId, unit.id, category, '\\N', provider, day(at), outcome, '\\N', counsellor, iso(at)].join('\t'));
      }

      // Sessions; a psychosocial session is often also a delivery by the unit itself.
      const sessions = rng.weighted(SESSIONS_PER_CASE);
      for (let s = 0; s < sessions; s++) {
        const at = within();
        const kind = rng.weighted(W.session);
        out.case_session.push(
          [randomUUID(), caseId, day(at), kind, rng.int(2, 12) * 10, counsellor, t(rng.chance(0.8) ? rng.pick(noteEnc) : null), iso(at)].join('\t'),
        );
        if (kind === 'psychosocial' && rng.chance(0.7)) {
          out.delivery.push([randomUUID(), personId, caseId, unit.id, 'mhpss', '\\N', unit.id, day(at), 'service_provided', '\\N', counsellor, iso(at)].join('\t'));
        }
      }

      // A follow-up task on some cases.
      if (rng.chance(status === 'closed' ? 0.3 : 0.4)) {
        const at = within();
        const done = status === 'closed' || rng.chance(0.3);
        out.follow_up_task.push(
          [randomUUID(), caseId, day(at + 7 * DAY), counsellor, t(rng.pick(noteEnc)), done ? 'done' : 'open', t(done ? iso(Math.min(now, at + 6 * DAY)) : null), counsellor, iso(at), iso(at)].join(
            '\t',
          ),
        );
      }

      if (i % 2000 === 1999) {
        await Promise.all(Object.values(out).map((c) => c.flush()));
        o.progress?.(i + 1);
      }
    }
    // Activities: about one per 200 persons, spread over the regions and years.
    const regions = new Map<string, ActivityRegion>();
    for (const u of units) regions.set(u.regionId, { regionId: u.regionId, provinceIds: u.regionProvinceIds, coordinationId: u.coordinationId, coordinatorId: u.coordinatorId });
    writeActivities(rng, out, [...regions.values()], Math.max(60, Math.round(o.persons / 200)), start, now);
    await Promise.all(Object.values(out).map((c) => c.end()));
    await Promise.all(clients.map((c) => c.query('COMMIT')));
    o.progress?.(o.persons);
  } finally {
    for (const c of clients) c.release(true);
  }

  // The case-code counters continue where the generated numbers stop.
  const counterRows = [...counters].map(([key, n]) => {
    const [unitId, year] = key.split('|');
    return [unitId, Number(year), n];
  });
  await insertMany(db, 'case_code_counter', ['unit_id', 'year', 'last_number'], counterRows);
  await insertMany(db, 'referral_counter', ['unit_id', 'year', 'last_number'], referrals.counterRows());
  return {
    rows: Object.fromEntries(Object.entries(out).map(([k, c]) => [k, c.rows])),
    units: units.map((u) => ({ id: u.id, code: u.code, persons: perUnit.get(u.id)! })),
  };
}

const SESSIONS_PER_CASE = cumulative<number>([
  [0, 20],
  [1, 30],
  [2, 25],
  [3, 15],
  [4, 10],
]);
