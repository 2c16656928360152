import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { Can, CheckPolicies, CurrentAbility, CurrentActor } from '../authorization/policies.js';
import { API } from '../common/api.js';
import { IdPipe } from '../common/params.js';
import { ApiIdempotencyKey, IdempotencyKeyHeader } from '../idempotency/idempotency.decorator.js';
import type { IdempotentResult } from '../idempotency/idempotency.service.js';
import { CreateReferralDto, FhirBundleQuery, ReferralQuery, ReReferDto, TransitionDto } from './dto/referral.dto.js';
import { REFERRAL_TRANSITIONS, type ReferralTransition } from './referral-state.js';
import { TransitionPipe } from './transition.pipe.js';
import { ReferralCommands } from './referral-commands.service.js';
import { ReferralViews } from './referral-views.service.js';
import { FhirBundleView, ReferralCountsView, ReferralPageView, ReferralView } from './referral.views.js';
import { ApiView } from '../common/api-views.js';

function reply<T>(res: Response, r: IdempotentResult<T>): T {
  res.status(r.status);
  if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return r.body;
}

@ApiTags('referrals')
@ApiBearerAuth()
@Controller(`${API}/referrals`)
export class ReferralsController {
  constructor(
    private readonly referrals: ReferralCommands,
    private readonly views: ReferralViews,
  ) {}

  @Post()
  @Can('create', 'Referral')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Refer a case’s need to a service at a location (draft, or sent at once with `send: true`).' })
  @ApiView(ReferralView, { status: 201 })
  async create(
    @CurrentActor() actor: Actor,
    @CurrentAbility() ability: AppAbility,
    @Body() dto: CreateReferralDto,
    @IdempotencyKeyHeader() key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return reply(res, await this.referrals.create(actor, ability, dto, key));
  }

  @Get()
  @Can('read', 'Referral')
  @ApiOperation({ summary: 'Inbox (provider) or outbox (unit), newest first, with status / overdue filters.' })
  @ApiView(ReferralPageView)
  list(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Query() q: ReferralQuery) {
    return this.views.list(actor, ability, q);
  }

  @Get('counts')
  @Can('read', 'Referral')
  @ApiOperation({ summary: 'How many referrals in each state (and overdue) for the caller.' })
  @ApiView(ReferralCountsView)
  counts(@CurrentAbility() ability: AppAbility) {
    return this.views.counts(ability);
  }

  @Get(':id')
  @Can('read', 'Referral')
  @ApiView(ReferralView)
  get(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.views.get(actor, ability, id);
  }

  @Get(':id/fhir')
  @Can('read', 'Referral')
  @ApiOperation({ summary: 'FHIR R4 Bundle (Gravity SDOH closed-loop referral): ServiceRequest + Task, the subject with only the shared fields, both organisations, the consent, shared incidents and the resulting activity.' })
  @ApiView(FhirBundleView, { contentType: 'application/fhir+json' })
  async fhir(
    @CurrentActor() actor: Actor,
    @CurrentAbility() ability: AppAbility,
    @Param('id', IdPipe) id: string,
    @Query() q: FhirBundleQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    res.type('application/fhir+json');
    return this.views.fhir(actor, ability, id, q.lang ?? 'fr');
  }

  @Post(':id/re-refer')
  @Can('create', 'Referral')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'After a decline: a new referral linked to this one (sent at once unless `send: false`).' })
  @ApiView(ReferralView, { status: 201 })
  async reRefer(
    @CurrentActor() actor: Actor,
    @CurrentAbility() ability: AppAbility,
    @Param('id', IdPipe) id: string,
    @Body() dto: ReReferDto,
    @IdempotencyKeyHeader() key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return reply(res, await this.referrals.reRefer(actor, ability, id, dto, key));
  }

  @Post(':id/share-update')
  @HttpCode(200)
  @Can('update', 'Referral')
  @ApiOperation({
    summary:
      'Share the corrections made to the case since sending (e.g. a new phone) with the provider: a fresh snapshot of the same fields, under a consent that covers the referral now. Sent, accepted or in progress only; the focal points are told, with nothing identifying. Nothing changed: nothing is written or sent.',
  })
  @ApiView(ReferralView)
  shareUpdate(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    return this.referrals.shareUpdate(actor, ability, id);
  }

  @Post(':id/:transition')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'Referral') || a.can('respond', 'Referral'))
  @ApiParam({ name: 'transition', enum: REFERRAL_TRANSITIONS })
  @ApiOperation({ summary: 'One step of the loop: send, accept, decline, start, complete, not-complete, cancel.' })
  @ApiView(ReferralView)
  transition(
    @CurrentActor() actor: Actor,
    @CurrentAbility() ability: AppAbility,
    @Param('id', IdPipe) id: string,
    @Param('transition', TransitionPipe) transition: ReferralTransition,
    @Body() dto: TransitionDto,
  ) {
    return this.referrals.transition(actor, ability, id, transition, dto);
  }
}
