import { Body, Controller, Get, Param, Post, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppAbility } from '../../authorization/ability.factory.js';
import type { Actor } from '../../authorization/actor.js';
import { isLanguage } from '../i18n/i18n.js';
import { Can, CurrentAbility, CurrentActor } from '../../authorization/policies.js';
import { IdPipe } from '../../common/params.js';
import { CaseImportService, UNDO_WINDOW_DAYS } from '../../imports/case-import.service.js';
import { UPLOAD, type UploadedSheet } from '../../imports/imports.controller.js';
import { ImportErrors } from '../../imports/imports.errors.js';
import { fieldLabel, REGISTER_FIELDS } from '../../imports/register-fields.js';
import { registerTemplate } from '../../imports/register-template.js';
import { Csrf, csrfRefused, CSRF_FIELD } from '../csrf.js';
import { attempt, type FormBody } from '../forms.js';
import { Views, type PageRequest } from '../views.service.js';

/**
 * The supervisor's way in from Excel: upload (the dry run), review the mapping and the row
 * problems, import with a progress bar, undo within the window. Over CaseImportService, like the API.
 */
@ApiExcludeController()
@Controller('imports')
export class ImportsPagesController {
  constructor(
    private readonly views: Views,
    private readonly imports: CaseImportService,
    private readonly csrf: Csrf,
  ) {}

  @Get()
  @Can('read', 'Import')
  async index(@Req() req: PageRequest, @Res() res: Response, @CurrentAbility() ability: AppAbility) {
    await this.indexPage(req, res, ability, {});
  }

  @Get('template')
  @Can('create', 'Import')
  async template(@Req() req: PageRequest, @Res() res: Response, @Query('lang') lang: unknown) {
    const l = isLanguage(lang) ? lang : this.views.language(req);
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="tawjih-register-${l}.xlsx"`);
    res.end(await registerTemplate(l));
  }

  /**
   * Multipart: the anti-forgery token is in the form's fields, which only exist once the upload is
   * parsed, so this route checks it here (the page middleware leaves it out, see web.module.ts).
   */
  @Post()
  @Can('create', 'Import')
  @UseInterceptors(UPLOAD)
  async upload(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @UploadedFile() file: UploadedSheet | undefined, @Body() body: FormBody) {
    if (!this.csrf.valid(req)) throw csrfRefused();
    delete body[CSRF_FIELD];
    const r = await attempt(async () => {
      if (!file?.buffer?.length) throw ImportErrors.noFile();
      return this.imports.check(actor, ability, file.buffer, { importDuplicates: body.importDuplicates === 'on' });
    });
    // An error that names no field is about the file itself: shown beside the file input.
    if (!r.ok) return this.indexPage(req, res, ability, { error: r.error, invalid: r.error.errors?.length ? undefined : new Set(['file']) }, r.error.status);
    res.redirect(303, `/imports/${r.value.id}`);
  }

  @Get(':id')
  @Can('read', 'Import')
  async show(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Query('fromRow') fromRow: unknown) {
    const from = typeof fromRow === 'string' && /^\d{1,7}$/.test(fromRow) ? Number(fromRow) : 1;
    const batch = await this.imports.get(actor, ability, id, from, this.views.language(req));
    await this.showPage(req, res, batch);
  }

  /** The mapping form: one select per column (`col.B` = field, "" = ignore). */
  @Post(':id/mapping')
  @Can('update', 'Import')
  async remap(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Body() body: FormBody) {
    const mapping = Object.fromEntries(
      Object.entries(body)
        .filter(([k, v]) => /^col\.[A-Z]{1,3}$/.test(k) && typeof v === 'string')
        .map(([k, v]) => [k.slice(4), v as string]),
    );
    const r = await attempt(() => this.imports.remap(actor, ability, id, mapping));
    if (!r.ok) return this.showPage(req, res, await this.imports.get(actor, ability, id, 1, this.views.language(req)), r.error, r.error.status);
    res.redirect(303, `/imports/${r.value.id}`);
  }

  @Post(':id/run')
  @Can('update', 'Import')
  async run(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    await this.act(req, res, actor, ability, id, () => this.imports.run(actor, ability, id));
  }

  @Post(':id/undo')
  @Can('delete', 'Import')
  async undo(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    await this.act(req, res, actor, ability, id, () => this.imports.undo(actor, ability, id));
  }

  @Post(':id/discard')
  @Can('delete', 'Import')
  async discard(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    const r = await attempt(() => this.imports.discard(actor, ability, id));
    if (!r.ok) return this.showPage(req, res, await this.imports.get(actor, ability, id, 1, this.views.language(req)), r.error, r.error.status);
    res.redirect(303, '/imports?notice=importDiscarded');
  }

  private async act(req: PageRequest, res: Response, actor: Actor, ability: AppAbility, id: string, fn: () => Promise<unknown>) {
    const r = await attempt(fn);
    if (!r.ok) return this.showPage(req, res, await this.imports.get(actor, ability, id, 1, this.views.language(req)), r.error, r.error.status);
    res.redirect(303, `/imports/${id}`);
  }

  private async indexPage(req: PageRequest, res: Response, ability: AppAbility, extra: Record<string, unknown>, status = 200) {
    const { items } = await this.imports.list(ability);
    await this.views.send(req, res, 'imports/index', { title: 'imports.title', items, canCreate: ability.can('create', 'Import'), ...extra }, status);
  }

  private async showPage(req: PageRequest, res: Response, batch: Awaited<ReturnType<CaseImportService['get']>>, error: unknown = null, status = 200) {
    const lang = this.views.language(req);
    // A running import: the page reloads itself every few seconds (no script needed) to move the bar.
    if (batch.status === 'running') res.setHeader('Refresh', '3');
    await this.views.send(
      req,
      res,
      'imports/show',
      { title: 'imports.review', batch, error, fields: REGISTER_FIELDS.map((f) => ({ code: f, label: fieldLabel(f, lang) })), undoDays: UNDO_WINDOW_DAYS },
      status,
    );
  }
}
