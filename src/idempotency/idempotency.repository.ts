import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../database/transaction.js';
import { IdempotencyKey } from './idempotency-key.entity.js';

@Injectable()
export class IdempotencyRepository {
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
    const r = await this.repo.createQueryBuilder().insert().values({ actorId, key, requestHash }).orIgnore().returning(['actorId']).execute();
    return r.raw.length === 1;
  }

  find(actorId: string, key: string): Promise<IdempotencyKey | null> {
    return this.repo.findOneBy({ actorId, key });
  }

  async complete(actorId: string, key: string, responseStatus: number, responseRef: string): Promise<void> {
    await this.repo.update({ actorId, key }, { responseStatus, responseRef });
  }

  /** Keys are kept for replay a limited time (see IdempotencyService.purge). */
  async deleteOlderThan(before: Date): Promise<number> {
    const r = await this.repo.createQueryBuilder().delete().where('created_at < :before', { before }).execute();
    return r.affected ?? 0;
  }
}
