import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Can } from '../authorization/policies.js';
import { PageQuery } from '../common/pagination.js';
import { IdPipe } from '../common/params.js';
import { API } from '../common/api.js';
import { OUTBOX_STATUSES, type OutboxStatus } from './outbox-message.entity.js';
import { OutboxService } from './outbox.service.js';

class OutboxQuery extends PageQuery {
  @ApiPropertyOptional({ enum: OUTBOX_STATUSES }) @IsOptional() @IsIn(OUTBOX_STATUSES) status?: OutboxStatus;
}

/** Admins see messages that could not be delivered, and can send them again. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller(`${API}/outbox`)
export class NotificationsController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @Can('read', 'Outbox')
  list(@Query() q: OutboxQuery) {
    return this.outbox.list(q);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Can('update', 'Outbox')
  async retry(@Param('id', IdPipe) id: string) {
    await this.outbox.retry(id);
    return { retried: true };
  }
}
