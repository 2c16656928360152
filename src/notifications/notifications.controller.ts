import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Can } from '../authorization/policies.js';
import { notFound } from '../common/domain-error.js';
import { PageQuery } from '../common/pagination.js';
import { IdPipe } from '../common/params.js';
import { API } from '../common/api.js';
import { OUTBOX_STATUSES, type OutboxStatus } from './outbox-message.entity.js';
import { OutboxRepository } from './outbox.repository.js';

class OutboxQuery extends PageQuery {
  @ApiPropertyOptional({ enum: OUTBOX_STATUSES }) @IsOptional() @IsIn(OUTBOX_STATUSES) status?: OutboxStatus;
}

/** Admins see messages that could not be delivered, and can send them again. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller(`${API}/outbox`)
export class NotificationsController {
  constructor(private readonly outbox: OutboxRepository) {}

  @Get()
  @Can('read', 'Outbox')
  list(@Query() q: OutboxQuery) {
    return this.outbox.list(q);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Can('update', 'Outbox')
  async retry(@Param('id', IdPipe) id: string) {
    if (!(await this.outbox.retry(id))) throw notFound('failed message');
    return { retried: true };
  }
}
