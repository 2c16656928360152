import { ApiView } from '../common/api-views.js';
import { OrganisationPageView, OrganisationView } from './organisations.views.js';
import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AppAbility } from '../authorization/ability.factory.js';
import { Can, CurrentAbility } from '../authorization/policies.js';
import { IdPipe } from '../common/params.js';
import { API } from '../common/api.js';
import { CreateOrganisationDto, OrganisationQuery, UpdateOrganisationDto } from './dto/organisation.dto.js';
import { OrganisationsService } from './organisations.service.js';

@ApiTags('organisations')
@ApiBearerAuth()
@Controller(`${API}/organisations`)
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Get()
  @ApiView(OrganisationPageView)
  @Can('read', 'Organisation')
  list(@CurrentAbility() ability: AppAbility, @Query() q: OrganisationQuery) {
    return this.organisations.list(ability, q);
  }

  @Get(':id')
  @ApiView(OrganisationView)
  @Can('read', 'Organisation')
  get(@CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.organisations.get(ability, id);
  }

  @Post()
  @ApiView(OrganisationView, { status: 201 })
  @Can('create', 'Organisation')
  create(@CurrentAbility() ability: AppAbility, @Body() dto: CreateOrganisationDto) {
    return this.organisations.create(ability, dto);
  }

  @Patch(':id')
  @ApiView(OrganisationView)
  @Can('update', 'Organisation')
  update(@CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Body() dto: UpdateOrganisationDto) {
    return this.organisations.update(ability, id, dto);
  }
}
