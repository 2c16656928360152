import { Injectable } from '@nestjs/common';
import type { Page } from '../common/pagination.js';
import { keysetPage } from '../common/keyset.js';
import { TransactionHost } from '../database/transaction.js';
import { OutboxMessage, type OutboxStatus } from './outbox-message.entity.js';

export type NewMessage = Pick<OutboxMessage, 'recipient' | 'subject' | 'body' | 'kind'> & { dedupeKey?: string | null };

@Injectable()
export class OutboxRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(OutboxMessage);
  }

  /** Joins the caller's transaction (TransactionHost); a duplicate dedupe key is silently skipped. */
  async enqueue(messages: NewMessage[]): Promise<void> {
    if (!messages.length) return;
    await this.repo
      .createQueryBuilder()
      .insert()
      .values(messages.map((m) => ({ ...m, dedupeKey: m.dedupeKey ?? null })))
      .orIgnore()
      .execute();
  }

  /**
   * Claims due messages for one worker. SKIP LOCKED lets several workers share the table; the claim
   * pushes next_attempt_at forward so a crashed worker's messages come back later, not never.
   */
  async claimDue(batch: number, leaseSeconds: number): Promise<OutboxMessage[]> {
    const rows: Array<Record<string, unknown>> = await this.tx.manager.query(
      `UPDATE outbox_message m
          SET next_attempt_at = now() + make_interval(secs => $2), attempts = m.attempts + 1
        WHERE m.id IN (SELECT id FROM outbox_message
                        WHERE status = 'pending' AND next_attempt_at <= now()
                        ORDER BY next_attempt_at
                        LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING m.id, m.recipient, m.subject, m.body, m.kind, m.attempts`,
      [batch, leaseSeconds],
    ).then((r: unknown) => (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as Array<Record<string, unknown>>);
    return rows.map((r) => this.repo.create({ id: r.id as string, recipient: r.recipient as string, subject: r.subject as string, body: r.body as string, kind: r.kind as string, attempts: r.attempts as number }));
  }

  async markSent(id: string): Promise<void> {
    await this.repo.update({ id }, { status: 'sent', sentAt: new Date(), lastError: null });
  }

  async markRetry(id: string, error: string, retryAt: Date, failed: boolean): Promise<void> {
    await this.repo.update({ id }, { status: failed ? 'failed' : 'pending', lastError: error.slice(0, 300), nextAttemptAt: retryAt });
  }

  list(q: { status?: OutboxStatus; cursor?: string; limit?: number }): Promise<Page<OutboxMessage>> {
    const qb = this.repo
      .createQueryBuilder('m')
      .select(['m.id', 'm.recipient', 'm.subject', 'm.kind', 'm.status', 'm.attempts', 'm.lastError', 'm.nextAttemptAt', 'm.sentAt', 'm.createdAt']);
    if (q.status) qb.andWhere('m.status = :status', { status: q.status });
    return keysetPage(qb, 'm', q);
  }

  async retry(id: string): Promise<boolean> {
    const r = await this.repo.update({ id, status: 'failed' }, { status: 'pending', attempts: 0, nextAttemptAt: new Date() });
    return r.affected === 1;
  }
}
