import { PROGRAMME_TIME_ZONE } from '../vocabulary/index.js';
import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { SqlScope } from '../authorization/scope.js';
import type { Page } from '../common/pagination.js';
import { keysetPage } from '../common/keyset.js';
import { TransactionHost } from '../database/transaction.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { Place } from '../places/place.entity.js';
import {
  Contact,
  CostOption,
  DirectoryOrganisation,
  FocalPoint,
  Location,
  Phone,
  RequiredDocument,
  Schedule,
  Service,
  ServiceArea,
  ServiceAtLocation,
  ServiceCapacity,
  ServiceLanguage,
  ServiceResponseStats,
} from './directory.entity.js';

/** Condition fields of the Service subject (ability.factory.ts) → columns (alias `s`). */
export const SERVICE_SCOPE_COLUMNS = { organisationId: 's.organisation_id', regionId: 's.region_id', tier: 's.tier' };

/** What a referral needs of a service (alias `s`): one row of `ReferralTargetRow`. */
const REFERRAL_TARGET_COLUMNS = `s.id, s.organisation_id, s.region_id, s.province_id, s.name_fr, s.name_ar, s.name_en, s.categories, s.status, s.tier, s.capacity_status,
  s.response_hours_emergency, s.response_hours_urgent, s.response_hours_routine,
  coalesce((SELECT json_agg(json_build_object('id', f.id, 'userId', f.user_id, 'email', f.email, 'name', f.name, 'language', f.language,
                                              'accountEmail', (SELECT u.email FROM app_user u WHERE u.id = f.user_id AND u.status <> 'disabled')) ORDER BY f.id)
              FROM focal_point f WHERE f.service_id = s.id), '[]') AS focal_points,
  coalesce((SELECT json_agg(json_build_object('id', sal.id, 'locationId', sal.location_id) ORDER BY sal.created_at, sal.id)
              FROM service_at_location sal WHERE sal.service_id = s.id), '[]') AS service_at_locations`;

/** A service's response figures replace the ones it had (as TypeORM's upsert wrote them). */
const RESPONSE_STATS_UPSERT = `ON CONFLICT (service_id) DO UPDATE SET median_response_hours = EXCLUDED.median_response_hours, sample_size = EXCLUDED.sample_size, updated_at = EXCLUDED.updated_at`;

/** A row of `referralTargets` (snake_case, as PostgreSQL returns it). */
export interface ReferralTargetRow {
  id: string;
  organisation_id: string;
  region_id: string | null;
  province_id: string | null;
  name_fr: string | null;
  name_ar: string | null;
  name_en: string | null;
  categories: string[];
  status: Service['status'];
  tier: Service['tier'];
  capacity_status: Service['capacityStatus'];
  response_hours_emergency: number | null;
  response_hours_urgent: number | null;
  response_hours_routine: number | null;
  focal_points: Array<{ id: string; userId: string | null; email: string | null; name: string | null; language: FocalPoint['language']; accountEmail: string | null }>;
  service_at_locations: Array<{ id: string; locationId: string }>;
}

/** A row of `suggestionCards`. */
export interface SuggestionCardRow {
  id: string;
  name_fr: string | null;
  name_ar: string | null;
  name_en: string | null;
  organisation_id: string;
  organisation_name: string;
  organisation_name_ar: string | null;
  province_code: string | null;
  categories: string[];
  capacity_status: Service['capacityStatus'];
  free_of_charge: boolean;
  no_documents_required: boolean;
  interpreter_available: boolean;
  sal_ids: string[];
  /** Each location's city, in the order of `sal_ids`. */
  /** Each location's city, in French and Arabic (in the order of sal_ids). */
  cities: Array<{ fr: string | null; ar: string | null }>;
  languages: string[];
  /** Today's opening hours in Morocco ("08:30–16:30"); empty when closed today. */
  hours_today: string[];
  /** Whether the service publishes any hours at all (else "hours unknown", not "closed today"). */
  has_hours: boolean;
  median_response_hours: number | null;
}

export interface LocatedAt extends Location {
  serviceAtLocationId: string;
  serviceAtLocationDescription: string | null;
}

/** A service with everything HSDS nests in it. */
export interface ServiceGraph {
  service: Service;
  organisation: Organisation;
  profile: DirectoryOrganisation | null;
  locations: LocatedAt[];
  phones: Phone[];
  contacts: Contact[];
  schedules: Schedule[];
  languages: ServiceLanguage[];
  costOptions: CostOption[];
  requiredDocuments: RequiredDocument[];
  serviceAreas: ServiceArea[];
  capacities: ServiceCapacity[];
  focalPoints: FocalPoint[];
  places: Map<string, Place>;
}

/** Lists of parts a write may replace, keyed as in the update DTO. */
export interface ServiceParts {
  phones?: Partial<Phone>[];
  contacts?: Partial<Contact>[];
  schedules?: Partial<Schedule>[];
  languages?: Partial<ServiceLanguage>[];
  costOptions?: Partial<CostOption>[];
  requiredDocuments?: Partial<RequiredDocument>[];
  serviceAreas?: Partial<ServiceArea>[];
  capacities?: Partial<ServiceCapacity>[];
  focalPoints?: Partial<FocalPoint>[];
}

const PART_ENTITIES = {
  phones: Phone,
  contacts: Contact,
  schedules: Schedule,
  languages: ServiceLanguage,
  costOptions: CostOption,
  requiredDocuments: RequiredDocument,
  serviceAreas: ServiceArea,
  capacities: ServiceCapacity,
  focalPoints: FocalPoint,
} as const;

@Injectable()
export class DirectoryRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get m() {
    return this.tx.manager;
  }

  /** Reads that tolerate lag: the replica inside @LagTolerant() routes (HSDS, the public directory), else the primary. */
  private get r() {
    return this.tx.reader;
  }

  // ---- reads -------------------------------------------------------------------------------

  findInScope(scope: SqlScope, id: string): Promise<Service | null> {
    return this.r.createQueryBuilder(Service, 's').where('s.id = :id', { id }).andWhere(scope.sql, scope.params).getOne();
  }

  findById(id: string): Promise<Service | null> {
    return this.r.findOneBy(Service, { id });
  }

  listInScope(scope: SqlScope, q: { organisationId?: string; cursor?: string; limit?: number }): Promise<Page<Service>> {
    const qb = this.r.createQueryBuilder(Service, 's').where(scope.sql, scope.params);
    if (q.organisationId) qb.andWhere('s.organisation_id = :org', { org: q.organisationId });
    return keysetPage(qb, 's', q);
  }

  /** Whole services in the order of `ids`. */
  async loadGraphs(ids: string[]): Promise<ServiceGraph[]> {
    if (!ids.length) return [];
    const m = this.r;
    const services = await m.findBy(Service, { id: In(ids) });
    const orgIds = [...new Set(services.map((s) => s.organisationId))];
    const by = <T extends { serviceId: string }>(rows: T[]) => {
      const map = new Map<string, T[]>();
      for (const r of rows) map.set(r.serviceId, [...(map.get(r.serviceId) ?? []), r]);
      return map;
    };
    const part = <T extends { serviceId: string }>(cls: new () => T) =>
      m.find(cls, { where: { serviceId: In(ids) } as never, order: { id: 'ASC' } as never }).then(by);
    const [orgs, profiles, sals, phones, contacts, schedules, languages, costs, docs, areas, capacities, focal] = await this.tx.all([
      () => m.findBy(Organisation, { id: In(orgIds) }),
      () => m.findBy(DirectoryOrganisation, { organisationId: In(orgIds) }),
      () =>
        m
          .createQueryBuilder(ServiceAtLocation, 'sal')
          .innerJoinAndSelect('sal.location', 'l')
          .where('sal.service_id IN (:...ids)', { ids })
          .orderBy('sal.created_at')
          .addOrderBy('sal.id')
          .getMany(),
      () => part(Phone),
      () => part(Contact),
      () => part(Schedule),
      () => part(ServiceLanguage),
      () => part(CostOption),
      () => part(RequiredDocument),
      () => part(ServiceArea),
      () => part(ServiceCapacity),
      // A user focal point carries its user's e-mail too: an export read by another system (or imported into another database) still reaches someone.
      () =>
        m
          .find(FocalPoint, {
            where: { serviceId: In(ids) },
            relations: { user: true },
            select: { id: true, serviceId: true, userId: true, email: true, name: true, language: true, user: { id: true, email: true } },
            order: { id: 'ASC' },
          })
          .then((rows: FocalPoint[]) => by(rows)) as Promise<Map<string, FocalPoint[]>>,
    ]);
    const placeIds = new Set<string>();
    for (const s of services) if (s.provinceId) placeIds.add(s.provinceId);
    for (const sal of sals) if (sal.location?.provinceId) placeIds.add(sal.location.provinceId);
    for (const list of areas.values()) for (const a of list) if (a.placeId) placeIds.add(a.placeId);
    const places = new Map((placeIds.size ? await m.findBy(Place, { id: In([...placeIds]) }) : []).map((p) => [p.id, p]));
    const orgById = new Map(orgs.map((o) => [o.id, o]));
    const profileById = new Map(profiles.map((p) => [p.organisationId, p]));
    const locs = new Map<string, LocatedAt[]>();
    for (const sal of sals) {
      const l: LocatedAt = { ...sal.location!, serviceAtLocationId: sal.id, serviceAtLocationDescription: sal.description };
      locs.set(sal.serviceId, [...(locs.get(sal.serviceId) ?? []), l]);
    }
    const byId = new Map(services.map((s) => [s.id, s]));
    return ids
      .filter((id) => byId.has(id))
      .map((id) => {
        const service = byId.get(id)!;
        return {
          service,
          organisation: orgById.get(service.organisationId)!,
          profile: profileById.get(service.organisationId) ?? null,
          locations: locs.get(id) ?? [],
          phones: phones.get(id) ?? [],
          contacts: contacts.get(id) ?? [],
          schedules: schedules.get(id) ?? [],
          languages: languages.get(id) ?? [],
          costOptions: costs.get(id) ?? [],
          requiredDocuments: docs.get(id) ?? [],
          serviceAreas: areas.get(id) ?? [],
          capacities: capacities.get(id) ?? [],
          focalPoints: focal.get(id) ?? [],
          places,
        };
      });
  }

  /**
   * What referrals need of services, in one statement (ids in no particular order): the service's
   * own columns, its focal points and its places of delivery — not the whole graph.
   */
  async referralTargets(ids: string[]): Promise<ReferralTargetRow[]> {
    if (!ids.length) return [];
    // Every referral read makes it (a page's services, one referral's): prepared, where `reader` reads (issue #18).
    return this.tx.readerPrepared<ReferralTargetRow>('directory.referral_targets', `SELECT ${REFERRAL_TARGET_COLUMNS} FROM service s WHERE s.id = ANY($1::uuid[])`, [ids]);
  }

  /**
   * The service offered at a service-at-location, if it is in `scope`: what `referralTargets` reads of
   * it, in one prepared statement (every referral made reads it: issue #18), where `reader` reads.
   */
  async referralTargetAt(scope: SqlScope, serviceAtLocationId: string): Promise<ReferralTargetRow | null> {
    const rows = await this.tx.readerPreparedNamed<ReferralTargetRow>(
      'directory.referral_target_at',
      `SELECT ${REFERRAL_TARGET_COLUMNS} FROM service s
        WHERE s.id = (SELECT sal.service_id FROM service_at_location sal WHERE sal.id = :serviceAtLocationId) AND (${scope.sql})`,
      { ...scope.params, serviceAtLocationId },
    );
    return rows[0] ?? null;
  }

  /** What a suggestion shows of each service, in one statement (ids in no particular order). */
  async suggestionCards(ids: string[]): Promise<SuggestionCardRow[]> {
    if (!ids.length) return [];
    // Every suggestion request reads them: prepared, where `reader` reads (issue #18).
    return this.tx.readerPrepared<SuggestionCardRow>(
      'directory.suggestion_cards',
      `SELECT s.id, s.name_fr, s.name_ar, s.name_en, s.organisation_id, o.name AS organisation_name, o.name_ar AS organisation_name_ar, p.code AS province_code, s.categories, s.capacity_status,
              s.free_of_charge, s.no_documents_required, s.interpreter_available,
              coalesce((SELECT array_agg(sal.id::text ORDER BY sal.created_at, sal.id) FROM service_at_location sal JOIN location l ON l.id = sal.location_id WHERE sal.service_id = s.id), '{}') AS sal_ids,
              coalesce((SELECT json_agg(json_build_object('fr', l.city, 'ar', l.city_ar) ORDER BY sal.created_at, sal.id) FROM service_at_location sal JOIN location l ON l.id = sal.location_id WHERE sal.service_id = s.id), '[]') AS cities,
              coalesce((SELECT array_agg(sl.code ORDER BY sl.id) FROM service_language sl WHERE sl.service_id = s.id), '{}') AS languages,
              coalesce((SELECT array_agg(to_char(sc.opens_at, 'HH24:MI') || '–' || to_char(sc.closes_at, 'HH24:MI') ORDER BY sc.opens_at)
                          FROM service_schedule sc, LATERAL (SELECT (now() AT TIME ZONE '${PROGRAMME_TIME_ZONE}') AS t) loc
                         WHERE sc.service_id = s.id
                           AND (ARRAY['MO','TU','WE','TH','FR','SA','SU'])[extract(isodow FROM loc.t)::int] = ANY (sc.byday)
                           AND (sc.valid_from IS NULL OR sc.valid_from <= loc.t::date) AND (sc.valid_to IS NULL OR sc.valid_to >= loc.t::date)), '{}') AS hours_today,
              EXISTS (SELECT 1 FROM service_schedule sh WHERE sh.service_id = s.id) AS has_hours,
              rs.median_response_hours::float8 AS median_response_hours
         FROM service s JOIN organisation o ON o.id = s.organisation_id LEFT JOIN place p ON p.id = s.province_id
         LEFT JOIN service_response_stats rs ON rs.service_id = s.id
        WHERE s.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  findLocations(ids: string[]): Promise<Location[]> {
    return ids.length ? this.r.findBy(Location, { id: In(ids) }) : Promise.resolve([]);
  }

  findServiceAtLocation(id: string): Promise<ServiceAtLocation | null> {
    return this.r.findOneBy(ServiceAtLocation, { id });
  }

  findFocalPoints(serviceId: string): Promise<FocalPoint[]> {
    return this.m.find(FocalPoint, { where: { serviceId }, order: { id: 'ASC' } });
  }

  /** Users among `ids` that are active members of `organisationId`. */
  async activeMembers(ids: string[], organisationId: string): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: Array<{ id: string }> = await this.m.query(
      `SELECT id FROM app_user WHERE id = ANY($1::uuid[]) AND organisation_id = $2 AND status = 'active'`,
      [ids, organisationId],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * An import's organisation that is not known by id: a service provider of the region whose code
   * is one of `identifiers`, else whose name is `name` (case, accents and Arabic diacritics ignored).
   */
  async findProviderByIdentifierOrName(regionId: string | null, identifiers: string[], name: string | null): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.m.query(
      `SELECT id FROM organisation
        WHERE type = 'service_provider' AND region_id IS NOT DISTINCT FROM $1
          AND (code = ANY($2::text[]) OR directory_fold(name) = directory_fold($3))
        ORDER BY (code = ANY($2::text[])) DESC, created_at, id LIMIT 1`,
      [regionId, identifiers, name ?? ''],
    );
    return rows[0]?.id ?? null;
  }

  /** Which of these user ids exist at all (a focal point exported from another database names users it does not have). */
  async existingUsers(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: Array<{ id: string }> = await this.m.query(`SELECT id FROM app_user WHERE id = ANY($1::uuid[])`, [ids]);
    return new Set(rows.map((r) => r.id));
  }

  findProfile(organisationId: string): Promise<DirectoryOrganisation | null> {
    return this.m.findOneBy(DirectoryOrganisation, { organisationId });
  }

  saveProfile(profile: Partial<DirectoryOrganisation>): Promise<DirectoryOrganisation> {
    return this.m.save(DirectoryOrganisation, this.m.create(DirectoryOrganisation, profile));
  }

  // ---- writes ------------------------------------------------------------------------------

  saveService(row: Partial<Service>): Promise<Service> {
    return this.m.save(Service, this.m.create(Service, row));
  }

  saveLocation(row: Partial<Location>): Promise<Location> {
    return this.m.save(Location, this.m.create(Location, row));
  }

  /** The service is at exactly these locations (keeps the ids of links that stay). */
  async linkLocations(serviceId: string, links: Array<{ locationId: string; id?: string }>): Promise<void> {
    const locationIds = links.map((l) => l.locationId);
    await this.m
      .createQueryBuilder()
      .delete()
      .from(ServiceAtLocation)
      .where('service_id = :serviceId', { serviceId })
      .andWhere(locationIds.length ? 'location_id NOT IN (:...locationIds)' : 'TRUE', { locationIds })
      .execute();
    // An imported link keeps its HSDS id; a new one gets its own.
    for (const { locationId, id } of links) {
      await this.m.query(
        `INSERT INTO service_at_location (id, service_id, location_id) VALUES (coalesce($3::uuid, gen_random_uuid()), $1, $2) ON CONFLICT (service_id, location_id) DO NOTHING`,
        [serviceId, locationId, id ?? null],
      );
    }
  }

  /** Service-at-location ids that already name another service's link (or another location of this one). */
  async serviceAtLocationIdsTaken(serviceId: string, links: Array<{ locationId: string; id?: string }>): Promise<string[]> {
    const wanted = links.filter((l): l is { locationId: string; id: string } => !!l.id);
    if (!wanted.length) return [];
    const rows: Array<{ id: string }> = await this.m.query(
      `SELECT sal.id FROM service_at_location sal JOIN unnest($2::uuid[], $3::uuid[]) AS w(id, location_id) ON w.id = sal.id
        WHERE sal.service_id <> $1 OR sal.location_id <> w.location_id`,
      [serviceId, wanted.map((l) => l.id), wanted.map((l) => l.locationId)],
    );
    return rows.map((r) => r.id);
  }

  /** Ids among the given parts that already belong to another service (HSDS ids are global). */
  async partIdsOfOtherServices(serviceId: string, parts: ServiceParts): Promise<Array<{ key: keyof ServiceParts; id: string }>> {
    const taken: Array<{ key: keyof ServiceParts; id: string }> = [];
    for (const [key, cls] of Object.entries(PART_ENTITIES) as Array<[keyof ServiceParts, new () => { serviceId: string }]>) {
      const ids = (parts[key] ?? []).map((r) => r.id).filter((id): id is string => !!id);
      if (!ids.length) continue;
      const rows = await this.m.createQueryBuilder(cls, 'p').select('p.id', 'id').where('p.id IN (:...ids)', { ids }).andWhere('p.service_id <> :serviceId', { serviceId }).getRawMany<{ id: string }>();
      for (const r of rows) taken.push({ key, id: r.id });
    }
    return taken;
  }

  /** Replaces each list given (a list not given is left as it is). */
  async replaceParts(serviceId: string, parts: ServiceParts): Promise<void> {
    for (const [key, cls] of Object.entries(PART_ENTITIES) as Array<[keyof ServiceParts, new () => { serviceId: string }]>) {
      const rows = parts[key];
      if (!rows) continue;
      await this.m.delete(cls, { serviceId });
      if (rows.length) await this.m.insert(cls, rows.map((r) => ({ ...r, serviceId })) as never);
    }
  }

  /**
   * Recomputes the full-text vector of a service from its folded names, descriptions and
   * eligibility in the three languages, its organisation, its category labels (`extra`, given by
   * the caller from the taxonomy) and the cities and provinces where it is; adds its words to the
   * typo lexicon (directory_search_word).
   */
  async refreshSearch(serviceId: string, extra: string): Promise<void> {
    await this.m.query(
      `WITH doc AS (
         SELECT to_tsvector('simple', directory_fold(concat_ws(' ',
           s2.name_fr, s2.name_ar, s2.name_en, s2.alternate_name,
           s2.description_fr, s2.description_ar, s2.description_en,
           s2.eligibility_fr, s2.eligibility_ar, s2.eligibility_en,
           o.name, o.name_ar, $2::text,
           (SELECT string_agg(concat_ws(' ', l.name, l.name_ar, l.city, l.city_ar, p.name_fr, p.name_ar), ' ')
              FROM service_at_location sal JOIN location l ON l.id = sal.location_id
              LEFT JOIN place p ON p.id = l.province_id WHERE sal.service_id = s2.id),
           (SELECT concat_ws(' ', p.name_fr, p.name_ar) FROM place p WHERE p.id = s2.province_id)
         ))) AS v
         FROM service s2 JOIN organisation o ON o.id = s2.organisation_id WHERE s2.id = $1
       ),
       words AS (
         INSERT INTO directory_search_word (word)
         SELECT w FROM doc, unnest(tsvector_to_array(doc.v)) w WHERE length(w) BETWEEN 3 AND 60
         ON CONFLICT DO NOTHING
       )
       UPDATE service s SET search_document = doc.v FROM doc WHERE s.id = $1`,
      [serviceId, extra],
    );
  }

  /** A service's median hours to accept a referral over `sampleSize` acceptances (DirectoryService.recordResponseTime). */
  async upsertResponseStats(serviceId: string, medianResponseHours: number | null, sampleSize: number): Promise<void> {
    await this.tx.prepared(
      'directory.upsert_response_stats',
      `INSERT INTO service_response_stats (service_id, median_response_hours, sample_size, updated_at) VALUES ($1, $2, $3, $4) ${RESPONSE_STATS_UPSERT}`,
      [serviceId, medianResponseHours, sampleSize, new Date()],
    );
  }

  /** The figures as `measure` (a SELECT of `median`, `n`; `$1` the service) finds them, in the same statement (DirectoryService.recordMeasuredResponseTime). */
  async upsertMeasuredResponseStats(serviceId: string, measure: string): Promise<void> {
    await this.tx.prepared(
      'directory.upsert_measured_response_stats',
      `WITH m AS (${measure})
       INSERT INTO service_response_stats (service_id, median_response_hours, sample_size, updated_at) SELECT $1, m.median, m.n, $2::timestamptz FROM m ${RESPONSE_STATS_UPSERT}`,
      [serviceId, new Date()],
    );
  }

  findResponseStats(serviceId: string): Promise<ServiceResponseStats | null> {
    return this.m.findOneBy(ServiceResponseStats, { serviceId });
  }
}
