import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { Can, CurrentAbility, CurrentActor } from '../authorization/policies.js';
import { API } from '../common/api.js';
import { IdPipe } from '../common/params.js';
import { z } from 'zod';
import { ApiView } from '../common/api-views.js';
import { CaseloadItemView } from './caseload.views.js';
import { CasesService } from './cases.service.js';
import { AssignCaseDto, CaseQuery, CaseSearchDto, CaseStatusDto, CreateCaseDto, DuplicateCheckDto, UpdateCaseDto, UpdatePersonDto } from './dto/case.dto.js';
import { CaseDetailView, CasePageView, CaseView, CreatedCaseView, DuplicatesView, PersonExportView, PersonView } from './case.views.js';

@ApiTags('cases')
@ApiBearerAuth()
@Controller(`${API}/cases`)
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  /** Cases of the caller's scope, newest first; no identifying field. */
  @Get()
  @ApiView(CasePageView)
  @Can('read', 'Case')
  list(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Query() q: CaseQuery) {
    return this.cases.list(actor, ability, q);
  }

  /** Registers a person and opens a case; answers possible duplicates in the unit as a warning. */
  @Post()
  @ApiView(CreatedCaseView, { status: 201 })
  @Can('create', 'Case')
  create(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Body() dto: CreateCaseDto) {
    return this.cases.create(actor, ability, dto);
  }

  /** Possible duplicates in the unit (same phone, document, or name and birth date), before creating. */
  @Post('duplicates')
  @ApiView(DuplicatesView)
  @HttpCode(200)
  @Can('create', 'Case')
  duplicates(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Body() dto: DuplicateCheckDto) {
    return this.cases.checkDuplicates(actor, ability, dto);
  }

  /**
   * Finds cases by who the person is: a phone, a document number or words of the name, matched on
   * blind indexes within the caller's scope (POST: identifying values never go in a URL). Answers
   * the caseload view of each case found, names included.
   */
  @Post('search')
  @HttpCode(200)
  @Can('read', 'Case')
  @ApiView(z.array(CaseloadItemView))
  search(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Body() dto: CaseSearchDto) {
    return this.cases.search(actor, ability, dto);
  }

  @Get(':id')
  @ApiView(CaseDetailView)
  @Can('read', 'Case')
  get(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.cases.get(actor, ability, id);
  }

  @Patch(':id')
  @ApiView(CaseView)
  @Can('update', 'Case')
  update(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Body() dto: UpdateCaseDto) {
    return this.cases.update(actor, ability, id, dto);
  }

  /** open → active → closed (with a closure reason); closed → open (with a reopen reason). */
  @Post(':id/status')
  @ApiView(CaseView)
  @HttpCode(200)
  @Can('update', 'Case')
  setStatus(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Body() dto: CaseStatusDto) {
    return this.cases.setStatus(actor, ability, id, dto);
  }

  @Post(':id/assign')
  @ApiView(CaseView)
  @HttpCode(200)
  @Can('assign', 'Case')
  assign(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Body() dto: AssignCaseDto) {
    return this.cases.assign(actor, ability, id, dto);
  }

  /** Corrects what is held on the person. */
  @Patch(':id/person')
  @ApiView(PersonView)
  @Can('update', 'Case')
  updatePerson(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Body() dto: UpdatePersonDto) {
    return this.cases.updatePerson(actor, ability, id, dto);
  }

  /** Everything held on the person, decrypted, as JSON (supervisors; audited). */
  @Get(':id/person/export')
  @ApiView(PersonExportView)
  @Header('Content-Disposition', 'attachment; filename="person-export.json"')
  @Can('export', 'Case')
  exportPerson(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.cases.exportPerson(actor, ability, id);
  }
}
