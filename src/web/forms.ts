import type { Type } from '@nestjs/common';
import { globalValidationPipe } from '../common/validation.js';
import { DomainError } from '../common/domain-error.js';

/** A submitted HTML form (urlencoded): strings, or arrays of strings for repeated names. */
export type FormBody = Record<string, string | string[] | undefined>;

const pipe = globalValidationPipe();

/**
 * Validates a form with the API's own DTO class and pipe (same rules, same VALIDATION_FAILED
 * errors). `arrays` names the fields that may hold several values (checkboxes).
 */
export async function parseForm<T extends object>(cls: Type<T>, body: FormBody, arrays: string[] = []): Promise<T> {
  const plain: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === undefined || v === '') continue;
    plain[k] = arrays.includes(k) ? ([] as string[]).concat(v) : Array.isArray(v) ? v.at(-1) : v;
  }
  for (const k of arrays) plain[k] ??= [];
  return (await pipe.transform(plain, { type: 'body', metatype: cls })) as T;
}

/** One string field of a form ('' when absent). */
export const field = (body: FormBody, name: string, max = 1000): string => {
  const v = body[name];
  const s = Array.isArray(v) ? (v.at(-1) ?? '') : (v ?? '');
  return s.slice(0, max);
};

/** Runs a service call for a form; a client error comes back as a value for the page to show. */
export async function attempt<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: DomainError }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (e instanceof DomainError && e.status < 500 && e.status !== 404) return { ok: false, error: e };
    throw e;
  }
}
