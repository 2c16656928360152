import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error.js';
import { TransactionHost } from '../database/transaction.js';
import { IdempotencyRepository } from './idempotency.repository.js';

export interface IdempotentResult<T> {
  status: number;
  body: T;
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export const IdempotencyErrors = {
  reused: () =>
    new DomainError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request; use a new key for a new request.'),
};

/**
 * `Idempotency-Key` for creations. The key is claimed in the same transaction as the creation, so
 * the record and the key commit together; two requests racing with one key make one record, and
 * the second gets the first's answer. A creation that fails leaves no key behind. Only the created
 * record's id is kept: a replay rebuilds the answer (`replay`) as the caller may see it now, so no
 * decrypted value ever rests in this table.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly tx: TransactionHost,
  ) {}

  async run<T extends { id: string }>(
    actorId: string,
    key: string | undefined,
    request: { route: string; body: unknown },
    status: number,
    create: () => Promise<T>,
    replay: (id: string) => Promise<T>,
  ): Promise<IdempotentResult<T>> {
    if (!key) return { status, body: await create(), replayed: false };
    const hash = createHash('sha256').update(`${request.route}\n${canonicalJson(request.body)}`).digest('hex');
    return this.tx.run(async () => {
      if (!(await this.keys.claim(actorId, key, hash))) {
        const earlier = await this.keys.find(actorId, key);
        if (!earlier || earlier.requestHash !== hash || !earlier.responseRef) throw IdempotencyErrors.reused();
        return { status: earlier.responseStatus ?? status, body: await replay(earlier.responseRef), replayed: true };
      }
      const body = await create();
      await this.keys.complete(actorId, key, status, body.id);
      return { status, body, replayed: false };
    });
  }

  /** Forgets keys older than `hours` (a replay window of a day is what clients need). */
  purge(hours = 48): Promise<number> {
    return this.keys.deleteOlderThan(new Date(Date.now() - hours * 3_600_000));
  }
}
