import { Injectable } from '@nestjs/common';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Language } from '../authorization/actor.js';
import { notFound } from '../common/domain-error.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { DirectorySearchRepository, type SearchCriteria } from './directory-search.repository.js';
import { DirectoryRepository } from './directory.repository.js';
import { DirectoryErrors } from './directory.errors.js';
import { DirectoryService } from './directory.service.js';
import { organisationJson, serviceJson, serviceListItemJson, taxonomyJson, termJson } from './hsds.mapper.js';
import { categoriesNamedBy } from './synonyms.data.js';
import { ALL_TERMS, pick, TAXONOMIES, TERM_BY_ID, type ServiceStatus } from './taxonomy.data.js';
import type { HsdsOrganizationQuery, HsdsSalQuery, HsdsServiceQuery, ServiceFilterQuery, SuggestionQuery } from './dto/query.dto.js';
import type { SuggestionsView } from './directory.views.js';
import type { Category } from '../common/categories.js';
import type { HsdsOrganizationView, HsdsServiceAtLocationView, HsdsServiceView } from './hsds.views.js';

/** Who the suggestions are for: the need, where the person is, what they speak, whom they belong to. */
export interface SuggestionProfile {
  need: string;
  /** Province code (MA-OUJ). */
  province?: string;
  point?: { lat: number; lon: number };
  languages?: string[];
  populations?: string[];
  limit: number;
}

/** The HSDS page envelope (openapi.json #/components/schemas/Page). */
export interface HsdsPage<T> {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: T[];
}

export function hsdsPage<T>(contents: T[], total: number, page: number, perPage: number): HsdsPage<T> {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

/** Case, accents and Arabic diacritics ignored, as the services' full-text search does. */
const fold = (t: string) => t.normalize('NFD').replace(/[\u0300-\u036f\u064b-\u0652\u0670\u0640]/g, '').toLowerCase();
const matches = (search: string | undefined, ...texts: string[]) => !search || texts.some((t) => fold(t).includes(fold(search.trim())));

const paging = (q: { page?: number; per_page?: number }) => {
  const page = q.page ?? 1;
  const limit = q.per_page ?? 50;
  return { page, limit, offset: (page - 1) * limit };
};

/** What each part of a suggestion's score rewards, as every answer states it. */
const WEIGHTS = Object.freeze({
  category: 'need is the first category 30, another of its categories 25',
  proximity: 'by distance 25 → 0 at 100 km; else same province 25, same region 10',
  language: 'speaks the language 15, interpreter can be arranged 8',
  population: 'serves the population 10, serves everyone 4',
  access: 'free of charge 5 + no documents required 5',
  capacity: 'accepting 10, waiting list 3, not accepting −15',
  responseTime: 'provider’s median response time: 10 at 0 h → 0 at 72 h; 0 while unknown',
});

@Injectable()
export class DirectorySearchService {
  constructor(
    private readonly search: DirectorySearchRepository,
    private readonly directory: DirectoryRepository,
    private readonly services: DirectoryService,
    private readonly organisations: OrganisationsService,
  ) {}

  /** Validates the combination of filters and resolves codes (400 naming the field otherwise). */
  async criteria(q: ServiceFilterQuery): Promise<SearchCriteria> {
    const c: SearchCriteria = { free: q.free, noDocuments: q.no_documents, accepting: q.accepting, language: q.language };
    if (q.search !== undefined) {
      const text = q.search.replace(/[^\p{L}\p{N}\p{M}]+/gu, ' ').trim();
      if (!text) throw DirectoryErrors.searchEmpty();
      c.text = text;
      const named = categoriesNamedBy(text);
      if (named.categories.length) Object.assign(c, { namedCategories: named.categories, rest: named.rest || undefined });
    }
    if (q.taxonomy_term_id) {
      const term = TERM_BY_ID.get(q.taxonomy_term_id);
      if (!term) throw DirectoryErrors.unknownTaxonomyTerm();
      if (term.taxonomy === 'category') c.categories = [term.code];
      else c.populations = [term.code];
    }
    if (q.taxonomy_id && !TAXONOMIES.some((t) => t.id === q.taxonomy_id)) throw DirectoryErrors.unknownTaxonomy();
    if (q.category) c.categories = [...(c.categories ?? []), q.category];
    if (q.population) c.populations = [...(c.populations ?? []), q.population];
    c.organisationId = q.organization_id;
    c.modifiedAfter = q.modified_after;
    if (q.province) {
      const p = await this.services.place(q.province, 'province');
      if (!p) throw DirectoryErrors.unknownPlace('province');
      c.provinceId = p.id;
    }
    if ((q.lat === undefined) !== (q.lon === undefined)) throw DirectoryErrors.coordinatesIncomplete(q.lat === undefined ? 'lat' : 'lon');
    if (q.radius_km !== undefined && q.lat === undefined) throw DirectoryErrors.radiusWithoutPoint();
    if (q.lat !== undefined && q.lon !== undefined) c.point = { lat: q.lat, lon: q.lon };
    c.radiusKm = q.radius_km;
    if (q.open_at) c.openAt = new Date(q.open_at).toISOString();
    else if (q.open_now) c.openAt = new Date().toISOString();
    return c;
  }

  async listServices(ability: AppAbility, q: HsdsServiceQuery, lang: Language): Promise<HsdsPage<HsdsServiceView>> {
    const c = { ...(await this.criteria(q)), nameLanguage: lang };
    const { page, limit, offset } = paging(q);
    const { hits, total } = await this.search.search(this.services.scope(ability), c, { offset, limit });
    if (q.minimal) {
      const items = hits.map((h) => ({ id: h.id, name: pick(h.name, lang) ?? '', status: h.status as ServiceStatus, last_modified: new Date(h.lastModified).toISOString() }));
      return hsdsPage(items, total, page, limit);
    }
    const graphs = await this.directory.loadGraphs(hits.map((h) => h.id));
    const distance = new Map(hits.map((h) => [h.id, h.distanceKm]));
    const contents = graphs.map((g) =>
      q.full
        ? serviceJson(g, { lang, management: this.services.manages(ability, g.service) })
        : serviceListItemJson(g, { lang, management: false }, distance.get(g.service.id) ?? null),
    );
    return hsdsPage(contents, total, page, limit);
  }

  /** Organisations with a visible service; `full_service` nests their services whole, `full` their list items. */
  async listOrganisations(ability: AppAbility, q: HsdsOrganizationQuery, lang: Language): Promise<HsdsPage<HsdsOrganizationView>> {
    const { page, limit, offset } = paging(q);
    const c = await this.criteria({ search: q.search, taxonomy_term_id: q.taxonomy_term_id, taxonomy_id: q.taxonomy_id });
    const { ids, total } = await this.search.organisations(this.services.scope(ability), c, { offset, limit });
    const contents = [];
    for (const id of ids) {
      const org = await this.organisationById(id, lang);
      contents.push(q.full_service || q.full ? { ...org, services: await this.servicesOf(ability, id, lang, !!q.full_service) } : org);
    }
    return hsdsPage(contents, total, page, limit);
  }

  async getOrganisation(ability: AppAbility, id: string, lang: Language, fullService = false): Promise<HsdsOrganizationView> {
    const scope = this.services.scope(ability);
    const { ids } = await this.search.organisations(scope, { organisationId: id }, { offset: 0, limit: 1 });
    if (!ids.length) throw notFound('organization');
    return { ...(await this.organisationById(id, lang)), services: await this.servicesOf(ability, id, lang, fullService) };
  }

  private async servicesOf(ability: AppAbility, organisationId: string, lang: Language, full: boolean) {
    const services = await this.search.search(this.services.scope(ability), { organisationId }, { offset: 0, limit: 200 });
    const graphs = await this.directory.loadGraphs(services.hits.map((h) => h.id));
    return graphs.map((g) => (full ? serviceJson(g, { lang, management: false }) : serviceListItemJson(g, { lang, management: false }, null)));
  }

  private async organisationById(id: string, lang: Language) {
    const org = (await this.organisations.find(id))!;
    return organisationJson(org, await this.directory.findProfile(id), lang);
  }

  async listServiceAtLocations(ability: AppAbility, q: HsdsSalQuery, lang: Language, id?: string): Promise<HsdsPage<HsdsServiceAtLocationView>> {
    const { page, limit, offset } = paging(q);
    if (q.proximity !== undefined && !q.postcode) throw DirectoryErrors.proximityWithoutPostcode();
    const criteria = await this.criteria({
      search: q.search,
      taxonomy_term_id: q.taxonomy_term_id,
      taxonomy_id: q.taxonomy_id,
      organization_id: q.organization_id,
      modified_after: q.modified_after,
    });
    const { rows, total } = await this.search.serviceAtLocations(
      this.services.scope(ability),
      { id, serviceId: q.service_id, criteria, postcode: q.postcode, proximityMeters: q.proximity },
      { offset, limit },
    );
    const graphs = new Map((await this.directory.loadGraphs([...new Set(rows.map((r) => r.serviceId))])).map((g) => [g.service.id, g]));
    const contents = rows.map((r) => {
      const g = graphs.get(r.serviceId)!;
      const json = serviceJson(g, { lang, management: false });
      const sal = (json.service_at_locations as HsdsServiceAtLocationView[]).find((x) => x.id === r.id)!;
      return { ...sal, service: q.full ? json : serviceListItemJson(g, { lang, management: false }, null) };
    });
    return hsdsPage(contents, total, page, limit);
  }

  taxonomies(q: { page?: number; per_page?: number; search?: string }) {
    const { page, limit, offset } = paging(q);
    const all = TAXONOMIES.filter((t) => matches(q.search, t.name, t.description));
    return hsdsPage(all.slice(offset, offset + limit).map(taxonomyJson), all.length, page, limit);
  }

  taxonomy(id: string) {
    const t = TAXONOMIES.find((x) => x.id === id);
    if (!t) throw notFound('taxonomy');
    return taxonomyJson(t);
  }

  /** Our taxonomies are flat: every term is a top term and none has a parent (so `parent_id` finds none). */
  terms(q: { page?: number; per_page?: number; taxonomy_id?: string; search?: string; top_only?: boolean; parent_id?: string }, lang: Language) {
    const { page, limit, offset } = paging(q);
    const all = ALL_TERMS.filter(
      (t) =>
        (!q.taxonomy_id || TAXONOMIES.find((x) => x.code === t.taxonomy)!.id === q.taxonomy_id) &&
        !q.parent_id &&
        matches(q.search, t.code, t.labels.fr, t.labels.ar, t.labels.en),
    );
    return hsdsPage(all.slice(offset, offset + limit).map((t) => termJson(t, lang)), all.length, page, limit);
  }

  term(id: string, lang: Language) {
    const t = TERM_BY_ID.get(id);
    if (!t) throw notFound('taxonomy term');
    return termJson(t, lang);
  }

  /** Services for a need, best first, with each part of the score (GET /api/v1/directory/suggestions). */
  async suggest(ability: AppAbility, q: SuggestionQuery, lang: Language): Promise<SuggestionsView> {
    if ((q.lat === undefined) !== (q.lon === undefined)) throw DirectoryErrors.coordinatesIncomplete(q.lat === undefined ? 'lat' : 'lon');
    return this.suggestFor(ability, {
      need: q.need,
      province: q.province,
      languages: q.language ? [q.language] : undefined,
      populations: q.population ? [q.population] : undefined,
      point: q.lat !== undefined && q.lon !== undefined ? { lat: q.lat, lon: q.lon } : undefined,
      limit: q.limit ?? 10,
    }, lang);
  }

  /**
   * The same ranking for a whole profile (the referral wizard: where the person lives, every
   * language they speak, every population they belong to), with what a card shows of each service.
   */
  async suggestFor(ability: AppAbility, p: SuggestionProfile, lang: Language) {
    const province = p.province ? await this.services.place(p.province, 'province') : null;
    if (p.province && !province) throw DirectoryErrors.unknownPlace('province');
    const items = await this.search.suggest(
      this.services.scope(ability),
      {
        need: p.need,
        provinceId: province?.id,
        regionId: province?.parentId ?? undefined,
        languages: p.languages?.length ? p.languages : undefined,
        populations: p.populations?.length ? p.populations : undefined,
        point: p.point,
        limit: p.limit,
      },
      lang,
    );
    // Checked against the categories by the query (SuggestionQuery) or the case's need.
    return { need: p.need as Category, weights: WEIGHTS, items };
  }

  /**
   * "Other services" of the referral wizard: the whole directory the caller may see (active
   * services), searched by words, nearest first when a point is known; cards as the suggestions'.
   */
  async findForReferral(ability: AppAbility, text: string, point: { lat: number; lon: number } | undefined, lang: Language) {
    const c = { ...(await this.criteria({ search: text })), activeOnly: true, point, nameLanguage: lang };
    const { hits, total } = await this.search.search(this.services.scope(ability), c, { offset: 0, limit: 20 });
    const cards = await this.cards(hits.map((h) => h.id), lang);
    return { total, items: hits.map((h) => ({ ...cards.get(h.id)!, distanceKm: h.distanceKm === null ? null : Math.round(h.distanceKm * 10) / 10 })) };
  }

  /** The card of the service offered at `serviceAtLocationId` if the caller may see it and it is active, else null. */
  async cardAt(ability: AppAbility, serviceAtLocationId: string, lang: Language) {
    const sal = await this.directory.findServiceAtLocation(serviceAtLocationId);
    const service = sal ? await this.directory.findInScope(this.services.scope(ability), sal.serviceId) : null;
    if (!service || service.status !== 'active') return null;
    return (await this.cards([service.id], lang)).get(service.id) ?? null;
  }

  /** What the wizard shows of each service, in one statement (not the services' whole graphs). */
  private async cards(ids: string[], lang: Language) {
    const rows = await this.directory.suggestionCards(ids);
    return new Map(
      rows.map((c) => [
        c.id,
        {
          serviceId: c.id,
          name: pick({ fr: c.name_fr, ar: c.name_ar, en: c.name_en }, lang),
          organisation: { id: c.organisation_id, name: pick({ fr: c.organisation_name, ar: c.organisation_name_ar }, lang) ?? c.organisation_name },
          province: c.province_code,
          serviceAtLocationIds: c.sal_ids,
          categories: c.categories as Category[],
          capacityStatus: c.capacity_status,
          freeOfCharge: c.free_of_charge,
          noDocumentsRequired: c.no_documents_required,
          interpreterAvailable: c.interpreter_available,
          languages: c.languages,
          locations: c.sal_ids.map((id, i) => ({ serviceAtLocationId: id, city: c.cities[i] ? pick(c.cities[i], lang) : null })),
          hoursToday: c.has_hours ? c.hours_today : null,
          medianResponseHours: c.median_response_hours,
        },
      ]),
    );
  }
}
