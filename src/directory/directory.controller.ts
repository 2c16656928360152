import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { Can, CheckPolicies, CurrentAbility, CurrentActor } from '../authorization/policies.js';
import { API } from '../common/api.js';
import { IdPipe } from '../common/params.js';
import { DirectoryImportService } from './directory-import.service.js';
import { DirectorySearchService } from './directory-search.service.js';
import { DirectoryService } from './directory.service.js';
import { ManagedServiceQuery, SuggestionQuery } from './dto/query.dto.js';
import { CreateServiceDto, UpdateOrganisationProfileDto, UpdateServiceDto } from './dto/service.dto.js';
import { LagTolerant } from '../database/read-replica.js';

/** Managing the directory (coordinators of the region, admins; providers: their operational fields) and suggestions. */
@ApiTags('directory')
@ApiBearerAuth()
@Controller(`${API}/directory`)
export class DirectoryController {
  constructor(
    private readonly services: DirectoryService,
    private readonly search: DirectorySearchService,
    private readonly imports: DirectoryImportService,
  ) {}

  @Get('suggestions')
  @Can('read', 'Service')
  @ApiOperation({ summary: 'Services ranked for a need, with the parts of each score' })
  suggestions(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Query() q: SuggestionQuery) {
    return this.search.suggest(ability, q, q.lang ?? actor.language);
  }

  @Get('services')
  @Can('update', 'Service')
  @ApiOperation({ summary: 'Services the caller may edit (keyset pages)' })
  async list(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Query() q: ManagedServiceQuery) {
    const page = await this.services.listManaged(ability, q);
    return { items: page.items.map((s) => ({ id: s.id, organisationId: s.organisationId, name: s.nameFr ?? s.nameAr ?? s.nameEn, tier: s.tier, capacityStatus: s.capacityStatus, status: s.status, lastModified: s.lastModified })), nextCursor: page.nextCursor, language: actor.language };
  }

  @Get('services/:id')
  @Can('read', 'Service')
  get(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.services.getJson(ability, id, actor.language);
  }

  @Post('services')
  @Can('create', 'Service')
  create(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Body() dto: CreateServiceDto) {
    return this.services.create(ability, actor, dto);
  }

  @Patch('services/:id')
  @Can('update', 'Service')
  @ApiOperation({ summary: 'Change a service; lists sent replace the whole list. Providers: schedules, capacity, languages, focal points only.' })
  update(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body() dto: UpdateServiceDto) {
    return this.services.update(ability, actor, id, dto);
  }

  @Put('organisations/:id/profile')
  @Can('update', 'Organisation')
  @ApiOperation({ summary: 'The directory profile (HSDS organization fields) of a service provider' })
  profile(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body() dto: UpdateOrganisationProfileDto) {
    return this.services.updateProfile(ability, actor, id, dto);
  }

  @Post('import')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('create', 'Service'))
  @ApiConsumes('application/x-ndjson')
  @ApiOperation({ summary: 'HSDS services, one JSON object per line: upsert by id, all or nothing' })
  import(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Body() body: unknown) {
    return this.imports.import(ability, actor, typeof body === 'string' ? body : '');
  }

  @Get('export')
  @LagTolerant()
  @Can('update', 'Service')
  @Header('Content-Type', 'application/x-ndjson; charset=utf-8')
  @ApiOperation({ summary: 'The services the caller manages as HSDS JSON, one per line' })
  async export(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Res() res: Response) {
    for await (const line of this.imports.export(ability, actor)) res.write(line);
    res.end();
  }
}
