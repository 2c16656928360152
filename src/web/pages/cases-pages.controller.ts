import { Body, Controller, Get, Injectable, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppAbility } from '../../authorization/ability.factory.js';
import type { Actor } from '../../authorization/actor.js';
import { Can, CurrentAbility, CurrentActor } from '../../authorization/policies.js';
import { IdPipe } from '../../common/params.js';
import { DomainError } from '../../common/domain-error.js';
import { CATEGORIES } from '../../common/categories.js';
import { CasesService } from '../../cases/cases.service.js';
import { CaseRecordsService } from '../../cases/case-records.service.js';
import { ConsentService } from '../../cases/consent.service.js';
import { IncidentsService } from '../../cases/incidents.service.js';
import { DeliveriesService } from '../../cases/deliveries.service.js';
import { AuditService } from '../../audit/audit.service.js';
import { UsersService } from '../../users/users.service.js';
import { ReferralViews } from '../../referrals/referral-views.service.js';
import { PlacesService } from '../../places/places.service.js';
import { ReferralQuery } from '../../referrals/dto/referral.dto.js';
import {
  AGE_BANDS, CASE_STATUSES, CLOSURE_REASONS, CONSENT_GIVERS, DOCUMENT_TYPES, NEED_STATUSES, REOPEN_REASONS, CONSENT_METHODS, INCIDENT_PLACE_TYPES, INCIDENT_TYPES, PERSON_LANGUAGES,
  POPULATION_GROUPS, RISK_LEVELS, SESSION_KINDS, SEXES, SHAREABLE_FIELDS, TIME_ELAPSED,
} from '../../cases/cases.constants.js';
import { AssignCaseDto, CaseQuery, CaseSearchDto, CaseStatusDto, CreateCaseDto, UpdateCaseDto, UpdatePersonDto } from '../../cases/dto/case.dto.js';
import { CreateConsentDto, CreateIncidentDto, CreateNeedDto, CreateSessionDto, CreateTaskDto, UpdateNeedDto, UpdateTaskDto } from '../../cases/dto/records.dto.js';
import type { DashboardCard, DashboardSource } from '../dashboard-cards.js';
import { attempt, field, parseForm, type FormBody } from '../forms.js';
import { Views, type PageRequest } from '../views.service.js';

const VOCAB = { categories: CATEGORIES, sexes: SEXES, ageBands: AGE_BANDS, populationGroups: POPULATION_GROUPS, personLanguages: PERSON_LANGUAGES, riskLevels: RISK_LEVELS, statuses: CASE_STATUSES };

/** Counsellors and supervisors: case list, new case, the case page and what is recorded on it. */
@ApiExcludeController()
@Controller('cases')
export class CasesPagesController {
  constructor(
    private readonly views: Views,
    private readonly cases: CasesService,
    private readonly records: CaseRecordsService,
    private readonly consents: ConsentService,
    private readonly incidents: IncidentsService,
    private readonly deliveries: DeliveriesService,
    private readonly audit: AuditService,
    private readonly users: UsersService,
    private readonly referrals: ReferralViews,
    private readonly places: PlacesService,
  ) {}

  /** Provinces a person may live in (the seeded regions'), with their communes, for the person forms, by name. */
  private async provinces() {
    const [items, communes] = await Promise.all([this.places.list({ level: 'province', limit: 200 }), this.places.list({ level: 'commune', limit: 500 })]);
    const byName = (a: { nameFr: string }, b: { nameFr: string }) => a.nameFr.localeCompare(b.nameFr, 'fr');
    return items.items
      .map((p) => ({ id: p.id, nameFr: p.nameFr, nameAr: p.nameAr, communes: communes.items.filter((c) => c.parentId === p.id).map((c) => ({ id: c.id, nameFr: c.nameFr, nameAr: c.nameAr })).sort(byName) }))
      .sort(byName);
  }

  @Get()
  @Can('read', 'Case')
  async list(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Query() raw: FormBody) {
    const filters = Object.fromEntries(['code', 'status', 'need', 'riskLevel', 'counsellorId', 'cursor', 'mine', 'limit'].map((k) => [k, raw[k]]).filter(([, v]) => typeof v === 'string' && v !== ''));
    const r = await attempt(async () => {
      const q = await parseForm(CaseQuery, { limit: '100', ...filters, mine: undefined, counsellorId: filters.mine ? actor.userId : filters.counsellorId } as FormBody, { numbers: ['limit'] });
      return this.cases.listCaseload(actor, ability, q);
    });
    const more = new URLSearchParams(Object.entries(filters).filter(([k]) => k !== 'cursor') as Array<[string, string]>).toString();
    await this.caseloadPage(req, res, actor, ability, { q: filters, page: r.ok ? r.value : { items: [], nextCursor: null }, error: r.ok ? null : r.error, moreQuery: more }, r.ok ? 200 : r.error.status);
  }

  /** Search by name, phone or document number: a POST, so nothing identifying is in a URL or a log line. */
  @Post('search')
  @Can('read', 'Case')
  async searchPerson(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Body() body: FormBody) {
    const r = await attempt(async () => this.cases.search(actor, ability, await parseForm(CaseSearchDto, { name: body.name, phone: body.phone, documentNumber: body.documentNumber })));
    const values = { name: field(body, 'name', 200), phone: field(body, 'phone', 30), documentNumber: field(body, 'documentNumber', 40) };
    await this.caseloadPage(req, res, actor, ability, { q: {}, searched: true, search: values, page: { items: r.ok ? r.value : [], nextCursor: null }, error: r.ok ? null : r.error, moreQuery: '' }, r.ok ? 200 : r.error.status);
  }

  private async caseloadPage(req: PageRequest, res: Response, actor: Actor, ability: AppAbility, data: Record<string, unknown>, status: number) {
    const counsellors = ability.can('assign', 'Case') ? (await this.users.list(ability, { organisationId: actor.organisationId, limit: 200 })).items.filter((u) => u.roles.includes('counsellor') || u.roles.includes('supervisor')) : [];
    await this.views.send(req, res, 'cases/list', { title: 'cases.title', search: {}, searched: false, counsellors, ...data, ...VOCAB }, status);
  }

  @Get('new')
  @Can('create', 'Case')
  async newForm(@Req() req: PageRequest, @Res() res: Response) {
    await this.views.send(req, res, 'cases/new', { title: 'cases.new', values: {}, provinces: await this.provinces(), ...VOCAB });
  }

  @Post()
  @Can('create', 'Case')
  async create(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Body() body: FormBody) {
    const r = await attempt(async () =>
      this.cases.create(actor, ability, await parseForm(CreateCaseDto, body, { arrays: ['needs', 'person.languages'], booleans: ['person.disability'] })),
    );
    if (!r.ok) return this.views.send(req, res, 'cases/new', { title: 'cases.new', values: body, error: r.error, provinces: await this.provinces(), ...VOCAB }, r.error.status);
    res.redirect(303, `/cases/${r.value.case.id}?notice=caseCreated`);
  }

  @Get(':id')
  @Can('read', 'Case')
  async show(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    await this.casePage(req, res, actor, ability, id);
  }

  /** Needs, sessions, consents, incidents: one form each on the case page, each to its service. */
  @Post(':id/:record')
  @Can('update', 'Case')
  async addRecord(
    @Req() req: PageRequest,
    @Res() res: Response,
    @CurrentActor() actor: Actor,
    @CurrentAbility() ability: AppAbility,
    @Param('id', IdPipe) id: string,
    @Param('record') record: string,
    @Body() body: FormBody,
  ) {
    const actions: Record<string, () => Promise<unknown>> = {
      needs: async () => this.records.addNeed(actor, ability, id, await parseForm(CreateNeedDto, body)),
      sessions: async () => this.records.addSession(actor, ability, id, await parseForm(CreateSessionDto, body, { numbers: ['durationMinutes'], booleans: ['recordDelivery'] })),
      consents: async () => this.consents.record(actor, ability, id, await parseForm(CreateConsentDto, body, ['categories', 'organisationIds', 'fields'])),
      incidents: async () => this.incidents.create(actor, ability, id, await parseForm(CreateIncidentDto, body)),
      assign: async () => this.cases.assign(actor, ability, id, await parseForm(AssignCaseDto, body)),
      tasks: async () => this.records.addTask(actor, ability, id, await parseForm(CreateTaskDto, body)),
      status: async () => this.cases.setStatus(actor, ability, id, await parseForm(CaseStatusDto, body)),
      risk: async () => this.cases.update(actor, ability, id, await parseForm(UpdateCaseDto, body)),
      person: async () => this.cases.updatePerson(actor, ability, id, await parseForm(UpdatePersonDto, body, { arrays: ['languages'], booleans: ['disability'] })),
    };
    const action = actions[record];
    if (!action) return this.casePage(req, res, actor, ability, id, { error: new DomainError(404, 'NOT_FOUND', 'No such action.') }, 404);
    const r = await attempt(action);
    if (!r.ok) return this.casePage(req, res, actor, ability, id, { error: r.error, form: record, values: body }, r.error.status);
    res.redirect(303, `/cases/${id}?notice=saved#${record}`);
  }

  /** A need's status (met, unmet, withdrawn, open again), through the same service as PATCH …/needs/:needId. */
  @Post(':id/needs/:needId')
  @Can('update', 'Case')
  async needStatus(
    @Req() req: PageRequest,
    @Res() res: Response,
    @CurrentActor() actor: Actor,
    @CurrentAbility() ability: AppAbility,
    @Param('id', IdPipe) id: string,
    @Param('needId', IdPipe) needId: string,
    @Body() body: FormBody,
  ) {
    const r = await attempt(async () => this.records.setNeedStatus(actor, ability, id, needId, await parseForm(UpdateNeedDto, body)));
    if (!r.ok) return this.casePage(req, res, actor, ability, id, { error: r.error, form: `need-${needId}`, values: body }, r.error.status);
    res.redirect(303, `/cases/${id}?notice=saved#needs`);
  }

  /** Reschedules or completes a follow-up task from the case page (PATCH …/tasks/:taskId). */
  @Post(':id/tasks/:taskId')
  @Can('update', 'Case')
  async taskUpdate(
    @Req() req: PageRequest,
    @Res() res: Response,
    @CurrentActor() actor: Actor,
    @CurrentAbility() ability: AppAbility,
    @Param('id', IdPipe) id: string,
    @Param('taskId', IdPipe) taskId: string,
    @Body() body: FormBody,
  ) {
    const r = await attempt(async () => this.records.updateTask(actor, ability, id, taskId, await parseForm(UpdateTaskDto, body)));
    if (!r.ok) return this.casePage(req, res, actor, ability, id, { error: r.error, form: `task-${taskId}`, values: body }, r.error.status);
    res.redirect(303, `/cases/${id}?notice=saved#tasks`);
  }

  /** "Done" on a follow-up task (from the dashboard), through the same service as PATCH …/tasks/:taskId. */
  @Post(':id/tasks/:taskId/done')
  @Can('update', 'Case')
  async taskDone(
    @Res() res: Response,
    @CurrentActor() actor: Actor,
    @CurrentAbility() ability: AppAbility,
    @Param('id', IdPipe) id: string,
    @Param('taskId', IdPipe) taskId: string,
  ) {
    await this.records.updateTask(actor, ability, id, taskId, { status: 'done' });
    res.redirect(303, '/dashboard?notice=taskDone#card-follow-ups');
  }

  @Post(':id/consents/:consentId/withdraw')
  @Can('update', 'Case')
  async withdraw(
    @Res() res: Response,
    @CurrentActor() actor: Actor,
    @CurrentAbility() ability: AppAbility,
    @Param('id', IdPipe) id: string,
    @Param('consentId', IdPipe) consentId: string,
  ) {
    await this.consents.withdraw(actor, ability, id, consentId);
    res.redirect(303, `/cases/${id}?notice=saved#consents`);
  }

  private async casePage(req: PageRequest, res: Response, actor: Actor, ability: AppAbility, id: string, extra: Record<string, unknown> = {}, status = 200) {
    const kase = await this.cases.get(actor, ability, id); // 404 when out of scope
    const [sessions, consents, deliveries, tasks, provinces] = await Promise.all([
      this.records.listSessions(actor, ability, id),
      this.consents.list(actor, ability, id),
      this.deliveries.list(actor, ability, id),
      this.records.listTasks(actor, ability, id),
      this.provinces(),
    ]);
    // Incidents: only for those allowed (assigned counsellor, supervisor); others see that there are none to show.
    const incidents = ability.can('read', 'Incident') ? await this.incidents.list(actor, ability, id).catch(() => null) : null;
    const supervising = ability.can('assign', 'Case');
    const staff = supervising ? (await this.users.list(ability, { organisationId: actor.organisationId, limit: 200 })).items : [];
    const counsellors = staff.filter((u) => u.status === 'active' && u.roles.includes('counsellor'));
    const trail = supervising && ability.can('read', 'AuditEvent') ? (await this.audit.list(ability, { entityId: id, limit: 20 })).items : null;
    const names = new Map(staff.map((u) => [u.id, u.displayName]));
    const referrals = await this.referralsOf(this.views.reader(req, actor), ability, id);
    await this.views.send(
      req,
      res,
      'cases/show',
      {
        title: 'cases.case',
        titleVars: { code: kase.code },
        kase,
        sessions,
        tasks: [...tasks].sort((a, b) => (a.status === 'open' ? 0 : 1) - (b.status === 'open' ? 0 : 1) || a.dueDate.localeCompare(b.dueDate)),
        provinces,
        closureReasons: CLOSURE_REASONS,
        reopenReasons: REOPEN_REASONS,
        needStatuses: NEED_STATUSES,
        documentTypes: DOCUMENT_TYPES,
        consents,
        deliveries,
        incidents,
        counsellors,
        trail,
        userName: (userId: string | null) => (userId && names.get(userId)) || '—',
        referrals,
        canRefer: ability.can('create', 'Referral') && kase.status !== 'closed',
        canUpdate: ability.can('update', 'Case') && !kase.anonymisedAt,
        values: {},
        form: null,
        sessionKinds: SESSION_KINDS,
        consentGivers: CONSENT_GIVERS,
        consentMethods: CONSENT_METHODS,
        shareableFields: SHAREABLE_FIELDS,
        incidentTypes: INCIDENT_TYPES,
        incidentPlaces: INCIDENT_PLACE_TYPES,
        timeElapsed: TIME_ELAPSED,
        ...VOCAB,
        ...extra,
      },
      status,
    );
  }

  /** The case's referrals, newest first, as the referrals service shows them to the unit. */
  private async referralsOf(actor: Actor, ability: AppAbility, caseId: string): Promise<unknown[]> {
    if (!ability.can('read', 'Referral')) return [];
    return (await this.referrals.list(actor, ability, Object.assign(new ReferralQuery(), { caseId, limit: 50 }))).items;
  }
}

/** Counsellor and supervisor dashboard: my cases, and my follow-ups due. */
@Injectable()
export class CasesDashboard implements DashboardSource {
  constructor(
    private readonly cases: CasesService,
    private readonly records: CaseRecordsService,
  ) {}

  async cards(actor: Actor, ability: AppAbility): Promise<DashboardCard[]> {
    if (!ability.can('read', 'Case')) return [];
    const [mine, due] = await Promise.all([
      this.cases.list(actor, ability, Object.assign(new CaseQuery(), { counsellorId: actor.userId, limit: 10 })),
      this.records.tasksDue(actor, ability, { days: 3, limit: 10 }),
    ]);
    return [
      {
        id: 'my-cases',
        title: 'dashboard.myCases',
        href: '/cases?mine=1',
        rows: mine.items.map((c) => ({ label: c.code, href: `/cases/${c.id}`, mark: `caseStatus.${c.status}`, markClass: c.riskLevel === 'high' ? 'bad' : '' })),
      },
      {
        id: 'follow-ups',
        title: 'dashboard.followUps',
        href: '/cases?mine=1',
        empty: 'dashboard.followUpsNone',
        // By case code only: the task's own text can name people.
        rows: due.items.map((t) => ({
          label: t.caseCode,
          href: `/cases/${t.caseId}`,
          date: t.dueDate,
          mark: t.overdue ? 'dashboard.taskOverdue' : t.dueDate === due.today ? 'dashboard.taskToday' : undefined,
          markClass: t.overdue ? 'bad' : 'warn',
          action: ability.can('update', 'Case') ? { href: `/cases/${t.caseId}/tasks/${t.id}/done`, label: 'dashboard.taskDone', name: t.caseCode } : undefined,
        })),
      },
      { id: 'new-case', title: 'cases.new', href: '/cases/new' },
    ];
  }
}
