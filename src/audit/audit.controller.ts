import { ApiFile, ApiView } from '../common/api-views.js';
import { AuditPageView } from './audit.views.js';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { Can, CurrentAbility, CurrentActor } from '../authorization/policies.js';
import { API } from '../common/api.js';
import { attachment, DOWNLOAD_CONTENT_TYPES } from '../common/attachment.js';
import { AuditService } from './audit.service.js';
import { AuditFilter, AuditQuery } from './dto/audit.dto.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller(`${API}/audit`)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Supervisors: their unit's trail; admins: all. Newest first, keyset-paginated. */
  @Get()
  @ApiView(AuditPageView)
  @Can('read', 'AuditEvent')
  list(@CurrentAbility() ability: AppAbility, @Query() q: AuditQuery) {
    return this.audit.list(ability, q);
  }

  /** The same trail as one CSV, oldest first, streamed (for a data-protection review of a period). */
  @Get('export')
  @Can('read', 'AuditEvent')
  @ApiProduces(DOWNLOAD_CONTENT_TYPES.csv)
  @ApiFile([DOWNLOAD_CONTENT_TYPES.csv])
  async export(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Query() q: AuditFilter, @Res() res: Response): Promise<void> {
    attachment(res, 'csv', `tawjih-audit-${q.from?.slice(0, 10) ?? 'start'}-${q.to?.slice(0, 10) ?? 'now'}`);
    await this.audit.exportCsv(actor, ability, q, res);
  }
}
