import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { Can, CurrentAbility, CurrentActor } from '../authorization/policies.js';
import { IdPipe } from '../common/params.js';
import { CaseImportService } from './case-import.service.js';
import { CheckImportDto, IssuesQuery, RemapDto, TemplateQuery } from './dto/import.dto.js';
import { ImportErrors } from './imports.errors.js';
import { parseMapping } from './register-sheet.js';
import { registerTemplate } from './register-template.js';
import { ApiFile, ApiView } from '../common/api-views.js';
import { ImportBatchListView, ImportBatchView } from './imports.views.js';

/** Largest sheet accepted (a 50,000-row register is about 5 MB as XLSX). */
export const IMPORT_MAX_BYTES = 25 * 1024 * 1024;
export const UPLOAD = FileInterceptor('file', { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 10 } });

export interface UploadedSheet {
  buffer: Buffer;
  size: number;
}

@ApiTags('imports')
@Controller('api/v1/imports/cases')
export class ImportsController {
  constructor(private readonly imports: CaseImportService) {}

  @Get('template')
  @ApiFile(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], { description: 'The register template (XLSX)' })
  @Can('create', 'Import')
  async template(@Query() q: TemplateQuery, @CurrentActor() actor: Actor, @Res() res: Response) {
    const lang = q.lang ?? actor.language;
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="tawjih-register-${lang}.xlsx"`);
    res.end(await registerTemplate(lang));
  }

  /** Upload and dry run: the batch with its counts and row issues; nothing imported yet. */
  @Post()
  @ApiView(ImportBatchView, { status: 201 })
  @Can('create', 'Import')
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(UPLOAD)
  check(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @UploadedFile() file: UploadedSheet | undefined, @Body() dto: CheckImportDto) {
    if (!file?.buffer?.length) throw ImportErrors.noFile();
    return this.imports.check(actor, ability, file.buffer, dto);
  }

  @Get()
  @ApiView(ImportBatchListView)
  @Can('read', 'Import')
  list(@CurrentAbility() ability: AppAbility) {
    return this.imports.list(ability);
  }

  @Get(':id')
  @ApiView(ImportBatchView)
  @Can('read', 'Import')
  get(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Query() q: IssuesQuery) {
    return this.imports.get(actor, ability, id, q.fromRow, q.lang);
  }

  /** Checks the batch's sheet again with another column mapping; answers the new batch (the old one is discarded). */
  @Post(':id/mapping')
  @ApiView(ImportBatchView, { status: 201 })
  @Can('update', 'Import')
  remap(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Body() dto: RemapDto) {
    return this.imports.remap(actor, ability, id, parseMapping(JSON.stringify(dto.mapping)));
  }

  /** Starts the import of a checked batch (202: it runs in the background; poll the batch for progress). */
  @Post(':id/run')
  @ApiView(ImportBatchView, { status: 202 })
  @HttpCode(202)
  @Can('update', 'Import')
  run(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.imports.run(actor, ability, id);
  }

  @Post(':id/undo')
  @ApiView(ImportBatchView)
  @HttpCode(200)
  @Can('delete', 'Import')
  undo(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.imports.undo(actor, ability, id);
  }

  @Delete(':id')
  @ApiView(ImportBatchView)
  @Can('delete', 'Import')
  discard(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.imports.discard(actor, ability, id);
  }
}
