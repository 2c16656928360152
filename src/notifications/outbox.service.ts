import type { OutboxPageView } from './outbox.views.js';
import { Injectable } from '@nestjs/common';
import { notFound } from '../common/domain-error.js';
import type { OutboxStatus } from './outbox-message.entity.js';
import { OutboxRepository } from './outbox.repository.js';

/** The outbox as admins handle it (API and pages alike): list what could not be delivered, send it again. */
@Injectable()
export class OutboxService {
  constructor(private readonly outbox: OutboxRepository) {}

  list(q: { status?: OutboxStatus; cursor?: string; limit?: number }): Promise<OutboxPageView> {
    return this.outbox.list(q);
  }

  /** After a long mail outage: every failed message is due again; returns how many. */
  retryFailed(): Promise<number> {
    return this.outbox.retryFailed();
  }

  /** Puts a failed message back in the queue with fresh attempts; 404 unless it exists and failed. */
  async retry(id: string): Promise<void> {
    if (!(await this.outbox.retry(id))) throw notFound('failed message');
  }
}
