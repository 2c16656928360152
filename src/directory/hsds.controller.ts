import { Readable } from 'node:stream';
import { Controller, Get, Inject, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor, Language } from '../authorization/actor.js';
import { CurrentAbility, OptionalActor, Public } from '../authorization/policies.js';
import { IdPipe } from '../common/params.js';
import { notFound } from '../common/domain-error.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { DirectorySearchService, type HsdsPage } from './directory-search.service.js';
import { DirectoryService } from './directory.service.js';
import { HSDS_PROFILE, HSDS_VERSION } from './hsds.mapper.js';
import { LagTolerant } from '../database/read-replica.js';
import { HsdsOrganizationGetQuery, HsdsOrganizationQuery, HsdsPageQuery, HsdsSalQuery, HsdsServiceQuery, HsdsTermQuery, LangQuery, type HsdsFormat } from './dto/query.dto.js';
import { ApiView } from '../common/api-views.js';
import { HsdsAboutView, HsdsOrganizationView, hsdsPageOf, HsdsProfileView, HsdsServiceAtLocationView, HsdsServiceView, HsdsTaxonomyTermView, HsdsTaxonomyView } from './hsds.views.js';

const langOf = (q: { lang?: Language }, actor?: Actor): Language => q.lang ?? actor?.language ?? 'fr';

/**
 * HSDS `format`: the JSON page asked for, or with `ndjson` every result, one per line, streamed
 * page after page of 200 (the `page` and `per_page` asked for do not apply).
 */
async function inFormat<T>(q: { format?: HsdsFormat }, pageOf: (paging: { page?: number; per_page?: number }) => Promise<HsdsPage<T>>): Promise<HsdsPage<T> | StreamableFile> {
  if (q.format !== 'ndjson') return pageOf({});
  const first = await pageOf({ page: 1, per_page: 200 });
  async function* lines() {
    for (let p = first, n = 1; ; p = await pageOf({ page: ++n, per_page: 200 })) {
      for (const item of p.contents) yield `${JSON.stringify(item)}\n`;
      if (p.last_page || p.empty) return;
    }
  }
  return new StreamableFile(Readable.from(lines()), { type: 'application/x-ndjson; charset=utf-8' });
}

/**
 * Open Referral HSDS 3.1 API. Public: anonymous callers see public-tier services; a bearer token,
 * when sent, widens what is visible to the caller's tier (visibleTiers in ability.factory.ts).
 * A service the caller may not see answers 404.
 */
@ApiTags('hsds')
@Controller('api/hsds')
@LagTolerant()
export class HsdsController {
  constructor(
    private readonly search: DirectorySearchService,
    private readonly services: DirectoryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiView(HsdsAboutView)
  @Public()
  @ApiOperation({ summary: 'About this API: HSDS version, profile, OpenAPI document' })
  about() {
    return {
      version: HSDS_VERSION,
      profile: `${this.config.publicUrl}/api/hsds/profile`,
      openapi_url: `${this.config.publicUrl}/api/openapi.json`,
    };
  }

  @Get('profile')
  @ApiView(HsdsProfileView)
  @Public()
  @ApiOperation({ summary: 'The Tawjih HSDS profile: the fields added to HSDS 3.1' })
  profile() {
    return HSDS_PROFILE;
  }

  @Get('services')
  @ApiView(hsdsPageOf(HsdsServiceView), { alsoAsText: ['application/x-ndjson'] })
  @Public()
  listServices(@CurrentAbility() ability: AppAbility, @OptionalActor() actor: Actor | undefined, @Query() q: HsdsServiceQuery) {
    return inFormat(q, (paging) => this.search.listServices(ability, { ...q, ...paging }, langOf(q, actor)));
  }

  @Get('services/:id')
  @ApiView(HsdsServiceView)
  @Public()
  getService(@CurrentAbility() ability: AppAbility, @OptionalActor() actor: Actor | undefined, @Param('id', IdPipe) id: string, @Query() q: LangQuery) {
    return this.services.getJson(ability, id, langOf(q, actor));
  }

  @Get('organizations')
  @ApiView(hsdsPageOf(HsdsOrganizationView), { alsoAsText: ['application/x-ndjson'] })
  @Public()
  listOrganizations(@CurrentAbility() ability: AppAbility, @OptionalActor() actor: Actor | undefined, @Query() q: HsdsOrganizationQuery) {
    return inFormat(q, (paging) => this.search.listOrganisations(ability, { ...q, ...paging }, langOf(q, actor)));
  }

  @Get('organizations/:id')
  @ApiView(HsdsOrganizationView)
  @Public()
  getOrganization(@CurrentAbility() ability: AppAbility, @OptionalActor() actor: Actor | undefined, @Param('id', IdPipe) id: string, @Query() q: HsdsOrganizationGetQuery) {
    return this.search.getOrganisation(ability, id, langOf(q, actor), q.full_service);
  }

  @Get('service_at_locations')
  @ApiView(hsdsPageOf(HsdsServiceAtLocationView), { alsoAsText: ['application/x-ndjson'] })
  @Public()
  listServiceAtLocations(@CurrentAbility() ability: AppAbility, @OptionalActor() actor: Actor | undefined, @Query() q: HsdsSalQuery) {
    return inFormat(q, (paging) => this.search.listServiceAtLocations(ability, { ...q, ...paging }, langOf(q, actor)));
  }

  @Get('service_at_locations/:id')
  @ApiView(HsdsServiceAtLocationView)
  @Public()
  async getServiceAtLocation(@CurrentAbility() ability: AppAbility, @OptionalActor() actor: Actor | undefined, @Param('id', IdPipe) id: string, @Query() q: LangQuery) {
    const page = await this.search.listServiceAtLocations(ability, {}, langOf(q, actor), id);
    if (!page.contents.length) throw notFound('service_at_location');
    return page.contents[0];
  }

  @Get('taxonomies')
  @ApiView(hsdsPageOf(HsdsTaxonomyView), { alsoAsText: ['application/x-ndjson'] })
  @Public()
  taxonomies(@Query() q: HsdsPageQuery) {
    return inFormat(q, async (paging) => this.search.taxonomies({ ...q, ...paging }));
  }

  @Get('taxonomies/:id')
  @ApiView(HsdsTaxonomyView)
  @Public()
  taxonomy(@Param('id', IdPipe) id: string) {
    return this.search.taxonomy(id);
  }

  @Get('taxonomy_terms')
  @ApiView(hsdsPageOf(HsdsTaxonomyTermView), { alsoAsText: ['application/x-ndjson'] })
  @Public()
  terms(@OptionalActor() actor: Actor | undefined, @Query() q: HsdsTermQuery) {
    return inFormat(q, async (paging) => this.search.terms({ ...q, ...paging }, langOf(q, actor)));
  }

  @Get('taxonomy_terms/:id')
  @ApiView(HsdsTaxonomyTermView)
  @Public()
  term(@OptionalActor() actor: Actor | undefined, @Param('id', IdPipe) id: string, @Query() q: LangQuery) {
    return this.search.term(id, langOf(q, actor));
  }
}
