import { randomBytes } from 'node:crypto';
import { FieldCipher } from './field-cipher.js';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const bi = randomBytes(32).toString('base64');

describe('FieldCipher', () => {
  it('round-trips text, including Arabic, and never stores the plain value', () => {
    const c = new FieldCipher({ k1 }, 'k1', bi);
    const stored = c.encrypt('فاطمة Zahra +212 600');
    expect(stored).not.toContain('Zahra');
    expect(stored.startsWith('v1.k1.')).toBe(true);
    expect(c.decrypt(stored)).toBe('فاطمة Zahra +212 600');
  });

  it('gives two different cipher texts for one value', () => {
    const c = new FieldCipher({ k1 }, 'k1', bi);
    expect(c.encrypt('same')).not.toBe(c.encrypt('same'));
  });

  it('detects tampering', () => {
    const c = new FieldCipher({ k1 }, 'k1', bi);
    const stored = c.encrypt('secret');
    const parts = stored.split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => c.decrypt(parts.join('.'))).toThrow();
  });

  it('rewraps under a new master key without touching the cipher text', () => {
    const old = new FieldCipher({ k1 }, 'k1', bi);
    const stored = old.encrypt('value');
    const next = new FieldCipher({ k1, k2 }, 'k2', bi);
    const rewrapped = next.rewrap(stored);
    expect(next.keyIdOf(rewrapped)).toBe('k2');
    expect(rewrapped.split('.')[4]).toBe(stored.split('.')[4]);
    expect(new FieldCipher({ k2 }, 'k2', bi).decrypt(rewrapped)).toBe('value');
  });

  it('blind index is stable, keyed and normalised', () => {
    const c = new FieldCipher({ k1 }, 'k1', bi);
    expect(c.blindIndex('+212 6-00 11 22')).toBe(c.blindIndex('+212600112 2'));
    expect(c.blindIndex('x')).not.toBe(new FieldCipher({ k1 }, 'k1', randomBytes(32).toString('base64')).blindIndex('x'));
    expect(c.blindIndex('')).toBeNull();
  });
});
