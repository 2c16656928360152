import { Injectable } from '@nestjs/common';
import type { Page } from '../common/pagination.js';
import { keysetPage } from '../common/keyset.js';
import { TransactionHost, type CommitWriter } from '../database/transaction.js';
import { OutboxMessage, type OutboxStatus } from './outbox-message.entity.js';

/** How long an undeliverable message keeps being retried (backoff capped at an hour) before it is `failed`. */
export const GIVE_UP_HOURS = 72;

export type ClaimedMessage = Pick<OutboxMessage, 'id' | 'recipient' | 'subject' | 'body' | 'kind' | 'attempts'> & { giveUpAt: Date };

export type NewMessage = Pick<OutboxMessage, 'recipient' | 'subject' | 'body' | 'kind'> & { dedupeKey?: string | null };

/** The INSERT of messages, their values pushed to `params` (numbered from there). */
function insertMessages(messages: NewMessage[], params: unknown[]): string {
  const tuples = messages.map((m) => `(${[m.recipient, m.subject, m.body, m.kind, m.dedupeKey ?? null].map((v) => `$${params.push(v)}`).join(', ')})`);
  return `INSERT INTO outbox_message (recipient, subject, body, kind, dedupe_key) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`;
}

@Injectable()
export class OutboxRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(OutboxMessage);
  }

  /**
   * Joins the caller's transaction (TransactionHost), written just before it commits with its audit
   * rows in one statement (appendAtCommit; at once outside a transaction); a duplicate dedupe key is
   * silently skipped. One prepared statement per number of messages (every referral sent writes one: issue #18).
   */
  enqueue(messages: NewMessage[]): Promise<void> {
    if (!messages.length) return Promise.resolve();
    return this.tx.appendAtCommit(this.atCommit, messages);
  }

  private readonly atCommit: CommitWriter<NewMessage> = {
    flush: async (messages) => {
      const params: unknown[] = [];
      await this.tx.prepared(`outbox.enqueue.${messages.length}`, insertMessages(messages, params), params);
    },
    insert: { name: 'outbox', sql: insertMessages },
  };

  /**
   * Claims due messages for one worker. SKIP LOCKED lets several workers share the table; the claim
   * pushes next_attempt_at to the end of the lease and stamps the worker's token, so a crashed
   * worker's messages come back after the lease, and only the holder renews or records a failure.
   */
  async claimDue(batch: number, leaseSeconds: number, token: string): Promise<ClaimedMessage[]> {
    const rows = await this.rows(
      `UPDATE outbox_message m
          SET next_attempt_at = now() + make_interval(secs => $2), attempts = m.attempts + 1, claim_token = $3
        WHERE m.id IN (SELECT id FROM outbox_message
                        WHERE status = 'pending' AND next_attempt_at <= now()
                        ORDER BY next_attempt_at
                        LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING m.id, m.recipient, m.subject, m.body, m.kind, m.attempts,
               coalesce(m.give_up_at, m.created_at + interval '${GIVE_UP_HOURS} hours') AS "giveUpAt"`,
      [batch, leaseSeconds, token],
    );
    return rows as unknown as ClaimedMessage[];
  }

  /** Extends the lease of the messages this worker still holds; returns those it still holds. */
  async renew(ids: string[], leaseSeconds: number, token: string): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await this.rows(
      `UPDATE outbox_message SET next_attempt_at = now() + make_interval(secs => $2)
        WHERE id = ANY($1::uuid[]) AND claim_token = $3 AND status = 'pending' RETURNING id`,
      [ids, leaseSeconds, token],
    );
    return rows.map((r) => r.id as string);
  }

  /** It went out: recorded whoever holds the claim now (a send cannot be taken back). */
  async markSent(id: string, sentAt: Date): Promise<void> {
    await this.tx.manager.query(`UPDATE outbox_message SET status = 'sent', sent_at = $2, last_error = NULL, claim_token = NULL WHERE id = $1`, [id, sentAt]);
  }

  /** A failed send, recorded only by the worker still holding the claim (never over a later success). */
  async markRetry(id: string, token: string, error: string, retryAt: Date, failed: boolean): Promise<void> {
    await this.tx.manager.query(
      `UPDATE outbox_message SET status = $4, last_error = $3, next_attempt_at = $5, claim_token = NULL
        WHERE id = $1 AND claim_token = $2 AND status = 'pending'`,
      [id, token, error.slice(0, 300), failed ? 'failed' : 'pending', retryAt],
    );
  }

  list(q: { status?: OutboxStatus; cursor?: string; limit?: number }): Promise<Page<OutboxMessage>> {
    const qb = this.repo
      .createQueryBuilder('m')
      .select(['m.id', 'm.recipient', 'm.subject', 'm.kind', 'm.status', 'm.attempts', 'm.lastError', 'm.nextAttemptAt', 'm.sentAt', 'm.createdAt']);
    if (q.status) qb.andWhere('m.status = :status', { status: q.status });
    return keysetPage(qb, 'm', q);
  }

  /** An admin's retry of one failed message: due now, and another 72 h before it is given up. */
  async retry(id: string): Promise<boolean> {
    return (await this.retryFailed(id)) === 1;
  }

  /** An admin's retry of every failed message (after a long mail outage); returns how many. */
  async retryFailed(id?: string): Promise<number> {
    const rows = await this.rows(
      `UPDATE outbox_message SET status = 'pending', attempts = 0, next_attempt_at = now(), give_up_at = now() + interval '${GIVE_UP_HOURS} hours'
        WHERE status = 'failed' AND ($1::uuid IS NULL OR id = $1) RETURNING id`,
      [id ?? null],
    );
    return rows.length;
  }

  private async rows(sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>> {
    const r: unknown = await this.tx.manager.query(sql, params);
    // UPDATE … RETURNING comes back as [rows, count].
    return (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as Array<Record<string, unknown>>;
  }
}
