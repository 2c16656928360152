import { Body, Controller, Get, Injectable, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { subject } from '@casl/ability';
import type { AppAbility } from '../../authorization/ability.factory.js';
import type { Actor } from '../../authorization/actor.js';
import { Can, CurrentAbility, CurrentActor } from '../../authorization/policies.js';
import { ActivitiesService } from '../../activities/activities.service.js';
import { ACTIVITY_KINDS, MAX_PARTICIPANTS_PER_GROUP, PARTICIPANT_ORGANISATION_TYPES, PARTICIPANT_SEXES } from '../../activities/activity.constants.js';
import { ActivityQuery, CreateActivityDto } from '../../activities/dto/activity.dto.js';
import { DomainError } from '../../common/domain-error.js';
import { PlacesService } from '../../places/places.service.js';
import type { Place } from '../../places/place.entity.js';
import { attempt, field, parseForm, type FormBody } from '../forms.js';
import type { DashboardCard, DashboardSource } from '../dashboard-cards.js';
import { Views, type PageRequest } from '../views.service.js';

/** The participants grid's input for one organisation type and sex (`p.government.female`). */
const cell = (type: string, sex: string) => `p.${type}.${sex}`;

/**
 * Programme activities (trainings, workshops, fairs, symposiums): the list the caller may read
 * (a coordinator's region, all for analysts and admins) and, for those who may create them, the
 * form — validated by the API's CreateActivityDto and recorded by ActivitiesService.create.
 */
@ApiExcludeController()
@Controller('activities')
export class ActivitiesPagesController {
  constructor(
    private readonly views: Views,
    private readonly activities: ActivitiesService,
    private readonly places: PlacesService,
  ) {}

  @Get()
  @Can('read', 'Activity')
  async list(@Req() req: PageRequest, @Res() res: Response, @CurrentAbility() ability: AppAbility, @Query('cursor') cursor?: string) {
    await this.page(req, res, ability, { cursor: typeof cursor === 'string' ? cursor : undefined });
  }

  @Post()
  @Can('create', 'Activity')
  async create(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Body() body: FormBody) {
    // The grid becomes the API's list of {organisationType, sex, count}; `cells` maps each entry back to its input.
    const form: FormBody = { kind: body.kind, topic: body.topic, heldOn: body.heldOn, placeId: body.placeId };
    const cells: string[] = [];
    for (const type of PARTICIPANT_ORGANISATION_TYPES)
      for (const sex of PARTICIPANT_SEXES) {
        const count = field(body, cell(type, sex), 12).trim();
        if (!count || count === '0') continue;
        const i = cells.push(cell(type, sex)) - 1;
        Object.assign(form, { [`participants.${i}.organisationType`]: type, [`participants.${i}.sex`]: sex, [`participants.${i}.count`]: count });
      }
    const numbers = cells.map((_, i) => `participants.${i}.count`);
    const r = await attempt(async () => this.activities.create(actor, ability, await parseForm(CreateActivityDto, { participants: cells.length ? undefined : [], ...form }, { numbers, arrays: ['participants'] })));
    if (!r.ok) {
      // Field errors name `participants.<i>…`: point them at the grid's input instead.
      const fields = r.error.errors ?? [];
      const invalid = new Set(fields.map((e) => e.field.replace(/^participants\.(\d+).*$/, (_, i: string) => cells[Number(i)] ?? 'participants')));
      const summary = new DomainError(r.error.status, r.error.code, r.error.detail, fields.map((e) => ({ ...e, field: e.field.replace(/^participants\..*$/, 'participants') })));
      return this.page(req, res, ability, { error: summary, values: body, invalid }, r.error.status);
    }
    res.redirect(303, '/activities?notice=activityRecorded');
  }

  private async page(req: PageRequest, res: Response, ability: AppAbility, extra: { cursor?: string } & Record<string, unknown>, status = 200) {
    const [page, regions] = await Promise.all([
      this.activities.list(ability, Object.assign(new ActivityQuery(), { cursor: extra.cursor, limit: 50 })),
      this.places.list({ level: 'region', limit: 50 }),
    ]);
    // Places to pick: the regions the caller may record in, with their provinces and communes.
    const mayCreate = regions.items.filter((p) => ability.can('create', subject('Activity', { regionId: p.id }) as never));
    const below = await this.places.within(mayCreate.map((r) => r.id), { communes: true });
    const childrenOf = (parent: Place, level: Place['level']) => below.filter((p) => p.level === level && p.parentId === parent.id);
    const places = mayCreate.map((region) => ({
      region,
      provinces: childrenOf(region, 'province').map((province) => ({ province, communes: childrenOf(province, 'commune') })),
    }));
    const names = new Map<string, Place>(regions.items.map((p) => [p.id, p]));
    for (const r of places) for (const p of r.provinces) [p.province, ...p.communes].forEach((x) => names.set(x.id, x));
    await this.views.send(
      req,
      res,
      'activities/index',
      {
        title: 'activities.title',
        page,
        places,
        placeName: (id: string | null) => {
          const p = id ? names.get(id) : undefined;
          return p ? (this.views.language(req) === 'ar' ? p.nameAr : p.nameFr) : '';
        },
        canCreate: places.length > 0,
        kinds: ACTIVITY_KINDS,
        orgTypes: PARTICIPANT_ORGANISATION_TYPES,
        sexes: PARTICIPANT_SEXES,
        maxCount: MAX_PARTICIPANTS_PER_GROUP,
        cell,
        values: {},
        ...extra,
      },
      status,
    );
  }
}

/** Those who record activities (coordinators; admins have their own cards): a way to the form. */
@Injectable()
export class ActivitiesDashboard implements DashboardSource {
  cards(_actor: Actor, ability: AppAbility): Promise<DashboardCard[]> {
    const records = ability.can('create', 'Activity') && !ability.can('create', 'User');
    return Promise.resolve(records ? [{ id: 'activities', title: 'nav.activities', href: '/activities', text: 'dashboard.activitiesText' }] : []);
  }
}
