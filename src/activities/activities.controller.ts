import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { Can, CurrentAbility, CurrentActor } from '../authorization/policies.js';
import { API } from '../common/api.js';
import { IdPipe } from '../common/params.js';
import { ActivitiesService } from './activities.service.js';
import { ActivityQuery, CreateActivityDto, UpdateActivityDto } from './dto/activity.dto.js';
import { ApiNoContent, ApiView } from '../common/api-views.js';
import { ActivityPageView, ActivityView } from './activities.views.js';

@ApiTags('activities')
@ApiBearerAuth()
@Controller(`${API}/activities`)
export class ActivitiesController {
  constructor(private readonly activities: ActivitiesService) {}

  @Get()
  @ApiView(ActivityPageView)
  @Can('read', 'Activity')
  list(@CurrentAbility() ability: AppAbility, @Query() q: ActivityQuery) {
    return this.activities.list(ability, q);
  }

  @Get(':id')
  @ApiView(ActivityView)
  @Can('read', 'Activity')
  get(@CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.activities.get(ability, id);
  }

  @Post()
  @ApiView(ActivityView, { status: 201 })
  @Can('create', 'Activity')
  create(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Body() dto: CreateActivityDto) {
    return this.activities.create(actor, ability, dto);
  }

  @Patch(':id')
  @ApiView(ActivityView)
  @Can('update', 'Activity')
  update(@CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Body() dto: UpdateActivityDto) {
    return this.activities.update(ability, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContent()
  @Can('delete', 'Activity')
  async remove(@CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string): Promise<void> {
    await this.activities.remove(ability, id);
  }
}
