import { Body, Controller, Get, Injectable, Param, Post, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { subject } from '@casl/ability';
import type { Response } from 'express';
import type { AppAbility } from '../../authorization/ability.factory.js';
import { LANGUAGES, type Actor } from '../../authorization/actor.js';
import { Can, CurrentAbility, CurrentActor } from '../../authorization/policies.js';
import { IdPipe } from '../../common/params.js';
import { notFound } from '../../common/domain-error.js';
import { DirectoryService } from '../../directory/directory.service.js';
import { DirectoryTabularService } from '../../directory/directory-tabular.service.js';
import { DirectoryErrors } from '../../directory/directory.errors.js';
import { Csrf, csrfRefused } from '../csrf.js';
import { CreateServiceDto, UpdateServiceDto } from '../../directory/dto/service.dto.js';
import { CAPACITY_STATUSES, CATEGORY_CODES, SPOKEN_LANGUAGES, WEEKDAYS } from '../../directory/taxonomy.data.js';
import { SERVICE_TIERS } from '../../authorization/ability.factory.js';
import { OrganisationsService } from '../../organisations/organisations.service.js';
import { PlacesService } from '../../places/places.service.js';
import type { DashboardCard, DashboardSource } from '../dashboard-cards.js';
import { asFormError, attempt, parseForm, type FormBody } from '../forms.js';
import { Views, type PageRequest } from '../views.service.js';

const ROWS = 4;
/** A service's names and descriptions, the fields of the new-service page that the edit page also shows to whoever may change them. */
const NAME_FIELDS = ['nameFr', 'nameAr', 'nameEn', 'descriptionFr', 'descriptionAr', 'descriptionEn'] as const;
/** A service map's file: as the API's directory imports take. */
const SERVICE_MAP_MAX_BYTES = 20 * 1024 * 1024;

/** Keeps the rows of a repeated group (`schedules.0.opensAt` …) that were filled in. */
function rows(body: FormBody, group: string, key: string, from?: Map<string, string>): FormBody {
  const out: FormBody = {};
  let n = 0;
  for (let i = 0; i < ROWS + 10; i++) {
    if (!body[`${group}.${i}.${key}`]) continue;
    for (const [k, v] of Object.entries(body)) if (k.startsWith(`${group}.${i}.`)) out[`${group}.${n}.${k.slice(`${group}.${i}.`.length)}`] = v;
    // Row n of the DTO is row i of the form: its errors go back beside the fields typed.
    from?.set(`${group}.${n}.`, `${group}.${i}.`);
    n++;
  }
  return out;
}

/**
 * "My services" (providers: hours, capacity, languages, focal points) and the region's directory
 * (coordinators): the services the caller may update, through DirectoryService.update — which
 * itself refuses the fields a provider may not touch.
 */
@ApiExcludeController()
@Controller('my-services')
export class ServicesPagesController {
  constructor(
    private readonly views: Views,
    private readonly services: DirectoryService,
    private readonly organisations: OrganisationsService,
    private readonly places: PlacesService,
    private readonly tabular: DirectoryTabularService,
    private readonly csrf: Csrf,
  ) {}

  @Get()
  @Can('update', 'Service')
  async list(@Req() req: PageRequest, @Res() res: Response, @CurrentAbility() ability: AppAbility) {
    const page = await this.services.listManaged(ability, { limit: 100 });
    // A coordinator manages the region's directory, a provider its own services: the heading says which, as the menu does.
    const title = ability.can('create', 'Service') ? 'nav.directoryManage' : 'services.title';
    await this.views.send(req, res, 'services/list', { title, page });
  }

  /** A new service (coordinators: their region's providers; admins): the HSDS fields of POST /api/v1/services. */
  @Get('new')
  @Can('create', 'Service')
  async newForm(@Req() req: PageRequest, @Res() res: Response, @CurrentAbility() ability: AppAbility) {
    await this.newPage(req, res, ability, {});
  }

  @Post()
  @Can('create', 'Service')
  async create(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Body() body: FormBody) {
    const form: FormBody = { ...rows(body, 'schedules', 'opensAt') };
    for (const k of ['organisationId', 'tier', 'categories', 'freeOfCharge', 'noDocumentsRequired', 'feesDescription', 'phones.0.number'] as const) form[k] = body[k];
    for (const k of NAME_FIELDS) form[k] = body[k];
    // One location, when any of its fields is filled in.
    const LOCATION_FIELDS = ['address1', 'address1Ar', 'city', 'cityAr', 'province'];
    if (LOCATION_FIELDS.some((k) => body[`locations.0.${k}`])) {
      for (const k of LOCATION_FIELDS) form[`locations.0.${k}`] = body[`locations.0.${k}`];
    }
    ([] as string[]).concat(body.languages ?? []).forEach((code, i) => (form[`languages.${i}.code`] = code));
    String(Array.isArray(body.documents) ? body.documents.at(-1) : (body.documents ?? ''))
      .split('\n')
      .map((d) => d.trim())
      .filter(Boolean)
      .slice(0, 20)
      .forEach((d, i) => (form[`requiredDocuments.${i}.document`] = d));
    const arrays = ['categories', ...Object.keys(form).filter((k) => /^schedules\.\d+\.byday$/.test(k))];
    const r = await attempt(async () => this.services.create(ability, actor, await parseForm(CreateServiceDto, form, { arrays, booleans: ['freeOfCharge', 'noDocumentsRequired'] })));
    if (!r.ok) return this.newPage(req, res, ability, { error: r.error, values: body }, r.error.status);
    res.redirect(303, `/my-services/${String(r.value.id)}?notice=serviceCreated`);
  }

  /** A service map in: a services sheet (XLSX / CSV) or an HSDS tabular package (zip), checked first, then all or nothing. */
  @Get('import')
  @Can('create', 'Service')
  async importForm(@Req() req: PageRequest, @Res() res: Response) {
    await this.views.send(req, res, 'services/import', { title: 'services.import.title', kind: 'sheet', report: null });
  }

  /**
   * Multipart, so the anti-forgery token is checked here once the form is parsed (web.module.ts leaves
   * this route out of the middleware). The file is always checked first; "import" writes only a clean file.
   */
  @Post('import')
  @Can('create', 'Service')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: SERVICE_MAP_MAX_BYTES, files: 1, fields: 5 } }))
  async importRun(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @UploadedFile() file: { buffer: Buffer; originalname: string } | undefined, @Body() body: FormBody) {
    if (!this.csrf.valid(req)) throw csrfRefused();
    const kind = body.kind === 'hsds' ? 'hsds' : 'sheet';
    const run = (dryRun: boolean) => {
      if (!file?.buffer?.length) throw DirectoryErrors.tabularNoFile();
      return kind === 'hsds' ? this.tabular.import(ability, actor, [{ name: file.originalname, data: file.buffer }], dryRun) : this.tabular.importSheet(ability, actor, file.buffer, dryRun);
    };
    const checked = await attempt(() => run(true));
    // An error that names no field is about the file itself: shown beside the file input.
    if (!checked.ok) return this.views.send(req, res, 'services/import', { title: 'services.import.title', kind, report: null, error: checked.error, invalid: checked.error.errors?.length ? undefined : new Set(['file']) }, checked.error.status);
    const write = body.action === 'import' && !checked.value.errors.length;
    const r = write ? await attempt(() => run(false)) : checked;
    if (!r.ok) return this.views.send(req, res, 'services/import', { title: 'services.import.title', kind, report: checked.value, error: r.error }, r.error.status);
    await this.views.send(req, res, 'services/import', { title: 'services.import.title', kind, report: r.value, written: write }, write || !r.value.errors.length ? 200 : 422);
  }

  @Get(':id')
  @Can('update', 'Service')
  async edit(@Req() req: PageRequest, @Res() res: Response, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    await this.editPage(req, res, ability, id);
  }

  @Post(':id')
  @Can('update', 'Service')
  async save(
    @Req() req: PageRequest,
    @Res() res: Response,
    @CurrentActor() actor: Actor,
    @CurrentAbility() ability: AppAbility,
    @Param('id', IdPipe) id: string,
    @Body() body: FormBody,
  ) {
    const from = new Map<string, string>();
    const form: FormBody = {
      capacityStatus: body.capacityStatus,
      ...rows(body, 'schedules', 'opensAt', from),
      ...rows(body, 'focalPoints', 'language', from),
    };
    const languages = ([] as string[]).concat(body.languages ?? []);
    languages.forEach((code, i) => (form[`languages.${i}.code`] = code));
    // Names and descriptions: only on the page of those who may change them (coordinators, admins).
    const texts = NAME_FIELDS.filter((k) => k in body);
    for (const k of texts) form[k] = body[k];
    const arrays = Object.keys(form).filter((k) => /^schedules\.\d+\.byday$/.test(k));
    const r = await attempt(async () => {
      const dto = await parseForm(UpdateServiceDto, form, { arrays });
      if (!languages.length) (dto as { languages?: unknown[] }).languages = [];
      // A text emptied is removed (a form leaves empty fields out): the reader then gets the French.
      for (const k of texts) if (dto[k] === undefined) (dto as Record<string, unknown>)[k] = null;
      return this.services.update(ability, actor, id, dto);
    });
    if (!r.ok) {
      const back = (f: string) => {
        if (/^languages\.\d+/.test(f)) return 'languages';
        const row = /^(schedules|focalPoints)\.\d+\./.exec(f)?.[0];
        return row && from.has(row) ? from.get(row)! + f.slice(row.length) : f;
      };
      return this.editPage(req, res, ability, id, { error: asFormError(r.error, back), values: body }, r.error.status);
    }
    res.redirect(303, `/my-services/${id}?notice=saved`);
  }

  private async newPage(req: PageRequest, res: Response, ability: AppAbility, extra: Record<string, unknown>, status = 200) {
    const [orgs, provinces] = await Promise.all([
      this.organisations.list(ability, { type: 'service_provider', limit: 200 }),
      this.places.list({ level: 'province', limit: 200 }),
    ]);
    // Only what the caller may create services for: the rule is checked again by the service.
    const organisations = orgs.items.filter((o) => o.status === 'active' && ability.can('create', subject('Service', { organisationId: o.id, regionId: o.regionId }) as never));
    const places = provinces.items.filter((p) => ability.can('create', subject('Service', { regionId: p.parentId }) as never));
    await this.views.send(
      req,
      res,
      'services/new',
      {
        title: 'services.new',
        organisations,
        provinces: places,
        categories: CATEGORY_CODES,
        tiers: SERVICE_TIERS,
        weekdays: WEEKDAYS,
        spokenLanguages: Object.entries(SPOKEN_LANGUAGES),
        rows: ROWS,
        values: {},
        ...extra,
      },
      status,
    );
  }

  private async editPage(req: PageRequest, res: Response, ability: AppAbility, id: string, extra: Record<string, unknown> = {}, status = 200) {
    const service = await this.services.getJson(ability, id, this.views.language(req));
    // Readable is not enough here: the management view (focal points) is only given to those who may update it.
    if (!('referral_focal_points' in service)) throw notFound('service');
    await this.views.send(
      req,
      res,
      'services/edit',
      { title: 'services.title', service, mayRename: ability.can('update', 'Service', 'nameFr'), capacities: CAPACITY_STATUSES, weekdays: WEEKDAYS, spokenLanguages: Object.entries(SPOKEN_LANGUAGES), languages: LANGUAGES, rows: ROWS, ...extra },
      status,
    );
  }
}

/** Providers and coordinators: the services they keep current, with their capacity. */
@Injectable()
export class ServicesDashboard implements DashboardSource {
  constructor(private readonly services: DirectoryService) {}

  async cards(_actor: Actor, ability: AppAbility): Promise<DashboardCard[]> {
    if (!ability.can('update', 'Service') || ability.can('create', 'User')) return [];
    const page = await this.services.listManaged(ability, { limit: 10 });
    return [
      {
        id: 'my-services',
        title: ability.can('create', 'Service') ? 'nav.directoryManage' : 'nav.myServices',
        href: '/my-services',
        rows: page.items.map((s) => ({
          label: { fr: s.nameFr, ar: s.nameAr, en: s.nameEn },
          href: `/my-services/${s.id}`,
          mark: `capacity.${s.capacityStatus}`,
          markClass: s.capacityStatus === 'accepting' ? 'ok' : 'warn',
        })),
      },
    ];
  }
}
