import type { Type } from '@nestjs/common';
import { globalValidationPipe } from '../common/validation.js';
import { DomainError } from '../common/domain-error.js';

/** A submitted HTML form (urlencoded): strings, or arrays of strings for repeated names. */
export type FormBody = Record<string, string | string[] | undefined>;

const pipe = globalValidationPipe();

export interface FormShape {
  /** Fields that may hold several values (checkboxes): always arrays. */
  arrays?: string[];
  /** Checkbox or yes/no fields: 'true'/'on' → true, 'false' → false. */
  booleans?: string[];
  numbers?: string[];
}

/**
 * Validates a form with the API's own DTO class and pipe (same rules, same VALIDATION_FAILED
 * errors). Dotted names (`person.givenName`) build nested objects; empty fields are left out.
 */
export async function parseForm<T extends object>(cls: Type<T>, body: FormBody, shape: FormShape | string[] = {}): Promise<T> {
  const { arrays = [], booleans = [], numbers = [] } = Array.isArray(shape) ? { arrays: shape } : shape;
  const plain: Record<string, unknown> = {};
  const put = (path: string, value: unknown) => {
    const parts = path.split('.');
    let o = plain;
    // A numeric next segment makes an array: `schedules.0.opensAt` → schedules[0].opensAt.
    parts.slice(0, -1).forEach((p, i) => {
      const next = (o[p] ??= /^\d+$/.test(parts[i + 1]!) ? [] : {}) as Record<string, unknown>;
      // `person=x` and `person.givenName=y` in one form: a value where an object is (a tampered form).
      if (typeof next !== 'object' || next === null) throw new DomainError(400, 'VALIDATION_FAILED', `${parts.slice(0, i + 1).join('.')} must be an object.`, [{ field: parts.slice(0, i + 1).join('.'), message: 'must be an object' }]);
      o = next;
    });
    const last = parts.at(-1)!;
    if (typeof o[last] === 'object' && o[last] !== null) throw new DomainError(400, 'VALIDATION_FAILED', `${path} must be an object.`, [{ field: path, message: 'must be an object' }]);
    o[last] = value;
  };
  for (const [k, v] of Object.entries(body)) {
    if (v === undefined || v === '' || k.split('.').some((p) => p === '__proto__' || p === 'constructor' || p === 'prototype')) continue;
    const one = Array.isArray(v) ? v.at(-1) : v;
    if (arrays.includes(k)) put(k, ([] as string[]).concat(v).filter((x) => x !== ''));
    else if (booleans.includes(k)) put(k, one === 'true' || one === 'on' ? true : one === 'false' ? false : one);
    else if (numbers.includes(k)) put(k, one !== undefined && /^-?\d+(\.\d+)?$/.test(one) ? Number(one) : one);
    else put(k, one);
  }
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

/**
 * The same error with its fields renamed as the form names them (a form field that feeds another
 * DTO field, a fieldless error that is about one field): `rename` maps an error field to the
 * form's; `whole` names the field of an error that names none.
 */
export function asFormError(e: DomainError, rename: (field: string) => string = (f) => f, whole?: string): DomainError {
  const errors = e.errors?.length ? e.errors.map((f) => ({ ...f, field: rename(f.field) })) : whole ? [{ field: whole, message: e.message }] : e.errors;
  return new DomainError(e.status, e.code, e.detail, errors, e.extra);
}
