import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction.js';
import { FieldCipher } from './field-cipher.js';
import { ENCRYPTED_COLUMNS } from './encrypted-columns.js';
import { KeyRotationRepository } from './key-rotation.repository.js';

export interface RotationReport {
  activeKey: string;
  rewrapped: number;
  /** Values per key id after the run, over every encrypted column. */
  remaining: Record<string, number>;
}

/**
 * Re-wraps every encrypted value to the active master key (ENCRYPTION_ACTIVE_KEY), in batches of
 * one transaction each; re-runnable (it only touches values under another key). The cipher text
 * itself does not change, only the wrapped data key. Once `remaining` shows only the active key,
 * the old key can leave ENCRYPTION_KEYS.
 */
@Injectable()
export class KeyRotationService {
  private readonly logger = new Logger('KeyRotation');

  constructor(
    private readonly cipher: FieldCipher,
    private readonly repo: KeyRotationRepository,
    private readonly tx: TransactionHost,
  ) {}

  async rotate(batchSize = 500): Promise<RotationReport> {
    const activeKey = this.cipher.activeKey;
    let rewrapped = 0;
    for (const column of ENCRYPTED_COLUMNS) {
      let after: string | null = null;
      for (;;) {
        const n: number = await this.tx.run(async () => {
          const rows = await this.repo.batch(column, activeKey, after, batchSize);
          for (const r of rows) await this.repo.replace(column, r.key, r.value, this.cipher.rewrap(r.value));
          after = rows.at(-1)?.key ?? after;
          return rows.length;
        });
        rewrapped += n;
        if (n < batchSize) break;
      }
      this.logger.log({ table: column.table, column: column.column }, 'column re-wrapped');
    }
    const remaining: Record<string, number> = {};
    for (const column of ENCRYPTED_COLUMNS) {
      for (const { keyId, n } of await this.repo.countByKey(column)) remaining[keyId] = (remaining[keyId] ?? 0) + n;
    }
    return { activeKey, rewrapped, remaining };
  }
}
