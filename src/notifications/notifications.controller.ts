import { ApiView } from '../common/api-views.js';
import { OutboxPageView, RetriedCountView, RetriedView } from './outbox.views.js';
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
  @ApiView(OutboxPageView)
  @Can('read', 'Outbox')
  list(@Query() q: OutboxQuery) {
    return this.outbox.list(q);
  }

  /** After a long mail outage: every failed message is due again (and retried for another 72 h). */
  @Post('retry-failed')
  @ApiView(RetriedCountView)
  @HttpCode(200)
  @Can('update', 'Outbox')
  async retryFailed() {
    return { retried: await this.outbox.retryFailed() };
  }

  @Post(':id/retry')
  @ApiView(RetriedView)
  @HttpCode(200)
  @Can('update', 'Outbox')
  async retry(@Param('id', IdPipe) id: string) {
    await this.outbox.retry(id);
    return { retried: true };
  }
}
