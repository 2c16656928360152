import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** A stored value that the configured keys cannot open: names the key id, never the key or the value. */
export class DecryptionError extends Error {
  constructor(readonly keyId: string) {
    super(`a value under encryption key id "${keyId}" could not be decrypted`);
    this.name = 'DecryptionError';
  }
}

/** Encrypting or indexing before the keys were proven against their check values (see KeyCheckService). */
export class KeysNotVerifiedError extends Error {
  constructor() {
    super('encryption keys not verified against their check values: nothing may be written with them');
    this.name = 'KeysNotVerifiedError';
  }
}

/** What a key check value is computed over: a fixed label, so the value proves the key without revealing it. */
const CHECK_LABEL = 'tawjih key check v1';

/**
 * Application-level encryption of identifying fields (AES-256-GCM, envelope keys).
 *
 * Each value gets its own random data key; the data key is wrapped by a master key named by its id.
 * Stored form: `v1.<keyId>.<wrappedDataKey>.<iv>.<ciphertext+tag>` (base64url parts). Rotating the
 * master key re-wraps data keys only (`rewrap`), so the ciphertext of a value never changes.
 */
export class FieldCipher {
  private readonly keys: Map<string, Buffer>;
  private locked: boolean;

  /**
   * `locked`: the app's cipher starts locked; KeyCheckService unlocks it once every configured key
   * matches its check value in the database, so no value is ever written under an unproven key.
   */
  constructor(
    keys: Record<string, string>,
    private readonly activeKeyId: string,
    private readonly blindIndexKey: string,
    opts: { locked?: boolean } = {},
  ) {
    this.keys = new Map(Object.entries(keys).map(([id, k]) => [id, Buffer.from(k, 'base64')]));
    if (!this.keys.has(activeKeyId)) throw new Error('active key is not in the key ring');
    this.locked = opts.locked ?? false;
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** HMAC of a fixed label under the key: stored in the database to prove the key at the next boot. */
  checkValue(keyId: string): string {
    return createHmac('sha256', this.master(keyId)).update(CHECK_LABEL).digest('base64url');
  }

  blindIndexCheckValue(): string {
    return createHmac('sha256', this.blindIndexKey).update(CHECK_LABEL).digest('base64url');
  }

  unlock(): void {
    this.locked = false;
  }

  private assertUnlocked(): void {
    if (this.locked) throw new KeysNotVerifiedError();
  }

  get activeKey(): string {
    return this.activeKeyId;
  }

  encrypt(plain: string): string;
  encrypt(plain: string | null | undefined): string | null;
  encrypt(plain: string | null | undefined): string | null {
    if (plain === null || plain === undefined) return null;
    this.assertUnlocked();
    const dataKey = randomBytes(32);
    const wrapped = this.wrap(dataKey, this.activeKeyId);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', dataKey, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final(), c.getAuthTag()]);
    return ['v1', this.activeKeyId, wrapped, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(stored: string): string;
  decrypt(stored: string | null | undefined): string | null;
  decrypt(stored: string | null | undefined): string | null {
    if (stored === null || stored === undefined) return null;
    const [v, keyId, wrapped, ivB64, bodyB64] = stored.split('.');
    if (v !== 'v1' || !keyId || !wrapped || !ivB64 || !bodyB64) throw new DecryptionError(keyId ?? '?');
    try {
      const dataKey = this.unwrap(wrapped, keyId);
      const body = Buffer.from(bodyB64, 'base64url');
      const d = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(ivB64, 'base64url'));
      d.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([d.update(body.subarray(0, body.length - 16)), d.final()]).toString('utf8');
    } catch {
      throw new DecryptionError(keyId);
    }
  }

  /** The key id a stored value was wrapped with (for rotation queries). */
  keyIdOf(stored: string): string {
    return stored.split('.')[1] ?? '';
  }

  /** Re-wrap a value's data key with the active master key; the ciphertext is untouched. */
  rewrap(stored: string): string {
    this.assertUnlocked();
    const parts = stored.split('.');
    if (parts[1] === this.activeKeyId) return stored;
    const dataKey = this.unwrap(parts[2]!, parts[1]!);
    parts[1] = this.activeKeyId;
    parts[2] = this.wrap(dataKey, this.activeKeyId);
    return parts.join('.');
  }

  /**
   * Keyed blind index for exact look-ups (phone, document number) without storing the value:
   * HMAC-SHA256 of the normalised value, under a key separate from the encryption keys.
   */
  blindIndex(value: string | null | undefined, normalise: (v: string) => string = defaultNormalise): string | null {
    if (value === null || value === undefined || value.trim() === '') return null;
    this.assertUnlocked();
    return createHmac('sha256', this.blindIndexKey).update(normalise(value)).digest('base64url');
  }

  private wrap(dataKey: Buffer, keyId: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.master(keyId), iv);
    const ct = Buffer.concat([c.update(dataKey), c.final(), c.getAuthTag()]);
    return Buffer.concat([iv, ct]).toString('base64url');
  }

  private unwrap(wrapped: string, keyId: string): Buffer {
    const raw = Buffer.from(wrapped, 'base64url');
    const d = createDecipheriv('aes-256-gcm', this.master(keyId), raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]);
  }

  private master(keyId: string): Buffer {
    const k = this.keys.get(keyId);
    if (!k) throw new Error(`unknown encryption key id "${keyId}"`);
    return k;
  }
}

const defaultNormalise = (v: string) => v.normalize('NFKC').toLowerCase().replace(/[\s\-().]/g, '');
