import argon2 from 'argon2';
import { DomainError } from '../common/domain-error.js';

// OWASP's argon2id baseline (19 MiB, 2 passes); tuned for a 2-core host serving logins.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (plain: string) => argon2.hash(plain, OPTIONS);

export async function verifyPassword(hash: string | null, plain: string): Promise<boolean> {
  if (!hash) {
    // Same cost as a real check, so a missing account cannot be told apart by timing.
    await argon2.hash(plain, OPTIONS);
    return false;
  }
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false;
  }
}

/**
 * Password policy: 12–128 characters, at least three of lower case, upper case, digit, symbol
 * (or 20+ characters for a passphrase), and not built on the e-mail address.
 */
export function checkPasswordPolicy(password: string, email: string): void {
  const problems: string[] = [];
  if (password.length < 12) problems.push('at least 12 characters');
  if (password.length > 128) problems.push('at most 128 characters');
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (password.length < 20 && classes < 3) problems.push('three of: lower case, upper case, digit, symbol (or 20+ characters)');
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= 4 && password.toLowerCase().includes(local)) problems.push('not contain the e-mail name');
  if (problems.length) {
    throw new DomainError(400, 'PASSWORD_POLICY', `The password must have ${problems.join('; ')}.`, [
      { field: 'password', message: problems.join('; ') },
    ]);
  }
}
