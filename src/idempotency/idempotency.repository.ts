import { Injectable } from '@nestjs/common';
import { plainEntity } from '../database/plain-entity.js';
import { TransactionHost } from '../database/transaction.js';
import { IdempotencyKey } from './idempotency-key.entity.js';

@Injectable()
export class IdempotencyRepository {
  // Claim, find and complete run on every keyed creation: prepared statements (issue #18).
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(IdempotencyKey);
  }

  /**
   * Claims the key inside the caller's transaction. If another transaction holds the same key,
   * PostgreSQL makes this wait until that one commits (→ false, the row is there) or rolls back
   * (→ true, the key is ours).
   */
  async claim(actorId: string, key: string, requestHash: string): Promise<boolean> {
    const rows = await this.tx.prepared(
      'idempotency.claim',
      `INSERT INTO idempotency_key (actor_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING actor_id`,
      [actorId, key, requestHash],
    );
    return rows.length === 1;
  }

  async find(actorId: string, key: string): Promise<IdempotencyKey | null> {
    const k = plainEntity(this.tx.dataSource, IdempotencyKey, 'k');
    const rows = await this.tx.prepared('idempotency.find', `SELECT ${k.select} FROM idempotency_key k WHERE k.actor_id = $1 AND k.key = $2`, [actorId, key]);
    return rows[0] ? k.hydrate(rows[0]) : null;
  }

  async complete(actorId: string, key: string, responseStatus: number, responseRef: string): Promise<void> {
    await this.tx.prepared('idempotency.complete', `UPDATE idempotency_key SET response_status = $3, response_ref = $4 WHERE actor_id = $1 AND key = $2`, [
      actorId,
      key,
      responseStatus,
      responseRef,
    ]);
  }

  /** Keys are kept for replay a limited time (see IdempotencyService.purge). */
  async deleteOlderThan(before: Date): Promise<number> {
    const r = await this.repo.createQueryBuilder().delete().where('created_at < :before', { before }).execute();
    return r.affected ?? 0;
  }
}
