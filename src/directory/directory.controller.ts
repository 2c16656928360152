import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Put, Query, Res, UploadedFile, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FileInterceptor, FilesInterceptor } from '@nestjs/platform-express';
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
import { ManagedServiceQuery, SuggestionQuery, TabularImportQuery } from './dto/query.dto.js';
import { DirectoryTabularService } from './directory-tabular.service.js';
import { TabularImportReportView, TabularZipView } from './directory-tabular.views.js';
import { CreateServiceDto, UpdateOrganisationProfileDto, UpdateServiceDto } from './dto/service.dto.js';
import { LagTolerant } from '../database/read-replica.js';
import { ApiFile, ApiView } from '../common/api-views.js';
import { DirectoryImportView, ManagedServicePageView, SuggestionsView } from './directory.views.js';
import { HsdsOrganizationView, HsdsServiceView } from './hsds.views.js';
import { pick } from './taxonomy.data.js';

/** Largest file of a tabular upload (a region's directory is well under 1 MB zipped). */
const TABULAR_MAX_BYTES = 20 * 1024 * 1024;

/** Managing the directory (coordinators of the region, admins; providers: their operational fields) and suggestions. */
@ApiTags('directory')
@ApiBearerAuth()
@Controller(`${API}/directory`)
export class DirectoryController {
  constructor(
    private readonly services: DirectoryService,
    private readonly search: DirectorySearchService,
    private readonly imports: DirectoryImportService,
    private readonly tabular: DirectoryTabularService,
  ) {}

  @Get('suggestions')
  @ApiView(SuggestionsView)
  @Can('read', 'Service')
  @ApiOperation({ summary: 'Services ranked for a need, with the parts of each score' })
  suggestions(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Query() q: SuggestionQuery) {
    return this.search.suggest(ability, q, q.lang ?? actor.language);
  }

  @Get('services')
  @ApiView(ManagedServicePageView)
  @Can('update', 'Service')
  @ApiOperation({ summary: 'Services the caller may edit (keyset pages), each named in the caller’s language where held, else French' })
  async list(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Query() q: ManagedServiceQuery) {
    const page = await this.services.listManaged(ability, q);
    return { items: page.items.map((s) => ({ id: s.id, organisationId: s.organisationId, name: pick({ fr: s.nameFr, ar: s.nameAr, en: s.nameEn }, actor.language), tier: s.tier, capacityStatus: s.capacityStatus, status: s.status, lastModified: s.lastModified })), nextCursor: page.nextCursor, language: actor.language };
  }

  @Get('services/:id')
  @ApiView(HsdsServiceView)
  @Can('read', 'Service')
  get(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Param('id', IdPipe) id: string) {
    return this.services.getJson(ability, id, actor.language);
  }

  @Post('services')
  @ApiView(HsdsServiceView, { status: 201 })
  @Can('create', 'Service')
  create(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Body() dto: CreateServiceDto) {
    return this.services.create(ability, actor, dto);
  }

  @Patch('services/:id')
  @ApiView(HsdsServiceView)
  @Can('update', 'Service')
  @ApiOperation({ summary: 'Change a service; lists sent replace the whole list. Providers: schedules, capacity, languages, focal points only.' })
  update(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body() dto: UpdateServiceDto) {
    return this.services.update(ability, actor, id, dto);
  }

  @Put('organisations/:id/profile')
  @ApiView(HsdsOrganizationView)
  @Can('update', 'Organisation')
  @ApiOperation({ summary: 'The directory profile (HSDS organization fields) of a service provider' })
  profile(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Param('id', IdPipe) id: string, @Body() dto: UpdateOrganisationProfileDto) {
    return this.services.updateProfile(ability, actor, id, dto);
  }

  @Post('import')
  @ApiView(DirectoryImportView)
  @HttpCode(200)
  @CheckPolicies((a) => a.can('create', 'Service'))
  @ApiConsumes('application/x-ndjson')
  @ApiOperation({ summary: 'HSDS services, one JSON object per line: upsert by id, all or nothing' })
  import(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Body() body: unknown) {
    return this.imports.import(ability, actor, typeof body === 'string' ? body : '');
  }

  @Get('export')
  @ApiFile(['application/x-ndjson'], { description: 'HSDS services, one JSON object per line' })
  @LagTolerant()
  @Can('update', 'Service')
  @Header('Content-Type', 'application/x-ndjson; charset=utf-8')
  @ApiOperation({ summary: 'The services the caller manages as HSDS JSON, one per line' })
  async export(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Res() res: Response) {
    for await (const line of this.imports.export(ability, actor)) res.write(line);
    res.end();
  }

  @Get('export.zip')
  @LagTolerant()
  @Can('update', 'Service')
  @ApiView(TabularZipView, { contentType: 'application/zip' })
  @ApiOperation({ summary: 'The services the caller manages as an HSDS 3.1 tabular data package (datapackage.json + CSVs), zipped' })
  async exportZip(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @Res() res: Response) {
    const zip = await this.tabular.exportZip(ability, actor);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', 'attachment; filename="tawjih-directory-hsds.zip"');
    res.end(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength));
  }

  @Post('import/tabular')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('create', 'Service'))
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(FilesInterceptor('file', 30, { limits: { fileSize: TABULAR_MAX_BYTES, files: 30, fields: 5 } }))
  @ApiView(TabularImportReportView)
  @ApiOperation({ summary: 'An HSDS tabular data package (a zip, or datapackage.json and its CSVs as several "file" parts): dry run, or upsert all or nothing' })
  importTabular(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @UploadedFiles() files: Array<{ originalname: string; buffer: Buffer }> | undefined, @Query() q: TabularImportQuery) {
    return this.tabular.import(ability, actor, (files ?? []).map((f) => ({ name: f.originalname, data: f.buffer })), q.dryRun ?? false);
  }

  @Post('import/sheet')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('create', 'Service'))
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: TABULAR_MAX_BYTES, files: 1, fields: 5 } }))
  @ApiView(TabularImportReportView)
  @ApiOperation({ summary: 'A services sheet (XLSX or CSV; headers such as Organisation, Service, Catégorie, Adresse, Ville, Téléphone, Horaires, Langues, Gratuit in fr/ar/en): dry run, or upsert all or nothing' })
  importSheet(@CurrentAbility() ability: AppAbility, @CurrentActor() actor: Actor, @UploadedFile() file: { buffer: Buffer } | undefined, @Query() q: TabularImportQuery) {
    return this.tabular.importSheet(ability, actor, file?.buffer, q.dryRun ?? false);
  }
}
