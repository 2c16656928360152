import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AppAbility } from '../authorization/ability.factory.js';
import { Can, CurrentAbility } from '../authorization/policies.js';
import { API } from '../common/api.js';
import { AuditService } from './audit.service.js';
import { AuditQuery } from './dto/audit.dto.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller(`${API}/audit`)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Supervisors: their unit's trail; admins: all. Newest first, keyset-paginated. */
  @Get()
  @Can('read', 'AuditEvent')
  list(@CurrentAbility() ability: AppAbility, @Query() q: AuditQuery) {
    return this.audit.list(ability, q);
  }
}
