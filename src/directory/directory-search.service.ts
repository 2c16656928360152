import { Injectable } from '@nestjs/common';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Language } from '../authorization/actor.js';
import { notFound } from '../common/domain-error.js';
import { OrganisationsRepository } from '../organisations/organisations.repository.js';
import { DirectorySearchRepository, type SearchCriteria } from './directory-search.repository.js';
import { DirectoryRepository } from './directory.repository.js';
import { DirectoryErrors } from './directory.errors.js';
import { DirectoryService } from './directory.service.js';
import { organisationJson, serviceJson, serviceListItemJson, taxonomyJson, termJson } from './hsds.mapper.js';
import { categoriesNamedBy } from './synonyms.data.js';
import { ALL_TERMS, pick, TAXONOMIES, TERM_BY_ID } from './taxonomy.data.js';
import type { HsdsServiceQuery, ServiceFilterQuery, SuggestionQuery } from './dto/query.dto.js';

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

const paging = (q: { page?: number; per_page?: number }) => {
  const page = q.page ?? 1;
  const limit = q.per_page ?? 50;
  return { page, limit, offset: (page - 1) * limit };
};

@Injectable()
export class DirectorySearchService {
  constructor(
    private readonly search: DirectorySearchRepository,
    private readonly directory: DirectoryRepository,
    private readonly services: DirectoryService,
    private readonly organisations: OrganisationsRepository,
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

  async listServices(ability: AppAbility, q: HsdsServiceQuery, lang: Language) {
    const c = { ...(await this.criteria(q)), nameLanguage: lang };
    const { page, limit, offset } = paging(q);
    const { hits, total } = await this.search.search(this.services.scope(ability), c, { offset, limit });
    if (q.minimal) {
      return hsdsPage(hits.map((h) => ({ id: h.id, last_modified: new Date(h.lastModified).toISOString() })), total, page, limit);
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

  async listOrganisations(ability: AppAbility, q: { page?: number; per_page?: number }, lang: Language) {
    const { page, limit, offset } = paging(q);
    const { ids, total } = await this.search.organisations(this.services.scope(ability), { offset, limit });
    const contents = [];
    for (const id of ids) contents.push(await this.organisationById(id, lang));
    return hsdsPage(contents, total, page, limit);
  }

  async getOrganisation(ability: AppAbility, id: string, lang: Language) {
    const scope = this.services.scope(ability);
    const { ids } = await this.search.organisations(
      { sql: `(${scope.sql}) AND s.organisation_id = :oneOrg`, params: { ...scope.params, oneOrg: id } },
      { offset: 0, limit: 1 },
    );
    if (!ids.length) throw notFound('organization');
    const org = await this.organisationById(id, lang);
    const services = await this.search.search(this.services.scope(ability), { organisationId: id }, { offset: 0, limit: 200 });
    const graphs = await this.directory.loadGraphs(services.hits.map((h) => h.id));
    return { ...org, services: graphs.map((g) => serviceListItemJson(g, { lang, management: false }, null)) };
  }

  private async organisationById(id: string, lang: Language) {
    const org = (await this.organisations.findById(id))!;
    return organisationJson(org, await this.directory.findProfile(id), lang);
  }

  async listServiceAtLocations(ability: AppAbility, q: { page?: number; per_page?: number; service_id?: string; organization_id?: string }, lang: Language, id?: string) {
    const { page, limit, offset } = paging(q);
    const { rows, total } = await this.search.serviceAtLocations(
      this.services.scope(ability),
      { id, serviceId: q.service_id, organisationId: q.organization_id },
      { offset, limit },
    );
    const graphs = new Map((await this.directory.loadGraphs([...new Set(rows.map((r) => r.serviceId))])).map((g) => [g.service.id, g]));
    const contents = rows.map((r) => {
      const g = graphs.get(r.serviceId)!;
      const json = serviceJson(g, { lang, management: false });
      const sal = (json.service_at_locations as Array<Record<string, unknown>>).find((x) => x.id === r.id)!;
      return { ...sal, service: serviceListItemJson(g, { lang, management: false }, null) };
    });
    return hsdsPage(contents, total, page, limit);
  }

  taxonomies(q: { page?: number; per_page?: number }) {
    const { page, limit, offset } = paging(q);
    return hsdsPage(TAXONOMIES.slice(offset, offset + limit).map(taxonomyJson), TAXONOMIES.length, page, limit);
  }

  taxonomy(id: string) {
    const t = TAXONOMIES.find((x) => x.id === id);
    if (!t) throw notFound('taxonomy');
    return taxonomyJson(t);
  }

  terms(q: { page?: number; per_page?: number; taxonomy_id?: string }, lang: Language) {
    const { page, limit, offset } = paging(q);
    const all = ALL_TERMS.filter((t) => !q.taxonomy_id || TAXONOMIES.find((x) => x.code === t.taxonomy)!.id === q.taxonomy_id);
    return hsdsPage(all.slice(offset, offset + limit).map((t) => termJson(t, lang)), all.length, page, limit);
  }

  term(id: string, lang: Language) {
    const t = TERM_BY_ID.get(id);
    if (!t) throw notFound('taxonomy term');
    return termJson(t, lang);
  }

  /** Services for a need, best first, with each part of the score (GET /api/v1/directory/suggestions). */
  async suggest(ability: AppAbility, q: SuggestionQuery, lang: Language) {
    if ((q.lat === undefined) !== (q.lon === undefined)) throw DirectoryErrors.coordinatesIncomplete(q.lat === undefined ? 'lat' : 'lon');
    const province = q.province ? await this.services.place(q.province, 'province') : null;
    if (q.province && !province) throw DirectoryErrors.unknownPlace('province');
    const rows = await this.search.suggest(this.services.scope(ability), {
      need: q.need,
      provinceId: province?.id,
      regionId: province?.parentId ?? undefined,
      language: q.language,
      population: q.population,
      point: q.lat !== undefined && q.lon !== undefined ? { lat: q.lat, lon: q.lon } : undefined,
      limit: q.limit ?? 10,
    });
    // What the list shows of each service, in one statement (not the ten services' whole graphs).
    const cards = new Map((await this.directory.suggestionCards(rows.map((r) => r.id))).map((c) => [c.id, c]));
    return {
      need: q.need,
      weights: {
        category: 'need is the first category 30, another of its categories 25',
        proximity: 'by distance 25 → 0 at 100 km; else same province 25, same region 10',
        language: 'speaks the language 15, interpreter can be arranged 8',
        population: 'serves the population 10, serves everyone 4',
        access: 'free of charge 5 + no documents required 5',
        capacity: 'accepting 10, waiting list 3, not accepting −15',
        responseTime: 'provider’s median response time: 10 at 0 h → 0 at 72 h; 0 while unknown',
      },
      items: rows.map((r) => {
        const c = cards.get(r.id)!;
        return {
          serviceId: c.id,
          name: pick({ fr: c.name_fr, ar: c.name_ar, en: c.name_en }, lang),
          organisation: { id: c.organisation_id, name: c.organisation_name },
          province: c.province_code,
          serviceAtLocationIds: c.sal_ids,
          categories: c.categories,
          capacityStatus: c.capacity_status,
          freeOfCharge: c.free_of_charge,
          noDocumentsRequired: c.no_documents_required,
          interpreterAvailable: c.interpreter_available,
          languages: c.languages,
          distanceKm: r.distanceKm,
          score: r.total,
          parts: r.parts,
        };
      }),
    };
  }
}
