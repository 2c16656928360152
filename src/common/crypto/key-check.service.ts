import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { FieldCipher } from './field-cipher.js';
import { KeyCheckRepository, type KeyPurpose } from './key-check.repository.js';

/** Why the app refuses to start: names the setting and the key id, never a key. */
export class KeyCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyCheckError';
  }
}

const BLIND_INDEX_ID = 'blind-index';

/**
 * Keys proven before use. The database keeps a check value (an HMAC of a fixed label) per encryption
 * key id and one for the blind-index key; at boot every configured key must match its value, or the
 * app refuses to start, naming the key id. A key id seen for the first time is proven against a value
 * already stored under it, if any, then registered. Until this has passed, the cipher is locked:
 * nothing can be encrypted or indexed, so a wrong key never writes a single row.
 */
@Injectable()
export class KeyCheckService implements OnModuleInit {
  private readonly logger = new Logger('KeyCheck');

  constructor(
    private readonly cipher: FieldCipher,
    private readonly repo: KeyCheckRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.verify();
  }

  async verify(): Promise<void> {
    const configured: Array<{ purpose: KeyPurpose; keyId: string; value: string; setting: string }> = [
      ...this.cipher.keyIds.map((keyId) => ({ purpose: 'encryption' as const, keyId, value: this.cipher.checkValue(keyId), setting: 'ENCRYPTION_KEYS' })),
      { purpose: 'blind_index', keyId: BLIND_INDEX_ID, value: this.cipher.blindIndexCheckValue(), setting: 'BLIND_INDEX_KEY' },
    ];
    const stored = new Map((await this.repo.all()).map((r) => [`${r.purpose}:${r.keyId}`, r.checkValue]));
    const registered: string[] = [];
    for (const k of configured) {
      let value = stored.get(`${k.purpose}:${k.keyId}`);
      if (value === undefined) {
        if (k.purpose === 'encryption') await this.proveAgainstData(k.keyId);
        await this.repo.register(k.purpose, k.keyId, k.value);
        value = new Map((await this.repo.all()).map((r) => [`${r.purpose}:${r.keyId}`, r.checkValue])).get(`${k.purpose}:${k.keyId}`);
        registered.push(k.keyId);
      }
      if (value !== k.value) {
        throw new KeyCheckError(
          `${k.setting}: the key configured for "${k.keyId}" is not the key this database was written with (its check value differs). ` +
            'Refusing to start: restore the right key (the key itself is never shown).',
        );
      }
    }
    this.cipher.unlock();
    this.logger.log({ keyIds: configured.map((k) => k.keyId), registered, activeKey: this.cipher.activeKey }, 'encryption keys verified');
  }

  /** A key id with no check value yet but data under it (a database from before check values): the key must open it. */
  private async proveAgainstData(keyId: string): Promise<void> {
    const sample = await this.repo.sampleUnder(keyId);
    if (!sample) return;
    try {
      this.cipher.decrypt(sample);
    } catch {
      throw new KeyCheckError(`ENCRYPTION_KEYS: the key configured for "${keyId}" cannot open the values stored under that id. Refusing to start.`);
    }
  }
}
