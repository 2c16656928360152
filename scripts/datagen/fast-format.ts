import { createCipheriv, randomBytes } from 'node:crypto';
import type { FieldCipher } from '../../src/common/crypto/field-cipher.js';

const DAY = 86_400_000;
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const days = new Map<number, string>();

/** `YYYY-MM-DD` of a UTC instant, cached per day (Date#toISOString is slow in a hot loop). */
export function day(ms: number): string {
  const d = Math.floor(ms / DAY);
  let s = days.get(d);
  if (s === undefined) days.set(d, (s = new Date(d * DAY).toISOString().slice(0, 10)));
  return s;
}

/** A timestamptz literal for COPY: `YYYY-MM-DD HH:MM:SS.mmm+00`. */
export function ts(ms: number): string {
  const rem = ms - Math.floor(ms / DAY) * DAY;
  const h = Math.floor(rem / 3_600_000);
  const m = Math.floor((rem % 3_600_000) / 60_000);
  const s = Math.floor((rem % 60_000) / 1000);
  return `${day(ms)} ${pad2(h)}:${pad2(m)}:${pad2(s)}.${pad3(Math.floor(rem % 1000))}+00`;
}

/**
 * Encrypts values in FieldCipher's stored format (`v1.<keyId>.<wrappedDataKey>.<iv>.<ciphertext+tag>`)
 * for a bulk load: one data key per loader run instead of one per value, which halves the AES work.
 * Every value still has its own IV, and FieldCipher.decrypt reads it; the constructor checks that.
 */
export class BulkEncryptor {
  private readonly dataKey: Buffer;
  private readonly prefix: string;
  private ivs = Buffer.alloc(0);
  private ivAt = 0;

  constructor(cipher: FieldCipher) {
    // Our own data key, wrapped the way FieldCipher wraps its per-value keys, under the active key.
    const keyId = cipher.activeKey;
    this.dataKey = randomBytes(32);
    this.prefix = `v1.${keyId}.${wrapLike(cipher, keyId, this.dataKey)}.`;
    const check = this.encrypt('Contrôle ✓');
    if (cipher.decrypt(check) !== 'Contrôle ✓') throw new Error('BulkEncryptor output is not readable by FieldCipher');
  }

  encrypt(plain: string): string;
  encrypt(plain: string | null): string | null;
  encrypt(plain: string | null): string | null {
    if (plain === null) return null;
    if (this.ivAt + 12 > this.ivs.length) {
      this.ivs = randomBytes(12 * 16_384);
      this.ivAt = 0;
    }
    const iv = this.ivs.subarray(this.ivAt, (this.ivAt += 12));
    const c = createCipheriv('aes-256-gcm', this.dataKey, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final(), c.getAuthTag()]);
    return this.prefix + iv.toString('base64url') + '.' + body.toString('base64url');
  }
}

/** FieldCipher's key wrapping (AES-256-GCM under the master key, `iv|ciphertext|tag`), via its key ring. */
function wrapLike(cipher: FieldCipher, keyId: string, dataKey: Buffer): string {
  const master = (cipher as unknown as { master(id: string): Buffer }).master(keyId);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', master, iv);
  return Buffer.concat([iv, c.update(dataKey), c.final(), c.getAuthTag()]).toString('base64url');
}
