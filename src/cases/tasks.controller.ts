import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { Can, CurrentAbility, CurrentActor } from '../authorization/policies.js';
import { API } from '../common/api.js';
import { CaseRecordsService } from './case-records.service.js';
import { TasksDueQuery } from './dto/records.dto.js';
import { ApiView } from '../common/api-views.js';
import { TasksDueView } from './case.views.js';

/** Follow-up tasks across cases: the caller's own, by due date. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller(`${API}/tasks`)
export class TasksController {
  constructor(private readonly records: CaseRecordsService) {}

  /** My open tasks: overdue, due today and in the next `days` days, earliest first, on cases I may read. */
  @Get('due')
  @ApiView(TasksDueView)
  @Can('read', 'Case')
  due(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Query() q: TasksDueQuery) {
    return this.records.tasksDue(actor, ability, q);
  }
}
