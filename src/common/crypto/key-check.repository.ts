import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction.js';
import { ENCRYPTED_COLUMNS } from './encrypted-columns.js';

export type KeyPurpose = 'encryption' | 'blind_index';

const ident = (s: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(s)) throw new Error(`bad identifier ${s}`);
  return `"${s}"`;
};

@Injectable()
export class KeyCheckRepository {
  constructor(private readonly tx: TransactionHost) {}

  async all(): Promise<Array<{ purpose: KeyPurpose; keyId: string; checkValue: string }>> {
    return this.tx.manager.query(`SELECT purpose, key_id AS "keyId", check_value AS "checkValue" FROM key_check`);
  }

  /** Registers a key's check value unless one is there already (another instance may be first). */
  async register(purpose: KeyPurpose, keyId: string, checkValue: string): Promise<void> {
    await this.tx.manager.query(`INSERT INTO key_check (purpose, key_id, check_value) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [purpose, keyId, checkValue]);
  }

  /** One stored value under `keyId`, from any encrypted column (to prove a key seen for the first time). */
  async sampleUnder(keyId: string): Promise<string | null> {
    for (const c of ENCRYPTED_COLUMNS) {
      const rows: Array<{ v: string }> = await this.tx.manager.query(
        `SELECT ${ident(c.column)} AS v FROM ${ident(c.table)} WHERE ${ident(c.column)} LIKE $1 LIMIT 1`,
        [`v1.${keyId.replace(/[\\%_]/g, (m) => `\\${m}`)}.%`],
      );
      if (rows[0]) return rows[0].v;
    }
    return null;
  }
}
