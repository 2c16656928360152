import { PROGRAMME_TIME_ZONE } from '../vocabulary/index.js';
import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import type { SqlScope } from '../authorization/scope.js';
import { TransactionHost } from '../database/transaction.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { Location, Service, ServiceAtLocation } from './directory.entity.js';
import type { Language } from '../authorization/actor.js';
import type { SuggestionsView } from './directory.views.js';

/** One suggestion as the API answers it. */
export type SuggestionItemView = SuggestionsView['items'][number];

/** Search criteria after validation: codes and ids resolved. */
export interface SearchCriteria {
  /** Letters and digits only (punctuation removed by the service). */
  text?: string;
  categories?: string[];
  populations?: string[];
  organisationId?: string;
  modifiedAfter?: string;
  provinceId?: string;
  language?: string;
  point?: { lat: number; lon: number };
  radiusKm?: number;
  /** Open at this instant, by the schedules read in Africa/Casablanca. */
  openAt?: string;
  free?: boolean;
  noDocuments?: boolean;
  accepting?: boolean;
  activeOnly?: boolean;
  /** Categories the search names with everyday words (synonyms.data.ts): their services match too. */
  namedCategories?: string[];
  /** The search's words that named no category (they must still match the text). */
  rest?: string;
  /** The reader's language: results with the same relevance and distance go by name in it. */
  nameLanguage?: 'fr' | 'ar' | 'en';
}

export interface SearchHit {
  id: string;
  lastModified: Date;
  distanceKm: number | null;
  /** What an HSDS `minimal` item requires beside the id. */
  name: { fr: string | null; ar: string | null; en: string | null };
  status: string;
}

export interface SuggestionRequest {
  need: string;
  provinceId?: string;
  regionId?: string;
  /** Languages the person speaks: a service speaking any of them scores the language part. */
  languages?: string[];
  /** Populations the person belongs to: a service serving any of them scores the population part. */
  populations?: string[];
  point?: { lat: number; lon: number };
  limit: number;
}


const EARTH_KM = 6371.0088;
/** Great-circle distance in km from (:lat, :lon) to location `l`. */
const HAVERSINE = `(2 * ${EARTH_KM} * asin(sqrt(power(sin(radians(l.latitude - :lat) / 2), 2) + cos(radians(:lat)) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - :lon) / 2), 2))))`;
/** Distance from the point to the service's nearest location (null when it has no coordinates); joined as `d` by `base`. */
const DISTANCE = 'd.km';
/** Each service's nearest location with coordinates to (:lat, :lon), as `base` joins it: `service_id`, `km`. */
const NEAREST = `SELECT sald.service_id AS service_id, min(${HAVERSINE}) AS km FROM service_at_location sald INNER JOIN location l ON l.id = sald.location_id WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL GROUP BY sald.service_id`;
/**
 * The full-text query: every folded word of the search (as a prefix) must match, or one of the
 * three known words nearest to it by trigram similarity (> 0.45), which is how typos are forgiven.
 */
const tsquery = (param: string) => `to_tsquery('simple', (
  SELECT string_agg('(' || concat_ws(' | ', quote_literal(w) || ':*',
    (SELECT string_agg(quote_literal(x.word), ' | ') FROM (
       SELECT sw.word FROM directory_search_word sw
       WHERE length(w) >= 4 AND sw.word % w AND sw.word <> w AND similarity(sw.word, w) > 0.45
       ORDER BY similarity(sw.word, w) DESC LIMIT 3) x)) || ')', ' & ')
  FROM unnest(string_to_array(directory_fold(:${param}), ' ')) w WHERE w <> ''))`;
const TEXT_MATCH = `s.search_document @@ ${tsquery('text')}`;
/** Relevance: a service of a category the search named (first category best), then the text rank. */
const relevance = (named: boolean) =>
  `(${named ? `CASE WHEN s.categories[1] = ANY(:named::varchar[]) THEN 2 WHEN s.categories && :named::varchar[] THEN 1 ELSE 0 END + ` : ''}ts_rank(s.search_document, ${tsquery('text')}))`;

const proximity = (whens: string[]) => (whens.some(Boolean) ? `CASE ${whens.join(' ')} ELSE 0 END` : '0');

/** The parameters of the suggestion statement that change with each request (the scope's do not). */
const REQUEST_PARAMS = ['cats', 'sgNeed', 'sgProvince', 'sgRegion', 'sgLanguages', 'sgPopulations', 'sgLimit', 'sgLang', 'lat', 'lon'] as const;
/** Where a request parameter goes among the bound values. */
class Slot {
  constructor(readonly name: (typeof REQUEST_PARAMS)[number]) {}
}
/** The suggestion statement bound once per scope (abilities are shared, their scopes frozen: scope.ts) and shape. */
const bound = new WeakMap<SqlScope, Map<string, { name: string; text: string; values: unknown[] }>>();
let statements = 0;

/** `pick` in SQL: the text in :sgLang if any, else French, Arabic, English (empty counts as none). */
const pickSql = (t: { fr: string; ar: string; en?: string }) =>
  `coalesce(nullif(CASE :sgLang WHEN 'ar' THEN ${t.ar}${t.en ? ` WHEN 'en' THEN ${t.en}` : ''} ELSE ${t.fr} END, ''), nullif(${t.fr}, ''), nullif(${t.ar}, '')${t.en ? `, nullif(${t.en}, '')` : ''})`;

/** The ranking of `r`'s shape (the parts and their total), then each ranked service's card as JSON. */
function suggestSql(scope: SqlScope, r: SuggestionRequest): string {
  const inProvince = `(s.province_id = :sgProvince OR EXISTS (SELECT 1 FROM service_at_location sal2 JOIN location l2 ON l2.id = sal2.location_id WHERE sal2.service_id = s.id AND l2.province_id = :sgProvince))`;
  const parts = {
    category: `CASE WHEN s.categories[1] = :sgNeed THEN 30 ELSE 25 END`,
    proximity: proximity([
      r.point ? `WHEN ${DISTANCE} IS NOT NULL THEN round(greatest(0, 25 * (1 - ${DISTANCE} / 100.0)))` : '',
      r.provinceId ? `WHEN ${inProvince} THEN 25` : '',
      r.regionId ? 'WHEN s.region_id = :sgRegion THEN 10' : '',
    ]),
    language: r.languages?.length
      ? `CASE WHEN EXISTS (SELECT 1 FROM service_language sl WHERE sl.service_id = s.id AND sl.code = ANY(:sgLanguages::varchar[])) THEN 15 WHEN s.interpreter_available THEN 8 ELSE 0 END`
      : '0',
    population: r.populations?.length
      ? `CASE WHEN s.populations && :sgPopulations::varchar[] THEN 10 WHEN cardinality(s.populations) = 0 THEN 4 ELSE 0 END`
      : '0',
    access: `(CASE WHEN s.free_of_charge THEN 5 ELSE 0 END + CASE WHEN s.no_documents_required THEN 5 ELSE 0 END)`,
    capacity: `CASE s.capacity_status WHEN 'accepting' THEN 10 WHEN 'waiting_list' THEN 3 ELSE -15 END`,
    // Faster answers score more: 10 at 0 h down to 0 at 72 h; 0 until the referrals feature has data.
    responseTime: `CASE WHEN rs.median_response_hours IS NULL THEN 0 ELSE round(greatest(0, 10 * (1 - rs.median_response_hours / 72.0))) END`,
  };
  const keys = Object.keys(parts) as Array<keyof typeof parts>;
  const total = keys.map((k) => `(${parts[k]})`).join(' + ');
  // The same order outside (by the columns the ranking kept): the id makes it total.
  const order = (a: string) => `${a}total DESC, ${r.point ? `${a}distance_km ASC` : `${a}last_modified DESC`} NULLS LAST, ${a}id ASC`;
  const ranking = `SELECT s.id AS id, s.last_modified, ${r.point ? DISTANCE : 'NULL::float8'} AS distance_km, ${keys.map((k) => `(${parts[k]})::int AS "p_${k}"`).join(', ')}, (${total})::int AS total
       FROM service s
       ${r.point ? `LEFT JOIN (${NEAREST}) d ON d.service_id = s.id` : ''}
       LEFT JOIN service_response_stats rs ON rs.service_id = s.id
      WHERE (${scope.sql}) AND s.status = 'active' AND s.categories @> :cats::varchar[]
      ORDER BY ${order('')}
      LIMIT :sgLimit`;
  const city = pickSql({ fr: 'l.city', ar: 'l.city_ar' });
  return `SELECT json_build_object(
            'serviceId', s.id, 'name', ${pickSql({ fr: 's.name_fr', ar: 's.name_ar', en: 's.name_en' })},
            'organisation', json_build_object('id', o.id, 'name', coalesce(${pickSql({ fr: 'o.name', ar: 'o.name_ar' })}, o.name)),
            'province', p.code, 'serviceAtLocationIds', coalesce(at.ids, '[]'), 'categories', s.categories, 'capacityStatus', s.capacity_status,
            'freeOfCharge', s.free_of_charge, 'noDocumentsRequired', s.no_documents_required, 'interpreterAvailable', s.interpreter_available,
            'languages', coalesce((SELECT json_agg(sl.code ORDER BY sl.id) FROM service_language sl WHERE sl.service_id = s.id), '[]'),
            'locations', coalesce(at.locations, '[]'),
            'hoursToday', CASE WHEN EXISTS (SELECT 1 FROM service_schedule sh WHERE sh.service_id = s.id) THEN
              coalesce((SELECT json_agg(to_char(sc.opens_at, 'HH24:MI') || '–' || to_char(sc.closes_at, 'HH24:MI') ORDER BY sc.opens_at)
                          FROM service_schedule sc, LATERAL (SELECT (now() AT TIME ZONE '${PROGRAMME_TIME_ZONE}') AS t) loc
                         WHERE sc.service_id = s.id
                           AND (ARRAY['MO','TU','WE','TH','FR','SA','SU'])[extract(isodow FROM loc.t)::int] = ANY (sc.byday)
                           AND (sc.valid_from IS NULL OR sc.valid_from <= loc.t::date) AND (sc.valid_to IS NULL OR sc.valid_to >= loc.t::date)), '[]') END,
            'medianResponseHours', rs.median_response_hours::float8,
            'distanceKm', ranked.distance_km, 'score', ranked.total,
            'parts', json_build_object(${keys.map((k) => `'${k}', ranked."p_${k}"`).join(', ')})) AS item
       FROM (${ranking}) ranked
       JOIN service s ON s.id = ranked.id JOIN organisation o ON o.id = s.organisation_id LEFT JOIN place p ON p.id = s.province_id
       LEFT JOIN service_response_stats rs ON rs.service_id = s.id
       LEFT JOIN LATERAL (SELECT json_agg(sal.id ORDER BY sal.created_at, sal.id) AS ids,
                                 json_agg(json_build_object('serviceAtLocationId', sal.id, 'city', ${city}) ORDER BY sal.created_at, sal.id) AS locations
                            FROM service_at_location sal JOIN location l ON l.id = sal.location_id WHERE sal.service_id = s.id) at ON TRUE
      ORDER BY ${order('ranked.')}`;
}

@Injectable()
export class DirectorySearchRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** One page of matching service ids, best first, and the total count. */
  async search(scope: SqlScope, c: SearchCriteria, page: { offset: number; limit: number }): Promise<{ hits: SearchHit[]; total: number }> {
    const qb = this.base(scope, c);
    qb.select('s.id', 'id')
      .addSelect('s.last_modified', 'last_modified')
      .addSelect('s.name_fr', 'name_fr')
      .addSelect('s.name_ar', 'name_ar')
      .addSelect('s.name_en', 'name_en')
      .addSelect('s.status', 'status')
      .addSelect('count(*) OVER ()', 'total');
    if (c.point) qb.addSelect(DISTANCE, 'distance_km');
    // Relevance, then distance when a place is known, then the name in the reader's language.
    if (c.text) qb.orderBy(relevance(!!c.namedCategories?.length), 'DESC');
    if (c.point) qb.addOrderBy('distance_km', 'ASC', 'NULLS LAST');
    const name = c.nameLanguage === 'ar' ? 's.name_ar' : c.nameLanguage === 'en' ? 's.name_en' : 's.name_fr';
    qb.addOrderBy(`coalesce(${name}, s.name_fr, s.name_en, s.name_ar)`, 'ASC').addOrderBy('s.id', 'ASC').offset(page.offset).limit(page.limit);
    type Row = { id: string; last_modified: Date; name_fr: string | null; name_ar: string | null; name_en: string | null; status: string; total: string; distance_km?: number | null };
    const rows: Row[] = await qb.getRawMany();
    const total = rows.length ? Number(rows[0].total) : page.offset > 0 ? await this.count(scope, c) : 0;
    return {
      hits: rows.map((r) => ({ id: r.id, lastModified: r.last_modified, distanceKm: r.distance_km ?? null, name: { fr: r.name_fr, ar: r.name_ar, en: r.name_en }, status: r.status })),
      total,
    };
  }

  private async count(scope: SqlScope, c: SearchCriteria): Promise<number> {
    return this.base(scope, c).getCount();
  }

  /**
   * Ranks the services of a category for a person and answers each with what a suggestion card
   * shows, in the reader's language (`pick`'s order: theirs, then fr, ar, en), with each part of
   * its score. Every suggestion request makes it: one hand-written statement (the ranking, then the
   * cards of its rows), prepared where `reader` reads, each card built by PostgreSQL as the view's
   * JSON (issue #18). The ranking is the statement `base` would build for (scope, the category,
   * active only, the point). The card's columns are `suggestionCards`'.
   */
  async suggest(scope: SqlScope, r: SuggestionRequest, lang: Language): Promise<SuggestionItemView[]> {
    const shape = `${r.point ? 'p' : ''}${r.provinceId ? 'v' : ''}${r.regionId ? 'r' : ''}${r.languages?.length ? 'l' : ''}${r.populations?.length ? 'o' : ''}`;
    let byShape = bound.get(scope);
    if (!byShape) bound.set(scope, (byShape = new Map()));
    let statement = byShape.get(shape);
    if (!statement) byShape.set(shape, (statement = this.bindOnce(scope, suggestSql(scope, r))));
    const values: Record<Slot['name'], unknown> = {
      cats: [r.need],
      sgNeed: r.need,
      sgProvince: r.provinceId,
      sgRegion: r.regionId,
      sgLanguages: r.languages,
      sgPopulations: r.populations,
      sgLimit: r.limit,
      sgLang: lang,
      lat: r.point?.lat,
      lon: r.point?.lon,
    };
    const rows = await this.tx.readerPrepared<{ item: SuggestionItemView }>(statement.name, statement.text, statement.values.map((v) => (v instanceof Slot ? values[v.name] : v)));
    // Rounded here, as before: PostgreSQL's round() of a float8 goes half to even, Math.round half up.
    return rows.map(({ item }) => (item.distanceKm === null ? item : Object.assign(item, { distanceKm: Math.round(item.distanceKm * 10) / 10 })));
  }

  /**
   * Binds `sql` as TransactionHost.preparedNamed would, once: the scope's values (fixed for it) in
   * place, each request's parameter as its name, replaced by its value on each call.
   */
  private bindOnce(scope: SqlScope, sql: string): { name: string; text: string; values: unknown[] } {
    const slots = Object.fromEntries(REQUEST_PARAMS.map((k) => [k, new Slot(k)]));
    const [text, values] = this.tx.dataSource.driver.escapeQueryWithParameters(sql, { ...scope.params, ...slots });
    return { name: `directory.suggest.${++statements}`, text, values };
  }

  /** Service-provider organisations with at least one service in scope. */
  /**
   * Provider organisations with at least one service in scope matching `c` (taxonomy, modified…);
   * `c.text` matches the organisation's name or the text of one of its services.
   */
  async organisations(scope: SqlScope, c: SearchCriteria, page: { offset: number; limit: number }): Promise<{ ids: string[]; total: number }> {
    const { text, ...filters } = c;
    const services = this.base(scope, filters).select('s.id');
    const qb = this.tx.reader
      .createQueryBuilder(Organisation, 'o')
      .select('o.id', 'id')
      .addSelect('count(*) OVER ()', 'total')
      .where(`o.type = 'service_provider'`)
      .andWhere(`EXISTS (SELECT 1 FROM service so WHERE so.organisation_id = o.id AND so.id IN (${services.getQuery()}))`, services.getParameters());
    if (text) {
      const matching = this.base(scope, { text }).select('s.id');
      qb.andWhere(`(directory_fold(o.name) LIKE '%' || directory_fold(:orgText) || '%' OR EXISTS (SELECT 1 FROM service st WHERE st.organisation_id = o.id AND st.id IN (${matching.getQuery()})))`, {
        ...matching.getParameters(),
        orgText: text,
      });
    }
    const rows: Array<{ id: string; total: string }> = await qb.orderBy('o.created_at', 'DESC').addOrderBy('o.id', 'DESC').offset(page.offset).limit(page.limit).getRawMany();
    return { ids: rows.map((r) => r.id), total: rows.length ? Number(rows[0].total) : 0 };
  }

  /**
   * Service-at-location links whose service is in scope and matches `c`; `postcode` keeps the
   * locations with that postal code, or — with `proximityMeters` — those within that distance of
   * the centroid of the locations that have it.
   */
  async serviceAtLocations(
    scope: SqlScope,
    f: { serviceId?: string; id?: string; criteria?: SearchCriteria; postcode?: string; proximityMeters?: number },
    page: { offset: number; limit: number },
  ): Promise<{ rows: Array<{ id: string; serviceId: string }>; total: number }> {
    const services = this.base(scope, f.criteria ?? {}).select('s.id');
    const qb = this.tx.reader
      .createQueryBuilder(ServiceAtLocation, 'sal')
      .innerJoin(Location, 'l', 'l.id = sal.location_id')
      .select('sal.id', 'id')
      .addSelect('sal.service_id', 'service_id')
      .addSelect('count(*) OVER ()', 'total')
      .where(`sal.service_id IN (${services.getQuery()})`, services.getParameters());
    if (f.id) qb.andWhere('sal.id = :salId', { salId: f.id });
    if (f.serviceId) qb.andWhere('sal.service_id = :salService', { salService: f.serviceId });
    if (f.postcode && f.proximityMeters === undefined) qb.andWhere('l.postal_code = :postcode', { postcode: f.postcode });
    if (f.postcode && f.proximityMeters !== undefined) {
      const centroid = `(SELECT avg(lc.latitude) AS lat, avg(lc.longitude) AS lon FROM location lc WHERE lc.postal_code = :postcode AND lc.latitude IS NOT NULL)`;
      qb.andWhere(
        `EXISTS (SELECT 1 FROM ${centroid} c WHERE c.lat IS NOT NULL AND l.latitude IS NOT NULL AND 6371000 * 2 * asin(sqrt(power(sin(radians(l.latitude - c.lat) / 2), 2) + cos(radians(c.lat)) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - c.lon) / 2), 2))) <= :proximity)`,
        { postcode: f.postcode, proximity: f.proximityMeters },
      );
    }
    const rows: Array<{ id: string; service_id: string; total: string }> = await qb
      .orderBy('sal.created_at', 'DESC')
      .addOrderBy('sal.id', 'DESC')
      .offset(page.offset)
      .limit(page.limit)
      .getRawMany();
    return { rows: rows.map((r) => ({ id: r.id, serviceId: r.service_id })), total: rows.length ? Number(rows[0].total) : 0 };
  }

  private base(scope: SqlScope, c: SearchCriteria): SelectQueryBuilder<Service> {
    const qb = this.tx.reader.createQueryBuilder(Service, 's').where(scope.sql, scope.params);
    if (c.activeOnly) qb.andWhere(`s.status = 'active'`);
    if (c.categories?.length) qb.andWhere('s.categories @> :cats::varchar[]', { cats: c.categories });
    if (c.populations?.length) qb.andWhere('s.populations @> :pops::varchar[]', { pops: c.populations });
    if (c.organisationId) qb.andWhere('s.organisation_id = :orgId', { orgId: c.organisationId });
    if (c.modifiedAfter) qb.andWhere('s.last_modified >= :modifiedAfter', { modifiedAfter: c.modifiedAfter });
    if (c.provinceId) {
      qb.andWhere(
        `(s.province_id = :provinceId OR EXISTS (SELECT 1 FROM service_at_location salp JOIN location lp ON lp.id = salp.location_id WHERE salp.service_id = s.id AND lp.province_id = :provinceId))`,
        { provinceId: c.provinceId },
      );
    }
    if (c.language) {
      qb.andWhere('EXISTS (SELECT 1 FROM service_language sl0 WHERE sl0.service_id = s.id AND sl0.code = :language)', { language: c.language });
    }
    if (c.free) qb.andWhere('s.free_of_charge');
    if (c.noDocuments) qb.andWhere('s.no_documents_required');
    if (c.accepting) qb.andWhere(`s.capacity_status = 'accepting'`);
    if (c.text && c.namedCategories?.length) {
      // « psychologue » finds the psychosocial services though none says the word; other words still narrow.
      const rest = c.rest ? ` AND s.search_document @@ ${tsquery('rest')}` : '';
      qb.andWhere(`(${TEXT_MATCH} OR (s.categories && :named::varchar[]${rest}))`, { text: c.text, named: c.namedCategories, ...(c.rest ? { rest: c.rest } : {}) });
    } else if (c.text) qb.andWhere(TEXT_MATCH, { text: c.text });
    if (c.openAt) {
      // The instant is read as local time in Africa/Casablanca; days are RFC 5545 codes (MO…SU).
      qb.andWhere(
        `EXISTS (SELECT 1 FROM service_schedule sc,
           LATERAL (SELECT (:openAt::timestamptz AT TIME ZONE '${PROGRAMME_TIME_ZONE}') AS t) loc
           WHERE sc.service_id = s.id
             AND (ARRAY['MO','TU','WE','TH','FR','SA','SU'])[extract(isodow FROM loc.t)::int] = ANY (sc.byday)
             AND sc.opens_at <= loc.t::time AND sc.closes_at > loc.t::time
             AND (sc.valid_from IS NULL OR sc.valid_from <= loc.t::date)
             AND (sc.valid_to IS NULL OR sc.valid_to >= loc.t::date))`,
        { openAt: c.openAt },
      );
    }
    if (c.point) {
      qb.setParameters({ lat: c.point.lat, lon: c.point.lon });
      qb.leftJoin(
        (sub) =>
          sub
            .select('sald.service_id', 'service_id')
            .addSelect(`min(${HAVERSINE})`, 'km')
            .from(ServiceAtLocation, 'sald')
            .innerJoin('location', 'l', 'l.id = sald.location_id')
            .where('l.latitude IS NOT NULL AND l.longitude IS NOT NULL')
            .groupBy('sald.service_id'),
        'd',
        'd.service_id = s.id',
      );
      if (c.radiusKm) {
        // Bounding box first (location_lat_lon_idx), exact great-circle distance second.
        const dLat = c.radiusKm / 111.2;
        const dLon = c.radiusKm / (111.2 * Math.max(0.01, Math.cos((c.point.lat * Math.PI) / 180)));
        qb.andWhere(
          `EXISTS (SELECT 1 FROM service_at_location salr JOIN location l ON l.id = salr.location_id
             WHERE salr.service_id = s.id AND l.latitude BETWEEN :lat - :dLat AND :lat + :dLat
               AND l.longitude BETWEEN :lon - :dLon AND :lon + :dLon AND ${HAVERSINE} <= :radiusKm)`,
          { dLat, dLon, radiusKm: c.radiusKm },
        );
      }
    }
    return qb;
  }
}
