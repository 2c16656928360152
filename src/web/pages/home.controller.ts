import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppAbility } from '../../authorization/ability.factory.js';
import type { Actor } from '../../authorization/actor.js';
import { Authenticated, CurrentAbility, CurrentActor } from '../../authorization/policies.js';
import { DASHBOARD_SOURCES, type DashboardCard, type DashboardSource } from '../dashboard-cards.js';
import { Views, type PageRequest } from '../views.service.js';

/** The dashboard: one card per thing the caller's roles do, from each feature's pages. */
@ApiExcludeController()
@Controller()
export class DashboardController {
  constructor(
    private readonly views: Views,
    @Inject(DASHBOARD_SOURCES) private readonly sources: DashboardSource[],
  ) {}

  @Get('dashboard')
  @Authenticated()
  async dashboard(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility) {
    const cards: DashboardCard[] = (await Promise.all(this.sources.map((s) => s.cards(actor, ability)))).flat();
    cards.push({ id: 'directory', title: 'dashboard.directory', href: '/', text: 'dashboard.directoryText' });
    await this.views.send(req, res, 'dashboard', { title: 'dashboard.title', cards });
  }
}
