import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { Can, CurrentAbility, CurrentActor } from '../authorization/policies.js';
import { API } from '../common/api.js';
import { IdPipe } from '../common/params.js';
import { CaseRecordsService } from './case-records.service.js';
import { ConsentService } from './consent.service.js';
import { DeliveriesService } from './deliveries.service.js';
import { IncidentsService } from './incidents.service.js';
import {
  CreateConsentDto,
  CreateDeliveryDto,
  CreateIncidentDto,
  CreateNeedDto,
  CreateSessionDto,
  CreateTaskDto,
  UpdateNeedDto,
  UpdateTaskDto,
} from './dto/records.dto.js';
import { z } from 'zod';
import { ApiView } from '../common/api-views.js';
import { ConsentView, DeliveryView, IncidentView, NeedView, RecordedSessionView, SessionView, TaskView } from './case.views.js';

/** The records of one case: needs, sessions/notes, follow-up tasks, consents, incidents, deliveries. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller(`${API}/cases/:id`)
export class CaseRecordsController {
  constructor(
    private readonly records: CaseRecordsService,
    private readonly consents: ConsentService,
    private readonly incidents: IncidentsService,
    private readonly deliveries: DeliveriesService,
  ) {}

  @Get('needs')
  @ApiView(z.array(NeedView))
  @Can('read', 'Case')
  needs(@CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.records.listNeeds(ability, id);
  }

  @Post('needs')
  @ApiView(NeedView, { status: 201 })
  @Can('update', 'Case')
  addNeed(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Body() dto: CreateNeedDto) {
    return this.records.addNeed(actor, ability, id, dto);
  }

  @Patch('needs/:needId')
  @ApiView(NeedView)
  @Can('update', 'Case')
  setNeed(
    @CurrentActor() actor: Actor,
    @CurrentAbility() ability: AppAbility,
    @Param('id', IdPipe) id: string,
    @Param('needId', IdPipe) needId: string,
    @Body() dto: UpdateNeedDto,
  ) {
    return this.records.setNeedStatus(actor, ability, id, needId, dto);
  }

  @Get('sessions')
  @ApiView(z.array(SessionView))
  @Can('read', 'Case')
  @ApiOperation({
    summary: 'The sessions of a case',
    description:
      'Every member of the unit who may read the case sees that a session took place (date, kind, duration). Its note, the narrative of what the person told, is need-to-know like an incident: only the counsellor the case is assigned to and the unit’s supervisor read it; for anyone else `note` is null and `noteWithheld` true. Each note read is an audit row; a reassignment hands the notes over to the new counsellor.',
  })
  sessions(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.records.listSessions(actor, ability, id);
  }

  @Post('sessions')
  @ApiView(RecordedSessionView, { status: 201 })
  @Can('update', 'Case')
  addSession(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Body() dto: CreateSessionDto) {
    return this.records.addSession(actor, ability, id, dto);
  }

  @Get('tasks')
  @ApiView(z.array(TaskView))
  @Can('read', 'Case')
  tasks(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.records.listTasks(actor, ability, id);
  }

  @Post('tasks')
  @ApiView(TaskView, { status: 201 })
  @Can('update', 'Case')
  addTask(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Body() dto: CreateTaskDto) {
    return this.records.addTask(actor, ability, id, dto);
  }

  @Patch('tasks/:taskId')
  @ApiView(TaskView)
  @Can('update', 'Case')
  updateTask(
    @CurrentActor() actor: Actor,
    @CurrentAbility() ability: AppAbility,
    @Param('id', IdPipe) id: string,
    @Param('taskId', IdPipe) taskId: string,
    @Body() dto: UpdateTaskDto,
  ) {
    return this.records.updateTask(actor, ability, id, taskId, dto);
  }

  @Get('consents')
  @ApiView(z.array(ConsentView))
  @Can('read', 'Case')
  consentList(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.consents.list(actor, ability, id);
  }

  @Post('consents')
  @ApiView(ConsentView, { status: 201 })
  @Can('update', 'Case')
  addConsent(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Body() dto: CreateConsentDto) {
    return this.consents.record(actor, ability, id, dto);
  }

  @Post('consents/:consentId/withdraw')
  @ApiView(ConsentView)
  @HttpCode(200)
  @Can('update', 'Case')
  withdrawConsent(
    @CurrentActor() actor: Actor,
    @CurrentAbility() ability: AppAbility,
    @Param('id', IdPipe) id: string,
    @Param('consentId', IdPipe) consentId: string,
  ) {
    return this.consents.withdraw(actor, ability, id, consentId);
  }

  /** Assigned counsellor and supervisor only; others get 404. */
  @Get('incidents')
  @ApiView(z.array(IncidentView))
  @Can('read', 'Incident')
  incidentList(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.incidents.list(actor, ability, id);
  }

  @Post('incidents')
  @ApiView(IncidentView, { status: 201 })
  @Can('create', 'Incident')
  addIncident(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Body() dto: CreateIncidentDto) {
    return this.incidents.create(actor, ability, id, dto);
  }

  @Get('deliveries')
  @ApiView(z.array(DeliveryView))
  @Can('read', 'Case')
  deliveryList(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.deliveries.list(actor, ability, id);
  }

  @Post('deliveries')
  @ApiView(DeliveryView, { status: 201 })
  @Can('update', 'Case')
  addDelivery(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Body() dto: CreateDeliveryDto) {
    return this.deliveries.create(actor, ability, id, dto);
  }
}
