import { Body, Controller, Get, Injectable, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppAbility } from '../../authorization/ability.factory.js';
import { LANGUAGES, ORGANISATION_TYPES, ROLES, type Actor } from '../../authorization/actor.js';
import { Can, CurrentAbility, CurrentActor } from '../../authorization/policies.js';
import { IdPipe } from '../../common/params.js';
import { OrganisationsService } from '../../organisations/organisations.service.js';
import { CreateOrganisationDto, UpdateOrganisationDto } from '../../organisations/dto/organisation.dto.js';
import { PlacesService } from '../../places/places.service.js';
import { UsersService } from '../../users/users.service.js';
import { CreateUserDto } from '../../users/dto/user.dto.js';
import { USER_STATUSES, type UserStatus } from '../../users/user.entity.js';
import { OutboxService } from '../../notifications/outbox.service.js';
import { notFound } from '../../common/domain-error.js';
import type { DashboardCard, DashboardSource } from '../dashboard-cards.js';
import { attempt, parseForm, type FormBody } from '../forms.js';
import { Views, type PageRequest } from '../views.service.js';

const cursorOf = (v: unknown) => (typeof v === 'string' && v.length < 200 ? v : undefined);

/** Administration: organisations, users (invite, disable, second factor), e-mails that failed. Same services as /api/v1. */
@ApiExcludeController()
@Controller('admin')
export class AdminPagesController {
  constructor(
    private readonly views: Views,
    private readonly organisations: OrganisationsService,
    private readonly places: PlacesService,
    private readonly users: UsersService,
    private readonly outbox: OutboxService,
  ) {}

  @Get('organisations')
  @Can('create', 'Organisation')
  async organisationsPage(@Req() req: PageRequest, @Res() res: Response, @CurrentAbility() ability: AppAbility, @Query('cursor') cursor?: string) {
    await this.organisationsView(req, res, ability, { cursor: cursorOf(cursor) });
  }

  @Post('organisations')
  @Can('create', 'Organisation')
  async createOrganisation(@Req() req: PageRequest, @Res() res: Response, @CurrentAbility() ability: AppAbility, @Body() body: FormBody) {
    const r = await attempt(async () => this.organisations.create(ability, await parseForm(CreateOrganisationDto, body)));
    if (!r.ok) return this.organisationsView(req, res, ability, { error: r.error, values: body }, r.error.status);
    res.redirect(303, '/admin/organisations?notice=organisationCreated');
  }

  /** An existing organisation's name in French and in Arabic (PATCH /api/v1/organisations/{id}). */
  @Get('organisations/:id')
  @Can('update', 'Organisation')
  async organisationPage(@Req() req: PageRequest, @Res() res: Response, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    const org = await this.organisations.get(ability, id);
    await this.views.send(req, res, 'admin/organisation', { title: 'admin.organisations.edit', org, values: { name: org.name, nameAr: org.nameAr ?? '' } });
  }

  @Post('organisations/:id')
  @Can('update', 'Organisation')
  async updateOrganisation(@Req() req: PageRequest, @Res() res: Response, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Body() body: FormBody) {
    const r = await attempt(async () => {
      const dto = await parseForm(UpdateOrganisationDto, { name: body.name, nameAr: body.nameAr });
      // An emptied Arabic name is removed (a form leaves empty fields out).
      if (dto.nameAr === undefined) dto.nameAr = null;
      return this.organisations.update(ability, id, dto);
    });
    if (!r.ok) {
      const org = await this.organisations.get(ability, id);
      return this.views.send(req, res, 'admin/organisation', { title: 'admin.organisations.edit', org, error: r.error, values: body }, r.error.status);
    }
    res.redirect(303, '/admin/organisations?notice=saved');
  }

  @Get('users')
  @Can('create', 'User')
  async usersPage(
    @Req() req: PageRequest,
    @Res() res: Response,
    @CurrentAbility() ability: AppAbility,
    @Query('cursor') cursor?: string,
    @Query('status') status?: string,
  ) {
    await this.usersView(req, res, ability, { cursor: cursorOf(cursor), status: USER_STATUSES.find((s) => s === status) });
  }

  @Post('users')
  @Can('create', 'User')
  async inviteUser(@Req() req: PageRequest, @Res() res: Response, @CurrentAbility() ability: AppAbility, @Body() body: FormBody) {
    const r = await attempt(async () => this.users.create(ability, await parseForm(CreateUserDto, body, ['roles'])));
    if (!r.ok) return this.usersView(req, res, ability, { error: r.error, values: body }, r.error.status);
    res.redirect(303, '/admin/users?notice=userInvited');
  }

  @Post('users/:id/:action')
  @Can('update', 'User')
  async userAction(
    @Req() req: PageRequest,
    @Res() res: Response,
    @CurrentAbility() ability: AppAbility,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: string,
    @Param('action') action: string,
  ) {
    const actions: Record<string, [() => Promise<unknown>, string]> = {
      invite: [() => this.users.sendPasswordLink(ability, id), 'linkSent'],
      disable: [() => this.users.disable(ability, actor, id), 'userDisabled'],
      enable: [() => this.users.enable(ability, id), 'userEnabled'],
      'reset-mfa': [() => this.users.resetMfa(ability, id), 'mfaReset'],
    };
    const chosen = actions[action];
    if (!chosen) throw notFound('action');
    const r = await attempt(chosen[0]);
    if (!r.ok) return this.usersView(req, res, ability, { error: r.error }, r.error.status);
    res.redirect(303, `/admin/users?notice=${chosen[1]}`);
  }

  @Get('outbox')
  @Can('read', 'Outbox')
  async outboxPage(@Req() req: PageRequest, @Res() res: Response, @Query('cursor') cursor?: string) {
    const page = await this.outbox.list({ status: 'failed', cursor: cursorOf(cursor), limit: 50 });
    await this.views.send(req, res, 'admin/outbox', { title: 'admin.outbox.title', page });
  }

  @Post('outbox/retry-failed')
  @Can('update', 'Outbox')
  async retryAll(@Res() res: Response) {
    await this.outbox.retryFailed();
    res.redirect(303, '/admin/outbox?notice=retriedAll');
  }

  @Post('outbox/:id/retry')
  @Can('update', 'Outbox')
  async retry(@Res() res: Response, @Param('id', IdPipe) id: string) {
    await this.outbox.retry(id);
    res.redirect(303, '/admin/outbox?notice=retried');
  }

  private async organisationsView(req: PageRequest, res: Response, ability: AppAbility, extra: { cursor?: string } & Record<string, unknown>, status = 200) {
    const [page, regions, provinces] = await Promise.all([
      this.organisations.list(ability, { cursor: extra.cursor, limit: 50 }),
      this.places.list({ level: 'region', limit: 200 }),
      this.places.list({ level: 'province', limit: 200 }),
    ]);
    const placeNames = new Map([...regions.items, ...provinces.items].map((p) => [p.id, p]));
    await this.views.send(
      req,
      res,
      'admin/organisations',
      { title: 'admin.organisations.title', page, regions: regions.items, provinces: provinces.items, placeNames, types: ORGANISATION_TYPES, values: {}, ...extra },
      status,
    );
  }

  private async usersView(req: PageRequest, res: Response, ability: AppAbility, extra: { cursor?: string; status?: UserStatus } & Record<string, unknown>, status = 200) {
    const [page, orgs] = await Promise.all([
      this.users.list(ability, { cursor: extra.cursor, status: extra.status, limit: 50 }),
      this.organisations.list(ability, { limit: 200 }),
    ]);
    const orgNames = new Map(orgs.items.map((o) => [o.id, o.name]));
    await this.views.send(
      req,
      res,
      'admin/users',
      { title: 'admin.users.title', page, organisations: orgs.items, orgNames, roles: ROLES, languages: LANGUAGES, statuses: USER_STATUSES, values: {}, ...extra },
      status,
    );
  }
}

/** The administrator's dashboard cards. */
@Injectable()
export class AdminDashboard implements DashboardSource {
  async cards(_actor: Actor, ability: AppAbility): Promise<DashboardCard[]> {
    if (!(ability.can('create', 'User') && ability.can('create', 'Organisation'))) return [];
    return [
      { id: 'admin-users', title: 'nav.users', href: '/admin/users', text: 'dashboard.adminText' },
      { id: 'admin-orgs', title: 'nav.organisations', href: '/admin/organisations' },
      { id: 'admin-outbox', title: 'nav.outbox', href: '/admin/outbox', text: 'admin.outbox.intro' },
    ];
  }
}
