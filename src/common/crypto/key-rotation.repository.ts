import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction.js';
import type { EncryptedColumn } from './encrypted-columns.js';

const ident = (s: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(s)) throw new Error(`bad identifier ${s}`);
  return `"${s}"`;
};

@Injectable()
export class KeyRotationRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** Values of a column not yet under `activeKey`, after `afterKey` in key order. */
  async batch(c: EncryptedColumn, activeKey: string, afterKey: string | null, limit: number): Promise<Array<{ key: string; value: string }>> {
    return this.tx.manager.query(
      `SELECT ${ident(c.key)}::text AS key, ${ident(c.column)} AS value FROM ${ident(c.table)}
        WHERE ${ident(c.column)} IS NOT NULL AND split_part(${ident(c.column)}, '.', 2) <> $1
          AND ($2::text IS NULL OR ${ident(c.key)}::text > $2)
        ORDER BY ${ident(c.key)}::text LIMIT $3`,
      [activeKey, afterKey, limit],
    );
  }

  /** Replaces a value only if it is still the one read (a concurrent update wins). */
  async replace(c: EncryptedColumn, key: string, from: string, to: string): Promise<void> {
    await this.tx.manager.query(`UPDATE ${ident(c.table)} SET ${ident(c.column)} = $3 WHERE ${ident(c.key)}::text = $1 AND ${ident(c.column)} = $2`, [key, from, to]);
  }

  /** How many values are under each key id (for the report). */
  async countByKey(c: EncryptedColumn): Promise<Array<{ keyId: string; n: number }>> {
    const rows: Array<{ key_id: string; n: string }> = await this.tx.manager.query(
      `SELECT split_part(${ident(c.column)}, '.', 2) AS key_id, count(*) AS n FROM ${ident(c.table)} WHERE ${ident(c.column)} IS NOT NULL GROUP BY 1`,
    );
    return rows.map((r) => ({ keyId: r.key_id, n: Number(r.n) }));
  }
}
